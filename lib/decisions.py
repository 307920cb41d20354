"""Audit decisions: keep, remove (ask the site owner) or disavow a linking domain or a single linking URL.

Keyed by the item itself (a registrable domain, scope "domain", or a full URL, scope "url"), never by snapshot
rows, so decisions survive new imports and restarts. Every write is one transaction of row-level upserts, and
each change is appended to a history table in that same transaction: a crash never leaves a decision without
its history line, and two browser tabs deciding different items never overwrite each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib import db
from lib.parallel import beside
from lib.url_sets import UrlSet
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
    note_private INTEGER NOT NULL DEFAULT 1,
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

# A note is private (hidden in presentation mode) unless the user shares it; notes written before the
# column existed stay private.
ADDED_COLUMNS = {"audit_decisions": {"note_private": "INTEGER NOT NULL DEFAULT 1"}}
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


def set_decisions(workspace_id: str, items: str | Iterable[str], decision: str, note: str | None = "", *,
                  scope: str = "domain", source: str = "manual", root: Path | None = None,
                  overwrite: bool = True, private: bool = True) -> int:
    """Decide about one or more domains or URLs; returns how many items changed (decision or note).

    Items already holding the same decision, note and privacy are left untouched (no history line). A
    private note is hidden in presentation mode; `note=None` keeps each item's note and its privacy (a
    decision taken on a shared screen, where notes are not shown, must not erase them). With
    `overwrite=False` only items without a decision (or "undecided") are written: an imported disavow
    file must not override what the user decided by hand.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    names = clean_items(items, scope)
    stamp = now_iso()
    changed = 0
    with db.session(DDL, root, ADDED_COLUMNS) as conn, db.transaction(conn):
        current = {}
        for start in range(0, len(names), 500):  # SQLite's bound-parameter limit
            chunk = names[start:start + 500]
            rows = conn.execute(
                f"SELECT item, decision, note, note_private FROM audit_decisions WHERE workspace_id = ? "
                f"AND scope = ? AND item IN ({','.join('?' * len(chunk))})", (workspace_id, scope, *chunk)).fetchall()
            current.update({r["item"]: (r["decision"], r["note"], bool(r["note_private"])) for r in rows})
        writes = []
        for name in names:
            before = current.get(name, ("undecided", "", True))
            after = (decision, *(before[1:] if note is None else (_note(note), bool(private))))
            if before == after or (not overwrite and before[0] != "undecided"):
                continue
            writes.append((name, before[0], after))
        conn.executemany(
            "INSERT INTO audit_decisions (workspace_id, scope, item, decision, note, decided_at, source, "
            "note_private) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(workspace_id, scope, item) "
            "DO UPDATE SET decision=excluded.decision, note=excluded.note, decided_at=excluded.decided_at, "
            "source=excluded.source, note_private=excluded.note_private",
            [(workspace_id, scope, name, d, text, stamp, source, int(hidden)) for name, _, (d, text, hidden) in writes])
        conn.executemany(
            "INSERT INTO audit_decision_history (workspace_id, scope, item, previous, decision, note, decided_at, "
            "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(workspace_id, scope, name, previous, d, text, stamp, source) for name, previous, (d, text, _) in writes])
        changed = len(writes)
    return changed


def _frame(rows, columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series([r[name] for r in rows], dtype="str") for name in columns})
    frame["decided_at"] = pd.to_datetime(frame["decided_at"], utc=True).dt.tz_localize(None).astype(
        "datetime64[ns]")
    return frame


def decisions_for(workspace_id: str, root: Path | None = None) -> pd.DataFrame:
    """Every decision of a workspace: item, scope, decision, note, decided_at (naive UTC), source,
    note_private (bool); by item."""
    with db.session(DDL, root, ADDED_COLUMNS) as conn:
        rows = conn.execute("SELECT item, scope, decision, note, decided_at, source, note_private "
                            "FROM audit_decisions WHERE workspace_id = ? ORDER BY scope, item",
                            (workspace_id,)).fetchall()
    frame = _frame(rows, COLUMNS)
    frame["note_private"] = pd.Series([bool(r["note_private"]) for r in rows], dtype="bool")
    return frame


def decisions_version(workspace_id: str, root: Path | None = None) -> tuple[int, int]:
    """A stamp that changes whenever a decision of the workspace changes: (decisions held, last history id).

    Every write of set_decisions appends a history row (AUTOINCREMENT ids never repeat), so pages can key
    their caches on this instead of re-reading and re-joining every decision on each rerun; a decision
    saved in another tab changes it at once.
    """
    with db.session(DDL, root, ADDED_COLUMNS) as conn:
        row = conn.execute(
            "SELECT (SELECT COUNT(*) FROM audit_decisions WHERE workspace_id = ?), "
            "(SELECT COALESCE(MAX(id), 0) FROM audit_decision_history WHERE workspace_id = ?)",
            (workspace_id, workspace_id)).fetchone()
    return int(row[0]), int(row[1])


