"""The Data page's Semrush API tab against the fake server's fault modes (AppTest).

Every fault ends in a clear message, or in success after retries. A fetch is all or nothing:
no snapshot is kept unless every report arrived and was saved, and the cache only ever holds
complete answers. After the fault clears, the next fetch works.
"""

from __future__ import annotations

import json
from pathlib import Path

import diskcache
import pytest

from lib import db, importer
from lib.semrush import errors
from lib.semrush.cache import ResponseCache
from lib.semrush.client import SemrushClient
from lib.workspaces import Workspace, create_workspace, get_setting
from tests.test_hostile_files import workspace_state
from tests.test_importer import ROW_A, backlinks_csv
from tools.fake_semrush import DEFAULT_KEY, FakeSemrush, _error, sample_frames
from ui import api_panel

# What the tab fetches by default for a workspace with one competitor: the reports stored as snapshots,
# and the overview, which fills in the site's Authority Score (a setting) instead.
ALL_JOBS = {("backlinks", "acme.com"), ("backlinks_refdomains", "acme.com"), ("backlinks_anchors", "acme.com"),
            ("backlinks_pages", "acme.com"), ("backlinks_refdomains", "rival.com")}
ALL_REQUESTS = ALL_JOBS | {("backlinks_overview", "acme.com")}


class FastClient(SemrushClient):
    """The app's client with test-speed timing: same retries, shorter waits."""

    def __init__(self, key: str, **options: object) -> None:
        options.update(timeout=1.0, backoff_base=0.01, backoff_max=0.05, rate_per_second=1000)
        super().__init__(key, **options)


class FakeWithAFailingReport(FakeSemrush):
    """Answers every report but one, which fails with Semrush's TOTAL LIMIT EXCEEDED."""

    failing_report: str | None = None

    def answer(self, query):
        if self.failing_report and query.get("type", [""])[0] == self.failing_report:
            return _error(134), 0
        return super().answer(query)


@pytest.fixture
def fake(monkeypatch) -> FakeWithAFailingReport:
    frames = sample_frames(["acme.com", "rival.com"], backlinks=120)
    with FakeWithAFailingReport(frames) as server:
        monkeypatch.setenv("SEMRUSH_API_URL", server.url)
        monkeypatch.setenv("SEMRUSH_API_KEY", DEFAULT_KEY)
        monkeypatch.setattr(api_panel, "SemrushClient", FastClient)
        yield server


@pytest.fixture
def acme(demo_data_dir: Path) -> Workspace:
    """A workspace with data of its own from an earlier upload, which no failed fetch may touch."""
    workspace = create_workspace("Acme", "acme.com", ["rival.com"])
    [outcome] = importer.import_bytes(workspace, backlinks_csv(ROW_A), "acme.com-backlinks-2024-03-01.csv")
    assert outcome.snapshot is not None
    return workspace


def cached_jobs() -> set[tuple[str, str]]:
    """(report, target) of every answer in the app's disk cache."""
    directory = db.data_dir() / "cache" / "semrush"
    if not directory.exists():
        return set()
    with diskcache.Cache(str(directory)) as cache:
        found = set()
        for key in cache:
            report, targets, *_ = json.loads(key.split("|", 1)[1])
            found.add((report, ",".join(targets)))
        return found


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning] \
        + [s.value for s in at.success] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def fetch(app_test, workspace: Workspace):
    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = workspace.id
    at.run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label.startswith("Fetch now")).click()
    at.run(timeout=120)
    assert not at.exception, at.exception
    return at


def fetched_jobs(workspace: Workspace, before) -> set[tuple[str, str]]:
    """(report, target) of the API snapshots added since `before`."""
    from lib import snapshots

    old = {s.id for s in before[0]}
    by_kind = {"backlinks": "backlinks", "referring_domains": "backlinks_refdomains", "anchors": "backlinks_anchors",
               "indexed_pages": "backlinks_pages"}
    return {(by_kind[s.kind], s.target_domain) for s in snapshots.list_snapshots(workspace.id)
            if s.id not in old and s.source == "api"}


def site_ascore(workspace: Workspace) -> dict:
    return get_setting(workspace.id, "site_ascore", {})


def assert_fetch_succeeded(at, workspace: Workspace, before) -> None:
    assert not at.error, [e.value for e in at.error]
    assert fetched_jobs(workspace, before) == ALL_JOBS
    assert "Backlinks of acme.com: 120 rows" in texts(at)
    assert len(site_ascore(workspace)) == 1 and "saved as your site's score" in texts(at)


@pytest.mark.parametrize("faults", [
    {"burst_429": 3}, {"server_error": 3}, {"truncate": 2}, {"truncate": 2, "truncate_mode": "short"},
    {"slow_seconds": 0.3},
], ids=["429-burst", "server-errors", "cut-off", "cut-off-short", "slow-but-in-time"])
def test_passing_faults_end_in_success_after_retries(acme, app_test, fake, faults):
    before = workspace_state(acme.id)
    fake.set_faults(**faults)
    at = fetch(app_test, acme)
    assert_fetch_succeeded(at, acme, before)
    assert cached_jobs() == ALL_REQUESTS
    # Each refused or cut-off request was sent once more: retried, not given up on and not repeated.
    failed_requests = faults.get("burst_429", 0) + faults.get("server_error", 0) + faults.get("truncate", 0)
    assert fake.request_count == len(ALL_REQUESTS) + failed_requests


