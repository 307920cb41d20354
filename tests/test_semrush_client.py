"""The real SemrushClient against the real fake server over loopback: formats, paging, faults, pacing, secrecy."""

from __future__ import annotations

import io
import logging
import pickle
import threading
import traceback
from pathlib import Path

import httpx
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from lib import db
from lib.normalize import canonicalize
from lib.schema import KINDS, match_header
from lib.semrush import (
    REPORTS,
    BudgetExceeded,
    RateLimiter,
    LimitExceeded,
    ResponseCache,
    SemrushClient,
    SemrushError,
    TransportError,
    TruncatedResponse,
    UnitsExhausted,
    WrongKey,
    usage,
)
from lib.semrush.fetch import FetchProgress, fetch_workspace_reports, plan
from tests.fake_server import LEAK_KEY, OWN, RIVALS, fake, make_client, sample  # noqa: F401 - fixtures
from tools.fake_semrush import FakeSemrush

MULTI = [OWN, *RIVALS]


def _target(report: str):
    return MULTI if REPORTS[report].multi_target else OWN


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in frame.dtypes.items()}


def _expected_dtypes(report: str) -> dict[str, str]:
    return {name: str(pd.Series(dtype=dtype).dtype) for name, dtype in REPORTS[report].kind.dtypes.items()}


# -- happy paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("report", list(REPORTS))
def test_each_report_becomes_a_canonical_frame(report, make_client, fake):
    client = make_client()
    result = client.fetch(report, _target(report))

    spec = REPORTS[report]
    assert result.report == report and not result.from_cache
    assert result.rows > 0 and len(result.frame) == result.rows * (len(MULTI) if report == "backlinks_matrix" else 1)
    assert list(result.frame.columns) == list(spec.kind.dtypes)
    assert _dtypes(result.frame) == _expected_dtypes(report)
    assert result.normalized.problems.rejected_total == 0 and result.normalized.problems.unreadable_total == 0
    assert result.units_spent == (40 if spec.per_request else 40 * result.rows) == fake.units_served
    assert fake.request_count == 1 and result.requests == 1 and result.retries == 0


@pytest.mark.parametrize("report", list(REPORTS))
def test_empty_answers_have_the_schema_dtypes_too(report, make_client):
    result = make_client().fetch(report, ["nobody.example", "nobody.test"] if REPORTS[report].multi_target
                                 else "nobody.example")
    assert len(result.frame) == 0 and _dtypes(result.frame) == _expected_dtypes(report)


def test_backlinks_survive_the_wire_unchanged(make_client, sample):
    """Timestamps, true/false flags, quoted titles with semicolons: what is served is what comes back."""
    columns = REPORTS["backlinks"].columns + ("sponsored", "ugc", "text")
    result = make_client().fetch("backlinks", OWN, export_columns=columns)
    assert_frame_equal(result.frame, sample[("backlinks", OWN)])
    assert result.frame["source_title"].str.contains(";").all()


def test_gap_answer_melts_into_one_row_per_compared_domain(make_client):
    result = make_client().fetch("backlinks_matrix", MULTI, display_sort="matchesnum_desc")
    assert result.normalized.compared_domains == tuple(MULTI)
    frame = result.frame
    shared = frame[frame["matches"] == 3]
    assert len(shared) and (shared["backlinks"] > 0).all()
    per_domain = frame.groupby("domain")["compared_domain"].nunique()
    assert (per_domain == 3).all()


def test_nothing_found_is_an_empty_canonical_frame(make_client, fake):
    result = make_client().fetch("backlinks_refdomains", "unknown-site.com")
    assert len(result.frame) == 0 and result.rows == 0 and result.units_spent == 0
    assert _dtypes(result.frame) == _expected_dtypes("backlinks_refdomains")
    assert fake.request_count == 1


def test_the_key_reaches_the_server_and_nothing_else_in_the_query_changes(fake):
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, text="zone;domains_num;backlinks_num\r\ncom;3;10\r\nde;1;2\r\n")

    client = SemrushClient("secret-key", base_url="https://api.example.test/analytics/v1/",
                           transport=httpx.MockTransport(handler))
    result = client.fetch("backlinks_tld", "example.com", display_sort="domains_num_desc")
    assert result.frame["zone"].tolist() == ["com", "de"] and result.frame["backlinks"].tolist() == [10, 2]
    params = dict(seen[0].params)
    assert params["key"] == "secret-key" and params["type"] == "backlinks_tld"
    assert params["target_type"] == "root_domain" and params["display_sort"] == "domains_num_desc"


