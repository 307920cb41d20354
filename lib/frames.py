"""Row selection of big frames, and per-code reductions of their columns (no groupby of a million rows)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from lib.arrow_strings import sort_indices, take_from_chunks
from lib.parallel import PARALLEL_MIN_ROWS, each


def rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """`frame[mask]` for a boolean mask, one column at a time, index labels kept.

    Arrow filters each chunk of a column by its share of the mask, where its take by positions (and so pandas'
    filter of a frame, which takes by positions) first concatenates the chunks into a fresh copy of the whole
    column: 610,000 of a million links' four text and flag columns took ~0.2 s by `take(positions)`, ~0.035 s
    by this.
    """
    mask = np.asarray(mask, dtype=bool)
    columns = [frame.iloc[:, i].array[mask] for i in range(frame.shape[1])]
    out = pd.DataFrame(dict(enumerate(columns)), index=frame.index[mask])
    out.columns = frame.columns
    return out


def values_at(column: pd.Series, positions: np.ndarray) -> pd.Series:
    """`column.iloc[positions]` for non-negative positions, index labels kept; an Arrow text column is taken
    chunk by chunk (lib.arrow_strings.take_from_chunks) instead of being copied whole first."""
    positions = np.asarray(positions, dtype=np.int64)
    array = column.array
    if not isinstance(array, pd.arrays.ArrowStringArray) or not hasattr(array, "_pa_array"):
        return column.iloc[positions]
    taken = type(array)(take_from_chunks(array._pa_array, positions), dtype=array.dtype)
    return pd.Series(taken, index=column.index[positions], name=column.name)


def rows_at(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """`frame.take(positions)` for non-negative positions, one column at a time: text columns chunk by chunk
    (values_at), and on every core for many rows (Arrow's take releases the GIL; pandas takes one column after
    another: ~450,000 rows of eight text and date columns cost ~0.2 s on one core)."""
    positions = np.asarray(positions, dtype=np.int64)
    if not frame.columns.is_unique:
        return frame.take(positions)
    threads = None if len(positions) >= PARALLEL_MIN_ROWS and frame.shape[1] > 1 else 1
    columns = each(lambda name: values_at(frame[name], positions).array, list(frame.columns), threads)
    return pd.DataFrame(dict(zip(frame.columns, columns)), index=frame.index.take(positions))


@dataclass(frozen=True)
class _Factorised:
    codes: np.ndarray  # each row's value as a position in `uniques`, -1 where it is missing
    valid: np.ndarray  # codes >= 0
    uniques: pd.Index  # the distinct values, in order of first appearance
    size: np.ndarray  # rows per distinct value
    valid_codes: np.ndarray  # codes[valid]
    every: bool  # no row is missing


class ColumnCodes:
    """A text column factorised once (pd.factorize, in order of first appearance), on first use and under a lock:
    work on two threads that groups the same million rows by it shares one factorisation (~0.05 s each), and
    every per-value figure is a bincount or ufunc.at over the codes."""

    def __init__(self, column: pd.Series):
        self._column = column
        self._lock = threading.Lock()
        self._made: _Factorised | None = None

    def _factorised(self) -> _Factorised:
        with self._lock:
            if self._made is None:
                codes, uniques = pd.factorize(self._column, sort=False)
                valid = codes >= 0
                every = bool(valid.all())
                valid_codes = codes if every else codes[valid]
                self._made = _Factorised(codes, valid, pd.Index(uniques, dtype="str"),
                                         np.bincount(valid_codes, minlength=len(uniques)), valid_codes, every)
            return self._made

    codes = property(lambda self: self._factorised().codes)
    valid = property(lambda self: self._factorised().valid)
    uniques = property(lambda self: self._factorised().uniques)
    size = property(lambda self: self._factorised().size)
    valid_codes = property(lambda self: self._factorised().valid_codes)

    def of_valid(self, values: np.ndarray) -> np.ndarray:
        """Per-row `values` at the rows that have a value, in line with `valid_codes`: `values` itself when no row
        is missing (no copy of a million values for each per-value sum)."""
        return values if self._factorised().every else values[self.valid]


def labels_by_code(codes: np.ndarray, labels: Sequence[str], index: pd.Index | None = None) -> pd.Series:
    """`labels[code]` for each code (flags: `labels[0]` where false, `labels[1]` where true), as a text column.

    One Arrow take from the few labels: building the column with `np.where(flags, "a", "b")` makes a NumPy
    string per row for pandas to convert again (~0.09 s for a million rows, ~0.01 s this way)."""
    codes = np.asarray(codes)
    taken = pa.array(list(labels), pa.large_string()).take(pa.array(codes.astype(np.int64, copy=False)))
    return pd.Series(pd.array(taken, dtype="str"), index=index)


def max_by_code(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """The largest value per code (0..size-1), NaN where a code has no value but NaN: ufunc.at, no hashing
    or sorting of a million codes (pandas' groupby max took ~0.05 s of one core for a million rows)."""
    best = np.full(size, -np.inf)
    np.maximum.at(best, codes, np.where(np.isnan(values), -np.inf, values))
    best[np.isneginf(best)] = np.nan
    return best


def earliest_by_code(codes: np.ndarray, dates: np.ndarray, size: int) -> np.ndarray:
    """The earliest datetime64 per code (0..size-1), NaT where a code has none; the dates' unit kept."""
    values = dates.view(np.int64)
    missing, latest = np.iinfo(np.int64).min, np.iinfo(np.int64).max  # NaT is the smallest int64
    earliest = np.full(size, latest, dtype=np.int64)
    np.minimum.at(earliest, codes, np.where(values == missing, latest, values))
    earliest[earliest == latest] = missing
    return earliest.view(dates.dtype)


def latest_by_code(codes: np.ndarray, dates: np.ndarray, size: int) -> np.ndarray:
    """The latest datetime64 per code (0..size-1), NaT where a code has none; the dates' unit kept."""
    latest = np.full(size, np.iinfo(np.int64).min, dtype=np.int64)  # NaT: below every date, so never the latest
    np.maximum.at(latest, codes, dates.view(np.int64))
    return latest.view(dates.dtype)


def first_rows_by_code(codes: np.ndarray, size: int) -> np.ndarray:
    """Each code's first position in `codes` (codes 0..size-1), -1 for a code that does not occur; negative
    codes (missing values) are skipped. The positions are written in reverse, so a code's first write is the one
    that stays: no sort and no groupby of a million codes."""
    rows = np.flatnonzero(codes >= 0)
    first = np.full(size, -1, dtype=np.int64)
    first[codes[rows][::-1]] = rows[::-1]
    return first


def sort_positions(frame: pd.DataFrame, by: list[str], ascending: list[bool]) -> np.ndarray:
    """The positions `frame.sort_values(by, ascending=ascending, kind="stable", na_position="last")` puts the rows
    in, sorted by Arrow with each text key ranked first (lib.arrow_strings.sort_indices: where many rows tie on the
    keys before a text, as counts and scores do, pandas and Arrow both compare or factorise the texts at length)."""
    table = pa.table({c: pa.array(frame[c], from_pandas=True) for c in by})
    return sort_indices(table, [(c, "ascending" if up else "descending", "at_end") for c, up in zip(by, ascending)])


def sort_rows(frame: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """`frame.sort_values(by, ascending=ascending, kind="stable", na_position="last")`, by sort_positions."""
    return frame.take(sort_positions(frame, by, ascending))
