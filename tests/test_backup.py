"""Backups: a consistent copy of the data directory that works as a data directory again."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from lib import decisions, marks, outreach, snapshots
from tests.conftest import REPO


def test_a_backup_restores_every_workspace_decision_and_snapshot(demo_data_dir, tmp_path):
    marks.set_marks("demo", ["grindlab.com"], "good", "met them at a fair", demo_data_dir)
    decisions.set_decisions("demo", ["spam.xyz"], "disavow", root=demo_data_dir)
    outreach.add_prospects("demo", ["blog.net"], "manual", root=demo_data_dir)
    (demo_data_dir / "cache" / "semrush").mkdir(parents=True)
    (demo_data_dir / "cache" / "semrush" / "entry").write_bytes(b"cached answer")

    archive = subprocess.run([sys.executable, "-m", "lib.cli", "backup", str(tmp_path / "backups")], cwd=REPO,
                             env={"LINKSCOPE_DATA_DIR": str(demo_data_dir), "PATH": ""}, capture_output=True,
                             text=True, check=True).stdout.strip()
    assert Path(archive).parent == tmp_path / "backups" and Path(archive).name.startswith("linkscope-backup-")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        restored = tmp_path / "restored"
        zipped.extractall(restored)
    assert not [n for n in names if n.startswith("cache/") or n.endswith((".tmp", "-wal", "-shm"))]

    assert marks.marks_for("demo", restored).to_dict("records")[0]["note"] == "met them at a fair"
    assert list(decisions.decisions_for("demo", restored)["item"]) == ["spam.xyz"]
    assert list(outreach.outreach_list("demo", restored)["domain"]) == ["blog.net"]
    original = snapshots.list_snapshots("demo", root=demo_data_dir)
    copied = snapshots.list_snapshots("demo", root=restored)
    assert [s.id for s in copied] == [s.id for s in original]
    for before, after in zip(original, copied):
        assert snapshots.load_frame(after, restored).equals(snapshots.load_frame(before, demo_data_dir))


def test_a_backup_taken_while_another_connection_writes_is_consistent(data_dir, tmp_path):
    import sqlite3

    from lib import db

    with db.session("CREATE TABLE IF NOT EXISTS t (n INTEGER)", data_dir) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (1)")  # not committed when the backup runs
        from lib.backup import backup

        archive = backup(tmp_path, data_dir)
        conn.execute("COMMIT")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extract("linkscope.db", tmp_path / "out")
    with sqlite3.connect(tmp_path / "out" / "linkscope.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


def test_a_snapshot_kept_as_parts_is_backed_up_and_a_half_written_folder_is_not(data_dir, tmp_path, monkeypatch):
    from datetime import date

    import pandas as pd

    from lib import db
    from lib.backup import backup
    from lib.workspaces import create_workspace

    monkeypatch.setattr(db, "PARALLEL_PARQUET_MIN_ROWS", 1)
    workspace = create_workspace("Acme", "acme.com")
    frame = pd.DataFrame({"domain": pd.array(["a.com", "b.com", "c.com"], dtype="str")})
    snap = snapshots.save_snapshot(workspace.id, "referring_domains", frame, target_domain="acme.com",
                                   source="upload", source_name="x.csv", data_date=date(2024, 1, 1))
    half_written = data_dir / "workspaces" / workspace.id / "snapshots" / ".y.parquet.123.tmp"
    half_written.mkdir()
    (half_written / "part-0.parquet").write_bytes(b"PAR1 half")
    archive = backup(tmp_path / "backups", data_dir)
    restored = tmp_path / "restored"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        zipped.extractall(restored)
    assert not any(".tmp" in name for name in names)
    pd.testing.assert_frame_equal(snapshots.load_frame(snap, restored), frame)
