"""The monthly checklist: ticked from what the workspace shows was done, or by hand, per month."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from lib import decisions, marks, outreach, workflow
from lib.importer import import_bytes
from lib.workspaces import create_workspace
from tests.export_fixtures import export_csv

MONTH = pd.Timestamp.now(tz="UTC").strftime("%Y-%m")


@pytest.fixture
def workspace(data_dir):
    return create_workspace("Acme", "acme.com", competitors=["rival.com"], root=data_dir)


def evidence(workspace, data_dir, month=MONTH):
    return workflow.gather_evidence(workspace.id, month, data_dir)


def test_an_empty_workspace_shows_nothing_done(workspace, data_dir):
    found = evidence(workspace, data_dir)
    assert set(found) == {"analytics", "referring_domains", "audit", "gap", "export", "outreach"}
    assert all(count == 0 for count in found.values())
    items = workflow.checklist(MONTH, found, {})
    assert list(items["step"]) == list(workflow.STEP_KEYS)
    assert workflow.progress(items) == (0, 8)


def test_each_kind_of_work_ticks_its_step(workspace, data_dir):
    outcome = import_bytes(workspace, export_csv("backlinks").encode(), "acme-backlinks.csv", root=data_dir)
    assert outcome[0].ok, outcome[0].error
    marks.set_marks(workspace.id, ["a.com", "b.com"], "good", root=data_dir)
    decisions.set_decisions(workspace.id, ["spam.xyz"], "disavow", root=data_dir)
    outreach.add_prospects(workspace.id, ["blog.net", "news.org"], "gap", root=data_dir)
    workflow.record_event(workspace.id, "report_built", data_dir)

    found = evidence(workspace, data_dir)
    assert found == {"analytics": 1, "referring_domains": 2, "audit": 1, "gap": 2, "export": 1, "outreach": 2}
    items = workflow.checklist(MONTH, found, {}).set_index("step")
    assert items.loc[["analytics", "referring_domains", "audit", "gap", "export", "outreach"], "done"].all()
    assert not items.loc["anchors", "done"] and not items.loc["new_lost", "done"]  # nothing in data shows these
    assert items.loc["audit", "why"] == "review decisions made this month: 1"


def test_work_of_another_month_does_not_count(workspace, data_dir):
    marks.set_marks(workspace.id, ["a.com"], "good", root=data_dir)
    assert evidence(workspace, data_dir, "1999-01")["referring_domains"] == 0


def test_prospects_from_other_pages_do_not_tick_the_gap(workspace, data_dir):
    outreach.add_prospects(workspace.id, ["blog.net"], "referring domains", root=data_dir)
    found = evidence(workspace, data_dir)
    assert found["gap"] == 0 and found["outreach"] == 1


def test_the_demo_data_itself_is_not_work_done(demo_data_dir):
    assert all(count == 0 for count in workflow.gather_evidence("demo", MONTH, demo_data_dir).values())


def test_hand_ticks_are_stored_per_month_and_win_over_the_data(workspace, data_dir):
    workflow.set_tick(workspace.id, MONTH, "anchors", True, data_dir)
    workflow.set_tick(workspace.id, MONTH, "analytics", False, data_dir)
    workflow.set_tick(workspace.id, "1999-01", "new_lost", True, data_dir)
    hand = workflow.ticks(workspace.id, MONTH, data_dir)
    assert hand == {"anchors": True, "analytics": False}
    items = workflow.checklist(MONTH, {"analytics": 3}, hand).set_index("step")
    assert items.loc["anchors", "done"] and items.loc["anchors", "why"] == "ticked by hand"
    assert not items.loc["analytics", "done"] and items.loc["analytics", "why"] == "unticked by hand"
    assert workflow.ticks(workspace.id, "1999-01", data_dir) == {"new_lost": True}


def test_ticks_survive_a_new_connection(workspace, data_dir):
    workflow.set_tick(workspace.id, MONTH, "new_lost", True, data_dir)
    with sqlite3.connect(data_dir / "linkscope.db") as conn:
        assert conn.execute("SELECT done FROM workflow_ticks WHERE step = 'new_lost'").fetchone() == (1,)


@pytest.mark.parametrize("month", ["2026-13", "26-11", "November", "2026-11-01"])
def test_bad_months_and_steps_are_refused(workspace, data_dir, month):
    with pytest.raises(ValueError, match="month must look like"):
        workflow.set_tick(workspace.id, month, "anchors", True, data_dir)
    with pytest.raises(ValueError, match="step must be one of"):
        workflow.set_tick(workspace.id, MONTH, "dance", True, data_dir)
    with pytest.raises(ValueError, match="event must be one of"):
        workflow.record_event(workspace.id, "party", data_dir)


def test_every_step_points_at_a_page_that_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    assert [step.page for step in workflow.STEPS if not (root / step.page).is_file()] == []


def test_a_competitors_export_counts_as_gap_work(workspace, data_dir):
    outcome = import_bytes(workspace, export_csv("referring_domains").encode(), "rival-refdomains.csv",
                           target_domain="rival.com", root=data_dir)
    assert outcome[0].ok, outcome[0].error
    assert evidence(workspace, data_dir)["gap"] == 1
