"""The reader's fast path (flags and dates typed by pyarrow) gives exactly what the careful path gives."""

import pandas as pd
import pytest

from lib import readers

HEADER = ("Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,Sponsored,"
          "Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link,Extra note")


def _row(i: int, flag: str = "false", first: str = "2024-01-05", title: str = "Title") -> str:
    return (f"{i % 100},{title} {i},https://www.blog{i % 37}.example.co.uk/p/{i},https://acme.com/page-{i % 7},"
            f"anchor {i % 13},{i % 50},{i % 9},{flag},true,FALSE,True,0,1,false,{'true' if i % 5 else ''},"
            f"{first},2024-03-0{1 + i % 9},false,true,note {i % 3}")


def _both(data: bytes) -> tuple[readers.ExportFile, readers.ExportFile]:
    fast = readers.read_export(data, "example-backlinks-2024-03-10.csv")[0]
    readers.FAST_PATH = False
    try:
        careful = readers.read_export(data, "example-backlinks-2024-03-10.csv")[0]
    finally:
        readers.FAST_PATH = True
    return fast, careful


def _both_spied(monkeypatch, data: bytes) -> tuple[readers.ExportFile, readers.ExportFile, list]:
    """`_both`, with what each `_parse_typed` call answered (None: it left the file to the careful path)."""
    used = []
    original = readers._parse_typed
    monkeypatch.setattr(readers, "_parse_typed", lambda *a: used.append(r := original(*a)) or r)
    fast, careful = _both(data)
    return fast, careful, used


def _assert_same(fast: readers.ExportFile, careful: readers.ExportFile) -> None:
    pd.testing.assert_frame_equal(fast.normalized.frame, careful.normalized.frame, check_exact=True)
    assert fast.normalized.problems == careful.normalized.problems
    assert fast.normalized.extra_columns == careful.normalized.extra_columns == ("extra_note",)


def test_clean_file_every_column_kind_is_read_by_the_fast_path_identically(monkeypatch):
    lines = [HEADER] + [_row(i) for i in range(2_000)]
    lines[5] = _row(4, first="2024-02-29 13:45:00")  # a datetime with a time
    lines[6] = _row(5, title='"Quoted, with comma and\nline break"')
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    fast, careful, used = _both_spied(monkeypatch, data)
    assert used and used[0] is not None  # the fast path did read it
    _assert_same(fast, careful)
    frame = fast.normalized.frame
    assert str(frame["nofollow"].dtype) == "bool" and str(frame["first_seen"].dtype) == "datetime64[ns]"
    assert str(frame["page_ascore"].dtype) == "Int64" and str(frame["source_url"].dtype) == "str"
    assert frame["sitewide"].tolist()[:6] == [False, True, True, True, True, False]  # "" reads as false
    assert str(frame.loc[4, "first_seen"]) == "2024-02-29 13:45:00"
    assert frame.loc[5, "source_title"] == "Quoted, with comma and\nline break 5"


@pytest.mark.parametrize("bad", ["flag", "date", "short", "long", "blank", "empty_url"])
def test_files_with_bad_rows_or_cells_give_the_careful_paths_result(bad):
    lines = [HEADER] + [_row(i) for i in range(1_500)]
    if bad == "flag":
        lines[10] = _row(10, flag="maybe")
        lines[11] = _row(11, flag=" yes ")
    elif bad == "date":
        lines[10] = _row(10, first="9999-12-31")
        lines[11] = _row(11, first="31/12/2023")
        lines[12] = _row(12, first="2024-02-30")
    elif bad == "short":
        lines[10] = "1,2,3"
    elif bad == "long":
        lines[10] = _row(10) + ",surplus"
    elif bad == "blank":
        lines.insert(10, "," * 19)
        lines.insert(20, "")
    elif bad == "empty_url":
        lines[10] = _row(10).replace("https://www.blog", " ", 1).split(",", 3)[0] + ",t,  ,https://acme.com/x," + \
            ",".join(_row(10).split(",")[4:])
    data = ("\n".join(lines) + "\n").encode("utf-8")
    fast, careful = _both(data)
    _assert_same(fast, careful)
    problems = fast.normalized.problems
    assert problems.rejected_total + problems.unreadable_total > 0 or bad == "blank"
    if bad in ("short", "long"):
        assert [p.line for p in problems.rejected] == [11]
    if bad == "blank":
        assert len(fast.normalized.frame) == 1_500


