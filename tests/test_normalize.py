"""Raw strings to canonical frames: types, rejected rows and unreadable cells by line."""

import pandas as pd

from lib.normalize import canonicalize, parse_bools, parse_dates, parse_numbers
from lib.schema import KINDS, detect_kind, match_header


def raw(rows: list[list[str]], header: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=header, dtype="str")


def test_numbers_accept_spreadsheet_formats_and_report_the_rest():
    values, bad = parse_numbers(pd.Series(["1,234", "12.0", " 7 ", "45%", "", "n/a", "abc", "1e30"]), integer=True)
    assert values.tolist()[:4] == [1234, 12, 7, 45]
    assert values.isna().tolist()[4:] == [True, True, True, True]
    assert bad.tolist() == [False, False, False, False, False, False, True, True]


def test_dates_iso_unix_and_out_of_range():
    values, bad = parse_dates(pd.Series(["2024-05-17", "2024-05-17 08:12:00", "1715933520", "May 3, 2024",
                                         "9999-12-31", "", "garbage"]))
    assert values.iloc[0] == pd.Timestamp("2024-05-17")
    assert values.iloc[1] == pd.Timestamp("2024-05-17 08:12:00")
    assert values.iloc[2] == pd.Timestamp("2024-05-17 08:12:00")
    assert values.iloc[3] == pd.Timestamp("2024-05-03")
    assert bad.tolist() == [False, False, False, False, True, False, True]
    assert values.dtype == "datetime64[ns]"


def test_booleans():
    values, bad = parse_bools(pd.Series(["true", "FALSE", "1", "", "maybe"]))
    assert values.tolist() == [True, False, True, False, False]
    assert bad.tolist() == [False, False, False, False, True]


def test_canonical_backlinks_with_problems_by_line():
    header = ["Source url", "Target url", "Page ascore", "First seen", "Nofollow", "Extra note"]
    frame = raw([["https://a.com/x", "https://me.com/", "12", "2024-01-01", "false", "n1"],
                 ["", "https://me.com/", "5", "2024-01-02", "true", "n2"],
                 ["https://b.org/y", "https://me.com/p", "x", "bad", "true", "n3"]], header)
    result = canonicalize(frame, detect_kind(header))
    out = result.frame
    assert result.kind.name == "backlinks"
    assert out["source_url"].tolist() == ["https://a.com/x", "https://b.org/y"]
    assert out["page_ascore"].dtype == "Int64" and out["page_ascore"].isna().tolist() == [False, True]
    assert out["extra_note"].tolist() == ["n1", "n3"]
    assert out["source_domain"].tolist() == ["a.com", "b.org"]
    assert out["link_type"].tolist() == ["text", "text"]
    assert [(p.line, p.column) for p in result.problems.rejected] == [(3, "Source url")]
    assert sorted((p.line, p.column) for p in result.problems.unreadable_cells) == [(4, "First seen"),
                                                                                    (4, "Page ascore")]
    for name, dtype in KINDS["backlinks"].dtypes.items():
        assert str(out[name].dtype) == dtype, name


def test_gap_columns_per_domain_are_melted():
    header = ["Domain", "Domain ascore", "Matches", "me.com", "rival.com"]
    result = canonicalize(raw([["x.com", "50", "1", "0", "3"]], header), detect_kind(header))
    assert result.compared_domains == ("me.com", "rival.com")
    assert result.frame[["compared_domain", "backlinks"]].values.tolist() == [["me.com", 0], ["rival.com", 3]]
    assert result.frame["backlinks"].dtype == "Int64"


def test_unknown_column_named_like_a_derived_one_is_kept_apart():
    header = ["Domain", "Backlinks", "Root domain"]
    result = canonicalize(raw([["blog.x.com", "3", "theirs"]], header), match_header(header, KINDS["referring_domains"]))
    assert result.frame["root_domain"].tolist() == ["x.com"]
    assert result.frame["extra_root_domain"].tolist() == ["theirs"]
    assert result.frame.columns.is_unique


def test_a_file_column_named_link_key_neither_replaces_nor_feeds_the_computed_key():
    header = ["Source url", "Target url", "Link key"]
    rows = [["https://a.com/x", "https://me.com/", "7"], ["https://b.org/y", "https://me.com/", "7"]]
    result = canonicalize(raw(rows, header), match_header(header, KINDS["backlinks"]))
    assert result.frame["link_key"].dtype == "uint64"
    assert result.frame["link_key"].nunique() == 2  # hashed from the URLs, not the file's "7"
    assert result.frame["extra_link_key"].tolist() == ["7", "7"]
