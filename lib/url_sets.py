"""Per-workspace sets of the site's own URLs (important pages, broken pages).

One row per (workspace, URL), added and removed one at a time, so two browser tabs editing the same set never
overwrite each other's changes. Keyed by URL, so a set survives re-imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lib import db
from lib.workspaces import DDL as WORKSPACE_DDL
from lib.workspaces import now_iso


@dataclass(frozen=True)
class UrlSet:
    table: str
    stamp_column: str = "added_at"  # when the URL was added

    @property
    def ddl(self) -> str:
        return WORKSPACE_DDL + f"""
CREATE TABLE IF NOT EXISTS {self.table} (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    {self.stamp_column} TEXT NOT NULL,
    PRIMARY KEY (workspace_id, url)
);
"""

    def urls(self, workspace_id: str, root: Path | None = None) -> list[str]:
        with db.session(self.ddl, root) as conn:
            rows = conn.execute(f"SELECT url FROM {self.table} WHERE workspace_id = ? ORDER BY url",
                                (workspace_id,)).fetchall()
        return [row["url"] for row in rows]

    def add(self, workspace_id: str, urls: Iterable[str], root: Path | None = None) -> int:
        """Add URLs (trimmed, blanks skipped); adding one already there is not an error. Returns how many given."""
        cleaned = _cleaned(urls)
        if cleaned:
            with db.session(self.ddl, root) as conn, db.transaction(conn):
                conn.executemany(f"INSERT OR IGNORE INTO {self.table} VALUES (?, ?, ?)",
                                 [(workspace_id, url, now_iso()) for url in cleaned])
        return len(cleaned)

    def remove(self, workspace_id: str, urls: Iterable[str], root: Path | None = None) -> int:
        cleaned = _cleaned(urls)
        if cleaned:
            with db.session(self.ddl, root) as conn, db.transaction(conn):
                conn.executemany(f"DELETE FROM {self.table} WHERE workspace_id = ? AND url = ?",
                                 [(workspace_id, url) for url in cleaned])
        return len(cleaned)

    def apply_change(self, workspace_id: str, before: Iterable[str], after: Iterable[str],
                     root: Path | None = None) -> None:
        """Store what one edit of the set did: URLs added and removed since `before`, nothing else."""
        old, new = set(before), set(after)
        self.add(workspace_id, sorted(new - old), root)
        self.remove(workspace_id, sorted(old - new), root)


def _cleaned(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(u for u in (str(url).strip() for url in urls) if u))
