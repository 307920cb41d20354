"""A disk cache of successful Semrush answers, so the same question never costs units twice in a week.

Keys are built from the report, its target(s) and the request parameters, never from the API
key: the cache can be shared between keys and never holds a secret. Values are the raw answer
text plus when it was fetched, with a checksum, stored as JSON. Anything unreadable (a damaged
file, a half-written row, a database that is not one) is dropped and counts as a miss: the cache
only saves money, it must never stop a fetch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import diskcache

log = logging.getLogger(__name__)

FORMAT = 1
_NOT_PART_OF_KEY = {"key", "type", "target", "target_type", "targets[]", "target_types[]"}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class CachedResponse:
    text: str
    fetched_at: datetime  # timezone-aware, UTC


def age_text(fetched_at: datetime, now: datetime | None = None) -> str:
    """'fetched just now', 'fetched 5 minutes ago', 'fetched yesterday', 'fetched 3 days ago'."""
    now = now or utcnow()
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    seconds = max((now - fetched_at).total_seconds(), 0)
    if seconds < 60:
        return "fetched just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            if unit == "day" and count == 1:
                return "fetched yesterday"
            return f"fetched {count} {unit}{'s' if count != 1 else ''} ago"
    return "fetched just now"  # unreachable, keeps type checkers calm


def _as_tuple(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


class ResponseCache:
    def __init__(self, directory: Path | None = None, max_age: timedelta = timedelta(days=7),
                 size_limit_bytes: int = 512 * 2**20, clock: Callable[[], datetime] = utcnow) -> None:
        if directory is None:
            from lib.db import data_dir

            directory = data_dir() / "cache" / "semrush"
        self.directory = Path(directory)
        self.max_age = max_age
        self.size_limit_bytes = size_limit_bytes
        self.clock = clock
        self._cache: diskcache.Cache | None = self._open()

    def _open(self) -> diskcache.Cache | None:
        for attempt in range(2):
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                # cull_limit=0: diskcache's own culling drops up to ten of the oldest entries at once,
                # the answer just stored among them when the cache holds few; set() evicts instead.
                return diskcache.Cache(str(self.directory), size_limit=self.size_limit_bytes,
                                       eviction_policy="least-recently-stored", cull_limit=0)
            except Exception as error:  # noqa: BLE001 - a broken cache must not break fetching
                log.warning("Semrush cache at %s unreadable (%s); starting a fresh one", self.directory,
                            type(error).__name__)
                if attempt == 0:
                    self._move_aside()
        log.warning("Semrush cache disabled: answers will not be kept")
        return None

    def _move_aside(self) -> None:
        if self.directory.exists():
            aside = self.directory.with_name(f"{self.directory.name}.broken-{int(time.time())}")
            try:
                self.directory.rename(aside)
            except OSError:
                shutil.rmtree(self.directory, ignore_errors=True)

    @staticmethod
    def key(report: str, target: str | Sequence[str], target_type: str | Sequence[str],
            params: Mapping[str, object]) -> str:
        """Stable cache key; the API key and other secrets are never part of it."""
        kept = sorted((str(k), str(v)) for k, v in params.items() if k.lower() not in _NOT_PART_OF_KEY)
        return "semrush/v1|" + json.dumps([report, _as_tuple(target), _as_tuple(target_type), kept],
                                          separators=(",", ":"))

    def get(self, report: str, target: str | Sequence[str], target_type: str | Sequence[str],
            params: Mapping[str, object]) -> CachedResponse | None:
        if self._cache is None:
            return None
        key = self.key(report, target, target_type, params)
        try:
            stored = self._cache.get(key, default=None, retry=True)
            if stored is None:
                return None
            entry = self._decode(stored)
        except Exception as error:  # noqa: BLE001 - damaged entry: drop it, count a miss
            log.warning("Dropped an unreadable Semrush cache entry (%s)", type(error).__name__)
            self._discard(key)
            return None
        if self.clock() - entry.fetched_at > self.max_age:
            self._discard(key)
            return None
        return entry

    def set(self, report: str, target: str | Sequence[str], target_type: str | Sequence[str],
            params: Mapping[str, object], text: str, fetched_at: datetime | None = None) -> None:
        if self._cache is None:
            return
        fetched_at = fetched_at or self.clock()
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=timezone.utc)
        value = json.dumps({"format": FORMAT, "fetched_at": fetched_at.isoformat(),
                            "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text})
        key = self.key(report, target, target_type, params)
        try:
            # Deleted first so a refreshed answer moves to the end of the storage order (rowid).
            self._cache.delete(key, retry=True)
            self._cache.set(key, value, retry=True)
            self._evict_beyond_limit(keep=key)
        except Exception as error:  # noqa: BLE001 - not caching only costs a later request
            log.warning("Could not store a Semrush answer in the cache (%s)", type(error).__name__)

    def _evict_beyond_limit(self, keep: str) -> None:
        """Drop the oldest stored answers until the cache fits its size limit; never the one just stored."""
        assert self._cache is not None
        for _ in range(len(self._cache)):
            if self._cache.volume() <= self.size_limit_bytes:
                return
            oldest = next(iter(self._cache), None)  # keys iterate in rowid order: oldest stored first
            if oldest is None or oldest == keep:
                return
            self._cache.delete(oldest, retry=True)

    @staticmethod
    def _decode(stored: object) -> CachedResponse:
        if isinstance(stored, bytes):
            stored = stored.decode()
        if not isinstance(stored, str):
            raise ValueError("not a cache entry")
        data = json.loads(stored)
        if data.get("format") != FORMAT:
            raise ValueError("unknown cache entry format")
        text = data["text"]
        if not isinstance(text, str) or hashlib.sha256(text.encode()).hexdigest() != data["sha256"]:
            raise ValueError("checksum mismatch")
        fetched_at = datetime.fromisoformat(data["fetched_at"])
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at without timezone")
        return CachedResponse(text=text, fetched_at=fetched_at)

    def _discard(self, key: str) -> None:
        try:
            if self._cache is not None:
                self._cache.delete(key, retry=True)
        except Exception:  # noqa: BLE001
            pass

    def age_text(self, fetched_at: datetime) -> str:
        return age_text(fetched_at, self.clock())

    def clear(self) -> None:
        if self._cache is not None:
            self._cache.clear(retry=True)

    def volume(self) -> int:
        """Bytes on disk."""
        return self._cache.volume() if self._cache is not None else 0

    def __len__(self) -> int:
        return len(self._cache) if self._cache is not None else 0

    def __bool__(self) -> bool:  # an empty cache is still a cache (`if client.cache:` must not be False)
        return True

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()

    def __enter__(self) -> "ResponseCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResponseCache(directory={str(self.directory)!r}, max_age={self.max_age!r})"
