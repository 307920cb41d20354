"""lib.outreach: adding prospects, optimistic-concurrency saves, validation, export/import round trips."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandas.testing as pdt
import pytest

from lib import outreach
from lib.workspaces import create_workspace

FORMULA_NOTE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def root(data_dir):
    create_workspace("Site", "site.com", workspace_id="w", root=data_dir)
    create_workspace("Other", "other.com", workspace_id="v", root=data_dir)
    return data_dir


def test_add_prospects_adds_new_domains_once(root):
    assert outreach.add_prospects("w", ["https://www.Alpha.com/page", "beta.org", "alpha.com", ""], "gap",
                                  root, notes={"beta.org": "links to 3 competitors"},
                                  target_url="https://site.com/guide") == 2
    frame = outreach.outreach_list("w", root)
    assert frame["domain"].tolist() == ["alpha.com", "beta.org"]
    assert frame["status"].tolist() == ["new", "new"]
    assert frame["note"].tolist() == ["", "links to 3 competitors"]
    assert frame["source"].tolist() == ["gap", "gap"]
    assert frame["target_url"].tolist() == ["https://site.com/guide"] * 2
    assert frame["version"].tolist() == [1, 1]
    assert frame["last_contact"].isna().all() and frame["next_follow_up"].isna().all()
    assert str(frame["last_contact"].dtype) == "datetime64[ns]" and str(frame["added_at"].dtype) == "datetime64[ns]"
    # another workspace's list is separate
    assert outreach.outreach_list("v", root).empty


def test_adding_again_never_resets_a_status(root):
    outreach.add_prospects("w", ["alpha.com"], "gap", root)
    loaded = outreach.outreach_list("w", root)
    edited = loaded.assign(status="contacted", contact="ann@alpha.com")
    assert outreach.save_edits("w", edited, root).saved == ("alpha.com",)
    assert outreach.add_prospects("w", ["alpha.com", "gamma.net"], "lost links", root,
                                  notes={"alpha.com": "overwrite?"}) == 1
    row = outreach.outreach_list("w", root).set_index("domain").loc["alpha.com"]
    assert (row["status"], row["contact"], row["note"], row["source"], row["version"]) == \
        ("contacted", "ann@alpha.com", "", "gap", 2)


def test_empty_list_has_the_columns(root):
    frame = outreach.outreach_list("w", root)
    assert tuple(frame.columns) == outreach.COLUMNS and frame.empty
    assert str(frame["version"].dtype) == "int64"


def test_save_edits_writes_changed_rows_and_bumps_their_version(root):
    outreach.add_prospects("w", ["a.com", "b.com", "c.com"], "gap", root)
    loaded = outreach.outreach_list("w", root)
    edited = loaded.astype({"last_contact": object, "next_follow_up": object})
    edited.loc[0, ["status", "next_follow_up", "note"]] = ["to contact", "2026-03-02", "  ask for a review "]
    edited.loc[2, "last_contact"] = dt.date(2026, 2, 20)
    result = outreach.save_edits("w", edited, root)
    assert result.ok and result.saved == ("a.com", "c.com") and result.unchanged == 1
    after = outreach.outreach_list("w", root).set_index("domain")
    assert after.loc["a.com", ["status", "note"]].tolist() == ["to contact", "ask for a review"]
    assert after.loc["a.com", "next_follow_up"] == pd.Timestamp("2026-03-02")
    assert after.loc["c.com", "last_contact"] == pd.Timestamp("2026-02-20")
    assert after["version"].to_dict() == {"a.com": 2, "b.com": 1, "c.com": 2}


def test_a_row_another_tab_saved_is_a_conflict_and_not_overwritten(root):
    outreach.add_prospects("w", ["a.com", "b.com"], "gap", root)
    tab1 = outreach.outreach_list("w", root)
    tab2 = outreach.outreach_list("w", root)
    assert outreach.save_edits("w", tab1.assign(note=["tab one", ""]), root).saved == ("a.com",)
    # tab two still holds version 1 of a.com; its b.com edit is independent
    result = outreach.save_edits("w", tab2.assign(note=["tab two", "tab two on b"]), root)
    assert result.conflicts == ("a.com",) and result.saved == ("b.com",) and not result.ok
    stored = outreach.outreach_list("w", root).set_index("domain")["note"].to_dict()
    assert stored == {"a.com": "tab one", "b.com": "tab two on b"}
    # after reloading, tab two can save on top of tab one
    reloaded = outreach.outreach_list("w", root)
    assert outreach.save_edits("w", reloaded.assign(note=["tab two", "tab two on b"]), root).saved == ("a.com",)


def test_removing_rows_only_when_unchanged_since_loaded(root):
    outreach.add_prospects("w", ["a.com", "b.com", "c.com"], "gap", root)
    loaded = outreach.outreach_list("w", root)
    outreach.save_edits("w", loaded[loaded["domain"] == "b.com"].assign(status="won"), root)
    result = outreach.save_edits("w", loaded.iloc[[]], root, deleted=loaded[["domain", "version"]].iloc[:2])
    assert result.removed == ("a.com",) and result.conflicts == ("b.com",)
    assert outreach.outreach_list("w", root)["domain"].tolist() == ["b.com", "c.com"]
    # a row removed by another tab cannot be saved back by an old editor
    result = outreach.save_edits("w", loaded[loaded["domain"] == "a.com"].assign(note="late"), root)
    assert result.conflicts == ("a.com",) and outreach.outreach_list("w", root)["domain"].tolist() == ["b.com", "c.com"]


def test_invalid_values_are_reported_by_row_and_column_and_nothing_is_written(root):
    outreach.add_prospects("w", ["a.com", "b.com", "c.com"], "gap", root)
    loaded = outreach.outreach_list("w", root)
    edited = loaded.astype({"last_contact": object, "next_follow_up": object})
    edited.loc[0, "note"] = "valid change that must not be written"
    edited.loc[1, "status"] = "maybe"
    edited.loc[2, "next_follow_up"] = "31/12/2026"
    edited.loc[2, "last_contact"] = "2026-02-30"
    result = outreach.save_edits("w", edited, root)
    assert [(p.row, p.domain, p.column, p.value) for p in result.problems] == [
        (2, "b.com", "status", "maybe"),
        (3, "c.com", "last_contact", "2026-02-30"),
        (3, "c.com", "next_follow_up", "31/12/2026"),
    ]
    assert "YYYY-MM-DD" in result.problems[1].message and "to contact" in result.problems[0].message
    assert not result.saved and not result.ok
    pdt.assert_frame_equal(outreach.outreach_list("w", root), loaded)


def test_status_is_read_liberally_and_empty_status_is_refused(root):
    assert outreach.parse_status(" To_Contact ") == "to contact"
    assert outreach.parse_status("WON") == "won"
    outreach.add_prospects("w", ["a.com"], "gap", root)
    result = outreach.save_edits("w", outreach.outreach_list("w", root).assign(status=None), root)
    assert [(p.row, p.column) for p in result.problems] == [(1, "status")]


def test_counts_and_due_this_week():
    frame = pd.DataFrame({
        "domain": ["a.com", "b.com", "c.com", "d.com", "e.com"],
        "status": ["contacted", "won", "to contact", "new", "replied"],
        "next_follow_up": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-09", "2026-03-10", None]),
    })
    assert outreach.status_counts(frame) == {"new": 1, "to contact": 1, "contacted": 1, "replied": 1, "won": 1,
                                             "declined": 0}
    # overdue a.com and c.com on the 7th day are due; won b.com, d.com on day 8 and e.com without a date are not
    assert outreach.due(frame, dt.date(2026, 3, 2))["domain"].tolist() == ["a.com", "c.com"]


def _tracker(root) -> pd.DataFrame:
    outreach.add_prospects("w", ["alpha.com", "beta.org", "gamma.net"], "gap", root,
                           notes={"alpha.com": FORMULA_NOTE, "beta.org": "-20% if they link"},
                           target_url="https://site.com/guide")
    loaded = outreach.outreach_list("w", root).astype({"next_follow_up": object, "last_contact": object})
    loaded.loc[0, ["status", "contact", "next_follow_up"]] = ["contacted", "@alpha_editor", "2026-04-01"]
    loaded.loc[1, ["status", "last_contact"]] = ["replied", "2026-03-15"]
    loaded.loc[2, "note"] = "+1 555 0100, ask Élodie; semicolons; and \"quotes\"\nsecond line"
    loaded.loc[2, "contact"] = "'=typed with its own apostrophe"  # must come back exactly as typed
    assert outreach.save_edits("w", loaded, root).ok
    return outreach.outreach_list("w", root)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_import_round_trip(root, kind):
    original = _tracker(root)
    data = outreach.export_csv("w", root) if kind == "csv" else outreach.export_xlsx("w", root)
    # formulas are escaped in the file itself
    if kind == "csv":
        text = data.decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'@alpha_editor" in text and "'-20%" in text
    result = outreach.import_outreach("v", data, f"outreach.{kind}", root)
    assert result.ok and result.added == ("alpha.com", "beta.org", "gamma.net") and not result.ignored_columns
    back = outreach.outreach_list("v", root)
    compare = [c for c in outreach.COLUMNS if c not in ("updated_at", "version")]
    pdt.assert_frame_equal(back[compare], original[compare])
    assert back.loc[0, "note"] == FORMULA_NOTE
    # importing the same file into the same list changes nothing
    again = outreach.import_outreach("w", data, f"outreach.{kind}", root)
    assert again.ok and again.unchanged == 3 and not again.added and not again.updated
    pdt.assert_frame_equal(outreach.outreach_list("w", root), original)


def test_import_updates_given_columns_and_keeps_the_rest(root):
    _tracker(root)
    before = outreach.outreach_list("w", root).set_index("domain")
    data = ("DOMAIN;  Next Follow-Up ;Notes;Status;Owner\n"
            "alpha.com;2026-05-01;'=SUM(A1);;me\n"
            "www.delta.io;;found at a meetup;To Contact;me\n").encode("utf-8")
    result = outreach.import_outreach("w", data, "edited.csv", root)
    assert result.ok and result.added == ("delta.io",) and result.updated == ("alpha.com",)
    assert result.ignored_columns == ("Owner",)
    after = outreach.outreach_list("w", root).set_index("domain")
    alpha = after.loc["alpha.com"]
    assert alpha["next_follow_up"] == pd.Timestamp("2026-05-01") and alpha["note"] == "=SUM(A1)"
    # an empty status keeps the stored one; columns not in the file are untouched
    assert (alpha["status"], alpha["contact"], alpha["version"]) == ("contacted", "@alpha_editor",
                                                                     before.loc["alpha.com", "version"] + 1)
    assert after.loc["delta.io", ["status", "note", "source"]].tolist() == ["to contact", "found at a meetup",
                                                                            "import"]
    pdt.assert_frame_equal(after.loc[["beta.org", "gamma.net"]], before.loc[["beta.org", "gamma.net"]])


def test_import_reports_bad_rows_by_line_and_column_and_writes_nothing(root):
    original = _tracker(root)
    data = (b"domain,status,last contact,next follow up\n"
            b"alpha.com,won,2026-03-01,\n"
            b"\n"
            b"not a domain,maybe,yesterday,2026-13-01\n"
            b"alpha.com,won,,\n"
            b",new,,\n")
    result = outreach.import_outreach("w", data, "bad.csv", root)
    assert not result.ok and result.error is None
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (4, "domain", "not a domain"), (4, "status", "maybe"), (4, "last_contact", "yesterday"),
        (4, "next_follow_up", "2026-13-01"), (5, "domain", "alpha.com"), (6, "domain", ""),
    ]
    assert "line 2" in result.problems[4].message
    pdt.assert_frame_equal(outreach.outreach_list("w", root), original)


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"", "empty.csv", "empty.csv is empty"),
    (b"page,price\nx.com,3\n", "other.csv", "no domain column on line 1 (found: page, price)"),
    (b"\x00\x01\x02\xff" * 50, "random.csv", "binary data"),
    (b"PK\x03\x04 not really a workbook", "broken.xlsx", "damaged Excel file"),
])
def test_unreadable_files_are_refused_whole(root, data, name, expected):
    original = _tracker(root)
    result = outreach.import_outreach("w", data, name, root)
    assert not result.ok and expected in result.error
    pdt.assert_frame_equal(outreach.outreach_list("w", root), original)


def test_semicolon_utf16_file_from_excel(root):
    text = "Domain\tStatus\tContact\nécole.fr\tWon\tJosé\n"
    result = outreach.import_outreach("w", text.encode("utf-16"), "excel.txt", root)
    assert result.ok, result
    row = outreach.outreach_list("w", root).iloc[0]
    assert (row["domain"], row["status"], row["contact"]) == ("école.fr", "won", "José")


def test_rows_not_touched_by_a_tab_are_no_conflict_when_its_original_is_given(root):
    outreach.add_prospects("w", ["a.com", "b.com", "c.com"], "gap", root)
    tab1 = outreach.outreach_list("w", root)
    tab2 = outreach.outreach_list("w", root)
    assert outreach.save_edits("w", tab1.assign(note=["one", "", ""]), root, original=tab1).saved == ("a.com",)
    # tab two changed only c.com; its stale but untouched a.com is skipped, not a conflict
    edited = tab2.copy()
    edited.loc[2, "status"] = "Maybe"  # invalid: reported as the editor's row 3
    assert [(p.row, p.domain) for p in outreach.save_edits("w", edited, root, original=tab2).problems] == \
        [(3, "c.com")]
    edited.loc[2, "status"] = "won"
    result = outreach.save_edits("w", edited, root, original=tab2)
    assert result.ok and result.saved == ("c.com",) and result.unchanged == 2
    assert outreach.outreach_list("w", root)["note"].tolist() == ["one", "", ""]
    # the same edit made in both tabs is no conflict either
    tab3 = outreach.outreach_list("w", root)
    assert outreach.save_edits("w", tab3.head(1).assign(status="replied"), root).ok
    same = outreach.save_edits("w", tab3.head(1).assign(status="replied"), root, original=tab3)
    assert same.ok and same.unchanged == 1 and not same.saved
    assert outreach.changed_rows(tab3, tab3.assign(note=["one", "", " "])).empty


def test_the_list_survives_a_new_import_of_data(root):
    from lib.importer import import_bytes
    from lib.workspaces import get_workspace
    from tests.export_fixtures import export_csv

    original = _tracker(root)
    [outcome] = import_bytes(get_workspace("w", root), export_csv("backlinks").encode(), "site.com-backlinks.csv",
                             root=root)
    assert not outcome.error and outcome.snapshot is not None
    pdt.assert_frame_equal(outreach.outreach_list("w", root), original)
