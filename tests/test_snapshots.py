from datetime import date

import pandas as pd
import pytest

from lib import snapshots
from lib.workspaces import create_workspace


@pytest.fixture
def workspace(data_dir):
    return create_workspace("Acme", "acme.com", ["rival.com"])


def refdomains(*names: str) -> pd.DataFrame:
    return pd.DataFrame({
        "domain": pd.array(list(names), dtype="str"),
        "backlinks": pd.array(range(1, len(names) + 1), dtype="Int64"),
        "last_seen": pd.to_datetime(["2024-03-01"] * len(names)),
    })


def test_round_trip_keeps_dtypes(workspace, data_dir):
    frame = refdomains("a.com", "b.com")
    snap = snapshots.save_snapshot(workspace.id, "referring_domains", frame, target_domain="acme.com",
                                   source="upload", source_name="acme.csv", data_date=date(2024, 3, 1))
    loaded = snapshots.load_frame(snap)
    pd.testing.assert_frame_equal(loaded, frame)
    assert (data_dir / snap.file).exists()
    assert snap.rows == 2 and snap.label == "2024-03-01 · acme.csv (2 rows)"


def test_timeline_is_ordered_by_data_date_not_import_order(workspace):
    for day in (date(2024, 5, 1), date(2024, 1, 1), date(2024, 3, 1)):
        snapshots.save_snapshot(workspace.id, "referring_domains", refdomains("a.com"), target_domain="acme.com",
                                source="upload", source_name=f"{day}.csv", data_date=day)
    dates = [s.data_date for s in snapshots.list_snapshots(workspace.id, "referring_domains", "acme.com")]
    assert dates == [date(2024, 1, 1), date(2024, 3, 1), date(2024, 5, 1)]
    assert snapshots.latest_snapshot(workspace.id, "referring_domains").data_date == date(2024, 5, 1)
    assert snapshots.latest_snapshot(workspace.id, "referring_domains", "rival.com") is None


def test_delete_removes_file_and_row(workspace, data_dir):
    snap = snapshots.save_snapshot(workspace.id, "anchors", refdomains("a.com"), target_domain="acme.com",
                                   source="upload", source_name="x.csv", data_date=date(2024, 1, 1))
    snapshots.delete_snapshot(snap.id)
    assert snapshots.get_snapshot(snap.id) is None
    assert not (data_dir / snap.file).exists()


def test_orphan_files_from_a_crashed_import_are_removed(workspace, data_dir):
    kept = snapshots.save_snapshot(workspace.id, "anchors", refdomains("a.com"), target_domain="acme.com",
                                   source="upload", source_name="x.csv", data_date=date(2024, 1, 1))
    orphan = data_dir / "workspaces" / workspace.id / "snapshots" / "anchors-acme.com-crashed.parquet"
    orphan.write_bytes(b"partial")
    assert snapshots.remove_orphans() == [orphan]
    assert (data_dir / kept.file).exists()


def test_a_failed_write_leaves_no_row_and_no_file(workspace, data_dir, monkeypatch):
    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", explode)
    with pytest.raises(OSError):
        snapshots.save_snapshot(workspace.id, "anchors", refdomains("a.com"), target_domain="acme.com",
                                source="upload", source_name="x.csv", data_date=date(2024, 1, 1))
    assert snapshots.list_snapshots(workspace.id) == []
    assert list((data_dir / "workspaces").rglob("*")) == [] or not any(
        p.is_file() for p in (data_dir / "workspaces").rglob("*"))


def test_data_date_prefers_the_file_name_then_last_seen():
    frame = refdomains("a.com")
    assert snapshots.data_date_of(frame, date(2023, 7, 1)) == date(2023, 7, 1)
    assert snapshots.data_date_of(frame) == date(2024, 3, 1)
    assert snapshots.data_date_of(pd.DataFrame({"x": [1]})) == date.today()
