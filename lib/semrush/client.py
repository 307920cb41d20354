"""A polite, cached, key-safe client for the Semrush Backlinks API (analytics/v1).

Polite: one rate limiter shared by every thread (Semrush allows about 10 requests per second),
a bounded number of requests in flight, exponential backoff with jitter on 429, 5xx, network
errors and cut-off answers, and no retry at all when retrying cannot help (wrong key, no
units left, limit reached, other 4xx).

Key-safe: the key is added to the URL by a tiny transport, below httpx's client. httpx's own
request objects, log lines and exceptions therefore only ever see URLs without the key; the
errors raised here are built from scratch, redacted, and raised outside `except` blocks so
no original exception is chained to them.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx
import pandas as pd

from lib.normalize import Normalized
from lib.semrush import errors
from lib.semrush.cache import ResponseCache, age_text, utcnow
from lib.semrush.parse import check_complete, empty_answer, normalize_answer, read_answer
from lib.semrush.reports import MAX_PAGE_ROWS, Report, get_report, units_for_answer
from lib.semrush.reports import estimate_units as _estimate_units

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.semrush.com/analytics/v1/"
ENV_BASE_URL = "SEMRUSH_API_URL"

Progress = Callable[[int, "int | None"], None]


class _RedactKeyFilter(logging.Filter):
    """Belt and braces: should any httpx/httpcore log line ever carry a `key=`, it is redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken log call is not ours to fix
            return True
        if "key=" in message.lower():
            record.msg, record.args = errors.redact(message), ()
        return True


_FILTER = _RedactKeyFilter()
# Logger filters only see records logged on that very logger, so each httpcore child is named.
_HTTP_LOGGERS = ("httpx", "httpcore", "httpcore.connection", "httpcore.http11", "httpcore.http2",
                 "httpcore.proxy", "httpcore.socks")


def _install_log_filter() -> None:
    for name in _HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


class _KeyTransport(httpx.BaseTransport):
    """Adds `key=` to the query of each request on its way out, so nothing above sees it."""

    __slots__ = ("_inner", "_key")

    def __init__(self, inner: httpx.BaseTransport, key: str) -> None:
        self._inner = inner
        self._key = key

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        keyed = httpx.Request(request.method, request.url.copy_add_param("key", self._key),
                              headers=request.headers, stream=request.stream, extensions=request.extensions)
        return self._inner.handle_request(keyed)

    def close(self) -> None:
        self._inner.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} key=***>"


