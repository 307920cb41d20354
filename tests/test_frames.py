"""lib.frames: row selection and per-code reductions that answer as pandas' own."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import frames, parallel
from lib.frames import (
    ColumnCodes,
    earliest_by_code,
    first_rows_by_code,
    labels_by_code,
    latest_by_code,
    max_by_code,
    rows_at,
    rows_where,
    sort_rows,
    values_at,
)


def mixed(n: int) -> pd.DataFrame:
    frame = pd.DataFrame({
        "text": pd.array([None if i % 5 == 0 else f"t{i}é" for i in range(n)], dtype="str"),
        "count": pd.array([None if i % 3 == 0 else i for i in range(n)], dtype="Int64"),
        "flag": [i % 2 == 0 for i in range(n)],
        "seen": pd.to_datetime([None if i % 4 == 0 else f"2025-01-{1 + i % 28:02d}" for i in range(n)]),
        "score": np.arange(n, dtype="float64") / 3,
        "key": np.arange(n, dtype="uint64"),
    }, index=pd.Index([f"r{i}" for i in range(n)]))
    return frame


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), max_size=30))
def test_rows_where_is_pandas_boolean_indexing(flags):
    frame = mixed(len(flags))
    mask = np.array(flags, dtype=bool)
    pd.testing.assert_frame_equal(rows_where(frame, mask), frame[mask])


def test_rows_where_keeps_repeated_column_names():
    frame = pd.DataFrame([[1, "a"], [2, "b"], [3, "c"]], columns=["x", "x"])
    picked = rows_where(frame, np.array([True, False, True]))
    assert list(picked.columns) == ["x", "x"] and picked.index.tolist() == [0, 2]
    assert picked.iloc[:, 1].tolist() == ["a", "c"]


def chunked_text(values: list, cut: int) -> pd.Series:
    """A str column of two Arrow chunks split at `cut`, as Parquet files and filters leave them."""
    import pyarrow as pa

    array = pa.array(values, pa.large_string())
    chunks = pa.chunked_array([array.slice(0, cut), array.slice(cut)], pa.large_string())
    template = pd.array([], dtype="str")
    return pd.Series(type(template)(chunks, dtype=template.dtype), index=[f"r{i}" for i in range(len(values))],
                     name="text")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab\u00e9", max_size=3) | st.none(), max_size=20), st.integers(0, 20),
       st.data())
def test_values_at_is_iloc_for_any_positions_and_chunking(values, cut, data):
    column = chunked_text(values, min(cut, len(values)))
    positions = data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=30 if values else 0))
    if data.draw(st.booleans()):
        positions = sorted(positions)  # ascending positions are taken chunk by chunk whatever their number
    expected = column.iloc[positions]
    taken = values_at(column, np.array(positions, dtype=np.int64))
    pd.testing.assert_series_equal(taken, expected)


def test_values_at_takes_from_each_chunk():
    # Arrow's own take would have concatenated both chunks into one first; the pieces of each chunk stay apart.
    column = chunked_text([f"u{i}" for i in range(100)], 50)
    taken = values_at(column, np.array([3, 60, 61, 99]))
    assert taken.tolist() == ["u3", "u60", "u61", "u99"] and taken.array._pa_array.num_chunks == 2
    assert values_at(column, np.array([70, 2, 55])).tolist() == ["u70", "u2", "u55"]  # few, unordered


def test_values_at_other_columns_as_iloc():
    column = pd.Series([1.5, 2.5, 3.5], index=["a", "b", "c"])
    pd.testing.assert_series_equal(values_at(column, np.array([2, 0])), column.iloc[[2, 0]])


def test_rows_at_equals_frame_take_with_each_column_taken_on_the_pool(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(frames, "PARALLEL_MIN_ROWS", 3)
    frame = mixed(7)
    frame["text"] = chunked_text([None, "b", "c", "d", "\u00e9", "f", "g"], 3).array  # two Arrow chunks
    pooled = []
    each = frames.each
    monkeypatch.setattr(frames, "each", lambda work, items, threads=None: pooled.append((list(items), threads))
                        or each(work, pooled[-1][0], threads))
    order = np.array([4, 0, 2, 3, 6, 6])
    pd.testing.assert_frame_equal(rows_at(frame, order), frame.take(order))
    assert pooled == [(list(frame.columns), None)]
    # Fewer rows than PARALLEL_MIN_ROWS: one column after another on this thread.
    pd.testing.assert_frame_equal(rows_at(frame, order[:2]), frame.take(order[:2]))
    assert pooled[-1] == (list(frame.columns), 1)
    pd.testing.assert_frame_equal(rows_at(frame, np.array([], dtype=np.int64)), frame.take([]))


def test_rows_at_keeps_repeated_column_names():
    frame = pd.DataFrame([[1, "a"], [2, "b"], [3, "c"]], columns=["x", "x"])
    pd.testing.assert_frame_equal(rows_at(frame, np.array([2, 0])), frame.take([2, 0]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.none() | st.integers(0, 100), st.none() | st.integers(1, 28)),
                max_size=20))
def test_reductions_by_code_equal_pandas_groupby(rows):
    size = 6  # codes 5 (and any not drawn) have no row: NaN / NaT
    codes = np.array([r[0] for r in rows], dtype=np.int64)
    values = pd.array([r[1] for r in rows], dtype="Int64")
    dates = pd.to_datetime([f"2024-05-{r[2]:02d}" if r[2] else None for r in rows]).as_unit("s")
    grouped = pd.DataFrame({"value": values, "date": dates}).groupby(codes).agg(
        value=("value", "max"), date=("date", "min"), last=("date", "max"))
    grouped = grouped.reindex(range(size))
    best = max_by_code(codes, values.to_numpy(dtype="float64", na_value=np.nan), size)
    np.testing.assert_array_equal(best, grouped["value"].to_numpy(dtype="float64", na_value=np.nan))
    earliest = earliest_by_code(codes, dates.to_numpy(), size)
    assert earliest.dtype == np.dtype("datetime64[s]")
    np.testing.assert_array_equal(earliest, grouped["date"].to_numpy())
    np.testing.assert_array_equal(latest_by_code(codes, dates.to_numpy(), size), grouped["last"].to_numpy())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-1, 5), max_size=30))
def test_first_rows_by_code_is_each_codes_first_position(codes):
    first = first_rows_by_code(np.array(codes, dtype=np.int64), 7)
    assert first.tolist() == [codes.index(c) if c in codes else -1 for c in range(7)]


@given(st.lists(st.integers(0, 2), max_size=50))
def test_labels_by_code_is_the_label_of_each_code_as_text(codes):
    index = pd.RangeIndex(10, 10 + len(codes))
    got = labels_by_code(np.array(codes, dtype=np.int64), ("text", "image", ""), index)
    expected = pd.Series(pd.array([("text", "image", "")[c] for c in codes], dtype="str"), index=index)
    pd.testing.assert_series_equal(got, expected)


def test_labels_by_code_reads_flags_as_false_then_true():
    got = labels_by_code(np.array([True, False, True]), ("domain facts", "links"))
    assert got.tolist() == ["links", "domain facts", "links"]
    assert got.dtype == pd.StringDtype(na_value=np.nan)



@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 3)), st.one_of(st.none(), st.floats(0, 2).map(round)),
                          st.one_of(st.none(), st.sampled_from(["", "a", "B", "b", "é", "ab"]))), max_size=40),
       st.lists(st.booleans(), min_size=3, max_size=3))
def test_sort_rows_is_a_stable_pandas_sort_with_missing_values_last(rows, ascending):
    frame = pd.DataFrame({"score": pd.array([r[0] for r in rows], dtype="Int64"),
                          "share": pd.Series([r[1] for r in rows], dtype="float64"),
                          "name": pd.array([r[2] for r in rows], dtype="str")},
                         index=pd.RangeIndex(100, 100 + len(rows)))
    by = ["score", "share", "name"]
    expected = frame.sort_values(by, ascending=ascending, kind="stable", na_position="last")
    pd.testing.assert_frame_equal(sort_rows(frame, by, ascending), expected)
    pd.testing.assert_frame_equal(sort_rows(frame, ["name", "score"], ascending[:2]),
                                  frame.sort_values(["name", "score"], ascending=ascending[:2], kind="stable",
                                                    na_position="last"))



@given(st.lists(st.one_of(st.none(), st.sampled_from(["a.com", "b.org", "", "c.net"])), max_size=30))
def test_column_codes_are_pandas_factorisation_with_the_per_value_figures(values):
    column = pd.Series(values, dtype="str")
    shared = ColumnCodes(column)
    codes, uniques = pd.factorize(column, sort=False)
    np.testing.assert_array_equal(shared.codes, codes)
    assert shared.uniques.tolist() == list(uniques) and shared.uniques.dtype == "str"
    np.testing.assert_array_equal(shared.valid, codes >= 0)
    np.testing.assert_array_equal(shared.valid_codes, codes[codes >= 0])
    np.testing.assert_array_equal(shared.size, np.bincount(codes[codes >= 0], minlength=len(uniques)))
    weights = np.arange(len(values), dtype="float64")
    np.testing.assert_array_equal(shared.of_valid(weights), weights[codes >= 0])
