"""The monthly workflow: analytics → referring domains → anchors → audit → new and lost → gap → export →
outreach, as a checklist per workspace and month.

A step is ticked automatically when the workspace holds evidence that it was done that month (data imported,
domains marked, decisions made, prospects added, a report built). Steps the data cannot show (reading a chart)
are ticked by hand; a hand tick is stored per workspace, month and step, so it survives restarts, and it can
also confirm a step whose evidence is missing. Months are "YYYY-MM" in UTC, like every stored timestamp.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from lib import db, decisions, marks, outreach, snapshots
from lib.workspaces import get_workspace, now_iso


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    page: str  # the page file that does the step
    advice: str
    evidence: str | None  # what ticks it automatically; None: only a hand tick can


STEPS: tuple[Step, ...] = (
    Step("analytics", "Load this month's data and read the overview", "pages/overview.py",
         "Import the month's Semrush exports or fetch them with the API, then read backlinks, referring domains, "
         "Authority Score and growth.", "data imported this month"),
    Step("referring_domains", "Review the referring domains", "pages/referring_domains.py",
         "Who links, how strong, how relevant; mark the good ones and the ones to look at.",
         "domains marked or re-categorised this month"),
    Step("anchors", "Check the anchor texts", "pages/anchors.py",
         "Brand, URL, generic and keyword anchors; act on an over-optimisation warning.", None),
    Step("audit", "Audit the risky links", "pages/audit.py",
         "Decide keep / remove / disavow for the riskiest domains; disavow only clearly manipulative links.",
         "review decisions made this month"),
    Step("new_lost", "Look at new and lost links", "pages/new_lost.py",
         "Lost links from strong domains first, and the pages that lost them.", None),
    Step("gap", "Run the backlink gap", "pages/gap.py",
         "Domains that link to your competitors but not to you, prioritised.",
         "competitor data imported or gap prospects added this month"),
    Step("export", "Export the month's report", "pages/report.py",
         "Build the client report for your client (tick by hand if you sent tables instead).",
         "a client report built this month"),
    Step("outreach", "Work the outreach list", "pages/outreach.py",
         "Add the best prospects, contact them, note replies and follow-ups.",
         "outreach rows added or updated this month"),
)
STEP_KEYS = tuple(step.key for step in STEPS)

_OWN_DDL = """
CREATE TABLE IF NOT EXISTS workflow_ticks (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    step TEXT NOT NULL,
    done INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workspace_id, month, step)
);
CREATE TABLE IF NOT EXISTS workflow_events (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    at TEXT NOT NULL
);
"""
# The evidence lives in other features' tables: create them too, so an unused feature simply counts zero.
DDL = snapshots.DDL + marks.DDL + decisions.DDL + outreach.DDL + _OWN_DDL

EVENTS = ("report_built",)


def month_of(day: date | pd.Timestamp | str) -> str:
    return pd.Timestamp(day).strftime("%Y-%m")


def _check_month(month: str) -> str:
    try:
        pd.Period(month, freq="M")
    except (ValueError, TypeError) as error:
        raise ValueError(f"month must look like 2026-11, not {month!r}") from error
    if len(month) != 7:
        raise ValueError(f"month must look like 2026-11, not {month!r}")
    return month


def set_tick(workspace_id: str, month: str, step: str, done: bool, root: Path | None = None) -> None:
    """Tick (or untick) a step by hand for a month."""
    if step not in STEP_KEYS:
        raise ValueError(f"step must be one of {STEP_KEYS}, not {step!r}")
    with db.session(DDL, root) as conn, db.transaction(conn):
        conn.execute("INSERT INTO workflow_ticks VALUES (?, ?, ?, ?, ?) ON CONFLICT(workspace_id, month, step) "
                     "DO UPDATE SET done=excluded.done, updated_at=excluded.updated_at",
                     (workspace_id, _check_month(month), step, int(bool(done)), now_iso()))


def ticks(workspace_id: str, month: str, root: Path | None = None) -> dict[str, bool]:
    with db.session(DDL, root) as conn:
        rows = conn.execute("SELECT step, done FROM workflow_ticks WHERE workspace_id = ? AND month = ?",
                            (workspace_id, _check_month(month))).fetchall()
    return {row["step"]: bool(row["done"]) for row in rows}


def record_event(workspace_id: str, event: str, root: Path | None = None) -> None:
    """Note that something the checklist looks for happened now (e.g. a report was built)."""
    if event not in EVENTS:
        raise ValueError(f"event must be one of {EVENTS}, not {event!r}")
    with db.session(DDL, root) as conn, db.transaction(conn):
        conn.execute("INSERT INTO workflow_events VALUES (?, ?, ?)", (workspace_id, event, now_iso()))


def _count(conn, sql: str, workspace_id: str, month: str) -> int:
    return int(conn.execute(sql, (workspace_id, f"{month}%")).fetchone()[0])


_EVIDENCE_SQL = {
    "analytics": ["SELECT COUNT(*) FROM snapshots WHERE workspace_id = ? AND imported_at LIKE ? "
                  "AND kind IN ('backlinks', 'referring_domains') AND source != 'demo'"],
    "referring_domains": ["SELECT COUNT(*) FROM domain_marks WHERE workspace_id = ? AND updated_at LIKE ?",
                          "SELECT COUNT(*) FROM domain_category_overrides WHERE workspace_id = ? "
                          "AND updated_at LIKE ?"],
    "audit": ["SELECT COUNT(*) FROM audit_decision_history WHERE workspace_id = ? AND decided_at LIKE ?"],
    "gap": ["SELECT COUNT(*) FROM snapshots WHERE workspace_id = ? AND imported_at LIKE ? "
            "AND kind IN ('gap', 'gap_backlinks') AND source != 'demo'",
            "SELECT COUNT(*) FROM outreach WHERE workspace_id = ? AND added_at LIKE ? AND source = 'gap'"],
    "export": ["SELECT COUNT(*) FROM workflow_events WHERE workspace_id = ? AND at LIKE ? "
               "AND event = 'report_built'"],
    "outreach": ["SELECT COUNT(*) FROM outreach WHERE workspace_id = ? AND updated_at LIKE ?"],
}


def gather_evidence(workspace_id: str, month: str, root: Path | None = None) -> dict[str, int]:
    """For each step that data can show, how many things in the workspace show it was done in `month`.

    The demo workspace's own bundled data does not count as an import: a new user has not done anything yet.
    """
    month = _check_month(month)
    with db.session(DDL, root) as conn:
        found = {step: sum(_count(conn, sql, workspace_id, month) for sql in queries)
                 for step, queries in _EVIDENCE_SQL.items()}
    workspace = get_workspace(workspace_id, root)
    if workspace and workspace.competitors:
        # Competitors' own exports (or API fetches) are gap data too: the gap is computed from them.
        found["gap"] += sum(1 for s in snapshots.list_snapshots(workspace_id, root=root)
                            if s.target_domain in workspace.competitors and s.source != "demo"
                            and s.imported_at.startswith(month))
    return found


def checklist(month: str, evidence: Mapping[str, int], hand_ticks: Mapping[str, bool]) -> pd.DataFrame:
    """One row per step in workflow order: done, whether the data ticked it (auto), and why.

    A hand tick wins over the evidence either way, so a user can untick a step the data ticked.
    """
    _check_month(month)
    rows = []
    for number, step in enumerate(STEPS, start=1):
        found = int(evidence.get(step.key, 0))
        auto = step.evidence is not None and found > 0
        done = hand_ticks.get(step.key, auto)
        if step.key in hand_ticks:
            why = "ticked by hand" if done else "unticked by hand"
        elif auto:
            why = f"{step.evidence}: {found:,}"
        elif step.evidence:
            why = f"not yet: looks for {step.evidence}"
        else:
            why = "tick it when done"
        rows.append({"number": number, "step": step.key, "title": step.title, "page": step.page,
                     "advice": step.advice, "done": bool(done), "auto": auto, "why": why})
    return pd.DataFrame(rows)


def progress(items: pd.DataFrame) -> tuple[int, int]:
    """(steps done, steps in all)."""
    return int(items["done"].sum()), len(items)
