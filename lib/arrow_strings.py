"""Whole-column helpers for Arrow strings: a million backlinks make each pass over a text column cost tens of
milliseconds, so these look at Arrow's raw buffers where that answers the question exactly, and split a
kernel over every core (lib.parallel) where it does not.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lib.parallel import in_slices


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
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            chunk = chunk.cast(pa.large_string())
        _, offsets_buffer, data_buffer = chunk.buffers()
        if data_buffer is None or not data_buffer.size:
            continue  # only empty strings
        offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data_buffer, dtype=np.uint8)
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
