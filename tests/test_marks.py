"""Domain marks and category overrides: stored per workspace, survive a new connection, row-level upserts."""

from __future__ import annotations

import sqlite3

import pytest

from lib import marks
from lib.workspaces import create_workspace, delete_workspace


@pytest.fixture
def workspace_id(data_dir):
    return create_workspace("Site", "site.com").id


def test_marks_round_trip_and_upsert(workspace_id):
    assert marks.marks_for(workspace_id).empty
    assert list(marks.marks_for(workspace_id).columns) == ["domain", "mark", "note", "updated_at", "note_private"]
    assert marks.set_marks(workspace_id, ["b.com", "a.com", "b.com"], "good", "  editorial links ") == 2
    assert marks.set_marks(workspace_id, "WWW.C.com", "review") == 1
    marks.set_marks(workspace_id, "a.com", "review", "odd footer link")
    table = marks.marks_for(workspace_id)
    assert table[["domain", "mark", "note"]].values.tolist() == [
        ["a.com", "review", "odd footer link"], ["b.com", "good", "editorial links"], ["c.com", "review", ""]]
    assert table["updated_at"].str.match(r"^\d{4}-\d\d-\d\dT").all()


def test_notes_are_private_unless_shared_and_a_mark_without_a_note_keeps_it(workspace_id):
    marks.set_marks(workspace_id, ["a.com", "b.com"], "good", "met them at a fair")
    marks.set_marks(workspace_id, "c.com", "good", "editorial link", private=False)
    before = marks.marks_version(workspace_id)
    assert marks.marks_for(workspace_id)["note_private"].tolist() == [True, True, False]
    # changed on a shared screen: the mark changes, the note and its privacy stay
    marks.set_marks(workspace_id, ["a.com", "c.com", "d.com"], "review", None)
    table = marks.marks_for(workspace_id).set_index("domain")
    assert table["mark"].tolist() == ["review", "good", "review", "review"]
    assert table["note"].tolist() == ["met them at a fair", "met them at a fair", "editorial link", ""]
    assert table["note_private"].tolist() == [True, True, False, True]
    marks.set_marks(workspace_id, "b.com", "good", "met them at a fair", private=False)
    assert marks.marks_version(workspace_id) != before
    assert not marks.marks_for(workspace_id).set_index("domain").loc["b.com", "note_private"]


def test_marks_of_an_older_data_directory_get_the_privacy_column(older_data_dir):
    """Notes written before notes could be shared stay private."""
    data_dir = older_data_dir("""
        CREATE TABLE domain_marks (workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            domain TEXT NOT NULL, mark TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL, PRIMARY KEY (workspace_id, domain));
        INSERT INTO domain_marks VALUES ('old', 'a.com', 'review', 'owes us money', '2026-10-01T10:00:00+00:00');
    """)
    table = marks.marks_for("old", data_dir)
    assert table[["domain", "note", "note_private"]].values.tolist() == [["a.com", "owes us money", True]]
    marks.set_marks("old", "b.com", "good", "shared", data_dir, private=False)
    assert marks.marks_for("old", data_dir)["note_private"].tolist() == [True, False]


def test_marks_survive_a_new_connection_and_are_per_workspace(workspace_id, data_dir):
    other = create_workspace("Other", "other.com").id
    marks.set_marks(workspace_id, "a.com", "good")
    with sqlite3.connect(data_dir / "linkscope.db") as conn:
        stored = conn.execute("SELECT workspace_id, domain, mark FROM domain_marks").fetchall()
    assert stored == [(workspace_id, "a.com", "good")]
    assert marks.marks_for(other).empty
    assert marks.marks_for(workspace_id)["domain"].tolist() == ["a.com"]


def test_clear_marks_and_invalid_mark(workspace_id):
    marks.set_marks(workspace_id, ["a.com", "b.com"], "good")
    assert marks.clear_marks(workspace_id, "a.com") == 1
    assert marks.marks_for(workspace_id)["domain"].tolist() == ["b.com"]
    with pytest.raises(ValueError):
        marks.set_marks(workspace_id, "a.com", "bad")


def test_updating_one_domain_leaves_the_others_alone(workspace_id):
    # Two tabs: one marks a.com, the other b.com; neither write touches the other's row.
    marks.set_marks(workspace_id, "a.com", "good", "tab one")
    marks.set_marks(workspace_id, "b.com", "review", "tab two")
    marks.set_marks(workspace_id, "a.com", "good", "tab one again")
    assert dict(marks.marks_for(workspace_id)[["domain", "note"]].values.tolist()) == {
        "a.com": "tab one again", "b.com": "tab two"}


def test_category_overrides(workspace_id):
    assert marks.category_overrides(workspace_id) == {}
    assert marks.set_category(workspace_id, ["x.com", "y.com"], "partner") == 2
    marks.set_category(workspace_id, "y.com", "news")
    assert marks.category_overrides(workspace_id) == {"x.com": "partner", "y.com": "news"}
    marks.set_category(workspace_id, "x.com", None)
    assert marks.category_overrides(workspace_id) == {"y.com": "news"}
    with pytest.raises(ValueError):
        marks.set_category(workspace_id, "x.com", "blogs")


def test_deleting_the_workspace_deletes_its_decisions(workspace_id):
    marks.set_marks(workspace_id, "a.com", "good")
    marks.set_category(workspace_id, "a.com", "partner")
    delete_workspace(workspace_id)
    assert marks.marks_for(workspace_id).empty
    assert marks.category_overrides(workspace_id) == {}
