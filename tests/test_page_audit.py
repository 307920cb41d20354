"""AppTest of the Audit page on the demo workspace: queue, decisions that persist, disavow file, Semrush, reclaim."""

from __future__ import annotations

from datetime import date

import pytest

from lib import decisions, disavow, snapshots
from lib.analysis import audit_compare
from lib.analysis.risk import MARKERS, RISKY_SCORE, RiskContext, domain_risk
from lib.workspaces import create_workspace, get_workspace

PAGE = "pages/audit.py"


def demo_frames(root):
    workspace = get_workspace("demo", root)
    return workspace, {kind: snapshots.load_frame(snapshots.latest_snapshot("demo", kind, workspace.own_domain,
                                                                             root), root)
                       for kind in ("backlinks", "referring_domains", "audit")}


def expected_risk(root):
    workspace, frames = demo_frames(root)
    return domain_risk(frames["backlinks"], frames["referring_domains"],
                       RiskContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords))


def run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def page(app_test, demo_data_dir):
    return run(app_test(PAGE))


@pytest.fixture
def downloads(monkeypatch):
    """Every download button's bytes, by file name, as the browser would receive them."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    captured: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            captured[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return captured


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def queue_table(at):
    return next(d.value for d in at.dataframe if "risk_score" in d.value.columns and "anchors" in d.value.columns)


def test_stance_weights_and_queue_sorted_by_risk(page, demo_data_dir):
    assert any("ignores most spammy links on its own" in i.value and "last resort" in i.value for i in page.info)
    weights = next(d.value for d in page.dataframe if "weight" in d.value.columns)
    assert weights["marker"].tolist()[:2] == ["low_authority", "link_network"] and len(weights) == len(MARKERS)
    expected = expected_risk(demo_data_dir)
    shown = queue_table(page)
    assert len(shown) == len(expected)
    assert shown["risk_score"].tolist() == sorted(shown["risk_score"].tolist(), reverse=True)
    assert shown["domain"].iloc[0] == expected["domain"].iloc[0]
    assert set(shown["decision"]) == {"Undecided"}
    risky = int((expected["risk_score"] >= RISKY_SCORE).sum())
    assert metric(page, "Risky domains") == f"{risky:,}"
    assert metric(page, "Domains decided") == f"0 of {len(expected):,}"
    assert metric(page, "Risky links reviewed") == "0%"


def test_a_decision_made_on_the_page_persists_in_a_fresh_session(app_test, page, demo_data_dir):
    target = str(queue_table(page)["domain"].iloc[0])
    page.multiselect(key="audit_pick").set_value([target])
    run(page)
    page.radio(key="audit_domain_form_decision").set_value("disavow")
    page.text_input(key="audit_domain_form_note").set_value("paid link network")
    assert page.checkbox(key="audit_domain_form_private").value  # notes are private unless shared
    page.checkbox(key="audit_domain_form_private").uncheck()
    page.button(key="FormSubmitter:audit_domain_form-Save for 1 domain").click()
    run(page)
    assert not decisions.decisions_for("demo", demo_data_dir)["note_private"].iloc[0]
    fresh = run(app_test(PAGE))
    assert metric(fresh, "Domains decided").startswith("1 of ")
    assert metric(fresh, "Disavow decisions") == "1"
    row = queue_table(fresh).set_index("domain").loc[target]
    assert (row["decision"], row["note"]) == ("Disavow", "paid link network")
    stored = decisions.decisions_for("demo", demo_data_dir)
    assert stored[["item", "scope", "decision", "source"]].values.tolist() == [[target, "domain", "disavow",
                                                                               "manual"]]
    assert decisions.decision_history("demo", target, demo_data_dir)["decision"].tolist() == ["disavow"]


def test_bulk_decision_on_a_table_selection(page, demo_data_dir):
    table = queue_table(page)
    key = next(d.key for d in page.dataframe if "anchors" in d.value.columns)
    page.session_state[key] = {"selection": {"rows": [0, 1, 2], "columns": [], "cells": []}}
    run(page)
    page.radio(key="audit_domain_form_decision").set_value("remove")
    page.button(key="FormSubmitter:audit_domain_form-Save for 3 domains").click()
    run(page)
    stored = decisions.decisions_for("demo", demo_data_dir)
    assert sorted(stored["item"]) == sorted(table["domain"].head(3))
    assert set(stored["decision"]) == {"remove"}
    assert metric(page, "Domains decided").startswith("3 of ")


def test_disavow_download_holds_exactly_the_disavowed_domains(app_test, demo_data_dir, downloads):
    ranked = expected_risk(demo_data_dir)["domain"].tolist()
    decisions.set_decisions("demo", ranked[:3], "disavow", "network", root=demo_data_dir)
    decisions.set_decisions("demo", ranked[3:5], "keep", root=demo_data_dir)
    decisions.set_decisions("demo", ranked[5], "remove", root=demo_data_dir)
    at = run(app_test(PAGE))
    name = f"alpinebrew.com-disavow-{date.today().isoformat()}.txt"
    assert name in downloads
    parsed = disavow.parse_disavow(downloads[name])
    assert parsed.problems == []
    assert sorted(parsed.domains) == sorted(ranked[:3]) and parsed.urls == []
    assert any("3 domains and 0 single URLs" in c.value for c in at.caption)


def test_nothing_to_download_without_disavow_decisions(page):
    button = page.get("download_button")
    disavow_button = next(b for b in button if b.proto.id.endswith("audit_disavow_download"))
    assert disavow_button.proto.disabled
    assert any("No disavow decisions yet" in c.value for c in page.caption)


def test_importing_a_disavow_file_makes_decisions_and_shows_the_difference(app_test, page, demo_data_dir):
    ranked = expected_risk(demo_data_dir)["domain"].tolist()
    decisions.set_decisions("demo", ranked[1], "keep", "we know them", root=demo_data_dir)
    old_file = (f"\ufeff# old file\r\ndomain:{ranked[0]}\r\ndomain:{ranked[1]}\r\n"
                "https://forum.example.org/t?id=1\r\nnot an entry\r\n").encode()
    page = run(app_test(PAGE))
    page.file_uploader(key="audit_import").upload("disavow-2023.txt", old_file, "text/plain")
    run(page)
    assert any("1 lines could not be read" in w.value for w in page.warning)
    page.button(key="audit_import_button").click()
    run(page)
    stored = decisions.decisions_for("demo", demo_data_dir).set_index("item")
    assert stored.loc[ranked[0], ["decision", "source"]].tolist() == ["disavow", "import"]
    assert stored.loc["https://forum.example.org/t?id=1", "decision"] == "disavow"
    assert stored.loc[ranked[1], "decision"] == "keep"  # the hand-made decision stays
    # The new file drops the kept domain: it "removes" one entry and adds none.
    fresh = run(app_test(PAGE))
    text = " ".join(m.value for m in fresh.markdown)
    assert "adds 0** entries and **removes 1**" in text
    removed = next(d.value for d in fresh.dataframe if list(d.value.columns) == ["removed"])
    assert removed["removed"].tolist() == [f"domain:{ranked[1]}"]


def test_semrush_comparison_matches_lib(page, demo_data_dir):
    _, frames = demo_frames(demo_data_dir)
    expected = audit_compare.compare_with_semrush(expected_risk(demo_data_dir), frames["audit"])
    shown = next(d.value for d in page.dataframe if "meaning" in d.value.columns)
    assert shown["agreement"].tolist() == list(audit_compare.AGREEMENT)
    assert shown["domains"].tolist() == expected.agreement["domains"].tolist()
    assert any(f"{len(expected.domains):,} audited domains" in c.value for c in page.caption)


def test_broken_pages_from_indexed_pages_feed_the_reclaim_list(page, demo_data_dir):
    assert metric(page, "Links to broken pages") == "0"
    lost = int(metric(page, "Lost links").replace(",", ""))
    page.button(key="audit_mark_candidates").click()
    run(page)
    broken = decisions.broken_pages("demo", demo_data_dir)
    indexed = snapshots.load_frame(snapshots.latest_snapshot("demo", "indexed_pages", "alpinebrew.com",
                                                             demo_data_dir), demo_data_dir)
    errors = indexed.loc[indexed["response_code"].fillna(0) >= 400, "target_url"]
    assert broken == sorted(errors) and len(broken) == 2
    assert page.multiselect(key="audit_broken_pages").value == broken
    to_broken = int(metric(page, "Links to broken pages").replace(",", ""))
    assert to_broken > 0
    assert int(metric(page, "Links to reclaim").replace(",", "")) <= lost + to_broken
    reclaim = next(d.value for d in page.dataframe if "why" in d.value.columns)
    assert reclaim["why"].str.contains("target broken").sum() == min(to_broken, len(reclaim))
    # Unmarking one page through the widget is stored too.
    page.multiselect(key="audit_broken_pages").set_value(broken[:1])
    run(page)
    assert decisions.broken_pages("demo", demo_data_dir) == broken[:1]


def test_presentation_mode_hides_private_notes_and_the_import(app_test, demo_data_dir):
    ranked = expected_risk(demo_data_dir)["domain"].tolist()
    decisions.set_decisions("demo", ranked[0], "disavow", "secret client note", root=demo_data_dir)
    decisions.set_decisions("demo", ranked[1], "remove", "asked for removal on 3 May", root=demo_data_dir,
                            private=False)
    at = app_test(PAGE)
    at.query_params["present"] = "1"
    run(at)
    assert not at.file_uploader
    notes = queue_table(at).set_index("domain")["note"]
    assert notes[ranked[1]] == "asked for removal on 3 May"  # shared with the client
    assert notes[ranked[0]] == ""  # private
    assert any("hidden in presentation mode" in c.value for c in at.caption)
    at.text_input(key="audit_search").set_value("secret")
    run(at)
    assert queue_table(at).empty  # a search does not find a private note either
    at.text_input(key="audit_search").set_value("")
    run(at)
    # The disavow file's comments carry notes: no download, and a preview without comment lines.
    assert "secret client note" not in str(at)
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("audit_disavow_download")]
    previews = [c.proto.code_text for c in at.get("code")]
    assert any(ranked[0] in text for text in previews)
    assert not any("secret client note" in text or text.lstrip().startswith("#") for text in previews)
    at.multiselect(key="audit_pick").set_value([ranked[0]])
    run(at)
    assert not [t for t in at.text_input if t.key == "audit_domain_form_note"]
    shown = [str(v) for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel()]
    assert not any("secret client note" in v for v in shown)
    # Saving a decision while presenting keeps the note it could not show.
    at.radio(key="audit_domain_form_decision").set_value("keep")
    at.button(key="FormSubmitter:audit_domain_form-Save for 1 domain").click()
    run(at)
    stored = decisions.decisions_for("demo", demo_data_dir).set_index("item").loc[ranked[0]]
    assert (stored["decision"], stored["note"]) == ("keep", "secret client note")


def test_empty_workspace_asks_for_data(app_test, data_dir):
    workspace = create_workspace("Empty", "empty.com", root=data_dir)
    at = app_test(PAGE)
    at.session_state["workspace_id"] = workspace.id
    run(at)
    assert any("needs a Semrush **Backlinks**" in i.value and "**Referring Domains**" in i.value for i in at.info)
    assert not at.metric and not at.tabs


def test_a_single_url_decided_on_the_page_goes_into_the_file_as_a_url(app_test, page, demo_data_dir, downloads):
    target = str(queue_table(page)["domain"].iloc[0])
    page.multiselect(key="audit_pick").set_value([target])
    run(page)
    links = next(d for d in page.dataframe if "source_url" in d.value.columns and "risk_score" in d.value.columns)
    url = str(links.value["source_url"].iloc[0])
    page.session_state[links.key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    run(page)
    page.radio(key="audit_url_form_decision").set_value("disavow")
    page.text_input(key="audit_url_form_note").set_value("one paid post")
    page.button(key="FormSubmitter:audit_url_form-Save for 1 URL").click()
    run(page)
    stored = decisions.decisions_for("demo", demo_data_dir)
    assert stored[["item", "scope", "decision", "note"]].values.tolist() == [
        [decisions.url_key(url), "url", "disavow", "one paid post"]]
    fresh = run(app_test(PAGE))
    parsed = disavow.parse_disavow(next(v for k, v in downloads.items() if k.endswith(".txt")))
    assert parsed.urls == [decisions.url_key(url)] and parsed.domains == []
    assert metric(fresh, "Domains decided").startswith("0 of ")
    assert metric(fresh, "Risky links reviewed") == "<1%"  # the URL of a risky domain counts as reviewed


def test_home_countries_saved_on_the_data_page_score_foreign_domains_on_the_audit_page(app_test, page,
                                                                                        demo_data_dir):
    from lib.countries import home_countries

    before = queue_table(page).set_index("domain")
    assert not before["markers"].str.contains("country_mismatch").any()  # no home countries: quiet
    data = run(app_test("pages/data.py"))
    pick = next(m for m in data.multiselect if m.label == "Home countries")
    assert "US" in pick.options[0]  # the demo's most common country, offered from its referring domains
    pick.set_value(["us", "gb"])
    next(b for b in data.button if b.label == "Save home countries").click()
    run(data)
    assert home_countries("demo", demo_data_dir) == ("US", "GB")
    workspace, frames = demo_frames(demo_data_dir)
    countries = frames["referring_domains"].set_index("root_domain")["country"].str.upper()
    expected = domain_risk(frames["backlinks"], frames["referring_domains"],
                           RiskContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords,
                                       ("US", "GB"))).set_index("domain")
    after = queue_table(run(app_test(PAGE))).set_index("domain")
    assert after["risk_score"].to_dict() == expected["risk_score"].to_dict()
    foreign = [d for d in after.index if countries.get(d, "US") not in ("US", "GB", "")]
    assert foreign and all("country_mismatch" in after.loc[d, "markers"] for d in foreign)
    weight = MARKERS["country_mismatch"].weight
    assert all(after.loc[d, "risk_score"] == min(100, before.loc[d, "risk_score"] + weight) for d in foreign)
    home = after[~after.index.isin(foreign)]
    assert (home["risk_score"] == before.loc[home.index, "risk_score"]).all()


def test_a_bad_home_country_is_refused_with_its_name(app_test, demo_data_dir):
    from lib.countries import home_countries

    data = run(app_test("pages/data.py"))
    next(m for m in data.multiselect if m.label == "Home countries").set_value(["US", "UK"])
    next(b for b in data.button if b.label == "Save home countries").click()
    run(data)
    assert any("'UK' (did you mean GB?)" in e.value for e in data.error)
    assert home_countries("demo", demo_data_dir) == ()


def test_semrush_actions_become_decisions_only_for_chosen_domains_after_confirmation(app_test, demo_data_dir):
    _, frames = demo_frames(demo_data_dir)
    compared = audit_compare.compare_with_semrush(expected_risk(demo_data_dir), frames["audit"]).domains
    by_status = {s: compared.loc[compared["status"] == s, "domain"].tolist() for s in ("disavow", "remove",
                                                                                      "whitelist")}
    disavowed, removed, (kept, by_hand, *_) = by_status["disavow"][0], by_status["remove"][0], by_status["whitelist"]
    decisions.set_decisions("demo", [by_hand], "disavow", "paid link, checked", root=demo_data_dir)
    at = run(app_test(PAGE))
    pick = next(m for m in at.multiselect if m.label.startswith("Tick rows above, or pick audited domains"))
    assert set(pick.options) == {*by_status["disavow"], *by_status["remove"], *by_status["whitelist"]}
    pick.set_value([disavowed, removed, kept, by_hand])
    run(at)
    assert any("4 domains chosen: 1 → Disavow; 1 → Remove (ask the site); 1 → Keep; 1 keep the decision already "
               "made." in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Use Semrush's actions for 3 domains…").click()
    run(at)
    assert any(w.value.startswith("Save these decisions (1 → Disavow; 1 → Remove (ask the site); 1 → Keep)?")
               for w in at.warning)
    stored = decisions.decisions_for("demo", demo_data_dir)
    assert stored["item"].tolist() == [by_hand]  # nothing written before the confirmation
    next(b for b in at.button if b.label == "Yes, use them").click()
    run(at)
    stored = decisions.decisions_for("demo", demo_data_dir).set_index("item")
    assert stored[["decision", "source"]].to_dict("index") == {
        disavowed: {"decision": "disavow", "source": "semrush audit"},
        removed: {"decision": "remove", "source": "semrush audit"},
        kept: {"decision": "keep", "source": "semrush audit"},
        by_hand: {"decision": "disavow", "source": "manual"},  # Semrush says whitelist; the user's choice stays
    }
    assert stored.loc[disavowed, "note"].startswith("Semrush Backlink Audit action (")
    assert not any(w.value.startswith("Save these decisions") for w in at.warning)  # the confirmation is gone


def test_presentation_mode_offers_no_semrush_actions(app_test, demo_data_dir):
    at = app_test(PAGE)
    at.query_params["present"] = "1"
    run(at)
    assert any("Using Semrush's actions as decisions" in c.value for c in at.caption)
    assert not any(m.label.startswith("Tick rows above, or pick audited domains") for m in at.multiselect)
    assert not any(b.label.startswith("Use Semrush's actions") for b in at.button)
