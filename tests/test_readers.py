"""lib.readers: every export kind, every file quirk, exact values and line numbers."""

from __future__ import annotations

import codecs
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import readers
from lib.readers import ExportError, ExportFile, date_hint, read_export, read_path, read_table_text
from lib.schema import KINDS
from tests.export_fixtures import (HEADERS, ROWS, SAMPLE_DATETIME, backlink_row, csv_text, export_csv, xlsx_bytes,
                                   zip_bytes)


def one(data: bytes, name: str = "export.csv") -> ExportFile:
    tables = read_export(data, name)
    assert len(tables) == 1
    return tables[0]


def assert_schema_dtypes(table: ExportFile) -> None:
    frame = table.normalized.frame
    expected = KINDS[table.normalized.kind.name].dtypes
    assert {c: str(frame[c].dtype) for c in expected} == expected
    for extra in table.normalized.extra_columns:
        assert str(frame[extra].dtype) == "str"


def problems(table: ExportFile) -> tuple[list[tuple[int, str]], list[tuple[int, str | None, str]]]:
    p = table.normalized.problems
    return ([(r.line, r.reason) for r in p.rejected], [(u.line, u.column, u.reason) for u in p.unreadable_cells])


# ------------------------------------------------------------------------------------------ kinds


@pytest.mark.parametrize("kind", list(HEADERS))
def test_every_kind_is_detected_with_schema_dtypes(kind: str) -> None:
    table = one(export_csv(kind).encode(), f"{kind}.csv")
    assert table.normalized.kind.name == kind
    compared = len(table.normalized.compared_domains) or 1
    assert len(table.normalized.frame) == len(ROWS[kind]) * compared
    assert_schema_dtypes(table)
    assert problems(table) == ([], [])
    assert (table.encoding, table.delimiter) == ("utf-8", ",")


def test_backlinks_values_are_typed() -> None:
    frame = one(export_csv("backlinks").encode()).normalized.frame
    first = frame.iloc[0]
    assert first["page_ascore"] == 57
    assert first["source_title"] == "Best tools, reviewed"  # quoted comma
    assert first["source_domain"] == "example.org"
    assert first["first_seen"] == pd.Timestamp("2024-01-05")
    assert list(frame["nofollow"]) == [False, True]
    assert list(frame["source_domain"]) == ["example.org", "test.co.uk"]
    assert list(frame["link_type"]) == ["text", "image"]


@pytest.mark.parametrize("text", ["Domain,Domain ascore,Matches\na.com,1,2\n", "Domain,Matches,x.com\n",
                                  "Source url,Matches\nhttp://a.com,1\n"])
def test_gap_exports_without_domain_columns_keep_schema_dtypes(text: str) -> None:
    assert_schema_dtypes(one(text.encode()))


def test_gap_melts_one_row_per_compared_domain() -> None:
    table = one(export_csv("gap").encode(), "gap.csv")
    assert table.normalized.compared_domains == ("mysite.com", "rival-one.com", "rival-two.com")
    frame = table.normalized.frame
    example = frame[frame["domain"] == "example.org"].set_index("compared_domain")["backlinks"]
    assert example.to_dict() == {"mysite.com": 3, "rival-one.com": 0, "rival-two.com": 5}


# ---------------------------------------------------------------------------------- encodings


def test_utf8_bom() -> None:
    table = one(export_csv("backlinks").encode("utf-8-sig"))
    assert table.encoding == "utf-8-sig"
    assert list(table.normalized.frame["page_ascore"]) == [57, 23]  # the BOM did not hide "Page ascore"


def test_utf16_le_with_bom_and_tabs() -> None:
    text = export_csv("referring_domains", "\t").replace("example.org", "exämple.org")
    table = one(text.encode("utf-16"), "refdomains.csv")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.normalized.kind.name == "referring_domains"
    assert list(table.normalized.frame["domain"]) == ["exämple.org", "forum.test.co.uk"]
    assert list(table.normalized.frame["backlinks"]) == [14, 3]


