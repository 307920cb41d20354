"""Trend points are stored per snapshot and basis, scored once, and dropped with their snapshot."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from lib import snapshots, trend_store
from lib.analysis import trend
from lib.analysis.trend import TrendPoint
from lib.workspaces import create_workspace, get_workspace
from tests import page_helpers

BASIS_INPUTS = dict(refdomains_id=7, own_domain="acme.com", brand_terms=("acme",), target_keywords=("grinder",),
                    home_countries=("US",))


def a_snapshot(root: Path) -> snapshots.Snapshot:
    create_workspace("Acme", "acme.com", workspace_id="acme", root=root)
    frame = pd.DataFrame({"source_url": ["https://a.com/"], "target_url": ["https://acme.com/"]})
    return snapshots.save_snapshot("acme", "backlinks", frame, target_domain="acme.com", source="upload",
                                   source_name="acme.csv", data_date=date(2026, 11, 1), root=root)


def a_point(snapshot_id: int, risky: int | None = 3) -> TrendPoint:
    return TrendPoint(snapshot_id=snapshot_id, data_date=date(2026, 11, 1), backlinks=12, referring_domains=5,
                      risky_backlinks=risky, risky_share=None if risky is None else risky / 12)


def counted(point: TrendPoint) -> tuple[list[int], object]:
    calls: list[int] = []

    def score(snapshot_id: int, risky: int | None) -> TrendPoint:
        calls.append(1)
        assert (snapshot_id, risky) == (point.snapshot_id, point.risky_backlinks)
        return point

    return calls, score


def test_a_point_is_scored_once_then_read_back_as_it_was(data_dir):
    snapshot = a_snapshot(data_dir)
    basis = trend_store.point_basis(**BASIS_INPUTS)
    for risky in (3, None):  # a point without a risk score keeps its missing values
        calls, score = counted(a_point(snapshot.id, risky))
        job = trend_store.PointJob(snapshot.id, basis, lambda: (snapshot.id, risky))
        trend_store.save_point(a_point(snapshot.id, 99), "an older basis", data_dir)
        first = trend_store.stored_or_scored([job], score, data_dir)
        again = trend_store.stored_or_scored([job], score, data_dir)
        assert first == again == [a_point(snapshot.id, risky)]
        assert calls == [1]
        assert trend_store.load_point(snapshot.id, "an older basis", data_dir) is None  # replaced, not kept


def test_only_the_points_not_stored_are_scored_together_and_answered_in_order(data_dir):
    create_workspace("Acme", "acme.com", workspace_id="acme", root=data_dir)
    frame = pd.DataFrame({"source_url": ["https://a.com/"], "target_url": ["https://acme.com/"]})
    ids = [snapshots.save_snapshot("acme", "backlinks", frame, target_domain="acme.com", source="upload",
                                   source_name=f"{month}.csv", data_date=date(2026, month, 1), root=data_dir).id
           for month in (8, 9, 10, 11)]
    basis = trend_store.point_basis(**BASIS_INPUTS)
    trend_store.save_point(a_point(ids[1], 42), basis, data_dir)
    asked: list[int] = []
    events: list[str] = []

    def arguments(snapshot_id: int) -> tuple:
        asked.append(snapshot_id)  # only for points to score: it reads the snapshot's frame
        events.append(f"read {snapshot_id}")
        return (snapshot_id,)

    def score(snapshot_id: int) -> TrendPoint:
        events.append(f"scored {snapshot_id}")
        return a_point(snapshot_id, snapshot_id)

    jobs = [trend_store.PointJob(i, basis, lambda i=i: arguments(i)) for i in ids]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trend_store, "workers", lambda: 2)  # two at a time
        points = trend_store.stored_or_scored(jobs, score, data_dir)
    assert [p.snapshot_id for p in points] == ids
    assert [p.risky_backlinks for p in points] == [ids[0], 42, ids[2], ids[3]]
    assert asked == [ids[0], ids[2], ids[3]]
    # the third snapshot to score is read only once the first two are scored
    assert events.index(f"read {ids[3]}") > max(events.index(f"scored {ids[0]}"), events.index(f"scored {ids[2]}"))
    assert [trend_store.load_point(i, basis, data_dir) for i in ids] == points


def test_every_input_of_the_score_is_in_the_basis():
    basis = trend_store.point_basis(**BASIS_INPUTS)
    assert trend_store.point_basis(**BASIS_INPUTS) == basis
    for name, other in [("refdomains_id", None), ("own_domain", "acme.co.uk"), ("brand_terms", ("acme", "ac")),
                        ("target_keywords", ()), ("home_countries", ("US", "GB"))]:
        assert trend_store.point_basis(**{**BASIS_INPUTS, name: other}) != basis, name


def test_a_change_to_the_scoring_code_changes_its_version(tmp_path, monkeypatch):
    for entry in trend_store._SCORING_CODE:
        source = trend_store._REPO / entry
        if source.is_dir():
            shutil.copytree(source, tmp_path / entry)
        else:
            shutil.copy(source, tmp_path / entry)
    monkeypatch.setattr(trend_store, "_REPO", tmp_path)
    version = trend_store.scoring_code_version.__wrapped__()
    assert version == trend_store.scoring_code_version()  # the copy is the code in use
    with open(tmp_path / "lib/analysis/risk.py", "a") as handle:
        handle.write("\n# a new weight\n")
    assert trend_store.scoring_code_version.__wrapped__() != version


def test_deleting_a_snapshot_deletes_its_points_and_a_late_save_is_dropped(data_dir):
    snapshot = a_snapshot(data_dir)
    basis = trend_store.point_basis(**BASIS_INPUTS)
    trend_store.save_point(a_point(snapshot.id), basis, data_dir)
    snapshots.delete_snapshot(snapshot.id, data_dir)
    assert trend_store.load_point(snapshot.id, basis, data_dir) is None
    trend_store.save_point(a_point(snapshot.id), basis, data_dir)  # scored while it was being deleted
    assert trend_store.load_point(snapshot.id, basis, data_dir) is None


def test_the_history_page_scores_each_snapshot_once_across_restarts(demo_data_dir, app_test, monkeypatch):
    scored: list[int] = []
    original = trend.snapshot_point

    def counting(frame, snapshot_id, *args, **kwargs):
        scored.append(snapshot_id)
        return original(frame, snapshot_id, *args, **kwargs)

    monkeypatch.setattr(trend, "snapshot_point", counting)
    first = page_helpers.open_page(app_test, "pages/history.py")
    history = snapshots.list_snapshots("demo", "backlinks", get_workspace("demo").own_domain, demo_data_dir)
    assert sorted(scored) == sorted(s.id for s in history) and len(history) >= 2

    st.cache_data.clear()  # a restart: nothing in memory, the points on disk
    st.cache_resource.clear()
    again = page_helpers.open_page(app_test, "pages/history.py")
    assert len(scored) == len(history)
    table = lambda at: at.dataframe[0].value.reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(table(again), table(first))
