from datetime import date

import pandas as pd
import pytest

from lib import db, readers, snapshots
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


@pytest.mark.parametrize("parts", [False, True])
def test_a_failed_write_leaves_no_row_and_no_file(workspace, data_dir, monkeypatch, parts):
    if parts:
        monkeypatch.setattr(db, "PARALLEL_PARQUET_MIN_ROWS", 1)
    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(db.pq, "write_table", explode)
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


def test_data_date_ignores_a_last_seen_column_kept_as_text():
    # A gap export with a "Last seen" header: not in that kind's schema, so kept as extra text (found by
    # tests/test_hostile_files.py, which once crashed here on the string's missing .year).
    imported = readers.read_export(b"last seen,domain_ascore,matches,domain\n2024-03-01,,,0\n", "gap.csv")
    frame = imported[0].normalized.frame
    assert frame["last_seen"].tolist() == ["2024-03-01"]
    assert snapshots.data_date_of(frame) == date.today()


def backlinks_frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({
        "source_url": pd.array([f"https://s{i % 97}.example/p/{i}" for i in range(rows)], dtype="str"),
        "page_ascore": pd.array([i % 100 if i % 11 else None for i in range(rows)], dtype="Int64"),
        "nofollow": [i % 3 == 0 for i in range(rows)],
        "first_seen": pd.to_datetime(["2024-03-01"] * rows) + pd.to_timedelta(range(rows), unit="min"),
    })


def test_a_long_table_is_kept_as_a_folder_of_parts_that_reads_back_in_order(workspace, data_dir, monkeypatch):
    monkeypatch.setattr(db, "PARALLEL_PARQUET_MIN_ROWS", 1_000)
    frame = backlinks_frame(2_501)
    snap = snapshots.save_snapshot(workspace.id, "backlinks", frame, target_domain="acme.com", source="upload",
                                   source_name="big.csv", data_date=date(2024, 3, 1))
    folder = data_dir / snap.file
    assert folder.is_dir() and len(list(folder.glob("part-*.parquet"))) >= 2
    pd.testing.assert_frame_equal(snapshots.load_frame(snap), frame)
    short = snapshots.save_snapshot(workspace.id, "backlinks", frame.head(999), target_domain="acme.com",
                                    source="upload", source_name="small.csv", data_date=date(2024, 3, 2))
    assert (data_dir / short.file).is_file()
    snapshots.delete_snapshot(snap.id)
    assert not folder.exists() and (data_dir / short.file).exists()


def test_an_orphan_folder_of_parts_is_removed(workspace, data_dir, monkeypatch):
    monkeypatch.setattr(db, "PARALLEL_PARQUET_MIN_ROWS", 1)
    snap = snapshots.save_snapshot(workspace.id, "backlinks", backlinks_frame(10), target_domain="acme.com",
                                   source="upload", source_name="x.csv", data_date=date(2024, 1, 1))
    orphan = data_dir / "workspaces" / workspace.id / "snapshots" / "backlinks-acme.com-crashed.parquet"
    db.atomic_write_parquet(backlinks_frame(10), orphan)
    assert orphan.is_dir()
    assert snapshots.remove_orphans() == [orphan]
    assert not orphan.exists() and (data_dir / snap.file).is_dir()


def test_hash_keys_are_stored_without_a_dictionary_and_text_with_one_but_without_statistics(workspace, data_dir):
    import numpy as np
    import pyarrow.parquet as pq

    frame = refdomains(*[f"site{i % 7}.com" for i in range(500)])
    frame["link_key"] = np.arange(500, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    snap = snapshots.save_snapshot(workspace.id, "referring_domains", frame, target_domain="acme.com",
                                   source="upload", source_name="acme.csv", data_date=date(2024, 3, 1))
    metadata = pq.ParquetFile(data_dir / snap.file).metadata.row_group(0)
    encodings = {metadata.column(i).path_in_schema: metadata.column(i).encodings for i in range(metadata.num_columns)}
    assert not any("DICTIONARY" in e for e in encodings["link_key"])
    assert any("DICTIONARY" in e for e in encodings["domain"])
    statistics = {metadata.column(i).path_in_schema: metadata.column(i).is_stats_set
                  for i in range(metadata.num_columns)}
    assert statistics["backlinks"] and not statistics["domain"]  # nothing filters snapshots by text statistics
    pd.testing.assert_frame_equal(snapshots.load_frame(snap), frame)
