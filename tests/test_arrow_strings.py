"""edge_characters reads first and last characters from Arrow's buffers; map_slices splits a kernel over threads."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import parallel
from lib.arrow_strings import edge_characters, map_slices


def _expected(values: list[str | None]) -> set[str]:
    return {edge for v in values if v for edge in (v[0], v[-1])}


def test_examples():
    values = [" a", "b\t", "", None, "\u00e9t\u00e9", "x\u3000", "\U0001F600y", "z"]
    assert edge_characters(pa.array(values, pa.large_string())) == _expected(values)
    assert edge_characters(pa.array(values, pa.string())) == _expected(values)


def test_empty_and_all_empty_strings():
    assert edge_characters(pa.array([], pa.large_string())) == set()
    assert edge_characters(pa.array(["", None, ""], pa.large_string())) == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" \t\xa0\u2003a\u00e9\u4e2d\U0001F600,", max_size=6) | st.none(), max_size=12),
       st.integers(0, 4), st.integers(0, 4))
def test_any_text_sliced_and_chunked(values, cut, length):
    array = pa.array(values, pa.large_string())
    # Slices and chunks start at an offset into the buffers: the answer must not depend on where.
    sliced = array.slice(min(cut, len(values)), length)
    assert edge_characters(sliced) == _expected(sliced.to_pylist())
    chunked = pa.chunked_array([array.slice(0, cut), array.slice(cut)], pa.large_string())
    assert edge_characters(chunked) == _expected(values)


def test_map_slices_gives_the_kernel_answer_in_order(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ROWS", 10)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    values = pa.array([f"https://host{i % 7}.example/{i}" for i in range(1_001)], pa.large_string())

    def kernel(part: pa.Array) -> pa.Array:
        return pc.struct_field(pc.extract_regex(part, r"//(?P<host>[^/]*)"), "host")

    in_slices = map_slices(kernel, values)
    assert isinstance(in_slices, pa.ChunkedArray) and in_slices.num_chunks > 1  # it did split the work
    assert in_slices.combine_chunks().equals(kernel(values))
    chunked = pa.chunked_array([values.slice(0, 400), values.slice(400)])
    assert map_slices(kernel, chunked).combine_chunks().equals(kernel(values))
