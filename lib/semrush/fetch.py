"""What the UI calls: fetch a workspace's reports for its site and competitors, within budget.

Costs are checked before the first request (answers already in the cache cost nothing) and
recorded after each report, failed ones included, so the budget reflects what Semrush billed.
Storing the frames as snapshots is lib.importer's job.
"""

from __future__ import annotations

import concurrent.futures
import queue
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



@dataclass(frozen=True)
class FetchProgress:
    """Where a workspace fetch stands: `fraction` (0..1) and `text` are what st.progress takes."""

    fraction: float
    text: str
    rows: int  # rows fetched so far, all reports together (cached pages included)
    reports_done: int
    reports_total: int


ProgressCallback = Callable[[FetchProgress], None]


@dataclass(frozen=True)
class FetchJob:
    """One report to fetch: for `target` (a domain, or a URL) of `target_type`, compared with `compare`
    (multi-target reports: the competitors' root domains), about the workspace domain `about`."""

    report: str
    target: str
    target_type: str = "root_domain"
    compare: tuple[str, ...] = ()
    about: str = ""  # the snapshot's target domain; the target itself when empty

    @property
    def targets(self) -> str | tuple[str, ...]:
        """What SemrushClient.fetch_all takes as `target`."""
        return (self.target, *self.compare) if get_report(self.report).multi_target else self.target

    @property
    def target_types(self) -> str | tuple[str, ...]:
        if get_report(self.report).multi_target:
            return (self.target_type,) + ("root_domain",) * len(self.compare)
        return self.target_type

    @property
    def domain(self) -> str:
        return self.about or self.target

    @property
    def label(self) -> str:
        name = get_report(self.report).label
        if self.compare:
            return f"{name} for {self.target} vs {', '.join(self.compare)}"
        return f"{name} for {self.target}"


def plan(own_domain: str, competitors: Sequence[str], reports: Sequence[str] = DEFAULT_REPORTS,
         competitor_reports: Sequence[str] = DEFAULT_COMPETITOR_REPORTS, *, target_type: str = "root_domain",
         target: str | None = None) -> list[FetchJob]:
    """The jobs for a workspace: `reports` for its site, `competitor_reports` for each competitor.

    The site is `target` (default: the own domain) of `target_type`. A report Semrush does not
    allow for that type (the history takes root domains only) is fetched for the own root domain.
    Multi-target reports (the backlink gap) compare the root domains of the site and of up to four
    competitors, and are left out when there is no competitor to compare with.
    """
    site = (target or own_domain).strip()
    rivals: list[str] = []
    seen = {own_domain.strip().lower()}
    for competitor in competitors:
        name = competitor.strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            rivals.append(name)
    jobs: list[FetchJob] = []
    for report in reports:
        spec = get_report(report)
        if spec.multi_target:
            if rivals:
                jobs.append(FetchJob(spec.type, own_domain, "root_domain", tuple(rivals[:spec.max_targets - 1]),
                                     about=own_domain))
        elif target_type in spec.target_types:
            jobs.append(FetchJob(spec.type, site, target_type, about=own_domain))
        else:
            jobs.append(FetchJob(spec.type, own_domain, "root_domain", about=own_domain))
    for name in rivals:
        jobs += [FetchJob(get_report(r).type, name) for r in competitor_reports]
    return jobs


def estimate(client: SemrushClient, jobs: Sequence[FetchJob], max_rows: int, refresh: bool = False,
             page_size: int = MAX_PAGE_ROWS) -> int:
    """Worst-case units for the jobs. Only what the cache cannot answer counts: a job is free when
    every page its fetch would read is cached, and a job cached up to some page costs the rest."""
    page = max(1, min(page_size, max_rows, MAX_PAGE_ROWS))
    total = 0
    for job in jobs:
        rows = max_rows if refresh else uncached_rows(client, job, max_rows, page)
        if rows:
            total += estimate_units(job.report, rows, page)
    return total


def uncached_rows(client: SemrushClient, job: FetchJob, max_rows: int, page_size: int) -> int:
    """At most how many rows of `job` a fetch would still buy: the pages fetch_all would ask for, in
    its order, are looked up in the cache until a short page (the end) or the first page not there."""
    spec = get_report(job.report)
    done = 0
    while True:
        want = min(page_size, max_rows - done)
        if want <= 0:
            return 0
        rows = client.cached_rows(job.report, job.targets, job.target_types, display_limit=want,
                                  display_offset=done)
        if rows is None:
            return max_rows - done
        done += rows
        if not spec.paged or rows < want:
            return 0