@pytest.mark.parametrize("status", [200, 400, 403])
def test_error_bodies_are_typed_whatever_the_http_status(status):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text="ERROR 134 :: TOTAL LIMIT EXCEEDED\n")

    client = SemrushClient("k", base_url="https://api.example.test/", transport=httpx.MockTransport(handler))
    with pytest.raises(LimitExceeded):
        client.fetch("backlinks", "example.com")


def test_unknown_error_codes_are_plain_semrush_errors_and_not_retried():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, text="ERROR 31 :: WRONG TARGET TYPE")

    client = SemrushClient("k", base_url="https://api.example.test/", transport=httpx.MockTransport(handler))
    with pytest.raises(SemrushError) as caught:
        client.fetch("backlinks", "example.com")
    assert type(caught.value) is SemrushError and caught.value.code == 31 and "ERROR 31" in caught.value.message
    assert len(calls) == 1


# -- paging -------------------------------------------------------------------------------------------


def test_paging_reads_every_row_in_pages_until_a_short_page(make_client, fake, sample):
    calls: list[tuple[int, int | None]] = []
    result = make_client().fetch_all("backlinks", OWN, page_size=1000,
                                     progress=lambda n, total: calls.append((n, total)))

    assert [n for n, _ in calls] == [1000, 2000, 2500]
    assert fake.request_count == 3 and result.pages == 3 and result.rows == 2500
    # Semrush's display_limit is the end position once display_offset is used.
    assert [(r.get("display_offset", "0"), r["display_limit"]) for r in fake.requests] == [
        ("0", "1000"), ("1000", "2000"), ("2000", "3000")]
    assert result.units_spent == 2500 * 40 == fake.units_served
    expected = sample[("backlinks", OWN)].copy()
    expected[["sponsored", "ugc", "text"]] = False  # not among the default export_columns
    assert_frame_equal(result.frame, expected)


def test_paging_stops_at_max_rows(make_client, fake):
    result = make_client().fetch_all("backlinks", OWN, page_size=1000, max_rows=1500)
    assert result.rows == 1500 and len(result.frame) == 1500 and fake.request_count == 2
    assert fake.requests[-1]["display_limit"] == "1500" and fake.requests[-1]["display_offset"] == "1000"
    assert result.units_spent == 1500 * 40


def test_paging_an_exact_multiple_ends_on_nothing_found(make_client, fake):
    result = make_client().fetch_all("backlinks_refdomains", RIVALS[0], page_size=25)
    expected = len(fake._frames[("backlinks_refdomains", RIVALS[0])])
    assert result.rows == expected
    assert fake.request_count == expected // 25 + 1


# -- faults ---------------------------------------------------------------------------------------------


def test_a_burst_of_429_is_retried_then_succeeds(make_client, fake):
    fake.set_faults(burst_429=3)
    result = make_client().fetch("backlinks_tld", OWN)
    assert result.retries == 3 and result.requests == 4 and fake.request_count == 4 and len(result.frame)


def test_server_errors_are_retried_then_succeed(make_client, fake):
    fake.set_faults(server_error=2)
    result = make_client().fetch("backlinks_anchors", OWN)
    assert result.retries == 2 and fake.request_count == 3 and len(result.frame)


def test_too_many_429_give_up_with_rate_limited(make_client, fake):
    fake.set_faults(burst_429=10)
    with pytest.raises(SemrushError) as caught:
        make_client(max_retries=2).fetch("backlinks_tld", OWN)
    assert caught.value.http_status == 429 and "slow down" in caught.value.message
    assert fake.request_count == 3


def test_a_slow_server_ends_in_transport_error_after_retries(make_client, fake):
    fake.set_faults(slow_seconds=2.0)
    waits: list[float] = []
    with pytest.raises(TransportError) as caught:
        make_client(timeout=0.2, max_retries=1, sleep=waits.append).fetch("backlinks_tld", OWN)
    # One timed-out request, one backoff wait (base 0.01: between 0.005 and 0.01), one retry, then the error.
    assert fake.request_count == 2 and len(waits) == 1 and 0.005 <= waits[0] <= 0.01
    assert "no answer within 0.2s" in caught.value.detail
    assert "internet connection" in caught.value.message


