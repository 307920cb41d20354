"""The Semrush API tab fetching every report the pages use, against the real fake server (AppTest).

Each report choice ends where the pages look for it: a snapshot of its kind (TLD, countries, IPs,
the backlink gap) or a workspace setting (the site's Authority Score from the overview and the
history, the monthly counts). The target type chosen reaches Semrush's parameters.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from lib import importer, snapshots
from lib.workspaces import Workspace, create_workspace, get_setting, set_setting
from tests.test_api_faults_ui import FastClient, texts
from tools.fake_semrush import DEFAULT_KEY, FakeSemrush, sample_frames
from ui import api_panel

OWN, RIVAL = "acme.com", "rival.com"


@pytest.fixture
def fake(monkeypatch):
    with FakeSemrush(sample_frames([OWN, RIVAL], backlinks=120)) as server:
        monkeypatch.setenv("SEMRUSH_API_URL", server.url)
        monkeypatch.setenv("SEMRUSH_API_KEY", DEFAULT_KEY)
        monkeypatch.setattr(api_panel, "SemrushClient", FastClient)
        yield server


@pytest.fixture
def acme(demo_data_dir) -> Workspace:
    return create_workspace("Acme", OWN, [RIVAL])


def open_tab(app_test, workspace: Workspace, reports: list[str], target_type: str = "root_domain",
             url: str | None = None, competitors: bool = False):
    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = workspace.id
    at.run()
    assert not at.exception, at.exception
    at.multiselect(key="api_reports").set_value(reports)
    at.selectbox(key="api_target_type").set_value(target_type)
    at.run()
    if url is not None:
        at.text_input(key="api_target_url").set_value(url)
        at.run()
    for box in (c for c in at.checkbox if c.label.startswith("Referring domains of the")):
        box.set_value(competitors)
        at.run()
    assert not at.exception, at.exception
    return at


def fetch(at):
    next(b for b in at.button if b.label.startswith("Fetch now")).click()
    at.run(timeout=120)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def api_snapshots(workspace: Workspace) -> list[tuple[str, str]]:
    return sorted((s.kind, s.target_domain) for s in snapshots.list_snapshots(workspace.id) if s.source == "api")


def today_utc() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def test_the_overview_fills_in_the_site_authority_score_shown_on_the_overview_page(acme, app_test, fake):
    expected = int(fake._overview(OWN)["authority_score"].iloc[0])
    at = fetch(open_tab(app_test, acme, ["backlinks_overview", "backlinks_refdomains"]))
    assert get_setting(acme.id, "site_ascore") == {today_utc(): expected}
    assert f"Backlinks overview of acme.com: Authority Score {expected}, saved as your site's score" in texts(at)
    assert api_snapshots(acme) == [("referring_domains", OWN)]  # the overview is a setting, not a snapshot

    overview = app_test("pages/overview.py")
    overview.session_state["workspace_id"] = acme.id
    overview.run()
    assert not overview.exception, overview.exception
    metric = next(m for m in overview.metric if m.label == "Authority")
    assert metric.value == str(expected)


def test_an_overview_from_the_cache_is_dated_when_semrush_answered(acme, app_test, fake):
    fetch(open_tab(app_test, acme, ["backlinks_overview"]))
    sent = fake.request_count
    again = fetch(open_tab(app_test, acme, ["backlinks_overview"]))
    assert fake.request_count == sent and "from cache" in texts(again)
    assert list(get_setting(acme.id, "site_ascore")) == [today_utc()]


@pytest.mark.parametrize(("report", "kind"), [
    ("backlinks_tld", "tld"), ("backlinks_geo", "geo"), ("backlinks_refips", "referring_ips"),
])
def test_distributions_and_ips_are_stored_as_snapshots_of_their_kind(acme, app_test, fake, report, kind):
    at = fetch(open_tab(app_test, acme, [report]))
    assert api_snapshots(acme) == [(kind, OWN)]
    stored = importer.current_frame(acme, kind)
    served = fake._frames[(report, OWN)].reset_index(drop=True)
    assert_frame_equal(stored.reset_index(drop=True), served[list(stored.columns)], check_like=False)
    assert f"of acme.com: {len(served):,} rows, fetched now" in texts(at)


def test_the_history_fills_in_monthly_scores_and_keeps_the_counts(acme, app_test, fake):
    history = fake._history(OWN)
    typed = {history["date"].iloc[0].date().isoformat(): 7}  # a score the user typed for one month
    set_setting(acme.id, "site_ascore", typed)
    at = fetch(open_tab(app_test, acme, ["backlinks_historical"]))
    scores = get_setting(acme.id, "site_ascore")
    months = [d.date().isoformat() for d in history["date"]]
    assert sorted(scores) == sorted(months)
    assert scores[months[0]] == 7  # kept: the history only fills months without a score
    assert {scores[m] for m in months[1:]} == {int(history["authority_score"].iloc[0])}
    counts = get_setting(acme.id, "backlinks_history")
    assert {day: (c["backlinks"], c["domains"]) for day, c in counts.items()} == {
        d.date().isoformat(): (int(b), int(n)) for d, b, n in zip(history["date"], history["backlinks"],
                                                                   history["domains"])}
    assert api_snapshots(acme) == []
    assert f"{len(history)} months of backlink counts kept" in texts(at)
    assert f"filled in for {len(history) - 1} month(s)" in texts(at)


def test_the_gap_is_stored_as_a_gap_snapshot_the_gap_page_uses(acme, app_test, fake):
    at = fetch(open_tab(app_test, acme, ["backlinks_matrix"]))
    [request] = fake.requests
    assert request["type"] == "backlinks_matrix" and request["targets[]"] == [OWN, RIVAL]
    assert request["target_types[]"] == ["root_domain", "root_domain"]
    assert api_snapshots(acme) == [("gap", OWN)]
    [snapshot] = snapshots.list_snapshots(acme.id, "gap")
    assert snapshot.compared_domains == (OWN, RIVAL)
    frame = importer.current_frame(acme, "gap")
    wide = fake._matrix([OWN, RIVAL])
    assert set(frame["domain"]) == set(wide["domain"])
    assert len(frame) == 2 * len(wide)
    rival_links = frame[frame["compared_domain"] == RIVAL].set_index("domain")["backlinks"]
    assert rival_links.to_dict() == wide.set_index("domain")[RIVAL].to_dict()
    assert "Backlink gap (referring domains) of acme.com" in texts(at)

    gap = app_test("pages/gap.py")
    gap.session_state["workspace_id"] = acme.id
    gap.run()
    assert not gap.exception, gap.exception
    only_rival = set(wide.loc[(wide[OWN] == 0) & (wide[RIVAL] > 0), "domain"])
    assert only_rival
    shown = pd.concat([pd.DataFrame(d.value) for d in gap.dataframe if "domain" in pd.DataFrame(d.value)])
    assert only_rival & set(shown["domain"])


def test_the_gap_needs_competitors(demo_data_dir, app_test, fake):
    alone = create_workspace("Alone", "alone.com", [])
    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = alone.id
    at.run()
    at.multiselect(key="api_reports").set_value(["backlinks_matrix"])
    at.run()
    assert "The backlink gap needs competitors" in texts(at)
    assert not [b for b in at.button if b.label.startswith("Fetch now")]


def test_the_domain_target_type_reaches_semrush(acme, app_test, fake):
    fetch(open_tab(app_test, acme, ["backlinks_overview", "backlinks_anchors", "backlinks_historical"],
                   target_type="domain"))
    sent = {r["type"]: (r["target"], r["target_type"]) for r in fake.requests}
    assert sent == {"backlinks_overview": (OWN, "domain"), "backlinks_anchors": (OWN, "domain"),
                    "backlinks_historical": (OWN, "root_domain")}  # the history takes root domains only
    assert api_snapshots(acme) == [("anchors", OWN)]
    # A domain-only overview is not the site's Authority Score; the root-domain history still fills it.
    assert today_utc() not in get_setting(acme.id, "site_ascore")


def test_a_url_target_fetches_that_page_and_keeps_it_about_the_site(acme, app_test, fake):
    url = "https://acme.com/shoes/"
    at = fetch(open_tab(app_test, acme, ["backlinks_overview", "backlinks"], target_type="url", url=url))
    sent = {r["type"]: (r["target"], r["target_type"]) for r in fake.requests}
    assert sent == {"backlinks_overview": (url, "url"), "backlinks": (url, "url")}
    assert api_snapshots(acme) == [("backlinks", OWN)]  # stored about the workspace's domain, where pages look
    assert get_setting(acme.id, "site_ascore", {}) == {}
    assert "not saved as your site's" in texts(at)


def test_a_url_that_is_not_one_is_refused_by_name(acme, app_test, fake):
    at = open_tab(app_test, acme, ["backlinks"], target_type="url", url="acme.com/shoes")
    assert [e.value for e in at.error] == ["Type the full address of one page, starting with https://."]
    assert not [b for b in at.button if b.label.startswith("Fetch now")]
    assert fake.request_count == 0
