"""Hostile and broken files, end to end: lib.importer.import_bytes and the Data page's uploader.

Every file that cannot be used gets one clear message naming it (and the line and column where
that helps) and leaves the workspace exactly as it was: the same snapshot rows, the same files
byte for byte. Files that are only partly broken keep their good rows and list the bad ones.
"""

from __future__ import annotations

import hashlib
import random
import tomllib
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import db, importer, readers, snapshots
from lib.workspaces import Workspace, create_workspace
from tests.export_fixtures import xlsx_bytes, zip_bytes
from tests.test_importer import BACKLINKS_HEADER, ROW_A, ROW_B, backlinks_csv
from tests.test_readers import csv_documents

REPO = Path(__file__).resolve().parent.parent
HEADER_FIELDS = BACKLINKS_HEADER.strip().split(",")


def workspace_state(workspace_id: str, root: Path | None = None) -> tuple[list, dict[str, str]]:
    """The snapshot rows and every file under the workspace's directory, by content hash."""
    base = root or db.data_dir()
    files = {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in (base / "workspaces" / workspace_id).rglob("*") if p.is_file()}
    return snapshots.list_snapshots(workspace_id, root=root), files


def rows_with(**changes: str) -> str:
    """ROW_A with some of its cells replaced, by header name (e.g. First_seen="yesterday")."""
    cells = dict(zip(HEADER_FIELDS, ROW_A.split(",")))
    for key, value in changes.items():
        cells[key.replace("_", " ")] = value
    return ",".join(cells[h] for h in HEADER_FIELDS)


