"""The pages of a site its owner cares most about, per workspace; lost links to them are shown apart.

One row per (workspace, URL), added and removed one at a time, so two browser tabs editing the
list never overwrite each other's changes. Keyed by URL, so the list survives re-imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lib import db
from lib.workspaces import DDL as WORKSPACE_DDL
from lib.workspaces import now_iso

DDL = WORKSPACE_DDL + """
CREATE TABLE IF NOT EXISTS important_pages (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, url)
);
"""


def clean_url(url: str) -> str:
    return str(url).strip()


def list_pages(workspace_id: str, root: Path | None = None) -> list[str]:
    with db.session(DDL, root) as conn:
        rows = conn.execute("SELECT url FROM important_pages WHERE workspace_id = ? ORDER BY url",
                            (workspace_id,)).fetchall()
    return [row["url"] for row in rows]


def add_pages(workspace_id: str, urls: Iterable[str], root: Path | None = None) -> None:
    cleaned = [u for u in (clean_url(url) for url in urls) if u]
    if not cleaned:
        return
    with db.session(DDL, root) as conn, db.transaction(conn):
        conn.executemany("INSERT INTO important_pages VALUES (?, ?, ?) ON CONFLICT(workspace_id, url) DO NOTHING",
                         [(workspace_id, url, now_iso()) for url in cleaned])


def remove_pages(workspace_id: str, urls: Iterable[str], root: Path | None = None) -> None:
    cleaned = [clean_url(url) for url in urls]
    if not cleaned:
        return
    with db.session(DDL, root) as conn, db.transaction(conn):
        conn.executemany("DELETE FROM important_pages WHERE workspace_id = ? AND url = ?",
                         [(workspace_id, url) for url in cleaned])


def apply_change(workspace_id: str, before: Iterable[str], after: Iterable[str], root: Path | None = None) -> None:
    """Store what one edit of the list did: URLs added and removed since `before`, nothing else."""
    old, new = set(before), set(after)
    add_pages(workspace_id, sorted(new - old), root)
    remove_pages(workspace_id, sorted(old - new), root)