@pytest.mark.parametrize(("faults", "error"), [
    ({"burst_429": 99}, errors.RateLimited),
    ({"server_error": 99}, errors.ServerError),
    ({"truncate": 99}, errors.TruncatedResponse),
    ({"truncate": 99, "truncate_mode": "short"}, errors.TruncatedResponse),
    ({"slow_seconds": 3.0}, errors.TransportError),
    ({"error_code": 120}, errors.WrongKey),
    ({"error_code": 132}, errors.UnitsExhausted),
    ({"error_code": 134}, errors.LimitExceeded),
], ids=["429-forever", "server-down", "always-cut-off", "always-cut-short", "too-slow", "wrong-key",
        "no-units", "limit-reached"])
def test_failing_faults_give_a_clear_message_keep_nothing_and_the_next_fetch_works(acme, app_test, fake, faults,
                                                                                 error):
    before = workspace_state(acme.id)
    fake.set_faults(**faults)
    at = fetch(app_test, acme)
    assert [e.value for e in at.error] == [error.default_message]
    assert workspace_state(acme.id) == before and site_ascore(acme) == {}
    assert cached_jobs() == set()  # no answer arrived whole, so none was kept

    fake.clear_faults()
    again = fetch(app_test, acme)
    assert_fetch_succeeded(again, acme, before)


def test_nothing_found_everywhere_stores_no_empty_snapshots(acme, app_test, fake):
    before = workspace_state(acme.id)
    fake.set_faults(error_code=50)
    at = fetch(app_test, acme)
    assert not at.error
    shown = texts(at)
    assert "Backlinks of acme.com: Semrush has no data for it (fetched now, 0 units); nothing was stored." in shown
    assert shown.count("nothing was stored") == len(ALL_REQUESTS)
    # The backlinks uploaded earlier are still the workspace's latest: an empty answer did not hide them.
    assert workspace_state(acme.id) == before
    assert len(importer.current_frame(acme, "backlinks")) == 1


def test_a_report_failing_midway_keeps_no_snapshot_and_only_complete_answers_in_the_cache(acme, app_test, fake):
    before = workspace_state(acme.id)
    fake.failing_report = "backlinks_pages"
    at = fetch(app_test, acme)
    assert [e.value for e in at.error] == [errors.LimitExceeded.default_message]
    assert workspace_state(acme.id) == before and site_ascore(acme) == {}
    cached = cached_jobs()
    assert ("backlinks_pages", "acme.com") not in cached and cached <= ALL_REQUESTS

    fake.failing_report = None
    sent = fake.request_count
    again = fetch(app_test, acme)
    assert_fetch_succeeded(again, acme, before)
    # Reports that had arrived whole came from the cache the second time: they cost nothing again.
    assert fake.request_count - sent == len(ALL_REQUESTS) - len(cached)
    assert texts(again).count("from cache") == len(cached)


def test_a_save_failing_midway_undoes_the_snapshots_of_that_fetch(acme, app_test, fake, monkeypatch):
    before = workspace_state(acme.id)
    real_store = importer.store_normalized
    calls = []

    def store_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(importer, "store_normalized", store_then_fail)
    at = fetch(app_test, acme)
    assert [e.value for e in at.error] == [
        "The fetched data could not be saved (OSError); nothing from this fetch was kept. The answers received are "
        "in the cache, so trying again costs no API units."]
    assert len(calls) == 3
    assert workspace_state(acme.id) == before  # the two snapshots saved before the failure are gone, files too
    assert site_ascore(acme) == {}  # the overview's score is not kept either

    monkeypatch.setattr(importer, "store_normalized", real_store)
    sent = fake.request_count
    again = fetch(app_test, acme)
    assert_fetch_succeeded(again, acme, before)
    assert fake.request_count == sent


@pytest.mark.parametrize("faults", [
    {"burst_429": 99}, {"server_error": 99}, {"truncate": 99}, {"truncate": 99, "truncate_mode": "short"},
    {"slow_seconds": 2.0}, {"error_code": 120}, {"error_code": 132}, {"error_code": 134}, {"error_code": 50},
])
def test_the_cache_keeps_only_successful_answers(fake, tmp_path, faults):
    cache = ResponseCache(tmp_path / "cache")
    with FastClient(DEFAULT_KEY, base_url=fake.url, cache=cache, max_retries=1, timeout=0.5) as client:
        fake.set_faults(**faults)
        try:
            result = client.fetch("backlinks_refdomains", "acme.com")
        except errors.SemrushError:
            pass
        else:  # ERROR 50 is "nothing found", an empty answer: not worth keeping either
            assert faults == {"error_code": 50} and result.rows == 0
        assert len(cache) == 0
        fake.clear_faults()
        good = client.fetch("backlinks_refdomains", "acme.com")
        assert good.rows > 0 and len(cache) == 1
        assert client.fetch("backlinks_refdomains", "acme.com").from_cache
    cache.close()