def test_an_unreachable_server_is_a_transport_error(tmp_path):
    client = SemrushClient("k", base_url="http://127.0.0.1:9/analytics/v1/", max_retries=1, backoff_base=0.01,
                           timeout=1)
    with pytest.raises(TransportError):
        client.fetch("backlinks", OWN)


@pytest.mark.parametrize("mode", ["content_length", "short"])
def test_a_truncated_answer_is_retried(make_client, fake, sample, mode):
    fake.set_faults(truncate=2, truncate_mode=mode)
    result = make_client().fetch("backlinks_refdomains", OWN)
    assert result.retries == 2 and fake.request_count == 3
    assert_frame_equal(result.frame, sample[("backlinks_refdomains", OWN)])


def test_an_answer_truncated_every_time_is_never_kept(make_client, fake):
    fake.set_faults(truncate=99, truncate_mode="short")
    client = make_client(cache=True, max_retries=2)
    with pytest.raises(TruncatedResponse):
        client.fetch("backlinks_refdomains", OWN)
    assert fake.request_count == 3 and len(client.cache) == 0


@pytest.mark.parametrize(("code", "error"), [(120, WrongKey), (132, UnitsExhausted), (134, LimitExceeded)])
@pytest.mark.parametrize("http_status", [200, 403])
def test_key_and_unit_errors_are_typed_and_never_retried(make_client, fake, code, error, http_status):
    fake.error_http_status = http_status
    fake.set_faults(error_code=code)
    client = make_client(cache=True)
    with pytest.raises(error) as caught:
        client.fetch_all("backlinks", OWN, page_size=1000)
    assert caught.value.code == code and "Semrush" in caught.value.message
    assert fake.request_count == 1 and len(client.cache) == 0


def test_error_code_50_from_the_fault_switch_is_an_empty_frame(make_client, fake):
    fake.set_faults(error_code=50)
    result = make_client().fetch_all("backlinks", OWN)
    assert len(result.frame) == 0 and list(result.frame.columns) == list(KINDS["backlinks"].dtypes)


def test_a_key_the_server_does_not_know_is_wrong_key(make_client, fake):
    with pytest.raises(WrongKey) as caught:
        make_client("not-a-key").fetch("backlinks", OWN)
    assert "Subscription info" in caught.value.message and fake.request_count == 1


def test_other_http_errors_are_not_retried(make_client, fake):
    client = make_client(base_url=fake.url.replace("/analytics/v1/", "/wrong/path/"))
    with pytest.raises(SemrushError) as caught:
        client.fetch("backlinks", OWN)
    assert caught.value.http_status == 404 and fake.request_count == 0  # the fake only counts API calls


# -- pacing ---------------------------------------------------------------------------------------------


class _StoppedClock:
    """Virtual time that only moves when a test moves it; sleeps are recorded, never slept."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)


def test_the_rate_limiter_gives_each_request_its_own_slot_at_ten_per_second():
    clock = _StoppedClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    threads = [threading.Thread(target=lambda: [limiter.acquire() for _ in range(3)]) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Six requests at one virtual instant: the first goes now, the others wait 0.1 s more each, whichever
    # thread asked; so no second holds more than 10 requests.
    assert sorted(clock.sleeps) == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])


def test_the_rate_limiter_does_not_wait_after_a_quiet_spell_and_allows_no_burst():
    clock = _StoppedClock(0.0)
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.acquire()  # t=0: goes at once
    clock.now = 5.0
    limiter.acquire()  # long after the last slot: goes at once
    clock.now = 5.04
    limiter.acquire()  # 0.04 s after the last: waits for the rest of its 0.1 s slot
    limiter.acquire()  # and the next one queues behind it
    assert clock.sleeps == pytest.approx([0.06, 0.16])
    assert RateLimiter(0, clock=clock, sleep=clock.sleep).interval == 0.0  # 0 = unlimited (tests only)


def test_the_client_paces_its_requests_through_the_rate_limiter(make_client, fake):
    clock = _StoppedClock()
    client = make_client(rate_per_second=10, max_concurrency=2, clock=clock, sleep=clock.sleep)
    threads = [threading.Thread(target=lambda: [client.fetch("backlinks_geo", OWN) for _ in range(3)])
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.request_count == 6
    assert sorted(clock.sleeps) == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])


class _CountingGate:
    """Stands in for the client's in-flight semaphore: counts the threads that reached it."""

    def __init__(self, inner: threading.BoundedSemaphore, arrived: list[int], changed: threading.Condition) -> None:
        self.inner, self.arrived, self.changed = inner, arrived, changed

    def __enter__(self) -> None:
        with self.changed:
            self.arrived[0] += 1
            self.changed.notify_all()
        self.inner.acquire()

    def __exit__(self, *exc: object) -> None:
        self.inner.release()


