"""API units: a monthly budget per workspace, and every unit spent, kept in SQLite.

Semrush bills per returned line, so a loop over competitors can burn a month of units in
seconds. A fetch asks `check_budget` with its estimate before the first request and `record`s
what each answer really cost afterwards. Months are calendar months in UTC.

The check and the fetch are not one transaction: two tabs fetching at the same moment can
together exceed the budget by at most one fetch's estimate. The budget is a guard rail, not
an accounting system; Semrush's own balance is the hard limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from lib.db import session, transaction
from lib.semrush.errors import BudgetExceeded

DDL = """
CREATE TABLE IF NOT EXISTS api_usage (
    workspace_id TEXT NOT NULL,
    at TEXT NOT NULL,
    report TEXT NOT NULL,
    target TEXT NOT NULL,
    rows INT NOT NULL,
    units INT NOT NULL
);
CREATE INDEX IF NOT EXISTS api_usage_by_workspace_time ON api_usage (workspace_id, at);
CREATE TABLE IF NOT EXISTS api_budget (
    workspace_id TEXT PRIMARY KEY,
    monthly_units INT
);
"""

_AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # sorts as text, so month sums are range scans


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _at(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime(_AT_FORMAT)


def _month_bounds(moment: datetime) -> tuple[str, str]:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return _at(start), _at(end)


@dataclass(frozen=True)
class UsageRow:
    at: str
    report: str
    target: str
    rows: int
    units: int


def record(workspace_id: str, report: str, target: str, rows: int, units: int, *, at: datetime | None = None,
           root: Path | None = None) -> None:
    """Remember what one fetch cost. Answers served from the cache cost nothing and need no record."""
    with session(DDL, root) as conn, transaction(conn):
        conn.execute("INSERT INTO api_usage (workspace_id, at, report, target, rows, units) VALUES (?, ?, ?, ?, ?, ?)",
                     (workspace_id, _at(at or _now()), report, target, int(rows), int(units)))


def spent_this_month(workspace_id: str, *, now: datetime | None = None, root: Path | None = None) -> int:
    start, end = _month_bounds(now or _now())
    with session(DDL, root) as conn:
        row = conn.execute("SELECT COALESCE(SUM(units), 0) FROM api_usage "
                           "WHERE workspace_id = ? AND at >= ? AND at < ?", (workspace_id, start, end)).fetchone()
    return int(row[0])


def usage_this_month(workspace_id: str, *, now: datetime | None = None, root: Path | None = None) -> list[UsageRow]:
    start, end = _month_bounds(now or _now())
    with session(DDL, root) as conn:
        rows = conn.execute("SELECT at, report, target, rows, units FROM api_usage WHERE workspace_id = ? "
                            "AND at >= ? AND at < ? ORDER BY at", (workspace_id, start, end)).fetchall()
    return [UsageRow(r["at"], r["report"], r["target"], int(r["rows"]), int(r["units"])) for r in rows]


def set_budget(workspace_id: str, monthly_units: int | None, *, root: Path | None = None) -> None:
    """A monthly ceiling in API units; None removes it."""
    if monthly_units is not None and monthly_units < 0:
        raise ValueError("A monthly budget cannot be negative.")
    with session(DDL, root) as conn, transaction(conn):
        conn.execute("INSERT INTO api_budget (workspace_id, monthly_units) VALUES (?, ?) "
                     "ON CONFLICT(workspace_id) DO UPDATE SET monthly_units = excluded.monthly_units",
                     (workspace_id, monthly_units))


def get_budget(workspace_id: str, *, root: Path | None = None) -> int | None:
    with session(DDL, root) as conn:
        row = conn.execute("SELECT monthly_units FROM api_budget WHERE workspace_id = ?", (workspace_id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def remaining(workspace_id: str, *, now: datetime | None = None, root: Path | None = None) -> int | None:
    """Units left this month, or None when the workspace has no budget."""
    budget = get_budget(workspace_id, root=root)
    if budget is None:
        return None
    return max(budget - spent_this_month(workspace_id, now=now, root=root), 0)


def check_budget(workspace_id: str, estimated_units: int, *, now: datetime | None = None,
                 root: Path | None = None) -> int | None:
    """Raise BudgetExceeded when spending `estimated_units` would overflow this month's budget.

    Returns the units that would be left afterwards (None without a budget).
    """
    budget = get_budget(workspace_id, root=root)
    if budget is None:
        return None
    spent = spent_this_month(workspace_id, now=now, root=root)
    if spent + estimated_units > budget:
        raise BudgetExceeded(budget=budget, spent=spent, estimated=estimated_units)
    return budget - spent - estimated_units
