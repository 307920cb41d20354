"""The analyses behind each page, called as the pages call them (see pages/*.py), on loaded frames.

Each entry is one page's uncached work for its default view: what a user waits for the first time
a page opens on a workspace (afterwards st.cache_data answers). Frames come loaded, as
ui.state's shared cache_resource hands them to the pages; loading is measured separately.
"""

from __future__ import annotations

import importlib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from bench.generate import BRAND_TERMS, KEYWORDS
from bench.workspace import BenchWorkspace
from lib import db, decisions, marks, snapshots, trend_store
from lib.analysis import anchor_profile as ap
from lib.analysis import new_lost, risk, snapshot_diff, trend
from lib.analysis import overview as ov
from lib.analysis import referring_domains as rd
from lib.analysis.anchors import AnchorContext

REPO = Path(__file__).resolve().parent.parent


class Frames:
    """The workspace's snapshots, loaded once."""

    def __init__(self, bench: BenchWorkspace):
        self.bench = bench
        self.history = bench.history("backlinks")
        self.backlinks_snapshot = self.history[-1]
        self.refdomains_snapshot = bench.snapshot("referring_domains")
        self.anchors_snapshot = bench.snapshot("anchors")
        self.frames = {s.id: snapshots.load_frame(s, bench.root)
                       for s in (*self.history, self.refdomains_snapshot, self.anchors_snapshot)}
        self.backlinks = self.frames[self.backlinks_snapshot.id]
        self.previous = self.frames[self.history[-2].id]
        self.refdomains = self.frames[self.refdomains_snapshot.id]
        self.anchors = self.frames[self.anchors_snapshot.id]
        self.data_date = self.backlinks_snapshot.data_date
        self.workspace = bench.workspace


def overview(f: Frames) -> object:
    """pages/overview.py: summary_of + analyses."""
    dated = [(s.data_date, f.frames[s.id]) for s in f.history]
    return ov.summarize(f.backlinks, f.data_date), ov.chart_data(f.backlinks, f.refdomains, f.data_date,
                                                                 lambda: new_lost.vanished_backlinks(dated))


def referring_domains(f: Frames) -> pd.DataFrame:
    """pages/referring_domains.py: categories + domain table (cached), then marks, default filter, chart counts."""
    root, ws = f.bench.root, f.workspace
    table = rd.categorized_table(f.backlinks, f.refdomains, f.data_date, ws.target_keywords,
                                 marks.category_overrides(ws.id, root))
    table = rd.with_marks(table, marks.marks_for(ws.id, root))
    shown = rd.filter_domains(table, rd.DomainFilter(include_lost=False))
    rd.category_counts(shown)
    return shown


def anchors(f: Frames) -> object:
    """pages/anchors.py: every distinct anchor classified, the profile and the over-optimisation check."""
    profile = ap.profile_from_backlinks(f.backlinks, _anchor_context(f), f.data_date)
    return ap.over_optimisation(profile)


def anchors_export(f: Frames) -> object:
    """pages/anchors.py on a workspace with only an Anchors export."""
    return ap.over_optimisation(ap.profile_from_export(f.anchors, _anchor_context(f)))


def _anchor_context(f: Frames) -> AnchorContext:
    return AnchorContext(f.workspace.own_domain, f.workspace.brand_terms, f.workspace.target_keywords)


def _risk_context(f: Frames) -> risk.RiskContext:
    return risk.RiskContext(f.workspace.own_domain, BRAND_TERMS, KEYWORDS)


def risk_domains(f: Frames) -> pd.DataFrame:
    """lib/analysis/risk.py: one score per referring domain (audit queue, history trend)."""
    return risk.domain_risk(f.backlinks, f.refdomains, _risk_context(f))


def risk_backlinks(f: Frames) -> pd.DataFrame:
    """lib/analysis/risk.py: one score per backlink."""
    return risk.backlink_risk(f.backlinks, _risk_context(f), f.refdomains)


def audit_queue(f: Frames) -> pd.DataFrame:
    """pages/audit.py's review queue before any decision: the domain risk scores and each domain's most used
    anchors (lib.decisions.undecided_queue)."""
    return decisions.undecided_queue(lambda: risk_domains(f), f.backlinks)


def new_and_lost(f: Frames) -> object:
    """pages/new_lost.py: vanished links, link events, and the report for the default range (6 months)."""
    dated = [(s.data_date, f.frames[s.id]) for s in f.history]
    links = new_lost.link_events(f.backlinks, new_lost.vanished_backlinks(dated), f.refdomains, f.data_date)
    start, end = new_lost.range_ending(f.data_date, 182, "month")
    report = new_lost.new_lost_report(links, start, end, "month", 40)
    links["target_url"].value_counts()  # the page's options of important pages
    return report