def test_concurrency_is_bounded():
    threads_total, bound = 5, 2
    changed = threading.Condition()
    arrived, active, most = [0], [0], [0]

    def handler(request: httpx.Request) -> httpx.Response:
        with changed:
            active[0] += 1
            most[0] = max(most[0], active[0])
            # Hold every request until all threads have reached the gate: with no bound, all would be in here.
            everyone = changed.wait_for(lambda: arrived[0] == threads_total, timeout=30)
            active[0] -= 1
        assert everyone
        return httpx.Response(200, text="zone;domains_num;backlinks_num\ncom;3;10\n")

    client = SemrushClient("k", base_url="https://api.example.test/", rate_per_second=0, max_concurrency=bound,
                           transport=httpx.MockTransport(handler))
    client._in_flight = _CountingGate(client._in_flight, arrived, changed)
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(client.fetch("backlinks_tld", OWN).rows))
               for _ in range(threads_total)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [1] * threads_total
    assert most[0] == bound  # requests did overlap, and never more than the bound


# -- arguments ------------------------------------------------------------------------------------------


def test_arguments_are_checked_before_any_request(make_client, fake):
    client = make_client()
    with pytest.raises(ValueError):
        client.fetch("backlinks_matrix", [f"site{i}.com" for i in range(6)])
    with pytest.raises(ValueError):
        client.fetch("backlinks_historical", OWN, target_type="url")
    with pytest.raises(ValueError):
        client.fetch("backlinks_spam", OWN)
    with pytest.raises(ValueError):
        SemrushClient("   ")
    assert fake.request_count == 0


def test_estimates_come_from_the_price_table(make_client):
    client = make_client()
    assert client.estimate_units("backlinks", 2500) == 100_000
    assert client.estimate_units("backlinks_overview", 1) == 40


# -- the key never leaks ------------------------------------------------------------------------------


