"""Workspaces: one site being analysed, with its competitors, brand terms and keywords."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from lib import db
from lib.domains import clean_host

MAX_COMPETITORS = 4

DDL = """
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    own_domain TEXT NOT NULL,
    competitors TEXT NOT NULL DEFAULT '[]',
    brand_terms TEXT NOT NULL DEFAULT '[]',
    target_keywords TEXT NOT NULL DEFAULT '[]',
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workspace_settings (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
"""


class WorkspaceError(ValueError):
    """A workspace setting a user entered cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    own_domain: str
    competitors: tuple[str, ...] = ()
    brand_terms: tuple[str, ...] = ()
    target_keywords: tuple[str, ...] = ()
    is_demo: bool = False
    created_at: str = field(default="", compare=False)

    @property
    def domains(self) -> tuple[str, ...]:
        """The site first, then its competitors: the (at most five) domains a gap compares."""
        return (self.own_domain, *self.competitors)


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def clean_domain(value: str) -> str:
    text = value.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).split("/")[0].split("?")[0]
    return clean_host(text)


def _valid_domain(domain: str) -> bool:
    return bool(re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}", domain))


def _clean_terms(values) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        term = " ".join(str(value).split()).lower()
        if term:
            seen.setdefault(term, None)
    return tuple(seen)


def validated(workspace: Workspace) -> Workspace:
    own = clean_domain(workspace.own_domain)
    if not _valid_domain(own):
        raise WorkspaceError(f"'{workspace.own_domain}' is not a domain name (for example: example.com).")
    competitors = tuple(dict.fromkeys(clean_domain(c) for c in workspace.competitors if c.strip()))
    for competitor in competitors:
        if not _valid_domain(competitor):
            raise WorkspaceError(f"Competitor '{competitor}' is not a domain name.")
    competitors = tuple(c for c in competitors if c != own)
    if len(competitors) > MAX_COMPETITORS:
        raise WorkspaceError(f"At most {MAX_COMPETITORS} competitors (five domains in all); got {len(competitors)}.")
    name = workspace.name.strip() or own
    return replace(workspace, name=name, own_domain=own, competitors=competitors,
                   brand_terms=_clean_terms(workspace.brand_terms),
                   target_keywords=_clean_terms(workspace.target_keywords))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "workspace"


def _from_row(row) -> Workspace:
    return Workspace(
        id=row["id"], name=row["name"], own_domain=row["own_domain"],
        competitors=tuple(json.loads(row["competitors"])), brand_terms=tuple(json.loads(row["brand_terms"])),
        target_keywords=tuple(json.loads(row["target_keywords"])), is_demo=bool(row["is_demo"]),
        created_at=row["created_at"],
    )


def create_workspace(name: str, own_domain: str, competitors=(), brand_terms=(), target_keywords=(),
                     is_demo: bool = False, workspace_id: str | None = None, root: Path | None = None) -> Workspace:
    workspace = validated(Workspace("", name, own_domain, tuple(competitors), tuple(brand_terms),
                                    tuple(target_keywords), is_demo))
    with db.session(DDL, root) as conn, db.transaction(conn):
        base = workspace_id or _slug(workspace.own_domain if not name.strip() else name)
        candidate, n = base, 2
        while conn.execute("SELECT 1 FROM workspaces WHERE id = ?", (candidate,)).fetchone():
            if workspace_id:
                raise WorkspaceError(f"A workspace with id '{workspace_id}' exists already.")
            candidate, n = f"{base}-{n}", n + 1
        workspace = replace(workspace, id=candidate, created_at=now_iso())
        conn.execute(
            "INSERT INTO workspaces VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (workspace.id, workspace.name, workspace.own_domain, json.dumps(workspace.competitors),
             json.dumps(workspace.brand_terms), json.dumps(workspace.target_keywords), int(is_demo),
             workspace.created_at),
        )
    return workspace


def update_workspace(workspace: Workspace, root: Path | None = None) -> Workspace:
    workspace = validated(workspace)
    with db.session(DDL, root) as conn, db.transaction(conn):
        cursor = conn.execute(
            "UPDATE workspaces SET name=?, own_domain=?, competitors=?, brand_terms=?, target_keywords=? "
            "WHERE id=?",
            (workspace.name, workspace.own_domain, json.dumps(workspace.competitors),
             json.dumps(workspace.brand_terms), json.dumps(workspace.target_keywords), workspace.id),
        )
        if cursor.rowcount == 0:
            raise WorkspaceError(f"No workspace '{workspace.id}'.")
    return workspace


def list_workspaces(root: Path | None = None) -> list[Workspace]:
    with db.session(DDL, root) as conn:
        rows = conn.execute("SELECT * FROM workspaces ORDER BY is_demo, name").fetchall()
    return [_from_row(r) for r in rows]


def get_workspace(workspace_id: str, root: Path | None = None) -> Workspace | None:
    with db.session(DDL, root) as conn:
        row = conn.execute("SELECT * FROM workspaces WHERE id = ?", (workspace_id,)).fetchone()
    return _from_row(row) if row else None


def delete_workspace(workspace_id: str, root: Path | None = None) -> None:
    """Forget a workspace and its settings; its snapshot files are removed by lib.snapshots."""
    with db.session(DDL, root) as conn, db.transaction(conn):
        conn.execute("DELETE FROM workspaces WHERE id = ?", (workspace_id,))


def get_setting(workspace_id: str, key: str, default=None, root: Path | None = None):
    with db.session(DDL, root) as conn:
        row = conn.execute("SELECT value FROM workspace_settings WHERE workspace_id=? AND key=?",
                           (workspace_id, key)).fetchone()
    return json.loads(row["value"]) if row else default


def set_setting(workspace_id: str, key: str, value, root: Path | None = None) -> None:
    with db.session(DDL, root) as conn, db.transaction(conn):
        conn.execute(
            "INSERT INTO workspace_settings VALUES (?, ?, ?, ?) "
            "ON CONFLICT(workspace_id, key) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
            (workspace_id, key, json.dumps(value), now_iso()),
        )