def fetch_workspace_reports(client: SemrushClient, workspace_id: str, own_domain: str, competitors: Sequence[str],
                            reports: Sequence[str] = DEFAULT_REPORTS, max_rows: int = MAX_PAGE_ROWS,
                            progress: ProgressCallback | None = None, *, target_type: str = "root_domain",
                            target: str | None = None,
                            competitor_reports: Sequence[str] = DEFAULT_COMPETITOR_REPORTS, refresh: bool = False,
                            page_size: int = MAX_PAGE_ROWS, root: Path | None = None,
                            ) -> list[tuple[str, str, Normalized, FetchResult]]:
    """(report, target, canonical Normalized, FetchResult) for each job of `plan(...)`, in plan order."""
    jobs = plan(own_domain, competitors, reports, competitor_reports, target_type=target_type, target=target)
    return [(job.report, job.target, result.normalized, result) for job, result in
            fetch_jobs(client, workspace_id, jobs, max_rows, progress, refresh=refresh, page_size=page_size,
                       root=root)]


def fetch_jobs(client: SemrushClient, workspace_id: str, jobs: Sequence[FetchJob], max_rows: int = MAX_PAGE_ROWS,
               progress: ProgressCallback | None = None, *, refresh: bool = False, page_size: int = MAX_PAGE_ROWS,
               root: Path | None = None) -> list[tuple[FetchJob, FetchResult]]:
    """(job, FetchResult) for each job, in the order given.

    Raises BudgetExceeded before any request when the estimate would overflow the workspace's
    monthly budget, and the first SemrushError of a failing report (the others are stopped).
    `progress` is only ever called from this thread, so Streamlit widgets may be updated from it.
    """
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1.")
    jobs = list(jobs)
    if not jobs:
        return []
    page_size = max(1, min(page_size, max_rows, MAX_PAGE_ROWS))
    usage.check_budget(workspace_id, estimate(client, jobs, max_rows, refresh, page_size), root=root)

    rows_done = [0] * len(jobs)  # written by the workers, read for the usage record of a failed job
    lock = threading.Lock()
    cancel = threading.Event()
    # Each page a worker reads is announced here, with its row count, so every page shows in the progress
    # even when pages arrive faster than this thread looks; None means some job finished.
    events: queue.Queue[tuple[int, int] | None] = queue.Queue()

    def run(index: int) -> FetchResult:
        def on_page(rows: int, _expected: int | None) -> None:
            with lock:
                rows_done[index] = rows
            events.put((index, rows))

        if cancel.is_set():  # another report failed: do not start this one
            raise concurrent.futures.CancelledError()
        try:
            return client.fetch_all(jobs[index].report, jobs[index].targets, jobs[index].target_types,
                                    refresh=refresh, page_size=page_size, max_rows=max_rows, progress=on_page,
                                    cancel=cancel)
        except BaseException:
            cancel.set()  # at once, from this thread: the other workers stop before their next request
            raise

    results: dict[int, FetchResult] = {}
    shown = [0] * len(jobs)  # rows per job as announced, in announcement order
    failure: SemrushError | None = None
    other_failure: BaseException | None = None

    def report(pending: dict) -> None:
        if progress is None or cancel.is_set():
            return
        fraction = max(sum(min(r, max_rows) for r in shown) / (max_rows * len(jobs)), len(results) / len(jobs))
        running = [jobs[i].label for f, i in pending.items() if f.running()]
        text = (f"Fetched {len(results)} of {len(jobs)} reports · {sum(shown):,} rows so far"
                + (f" — {running[0]}…" if running else ""))
        progress(FetchProgress(min(fraction, 1.0), text, sum(shown), len(results), len(jobs)))

    with concurrent.futures.ThreadPoolExecutor(max_workers=client.max_concurrency,
                                               thread_name_prefix="semrush-fetch") as pool:
        pending = {pool.submit(run, i): i for i in range(len(jobs))}
        for future in pending:
            future.add_done_callback(lambda _f: events.put(None))
        while pending:
            try:
                batch = [events.get(timeout=0.5)]
            except queue.Empty:
                batch = []
            # Done futures are taken before the queue is emptied: their pages were announced before they
            # finished, so every page is shown before the report that holds it counts as fetched.
            done = [f for f in pending if f.done()]
            while True:
                try:
                    batch.append(events.get_nowait())
                except queue.Empty:
                    break
            for event in batch:
                if event is not None:
                    index, rows = event
                    shown[index] = max(shown[index], rows)
                    report(pending)
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
                shown[index] = result.rows
                _record(workspace_id, job, result.rows, result.units_spent, root)
            if cancel.is_set():
                for future in pending:
                    future.cancel()
            if done:
                report(pending)
    if failure is not None:
        raise failure
    if other_failure is not None:
        raise other_failure
    if progress is not None:
        total = sum(results[i].rows for i in results)
        progress(FetchProgress(1.0, f"Fetched {len(jobs)} reports · {total:,} rows", total, len(jobs), len(jobs)))
    return [(jobs[i], results[i]) for i in range(len(jobs))]


def _record(workspace_id: str, job: FetchJob, rows: int, units: int, root: Path | None) -> None:
    if units:
        usage.record(workspace_id, job.report, ",".join((job.target, *job.compare)), rows, units, root=root)