def test_the_api_key_never_leaks(fake, data_dir: Path, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "lib.semrush"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    fast = {"rate_per_second": 1000, "backoff_base": 0.01, "backoff_max": 0.02, "max_retries": 1}
    cache = ResponseCache()  # the default place: under the data directory
    client = SemrushClient(LEAK_KEY, base_url=fake.url, cache=cache, timeout=0.3, **fast)
    raised: list[BaseException] = []

    def attempt(call) -> None:
        try:
            call()
        except SemrushError as error:
            raised.append(error)

    # Successes first: the fake accepts the key, so the key did go over the wire.
    fetched = client.fetch_all("backlinks_refdomains", OWN, page_size=50, max_rows=120)
    usage.record("ws", "backlinks_refdomains", OWN, fetched.rows, fetched.units_spent)
    client.fetch("backlinks_refdomains", "unknown-site.com")
    for faults in ({"burst_429": 9}, {"server_error": 9}, {"truncate": 9}, {"truncate": 9, "truncate_mode": "short"},
                   {"slow_seconds": 1.0}, {"error_code": 120}, {"error_code": 132}, {"error_code": 134}):
        fake.clear_faults()
        fake.set_faults(**faults)
        attempt(lambda: client.fetch("backlinks_anchors", OWN, refresh=True))
    fake.clear_faults()
    with FakeSemrush.from_frames({}) as strict:  # knows only the demo key
        other = SemrushClient(LEAK_KEY, base_url=strict.url, **fast)
        attempt(lambda: other.fetch("backlinks", OWN))
    unreachable = SemrushClient(LEAK_KEY, base_url="http://127.0.0.1:9/analytics/v1/", **fast)
    attempt(lambda: unreachable.fetch("backlinks", OWN))
    # A key pasted into the API address as well (httpx 0.28 drops a base URL's query when given params).
    leaky = SemrushClient(LEAK_KEY, base_url=fake.url + f"?key={LEAK_KEY}", **fast)
    leaky.fetch("backlinks_tld", OWN)
    usage.set_budget("ws", 1)
    try:
        fetch_workspace_reports(client, "ws", OWN, RIVALS, max_rows=10)
    except BudgetExceeded as error:
        raised.append(error)

    assert len(raised) >= 11, [type(e).__name__ for e in raised]
    assert {type(e) for e in raised} >= {WrongKey, UnitsExhausted, LimitExceeded, TransportError, TruncatedResponse,
                                         BudgetExceeded}
    texts = [repr(client), str(client), repr(vars(client)), repr(cache), repr(leaky)]
    for error in raised:
        texts += [str(error), repr(error), repr(error.args), error.message, getattr(error, "detail", ""),
                  "".join(traceback.format_exception(error))]
        chained = error.__cause__ or error.__context__
        assert chained is None, f"{type(error).__name__} chains {type(chained).__name__}"
    texts.append(caplog.text)
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        assert LEAK_KEY not in text
    assert any("HTTP Request: GET" in r.getMessage() for r in caplog.records)  # httpx did log; without the key

    cache.close()
    client.close()
    files = [p for p in data_dir.rglob("*") if p.is_file()] + [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == db.DB_NAME for p in files) and any("cache" in p.parts for p in files)
    for path in files:
        assert LEAK_KEY.encode() not in path.read_bytes(), path


def test_httpx_itself_never_sees_the_key(make_client, fake, caplog, monkeypatch):
    """The key is added below httpx: its request objects and log lines have none, even unfiltered."""
    from lib.semrush import client as client_module

    for name in client_module._HTTP_LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "filters", [])
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    client = make_client(LEAK_KEY)
    urls: list[str] = []
    client._http.event_hooks["response"].append(lambda response: urls.append(str(response.request.url)))
    client.fetch("backlinks_tld", OWN)
    fake.set_faults(burst_429=1)
    client.fetch("backlinks_geo", OWN)
    assert fake.request_count == 3 and len(urls) == 3  # the fake accepted the key: it was sent
    assert sum("HTTP Request: GET" in r.getMessage() for r in caplog.records) == 3
    for text in urls + [caplog.text]:
        assert LEAK_KEY not in text and "key=" not in text


def test_the_log_filter_redacts_keys_in_http_log_lines(caplog):
    SemrushClient("k", base_url="http://127.0.0.1:9/")  # installs the filter
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    logging.getLogger("httpx").info("HTTP Request: GET %s", f"https://api.semrush.com/analytics/v1/?key={LEAK_KEY}&t=1")
    logging.getLogger("httpcore.http11").debug("url=%s", f"/?type=x&KEY={LEAK_KEY}")
    assert LEAK_KEY not in caplog.text and caplog.text.count("***") == 2


def test_repr_and_pickle_do_not_carry_the_key():
    client = SemrushClient(LEAK_KEY, base_url="http://127.0.0.1:9/")
    assert LEAK_KEY not in repr(client) and LEAK_KEY not in str(client)
    with pytest.raises(TypeError):
        pickle.dumps(client)


# -- one model, two sources ---------------------------------------------------------------------------

# Export headers as Semrush writes them (docs/shared formats notes; partly unverified there).
EXPORT_HEADERS = {
    "backlinks": {
        "page_ascore": "Page ascore", "source_title": "Source title", "source_url": "Source url",
        "target_url": "Target url", "anchor": "Anchor", "external_num": "External links",
        "internal_num": "Internal links", "nofollow": "Nofollow", "sponsored": "Sponsored", "ugc": "Ugc",
        "text": "Text", "frame": "Frame", "form": "Form", "image": "Image", "sitewide": "Sitewide",
        "first_seen": "First seen", "last_seen": "Last seen", "newlink": "New link", "lostlink": "Lost link"},
    "backlinks_refdomains": {
        "domain_ascore": "Domain ascore", "domain": "Domain", "backlinks_num": "Backlinks", "ip": "IP",
        "country": "Country", "first_seen": "First seen", "last_seen": "Last seen"},
    "backlinks_anchors": {
        "anchor": "Anchor", "domains_num": "Domains", "backlinks_num": "Backlinks", "first_seen": "First seen",
        "last_seen": "Last seen"},
    "backlinks_pages": {
        "source_url": "Target url", "source_title": "Title", "response_code": "Response code",
        "backlinks_num": "Backlinks", "domains_num": "Domains", "last_seen": "Last seen",
        "external_num": "External links", "internal_num": "Internal links"},
    "backlinks_refips": {
        "ip": "IP", "country": "Country", "domains_num": "Domains", "backlinks_num": "Backlinks",
        "first_seen": "First seen", "last_seen": "Last seen"},
    "backlinks_tld": {"zone": "Zone", "domains_num": "Domains", "backlinks_num": "Backlinks"},
    "backlinks_geo": {"country": "Country", "domains_num": "Domains", "backlinks_num": "Backlinks"},
    "backlinks_matrix": {"domain": "Domain", "domain_ascore": "Domain ascore", "matches_num": "Matches"},
}


