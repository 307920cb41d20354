"""Audit decisions: keep, remove (ask the site owner) or disavow a linking domain or a single linking URL.

Keyed by the item itself (a registrable domain, scope "domain", or a full URL, scope "url"), never by snapshot
rows, so decisions survive new imports and restarts. Every write is one transaction of row-level upserts, and
each change is appended to a history table in that same transaction: a crash never leaves a decision without
its history line, and two browser tabs deciding different items never overwrite each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from lib import db
from lib.workspaces import DDL as WORKSPACE_DDL
from lib.workspaces import now_iso

DECISIONS = ("undecided", "keep", "remove", "disavow")
DECISION_LABELS = {"undecided": "Undecided", "keep": "Keep", "remove": "Remove (ask the site)",
                   "disavow": "Disavow"}
SCOPES = ("domain", "url")
MAX_NOTE = 2000  # a note is a short reason, not a document

DDL = WORKSPACE_DDL + """
CREATE TABLE IF NOT EXISTS audit_decisions (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    item TEXT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'manual',
    PRIMARY KEY (workspace_id, scope, item)
);
CREATE TABLE IF NOT EXISTS audit_decision_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    item TEXT NOT NULL,
    previous TEXT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'manual'
);
CREATE INDEX IF NOT EXISTS audit_decision_history_item ON audit_decision_history (workspace_id, item);
"""

COLUMNS = ("item", "scope", "decision", "note", "decided_at", "source")
HISTORY_COLUMNS = ("item", "scope", "previous", "decision", "note", "decided_at", "source")

_BAD_DOMAIN = re.compile(r"[\s/\\#?@:<>\"'`]|\.\.")
_URL = re.compile(r"^(https?)://([^/?#\s]+)(.*)$", re.IGNORECASE)


def clean_item(value: str, scope: str) -> str:
    """A stored key: domains lower-cased without scheme, path or `www.`; URLs with scheme and host lower-cased.

    Raises ValueError naming the value when it cannot be a domain or an http(s) URL.
    """
    text = str(value).strip()
    if scope == "domain":
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.lower()).split("/")[0].split("?")[0].split("#")[0]
        host = host.rstrip(".")
        host = host[4:] if host.startswith("www.") else host
        if not host or "." not in host or _BAD_DOMAIN.search(host) or host.startswith((".", "-")):
            raise ValueError(f"{text!r} is not a domain name")
        return host
    if scope == "url":
        match = _URL.match(text)
        if not match or any(ch.isspace() or ord(ch) < 32 for ch in text):
            raise ValueError(f"{text!r} is not a full http(s) URL")
        scheme, host, rest = match.groups()
        return f"{scheme.lower()}://{host.lower()}{rest or '/'}"
    raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")


def clean_items(items: str | Iterable[str], scope: str) -> list[str]:
    values = [items] if isinstance(items, str) else list(items)
    return list(dict.fromkeys(clean_item(v, scope) for v in values if str(v).strip()))


def _note(note: str) -> str:
    # One line: a note is shown in tables and may end up in a disavow comment.
    return " ".join(str(note or "").split())[:MAX_NOTE]


def set_decisions(workspace_id: str, items: str | Iterable[str], decision: str, note: str = "", *,
                  scope: str = "domain", source: str = "manual", root: Path | None = None,
                  overwrite: bool = True) -> int:
    """Decide about one or more domains or URLs; returns how many items changed (decision or note).

    Items already holding the same decision and note are left untouched (no history line). With
    `overwrite=False` only items without a decision (or "undecided") are written: an imported disavow
    file must not override what the user decided by hand.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    names = clean_items(items, scope)
    text = _note(note)
    stamp = now_iso()
    changed = 0
    with db.session(DDL, root) as conn, db.transaction(conn):
        current = {}
        for start in range(0, len(names), 500):  # SQLite's bound-parameter limit
            chunk = names[start:start + 500]
            rows = conn.execute(
                f"SELECT item, decision, note FROM audit_decisions WHERE workspace_id = ? AND scope = ? "
                f"AND item IN ({','.join('?' * len(chunk))})", (workspace_id, scope, *chunk)).fetchall()
            current.update({r["item"]: (r["decision"], r["note"]) for r in rows})
        writes = []
        for name in names:
            before = current.get(name, ("undecided", ""))
            if before == (decision, text) or (not overwrite and before[0] != "undecided"):
                continue
            writes.append((name, before[0]))
        conn.executemany(
            "INSERT INTO audit_decisions VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(workspace_id, scope, item) "
            "DO UPDATE SET decision=excluded.decision, note=excluded.note, decided_at=excluded.decided_at, "
            "source=excluded.source",
            [(workspace_id, scope, name, decision, text, stamp, source) for name, _ in writes])
        conn.executemany(
            "INSERT INTO audit_decision_history (workspace_id, scope, item, previous, decision, note, decided_at, "
            "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(workspace_id, scope, name, previous, decision, text, stamp, source) for name, previous in writes])
        changed = len(writes)
    return changed


def _frame(rows, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series([r[name] for r in rows], dtype="str") for name in columns})
    frame["decided_at"] = pd.to_datetime(frame["decided_at"], utc=True).dt.tz_localize(None).astype(
        "datetime64[ns]")
    return frame


def decisions_for(workspace_id: str, root: Path | None = None) -> pd.DataFrame:
    """Every decision of a workspace: item, scope, decision, note, decided_at (naive UTC), source; by item."""
    with db.session(DDL, root) as conn:
        rows = conn.execute("SELECT item, scope, decision, note, decided_at, source FROM audit_decisions "
                            "WHERE workspace_id = ? ORDER BY scope, item", (workspace_id,)).fetchall()
    return _frame(rows, COLUMNS)


def decision_history(workspace_id: str, item: str | None = None, root: Path | None = None) -> pd.DataFrame:
    """Every change, oldest first: item, scope, previous, decision, note, decided_at, source."""
    query = ("SELECT item, scope, previous, decision, note, decided_at, source FROM audit_decision_history "
             "WHERE workspace_id = ?")
    params: tuple = (workspace_id,)
    if item is not None:
        query += " AND item = ?"
        params += (item.strip(),)
    with db.session(DDL, root) as conn:
        rows = conn.execute(query + " ORDER BY id", params).fetchall()
    return _frame(rows, HISTORY_COLUMNS)
