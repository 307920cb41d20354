"""What the UI calls: fetch a workspace's reports for its site and competitors, within budget.

Costs are checked before the first request (answers already in the cache cost nothing) and
recorded after each report, failed ones included, so the budget reflects what Semrush billed.
Storing the frames as snapshots is lib.importer's job.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lib.normalize import Normalized
from lib.semrush import usage
from lib.semrush.client import FetchResult, SemrushClient
from lib.semrush.errors import SemrushError
from lib.semrush.reports import MAX_PAGE_ROWS, estimate_units, get_report

DEFAULT_REPORTS = ("backlinks", "backlinks_refdomains", "backlinks_anchors", "backlinks_pages")
# Competitors get the report gap analysis needs; their full backlink lists would cost far more.
DEFAULT_COMPETITOR_REPORTS = ("backlinks_refdomains",)

# progress(fraction_done 0..1, text) — the order st.progress(value, text=...) takes.
ProgressCallback = Callable[[float, str], None]


@dataclass(frozen=True)
class FetchJob:
    report: str
    target: str

    @property
    def label(self) -> str:
        return f"{get_report(self.report).label} for {self.target}"


def plan(own_domain: str, competitors: Sequence[str], reports: Sequence[str] = DEFAULT_REPORTS,
         competitor_reports: Sequence[str] = DEFAULT_COMPETITOR_REPORTS) -> list[FetchJob]:
    jobs = [FetchJob(get_report(r).type, own_domain) for r in reports]
    seen = {own_domain.strip().lower()}
    for competitor in competitors:
        name = competitor.strip()
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        jobs += [FetchJob(get_report(r).type, name) for r in competitor_reports]
    return jobs


def estimate(client: SemrushClient, jobs: Sequence[FetchJob], max_rows: int, target_type: str = "root_domain",
             refresh: bool = False, page_size: int = MAX_PAGE_ROWS) -> int:
    """Worst-case units for the jobs. Only what the cache cannot answer counts: a job is free when
    every page its fetch would read is cached, and a job cached up to some page costs the rest."""
    page = max(1, min(page_size, max_rows, MAX_PAGE_ROWS))
    total = 0
    for job in jobs:
        rows = max_rows if refresh else uncached_rows(client, job, max_rows, page, target_type)
        if rows:
            total += estimate_units(job.report, rows, page)
    return total


def uncached_rows(client: SemrushClient, job: FetchJob, max_rows: int, page_size: int,
                  target_type: str = "root_domain") -> int:
    """At most how many rows of `job` a fetch would still buy: the pages fetch_all would ask for, in
    its order, are looked up in the cache until a short page (the end) or the first page not there."""
    spec = get_report(job.report)
    done = 0
    while True:
        want = min(page_size, max_rows - done)
        if want <= 0:
            return 0
        rows = client.cached_rows(job.report, job.target, target_type, display_limit=want, display_offset=done)
        if rows is None:
            return max_rows - done
        done += rows
        if not spec.paged or rows < want:
            return 0


def fetch_workspace_reports(client: SemrushClient, workspace_id: str, own_domain: str, competitors: Sequence[str],
                            reports: Sequence[str] = DEFAULT_REPORTS, max_rows: int = MAX_PAGE_ROWS,
                            progress: ProgressCallback | None = None, *, target_type: str = "root_domain",
                            competitor_reports: Sequence[str] = DEFAULT_COMPETITOR_REPORTS, refresh: bool = False,
                            page_size: int = MAX_PAGE_ROWS, root: Path | None = None) -> list[tuple[str, str, Normalized, FetchResult]]:
    """(report, target, canonical Normalized, FetchResult) for each job, in plan order.

    Raises BudgetExceeded before any request when the estimate would overflow the workspace's
    monthly budget, and the first SemrushError of a failing report (the others are stopped).
    `progress` is only ever called from this thread, so Streamlit widgets may be updated from it.
    """
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1.")
    jobs = plan(own_domain, competitors, reports, competitor_reports)
    if not jobs:
        return []
    page_size = max(1, min(page_size, max_rows, MAX_PAGE_ROWS))
    usage.check_budget(workspace_id, estimate(client, jobs, max_rows, target_type, refresh, page_size), root=root)

    rows_done = [0] * len(jobs)
    lock = threading.Lock()
    cancel = threading.Event()

    def run(index: int) -> FetchResult:
        def on_page(rows: int, _expected: int | None) -> None:
            with lock:
                rows_done[index] = rows

        return client.fetch_all(jobs[index].report, jobs[index].target, target_type, refresh=refresh,
                                page_size=page_size, max_rows=max_rows, progress=on_page, cancel=cancel)

    results: dict[int, FetchResult] = {}
    failure: SemrushError | None = None
    other_failure: BaseException | None = None
    with concurrent.futures.ThreadPoolExecutor(max_workers=client.max_concurrency,
                                               thread_name_prefix="semrush-fetch") as pool:
        pending = {pool.submit(run, i): i for i in range(len(jobs))}
        while pending:
            done, _ = concurrent.futures.wait(pending, timeout=0.25,
                                              return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                job = jobs[index]
                try:
                    result = future.result()
                except SemrushError as error:
                    _record(workspace_id, job, rows_done[index], error.units_spent, root)
                    if failure is None:
                        failure = error
                    cancel.set()
                    continue
                except concurrent.futures.CancelledError:
                    continue
                except BaseException as error:  # noqa: BLE001 - re-raised below, after recording what was spent
                    other_failure = other_failure or error
                    cancel.set()
                    continue
                results[index] = result
                _record(workspace_id, job, result.rows, result.units_spent, root)
            if cancel.is_set():
                for future in pending:
                    future.cancel()
            if progress is not None and not cancel.is_set():
                with lock:
                    fraction = sum(min(r, max_rows) for r in rows_done) / (max_rows * len(jobs))
                fraction = max(fraction, len(results) / len(jobs))
                running = [jobs[i].label for f, i in pending.items() if f.running()]
                text = f"Fetched {len(results)} of {len(jobs)} reports" + (f" — {running[0]}…" if running else "")
                progress(min(fraction, 1.0), text)
    if failure is not None:
        raise failure
    if other_failure is not None:
        raise other_failure
    if progress is not None:
        progress(1.0, f"Fetched {len(jobs)} reports")
    return [(jobs[i].report, jobs[i].target, results[i].normalized, results[i]) for i in range(len(jobs))]


def _record(workspace_id: str, job: FetchJob, rows: int, units: int, root: Path | None) -> None:
    if units:
        usage.record(workspace_id, job.report, job.target, rows, units, root=root)