def _export_cell(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "true", False: "false"})
    return values.astype("object").where(values.notna(), "").astype("str")


def _export_csv(report: str, table: pd.DataFrame, targets: list[str]) -> bytes:
    spec = REPORTS[report]
    out = {}
    for code, header in EXPORT_HEADERS[report].items():
        out[header] = _export_cell(table[spec.code_to_column[code]])
    for target in targets:  # gap exports: one backlinks column per compared domain, named after it
        out[target] = _export_cell(table[target])
    buffer = io.StringIO()
    pd.DataFrame(out).to_csv(buffer, index=False)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode()


def _read_export(data: bytes, name: str, kind: str):
    try:
        from lib.readers import read_export
    except ImportError:  # lib.readers not written yet: the same road by hand (pandas CSV -> match -> canonicalize)
        raw = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        return canonicalize(raw, match_header(list(raw.columns), KINDS[kind]))
    tables = read_export(data, name)
    assert len(tables) == 1
    return tables[0].normalized


@pytest.mark.parametrize("report", list(EXPORT_HEADERS))
def test_api_answer_and_export_file_give_the_same_canonical_frame(report, make_client, fake, sample):
    targets = MULTI if REPORTS[report].multi_target else [OWN]
    columns = tuple(EXPORT_HEADERS[report]) + (("backlinks_num",) if report == "backlinks_matrix" else ())
    from_api = make_client().fetch_all(report, targets if len(targets) > 1 else OWN, export_columns=columns,
                                       page_size=1000).normalized
    table = fake._matrix(targets) if report == "backlinks_matrix" else sample[(report, OWN)]
    from_file = _read_export(_export_csv(report, table, targets if len(targets) > 1 else []),
                             f"{OWN}-{report}.csv", REPORTS[report].kind.name)

    assert from_file.kind.name == from_api.kind.name
    assert_frame_equal(from_api.frame, from_file.frame)
    assert from_api.compared_domains == from_file.compared_domains
    assert from_api.problems.rejected_total == from_file.problems.rejected_total == 0


# -- the workspace fetch ------------------------------------------------------------------------------


def test_workspace_fetch_checks_the_budget_and_records_units(make_client, fake):
    client = make_client(cache=True)
    seen: list[FetchProgress] = []
    results = fetch_workspace_reports(client, "ws1", OWN, RIVALS, max_rows=1000, progress=seen.append)

    assert [(r, t) for r, t, _, _ in results] == [(j.report, j.target) for j in plan(OWN, RIVALS)]
    assert [(r, t) for r, t, _, _ in results][4:] == [("backlinks_refdomains", rival) for rival in RIVALS]
    for report, _target_name, normalized, result in results:
        assert normalized.kind.name == REPORTS[report].kind.name and normalized.frame is result.frame
    spent = sum(result.units_spent for *_, result in results)
    assert spent == fake.units_served == usage.spent_this_month("ws1") > 0
    assert seen and seen[-1].fraction == 1.0 and all(0 <= p.fraction <= 1 for p in seen)
    served = sum(min(len(fake._frames[(j.report, j.target)]), 1000) for j in plan(OWN, RIVALS))
    assert seen[-1].rows == sum(result.rows for *_, result in results) == served
    assert seen[-1].text == f"Fetched 6 reports · {seen[-1].rows:,} rows"

    # Everything is cached now: a second run costs nothing, even under a tiny budget.
    requests = fake.request_count
    usage.set_budget("ws1", spent + 1)
    again = fetch_workspace_reports(client, "ws1", OWN, RIVALS, max_rows=1000)
    assert fake.request_count == requests and all(r.from_cache for *_, r in again)
    assert usage.spent_this_month("ws1") == spent

    # A refresh would cost real units: refused before the first request.
    with pytest.raises(BudgetExceeded) as caught:
        fetch_workspace_reports(client, "ws1", OWN, RIVALS, max_rows=1000, refresh=True)
    assert fake.request_count == requests
    assert "budget" in caught.value.message and caught.value.estimated == 6 * 1000 * 40


