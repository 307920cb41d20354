"""Server-side times of real page runs in streamlit.testing.v1.AppTest on the bench workspace.

One AppTest runs the whole app script (navigation, sidebar, page) in this process, as a Streamlit
server does; the time of `at.run()` is the server-side time of one rerun. The browser's share
(rendering the table, network) is not in it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = ("overview", "referring_domains", "anchors", "new_lost", "history", "audit", "gap", "outreach", "workflow",
         "report")


@dataclass
class PageTimes:
    page: str
    first: float | None = None  # cold caches: load the snapshots, run the analyses, lay out
    cached: list[float] = field(default_factory=list)  # the same page again, nothing changed
    filter_change: list[float] = field(default_factory=list)
    table_rows: int | None = None  # the most rows any table on the page sent to the browser
    error: str = ""


def pages() -> list[str]:
    """The pages that exist in this checkout (audit, gap and the others arrive with their issues)."""
    return [p for p in PAGES if (REPO / "pages" / f"{p}.py").exists()]


class _OneScriptCache:
    """Hands every AppTest run the same ScriptCache, as a Streamlit server's Runtime holds one for its life.

    AppTest makes a new ScriptCache on every `run()` (streamlit/testing/v1/app_test.py and
    local_script_runner.py), so each rerun would read, magic-transform and compile app.py and the page
    again: ~50 ms of a cached rerun here that a server spends once per script, not per rerun.
    """

    def __init__(self):
        from streamlit.runtime.scriptrunner.script_cache import ScriptCache

        self.cache = ScriptCache()

    def __call__(self):
        return self.cache

    def __enter__(self) -> "_OneScriptCache":
        from streamlit.testing.v1 import app_test, local_script_runner

        self._saved = (app_test.ScriptCache, local_script_runner.ScriptCache)
        app_test.ScriptCache = local_script_runner.ScriptCache = self
        return self

    def __exit__(self, *exc) -> None:
        from streamlit.testing.v1 import app_test, local_script_runner

        app_test.ScriptCache, local_script_runner.ScriptCache = self._saved


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _run(at) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError("; ".join(str(e.value) for e in at.exception)[:300])
    return elapsed


def _largest_table(at) -> int:
    return max((len(frame.value) for frame in at.dataframe), default=0)


def measure_page(page: str, root: Path, repeat: int, timeout: float = 900) -> PageTimes:
    """Open `page` with empty caches, rerun it unchanged `repeat` times, and on Referring domains change a filter."""
    from streamlit.testing.v1 import AppTest

    os.environ["LINKSCOPE_DATA_DIR"] = str(root)
    result = PageTimes(page)
    _clear_caches()
    try:
        with _OneScriptCache():
            _measure(AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout), page, repeat, result)
    except Exception as error:  # a page another engineer is editing must not sink the whole benchmark
        result.error = f"{type(error).__name__}: {error}"[:300]
    finally:
        _clear_caches()
    return result


def _measure(at, page: str, repeat: int, result: PageTimes) -> None:
    """The first open (the scripts compiled then, as on a server's first request), the cached reruns and, on
    Referring domains, the filter changes."""
    at.switch_page(f"pages/{page}.py")
    result.first = _run(at)
    result.table_rows = _largest_table(at)
    result.cached = [_run(at) for _ in range(repeat)]
    if page == "referring_domains":
        # Toggle a filter back and forth: every run filters the cached table anew and redraws.
        toggle = at.toggle(key="rd_follow_only")
        for i in range(repeat):
            toggle.set_value(i % 2 == 0)
            result.filter_change.append(_run(at))
            toggle = at.toggle(key="rd_follow_only")
        result.table_rows = max(result.table_rows, _largest_table(at))
