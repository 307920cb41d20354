"""lib.frames: row selection that answers as pandas' own."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.frames import rows_where


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
