"""The user's decisions about referring domains: a mark ("good" / "review") with a note, and category overrides.

Keyed by registrable domain, not by snapshot rows, so decisions survive re-imports and new snapshots.
Each write is a row-level upsert in its own transaction: two browser tabs marking different domains never
overwrite each other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from lib import db
from lib.analysis.categories import CATEGORIES
from lib.domains import clean_host
from lib.workspaces import DDL as WORKSPACE_DDL
from lib.workspaces import now_iso

MARKS = ("good", "review")
MARK_LABELS = {"good": "Good", "review": "Review"}

DDL = WORKSPACE_DDL + """
CREATE TABLE IF NOT EXISTS domain_marks (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    mark TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    note_private INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, domain)
);
CREATE TABLE IF NOT EXISTS domain_category_overrides (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    category TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, domain)
);
"""

# A note is private (hidden in presentation mode) unless the user shares it; notes written before the
# column existed stay private.
ADDED_COLUMNS = {"domain_marks": {"note_private": "INTEGER NOT NULL DEFAULT 1"}}
_MARK_COLUMNS = ("domain", "mark", "note", "updated_at")


def _domains(domains: str | Iterable[str]) -> list[str]:
    values = [domains] if isinstance(domains, str) else list(domains)
    cleaned = [clean_host(str(d)) for d in values]
    return list(dict.fromkeys(d for d in cleaned if d))


def set_marks(workspace_id: str, domains: str | Iterable[str], mark: str, note: str | None = "",
              root: Path | None = None, *, private: bool = True) -> int:
    """Mark one or more domains "good" or "review" with a note; returns how many rows were written.

    A private note is hidden in presentation mode; `note=None` keeps each domain's note and its privacy
    (a mark changed on a shared screen, where notes are not shown, must not erase them).
    """
    if mark not in MARKS:
        raise ValueError(f"mark must be one of {MARKS}, not {mark!r}")
    names = _domains(domains)
    stamp = now_iso()
    with db.session(DDL, root, ADDED_COLUMNS) as conn, db.transaction(conn):
        if note is None:
            conn.executemany(
                "INSERT INTO domain_marks (workspace_id, domain, mark, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(workspace_id, domain) DO UPDATE SET mark=excluded.mark, updated_at=excluded.updated_at",
                [(workspace_id, name, mark, stamp) for name in names])
        else:
            conn.executemany(
                "INSERT INTO domain_marks (workspace_id, domain, mark, note, updated_at, note_private) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(workspace_id, domain) DO UPDATE SET mark=excluded.mark, "
                "note=excluded.note, updated_at=excluded.updated_at, note_private=excluded.note_private",
                [(workspace_id, name, mark, note.strip(), stamp, int(bool(private))) for name in names])
    return len(names)


def clear_marks(workspace_id: str, domains: str | Iterable[str], root: Path | None = None) -> int:
    names = _domains(domains)
    with db.session(DDL, root, ADDED_COLUMNS) as conn, db.transaction(conn):
        conn.executemany("DELETE FROM domain_marks WHERE workspace_id = ? AND domain = ?",
                         [(workspace_id, name) for name in names])
    return len(names)


def marks_for(workspace_id: str, root: Path | None = None) -> pd.DataFrame:
    """Every marked domain of a workspace: domain, mark, note, updated_at (ISO text), note_private (bool),
    by domain."""
    with db.session(DDL, root, ADDED_COLUMNS) as conn:
        rows = conn.execute("SELECT domain, mark, note, updated_at, note_private FROM domain_marks "
                            "WHERE workspace_id = ? ORDER BY domain", (workspace_id,)).fetchall()
    frame = pd.DataFrame({name: pd.Series([r[name] for r in rows], dtype="str") for name in _MARK_COLUMNS})
    frame["note_private"] = pd.Series([bool(r["note_private"]) for r in rows], dtype="bool")
    return frame


def set_category(workspace_id: str, domains: str | Iterable[str], category: str | None,
                 root: Path | None = None) -> int:
    """Override the category of domains; None removes the override so the rules decide again."""
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"category must be one of {CATEGORIES}, not {category!r}")
    names = _domains(domains)
    with db.session(DDL, root, ADDED_COLUMNS) as conn, db.transaction(conn):
        if category is None:
            conn.executemany("DELETE FROM domain_category_overrides WHERE workspace_id = ? AND domain = ?",
                             [(workspace_id, name) for name in names])
        else:
            stamp = now_iso()
            conn.executemany(
                "INSERT INTO domain_category_overrides VALUES (?, ?, ?, ?) ON CONFLICT(workspace_id, domain) "
                "DO UPDATE SET category=excluded.category, updated_at=excluded.updated_at",
                [(workspace_id, name, category, stamp) for name in names],
            )
    return len(names)


def category_overrides(workspace_id: str, root: Path | None = None) -> dict[str, str]:
    with db.session(DDL, root, ADDED_COLUMNS) as conn:
        rows = conn.execute("SELECT domain, category FROM domain_category_overrides WHERE workspace_id = ? "
                            "ORDER BY domain", (workspace_id,)).fetchall()
    return {r["domain"]: r["category"] for r in rows}


def marks_version(workspace_id: str, root: Path | None = None) -> str:
    """A short stamp of a workspace's marks and category overrides that changes whenever any of them does.

    Pages key their caches on it (a mark saved in another tab shows at once). Timestamps have one-second
    resolution, so the stamp hashes the rows themselves: two saves of one domain within a second differ too.
    """
    digest = hashlib.sha1()
    with db.session(DDL, root, ADDED_COLUMNS) as conn:
        for table, columns in (("domain_marks", "domain, mark, note, CAST(note_private AS TEXT)"),
                               ("domain_category_overrides", "domain, category")):
            for row in conn.execute(f"SELECT {columns} FROM {table} WHERE workspace_id = ? ORDER BY domain",
                                    (workspace_id,)):
                digest.update("\x1f".join(row).encode("utf-8") + b"\x1e")
            digest.update(b"\x1d")
    return digest.hexdigest()[:16]
