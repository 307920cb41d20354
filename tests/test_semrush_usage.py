"""API unit budgets and spend per workspace (SQLite under LINKSCOPE_DATA_DIR), and the price table."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from lib.semrush import REPORTS, UNIT_PRICES, BudgetExceeded, SemrushError, estimate_units, usage
from lib.semrush.reports import units_for_answer

JUNE = datetime(2024, 6, 15, 12, 0, tzinfo=timezone.utc)


def test_spend_is_summed_per_workspace_and_calendar_month(data_dir):
    usage.record("ws", "backlinks", "example.com", 100, 4000, at=datetime(2024, 5, 31, 23, 59, 59, tzinfo=timezone.utc))
    usage.record("ws", "backlinks", "example.com", 100, 4000, at=datetime(2024, 6, 1, 0, 0, 0, tzinfo=timezone.utc))
    usage.record("ws", "backlinks_refdomains", "rival.com", 10, 400, at=JUNE)
    usage.record("other", "backlinks", "example.com", 1, 40, at=JUNE)
    usage.record("ws", "backlinks", "example.com", 1, 40, at=datetime(2024, 7, 1, tzinfo=timezone.utc))

    assert usage.spent_this_month("ws", now=JUNE) == 4400
    assert usage.spent_this_month("other", now=JUNE) == 40
    assert usage.spent_this_month("nobody", now=JUNE) == 0
    assert [(r.report, r.units) for r in usage.usage_this_month("ws", now=JUNE)] == [
        ("backlinks", 4000), ("backlinks_refdomains", 400)]
    with sqlite3.connect(data_dir / "linkscope.db") as conn:  # the table the brief names, in the shared database
        assert conn.execute("SELECT COUNT(*) FROM api_usage").fetchone()[0] == 5


def test_december_rolls_into_january():
    usage.record("ws", "backlinks", "x.com", 1, 40, at=datetime(2024, 12, 31, 23, 0, tzinfo=timezone.utc))
    usage.record("ws", "backlinks", "x.com", 1, 80, at=datetime(2025, 1, 1, 1, 0, tzinfo=timezone.utc))
    assert usage.spent_this_month("ws", now=datetime(2024, 12, 2, tzinfo=timezone.utc)) == 40
    assert usage.spent_this_month("ws", now=datetime(2025, 1, 20, tzinfo=timezone.utc)) == 80


def test_budgets_can_be_set_changed_and_removed():
    assert usage.get_budget("ws") is None and usage.remaining("ws") is None
    usage.set_budget("ws", 10_000)
    usage.set_budget("ws", 50_000)
    assert usage.get_budget("ws") == 50_000
    usage.set_budget("ws", None)
    assert usage.get_budget("ws") is None
    with pytest.raises(ValueError):
        usage.set_budget("ws", -1)


def test_check_budget_refuses_what_would_overflow(data_dir):
    assert usage.check_budget("ws", 10**9) is None  # no budget, no limit
    usage.set_budget("ws", 50_000)
    usage.record("ws", "backlinks", "example.com", 950, 38_000, at=JUNE)

    assert usage.check_budget("ws", 12_000, now=JUNE) == 0
    with pytest.raises(BudgetExceeded) as caught:
        usage.check_budget("ws", 12_040, now=JUNE)
    error = caught.value
    assert isinstance(error, SemrushError)
    assert (error.budget, error.spent, error.estimated) == (50_000, 38_000, 12_040)
    assert "12,040" in error.message and "12,000" in error.message and "budget" in error.message
    assert usage.remaining("ws", now=JUNE) == 12_000
    # Next month the budget is whole again.
    assert usage.check_budget("ws", 50_000, now=datetime(2024, 7, 1, tzinfo=timezone.utc)) == 0


def test_the_budget_tables_live_in_the_data_directory_given(tmp_path):
    root = tmp_path / "elsewhere"
    root.mkdir()
    usage.set_budget("ws", 5, root=root)
    usage.record("ws", "backlinks", "x.com", 1, 40, root=root)
    assert usage.get_budget("ws", root=root) == 5 and usage.spent_this_month("ws", root=root) == 40
    assert usage.get_budget("ws") is None and usage.spent_this_month("ws") == 0


def test_one_price_table_covers_every_report():
    assert set(UNIT_PRICES) == set(REPORTS)
    assert estimate_units("backlinks", 2500) == 100_000
    assert estimate_units("backlinks_refdomains", 0) == 0
    assert estimate_units("backlinks_overview", 500) == 40  # per request, one request
    assert units_for_answer("backlinks_overview", 1) == 40 and units_for_answer("backlinks_overview", 0) == 0
    assert units_for_answer("backlinks_matrix", 10) == 400
    for report in REPORTS.values():
        assert report.price > 0