def decision_history(workspace_id: str, item: str | None = None, root: Path | None = None) -> pd.DataFrame:
    """Every change, oldest first: item, scope, previous, decision, note, decided_at, source."""
    query = ("SELECT item, scope, previous, decision, note, decided_at, source FROM audit_decision_history "
             "WHERE workspace_id = ?")
    params: tuple = (workspace_id,)
    if item is not None:
        query += " AND item = ?"
        params += (item.strip(),)
    with db.session(DDL, root, ADDED_COLUMNS) as conn:
        rows = conn.execute(query + " ORDER BY id", params).fetchall()
    return _frame(rows, HISTORY_COLUMNS)


# --- Target pages the user marks as broken (their links are worth reclaiming) ------------------------------

BROKEN = UrlSet("broken_pages", stamp_column="marked_at")


def set_broken(workspace_id: str, urls: Iterable[str], broken: bool = True, root: Path | None = None) -> int:
    """Mark own target URLs broken (or not); one row per URL, so two tabs never undo each other's marks."""
    return (BROKEN.add if broken else BROKEN.remove)(workspace_id, urls, root)


def broken_pages(workspace_id: str, root: Path | None = None) -> list[str]:
    return BROKEN.urls(workspace_id, root)


# --- The review queue: risk table joined with the decisions ----------------------------------------------

@dataclass(frozen=True)
class ReviewProgress:
    domains: int
    decided: int  # keep, remove or disavow
    undecided: int
    by_decision: dict[str, int]
    risky_domains: int
    risky_decided: int
    risky_links: int  # backlinks from risky domains
    risky_links_reviewed: int  # ... of which the domain (or the link's URL) has a decision
    url_decisions: int

    @property
    def risky_links_share(self) -> float:
        return self.risky_links_reviewed / self.risky_links if self.risky_links else 0.0


def review_queue(risk: pd.DataFrame, decided: pd.DataFrame, backlinks: pd.DataFrame | None = None,
                 anchors_per_domain: int = 3, *, anchors: pd.Series | None = None) -> pd.DataFrame:
    """The risk table (lib.analysis.risk.domain_risk) with each domain's decision, note, note_private,
    decided_at and its most used anchors (from `backlinks`, or `anchors` as top_anchors gave them); riskiest
    first. A domain without a decision is "undecided"."""
    domain_rows = decided[decided["scope"] == "domain"].set_index("item") if len(decided) else None
    queue = risk.copy()
    if domain_rows is not None and len(domain_rows):
        queue["decision"] = queue["domain"].map(domain_rows["decision"]).fillna("undecided").astype("str")
        queue["note"] = queue["domain"].map(domain_rows["note"]).fillna("").astype("str")
        shared = (domain_rows.index[~domain_rows["note_private"].astype(bool)] if "note_private" in domain_rows
                  else [])
        queue["note_private"] = ~queue["domain"].isin(shared).to_numpy(bool)
        queue["decided_at"] = queue["domain"].map(domain_rows["decided_at"]).astype("datetime64[ns]")
    else:
        queue["decision"] = pd.Series("undecided", index=queue.index, dtype="str")
        queue["note"] = pd.Series("", index=queue.index, dtype="str")
        queue["note_private"] = pd.Series(True, index=queue.index, dtype=bool)
        queue["decided_at"] = pd.Series(pd.NaT, index=queue.index, dtype="datetime64[ns]")
    queue["anchors"] = pd.Series("", index=queue.index, dtype="str")
    if anchors is None and backlinks is not None and len(backlinks) and len(queue):
        anchors = top_anchors(backlinks, anchors_per_domain)
    if anchors is not None and len(queue):
        queue["anchors"] = queue["domain"].map(anchors).fillna("").astype("str")
    return queue


def undecided_queue(score: Callable[[], pd.DataFrame], backlinks: pd.DataFrame | None) -> pd.DataFrame:
    """review_queue before any decision, the risk table from `score()`: each domain's top anchors are counted on
    a second thread meanwhile (~0.45 s for a million links; neither needs the other). `score` runs on the
    calling thread, so it may read a UI's caches."""
    nothing_decided = pd.DataFrame(columns=list(COLUMNS))
    if backlinks is None or not len(backlinks):
        return review_queue(score(), nothing_decided)
    risk, anchors = beside(score, lambda: top_anchors(backlinks))
    return review_queue(risk, nothing_decided, anchors=anchors)


NO_ANCHOR = "(no anchor text)"


