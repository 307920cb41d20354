"""History trend points kept per Backlinks snapshot, so each snapshot's links are risk-scored once.

Scoring a snapshot of a million links takes ~0.8 s; without a store the History page would score the whole
history again after every restart and every import (a year of monthly snapshots: ~10 s). A point is stored
under its snapshot and a `basis`: everything else the score depends on (the Referring Domains snapshot, the
workspace's domain, brand terms, keywords and home countries, and the analysis code itself), so a change to
any of them scores again instead of showing a stale point. Deleting a snapshot deletes its points.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from lib import db
from lib.analysis.trend import TrendPoint
from lib.parallel import each, workers
from lib.snapshots import DDL as SNAPSHOTS_DDL

DDL = SNAPSHOTS_DDL + """
CREATE TABLE IF NOT EXISTS trend_points (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    basis TEXT NOT NULL,
    data_date TEXT NOT NULL,
    backlinks INTEGER NOT NULL,
    referring_domains INTEGER NOT NULL,
    risky_backlinks INTEGER,
    risky_share REAL,
    PRIMARY KEY (snapshot_id, basis)
);
"""

# The code a point's numbers come from: any change to it (a new marker, a weight) makes stored points stale.
_SCORING_CODE = ("lib/analysis", "lib/arrow_strings.py", "lib/domains.py", "lib/parallel.py")
_REPO = Path(__file__).resolve().parent.parent


@cache
def scoring_code_version() -> str:
    """A hash of the source of everything that computes a trend point."""
    digest = hashlib.sha256()
    for entry in _SCORING_CODE:
        path = _REPO / entry
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.relative_to(_REPO).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def point_basis(refdomains_id: int | None, own_domain: str, brand_terms: Sequence[str],
                target_keywords: Sequence[str], home_countries: Sequence[str] = ()) -> str:
    """What a trend point depends on besides its snapshot, as one string to key it by."""
    inputs = {"refdomains_id": refdomains_id, "own_domain": own_domain, "brand_terms": list(brand_terms),
              "target_keywords": list(target_keywords), "home_countries": list(home_countries),
              "code": scoring_code_version()}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def load_point(snapshot_id: int, basis: str, root: Path | None = None) -> TrendPoint | None:
    with db.session(DDL, root) as conn:
        row = conn.execute("SELECT * FROM trend_points WHERE snapshot_id = ? AND basis = ?",
                           (snapshot_id, basis)).fetchone()
    if row is None:
        return None
    return TrendPoint(snapshot_id=row["snapshot_id"], data_date=date.fromisoformat(row["data_date"]),
                      backlinks=row["backlinks"], referring_domains=row["referring_domains"],
                      risky_backlinks=row["risky_backlinks"], risky_share=row["risky_share"])


def save_point(point: TrendPoint, basis: str, root: Path | None = None) -> None:
    """Store a point; points of the same snapshot on other bases are dropped (they can no longer be asked for
    unless a setting is switched back, and then scoring again is correct)."""
    try:
        with db.session(DDL, root) as conn, db.transaction(conn):
            conn.execute("DELETE FROM trend_points WHERE snapshot_id = ?", (point.snapshot_id,))
            conn.execute("INSERT INTO trend_points (snapshot_id, basis, data_date, backlinks, referring_domains, "
                         "risky_backlinks, risky_share) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (point.snapshot_id, basis, point.data_date.isoformat(), point.backlinks,
                          point.referring_domains, point.risky_backlinks, point.risky_share))
    except sqlite3.IntegrityError:
        pass  # the snapshot was deleted while it was being scored: there is nothing to keep the point for


@dataclass(frozen=True)
class PointJob:
    """One trend point wanted: its snapshot, its basis, and how to get the scoring's arguments if it is not
    stored (`arguments()` runs on the calling thread, so it may read a UI's caches and session)."""

    snapshot_id: int
    basis: str
    arguments: Callable[[], tuple]


def stored_or_scored(jobs: Sequence[PointJob], score: Callable[..., TrendPoint],
                     root: Path | None = None) -> list[TrendPoint]:
    """Each job's stored point, else `score(*job.arguments())`'s, stored for next time; answers in order.

    The points not stored are scored one per core at a time (lib.parallel.each): a score is mostly Arrow and
    numpy work that releases the GIL, so two snapshots of a million links take ~0.65 of the time of one after
    the other. A batch's arguments are read just before it, so a year of history is not all in memory at once.
    """
    points = [load_point(job.snapshot_id, job.basis, root) for job in jobs]
    missing = [i for i, point in enumerate(points) if point is None]
    size = workers()
    for batch in (missing[start:start + size] for start in range(0, len(missing), size)):
        arguments = [jobs[i].arguments() for i in batch]
        for i, point in zip(batch, each(lambda args: score(*args), arguments)):
            save_point(point, jobs[i].basis, root)
            points[i] = point
    return points
