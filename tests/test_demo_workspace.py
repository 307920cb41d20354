"""The demo workspace: built once, rebuilt when a first start stopped halfway, reset on request."""

from __future__ import annotations

import pytest

from lib import importer, marks, snapshots
from lib.workspaces import get_setting


def test_the_demo_is_built_complete_once(demo_data_dir):
    held = snapshots.list_snapshots("demo", root=demo_data_dir)
    assert {s.kind for s in held} >= {"backlinks", "referring_domains", "anchors", "indexed_pages", "audit", "gap"}
    assert get_setting("demo", importer.DEMO_COMPLETE, root=demo_data_dir) is True
    again = importer.ensure_demo_workspace(demo_data_dir)
    assert again.id == "demo" and [s.id for s in snapshots.list_snapshots("demo", root=demo_data_dir)] == [
        s.id for s in held]  # nothing imported twice


def test_a_first_start_that_stopped_halfway_is_built_again(data_dir, demo_template, monkeypatch):
    real = importer.import_bytes
    calls = {"n": 0}

    def dies_on_the_third_file(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process stopped here
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_bytes", dies_on_the_third_file)
    with pytest.raises(KeyboardInterrupt):
        importer.ensure_demo_workspace(data_dir)
    assert len(snapshots.list_snapshots("demo", root=data_dir)) == 2
    monkeypatch.setattr(importer, "import_bytes", real)

    importer.ensure_demo_workspace(data_dir)
    rebuilt = snapshots.list_snapshots("demo", root=data_dir)
    complete = snapshots.list_snapshots("demo", root=demo_template)
    assert sorted((s.kind, s.target_domain, s.data_date, s.rows) for s in rebuilt) == sorted(
        (s.kind, s.target_domain, s.data_date, s.rows) for s in complete)


def test_reset_rebuilds_the_demo_and_forgets_what_was_done_in_it(demo_data_dir):
    marks.set_marks("demo", ["grindlab.com"], "good", root=demo_data_dir)
    before = len(snapshots.list_snapshots("demo", root=demo_data_dir))
    importer.reset_demo_workspace(demo_data_dir)
    assert marks.marks_for("demo", demo_data_dir).empty
    assert len(snapshots.list_snapshots("demo", root=demo_data_dir)) == before
    assert not [p for p in (demo_data_dir / "workspaces").rglob("*.parquet")
                if p.relative_to(demo_data_dir).as_posix() not in
                {s.file for s in snapshots.list_snapshots("demo", root=demo_data_dir)}]


def test_the_reset_button_on_the_data_page(demo_data_dir, app_test):
    marks.set_marks("demo", ["grindlab.com"], "review", root=demo_data_dir)
    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = "demo"
    at.run()
    next(b for b in at.button if b.label == "Reset the demo workspace").click()
    at.run(timeout=120)
    assert not at.exception
    assert marks.marks_for("demo", demo_data_dir).empty
    assert get_setting("demo", importer.DEMO_COMPLETE, root=demo_data_dir) is True
