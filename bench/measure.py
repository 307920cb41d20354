"""Timing, results and the printed table."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    """One measured row: `values` are seconds (or MB / rows for `unit`), one per repetition."""
    name: str
    size: str
    values: list[float] = field(default_factory=list)
    unit: str = "s"  # "s", "MB" or "rows"
    target: float | None = None  # pass when the median is at most this
    ratio_to: str | None = None  # name of the baseline row the ratio is taken to
    ratio_target: float | None = None  # pass when median / baseline median is at most this
    note: str = ""  # why a row has no numbers ("not available: ...") or what it covers
    group: str = ""

    @property
    def min(self) -> float | None:
        return min(self.values) if self.values else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def timed(func: Callable[[], object], repeat: int, warmup: bool = False) -> list[float]:
    """Wall-clock seconds of `repeat` calls; collections run between calls, not inside them."""
    if warmup:
        func()
    values = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        func()
        values.append(time.perf_counter() - started)
    return values


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "rows":
        return f"{value:,.0f} rows"
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.2f} s"


def _target_text(result: Result) -> str:
    if result.ratio_target is not None:
        return f"≤ {result.ratio_target:g}× {result.ratio_to}"
    if result.target is None:
        return "—"
    if result.unit == "s":
        return "< " + _format(result.target, "s")
    return "≤ " + _format(result.target, result.unit)


def ratio(result: Result, by_name: dict[str, Result]) -> float | None:
    base = by_name.get(result.ratio_to or "")
    if base is None or base.median in (None, 0) or result.median is None:
        return None
    return result.median / base.median


def verdict(result: Result, by_name: dict[str, Result]) -> str:
    if result.median is None:
        return "n/a"
    if result.ratio_target is not None:
        found = ratio(result, by_name)
        return "n/a" if found is None else ("pass" if found <= result.ratio_target else "FAIL")
    if result.target is None:
        return ""
    return "pass" if result.median <= result.target else "FAIL"


COLUMNS = ("measurement", "size", "min", "median", "target", "ratio to pandas.read_csv", "result")


def table(results: list[Result]) -> str:
    """A Markdown table: one row per measurement, the ratio to the size's pandas.read_csv baseline."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(" --- " for _ in COLUMNS) + "|"]
    for result in results:
        by_name = {r.name: r for r in results if r.size == result.size}
        shown_ratio = ratio(result, by_name)
        cells = [result.name + (f" ({result.note})" if result.note else ""), result.size,
                 _format(result.min, result.unit), _format(result.median, result.unit), _target_text(result),
                 f"{shown_ratio:.2f}×" if shown_ratio is not None else "", verdict(result, by_name)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
