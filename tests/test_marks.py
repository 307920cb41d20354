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
    assert list(marks.marks_for(workspace_id).columns) == ["domain", "mark", "note", "updated_at"]
    assert marks.set_marks(workspace_id, ["b.com", "a.com", "b.com"], "good", "  editorial links ") == 2
    assert marks.set_marks(workspace_id, "WWW.C.com", "review") == 1
    marks.set_marks(workspace_id, "a.com", "review", "odd footer link")
    table = marks.marks_for(workspace_id)
    assert table[["domain", "mark", "note"]].values.tolist() == [
        ["a.com", "review", "odd footer link"], ["b.com", "good", "editorial links"], ["c.com", "review", ""]]
    assert table["updated_at"].str.match(r"^\d{4}-\d\d-\d\dT").all()


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