def test_workspace_fetch_stops_on_a_key_error_and_records_what_was_spent(make_client, fake):
    client = make_client()
    fake.set_faults(error_code=132)
    with pytest.raises(UnitsExhausted):
        fetch_workspace_reports(client, "ws2", OWN, RIVALS, max_rows=100)
    assert fake.request_count <= client.max_concurrency + 1  # the others were cancelled, not each refused
    assert usage.spent_this_month("ws2") == 0


# -- cost estimates and the cache ---------------------------------------------------------------------


def test_a_report_is_free_only_when_every_page_the_fetch_needs_is_cached(make_client, fake):
    from lib.semrush.fetch import FetchJob, estimate

    client = make_client(cache=True)
    job = [FetchJob("backlinks", OWN)]  # 2,500 rows on the fake
    assert estimate(client, job, 2500, page_size=1000) == 2500 * 40
    client.fetch("backlinks", OWN, display_limit=1000)  # the first page only
    assert estimate(client, job, 2500, page_size=1000) == 1500 * 40  # the two later pages are still to buy
    assert estimate(client, job, 1000, page_size=1000) == 0  # only the cached page is wanted
    client.fetch("backlinks", OWN, display_limit=1000, display_offset=1000)
    assert estimate(client, job, 2500, page_size=1000) == 500 * 40
    assert estimate(client, job, 9000, page_size=1000) == 7000 * 40  # worst case: the third page could be full
    client.fetch_all("backlinks", OWN, page_size=1000)
    assert estimate(client, job, 9000, page_size=1000) == 0  # the third page was short: the list is complete
    assert estimate(client, job, 9000, page_size=1000, refresh=True) == 9000 * 40
    assert estimate(client, job, 2500, page_size=500) == 2500 * 40  # other pages are other questions


def test_the_workspace_fetch_budget_check_counts_the_pages_not_cached(make_client, fake):
    client = make_client(cache=True)
    client.fetch("backlinks", OWN, display_limit=1000)  # first page only, as a fetch cut short would leave it
    usage.set_budget("ws3", 1500 * 40 - 1)
    with pytest.raises(BudgetExceeded) as caught:
        fetch_workspace_reports(client, "ws3", OWN, (), ["backlinks"], max_rows=2500, page_size=1000,
                                competitor_reports=())
    assert caught.value.estimated == 1500 * 40 and fake.request_count == 1
    usage.set_budget("ws3", 1500 * 40)
    [(_, _, _, result)] = fetch_workspace_reports(client, "ws3", OWN, (), ["backlinks"], max_rows=2500,
                                                  page_size=1000, competitor_reports=())
    assert result.rows == 2500 and result.units_spent == 1500 * 40 and fake.request_count == 3


def test_the_workspace_fetch_progress_shows_the_rows_of_each_page(make_client, fake):
    client = make_client(cache=True)
    seen: list[FetchProgress] = []
    [(_, _, _, result)] = fetch_workspace_reports(client, "ws4", RIVALS[0], (), ["backlinks"], max_rows=1000,
                                                  page_size=70, competitor_reports=(), progress=seen.append)
    assert result.rows == 300 and result.pages == 5 and fake.request_count == 5
    rows = [p.rows for p in seen]
    assert rows == sorted(rows)  # never goes back
    assert [r for i, r in enumerate(rows) if i == 0 or r != rows[i - 1]] == [70, 140, 210, 280, 300]
    assert "Fetched 0 of 1 reports · 140 rows so far" in [p.text.split(" — ")[0] for p in seen]
    assert [p.reports_done for p in seen][-1] == 1 and seen[-1].text == "Fetched 1 reports · 300 rows"
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[0] == pytest.approx(70 / 1000) and fractions[-1] == 1.0

    # From the cache, page by page as well.
    again: list[FetchProgress] = []
    fetch_workspace_reports(client, "ws4", RIVALS[0], (), ["backlinks"], max_rows=1000, page_size=70,
                            competitor_reports=(), progress=again.append)
    assert fake.request_count == 5
    assert [p.rows for p in again][:5] == [70, 140, 210, 280, 300]