def _line_break_options(monkeypatch) -> list[bool]:
    """`newlines_in_values` of every pyarrow CSV parse the reader starts (a spy: the parse itself runs)."""
    seen = []
    original = readers.pacsv.read_csv

    def spy(source, *, parse_options, **kwargs):
        seen.append(parse_options.newlines_in_values)
        return original(source, parse_options=parse_options, **kwargs)

    monkeypatch.setattr(readers.pacsv, "read_csv", spy)
    return seen


def test_one_line_records_are_parsed_once_without_minding_quoted_line_breaks(monkeypatch):
    seen = _line_break_options(monkeypatch)
    lines = [HEADER] + [_row(i, title='"Quoted, with comma"') for i in range(1_200)]
    fast = readers.read_export(("\n".join(lines) + "\n").encode("utf-8"), "example-backlinks-2024-03-10.csv")[0]
    assert seen == [False]
    assert len(fast.normalized.frame) == 1_200 and fast.normalized.frame.loc[0, "source_title"] == "Quoted, with comma 0"


@pytest.mark.parametrize("block_size", [300, 1 << 22])
def test_quoted_line_breaks_on_block_edges_give_the_careful_paths_result(monkeypatch, block_size):
    # Small blocks put line breaks inside quoted titles on the edges of the blocks pyarrow splits the file into.
    monkeypatch.setattr(readers, "_BLOCK_SIZE", block_size)
    lines = [HEADER] + [_row(i, title='"Two\nlines"' if i % 3 == 0 else "Title") for i in range(1_200)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    fast, careful, used = _both_spied(monkeypatch, data)
    _assert_same(fast, careful)
    assert fast.normalized.frame.loc[3, "source_title"] == "Two\nlines 3"
    assert [p.line for p in fast.normalized.problems.rejected] == []
    if block_size > len(data):
        assert used[0] is not None  # one block: the fast path read it, minding quotes the second time


def test_a_blank_line_costs_a_second_parse_not_a_row(monkeypatch):
    seen = _line_break_options(monkeypatch)
    lines = [HEADER] + [_row(i) for i in range(1_200)]
    lines.insert(600, "")
    fast = readers.read_export(("\n".join(lines) + "\n").encode("utf-8"), "example-backlinks-2024-03-10.csv")[0]
    assert seen == [False, True]
    assert len(fast.normalized.frame) == 1_200


@pytest.mark.parametrize("cell, fast_path_reads_it", [
    ("", True), ("-3", True), ("+7", False), ("007", True), (str(2**62), True), (str(-2**62), True),
    ('"1,234"', False), (" 12 ", True), ("12.6", False), ("n/a", False), (str(2**62 + 1), False),
    (str(-2**63), False), ("99999999999999999999", False),
])
def test_counts_and_scores_read_by_the_fast_path_or_left_to_the_careful_one(monkeypatch, cell, fast_path_reads_it):
    lines = [HEADER] + [_row(i) for i in range(1_200)]
    lines[7] = cell + "," + lines[7].split(",", 1)[1]  # Page ascore
    data = ("\n".join(lines) + "\n").encode("utf-8")
    fast, careful, used = _both_spied(monkeypatch, data)
    _assert_same(fast, careful)
    assert (used[0] is not None) == fast_path_reads_it
    assert str(fast.normalized.frame["page_ascore"].dtype) == "Int64"
