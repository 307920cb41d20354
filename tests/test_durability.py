"""Killing the app mid-write leaves the previous state readable.

A subprocess (tools/crash_worker.py) imports a generated export, or saves decisions, in a loop
and acknowledges each completed write; the test SIGKILLs it at random moments, several times,
sometimes with an importer and a decision writer running at once. Afterwards every snapshot
row's file exists and loads, SQLite passes its integrity check, remove_orphans clears what a
killed import left behind, and every acknowledged decision is there.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from lib import db, decisions, marks, outreach, snapshots
from lib.workspaces import create_workspace, get_setting
from tools.crash_worker import DECISION_CYCLE, backlinks_export

REPO = Path(__file__).resolve().parent.parent
ROWS = 40_000


class Worker:
    """A crash_worker subprocess whose acknowledged lines are collected as they arrive."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        env = {**os.environ, "LINKSCOPE_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen([sys.executable, "-m", "tools.crash_worker", *args], cwd=REPO, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never acknowledged
                self.lines.append(line.strip())

    def acks(self, word: str) -> list[int]:
        """The numbers acknowledged by lines starting with `word` ("imported 3 40000" -> 3)."""
        return [int(line.split()[1]) for line in list(self.lines) if line.startswith(word + " ")]

    def wait_for(self, word: str, count: int = 1, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while sum(line.startswith(word + " ") for line in list(self.lines)) < count:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited early: {self.process.stderr.read()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"worker printed only {self.lines[-5:]}")
            time.sleep(0.002)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        assert self.process.returncode == -signal.SIGKILL


def age(paths: list[Path], seconds: int = 300) -> None:
    """Make leftovers look as old as they would be when the app next starts."""
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def integrity(root: Path) -> str:
    with closing(sqlite3.connect(root / db.DB_NAME)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def assert_readable(workspace_id: str, root: Path) -> list[snapshots.Snapshot]:
    assert integrity(root) == "ok"
    held = snapshots.list_snapshots(workspace_id, root=root)
    for snap in held:
        frame = snapshots.load_frame(snap, root)
        assert len(frame) == snap.rows == ROWS, snap
        assert frame["source_url"].notna().all()
    return held


def leftovers(root: Path) -> list[Path]:
    known = {s.file for s in snapshots.list_snapshots("acme", root=root)}
    return [p for p in (root / "workspaces").glob("*/snapshots/*") if p.relative_to(root).as_posix() not in known]


@pytest.fixture
def acme(data_dir: Path):
    return create_workspace("Acme", "acme.com", ["rival.com"], workspace_id="acme")


def test_the_generated_export_imports_whole(acme, data_dir):
    from lib import importer

    [outcome] = importer.import_bytes(acme, backlinks_export(ROWS), "acme.com-backlinks.csv")
    assert outcome.rows == ROWS and outcome.problems.rejected_total == 0


def test_killing_imports_at_random_moments_leaves_every_snapshot_readable(acme, data_dir):
    rng = random.Random(20261125)
    acknowledged: set[int] = set()
    orphans_made = 0

    def crash(*options: str, wait_for: str, after: float) -> Worker:
        worker = Worker(data_dir, "import", "--workspace", "acme", "--rows", str(ROWS), "--announce", *options)
        worker.wait_for("imported")  # one import done; the kill lands in a later one
        worker.wait_for(wait_for, 2)
        time.sleep(after)
        worker.kill()
        acknowledged.update(worker.acks("imported"))
        # Right after each kill, before any clean-up: what was committed is whole and readable.
        held = assert_readable("acme", data_dir)
        assert acknowledged <= {s.id for s in held}
        return worker

    for _ in range(2):  # anywhere: reading the file, writing the snapshot, committing its row
        crash(wait_for="imported", after=rng.uniform(0.0, 1.0))
    for parts in ((), (), ("--parts",), ("--parts",)):  # inside the Parquet write: one file, a folder of parts
        crash(*parts, wait_for="writing", after=rng.uniform(0.0, 0.05))
    for parts in ((), ("--parts",)):  # the file (or folder) in place, its row not yet written
        before = len(leftovers(data_dir))
        crash("--pause-after-write", "2", *parts, wait_for="written", after=0.0)
        orphans_made += len(leftovers(data_dir)) - before
    assert orphans_made == 2
    assert any(p.is_dir() for p in leftovers(data_dir))  # a folder of parts was left in place

    stray = leftovers(data_dir)
    assert any(p.name.endswith(".tmp") for p in stray)  # at least one kill did land inside a file write
    age(stray)
    removed = snapshots.remove_orphans(data_dir)
    assert sorted(removed) == sorted(stray)
    assert leftovers(data_dir) == []
    held = assert_readable("acme", data_dir)
    assert acknowledged <= {s.id for s in held}
    # The next import after the crashes works as usual.
    from lib import importer

    [outcome] = importer.import_bytes(acme, backlinks_export(ROWS, seed=2), "acme.com-backlinks-after.csv")
    assert outcome.snapshot is not None and len(snapshots.load_frame(outcome.snapshot, data_dir)) == ROWS


def test_killing_decision_writes_keeps_every_acknowledged_decision(acme, data_dir):
    rng = random.Random(7)
    acknowledged: list[int] = []
    start = 0
    for _ in range(6):
        worker = Worker(data_dir, "marks", "--workspace", "acme", "--start", str(start))
        worker.wait_for("saved", 5)
        time.sleep(rng.uniform(0.0, 0.5))
        worker.kill()
        done = worker.acks("saved")
        acknowledged += done
        start = done[-1] + 1
        assert integrity(data_dir) == "ok"
    saved = marks.marks_for("acme", data_dir).set_index("domain")
    decided = decisions.decisions_for("acme", data_dir).set_index("item")
    history = decisions.decision_history("acme", root=data_dir)
    prospects = outreach.outreach_list("acme", data_dir).set_index("domain")
    for i in acknowledged:
        domain = f"d{i}.example"
        assert saved.loc[domain, "mark"] == ("good" if i % 2 else "review")
        assert saved.loc[domain, "note"] == f"note {i}"
        assert (decided.loc[domain, "decision"], decided.loc[domain, "note"]) == (DECISION_CYCLE[i % 3], f"why {i}")
        assert (history["item"] == domain).sum() == 1  # the history row committed with its decision
        assert (prospects.loc[domain, "status"], prospects.loc[domain, "note"]) == ("new", f"pitch {i}")
    # The setting written after each mark is the last acknowledged value, or the one write after it.
    assert get_setting("acme", "crash_counter", root=data_dir) in (acknowledged[-1], acknowledged[-1] + 1)


def test_killing_an_importer_and_a_decision_writer_together(acme, data_dir):
    rng = random.Random(99)
    imported: set[int] = set()
    saved: list[int] = []
    start = 0
    for _ in range(4):
        importer_process = Worker(data_dir, "import", "--workspace", "acme", "--rows", str(ROWS))
        marker = Worker(data_dir, "marks", "--workspace", "acme", "--start", str(start))
        importer_process.wait_for("imported")
        marker.wait_for("saved")
        time.sleep(rng.uniform(0.0, 1.0))
        importer_process.kill()
        marker.kill()
        imported |= set(importer_process.acks("imported"))
        done = marker.acks("saved")
        saved += done
        start = done[-1] + 1
    age(leftovers(data_dir))
    snapshots.remove_orphans(data_dir)
    assert leftovers(data_dir) == []
    held = assert_readable("acme", data_dir)
    assert imported <= {s.id for s in held}
    domains = set(marks.marks_for("acme", data_dir)["domain"])
    assert {f"d{i}.example" for i in saved} <= domains


def test_a_file_written_without_its_row_is_an_orphan_and_a_fresh_temp_file_is_left_alone(acme, data_dir):
    """The two states a kill between `write file` and `insert row` can leave, made by hand."""
    kept = snapshots.save_snapshot("acme", "backlinks", pd.DataFrame({"source_url": ["https://a.example/"]}),
                                   target_domain="acme.com", source="upload", source_name="a.csv",
                                   data_date=pd.Timestamp("2024-04-30").date(), root=data_dir)
    folder = data_dir / "workspaces" / "acme" / "snapshots"
    orphan = folder / "backlinks-acme.com-20240101T000000000000.parquet"
    orphan.write_bytes((data_dir / kept.file).read_bytes())
    fresh_temp = folder / ".backlinks-acme.com-x.parquet.123.tmp"
    fresh_temp.write_bytes(b"PAR1 half written")
    old_temp = folder / ".backlinks-acme.com-y.parquet.456.tmp"
    old_temp.write_bytes(b"PAR1 half written")
    age([old_temp])
    removed = snapshots.remove_orphans(data_dir)
    assert sorted(removed) == sorted([orphan, old_temp])
    assert fresh_temp.exists()  # may belong to an import still running in another process
    assert (data_dir / kept.file).exists()
    assert [s.id for s in snapshots.list_snapshots("acme", root=data_dir)] == [kept.id]
