"""The outreach tracker: prospects (domains to ask for a link), their status, contact, notes and follow-ups.

Stored in SQLite per workspace and keyed by domain, so the list survives restarts and re-imports of data.
Every row carries a `version` that goes up on each change. A tab saves its edits with the versions it
loaded: a row another tab changed in the meantime is not overwritten but reported as a conflict, and all
other rows are written as row-level upserts in one transaction (optimistic concurrency). Two tabs editing
different rows therefore never lose each other's work, and the same row is never silently clobbered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib import db
from lib.workspaces import DDL as WORKSPACE_DDL
from lib.workspaces import clean_domain, now_iso

STATUSES = ("new", "to contact", "contacted", "replied", "won", "declined")
STATUS_LABELS = {s: s.capitalize() for s in STATUSES}
# Where a prospect came from; free text in the table, these are the values the pages use.
SOURCES = ("gap", "referring domains", "lost links", "import", "manual")

DDL = WORKSPACE_DDL + """
CREATE TABLE IF NOT EXISTS outreach (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    contact TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    last_contact TEXT,
    next_follow_up TEXT,
    source TEXT NOT NULL DEFAULT '',
    target_url TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, domain)
);
"""

COLUMNS = ("domain", "status", "contact", "note", "last_contact", "next_follow_up", "source", "target_url",
           "added_at", "updated_at", "version")
TEXT_COLUMNS = ("domain", "status", "contact", "note", "source", "target_url")
DATE_COLUMNS = ("last_contact", "next_follow_up")
STAMP_COLUMNS = ("added_at", "updated_at")
# What a user edits; domain, source, the stamps and the version are the tracker's own.
EDITABLE = ("status", "contact", "note", "last_contact", "next_follow_up", "target_url")


def _clean_domains(domains: Iterable[str]) -> list[str]:
    cleaned = (clean_domain(str(d)) for d in domains if d is not None and not pd.isna(d))
    return list(dict.fromkeys(d for d in cleaned if d))


def add_prospects(workspace_id: str, domains: Iterable[str], source: str, root: Path | None = None, *,
                  notes: Mapping[str, str] | None = None, target_url: str | None = None) -> int:
    """Put domains on the outreach list with status "new"; returns how many were not on it before.

    Domains already on the list are left exactly as they are: adding a domain again from another page must
    never reset a status the user moved on (INSERT ... ON CONFLICT DO NOTHING).
    """
    names = _clean_domains([domains] if isinstance(domains, str) else domains)
    note_of = {clean_domain(str(k)): str(v).strip() for k, v in (notes or {}).items()}
    stamp = now_iso()
    with db.session(DDL, root) as conn, db.transaction(conn):
        before = conn.total_changes
        conn.executemany(
            "INSERT INTO outreach (workspace_id, domain, status, note, source, target_url, added_at, updated_at, "
            "version) VALUES (?, ?, 'new', ?, ?, ?, ?, ?, 1) ON CONFLICT(workspace_id, domain) DO NOTHING",
            [(workspace_id, name, note_of.get(name, ""), source.strip(), (target_url or "").strip(), stamp, stamp)
             for name in names],
        )
        added = conn.total_changes - before
    return added


def _empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in TEXT_COLUMNS})
    for column in (*DATE_COLUMNS, *STAMP_COLUMNS):
        frame[column] = pd.Series(dtype="datetime64[ns]")
    frame["version"] = pd.Series(dtype="int64")
    return frame[list(COLUMNS)]


def _frame(rows: list[Mapping]) -> pd.DataFrame:
    if not rows:
        return _empty_frame()
    frame = pd.DataFrame([dict(r) for r in rows], columns=list(COLUMNS))
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype("str")
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").astype("datetime64[ns]")
    for column in STAMP_COLUMNS:
        # Stored as ISO text with "+00:00"; the canonical frames hold naive UTC.
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_localize(None).astype("datetime64[ns]")
    frame["version"] = frame["version"].astype("int64")
    return frame


def outreach_list(workspace_id: str, root: Path | None = None) -> pd.DataFrame:
    """The workspace's outreach list, one row per domain, by domain.

    Columns: domain, status, contact, note, last_contact, next_follow_up (datetime64, NaT when not set),
    source, target_url, added_at, updated_at (naive UTC), version (int).
    """
    with db.session(DDL, root) as conn:
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM outreach WHERE workspace_id = ? ORDER BY domain",
                            (workspace_id,)).fetchall()
    return _frame(rows)