def history_trend(f: Frames) -> pd.DataFrame:
    """pages/history.py with nothing stored yet: one risk-scored trend point per Backlinks snapshot, scored at
    the same time (lib.trend_store.stored_or_scored). Stored points are deleted first (inside the time)."""
    with db.session(trend_store.DDL, f.bench.root) as conn:
        conn.execute("DELETE FROM trend_points")
    return _trend(f, f.history)


def history_trend_after_import(f: Frames) -> pd.DataFrame:
    """pages/history.py on its first open after a new import: the earlier snapshots' points read from
    lib.trend_store (stored when History was last opened, see store_earlier_trend_points), the new one
    scored. Its stored point is deleted first (an SQLite delete, inside the time) so every repetition scores it."""
    with db.session(trend_store.DDL, f.bench.root) as conn:
        conn.execute("DELETE FROM trend_points WHERE snapshot_id = ?", (f.backlinks_snapshot.id,))
    return _trend(f, f.history)


def store_earlier_trend_points(f: Frames) -> None:
    """What History stored last month: the points of every Backlinks snapshot but the latest."""
    _trend(f, f.history[:-1])


def _trend(f: Frames, history: list[snapshots.Snapshot]) -> pd.DataFrame:
    ws = f.workspace
    jobs = [trend_store.PointJob(s.id, _trend_basis(f), lambda s=s: (
        f.frames[s.id], s.id, s.data_date, ws.own_domain, ws.brand_terms, ws.target_keywords, f.refdomains))
        for s in history]
    return trend.trend_frame(trend_store.stored_or_scored(jobs, trend.snapshot_point, f.bench.root))


def _trend_basis(f: Frames) -> str:
    ws = f.workspace
    return trend_store.point_basis(f.refdomains_snapshot.id, ws.own_domain, ws.brand_terms, ws.target_keywords)


def history_diff(f: Frames) -> object:
    """pages/history.py: the latest two Backlinks snapshots compared."""
    return snapshot_diff.diff_snapshots("backlinks", f.previous, f.backlinks)


PAGE_ANALYSES: dict[str, Callable[[Frames], object]] = {
    "overview": overview,
    "referring domains (categories + table)": referring_domains,
    "anchors (classification + profile)": anchors,
    "anchors from an Anchors export": anchors_export,
    "risk scores per domain": risk_domains,
    "risk scores per backlink": risk_backlinks,
    "audit: review queue (risk per domain + each domain's top anchors)": audit_queue,
    "new & lost": new_and_lost,
    "history: trend, every snapshot scored (nothing stored yet)": history_trend,
    "history: trend after a new import (earlier points stored)": history_trend_after_import,
    "history: snapshot diff": history_diff,
}


def gap_available() -> str:
    """'' when lib/analysis/gap.py is committed, else why the gap row is empty."""
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", "lib/analysis/gap.py"], cwd=REPO,
                             capture_output=True).returncode == 0
    return "" if tracked else "not available: lib/analysis/gap.py is not in git yet"


def gap_runner(frames: dict[str, pd.DataFrame], own: str) -> Callable[[], object] | str:
    """The gap page's analyses on five referring-domain lists, or why there are none."""
    missing = gap_available()
    if missing:
        return missing
    gap = importlib.import_module("lib.analysis.gap")
    competitors = tuple(site for site in frames if site != own)

    def run() -> object:
        found = gap.gap_from_referring_domains(frames, own, competitors)
        prospects = gap.filter_gap(found.frame, gap.GapFilter(categories=("opportunity",)))
        return gap.category_counts(found.frame), prospects, gap.pairwise_overlap(found), gap.combinations(found)

    return run


def gap_scoring_runner(frames: dict[str, pd.DataFrame], own: str, backlinks: pd.DataFrame
                       ) -> Callable[[], object] | str:
    """pages/gap.py's scoring of the opportunities (score_parts, ranked_view's default view):
    every gap domain's risk score from the five lists and the site's backlinks, the priority parts, and
    the opportunities ranked. The comparison itself is the row above."""
    missing = gap_available()
    if missing:
        return missing
    gap = importlib.import_module("lib.analysis.gap")
    from lib.analysis import priority as pr

    competitors = tuple(site for site in frames if site != own)
    found = gap.gap_from_referring_domains(frames, own, competitors)

    def run() -> object:
        scored = pr.score_gap(found.frame, len(competitors), risk.RiskContext(own, BRAND_TERMS, KEYWORDS),
                              list(frames.values()), backlinks, keywords=KEYWORDS, brand_terms=BRAND_TERMS,
                              list_facts=found.list_facts)
        shown = gap.filter_gap(scored.frame, gap.GapFilter(categories=("opportunity",)))
        return pr.prioritise(shown, scored.parts)

    return run
