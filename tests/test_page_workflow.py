"""The Monthly workflow page in AppTest on the demo workspace."""

from __future__ import annotations

import pandas as pd

from lib import decisions, workflow

PAGE = "pages/workflow.py"
MONTH = pd.Timestamp.now(tz="UTC").strftime("%Y-%m")


def test_the_checklist_lists_every_step_with_its_page(demo_data_dir, app_test):
    at = app_test(PAGE).run()
    assert not at.exception
    assert len(at.checkbox) == len(workflow.STEPS)
    assert [m.value for m in at.markdown if m.value.startswith("**")][:len(workflow.STEPS)] == [
        f"**{i}. {step.title}**" for i, step in enumerate(workflow.STEPS, start=1)]
    assert not any(c.value for c in at.checkbox)  # nothing done yet on a fresh demo
    assert "0 of 8 steps done" in at.get("progress")[0].proto.text


def test_a_hand_tick_is_stored_and_survives_a_restart(demo_data_dir, app_test):
    at = app_test(PAGE).run()
    anchors = next(c for c in at.checkbox if c.key.endswith(f"{MONTH}_anchors"))
    anchors.check().run()
    assert not at.exception
    assert workflow.ticks("demo", MONTH, demo_data_dir) == {"anchors": True}

    again = app_test(PAGE).run()  # a new session: what the page shows comes from storage
    assert next(c for c in again.checkbox if c.key.endswith(f"{MONTH}_anchors")).value is True
    assert "1 of 8 steps done" in again.get("progress")[0].proto.text


def test_work_done_elsewhere_ticks_the_step_by_itself(demo_data_dir, app_test):
    decisions.set_decisions("demo", ["spam.xyz"], "disavow", root=demo_data_dir)
    at = app_test(PAGE).run()
    audit = next(c for c in at.checkbox if c.key.endswith(f"{MONTH}_audit"))
    assert audit.value is True
    assert any("review decisions made this month" in c.value and c.value.endswith(" 1") for c in at.caption)


def test_an_earlier_month_has_its_own_ticks(demo_data_dir, app_test):
    last_month = str(pd.Period(MONTH, freq="M") - 1)
    workflow.set_tick("demo", last_month, "gap", True, demo_data_dir)
    at = app_test(PAGE).run()
    assert next(c for c in at.checkbox if c.key.endswith(f"{MONTH}_gap")).value is False
    at.selectbox(key="workflow_month").set_value(last_month).run()
    assert next(c for c in at.checkbox if c.key.endswith(f"{last_month}_gap")).value is True


def test_building_the_client_report_ticks_the_export_step(demo_data_dir, app_test):
    report = app_test("pages/report.py").run()
    report.button(key="report_build").click().run()
    assert not report.exception
    at = app_test(PAGE).run()
    assert next(c for c in at.checkbox if c.key.endswith(f"{MONTH}_export")).value is True