def noise(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def zip_bomb(expanded: int) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("acme.com-backlinks.csv", BACKLINKS_HEADER.encode() + b" " * expanded)
    return out.getvalue()


# (file name, bytes, what the message must say besides the file name)
UNUSABLE: list[tuple[str, bytes, str]] = [
    ("empty.csv", b"", "is empty"),
    ("blank-lines.csv", b" \r\n\n\t\n\n", "is empty"),
    ("header-only.csv", BACKLINKS_HEADER.encode(), "column headers but no rows"),
    ("header-only.xlsx", xlsx_bytes([HEADER_FIELDS]), "column headers but no rows"),
    ("keywords.csv", b"Keyword,Position,Search Volume,CPC\ncoffee,3,1000,0.5\n", "none of its columns is a known"),
    ("refdomains-no-domain.csv", b"Domain ascore,Backlinks,IP,Country\n40,3,1.2.3.4,US\n",
     "lacks the column Domain"),
    ("random-bytes.csv", noise(20_000, 1), "is not a text or Excel file"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise(4_000, 2), "is not a text or Excel file"),
    ("program.csv", b"\x7fELF\x02\x01\x01\x00" + bytes(64) + noise(2_000, 3), "is not a text or Excel file"),
    ("gzipped.csv", b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + noise(3_000, 4), "is not a text or Excel file"),
    ("old-excel.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise(3_000, 5), "old .xls workbook"),
    ("cut-off.xlsx", xlsx_bytes([HEADER_FIELDS, ROW_A.split(",")])[:1500], "damaged"),
    ("bad-rows-only.csv", backlinks_csv(ROW_A + ",extra,fields", ",".join(ROW_A.split(",")[:4])),
     "none of its 2 rows could be used (line 2: expected 19 fields, saw 21; line 3: expected 19 fields, saw 4)"),
    ("no-source-url.csv", backlinks_csv(rows_with(Source_url="")), "its only row could not be used (line 2: empty"),
    # One good member does not carry a broken one: the archive is read whole before anything is kept.
    ("mixed.zip", zip_bytes({"acme.com-backlinks.csv": backlinks_csv(ROW_A), "notes.csv": noise(5_000, 6)}),
     "mixed.zip/notes.csv is not a text or Excel file"),
]


@pytest.fixture
def acme(data_dir: Path) -> Workspace:
    workspace = create_workspace("Acme", "acme.com", ["rival.com"])
    [first] = importer.import_bytes(workspace, backlinks_csv(ROW_B), "acme.com-backlinks-2024-03-01.csv")
    assert first.snapshot is not None
    return workspace


@pytest.mark.parametrize(("name", "data", "says"), UNUSABLE, ids=[case[0] for case in UNUSABLE])
def test_an_unusable_file_says_why_and_changes_nothing(acme, name, data, says):
    before = workspace_state(acme.id)
    [outcome] = importer.import_bytes(acme, data, name)
    assert not outcome.ok and outcome.snapshot is None
    assert outcome.error.startswith(name.split("/")[0]), outcome.error
    assert says in outcome.error, outcome.error
    assert workspace_state(acme.id) == before


def test_a_file_over_the_size_limit_is_refused_before_reading(acme, monkeypatch):
    before = workspace_state(acme.id)
    data = backlinks_csv(*[rows_with(Source_url=f"https://s{i}.example/p") for i in range(200)])
    [outcome] = importer.import_bytes(acme, data, "huge.csv", max_bytes=10_000)
    assert outcome.error == (f"huge.csv is {len(data):,} bytes, more than the 10,000 bytes Linkscope imports at "
                             "once; nothing was imported. Export fewer rows or split the export.")
    # The default limit is the uploader's: a caller other than the uploader is held to it too.
    monkeypatch.setattr(importer, "MAX_IMPORT_BYTES", 4 * 2**20)
    [outcome] = importer.import_bytes(acme, b"x" * (5 * 2**20), "five-megabytes.csv")
    assert outcome.error.startswith("five-megabytes.csv is 5.0 MB, more than the 4.0 MB Linkscope imports")
    assert workspace_state(acme.id) == before
    [fits] = importer.import_bytes(acme, data, "fits.csv", max_bytes=len(data))
    assert fits.snapshot is not None and fits.rows == 200


def test_the_upload_limit_is_configured_and_matches_the_import_guard():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    limit_mb = config["server"]["maxUploadSize"]
    # Set, and below a gigabyte: a 1-GB-class file is refused by the uploader before it reaches Python.
    assert isinstance(limit_mb, int) and 0 < limit_mb < 1024
    assert importer.MAX_IMPORT_BYTES == limit_mb * 2**20


def test_an_archive_that_would_expand_past_the_limit_is_refused(acme, monkeypatch):
    monkeypatch.setattr(readers, "MAX_EXPANDED_BYTES", 2**20)
    before = workspace_state(acme.id)
    bomb = zip_bomb(8 * 2**20)
    assert len(bomb) < 100_000  # a small upload...
    [outcome] = importer.import_bytes(acme, bomb, "bomb.zip")
    # ...refused from its directory, without inflating eight megabytes of spaces.
    assert outcome.error == "bomb.zip would expand to 8 MB, more than the 1 MB Linkscope reads from one archive"
    assert workspace_state(acme.id) == before


# -------------------------------------------------------------------------- partly broken files


def test_mixed_encodings_keep_every_row_and_say_which_line_is_not_utf8(acme):
    good = backlinks_csv(rows_with(Source_title="Café crème", Anchor="naïve"))
    latin = rows_with(Source_title="Caf\xe9 au lait", Source_url="https://latin.example/p").encode("cp1252")
    [outcome] = importer.import_bytes(acme, good + latin + b"\n", "acme.com-backlinks.csv")
    assert outcome.snapshot is not None and outcome.rows == 2
    assert any("mixes text encodings (line 3 is not UTF-8)" in note for note in outcome.notes), outcome.notes
    frame = snapshots.load_frame(outcome.snapshot)
    assert "Café au lait" in set(frame["source_title"])  # the Windows-1252 line reads right


def test_a_plain_windows_1252_file_gets_no_encoding_warning(acme):
    data = backlinks_csv(rows_with(Source_title="Caf\xe9")).decode("utf-8-sig").encode("cp1252")
    [outcome] = importer.import_bytes(acme, data, "acme.com-backlinks.csv")
    assert outcome.snapshot is not None and outcome.notes == []
    assert list(snapshots.load_frame(outcome.snapshot)["source_title"]) == ["Café"]


def test_extremely_long_cells_are_kept_whole(acme):
    title = "T" * 3_000_000
    anchor = "a" * 200_000
    url = "https://long.example/" + "p" * 100_000
    [outcome] = importer.import_bytes(acme, backlinks_csv(rows_with(Source_title=title, Anchor=anchor,
                                                                    Source_url=url), ROW_A), "long.csv")
    assert outcome.snapshot is not None and outcome.rows == 2 and outcome.problems.rejected_total == 0
    frame = snapshots.load_frame(outcome.snapshot)
    assert frame["source_title"].str.len().max() == 3_000_000
    assert frame["anchor"].str.len().max() == 200_000
    assert url in set(frame["source_url"])


def test_missing_and_extra_fields_reject_those_rows_by_line_and_keep_the_rest(acme):
    short = ",".join(ROW_A.split(",")[:10])
    data = backlinks_csv(ROW_A, ROW_B + ",surplus", rows_with(Source_url="https://ok.example/"), short)
    [outcome] = importer.import_bytes(acme, data, "acme.com-backlinks.csv")
    assert outcome.rows == 2
    assert [p.as_dict() for p in outcome.problems.rejected] == [
        {"line": 3, "reason": "expected 19 fields, saw 20"},
        {"line": 5, "reason": "expected 19 fields, saw 10"},
    ]


def test_dates_and_numbers_in_unexpected_formats_are_reported_by_line_and_column(acme):
    data = backlinks_csv(
        rows_with(First_seen="yesterday", Page_ascore="five"),
        rows_with(Source_url="https://b.example/", Last_seen="2024-13-45", External_links="lots"),
        rows_with(Source_url="https://c.example/", First_seen="1704844800", Last_seen="30.04.2024"),
        rows_with(Source_url="https://d.example/", Nofollow="maybe"),
    )
    [outcome] = importer.import_bytes(acme, data, "acme.com-backlinks.csv")
    assert outcome.rows == 4 and outcome.problems.rejected_total == 0
    found = {(p.line, p.column, p.reason) for p in outcome.problems.unreadable_cells}
    assert found == {
        (2, "First seen", "cannot read 'yesterday' as datetime"),
        (2, "Page ascore", "cannot read 'five' as int"),
        (3, "Last seen", "cannot read '2024-13-45' as datetime"),
        (3, "External links", "cannot read 'lots' as int"),
        (5, "Nofollow", "cannot read 'maybe' as bool"),
    }
    frame = snapshots.load_frame(outcome.snapshot).set_index("source_url")
    # A Unix timestamp and a day-first date are understood; what cannot be read is left empty.
    assert str(frame.loc["https://c.example/", "first_seen"].date()) == "2024-01-10"
    assert str(frame.loc["https://c.example/", "last_seen"].date()) == "2024-04-30"
    assert frame["page_ascore"].isna().sum() == 1


# ------------------------------------------------------------------------------------- property


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(document=csv_documents() | st.binary(max_size=400).map(lambda b: (b, "binary")))
def test_any_upload_is_kept_whole_or_refused_with_the_workspace_unchanged(acme, document):
    data, _ = document
    before = workspace_state(acme.id)
    outcomes = importer.import_bytes(acme, data, "generated.csv")  # never raises
    assert len(outcomes) == 1
    [outcome] = outcomes
    if not outcome.ok:
        assert outcome.error.startswith("generated.csv ") and outcome.snapshot is None
        assert workspace_state(acme.id) == before
    elif outcome.snapshot is not None:
        frame = snapshots.load_frame(outcome.snapshot)
        assert len(frame) == outcome.rows > 0
        # The stored frame has the schema's columns and dtypes, and no row lacks a must-have cell.
        kind = outcome.snapshot.kind
        from lib.schema import KINDS

        expected = KINDS[kind].dtypes
        assert {c: str(frame[c].dtype) for c in expected} == expected
        for column in KINDS[kind].columns:
            if column.not_empty:
                assert not (frame[column.name].isna() | (frame[column.name].astype("str").str.strip() == "")).any()
        snapshots.delete_snapshot(outcome.snapshot.id)  # the next example starts from the same state
    else:
        assert outcome.duplicate_of is not None


# --------------------------------------------------------------------------------- the Data page


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning] \
        + [s.value for s in at.success] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def upload(app_test, workspace: Workspace, files: list[tuple[str, bytes, str]]):
    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = workspace.id
    at.run()
    assert not at.exception
    at.file_uploader[0].set_value(files)
    at.run()
    next(b for b in at.button if b.label == "Import").click()
    at.run(timeout=120)
    assert not at.exception, at.exception
    return at


@pytest.fixture
def acme_on_demo(demo_data_dir: Path) -> Workspace:
    workspace = create_workspace("Acme", "acme.com", ["rival.com"])
    importer.import_bytes(workspace, backlinks_csv(ROW_B), "acme.com-backlinks-2024-03-01.csv")
    return workspace


def test_the_data_page_reports_every_unusable_file_and_keeps_the_workspace(acme_on_demo, app_test):
    before = workspace_state(acme_on_demo.id)
    at = upload(app_test, acme_on_demo, [(name, data, "text/csv") for name, data, _ in UNUSABLE])
    errors = [e.value for e in at.error]
    assert len(errors) == len(UNUSABLE), errors
    for (name, _, says), shown in zip(UNUSABLE, errors):
        assert shown.startswith(name) and says in shown, (name, shown)
    assert workspace_state(acme_on_demo.id) == before
    # The app keeps working: the uploader is empty again and a good file imports.
    assert not at.file_uploader[0].value
    at = upload(app_test, acme_on_demo, [("acme.com-backlinks.csv", backlinks_csv(ROW_A), "text/csv")])
    assert any("acme.com-backlinks.csv" in s.value for s in at.success)
    assert len(snapshots.list_snapshots(acme_on_demo.id)) == len(before[0]) + 1


def test_the_data_page_refuses_a_file_over_the_limit(acme_on_demo, app_test, monkeypatch):
    monkeypatch.setattr(importer, "MAX_IMPORT_BYTES", 2_000)
    before = workspace_state(acme_on_demo.id)
    data = backlinks_csv(*[rows_with(Source_url=f"https://s{i}.example/") for i in range(30)])
    at = upload(app_test, acme_on_demo, [("big.csv", data, "text/csv")])
    assert [e.value for e in at.error] == [
        f"big.csv is {len(data):,} bytes, more than the 2,000 bytes Linkscope imports at once; nothing was "
        "imported. Export fewer rows or split the export."]
    assert workspace_state(acme_on_demo.id) == before


def test_the_data_page_lists_bad_lines_and_cells_of_a_partly_broken_file(acme_on_demo, app_test):
    data = backlinks_csv(rows_with(First_seen="yesterday"), ROW_B + ",surplus",
                         rows_with(Source_url="https://ok.example/", Source_title="T" * 500_000))
    latin = rows_with(Source_url="https://latin.example/", Anchor="caf\xe9").encode("cp1252") + b"\n"
    at = upload(app_test, acme_on_demo, [("acme.com-backlinks.csv", data.replace(b"ok.example", "ök.example"
                                                                                 .encode()) + latin, "text/csv")])
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("**acme.com-backlinks.csv**: Backlinks export for **acme.com**, 3 rows")
    assert "1 rows could not be used" in warning and "1 cells could not be read" in warning
    assert "mixes text encodings (line 5 is not UTF-8)" in warning
    [problems] = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert problems.fillna("").to_dict("records") == [
        {"line": 3, "reason": "expected 19 fields, saw 20", "column": "", "what": "row left out"},
        {"line": 2, "reason": "cannot read 'yesterday' as datetime", "column": "First seen",
         "what": "cell left empty"},
    ]


@pytest.mark.parametrize("target", ["\x00", "https://" + "x" * 300 + ".com/", "https://a/../../../../etc/passwd",
                                    "https://evil.com\\..\\..\\x/"])
def test_a_target_taken_from_the_file_never_shapes_a_path(acme, data_dir, target):
    """The snapshot file is named after the site the rows link to; the rows must not choose where it goes."""
    [outcome] = importer.import_bytes(acme, backlinks_csv(rows_with(Target_url=target)), "export.csv")
    assert outcome.snapshot is not None, outcome.error
    path = (data_dir / outcome.snapshot.file).resolve()
    assert path.parent == (data_dir / "workspaces" / "acme" / "snapshots").resolve()
    assert len(path.name) < 150 and path.exists()
    assert len(snapshots.load_frame(outcome.snapshot)) == 1