# -- what a workspace fetch asks for ------------------------------------------------------------------


def test_plan_takes_the_target_type_where_semrush_allows_it():
    from lib.semrush.fetch import FetchJob

    reports = ["backlinks_overview", "backlinks", "backlinks_historical", "backlinks_matrix"]
    jobs = plan(OWN, [*RIVALS, "example.com", " "], reports, target_type="url", target="https://example.com/a")
    assert jobs == [
        FetchJob("backlinks_overview", "https://example.com/a", "url", about=OWN),
        FetchJob("backlinks", "https://example.com/a", "url", about=OWN),
        FetchJob("backlinks_historical", OWN, "root_domain", about=OWN),  # root domains only
        FetchJob("backlinks_matrix", OWN, "root_domain", RIVALS, about=OWN),  # own domain and duplicates dropped
        *[FetchJob("backlinks_refdomains", rival) for rival in RIVALS],
    ]
    assert jobs[3].targets == (OWN, *RIVALS) and jobs[3].target_types == ("root_domain",) * 3
    assert jobs[1].targets == "https://example.com/a" and jobs[1].domain == OWN and jobs[4].domain == RIVALS[0]
    many = plan(OWN, [f"r{i}.com" for i in range(6)], ["backlinks_matrix"], ())
    assert many[0].compare == ("r0.com", "r1.com", "r2.com", "r3.com")  # Semrush compares five targets at most
    assert plan(OWN, [], ["backlinks_matrix"]) == []  # nothing to compare with


def test_workspace_fetch_of_the_gap_and_a_url(make_client, fake):
    from lib.semrush.fetch import fetch_jobs

    client = make_client()
    url = f"https://{OWN}/shoes/"
    jobs = plan(OWN, RIVALS, ["backlinks", "backlinks_matrix"], (), target_type="url", target=url)
    [(links_job, links), (gap_job, gap)] = fetch_jobs(client, "ws5", jobs, max_rows=10_000)
    served = fake._frames[("backlinks", OWN)]
    assert links.rows == int((served["target_url"] == url).sum()) > 0
    assert (links.frame["target_url"] == url).all()
    assert gap.normalized.compared_domains == (OWN, *RIVALS) and gap.normalized.kind.name == "gap"
    recorded = {r.report: r.target for r in usage.usage_this_month("ws5")}  # in the order the reports finished
    assert recorded == {"backlinks": url, "backlinks_matrix": ",".join((OWN, *RIVALS))}


def test_site_scores_from_the_overview_and_the_history():
    from datetime import date

    from lib.semrush import site_scores

    overview = pd.DataFrame({"authority_score": pd.array([41], dtype="Int64")})
    assert site_scores.overview_score(overview) == 41
    assert site_scores.overview_score(overview.iloc[:0]) is None
    assert site_scores.overview_score(pd.DataFrame({"authority_score": pd.array([None], dtype="Int64")})) is None
    history = pd.DataFrame({"date": pd.to_datetime(["2024-05-01", "2024-04-01", "2024-03-01"]),
                            "backlinks": pd.array([10, 8, None], dtype="Int64"),
                            "domains": pd.array([4, 3, 2], dtype="Int64"),
                            "authority_score": pd.array([30, None, 28], dtype="Int64")})
    assert site_scores.history_scores(history) == {"2024-05-01": 30, "2024-03-01": 28}
    assert site_scores.history_counts(history) == {
        "2024-05-01": {"backlinks": 10, "domains": 4, "authority_score": 30},
        "2024-04-01": {"backlinks": 8, "domains": 3},
        "2024-03-01": {"domains": 2, "authority_score": 28}}
    typed = {"2024-05-01": 33, "2024-06-02": 35}
    merged = site_scores.merge_scores(typed, today=(date(2024, 6, 2), 36), monthly={"2024-05-01": 30,
                                                                                     "2024-03-01": 28})
    assert merged == {"2024-03-01": 28, "2024-05-01": 33, "2024-06-02": 36}
    assert list(merged) == sorted(merged) and typed == {"2024-05-01": 33, "2024-06-02": 35}
