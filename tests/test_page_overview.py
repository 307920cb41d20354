"""AppTest of the Overview page on the demo workspace: figures match lib, the site Authority Score can be set."""

from __future__ import annotations

from datetime import date

import pytest

from lib import snapshots
from lib.analysis import overview as ov
from lib.demo import DEMO_SITE_ASCORE
from lib.workspaces import create_workspace, get_setting, get_workspace

PAGE = "pages/overview.py"


@pytest.fixture
def overview(app_test, demo_data_dir):
    at = app_test(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_metrics_match_the_analysis(overview, demo_data_dir):
    workspace = get_workspace("demo", demo_data_dir)
    history = snapshots.list_snapshots("demo", "backlinks", workspace.own_domain, demo_data_dir)
    assert len(history) >= 2, "the demo has several monthly snapshots"
    latest, previous = history[-1], history[-2]
    now = ov.summarize(snapshots.load_frame(latest, demo_data_dir), latest.data_date)
    before = ov.summarize(snapshots.load_frame(previous, demo_data_dir), previous.data_date)

    metrics = {m.label: m for m in overview.metric}
    assert list(metrics) == ["Backlinks", "Ref. domains", "Authority", "Follow", "New · 30 days",
                             "Lost · 30 days"]
    assert metrics["Backlinks"].value == f"{now.backlinks:,}"
    assert metrics["Ref. domains"].value == f"{now.referring_domains:,}"
    assert metrics["Follow"].value == f"{now.follow_share:.0%}"
    assert metrics["New · 30 days"].value == f"{now.new_recent:,}"
    assert metrics["Lost · 30 days"].value == f"{now.lost_recent:,}"
    change = now.backlinks - before.backlinks
    assert metrics["Backlinks"].delta == ("±0" if change == 0 else f"{change:+,}")
    # the demo gets a plausible Authority Score history at its snapshot dates
    expected = ov.demo_site_ascore([s.data_date for s in history], DEMO_SITE_ASCORE)
    assert get_setting("demo", "site_ascore", root=demo_data_dir) == expected
    assert metrics["Authority"].value == str(expected[latest.data_date.isoformat()])
    assert metrics["Authority"].delta == "+2"


def test_concentration_sentence_and_sections(overview, demo_data_dir):
    workspace = get_workspace("demo", demo_data_dir)
    latest = snapshots.latest_snapshot("demo", "backlinks", workspace.own_domain, demo_data_dir)
    curve = ov.concentration_curve(snapshots.load_frame(latest, demo_data_dir), latest.data_date)
    sentence = ov.concentration(curve).sentence()
    assert any(sentence in m.value for m in overview.markdown)
    assert "backlinks come from just 10 websites" in sentence
    subheaders = [s.value for s in overview.subheader]
    assert subheaders == ["Where your links come from", "Growth", "Link profile", "Data loaded"]
    assert overview.dataframe[-1].value["Kind"].tolist()  # the "Data loaded" table lists the demo's exports


def test_setting_the_site_authority_score(overview, demo_data_dir):
    overview.number_input(key="site_ascore_value").set_value(57)
    overview.date_input(key="site_ascore_date").set_value(date(2030, 1, 1))
    overview.button[[b.label for b in overview.button].index("Save")].click()
    overview.run()
    assert not overview.exception
    metrics = {m.label: m for m in overview.metric}
    assert metrics["Authority"].value == "57"
    assert get_setting("demo", "site_ascore", root=demo_data_dir)["2030-01-01"] == 57


def test_a_workspace_without_data_says_what_to_upload(app_test, demo_data_dir):
    create_workspace("Empty", "empty-site.com", workspace_id="empty", root=demo_data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "empty"
    at.run()
    assert not at.exception
    assert any("Backlinks" in i.value and "Backlink Analytics" in i.value for i in at.info)
    assert not at.metric
    assert [s.value for s in at.subheader] == ["Data loaded"]


def test_a_site_without_authority_score_shows_a_dash(app_test, demo_data_dir):
    workspace = create_workspace("Plain", "plain-site.com", workspace_id="plain", root=demo_data_dir)
    demo = get_workspace("demo", demo_data_dir)
    demo_backlinks = snapshots.latest_snapshot("demo", "backlinks", demo.own_domain, demo_data_dir)
    frame = snapshots.load_frame(demo_backlinks, demo_data_dir)
    snapshots.save_snapshot(workspace.id, "backlinks", frame, target_domain="plain-site.com", source="upload",
                            source_name="x.csv", data_date=demo_backlinks.data_date, root=demo_data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "plain"
    at.run()
    assert not at.exception
    metric = {m.label: m for m in at.metric}["Authority"]
    assert metric.value == "—"
    assert "Unknown" in metric.help


def _workspace_with(root, kind: str, workspace_id: str):
    """A workspace holding only the demo's latest export of one kind."""
    demo = get_workspace("demo", root)
    workspace = create_workspace(workspace_id, f"{workspace_id}.com", workspace_id=workspace_id, root=root)
    source = snapshots.latest_snapshot("demo", kind, demo.own_domain, root)
    snapshots.save_snapshot(workspace.id, kind, snapshots.load_frame(source, root), target_domain=workspace.own_domain,
                            source="upload", source_name="x.csv", data_date=source.data_date, root=root)
    return workspace


def test_referring_domains_export_alone_shows_its_charts(app_test, demo_data_dir):
    _workspace_with(demo_data_dir, "referring_domains", "onlyrd")
    at = app_test(PAGE)
    at.session_state["workspace_id"] = "onlyrd"
    at.run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Authority"]
    assert any("Growth, link types and concentration need the backlinks" in i.value for i in at.info)
    assert [s.value for s in at.subheader] == ["Link profile", "Data loaded"]


HISTORY = {"2026-09-30": {"backlinks": 900, "domains": 90, "new_domains": 7, "lost_domains": 2},
           "2026-10-31": {"backlinks": 950, "domains": 95, "new_domains": 9, "lost_domains": 4}}


def growth_bars(at, title: str) -> dict[str, list]:
    """name -> y values of the traces of the Plotly chart titled `title`."""
    import base64
    import json

    import numpy as np

    def values(y) -> list:  # Plotly sends numeric arrays as {"dtype", "bdata"}: base64 of the raw array
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist() if isinstance(y, dict) else y

    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        if figure["layout"].get("title", {}).get("text", "").startswith(title):
            return {trace["name"]: values(trace["y"]) for trace in figure["data"]}
    raise AssertionError(f"no chart titled {title!r}")


def test_growth_can_come_from_the_semrush_history(app_test, demo_data_dir):
    from lib.semrush.site_scores import BACKLINKS_HISTORY
    from lib.workspaces import set_setting

    set_setting("demo", BACKLINKS_HISTORY, HISTORY, demo_data_dir)
    at = app_test(PAGE)
    at.run()
    choice = at.radio(key="overview_growth_source")
    assert choice.options == ["Your backlinks' first and last seen dates", "Semrush's monthly history (API)"]
    assert growth_bars(at, "Referring domains gained")["Live referring domains"] != [90, 95]
    choice.set_value("Semrush's monthly history (API)").run()
    assert not at.exception
    bars = growth_bars(at, "Referring domains gained")
    assert bars["Gained"] == [7, 9] and bars["Lost"] == [-2, -4] and bars["Live referring domains"] == [90, 95]
    assert "From Semrush's Backlinks history" in " ".join(c.value for c in at.caption)


def test_a_workspace_with_only_the_semrush_history_still_shows_growth(app_test, data_dir):
    from lib.semrush.site_scores import BACKLINKS_HISTORY
    from lib.workspaces import set_setting

    acme = create_workspace("Acme", "acme.com", root=data_dir)
    set_setting(acme.id, BACKLINKS_HISTORY, HISTORY, data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = acme.id
    at.run()
    assert not at.exception
    assert not at.radio  # one source: nothing to choose
    assert growth_bars(at, "Backlinks gained")["Live backlinks"] == [900, 950]
