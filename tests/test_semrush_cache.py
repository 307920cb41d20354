"""The Semrush answer cache: hits, refresh, staleness, damage on disk, and what is never kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

from lib.semrush import ResponseCache, WrongKey, age_text
from tests.fake_server import OWN, fake, make_client, sample  # noqa: F401 - fixtures


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_the_second_fetch_is_a_cache_hit_and_costs_nothing(make_client, fake, cache_dir):
    client = make_client(cache=ResponseCache(cache_dir))
    first = client.fetch_all("backlinks", OWN, page_size=1000)
    assert fake.request_count == 3 and not first.from_cache

    second = client.fetch_all("backlinks", OWN, page_size=1000)
    assert fake.request_count == 3
    assert second.from_cache and second.units_spent == 0 and second.requests == 0
    assert second.fetched_at == first.fetched_at  # when Semrush answered, not when the cache did
    assert_frame_equal(first.frame, second.frame)

    # Another client (another process, another day) finds the same answers on disk.
    other = make_client(cache=ResponseCache(cache_dir))
    assert other.fetch_all("backlinks", OWN, page_size=1000).from_cache and fake.request_count == 3


def test_refresh_bypasses_the_cache_and_updates_it(make_client, fake, cache_dir):
    client = make_client(cache=ResponseCache(cache_dir))
    client.fetch("backlinks_anchors", OWN)
    refreshed = client.fetch("backlinks_anchors", OWN, refresh=True)
    assert fake.request_count == 2 and not refreshed.from_cache and refreshed.units_spent > 0
    again = client.fetch("backlinks_anchors", OWN)
    assert again.from_cache and again.fetched_at == refreshed.fetched_at and fake.request_count == 2


def test_different_parameters_are_different_entries(make_client, fake, cache_dir):
    client = make_client(cache=ResponseCache(cache_dir))
    client.fetch("backlinks_refdomains", OWN, display_limit=10)
    client.fetch("backlinks_refdomains", OWN, display_limit=10, display_sort="domain_ascore_desc")
    client.fetch("backlinks_refdomains", OWN, display_limit=10, target_type="domain")
    assert fake.request_count == 3
    client.fetch("backlinks_refdomains", OWN, display_limit=10, display_sort="domain_ascore_desc")
    assert fake.request_count == 3


def test_answers_go_stale_after_max_age(make_client, fake, cache_dir):
    now = [datetime.now(timezone.utc)]
    cache = ResponseCache(cache_dir, max_age=timedelta(days=7), clock=lambda: now[0])
    client = make_client(cache=cache)
    client.fetch("backlinks_tld", OWN)
    now[0] += timedelta(days=6, hours=23)
    assert client.fetch("backlinks_tld", OWN).from_cache and fake.request_count == 1
    now[0] += timedelta(hours=2)
    stale = client.fetch("backlinks_tld", OWN)
    assert not stale.from_cache and fake.request_count == 2


def test_a_damaged_value_in_sqlite_is_dropped_and_refetched(make_client, fake, cache_dir, sample):
    cache = ResponseCache(cache_dir)
    client = make_client(cache=cache)
    client.fetch("backlinks_geo", OWN)
    client.fetch("backlinks_tld", OWN)
    with sqlite3.connect(cache_dir / "cache.db") as conn:
        rows = conn.execute("SELECT rowid, value FROM Cache").fetchall()
        assert len(rows) == 2 and all(isinstance(v, str) for _, v in rows)  # small answers live in the database
        conn.execute("UPDATE Cache SET value = ? WHERE rowid = ?", ('{"format": 1, "text": "geo;', rows[0][0]))
        conn.execute("UPDATE Cache SET value = ? WHERE rowid = ?", (rows[1][1].replace("com", "con", 1), rows[1][0]))

    geo = client.fetch("backlinks_geo", OWN)
    tld = client.fetch("backlinks_tld", OWN)
    assert not geo.from_cache and not tld.from_cache and fake.request_count == 4
    assert_frame_equal(tld.frame, sample[("backlinks_tld", OWN)])
    assert client.fetch("backlinks_geo", OWN).from_cache  # stored again, readable again


def test_damaged_and_missing_files_are_dropped_and_refetched(make_client, fake, cache_dir, sample):
    client = make_client(cache=ResponseCache(cache_dir))
    client.fetch_all("backlinks", OWN, page_size=1000)
    files = sorted(p for p in cache_dir.rglob("*.val"))
    assert len(files) == 3  # large answers live in files next to the database
    files[0].write_bytes(b"\xff\xfe\x00garbage" * 100)
    files[1].write_bytes(files[1].read_bytes()[:-500])
    files[2].unlink()

    again = client.fetch_all("backlinks", OWN, page_size=1000)
    assert fake.request_count == 6 and not again.from_cache and again.rows == 2500
    expected = sample[("backlinks", OWN)].copy()
    expected[["sponsored", "ugc", "text"]] = False
    assert_frame_equal(again.frame, expected)


def test_a_cache_database_that_is_not_one_is_replaced(make_client, fake, cache_dir):
    with ResponseCache(cache_dir) as cache:
        cache.set("backlinks_tld", OWN, "root_domain", {"display_limit": "1"}, "zone;domains_num\ncom;1\n")
    (cache_dir / "cache.db").write_bytes(b"this is not a database" * 200)
    for suffix in ("-wal", "-shm"):
        (cache_dir / f"cache.db{suffix}").unlink(missing_ok=True)

    cache = ResponseCache(cache_dir)
    assert cache.get("backlinks_tld", OWN, "root_domain", {"display_limit": "1"}) is None
    client = make_client(cache=cache)
    client.fetch("backlinks_tld", OWN)
    assert client.fetch("backlinks_tld", OWN).from_cache and fake.request_count == 1


def test_errors_and_nothing_found_are_never_cached(make_client, fake, cache_dir):
    cache = ResponseCache(cache_dir)
    client = make_client(cache=cache)
    fake.set_faults(error_code=120)
    with pytest.raises(WrongKey):
        client.fetch("backlinks_tld", OWN)
    fake.clear_faults()
    client.fetch("backlinks_tld", "unknown-site.com")
    assert len(cache) == 0
    client.fetch("backlinks_tld", OWN)
    assert len(cache) == 1


def test_cache_keys_never_hold_the_api_key():
    with_key = ResponseCache.key("backlinks", OWN, "root_domain", {"key": "sk-secret", "display_limit": "5",
                                                                   "export_columns": "a,b"})
    other_key = ResponseCache.key("backlinks", OWN, "root_domain", {"export_columns": "a,b", "display_limit": "5",
                                                                    "KEY": "another"})
    assert "sk-secret" not in with_key and with_key == other_key
    assert ResponseCache.key("backlinks_matrix", ["a.com", "b.com"], ["root_domain"] * 2, {}) != ResponseCache.key(
        "backlinks_matrix", ["b.com", "a.com"], ["root_domain"] * 2, {})


def test_default_directory_is_under_the_data_directory(data_dir):
    cache = ResponseCache()
    assert cache.directory == data_dir / "cache" / "semrush" and cache.directory.is_dir()
    assert bool(cache) and len(cache) == 0
    cache.close()


@pytest.mark.parametrize(("ago", "text"), [
    (timedelta(seconds=20), "fetched just now"),
    (timedelta(minutes=1), "fetched 1 minute ago"),
    (timedelta(minutes=5, seconds=30), "fetched 5 minutes ago"),
    (timedelta(hours=3), "fetched 3 hours ago"),
    (timedelta(days=1, hours=5), "fetched yesterday"),
    (timedelta(days=3, hours=1), "fetched 3 days ago"),
    (timedelta(seconds=-30), "fetched just now"),  # a clock a little ahead
])
def test_age_text(ago, text, cache_dir):
    now = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert age_text(now - ago, now) == text
    assert age_text((now - ago).replace(tzinfo=None), now) == text  # naive means UTC
    with ResponseCache(cache_dir, clock=lambda: now) as cache:
        assert cache.age_text(now - ago) == text


# -- size limit -----------------------------------------------------------------------------------------

BIG_ANSWER = "zone;domains_num;backlinks_num\n" + "com;1;2\n" * 12_000  # ~100 kB: kept in a file


def _store(cache: ResponseCache, target: str, text: str = BIG_ANSWER) -> None:
    cache.set("backlinks_tld", target, "root_domain", {"display_limit": "10"}, text)


def _has(cache: ResponseCache, target: str) -> bool:
    found = cache.get("backlinks_tld", target, "root_domain", {"display_limit": "10"})
    return found is not None and found.text == BIG_ANSWER


def test_a_full_cache_evicts_its_oldest_answers_and_keeps_the_newest(tmp_path):
    with ResponseCache(tmp_path / "probe") as probe:
        empty = probe.volume()
        _store(probe, "probe.com")
        entry = probe.volume() - empty
    assert entry > len(BIG_ANSWER)
    # Room for two answers and a half.
    with ResponseCache(tmp_path / "cache", size_limit_bytes=empty + entry * 5 // 2) as cache:
        for n in range(5):
            _store(cache, f"site{n}.com")
        assert [_has(cache, f"site{n}.com") for n in range(5)] == [False, False, False, True, True]
        assert len(cache) == 2 and cache.volume() <= cache.size_limit_bytes
        # A refreshed answer counts as new: the other one goes first.
        _store(cache, "site3.com")
        _store(cache, "site5.com")
        assert [_has(cache, f"site{n}.com") for n in (3, 4, 5)] == [True, False, True]


def test_a_cache_smaller_than_one_answer_still_keeps_the_latest(tmp_path):
    with ResponseCache(tmp_path / "cache", size_limit_bytes=1) as cache:
        for n in range(3):
            _store(cache, f"site{n}.com")
            assert len(cache) == 1 and _has(cache, f"site{n}.com")
        assert not _has(cache, "site0.com") and not _has(cache, "site1.com")


def test_a_client_with_a_tiny_cache_still_answers(make_client, fake, cache_dir, sample):
    client = make_client(cache=ResponseCache(cache_dir, size_limit_bytes=1))
    first = client.fetch("backlinks_refdomains", OWN)
    second = client.fetch("backlinks_anchors", OWN)
    assert fake.request_count == 2 and len(client.cache) == 1
    assert client.fetch("backlinks_anchors", OWN).from_cache and fake.request_count == 2
    again = client.fetch("backlinks_refdomains", OWN)  # evicted: asked again, same data
    assert not again.from_cache and fake.request_count == 3
    assert_frame_equal(again.frame, first.frame)
    assert_frame_equal(first.frame, sample[("backlinks_refdomains", OWN)])
    assert len(second.frame) > 0