class RateLimiter:
    """At most `rate_per_second` acquisitions per second across all threads (a minimum interval).

    No bursts: Semrush counts requests per second, and a burst right after a quiet spell is
    exactly what earns a 429.
    """

    def __init__(self, rate_per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate_per_second if rate_per_second and rate_per_second > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


@dataclass
class FetchResult:
    frame: pd.DataFrame  # canonical
    from_cache: bool
    fetched_at: datetime  # UTC; for several pages, the oldest
    units_spent: int  # 0 when everything came from the cache
    rows: int  # data lines Semrush returned (before rows rejected by normalisation)
    normalized: Normalized | None = None
    report: str = ""
    target: str = ""
    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0
    pages: int = 1

    @property
    def age_text(self) -> str:
        return age_text(self.fetched_at)


@dataclass
class _Page:
    raw: pd.DataFrame
    rows: int
    from_cache: bool
    fetched_at: datetime
    units: int
    requests: int = 0
    retries: int = 0


@dataclass
class _Attempt:
    """What one HTTP attempt produced: an answer text, an empty answer, or an error."""

    text: str | None = None
    empty: bool = False
    error: errors.SemrushError | None = None
    retry_after: float | None = None


def _targets(spec: Report, target: str | Sequence[str], target_type: str | Sequence[str]
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    targets = (target,) if isinstance(target, str) else tuple(target)
    targets = tuple(t.strip() for t in targets if t and t.strip())
    if not targets:
        raise ValueError("No target given.")
    if len(targets) > spec.max_targets:
        raise ValueError(f"{spec.label} compares at most {spec.max_targets} targets; {len(targets)} given.")
    types = (target_type,) * len(targets) if isinstance(target_type, str) else tuple(target_type)
    if len(types) != len(targets):
        raise ValueError("Give one target type per target.")
    for kind in types:
        if kind not in spec.target_types:
            raise ValueError(f"{spec.label} accepts target types {', '.join(spec.target_types)}, not {kind!r}.")
    return targets, types


class SemrushClient:
    def __init__(self, key: str, base_url: str | None = None, rate_per_second: float = 10,
                 max_concurrency: int = 2, timeout: float = 30, max_retries: int = 4,
                 cache: ResponseCache | None = None, transport: httpx.BaseTransport | None = None, *,
                 backoff_base: float = 0.5, backoff_max: float = 20.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        """`base_url` defaults to $SEMRUSH_API_URL (read now, not at import), else the real API.

        `cache=None` means no caching; pass `ResponseCache()` to keep answers under the data directory.
        `sleep` and `clock` are the pacing's (and backoff's) notion of time, replaceable in tests.
        """
        key = (key or "").strip()
        if not key:
            raise ValueError("No Semrush API key given.")
        self.base_url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
        if not self.base_url.endswith("/"):
            self.base_url += "/"
        self.rate_per_second = rate_per_second
        self.max_concurrency = max(1, int(max_concurrency))
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.cache = cache
        self.backoff_base, self.backoff_max = backoff_base, backoff_max
        self._sleep = sleep
        self._limiter = RateLimiter(rate_per_second, clock=clock, sleep=sleep)
        self._in_flight = threading.BoundedSemaphore(self.max_concurrency)
        self._stats_lock = threading.Lock()
        self.requests_sent = 0
        self.units_spent = 0
        _install_log_filter()
        self._transport = _KeyTransport(transport or httpx.HTTPTransport(retries=0), key)
        self._http = httpx.Client(transport=self._transport, timeout=httpx.Timeout(timeout),
                                  follow_redirects=False,
                                  headers={"User-Agent": "Linkscope (+https://github.com/linkscope)"})

    # -- public API -----------------------------------------------------------------------------

    def estimate_units(self, report: str | Report, rows: int) -> int:
        return _estimate_units(report, rows)

    def fetch(self, report: str | Report, target: str | Sequence[str], target_type: str | Sequence[str] = "root_domain",
              export_columns: Sequence[str] | None = None, display_limit: int = MAX_PAGE_ROWS,
              display_offset: int = 0, display_sort: str | None = None, display_filter: str | None = None,
              refresh: bool = False) -> FetchResult:
        """One request (or one cache hit): rows display_offset .. display_offset + display_limit.

        `display_limit` is the number of rows wanted. Semrush documents its own display_limit as
        the end position when display_offset is used, so the wire value is offset + limit.
        """
        spec = get_report(report)
        targets, types = _targets(spec, target, target_type)
        columns = tuple(export_columns or spec.columns)
        page = self._page(spec, targets, types, columns, display_limit, display_offset, display_sort, display_filter,
                          refresh)
        normalized = normalize_answer(page.raw, spec)
        return FetchResult(frame=normalized.frame, from_cache=page.from_cache, fetched_at=page.fetched_at,
                           units_spent=page.units, rows=page.rows, normalized=normalized, report=spec.type,
                           target=",".join(targets), requests=page.requests, retries=page.retries)

    def fetch_all(self, report: str | Report, target: str | Sequence[str],
                  target_type: str | Sequence[str] = "root_domain", export_columns: Sequence[str] | None = None,
                  display_sort: str | None = None, display_filter: str | None = None, refresh: bool = False, *,
                  page_size: int = MAX_PAGE_ROWS, max_rows: int | None = None, progress: Progress | None = None,
                  expected_total: int | None = None, cancel: threading.Event | None = None) -> FetchResult:
        """Every row (up to max_rows), page by page with display_offset, until a short page.

        `progress(rows_so_far, expected_total)` is called after each page, in this thread.
        On failure the SemrushError raised carries `units_spent` for the pages already paid.
        """
        spec = get_report(report)
        targets, types = _targets(spec, target, target_type)
        columns = tuple(export_columns or spec.columns)
        page_size = max(1, min(int(page_size), MAX_PAGE_ROWS))
        pages: list[_Page] = []
        rows_so_far = 0
        units = 0
        while True:
            want = page_size if max_rows is None else min(page_size, max_rows - rows_so_far)
            if want <= 0 or (cancel is not None and cancel.is_set()):
                break
            try:
                page = self._page(spec, targets, types, columns, want, rows_so_far, display_sort, display_filter,
                                  refresh)
            except errors.SemrushError as error:
                error.units_spent = units
                raise
            pages.append(page)
            rows_so_far += page.rows
            units += page.units
            if progress is not None:
                progress(rows_so_far, expected_total)
            if not spec.paged or page.rows < want:
                break
        if not pages:
            pages.append(_Page(empty_answer(spec, columns), 0, False, utcnow(), 0))
        raw = pd.concat([p.raw for p in pages], ignore_index=True) if len(pages) > 1 else pages[0].raw
        normalized = normalize_answer(raw, spec)
        return FetchResult(frame=normalized.frame, from_cache=all(p.from_cache for p in pages),
                           fetched_at=min(p.fetched_at for p in pages), units_spent=units, rows=rows_so_far,
                           normalized=normalized, report=spec.type, target=",".join(targets),
                           requests=sum(p.requests for p in pages), retries=sum(p.retries for p in pages),
                           pages=len(pages))

    def is_cached(self, report: str | Report, target: str | Sequence[str],
                  target_type: str | Sequence[str] = "root_domain", export_columns: Sequence[str] | None = None,
                  display_limit: int = MAX_PAGE_ROWS, display_offset: int = 0, display_sort: str | None = None,
                  display_filter: str | None = None) -> bool:
        """Whether fetch() with these arguments would be answered from the cache (for cost estimates)."""
        return self.cached_rows(report, target, target_type, export_columns, display_limit, display_offset,
                                display_sort, display_filter) is not None

    def cached_rows(self, report: str | Report, target: str | Sequence[str],
                    target_type: str | Sequence[str] = "root_domain", export_columns: Sequence[str] | None = None,
                    display_limit: int = MAX_PAGE_ROWS, display_offset: int = 0, display_sort: str | None = None,
                    display_filter: str | None = None) -> int | None:
        """Rows the cache holds for this one page (as fetch() would count them), None when it is not cached."""
        if self.cache is None:
            return None
        spec = get_report(report)
        targets, types = _targets(spec, target, target_type)
        params = self._params(spec, targets, types, tuple(export_columns or spec.columns), display_limit,
                              display_offset, display_sort, display_filter)
        hit = self.cache.get(spec.type, targets, types, params)
        if hit is None:
            return None
        try:
            raw = read_answer(hit.text, spec)
        except errors.SemrushError:
            return None  # fetch() would ask Semrush again
        return min(len(raw), display_limit) if spec.paged else len(raw)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "SemrushClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SemrushClient(base_url={errors.redact(self.base_url)!r}, key=***)"

    __str__ = __repr__

    def __reduce__(self):  # a pickled client would carry the key to wherever the pickle goes
        raise TypeError("SemrushClient cannot be pickled (it holds an API key).")

    # -- internals ------------------------------------------------------------------------------

    @staticmethod
    def _params(spec: Report, targets: tuple[str, ...], types: tuple[str, ...], columns: tuple[str, ...],
                limit: int, offset: int, sort: str | None, filter_: str | None) -> dict[str, str]:
        params: dict[str, str] = {"export_columns": ",".join(columns)}
        if spec.paged:
            # Semrush: "if you use display_offset, increase display_limit by the offset value".
            params["display_limit"] = str(int(offset) + int(limit))
            if offset:
                params["display_offset"] = str(int(offset))
            if sort:
                params["display_sort"] = sort
            if filter_:
                params["display_filter"] = filter_
        return params

    def _query(self, spec: Report, targets: tuple[str, ...], types: tuple[str, ...],
               params: dict[str, str]) -> list[tuple[str, str]]:
        query = [("type", spec.type)]
        if spec.multi_target:
            query += [("targets[]", t) for t in targets] + [("target_types[]", t) for t in types]
        else:
            query += [("target", targets[0]), ("target_type", types[0])]
        return query + list(params.items())

    def _page(self, spec: Report, targets: tuple[str, ...], types: tuple[str, ...], columns: tuple[str, ...],
              limit: int, offset: int, sort: str | None, filter_: str | None, refresh: bool) -> _Page:
        params = self._params(spec, targets, types, columns, limit, offset, sort, filter_)
        if self.cache is not None and not refresh:
            hit = self.cache.get(spec.type, targets, types, params)
            if hit is not None:
                try:
                    raw = read_answer(hit.text, spec)
                except errors.SemrushError:
                    raw = None  # unreadable despite its checksum: ask Semrush again
                if raw is not None:
                    log.debug("Semrush %s %s: %d rows from cache", spec.type, ",".join(targets), len(raw))
                    return _Page(raw.head(limit), min(len(raw), limit), True, hit.fetched_at, 0)
        text, empty, requests, retries = self._request(spec, targets, types, params)
        fetched_at = utcnow()
        if empty:
            raw = empty_answer(spec, columns)
        else:
            raw = read_answer(text, spec)
            if self.cache is not None:
                self.cache.set(spec.type, targets, types, params, text, fetched_at)
        # Semrush bills what it sends; rows beyond the ones asked for (a server reading display_limit
        # as a count) were paid for but are dropped so pages do not overlap.
        units = units_for_answer(spec, len(raw))
        rows = min(len(raw), limit) if spec.paged else len(raw)
        with self._stats_lock:
            self.units_spent += units
        log.debug("Semrush %s %s offset %d: %d rows, %d units, %d request(s)", spec.type, ",".join(targets), offset,
                  len(raw), units, requests)
        return _Page(raw.head(rows), rows, False, fetched_at, units, requests, retries)

    def _request(self, spec: Report, targets: tuple[str, ...], types: tuple[str, ...],
                 params: dict[str, str]) -> tuple[str, bool, int, int]:
        """(answer text, is_empty, requests sent, retries) or a typed SemrushError."""
        query = self._query(spec, targets, types, params)
        attempt = 0
        while True:
            self._limiter.acquire()
            with self._in_flight:
                outcome = self._attempt(query)
            with self._stats_lock:
                self.requests_sent += 1
            if outcome.error is None:
                return outcome.text or "", outcome.empty, attempt + 1, attempt
            error = outcome.error
            if not error.retryable or attempt >= self.max_retries:
                log.info("Semrush %s failed after %d request(s): %s", spec.type, attempt + 1,
                         error.detail or type(error).__name__)
                raise error
            delay = self._backoff(attempt, outcome.retry_after)
            log.info("Semrush %s: %s, retry %d/%d in %.2fs", spec.type, error.detail or type(error).__name__,
                     attempt + 1, self.max_retries, delay)
            self._sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        # "Equal jitter": half fixed, half random, so parallel clients spread out but never hammer.
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_max))
        return delay

    def _attempt(self, query: list[tuple[str, str]]) -> _Attempt:
        """One HTTP request; every failure becomes a fresh, redacted SemrushError (nothing chained)."""
        failure: errors.SemrushError | None = None
        try:
            response = self._http.get(self.base_url, params=query)
        except httpx.RemoteProtocolError as error:
            text = str(error).lower()
            if "incomplete" in text or "complete message body" in text or "content-length" in text:
                failure = errors.TruncatedResponse(detail=f"connection closed mid-answer: {errors.redact(error)[:160]}")
            else:
                failure = errors.TransportError(detail=f"{type(error).__name__}: {errors.redact(error)[:160]}")
        except httpx.TimeoutException as error:
            failure = errors.TransportError(detail=f"{type(error).__name__}: no answer within {self.timeout}s")
        except httpx.HTTPError as error:  # connect errors, proxies, decoding, invalid URL...
            failure = errors.TransportError(detail=f"{type(error).__name__}: {errors.redact(error)[:160]}")
        if failure is not None:
            return _Attempt(error=failure)
        return self._classify(response)

    def _classify(self, response: httpx.Response) -> _Attempt:
        status = response.status_code
        if status == 429:
            return _Attempt(error=errors.RateLimited(http_status=429, detail="HTTP 429"),
                            retry_after=_retry_after(response))
        if status >= 500:
            return _Attempt(error=errors.ServerError(http_status=status, detail=f"HTTP {status}"))
        try:
            text = response.text
        except Exception as error:  # noqa: BLE001 - undecodable bytes
            return _Attempt(error=errors.UnreadableResponse(http_status=status, detail=type(error).__name__))
        found = errors.parse_error_body(text)
        if found is not None:
            code, said = found
            if code == 50:
                return _Attempt(empty=True)
            return _Attempt(error=errors.error_for(code, said, status))
        if status >= 400:
            return _Attempt(error=errors.SemrushError(
                f"Semrush refused the request (HTTP {status}). Check the report settings and the API address.",
                http_status=status, detail=f"HTTP {status}: {errors.redact(text[:120])}"))
        try:
            check_complete(text)
        except errors.TruncatedResponse as truncated:
            return _Attempt(error=truncated)
        return _Attempt(text=text)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None

