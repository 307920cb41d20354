"""edge_characters reads first and last characters from Arrow's buffers; string_hashes hashes from them; map_slices
splits a kernel over threads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import arrow_strings, parallel
from lib.arrow_strings import (
    edge_characters,
    has_line_break,
    map_slices,
    pair_hashes,
    positions_in,
    sort_indices,
    string_hashes,
    take_from_chunks,
)


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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab\u00e9", max_size=3) | st.none(), min_size=1, max_size=30),
       st.lists(st.integers(0, 30), max_size=4), st.data())
def test_take_from_chunks_equals_arrows_take(values, cuts, data):
    array = pa.array(values, pa.large_string())
    bounds = sorted({0, len(values), *(min(c, len(values)) for c in cuts)})
    chunked = pa.chunked_array([array.slice(a, b - a) for a, b in zip(bounds, bounds[1:])] or [array],
                               pa.large_string())
    positions = np.array(data.draw(st.lists(st.integers(0, len(values) - 1), max_size=40)), dtype=np.int64)
    if data.draw(st.booleans()):
        positions = np.sort(positions)
    taken = take_from_chunks(chunked, positions)
    assert taken.type == chunked.type
    assert taken.to_pylist() == chunked.take(pa.array(positions, pa.int64())).to_pylist()


def test_has_line_break_examples():
    assert has_line_break(pa.array(["a", "b\nc"], pa.string()))
    assert has_line_break(pa.chunked_array([pa.array(["a"]), pa.array(["", "x\n"])]))
    assert not has_line_break(pa.array(["a\r", "", None, "\u2028"], pa.large_string()))
    assert not has_line_break(pa.array([], pa.large_string()))
    assert not has_line_break(pa.array(["a\n", "b", "c"]).slice(1))  # bytes outside a slice are not its own


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="a\n\r \u00e9", max_size=5) | st.none(), max_size=10), st.integers(0, 10),
       st.integers(0, 10))
def test_has_line_break_of_any_slice_and_chunking(values, cut, length):
    array = pa.array(values, pa.large_string())
    sliced = array.slice(min(cut, len(values)), length)
    assert has_line_break(sliced) == any("\n" in v for v in sliced.to_pylist() if v)
    chunked = pa.chunked_array([array.slice(0, cut), array.slice(cut)], pa.large_string())
    assert has_line_break(chunked) == any("\n" in v for v in values if v)


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


_MASK64 = (1 << 64) - 1


def _fmix(value: int) -> int:
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & _MASK64
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & _MASK64
    return value ^ (value >> 33)


def _reference_hash(text: str | None) -> int:
    """string_hashes spelled out one string at a time: the length, then each 8-byte little-endian word."""
    data = (text or "").encode("utf-8")
    hashed = (len(data) * 0x9E3779B97F4A7C15) & _MASK64
    for start in range(0, max(len(data), 1), 8):
        hashed = _fmix(hashed ^ int.from_bytes(data[start:start + 8], "little"))
    return hashed


def _reference(values: list[str | None]) -> list[int]:
    return [_reference_hash(value) for value in values]


def test_hashes_examples():
    values = ["", None, "a", "12345678", "123456789", "https://example.com/a-long-page?x=1#frag", "\u00e9t\u00e9 \U0001F600"]
    hashed = string_hashes(pa.array(values, pa.large_string()))
    assert hashed.dtype == np.uint64
    assert hashed.tolist() == _reference(values)
    assert hashed[0] == hashed[1]  # a null hashes as ""
    assert string_hashes(pa.array(values, pa.string())).tolist() == _reference(values)
    assert len(string_hashes(pa.array([], pa.large_string()))) == 0


PINNED_PAIR_HASHES = [14221291783188323290, 15508127709929288989, 15907229517195485362,
                      15907229517195485362, 8491330342110301705, 6947182193079560055]


def test_pair_hashes_are_pinned_because_snapshots_store_them():
    """Backlinks snapshots keep these hashes on disk (`link_key`): a change here breaks every stored snapshot."""
    long_url = "https://blog.example.org/2024/05/the-ultimate-guide-to-trail-shoes-for-beginners?ref=xyz"  # 88 bytes
    first = pa.array(["https://a.com/1", "https://a.com/1", None, "", "https://été.fr/café", long_url],
                     pa.large_string())
    second = pa.array(["https://me.com/", "https://me.com/shop", "https://me.com/", "https://me.com/",
                       "https://me.com/", "https://me.com/blog/über-uns"])
    assert len(long_url.encode()) % 8 == 0 and len(long_url) > 64
    hashed = pair_hashes(first, second)
    assert hashed.dtype == np.uint64
    assert hashed.tolist() == [(a * 0x9E3779B97F4A7C15 & _MASK64) ^ b for a, b in
                               zip(_reference(first.to_pylist()), _reference(second.to_pylist()))]
    assert hashed.tolist() == PINNED_PAIR_HASHES  # the values of 2026-12; null and "" alike
    assert len(set(hashed.tolist())) == 5


def test_a_null_slot_whose_offsets_span_bytes_hashes_as_empty():
    # Arrow allows a null slot to cover bytes; they are not its value.
    offsets = pa.py_buffer(np.array([0, 3, 6], dtype=np.int32).tobytes())
    validity = pa.py_buffer(np.packbits([1, 0, 0, 0, 0, 0, 0, 0], bitorder="little").tobytes())
    array = pa.Array.from_buffers(pa.string(), 2, [validity, offsets, pa.py_buffer(b"abcdef")], null_count=1)
    assert string_hashes(array).tolist() == _reference(["abc", None])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab\u00e9\U0001F600/:.?", max_size=30) | st.none(), max_size=40),
       st.integers(0, 40), st.integers(0, 40))
def test_hashes_equal_the_reference_wherever_the_strings_sit(values, cut, length):
    array = pa.array(values, pa.large_string())
    assert string_hashes(array).tolist() == _reference(values)
    sliced = array.slice(min(cut, len(values)), length)
    assert string_hashes(sliced).tolist() == _reference(sliced.to_pylist())
    chunked = pa.chunked_array([array.slice(0, cut), array.slice(cut)], pa.large_string())
    assert string_hashes(chunked).tolist() == _reference(values)
    assert string_hashes(pa.array(values, pa.string())).tolist() == _reference(values)


def test_hashes_split_over_threads_and_blocks_equal_one_pass(monkeypatch):
    values = pa.array([f"https://host{i % 7}.example/page-{i}" + "x" * (i % 23) for i in range(5_000)], pa.large_string())
    one_pass = string_hashes(values)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ROWS", 10)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    monkeypatch.setattr(arrow_strings, "_HASH_BLOCK", 333)  # blocks of rows, and a chunk's last block short
    assert np.array_equal(string_hashes(pa.chunked_array([values.slice(0, 1_234), values.slice(1_234)])), one_pass)
    assert one_pass.tolist() == _reference(values.to_pylist())
    assert len(np.unique(one_pass)) == len(values)  # 5,000 different URLs, 5,000 different hashes


def test_positions_in_examples():
    lookup = pd.Index(["b.com", "a.com", "\u00e9t\u00e9.fr", ""], dtype="str")
    values = pd.Series(["a.com", "x.com", "", None, "\u00e9t\u00e9.fr", "a.com"], dtype="str")
    assert positions_in(values, lookup).tolist() == [1, -1, 3, -1, 2, 1]
    assert positions_in(values, lookup).dtype == np.int64
    assert positions_in(pd.Index(values), pd.Series(lookup)).tolist() == [1, -1, 3, -1, 2, 1]
    assert positions_in(pd.Series([], dtype="str"), lookup).tolist() == []
    assert positions_in(values, pd.Index([], dtype="str")).tolist() == [-1] * len(values)
    assert positions_in(pd.Series([None], dtype="str"), pd.Index(["a", None], dtype="str")).tolist() == [1]
    assert positions_in(pd.Series(["a"], dtype="str"), pd.Series(["b", "a", "a"], dtype="str")).tolist() == [1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab.\u00e9", max_size=4) | st.none(), max_size=30),
       st.lists(st.text(alphabet="ab.\u00e9", max_size=4) | st.none(), max_size=30, unique=True))
def test_positions_in_equal_pandas_get_indexer(values, lookup):
    for kind in ("str", object):
        index = pd.Index(lookup, dtype=kind)
        assert positions_in(pd.Series(values, dtype=kind), index).tolist() == \
            index.get_indexer(pd.Series(values, dtype=kind)).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab.\u00e9", max_size=4) | st.none(), max_size=30, unique=True),
       st.lists(st.text(alphabet="ab.\u00e9", max_size=4) | st.none(), max_size=30, unique=True))
def test_positions_in_of_unique_sides_hashes_either_side_with_the_same_answer(values, lookup):
    # With unique=True the smaller side is hashed and the answer turned around.
    as_values, as_lookup = pd.Series(values, dtype="str"), pd.Index(lookup, dtype="str")
    assert positions_in(as_values, as_lookup, unique=True).tolist() == positions_in(as_values, as_lookup).tolist()


@settings(max_examples=200)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 3)),
                          st.one_of(st.none(), st.sampled_from(["", "a", "b", "ab", "é"])),
                          st.one_of(st.none(), st.sampled_from(["x", "y", "z"]))), max_size=40),
       st.lists(st.tuples(st.sampled_from(["ascending", "descending"]), st.sampled_from(["at_start", "at_end"])),
                min_size=3, max_size=3))
def test_sort_indices_equals_arrows_sort_on_the_strings_themselves(rows, orders):
    table = pa.table({"number": pa.array([r[0] for r in rows], pa.int64()),
                      "text": pa.array([r[1] for r in rows], pa.large_string()),
                      "label": pa.array([r[2] for r in rows], pa.string())})
    keys = [(name, order, nulls) for name, (order, nulls) in zip(["number", "text", "label"], orders)]
    expected = pc.sort_indices(table, sort_keys=keys).to_numpy()
    np.testing.assert_array_equal(sort_indices(table, keys), expected)


def test_sort_indices_keeps_equal_rows_in_their_order():
    table = pa.table({"authority": [40, 40, 90, 40], "url": ["b", "a", "z", "a"]})
    assert sort_indices(table, [("authority", "descending", "at_end"), ("url", "ascending", "at_end")]).tolist() \
        == [2, 1, 3, 0]