def top_anchors(backlinks: pd.DataFrame, anchors_per_domain: int = 3) -> pd.Series:
    """Per linking domain (the index, in order of first appearance): its most used anchors, most used first (ties
    A-Z), joined by " | "."""
    # Counted and ordered on integer codes: a value_counts of a million (domain, anchor) string pairs and a grouped
    # head of it cost ~0.5 s.
    domain_codes, domains = pd.factorize(backlinks["source_domain"].astype("str"), sort=False)
    anchor_codes, names = pd.factorize(backlinks["anchor"].fillna("").astype("str").str.strip(), sort=False)
    names = np.asarray(names, dtype=object)
    anchor_codes = _no_anchor_as_one(anchor_codes, names)
    width = max(len(names), 1)
    named = domain_codes >= 0
    pairs, counts = np.unique(domain_codes[named].astype(np.int64) * width + anchor_codes[named], return_counts=True)
    domain_of, anchor_of = np.divmod(pairs, width)  # sorted by domain
    by_text = pc.rank(pa.array(names, pa.large_string()), sort_keys="ascending", tiebreaker="first").to_numpy()
    order = _by_domain_count_text(domain_of, counts, by_text[anchor_of] - 1, width)
    domain_of, anchor_of = domain_of[order], anchor_of[order]
    starts = np.flatnonzero(np.r_[True, domain_of[1:] != domain_of[:-1]])
    place = np.arange(len(domain_of)) - np.repeat(starts, np.diff(np.r_[starts, len(domain_of)]))
    kept = place < anchors_per_domain
    domain_of, anchors, place = domain_of[kept], names[anchor_of[kept]], place[kept]
    # Joined place by place over whole columns: a Python join per domain cost ~1.2 s for 98,000 domains.
    joined = np.empty(len(domains), dtype=object)
    first = place == 0
    joined[domain_of[first]] = anchors[first]
    for n in range(1, anchors_per_domain):
        at = place == n
        joined[domain_of[at]] = joined[domain_of[at]] + " | " + anchors[at]
    return pd.Series(pd.array(joined, dtype="str"), index=pd.Index(domains, dtype="str", name="domain"))


def _no_anchor_as_one(codes: np.ndarray, names: np.ndarray) -> np.ndarray:
    """Codes with the empty anchor named NO_ANCHOR (`names` changed in place), merged with a literal NO_ANCHOR:
    renamed among the distinct anchors instead of replaced in a million rows."""
    empty, literal = np.flatnonzero(names == ""), np.flatnonzero(names == NO_ANCHOR)
    if not len(empty):
        return codes
    if len(literal):
        return np.where(codes == empty[0], literal[0], codes)
    names[empty[0]] = NO_ANCHOR
    return codes


def _by_domain_count_text(domain_of: np.ndarray, counts: np.ndarray, text_rank: np.ndarray, width: int
                          ) -> np.ndarray:
    """Positions by domain, then count (highest first), then text rank (0 <= rank < width): one integer key
    sorted when it fits in 64 bits (~0.01 s for 700,000 pairs already in domain order), else a lexsort (~0.1 s)."""
    if not len(counts):
        return np.zeros(0, dtype=np.int64)
    top = int(counts.max())
    if (int(domain_of.max()) + 1) * (top + 1) * width >= 2**63:
        return np.lexsort((text_rank, -counts, domain_of))
    key = (domain_of * (top + 1) + (top - counts)) * width + text_rank
    return np.argsort(key, kind="stable")


def review_progress(queue: pd.DataFrame, decided: pd.DataFrame, backlinks: pd.DataFrame | None = None,
                    risky_at: int | None = None) -> ReviewProgress:
    """How far the review got: decided / undecided domains, and the share of risky links reviewed.

    A risky link is a backlink from a domain scoring `risky_at` (RISKY_SCORE) or more; it counts as reviewed
    when its domain has a decision, or its own linking URL has one.
    """
    from lib.analysis.risk import RISKY_SCORE  # noqa: PLC0415 - decisions storage must not need the analysis

    threshold = RISKY_SCORE if risky_at is None else risky_at
    is_decided = queue["decision"] != "undecided"
    risky = queue["risk_score"].fillna(0) >= threshold
    by_decision = {d: int((queue["decision"] == d).sum()) for d in DECISIONS}
    url_rows = decided[(decided["scope"] == "url") & (decided["decision"] != "undecided")] if len(decided) else \
        decided
    risky_links = int(queue.loc[risky, "backlinks"].fillna(0).sum())
    reviewed = int(queue.loc[risky & is_decided, "backlinks"].fillna(0).sum())
    if backlinks is not None and len(backlinks) and len(url_rows):
        risky_open = set(queue.loc[risky & ~is_decided, "domain"])
        links = backlinks[backlinks["source_domain"].isin(risky_open)]
        urls = links["source_url"].astype("str").map(url_key)
        reviewed += int(urls.isin(set(url_rows["item"])).sum())
    return ReviewProgress(domains=len(queue), decided=int(is_decided.sum()), undecided=int((~is_decided).sum()),
                          by_decision=by_decision, risky_domains=int(risky.sum()),
                          risky_decided=int((risky & is_decided).sum()), risky_links=risky_links,
                          risky_links_reviewed=min(reviewed, risky_links), url_decisions=len(url_rows))


def url_key(url: str) -> str:
    """The key a URL decision is stored under; the URL itself when it is no http(s) URL (never decidable)."""
    try:
        return clean_item(url, "url")
    except ValueError:
        return url
