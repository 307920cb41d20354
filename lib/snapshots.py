"""Every import is kept as a dated snapshot: a Parquet file plus a row in SQLite.

The file is written first (atomically), the row second in one transaction, so a crash
leaves either the old state or the complete new one; a file without a row is an orphan
that `remove_orphans` clears. Snapshots sit in the timeline by the date of their data,
not the date of upload.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from lib import db
from lib.workspaces import DDL as WORKSPACE_DDL
from lib.workspaces import now_iso

DDL = WORKSPACE_DDL + """
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    target_domain TEXT NOT NULL,
    source TEXT NOT NULL,
    source_name TEXT NOT NULL,
    data_date TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows INTEGER NOT NULL,
    rejected INTEGER NOT NULL DEFAULT 0,
    unreadable INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL DEFAULT '',
    compared_domains TEXT NOT NULL DEFAULT '[]',
    file TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_by_kind ON snapshots(workspace_id, kind, target_domain, data_date);
"""

SOURCES = ("upload", "api", "demo")


@dataclass(frozen=True)
class Snapshot:
    id: int
    workspace_id: str
    kind: str
    target_domain: str
    source: str  # upload / api / demo
    source_name: str  # file name or API report
    data_date: date
    imported_at: str
    rows: int
    rejected: int
    unreadable: int
    content_hash: str
    compared_domains: tuple[str, ...]
    file: str  # relative to the data directory

    @property
    def label(self) -> str:
        return f"{self.data_date:%Y-%m-%d} · {self.source_name} ({self.rows:,} rows)"


def _from_row(row) -> Snapshot:
    return Snapshot(
        id=row["id"], workspace_id=row["workspace_id"], kind=row["kind"], target_domain=row["target_domain"],
        source=row["source"], source_name=row["source_name"], data_date=date.fromisoformat(row["data_date"]),
        imported_at=row["imported_at"], rows=row["rows"], rejected=row["rejected"], unreadable=row["unreadable"],
        content_hash=row["content_hash"], compared_domains=tuple(json.loads(row["compared_domains"])),
        file=row["file"],
    )


def data_date_of(frame: pd.DataFrame, hint: date | datetime | None = None) -> date:
    """The date the data describes: a date in the file name, else the latest `last_seen`, else today.

    Only a typed `last_seen` counts: in a kind whose schema has no such column (a gap export, say), a
    "Last seen" header is kept as an extra text column, which names no date."""
    if hint is not None:
        return hint.date() if isinstance(hint, datetime) else hint
    last_seen = frame["last_seen"] if "last_seen" in frame else None
    if last_seen is not None and pd.api.types.is_datetime64_any_dtype(last_seen) and last_seen.notna().any():
        latest = last_seen.max()
        if latest.year >= 2000 and latest.date() <= date.today():
            return latest.date()
    return date.today()


def save_snapshot(workspace_id: str, kind: str, frame: pd.DataFrame, *, target_domain: str, source: str,
                  source_name: str, data_date: date, rejected: int = 0, unreadable: int = 0,
                  content_hash: str = "", compared_domains: tuple[str, ...] = (),
                  root: Path | None = None) -> Snapshot:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    base = root or db.data_dir()
    # Random digits after the time: two processes saving in the same microsecond must not share a file.
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f") + "-" + os.urandom(3).hex()
    # The target can come from a file's own URLs: only safe characters, and short, reach the file name.
    safe_target = re.sub(r"[^A-Za-z0-9.-]", "_", target_domain)[:80] or "_"
    relative = Path("workspaces") / workspace_id / "snapshots" / f"{kind}-{safe_target}-{stamp}.parquet"
    db.atomic_write_parquet(frame, base / relative)
    with db.session(DDL, root) as conn, db.transaction(conn):
        cursor = conn.execute(
            "INSERT INTO snapshots (workspace_id, kind, target_domain, source, source_name, data_date, "
            "imported_at, rows, rejected, unreadable, content_hash, compared_domains, file) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (workspace_id, kind, target_domain, source, source_name, data_date.isoformat(), now_iso(),
             len(frame), rejected, unreadable, content_hash, json.dumps(list(compared_domains)),
             relative.as_posix()),
        )
        row = conn.execute("SELECT * FROM snapshots WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return _from_row(row)


def list_snapshots(workspace_id: str, kind: str | None = None, target_domain: str | None = None,
                   root: Path | None = None) -> list[Snapshot]:
    """Oldest data first; among snapshots of the same date, the latest import last."""
    query = "SELECT * FROM snapshots WHERE workspace_id = ?"
    args: list = [workspace_id]
    if kind:
        query += " AND kind = ?"
        args.append(kind)
    if target_domain:
        query += " AND target_domain = ?"
        args.append(target_domain)
    with db.session(DDL, root) as conn:
        rows = conn.execute(query + " ORDER BY data_date, id", args).fetchall()
    return [_from_row(r) for r in rows]


def get_snapshot(snapshot_id: int, root: Path | None = None) -> Snapshot | None:
    with db.session(DDL, root) as conn:
        row = conn.execute("SELECT * FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
    return _from_row(row) if row else None


def latest_snapshot(workspace_id: str, kind: str, target_domain: str | None = None,
                    root: Path | None = None) -> Snapshot | None:
    found = list_snapshots(workspace_id, kind, target_domain, root)
    return found[-1] if found else None


def find_by_hash(workspace_id: str, content_hash: str, root: Path | None = None) -> Snapshot | None:
    with db.session(DDL, root) as conn:
        row = conn.execute("SELECT * FROM snapshots WHERE workspace_id = ? AND content_hash = ? ORDER BY id",
                           (workspace_id, content_hash)).fetchone()
    return _from_row(row) if row else None


def load_frame(snapshot: Snapshot, root: Path | None = None) -> pd.DataFrame:
    return db.read_parquet((root or db.data_dir()) / snapshot.file)


def delete_snapshot(snapshot_id: int, root: Path | None = None) -> None:
    base = root or db.data_dir()
    with db.session(DDL, root) as conn, db.transaction(conn):
        row = conn.execute("SELECT file FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
        conn.execute("DELETE FROM snapshots WHERE id = ?", (snapshot_id,))
    if row:
        db.remove_parquet(base / row["file"])


def delete_workspace_files(workspace_id: str, root: Path | None = None) -> None:
    shutil.rmtree((root or db.data_dir()) / "workspaces" / workspace_id, ignore_errors=True)


def remove_orphans(root: Path | None = None) -> list[Path]:
    """Files (or folders of parts) no snapshot row points at (an import killed between file and row), and
    stray temp files."""
    base = root or db.data_dir()
    with db.session(DDL, root) as conn:
        known = {r["file"] for r in conn.execute("SELECT file FROM snapshots")}
    removed = []
    for path in (base / "workspaces").glob("*/snapshots/*"):
        relative = path.relative_to(base).as_posix()
        if relative not in known:
            # A temp file younger than a minute may belong to an import that is still running.
            if path.name.endswith(".tmp") and (datetime.now().timestamp() - os.path.getmtime(path)) < 60:
                continue
            db.remove_parquet(path)
            removed.append(path)
    return removed