def test_utf16_be_with_bom() -> None:
    table = one(codecs.BOM_UTF16_BE + export_csv("anchors", "\t").encode("utf-16-be"))
    assert table.encoding == "utf-16"
    assert list(table.normalized.frame["anchor"]) == ["my site", "click here"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_nul_bytes(codec: str) -> None:
    table = one(export_csv("tld", "\t").encode(codec))
    assert (table.encoding, table.delimiter) == (codec, "\t")
    assert list(table.normalized.frame["zone"]) == ["com", "org"]


def test_cp1252_fallback_is_recorded() -> None:
    text = export_csv("anchors", rows=[["café crème", "1", "2", "2024-01-01", "2024-02-01"]])
    table = one(text.encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.normalized.frame["anchor"].tolist() == ["café crème"]


def test_cp1252_byte_after_the_sample_still_falls_back() -> None:
    rows = [[f"anchor {i}", "1", "2", "2024-01-01", "2024-02-01"] for i in range(5000)]
    rows.append(["naïve", "1", "2", "2024-01-01", "2024-02-01"])
    data = export_csv("anchors", rows=rows).encode("cp1252")
    assert len(data) > readers._SAMPLE_BYTES and data.index("ï".encode("cp1252")) > readers._SAMPLE_BYTES
    table = one(data)
    assert table.encoding == "cp1252"
    assert len(table.normalized.frame) == 5001
    assert table.normalized.frame["anchor"].iloc[-1] == "naïve"


# --------------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    rows = [backlink_row(Anchor="a, b; c"), backlink_row(External_links="1,234")]
    table = one(export_csv("backlinks", delimiter, rows).encode())
    assert table.delimiter == delimiter
    frame = table.normalized.frame
    assert frame["anchor"].tolist() == ["a, b; c", "my site"]
    assert frame["external_links"].tolist() == [12, 1234]


def test_crlf_line_endings() -> None:
    text = csv_text(HEADERS["tld"], [["com", "1", "x"], ["org", "2", "3"]], newline="\r\n")
    table = one(text.encode())
    assert table.normalized.frame["zone"].tolist() == ["com", "org"]
    assert problems(table)[1] == [(2, "Backlinks", "cannot read 'x' as int")]


# ------------------------------------------------------------------------------------- headers


def test_header_case_spacing_and_order_do_not_matter() -> None:
    header = ["  TARGET_URL ", "source URL", "first   SEEN", "page ASCORE"]
    rows = [["https://mysite.com/", "https://a.example.com/x", "2024-02-03", "9"]]
    frame = one(csv_text(header, rows).encode()).normalized.frame
    row = frame.iloc[0]
    assert (row["source_url"], row["target_url"], row["page_ascore"]) == ("https://a.example.com/x",
                                                                          "https://mysite.com/", 9)
    assert row["first_seen"] == pd.Timestamp("2024-02-03")
    assert row["anchor"] == "" and bool(row["nofollow"]) is False  # absent columns get their empty value


def test_unknown_columns_are_kept_as_text() -> None:
    header = HEADERS["anchors"] + ["My Notes", "Score 2"]
    rows = [["brand", "1", "2", "2024-01-01", "2024-02-01", "check, later", "007"]]
    table = one(csv_text(header, rows).encode())
    assert table.normalized.extra_columns == ("my_notes", "score_2")
    frame = table.normalized.frame
    assert frame["my_notes"].tolist() == ["check, later"]
    assert frame["score_2"].tolist() == ["007"]  # kept as written, not read as a number
    assert_schema_dtypes(table)


def test_duplicate_header_keeps_both_columns() -> None:
    header = ["Anchor", "Domains", "Backlinks", "Anchor"]
    table = one(csv_text(header, [["first", "1", "2", "second"]]).encode())
    frame = table.normalized.frame
    assert frame["anchor"].tolist() == ["first"]
    assert frame["anchor_2"].tolist() == ["second"]


def test_trailing_delimiter_column_is_dropped() -> None:
    text = "Zone,Domains,Backlinks,\ncom,1,2,\norg,3,4,\n"
    table = one(text.encode())
    assert table.normalized.extra_columns == ()
    assert list(table.normalized.frame.columns) == list(KINDS["tld"].dtypes)


def test_missing_required_column_names_closest_kind_and_columns() -> None:
    header = ["Domain ascore", "First seen", "Last seen", "Category"]
    with pytest.raises(ExportError) as caught:
        read_export(csv_text(header, [["1", "2024-01-01", "2024-02-01", "News"]]).encode(), "report.csv")
    error = caught.value
    assert str(error) == ("report.csv is not a Semrush export: it looks most like a Referring Domains export "
                          "but lacks the columns Domain, Backlinks")
    assert (error.file, error.closest_kind, error.missing_columns) == ("report.csv", "referring_domains",
                                                                      ("Domain", "Backlinks"))


def test_missing_one_column_of_backlinks() -> None:
    header = [h for h in HEADERS["backlinks"] if h != "Target url"]
    with pytest.raises(ExportError) as caught:
        read_export(csv_text(header, []).encode(), "links.csv")
    assert caught.value.closest_kind == "backlinks"
    assert caught.value.missing_columns == ("Target url",)
    assert str(caught.value).endswith("it looks most like a Backlinks export but lacks the column Target url")


def test_closest_kind_is_the_one_with_most_required_columns() -> None:
    with pytest.raises(ExportError) as caught:
        read_export(csv_text(["Domain ascore", "Domain", "IP", "Country"], [["1", "a.com", "", "US"]]).encode(),
                    "rd.csv")
    assert (caught.value.closest_kind, caught.value.missing_columns) == ("referring_domains", ("Backlinks",))


def test_wrong_kind_of_export_is_refused() -> None:
    text = csv_text(["Keyword", "Position", "Search Volume", "CPC"], [["seo tools", "3", "1900", "4.10"]])
    with pytest.raises(ExportError) as caught:
        read_export(text.encode(), "organic.csv")
    assert caught.value.closest_kind is None
    assert caught.value.missing_columns == ()
    assert str(caught.value) == ("organic.csv is not a Semrush export: none of its columns is a known Semrush "
                                 "column (it starts with 'Keyword', 'Position', 'Search Volume', 'CPC')")


def test_preamble_lines_above_the_header_are_skipped() -> None:
    text = ("Backlinks report for mysite.com\n"
            "Domain: mysite.com\n"
            "\n"
            + export_csv("backlinks", rows=[backlink_row(), backlink_row(First_seen="someday")]))
    table = one(text.encode("utf-8-sig"))
    assert table.normalized.kind.name == "backlinks"
    assert len(table.normalized.frame) == 2
    # Lines are the file's physical lines: the header is line 4 here, the second row line 6.
    assert problems(table) == ([], [(6, "First seen", "cannot read 'someday' as datetime")])


# ----------------------------------------------------------------------------- rows and lines


def test_row_with_extra_fields_is_rejected_with_its_line() -> None:
    rows = [backlink_row(), backlink_row() + ["surplus"], backlink_row(Anchor="third")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert problems(table) == ([(3, "expected 19 fields, saw 20")], [])
    assert table.normalized.frame["anchor"].tolist() == ["my site", "third"]


def test_row_with_too_few_fields_is_rejected_with_its_line() -> None:
    rows = [backlink_row(), backlink_row()[:6], backlink_row(Anchor="third")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert problems(table) == ([(3, "expected 19 fields, saw 6")], [])
    assert len(table.normalized.frame) == 2


def test_extra_fields_on_the_first_row_do_not_shift_columns() -> None:
    # pandas would take an extra first-row field as an index column and shift every value.
    rows = [backlink_row() + ["surplus"], backlink_row(Anchor="second")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert problems(table)[0] == [(2, "expected 19 fields, saw 20")]
    assert table.normalized.frame["source_url"].tolist() == ["https://blog.example.org/tools"]


def test_blank_lines_do_not_shift_line_numbers() -> None:
    text = (csv_text(HEADERS["tld"], [])
            + "com,1,2\n\n\norg,x,3\n\r\nnet,4,5,6\n   \nio,7,y\n\n")
    table = one(text.encode())
    assert table.normalized.frame["zone"].tolist() == ["com", "org", "io"]
    assert problems(table) == ([(7, "expected 3 fields, saw 4")],
                               [(5, "Domains", "cannot read 'x' as int"), (9, "Backlinks", "cannot read 'y' as int")])


def test_quoted_line_breaks_count_as_physical_lines() -> None:
    rows = [backlink_row(Source_title="two\nlines"), backlink_row(Anchor="three\n\nlines"),
            backlink_row(Page_ascore="high")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert table.normalized.frame["anchor"].tolist()[1] == "three\n\nlines"
    assert problems(table) == ([], [(7, "Page ascore", "cannot read 'high' as int")])


def test_quoted_line_breaks_and_rejected_rows_together() -> None:
    rows = [backlink_row(Source_title="a\nb"), backlink_row() + ["x"], backlink_row(Anchor="c\nd"),
            backlink_row(Last_seen="never")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert problems(table) == ([(4, "expected 19 fields, saw 20")],
                               [(7, "Last seen", "cannot read 'never' as datetime")])


def test_bad_cells_are_reported_and_their_rows_kept() -> None:
    rows = [backlink_row(Page_ascore="n/a"), backlink_row(Page_ascore="about 5", First_seen="32/13/2024"),
            backlink_row(Nofollow="maybe")]
    table = one(export_csv("backlinks", rows=rows).encode())
    frame = table.normalized.frame
    assert len(frame) == 3
    assert frame["page_ascore"].isna().tolist() == [True, True, False]
    assert pd.isna(frame["first_seen"].iloc[1])
    assert problems(table) == ([], [(3, "Page ascore", "cannot read 'about 5' as int"),
                                    (4, "Nofollow", "cannot read 'maybe' as bool"),
                                    (3, "First seen", "cannot read '32/13/2024' as datetime")])


def test_empty_required_cell_rejects_the_row() -> None:
    rows = [backlink_row(), backlink_row(Source_url="  "), backlink_row(Target_url="")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert len(table.normalized.frame) == 1
    assert problems(table)[0] == [(3, "empty 'Source url'"), (4, "empty 'Target url'")]


def test_rows_of_only_delimiters_are_skipped_silently() -> None:
    text = export_csv("tld") + ",,\n,,\n"
    table = one(text.encode())
    assert len(table.normalized.frame) == 2
    assert problems(table) == ([], [])


def test_header_only_is_a_valid_empty_export() -> None:
    for text in ("Zone,Domains,Backlinks\n", "Zone,Domains,Backlinks", "Zone,Domains,Backlinks\n\n\n"):
        table = one(text.encode())
        assert table.normalized.kind.name == "tld"
        assert len(table.normalized.frame) == 0
        assert_schema_dtypes(table)


def test_header_only_backlinks_has_every_dtype() -> None:
    table = one(csv_text(HEADERS["backlinks"], []).encode("utf-8-sig"))
    assert len(table.normalized.frame) == 0
    assert_schema_dtypes(table)


def test_long_cells_do_not_crash() -> None:
    title = "t" * 3_000_000
    table = one(export_csv("backlinks", rows=[backlink_row(Source_title=title), backlink_row()]).encode())
    assert table.normalized.frame["source_title"].str.len().tolist() == [3_000_000, 20]


def test_row_longer_than_a_parser_block_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "_BLOCK_SIZE", 1024)
    rows = [backlink_row(Anchor="a" * 5000), backlink_row(Page_ascore="x")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert table.normalized.frame["anchor"].str.len().tolist() == [5000, 7]
    assert problems(table)[1] == [(3, "Page ascore", "cannot read 'x' as int")]


def test_pandas_fallback_when_pyarrow_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise pa.ArrowInvalid("some parse error pyarrow cannot get past")

    monkeypatch.setattr(readers.pacsv, "read_csv", refuse)
    rows = [backlink_row(), backlink_row() + ["surplus"], backlink_row(Page_ascore="x")]
    table = one(export_csv("backlinks", rows=rows).encode())
    assert len(table.normalized.frame) == 2
    assert_schema_dtypes(table)
    assert problems(table) == ([(3, "expected 19 fields, saw 20")], [(4, "Page ascore", "cannot read 'x' as int")])


# -------------------------------------------------------------------------------- unreadable


@pytest.mark.parametrize("data, reason", [
    (b"", "is empty"),
    (b"  \r\n\n\t ", "is empty"),
    (codecs.BOM_UTF8, "is empty"),
    ("\n".encode("utf-16"), "is empty"),
    (bytes(range(256)) * 40, "is not a text or Excel file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200) + b"IHDR", "is not a text or Excel file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
     "is not a text or Excel file: it looks like an old .xls workbook or another binary Office file; "
     "save it as .xlsx or CSV"),
    (b"PK\x03\x04garbage", "is a damaged ZIP or Excel file (File is not a zip file)"),
    (b"Zone,Domains\x81,Backlinks\x81\ncom,1,2\n", "is not a text or Excel file"),
])
def test_unreadable_files(data: bytes, reason: str) -> None:
    with pytest.raises(ExportError) as caught:
        read_export(data, "report.csv")
    assert str(caught.value) == f"report.csv {reason}"
    assert caught.value.file == "report.csv"


def test_random_bytes_never_raise_anything_but_export_error() -> None:
    rng = np.random.default_rng(7)
    for size in (1, 7, 100, 5000):
        for _ in range(20):
            with pytest.raises(ExportError):
                read_export(rng.integers(0, 256, size, dtype=np.uint8).tobytes(), "noise.csv")


# ------------------------------------------------------------------------------------------ XLSX


def test_xlsx_cells_read_as_text() -> None:
    rows = [HEADERS["referring_domains"],
            [61, "example.org", 14.0, "93.184.216.34", "US", SAMPLE_DATETIME, datetime(2024, 5, 1)],
            [12.5, "forum.test", "3", None, "GB", "2024-03-01", "not a date"]]
    table = one(xlsx_bytes(rows), "refdomains.xlsx")
    assert (table.encoding, table.delimiter) == (None, None)
    frame = table.normalized.frame
    assert frame["backlinks"].tolist() == [14, 3]
    assert frame["first_seen"].tolist() == [pd.Timestamp("2024-05-17 08:12"), pd.Timestamp("2024-03-01")]
    assert frame["last_seen"].iloc[0] == pd.Timestamp("2024-05-01")
    assert frame["ip"].tolist() == ["93.184.216.34", ""]
    assert_schema_dtypes(table)
    # 12.5 is read as 12.5 (and rounded to the integer Authority Score); the bad date is on spreadsheet row 3.
    assert problems(table) == ([], [(3, "Last seen", "cannot read 'not a date' as datetime")])


def test_xlsx_cell_text_conversions() -> None:
    assert readers._cell_text(14.0) == "14"
    assert readers._cell_text(0.25) == "0.25"
    assert readers._cell_text(True) == "true"
    assert readers._cell_text(datetime(2024, 5, 17)) == "2024-05-17"
    assert readers._cell_text(SAMPLE_DATETIME) == "2024-05-17 08:12:00"
    assert readers._cell_text(date(2024, 1, 2)) == "2024-01-02"
    assert readers._cell_text(None) == ""


def test_xlsx_first_non_empty_sheet_preamble_and_row_numbers() -> None:
    rows = [["Anchors report"], [], HEADERS["anchors"], ["brand", 1, 2, None, None], [],
            ["other", "x", 3], ["wide", 1, 2, "2024-01-01", "2024-01-02", None, "surplus"]]
    table = one(xlsx_bytes(rows, sheets_before=1, first_row=2), "anchors.xlsx")
    frame = table.normalized.frame
    assert frame["anchor"].tolist() == ["brand", "other"]
    # Spreadsheet rows: title 2, header 4, brand 5, other 7, wide 8.
    assert problems(table) == ([(8, "expected 5 fields, saw 7")], [(7, "Domains", "cannot read 'x' as int")])


def test_xlsx_detected_by_content_whatever_its_name() -> None:
    table = one(xlsx_bytes([HEADERS["tld"], ["com", 1, 2]]), "download.csv")
    assert table.normalized.kind.name == "tld"
    assert table.delimiter is None


def test_xlsx_header_only_and_empty() -> None:
    table = one(xlsx_bytes([HEADERS["geo"]]), "geo.xlsx")
    assert len(table.normalized.frame) == 0
    assert_schema_dtypes(table)
    with pytest.raises(ExportError, match=r"^empty\.xlsx is empty$"):
        read_export(xlsx_bytes([]), "empty.xlsx")


def test_xlsx_not_an_export() -> None:
    with pytest.raises(ExportError) as caught:
        read_export(xlsx_bytes([["Anchor", "Backlinks"], ["a", 1]]), "anchors.xlsx")
    assert caught.value.closest_kind == "anchors"
    assert caught.value.missing_columns == ("Domains",)


# ------------------------------------------------------------------------------------------- ZIP


def test_zip_with_csv_xlsx_and_macos_junk() -> None:
    data = zip_bytes({
        "exports/mysite.com-backlinks-2024-05-17.csv": export_csv("backlinks").encode("utf-8-sig"),
        "__MACOSX/exports/._mysite.com-backlinks-2024-05-17.csv": b"\x00\x05\x16\x07junk",
        "exports/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "exports/refdomains.xlsx": xlsx_bytes([HEADERS["referring_domains"], *ROWS["referring_domains"]]),
        "exports/readme.pdf": b"%PDF-1.4",
    }, directories=("exports/",))
    tables = read_export(data, "semrush_20240601.zip")
    assert [t.name for t in tables] == ["semrush_20240601.zip/exports/mysite.com-backlinks-2024-05-17.csv",
                                        "semrush_20240601.zip/exports/refdomains.xlsx"]
    assert [t.normalized.kind.name for t in tables] == ["backlinks", "referring_domains"]
    assert [len(t.normalized.frame) for t in tables] == [2, 2]
    assert [t.encoding for t in tables] == ["utf-8-sig", None]
    # A member's own date wins; otherwise the archive's.
    assert [t.date_hint for t in tables] == [datetime(2024, 5, 17), datetime(2024, 6, 1)]


def test_zip_with_one_semicolon_csv() -> None:
    tables = read_export(zip_bytes({"tld.csv": export_csv("tld", ";").encode()}), "tld.zip")
    assert [(t.name, t.delimiter, len(t.normalized.frame)) for t in tables] == [("tld.zip/tld.csv", ";", 2)]


@pytest.mark.parametrize("members", [{}, {"__MACOSX/._a.csv": b"junk"}, {"notes.pdf": b"%PDF"}])
def test_zip_without_a_table(members: dict[str, bytes]) -> None:
    with pytest.raises(ExportError) as caught:
        read_export(zip_bytes(members, directories=("folder/",)), "bundle.zip")
    assert str(caught.value) == "bundle.zip holds no CSV or Excel file"


def test_zip_member_that_is_not_an_export_names_the_member() -> None:
    data = zip_bytes({"good.csv": export_csv("tld").encode(), "bad.csv": b"Name,Email\na,b\n"})
    with pytest.raises(ExportError) as caught:
        read_export(data, "bundle.zip")
    assert caught.value.file == "bundle.zip/bad.csv"


# ---------------------------------------------------------------------------------------- API


def test_api_answer_with_column_codes_and_unix_timestamps() -> None:
    text = ("page_ascore;source_url;target_url;first_seen;last_seen;nofollow;newlink;external_num\n"
            "45;https://a.example.com/x;https://mysite.com/;1715904000;1716163200;true;false;12\n"
            "7;https://b.example.net/;https://mysite.com/p;1704067200;1714521600;false;true;3\n")
    table = read_table_text(text, "backlinks answer")
    assert (table.name, table.encoding, table.delimiter, table.date_hint) == ("backlinks answer", None, ";", None)
    frame = table.normalized.frame
    assert table.normalized.kind.name == "backlinks"
    assert frame["first_seen"].tolist() == [pd.Timestamp("2024-05-17"), pd.Timestamp("2024-01-01")]
    assert frame["last_seen"].tolist() == [pd.Timestamp("2024-05-20"), pd.Timestamp("2024-05-01")]
    assert frame["page_ascore"].tolist() == [45, 7]
    assert frame["external_links"].tolist() == [12, 3]
    assert frame["new_link"].tolist() == [False, True]
    assert_schema_dtypes(table)


def test_api_answer_with_given_delimiter_and_problems() -> None:
    text = "domain_ascore;domain;backlinks_num\n50;a.com;3\n;;\n12;b.org;x;extra\n9;;1\n"
    table = read_table_text(text, "refdomains answer", delimiter=";")
    assert table.normalized.frame["domain"].tolist() == ["a.com"]
    assert problems(table) == ([(4, "expected 3 fields, saw 4"), (5, "empty 'domain'")], [])


def test_api_error_body_is_not_a_table() -> None:
    with pytest.raises(ExportError) as caught:
        read_table_text("ERROR 50 :: NOTHING FOUND", "answer")
    assert caught.value.closest_kind is None


# ---------------------------------------------------------------------------------- file names


@pytest.mark.parametrize("name, expected", [
    ("example.com-backlinks-2024-05-17.csv", datetime(2024, 5, 17)),
    ("example.com-backlinks_refdomains_20240517.csv", datetime(2024, 5, 17)),
    ("archive.zip/example.com-backlinks-2024-05-17_08-12-30.csv", datetime(2024, 5, 17, 8, 12, 30)),
    ("backlinks_2024.05.17.xlsx", datetime(2024, 5, 17)),
    ("example.com-backlinks.csv", None),
    ("report-2024-13-45.csv", None),
    ("id_123456789012.csv", None),
])
def test_date_hint_from_file_name(name: str, expected: datetime | None) -> None:
    assert date_hint(name) == expected


def test_read_path_uses_the_file_name(tmp_path) -> None:
    path = tmp_path / "mysite.com-anchors-2024-02-29.csv"
    path.write_bytes(export_csv("anchors").encode())
    (table,) = read_path(path)
    assert (table.name, table.date_hint) == ("mysite.com-anchors-2024-02-29.csv", datetime(2024, 2, 29))


def test_no_lib_module_imports_streamlit() -> None:
    import pkgutil
    import subprocess
    import sys

    import lib

    modules = [m.name for m in pkgutil.walk_packages(lib.__path__, "lib.")]
    assert "lib.readers" in modules and "lib.report" in modules and "lib.semrush.client" in modules
    code = f"import importlib, sys; [importlib.import_module(m) for m in {modules!r}]; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------------------ property

_ALIASES = sorted({alias for kind in KINDS.values() for col in kind.columns for alias in col.aliases}
                  | {h for headers in HEADERS.values() for h in headers})
_HEADER = st.one_of(st.sampled_from(_ALIASES), st.text(max_size=12), st.sampled_from(["mysite.com", "x.org"]))
_CELL = st.one_of(
    st.text(max_size=15),
    st.sampled_from(["", "true", "false", "12", "1,234", "2024-05-17", "1715904000", "https://a.b.com/x",
                     "example.org", "-", '"', "\n", "\r\n", ",", ";", "\t", "n/a", "99999999999999999999"]),
)


def _respell(draw, alias: str) -> str:
    # Semrush's spelling drifts: case, spaces, underscores.
    style = draw(st.sampled_from(["as is", "upper", "title", "padded", "underscored"]))
    return {"as is": alias, "upper": alias.upper(), "title": alias.title(), "padded": f"  {alias} ",
            "underscored": alias.replace(" ", "_")}[style]


@st.composite
def csv_documents(draw) -> tuple[bytes, str]:
    headers = draw(st.lists(_HEADER, min_size=0, max_size=5))
    if draw(st.integers(0, 3)):  # mostly start from a real kind, so that most documents are exports
        kind = KINDS[draw(st.sampled_from(sorted(KINDS)))]
        for col in kind.columns:
            if col.required or draw(st.booleans()):
                headers.append(_respell(draw, draw(st.sampled_from(col.aliases))))
        headers = draw(st.permutations(headers))
    if not headers:
        headers = ["x"]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    width = len(headers)
    row = st.lists(_CELL, min_size=width, max_size=width) | st.lists(_CELL, min_size=0, max_size=width + 2)
    rows = draw(st.lists(row, max_size=6))
    text = csv_text(list(headers), rows, delimiter, draw(st.sampled_from(["\n", "\r\n"])))
    if draw(st.integers(0, 4)) == 0:
        text = draw(st.text(max_size=20)) + "\n" + text  # a preamble, or junk above the header
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\n\n", draw(st.integers(1, 3)))  # blank lines
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace"), encoding


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_documents())
def test_any_csv_gives_schema_frames_or_export_error(document: tuple[bytes, str]) -> None:
    data, _ = document
    try:
        tables = read_export(data, "generated.csv")
    except ExportError as error:
        assert str(error).startswith("generated.csv ")
        return
    for table in tables:
        assert_schema_dtypes(table)
        p = table.normalized.problems
        assert all(r.line >= 2 for r in p.rejected + p.unreadable_cells)


@st.composite
def tld_files_with_known_lines(draw) -> tuple[str, list[int], list[int]]:
    """A TLD export with blank lines, quoted line breaks and bad rows, and the lines a reader must report."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    parts = ["Zone,Domains,Backlinks" + newline]
    line = 2
    bad_cells, bad_rows = [], []
    for _ in range(draw(st.integers(0, 12))):
        blank = draw(st.integers(0, 2))
        parts.append(newline * blank)
        line += blank
        breaks = draw(st.integers(0, 2))
        zone = '"' + "\n".join(["z"] * (breaks + 1)) + '"' if breaks else "com"
        shape = draw(st.sampled_from(["good", "bad cell", "extra field", "short"]))
        cells = {"good": [zone, "1", "2"], "bad cell": [zone, "1", "bad"], "extra field": [zone, "1", "2", "3"],
                 "short": [zone, "1"]}[shape]
        parts.append(",".join(cells) + newline)
        if shape == "bad cell":
            bad_cells.append(line)
        elif shape != "good":
            bad_rows.append(line)
        line += breaks + 1
    return "".join(parts), bad_cells, bad_rows


@settings(max_examples=200, deadline=None)
@given(tld_files_with_known_lines())
def test_reported_lines_are_physical_lines(case: tuple[str, list[int], list[int]]) -> None:
    text, bad_cells, bad_rows = case
    table = one(text.encode())
    rejected, unreadable = problems(table)
    assert [line for line, _ in rejected] == bad_rows
    assert [line for line, _, _ in unreadable] == bad_cells


def test_classic_mac_line_endings() -> None:
    table = one(export_csv("tld").replace("\n", "\r").encode())
    assert table.normalized.frame["zone"].tolist() == ["com", "org"]


def test_utf16_cut_off_mid_character() -> None:
    data = export_csv("tld", "\t").encode("utf-16")[:-3]  # loses the last newline and half a character
    table = one(data)
    assert table.normalized.frame["zone"].tolist() == ["com", "org"]
    assert table.normalized.frame["backlinks"].tolist() == [900, 7]


def test_lone_carriage_return_above_the_data_does_not_eat_a_row() -> None:
    table = one(b"Report\rfor mysite.com\nZone,Domains,Backlinks\ncom,1,2\norg,x,4\n")
    assert table.normalized.frame["zone"].tolist() == ["com", "org"]
    assert problems(table)[1] == [(4, "Domains", "cannot read 'x' as int")]


def test_excel_separator_hint_line_is_a_preamble() -> None:
    table = one(("sep=;\n" + export_csv("geo", ";")).encode())
    assert (table.delimiter, table.normalized.frame["country"].tolist()) == (";", ["US", "DE"])


def test_damaged_xlsx_sheet_is_an_export_error() -> None:
    import io
    import zipfile

    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADERS["tld"], ["com", 1, 2]])))
    members = {info.filename: good.read(info) for info in good.infolist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:-40]  # cut inside the XML
    with pytest.raises(ExportError) as caught:
        read_export(zip_bytes(members), "tld.xlsx")
    assert str(caught.value).startswith("tld.xlsx is a damaged Excel file (")


def test_bad_utf8_inside_a_rejected_row_falls_back_to_cp1252() -> None:
    # pyarrow hands rejected rows to Python as UTF-8; a cp1252 byte there must not break the read.
    data = export_csv("tld").encode() + "net,1,2,3 caf\xe9\n".encode("cp1252")
    table = one(data)
    assert table.encoding == "cp1252"
    assert problems(table)[0] == [(4, "expected 3 fields, saw 4")]


def test_damaged_zip_member_is_an_export_error() -> None:
    data = bytearray(zip_bytes({"tld.csv": export_csv("tld").encode() * 20}))
    data[60:70] = b"\xff" * 10  # inside the deflated data
    with pytest.raises(ExportError) as caught:
        read_export(bytes(data), "bundle.zip")
    assert caught.value.file in ("bundle.zip", "bundle.zip/tld.csv")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 310), st.sampled_from([b"\n", b"\r"]), st.integers(1, 64))
def test_count_byte_is_bytes_count_over_any_blocks_and_threads(data, start, byte, block):
    from lib import parallel

    expected = data.count(byte, start)
    original_block, original_min = readers._COUNT_BLOCK, parallel.PARALLEL_MIN_ROWS
    try:
        readers._COUNT_BLOCK, parallel.PARALLEL_MIN_ROWS = block, 10
        assert readers._count_byte(data, byte, start) == expected
    finally:
        readers._COUNT_BLOCK, parallel.PARALLEL_MIN_ROWS = original_block, original_min
