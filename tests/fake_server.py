"""Fixtures for the Semrush tests: the real fake server on loopback and fast, private clients.

Import the fixtures a test module needs: `from tests.fake_server import fake, make_client, sample`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from lib.semrush import ResponseCache, SemrushClient
from tools.fake_semrush import DEFAULT_KEY, FakeSemrush, sample_frames

OWN = "example.com"
RIVALS = ("rival.com", "other.org")
LEAK_KEY = "sk-TEST-LEAK-1234567890"


@pytest.fixture(scope="session")
def sample() -> dict[tuple[str, str], pd.DataFrame]:
    """2,500 backlinks for the own site (paging), 300 for each rival; canonical frames."""
    frames = sample_frames((OWN,), backlinks=2500)
    frames.update(sample_frames(RIVALS, backlinks=300))
    return frames


@pytest.fixture
def fake(sample: dict[tuple[str, str], pd.DataFrame]) -> Iterator[FakeSemrush]:
    with FakeSemrush.from_frames(sample, keys=(DEFAULT_KEY, LEAK_KEY)) as server:
        yield server


@pytest.fixture
def make_client(fake: FakeSemrush, tmp_path: Path) -> Iterator[Callable[..., SemrushClient]]:
    """Clients with test-speed defaults: tiny backoff, fast pacing, short timeout; cache opt-in."""
    made: list[SemrushClient] = []

    def make(key: str = DEFAULT_KEY, *, cache: ResponseCache | bool | None = None, **options: object) -> SemrushClient:
        if cache is True:
            cache = ResponseCache(tmp_path / "semrush-cache")
        settings: dict[str, object] = {"base_url": fake.url, "rate_per_second": 1000, "timeout": 5,
                                       "max_retries": 4, "backoff_base": 0.01, "backoff_max": 0.05}
        settings.update(options)
        client = SemrushClient(key, cache=cache if isinstance(cache, ResponseCache) else None, **settings)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
