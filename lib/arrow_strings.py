"""Whole-column helpers for Arrow strings: a million backlinks make each pass over a text column cost tens of
milliseconds, so these look at Arrow's raw buffers where that answers the question exactly, and split a
kernel over every core (lib.parallel) where it does not.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.parallel import in_slices

# 64-bit multipliers of MurmurHash3's finaliser (fmix64), and the golden-ratio constant that seeds a length.
_MIX1, _MIX2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(33)
_HASH_BLOCK = 65_536
# The low `r` bytes of a word, for r = 0..8.
_LOW_BYTES = np.array([(1 << (8 * r)) - 1 for r in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def column_strings(column: pd.Series) -> pa.ChunkedArray:
    """A text column as Arrow strings: a view of pandas' Arrow-backed strings (no copy), else converted."""
    if not isinstance(column.array, pd.arrays.ArrowStringArray):
        column = column.astype("str")
    array = column.array
    if isinstance(array, pd.arrays.ArrowStringArray) and hasattr(array, "_pa_array"):
        return pa.chunked_array(array._pa_array)
    return pa.chunked_array([pa.array(array.to_numpy(dtype=object, na_value=None), pa.large_string())])


def as_flags(flags: pa.Array | pa.ChunkedArray, missing: bool = False) -> np.ndarray:
    """Arrow booleans as a writable numpy array, a missing answer (a null text) as `missing`."""
    return np.array(pc.fill_null(flags, missing).to_numpy(zero_copy_only=False), dtype=bool)


def positions_in(values: pd.Series | pd.Index, lookup: pd.Series | pd.Index, *, unique: bool = False
                 ) -> np.ndarray:
    """Where each text value is in `lookup` (its first position there), -1 where it is not: for text,
    `pd.Index(lookup).get_indexer(values)` on a unique lookup. A missing value finds a missing one.

    Arrow's hash table of the strings: pandas builds one of Python strings, ~4× slower for 400,000 domains.
    `unique`: each side holds each text once (group keys, factorised names). The hash table is then built of the
    smaller side and the answer turned around: ~100,000 link domains among ~400,000 listed ones took 4× longer
    hashing the larger side.
    """
    if unique and len(lookup) > len(values):
        back = positions_in(lookup, values)
        out = np.full(len(values), -1, dtype=np.int64)
        found = back >= 0
        out[back[found]] = np.flatnonzero(found)
        return out
    needles = column_strings(values.to_series() if isinstance(values, pd.Index) else values)
    haystack = column_strings(lookup.to_series() if isinstance(lookup, pd.Index) else lookup)
    found = pc.index_in(needles, value_set=haystack.combine_chunks())
    return pc.fill_null(found, -1).to_numpy().astype(np.int64, copy=False)


def sort_indices(table: pa.Table, sort_keys: list[tuple[str, str, str]]) -> np.ndarray:
    """`pc.sort_indices(table, sort_keys)` (a stable sort; keys as (column, order, null placement)), as positions.

    Each text key is first replaced by its dense rank in the same order and null placement: in a sort on several
    keys Arrow compares strings one comparison at a time (~0.3 s for 453,000 links by authority, date and URL),
    while ranking them is one sort of its own and the sort then compares integers (~0.15 s in all). It pays where
    many rows tie on the keys before the text; where few do, Arrow seldom compares the strings and ranking them all
    costs more (the Gap's ~200,000 opportunities by priority, Authority Score, domain: 0.024 s by pc.sort_indices,
    0.050 s by this)."""
    columns = {}
    for name, order, nulls in sort_keys:
        column = table.column(name)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.rank(column, sort_keys=[("", order, nulls)], tiebreaker="dense")
            order = "ascending"
        columns[name] = (column, order, nulls)
    ranked = pa.table({name: column for name, (column, _, _) in columns.items()})
    return pc.sort_indices(ranked, sort_keys=[(name, order, nulls) for name, (_, order, nulls) in columns.items()]
                           ).to_numpy()


