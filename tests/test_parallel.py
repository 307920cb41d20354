"""lib.parallel: slices and items on threads, answers in order, small work on the calling thread."""

from __future__ import annotations

import threading

from lib import parallel


def test_slices_cover_the_range_in_order_on_several_threads(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ROWS", 5)
    together = threading.Barrier(3, timeout=10)  # passes only if the three slices run at the same time

    def work(start: int, stop: int) -> list[int]:
        together.wait()
        return list(range(start, stop))

    parts = parallel.in_slices(work, 10)
    assert len(parts) == 3 and sum(parts, []) == list(range(10))


def test_short_inputs_and_one_core_stay_on_the_calling_thread(monkeypatch):
    caller = threading.get_ident()
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 8)
    assert parallel.in_slices(lambda a, b: (a, b, threading.get_ident()), 10) == [(0, 10, caller)]
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ROWS", 5)
    assert parallel.in_slices(lambda a, b: (a, b, threading.get_ident()), 10) == [(0, 10, caller)]
    assert parallel.each(lambda x: (x, threading.get_ident()), [1, 2]) == [(1, caller), (2, caller)]
    assert parallel.in_slices(lambda a, b: b - a, 0) == [0]


def test_each_answers_in_the_order_of_the_items(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 16)
    assert parallel.workers() == parallel.MAX_WORKERS
    assert parallel.each(lambda x: x * x, range(20)) == [x * x for x in range(20)]
    assert parallel.each(lambda x: x, []) == []


def test_beside_runs_here_on_this_thread_and_the_other_on_a_second_one():
    here_thread: list[int] = []
    other_thread: list[int] = []
    answer = parallel.beside(lambda: here_thread.append(threading.get_ident()) or "here",
                             lambda: other_thread.append(threading.get_ident()) or "meanwhile")
    assert answer == ("here", "meanwhile")
    assert here_thread == [threading.get_ident()] and other_thread and other_thread != here_thread
