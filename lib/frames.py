"""Row selection of big frames, and per-code reductions of their columns (no groupby of a million rows)."""

from __future__ import annotations

from collections.abc import Sequence

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
