"""AppTest of the Outreach page on the demo workspace: empty state, counts, due list, editing, conflicts, import."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from lib import outreach

PAGE = "pages/outreach.py"


def _run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _editor(at):
    [editor] = at.data_editor
    return editor


def _table_with(at, column: str) -> pd.DataFrame:
    """The one read-only table (not the editor) that has `column`: the due list, a problem or conflict list."""
    [frame] = [d.value for d in at.dataframe if d not in at.data_editor and column in d.value.columns]
    return frame


def _edit(at, edited_rows: dict | None = None, deleted_rows: list | None = None):
    """What a user does in the browser: change cells / remove rows in the editor, then press Save."""
    at.session_state[_editor(at).key] = {"edited_rows": edited_rows or {}, "added_rows": [],
                                         "deleted_rows": deleted_rows or []}
    at.button(key="FormSubmitter:outreach_form-Save changes").click()
    return _run(at)


@pytest.fixture
def prospects(demo_data_dir):
    outreach.add_prospects("demo", ["alpha-roasters.com", "beta-brew.net", "gamma-grind.org"], "gap",
                           demo_data_dir, notes={"beta-brew.net": "private: met at a fair"})
    return demo_data_dir


def test_empty_list_says_where_to_add_prospects(app_test, demo_data_dir):
    at = _run(app_test(PAGE))
    assert any("outreach list is empty" in i.value for i in at.info)
    links = [link.proto.page for link in at.page_link]
    assert {"referring_domains", "new_lost"} <= set(links)
    assert len(at.file_uploader) == 1  # a list kept elsewhere can be imported straight away
    assert not at.data_editor and not at.metric


def test_counts_due_list_and_editor_show_the_stored_list(app_test, prospects):
    today = date.today()
    loaded = outreach.outreach_list("demo", prospects).astype({"next_follow_up": object})
    loaded.loc[0, ["status", "next_follow_up"]] = ["contacted", (today - timedelta(days=2)).isoformat()]
    loaded.loc[1, ["status", "next_follow_up"]] = ["to contact", (today + timedelta(days=3)).isoformat()]
    loaded.loc[2, ["status", "next_follow_up"]] = ["won", today.isoformat()]  # won: nothing to follow up
    assert outreach.save_edits("demo", loaded, prospects).ok
    at = _run(app_test(PAGE))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"New": "0", "To contact": "1", "Contacted": "1", "Replied": "0", "Won": "1", "Declined": "0",
                       "Due": "2"}
    due = _table_with(at, "when")
    assert due["domain"].tolist() == ["alpha-roasters.com", "beta-brew.net"]
    assert due["when"].tolist() == ["2 days overdue", "in 3 days"]
    shown = _editor(at).value
    assert shown["domain"].tolist() == ["alpha-roasters.com", "beta-brew.net", "gamma-grind.org"]
    assert shown["status"].tolist() == ["contacted", "to contact", "won"]


def test_status_filter_narrows_the_editor(app_test, prospects):
    outreach.save_edits("demo", outreach.outreach_list("demo", prospects).head(1).assign(status="replied"), prospects)
    at = _run(app_test(PAGE))
    at.multiselect(key="outreach_status_filter").set_value(["replied"])
    _run(at)
    assert _editor(at).value["domain"].tolist() == ["alpha-roasters.com"]


def test_edit_in_the_editor_saves_and_survives_a_restart(app_test, prospects):
    at = _run(app_test(PAGE))
    _edit(at, {1: {"status": "contacted", "contact": "=cmd|' /C calc'!A0", "next_follow_up": "2026-03-04"}},
          deleted_rows=[2])
    assert any("1 saved, 1 removed" in s.value for s in at.success)
    stored = outreach.outreach_list("demo", prospects).set_index("domain")
    assert list(stored.index) == ["alpha-roasters.com", "beta-brew.net"]
    beta = stored.loc["beta-brew.net"]
    assert (beta["status"], beta["contact"], beta["next_follow_up"], beta["version"]) == \
        ("contacted", "=cmd|' /C calc'!A0", pd.Timestamp("2026-03-04"), 2)
    assert beta["note"] == "private: met at a fair"  # a column not edited is kept
    # a new server process (fresh AppTest) shows the saved list
    again = _run(app_test(PAGE))
    shown = _editor(again).value.set_index("domain")
    assert list(shown.index) == ["alpha-roasters.com", "beta-brew.net"]
    assert shown.loc["beta-brew.net", "status"] == "contacted"
    assert {m.label: m.value for m in again.metric}["Contacted"] == "1"


def test_a_row_changed_in_another_tab_is_reported_and_not_overwritten(app_test, prospects):
    at = _run(app_test(PAGE))
    # another tab saves alpha after this tab loaded the list
    other = outreach.outreach_list("demo", prospects)
    assert outreach.save_edits("demo", other.head(1).assign(status="replied", note="from tab two"), prospects).ok
    _run(at)
    assert any("changed since this tab loaded it" in i.value for i in at.info)
    _edit(at, {0: {"status": "declined"}, 2: {"note": "tab one's note"}})
    [warning] = at.warning
    assert "Not saved" in warning.value and "alpha" in warning.value and "1 saved" in warning.value
    # what this tab tried is shown, so it is not lost silently
    assert _table_with(at, "status")["status"].tolist() == ["Declined"]
    stored = outreach.outreach_list("demo", prospects).set_index("domain")
    assert stored.loc["alpha-roasters.com", ["status", "note"]].tolist() == ["replied", "from tab two"]
    assert stored.loc["gamma-grind.org", "note"] == "tab one's note"
    # the editor now holds the stored rows with their new versions
    shown = _editor(at).value.set_index("domain")
    assert shown.loc["alpha-roasters.com", "status"] == "replied"
    assert shown["version"].to_dict() == stored["version"].to_dict()


def test_tabs_editing_different_rows_keep_both_edits(app_test, prospects):
    tab_one = _run(app_test(PAGE))
    tab_two = _run(app_test(PAGE))
    _edit(tab_one, {0: {"note": "from tab one"}})
    _edit(tab_two, {2: {"status": "won"}})
    assert any("1 saved" in s.value for s in tab_two.success) and not tab_two.warning
    stored = outreach.outreach_list("demo", prospects).set_index("domain")
    assert stored.loc["alpha-roasters.com", "note"] == "from tab one"
    assert stored.loc["gamma-grind.org", "status"] == "won"
    assert _editor(tab_two).value.set_index("domain").loc["alpha-roasters.com", "note"] == "from tab one"


def test_add_by_hand_never_resets_a_status(app_test, prospects):
    outreach.save_edits("demo", outreach.outreach_list("demo", prospects).head(1).assign(status="won"), prospects)
    at = _run(app_test(PAGE))
    at.text_area(key="outreach_add_domains").set_value("https://www.Alpha-Roasters.com/about\ndelta-drip.io")
    at.button(key="FormSubmitter:outreach_add_form-Add to outreach").click()
    _run(at)
    assert any("1 added" in s.value for s in at.success)
    stored = outreach.outreach_list("demo", prospects).set_index("domain")
    assert stored.loc["alpha-roasters.com", "status"] == "won"
    assert stored.loc["delta-drip.io", ["status", "source"]].tolist() == ["new", "manual"]
    assert "delta-drip.io" in set(_editor(at).value["domain"])


def test_import_a_file_and_a_bad_file(app_test, prospects):
    at = _run(app_test(PAGE))
    before = outreach.outreach_list("demo", prospects)
    at.file_uploader(key="outreach_upload").upload("bad.csv", b"Domain,Status\nalpha-roasters.com,maybe\n", "text/csv")
    at.button(key="FormSubmitter:outreach_import_form-Import").click()
    _run(at)
    assert any("Nothing was changed" in e.value for e in at.error)
    problems = _table_with(at, "problem")
    assert problems[["line", "column", "value"]].values.tolist() == [[2, "status", "maybe"]]
    pd.testing.assert_frame_equal(outreach.outreach_list("demo", prospects), before)

    good = b"Domain,Status,Next follow-up\nalpha-roasters.com,Replied,2026-05-01\nepsilon-beans.com,,\n"
    at.file_uploader(key="outreach_upload").upload("good.csv", good, "text/csv")
    at.button(key="FormSubmitter:outreach_import_form-Import").click()
    _run(at)
    assert any("1 added, 1 updated" in s.value for s in at.success)
    shown = _editor(at).value.set_index("domain")
    assert shown.loc["alpha-roasters.com", "status"] == "replied"
    assert "epsilon-beans.com" in shown.index


def test_presentation_mode_hides_contacts_notes_and_import(app_test, prospects):
    at = app_test(PAGE)
    at.query_params["present"] = "1"
    _run(at)
    prospects_table = at.dataframe[-1].value
    # Read-only, and the private columns are not even in the data the browser receives.
    assert "note" not in prospects_table.columns and "contact" not in prospects_table.columns
    assert "status" in prospects_table.columns
    assert not [b for b in at.button if b.label == "Save changes"]
    assert not at.file_uploader and not at.text_area
    assert any("hidden in presentation mode" in c.value for c in at.caption)


def test_add_selected_referring_domains_to_outreach(app_test, demo_data_dir):
    at = _run(app_test("pages/referring_domains.py"))
    table = at.dataframe[0]
    first, second = (str(d) for d in table.value["domain"].iloc[:2])
    outreach.add_prospects("demo", [second], "gap", demo_data_dir)
    outreach.save_edits("demo", outreach.outreach_list("demo", demo_data_dir).assign(status="won"), demo_data_dir)
    at.session_state[table.key] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    _run(at)
    at.button(key="rd_add_outreach").click()
    _run(at)
    assert [t.value for t in at.toast] == ["1 added to Outreach; 1 were already on it."]
    stored = outreach.outreach_list("demo", demo_data_dir).set_index("domain")
    assert stored.loc[first, ["status", "source"]].tolist() == ["new", "referring domains"]
    assert stored.loc[second, ["status", "source"]].tolist() == ["won", "gap"]


def test_add_strong_lost_domains_to_outreach(app_test, demo_data_dir):
    at = _run(app_test("pages/new_lost.py"))
    label = at.button(key="nl_add_outreach").label
    at.button(key="nl_add_outreach").click()
    _run(at)
    stored = outreach.outreach_list("demo", demo_data_dir)
    assert label == f"Add the {len(stored):,} strong domains to outreach" and len(stored) > 0
    assert set(stored["source"]) == {"lost links"} and set(stored["status"]) == {"new"}
    assert stored["note"].str.match(r"Lost link to \S+ on \d{4}-\d\d-\d\d$").all()
    # the page opened afterwards lists them
    page = _run(app_test(PAGE))
    assert sorted(_editor(page).value["domain"]) == sorted(stored["domain"])


def test_marks_set_on_referring_domains_show_read_only_in_the_editor(app_test, prospects):
    from lib import marks

    marks.set_marks("demo", ["beta-brew.net"], "good", "", prospects)
    at = _run(app_test(PAGE))
    shown = _editor(at).value.set_index("domain")
    assert shown["your_mark"].to_dict() == {"alpha-roasters.com": "", "beta-brew.net": "Good", "gamma-grind.org": ""}
    # an edit saves as before; the mark column is not stored with the prospect
    _edit(at, {0: {"status": "contacted"}})
    assert any("1 saved" in s.value for s in at.success)
    stored = outreach.outreach_list("demo", prospects)
    assert "your_mark" not in stored.columns and stored.loc[0, "status"] == "contacted"
