"""The site's own Authority Score and backlink counts from API answers, as workspace settings.

Exports never carry the site's own Authority Score, so the Overview and History pages read it from
the workspace setting `site_ascore` ({ISO date: score}). The backlinks overview gives today's
score, the backlinks history one score per month; both are merged into that setting here. The
history's monthly counts are kept in the setting `backlinks_history` ({ISO date: counts}).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

SITE_ASCORE = "site_ascore"
BACKLINKS_HISTORY = "backlinks_history"
_COUNTS = ("backlinks", "domains", "authority_score", "new_backlinks", "lost_backlinks", "new_domains",
           "lost_domains")


def overview_score(frame: pd.DataFrame | None) -> int | None:
    """The Authority Score of a backlinks_overview answer, None when it has none."""
    if frame is None or "authority_score" not in frame or not frame["authority_score"].notna().any():
        return None
    return int(frame["authority_score"].dropna().iloc[0])


def history_scores(frame: pd.DataFrame | None) -> dict[str, int]:
    """{ISO date: score} of a backlinks_historical answer (one row per month)."""
    if frame is None or not len(frame) or "authority_score" not in frame:
        return {}
    rows = frame.dropna(subset=["date", "authority_score"])
    return {pd.Timestamp(day).date().isoformat(): int(score)
            for day, score in zip(rows["date"], rows["authority_score"])}


def history_counts(frame: pd.DataFrame | None) -> dict[str, dict[str, int]]:
    """{ISO date: {backlinks, domains, ...}} of a backlinks_historical answer; missing counts are left out."""
    if frame is None or not len(frame):
        return {}
    out: dict[str, dict[str, int]] = {}
    for _, row in frame.dropna(subset=["date"]).iterrows():
        counts = {name: int(row[name]) for name in _COUNTS if name in frame and pd.notna(row[name])}
        out[pd.Timestamp(row["date"]).date().isoformat()] = counts
    return out


def merge_scores(existing: Mapping[str, int] | None, *, today: tuple[date, int] | None = None,
                 monthly: Mapping[str, int] | None = None) -> dict[str, int]:
    """The `site_ascore` setting with API scores added.

    The overview's score is the score of its day and replaces one saved for that day. Monthly
    history scores only fill dates that have none: a score typed by the user for a date stays.
    """
    merged = {str(k): int(v) for k, v in (existing or {}).items()}
    for day, score in (monthly or {}).items():
        merged.setdefault(day, int(score))
    if today is not None:
        merged[today[0].isoformat()] = int(today[1])
    return dict(sorted(merged.items()))