def edge_characters(values: pa.Array | pa.ChunkedArray) -> set[str]:
    """The distinct first and last characters of the non-empty, non-null strings.

    The first and last bytes are read straight from the offsets and data buffers (no copy of the text);
    only strings whose edge byte is not ASCII are sliced by Arrow to get the whole UTF-8 character.
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    found: set[str] = set()
    for chunk in chunks:
        if chunk.null_count:
            chunk = chunk.drop_null()
        if not len(chunk):
            continue
        chunk, offsets, data = _offsets_and_data(chunk)
        if not len(data):
            continue  # only empty strings
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        first, last = data[starts[filled]], data[ends[filled] - 1]
        seen = np.bincount(first, minlength=256) + np.bincount(last, minlength=256)
        found.update(chr(byte) for byte in np.flatnonzero(seen[:128]))
        wide = np.flatnonzero(filled)[(first >= 0x80) | (last >= 0x80)]
        if len(wide):
            subset = chunk.take(pa.array(wide))
            for edge in (pc.utf8_slice_codeunits(subset, 0, 1), pc.utf8_slice_codeunits(subset, -1)):
                found.update(c for c in pc.unique(edge).to_pylist() if c and not c.isascii())
    return found


def take_from_chunks(values: pa.ChunkedArray, positions: np.ndarray) -> pa.ChunkedArray:
    """`values.take(positions)` for non-negative positions, taken chunk by chunk where that is faster.

    Arrow's take on a chunked array first concatenates every chunk: a fresh copy of the whole column (~25 ms for
    a million URLs, mostly the new memory's page faults) even to take a few thousand values. Ascending positions
    and smaller unordered sets are taken from each chunk they fall in; a large unordered set is left to Arrow,
    whose one pass then beats putting the pieces back in order.
    """
    positions = np.asarray(positions, dtype=np.int64)
    chunks = values.chunks
    ascending = bool(np.all(positions[1:] >= positions[:-1]))
    if len(chunks) < 2 or not len(positions) or (not ascending and len(positions) * 8 > len(values)):
        return values.take(pa.array(positions))
    bounds = np.cumsum([0] + [len(chunk) for chunk in chunks])
    chunk_of = np.searchsorted(bounds, positions, side="right") - 1
    order = None if ascending else np.argsort(chunk_of, kind="stable")
    if order is not None:
        chunk_of, positions = chunk_of[order], positions[order]
    cuts = np.searchsorted(chunk_of, np.arange(len(chunks) + 1))
    parts = [chunks[k].take(pa.array(positions[cuts[k]:cuts[k + 1]] - bounds[k]))
             for k in range(len(chunks)) if cuts[k + 1] > cuts[k]]
    if order is None:
        return pa.chunked_array(parts, type=values.type)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return pa.chunked_array([pa.concat_arrays(parts).take(pa.array(back))], type=values.type)


def has_line_break(values: pa.Array | pa.ChunkedArray) -> bool:
    """Does any string hold a line feed? Read from the data bytes the strings span (a memchr-speed scan, where
    Arrow's substring search over 600,000 URLs took ~0.07 s). A null slot whose offsets span bytes counts: the
    answer may say yes for nothing, never no for a line break."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    for chunk in chunks:
        if not len(chunk):
            continue
        _, offsets, data = _offsets_and_data(chunk)
        if data[offsets[0]:offsets[-1]].tobytes().find(b"\n") >= 0:
            return True
    return False


def _offsets_and_data(chunk: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """A string chunk (other text types cast to large strings), its offsets for its own rows and its data
    bytes, as numpy views of Arrow's buffers (no copy of the text)."""
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        chunk = chunk.cast(pa.large_string())
    _, offsets_buffer, data_buffer = chunk.buffers()
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[chunk.offset:chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.empty(0, np.uint8)
    return chunk, offsets, data


def string_hashes(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of each string's UTF-8 bytes (a null hashes as ""), for fast membership tests.

    Computed by numpy from Arrow's offsets and data buffers, eight bytes a step and on every core: about a
    third of the time of making a Python string of each value to hash it. The same text always gets the
    same hash, whatever its array, chunking or process; different texts collide with a chance of about
    n² / 2⁶⁵ among n of them (one in ~36 million for two sets of a million).
    """
    if not len(values):
        return np.empty(0, dtype=np.uint64)
    parts = in_slices(lambda start, stop: _hash_chunks(values.slice(start, stop - start)), len(values))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def pair_hashes(first: pa.Array | pa.ChunkedArray, second: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of each (first, second) pair of strings, from `string_hashes` of both (nulls as "").

    Stored with every Backlinks snapshot (its `link_key` column): changing how it is computed would make
    stored keys disagree with new ones, so tests pin its values.
    """
    return string_hashes(first) * _GOLDEN ^ string_hashes(second)


def _hash_chunks(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    hashed = [_hash_chunk(chunk) for chunk in chunks if len(chunk)]
    if not hashed:
        return np.empty(0, dtype=np.uint64)
    return hashed[0] if len(hashed) == 1 else np.concatenate(hashed)


def _hash_chunk(chunk: pa.Array) -> np.ndarray:
    chunk, offsets, data = _offsets_and_data(chunk)
    offsets = offsets.astype(np.int64, copy=False)
    starts, lengths = offsets[:-1], np.diff(offsets)
    if chunk.null_count:
        # A null slot's offsets may span bytes: hash it as the empty string.
        lengths = np.where(chunk.is_null().to_numpy(zero_copy_only=False), 0, lengths)
    # In blocks whose bytes stay in the CPU's cache across the word-by-word passes: a million URLs in one
    # block take about twice as long.
    blocks = [_hash_bytes(data, starts[at:at + _HASH_BLOCK], lengths[at:at + _HASH_BLOCK])
              for at in range(0, len(starts), _HASH_BLOCK)]
    return blocks[0] if len(blocks) == 1 else np.concatenate(blocks)


def _hash_bytes(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each string's hash: its length, then each 8-byte little-endian word of it in turn, mixed in by fmix64;
    the last, partial word padded with zero bytes (an empty string mixes in one zero word)."""
    if len(data) < 8:
        data = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    last = len(data) - 8
    # Every byte offset read as the start of a little-endian word, without a copy.
    words = np.ndarray(shape=(last + 1,), dtype="<u8", buffer=data, strides=(1,))
    full, tail = lengths // 8, lengths % 8
    hashes = lengths.astype(np.uint64) * _GOLDEN
    # The whole words, one class of strings (same count of whole words) at a time: within a class the rows
    # stay in buffer order, so every read walks the buffer forwards (reading all rows by falling length,
    # interleaving the classes, measured 4× slower per read).
    narrow = full.astype(np.int16) if len(full) and full.max() < 2**15 else full  # numpy radix-sorts 16 bits
    order = np.argsort(narrow, kind="stable")
    counts = np.bincount(full)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for words_each in np.flatnonzero(counts[1:]) + 1:
        rows = order[bounds[words_each]:bounds[words_each + 1]]
        at = starts[rows]
        mixed = hashes[rows]
        for _ in range(words_each):
            mixed ^= words[at]
            _fmix(mixed)
            at += 8
        hashes[rows] = mixed
    rows = np.flatnonzero((tail > 0) | (lengths == 0))
    if len(rows):
        # The word ending at the string's last byte (so within the buffer), shifted to bring the tail down.
        begin = starts[rows] + 8 * full[rows]
        read_at = np.maximum(begin + tail[rows] - 8, 0)
        word = (words[read_at] >> ((begin - read_at).astype(np.uint64) * np.uint64(8))) & _LOW_BYTES[tail[rows]]
        hashes[rows] = _fmix(hashes[rows] ^ word)
    return hashes


def _fmix(hashes: np.ndarray) -> np.ndarray:
    hashes ^= hashes >> _SHIFT
    hashes *= _MIX1
    hashes ^= hashes >> _SHIFT
    hashes *= _MIX2
    hashes ^= hashes >> _SHIFT
    return hashes


def map_slices(kernel: Callable[[pa.Array], pa.Array], values: pa.Array | pa.ChunkedArray
               ) -> pa.Array | pa.ChunkedArray:
    """`kernel(values)` for an element-wise kernel, run on slices of the values on every core.

    Arrow's compute functions release the GIL but run one call on one thread; a regex over a million
    URLs takes about half the time on two slices at once.
    """
    parts = in_slices(lambda start, stop: kernel(values.slice(start, stop - start)), len(values))
    if len(parts) == 1:
        return parts[0]
    chunks = [chunk for part in parts for chunk in (part.chunks if isinstance(part, pa.ChunkedArray) else [part])]
    return pa.chunked_array(chunks, type=chunks[0].type)
