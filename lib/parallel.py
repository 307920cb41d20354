"""Work split over the machine's cores in threads, for work that releases the GIL.

Arrow's compute functions, its Parquet writer and pandas string methods that run in Arrow release the GIL
but use one core per call; a 2-core machine does a pass over a million rows in about half the time as two
halves at once. Small inputs stay on the calling thread: below PARALLEL_MIN_ROWS a pool costs more than it gains.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")
Item = TypeVar("Item")

PARALLEL_MIN_ROWS = 200_000
MAX_WORKERS = 4


def workers() -> int:
    """Threads worth starting: one per core, at most MAX_WORKERS."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def in_slices(work: Callable[[int, int], T], length: int) -> list[T]:
    """`work(start, stop)` over consecutive slices of `range(length)`, one per core, answers in order.

    One slice, on this thread, below PARALLEL_MIN_ROWS or on one core.
    """
    count = workers()
    if count < 2 or length < PARALLEL_MIN_ROWS:
        return [work(0, length)]
    step = -(-length // count)
    return each(lambda bound: work(*bound), [(start, min(start + step, length)) for start in range(0, length, step)])


def each(work: Callable[[Item], T], items: Iterable[Item], threads: int | None = None) -> list[T]:
    """`work(item)` for every item on `threads` threads (default: `workers()`), answers in order."""
    items = list(items)
    threads = min(threads or workers(), len(items))
    if threads < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, items))


def beside(here: Callable[[], T], meanwhile: Callable[[], U]) -> tuple[T, U]:
    """`here()` on this thread while `meanwhile()` runs on a second one: two independent pieces of one page's
    work at once. Only `here` may read a UI's caches or session; `meanwhile` runs plain library code."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        other = pool.submit(meanwhile)
        return here(), other.result()
