"""Disavow files: every rule of Google's format checked by parsing the generated file back; limits; import."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib import disavow
from lib.disavow import DisavowError, compare_disavow, disavow_bytes, disavow_lines, parse_disavow

TODAY = date(2024, 5, 20)


def frame(*rows: tuple) -> pd.DataFrame:
    """Rows of (item, scope, decision, note, decided_at)."""
    return pd.DataFrame({
        "item": [r[0] for r in rows], "scope": [r[1] for r in rows], "decision": [r[2] for r in rows],
        "note": [r[3] for r in rows], "decided_at": pd.to_datetime([r[4] for r in rows]),
        "source": ["manual"] * len(rows)})


DECIDED = frame(
    ("spam.xyz", "domain", "disavow", "link farm", "2024-05-01 10:00"),
    ("cheap-links.top", "domain", "disavow", "", "2024-05-02 09:00"),
    ("friend.com", "domain", "keep", "a real blog", "2024-05-02 09:00"),
    ("ask.com", "domain", "remove", "asked by mail", "2024-05-02 09:00"),
    ("nobody.net", "domain", "undecided", "", "2024-05-02 09:00"),
    ("https://forum.example.org/thread?id=7", "url", "disavow", "paid post", "2024-05-03 12:00"),
    ("https://blog.spam.xyz/post", "url", "disavow", "covered by the domain", "2024-05-03 12:00"),
)


def test_generated_file_parses_back_to_exactly_the_disavow_decisions():
    data = disavow_bytes(DECIDED, TODAY, reasons={"cheap-links.top": "risk 65: spam_tld; low_authority"})
    parsed = parse_disavow(data)
    assert parsed.problems == []
    assert parsed.duplicates == 0
    # Only disavow decisions; a URL on a disavowed domain is covered by its domain line.
    assert sorted(e.text for e in parsed.entries) == [
        "domain:cheap-links.top", "domain:spam.xyz", "https://forum.example.org/thread?id=7"]


def test_format_rules_line_by_line():
    data = disavow_bytes(DECIDED, TODAY, reasons={"cheap-links.top": "risk 65: spam_tld"})
    text = data.decode("utf-8")  # UTF-8, no BOM
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    assert lines == disavow_lines(DECIDED, TODAY, reasons={"cheap-links.top": "risk 65: spam_tld"})
    for line in lines:  # each line is a comment, a domain: entry or one full URL
        assert line.startswith("#") or line.startswith("domain:") or line.startswith("https://")
        assert line == line.strip() and " " not in (line if not line.startswith("#") else "")
    assert lines[0].startswith("# Disavow file written by Linkscope on 2024-05-20: 3 entries (2 domains)")
    # A comment with the decision date and the reason precedes each group of entries.
    assert lines[2:] == [
        "# 2024-05-01 link farm", "domain:spam.xyz",
        "# 2024-05-02 risk 65: spam_tld", "domain:cheap-links.top",
        "# 2024-05-03 paid post", "https://forum.example.org/thread?id=7",
    ]


def test_entries_are_deduplicated_and_cleaned():
    decided = frame(("WWW.Spam.xyz", "domain", "disavow", "a", "2024-05-01"),
                    ("spam.xyz", "domain", "disavow", "b", "2024-05-01"),
                    ("HTTPS://Other.com/Page", "url", "disavow", "", "2024-05-01"),
                    ("https://other.com/Page", "url", "disavow", "", "2024-05-01"))
    entries = [line for line in disavow_lines(decided, TODAY) if not line.startswith("#")]
    assert entries == ["domain:spam.xyz", "https://other.com/Page"]


def test_no_disavow_decisions_gives_only_the_header():
    lines = disavow_lines(DECIDED[DECIDED["decision"] != "disavow"], TODAY)
    assert parse_disavow("\n".join(lines)).entries == []
    assert all(line.startswith("#") for line in lines) and len(lines) == 2
    assert parse_disavow("\n".join(disavow_lines(disavow_empty(), TODAY))).entries == []


def disavow_empty() -> pd.DataFrame:
    return frame()


@pytest.mark.parametrize("evil", [
    "spam\ndomain:victim.com", "spam\rdomain:victim.com", "spam\r\nhttps://victim.com/", "spam\u2028domain:v.com",
    "spam\u2029domain:v.com", "spam\x85domain:v.com", "spam\x0bdomain:v.com", "spam\x0cdomain:v.com",
    "spam\x00domain:v.com",
])
def test_a_reason_or_note_can_never_inject_an_entry(evil):
    decided = frame(("spam.xyz", "domain", "disavow", evil, "2024-05-01"))
    data = disavow_bytes(decided, TODAY, reasons={"spam.xyz": evil})
    text = data.decode("utf-8")
    assert [e.text for e in parse_disavow(data).entries] == ["domain:spam.xyz"]
    # No reader's notion of a line break finds a line that is not a comment or our one entry.
    assert [line for line in text.splitlines() if not line.startswith("#")] == ["domain:spam.xyz"]


def test_too_many_lines_is_refused_with_the_limit_named():
    rows = [(f"https://spam.test/p{i}", "url", "disavow", "", "2024-05-01") for i in range(disavow.MAX_LINES)]
    with pytest.raises(DisavowError, match=r"100,003 lines; Google accepts at most 100,000"):
        disavow_lines(frame(*rows), TODAY)


def test_too_many_bytes_is_refused_with_the_limit_named():
    path = "a" * 1900
    rows = [(f"https://spam.test/{path}{i}", "url", "disavow", "", "2024-05-01") for i in range(1100)]
    with pytest.raises(DisavowError, match=r"2\.\d\d MB; Google accepts at most 2 MB"):
        disavow_bytes(frame(*rows), TODAY)


def test_overlong_url_is_refused():
    with pytest.raises(DisavowError, match="2,048"):
        disavow_lines(frame(("https://spam.test/" + "x" * 2100, "url", "disavow", "", "2024-05-01")), TODAY)


def test_just_within_the_limits_is_accepted():
    rows = [(f"s{i}.test", "domain", "disavow", "", "2024-05-01") for i in range(disavow.MAX_LINES - 3)]
    lines = disavow_lines(frame(*rows), TODAY)
    assert len(lines) == disavow.MAX_LINES


def test_parse_is_liberal_and_reports_problems_by_line():
    text = ("\ufeff# my old file\r\n"
            "\r\n"
            "DOMAIN:Spam.XYZ\r\n"
            "  domain: www.other.top  \r\n"
            "domain:https://third.net/path\r\n"
            "https://Forum.Example.org/t?id=1\r\n"
            "bare-domain.com\r\n"
            "domain:spam.xyz\r\n"
            "ftp://files.example.com/x\r\n"
            "domain:not a domain\r\n")
    parsed = parse_disavow(text.encode("utf-8"))
    assert [(e.line, e.text) for e in parsed.entries] == [
        (3, "domain:spam.xyz"), (4, "domain:other.top"), (5, "domain:third.net"),
        (6, "https://forum.example.org/t?id=1")]
    assert parsed.comments == 1 and parsed.duplicates == 1
    assert [line for line, _ in parsed.problems] == [7, 9, 10]
    assert "write 'domain:bare-domain.com'" in parsed.problems[0][1]
    assert "neither a URL nor a domain" in parsed.problems[1][1]
    assert "not a valid domain" in parsed.problems[2][1]
    assert parsed.domains == ["spam.xyz", "other.top", "third.net"]
    assert parsed.urls == ["https://forum.example.org/t?id=1"]


def test_parse_reads_cr_only_utf16_and_reports_non_utf8():
    assert [e.text for e in parse_disavow("domain:a.com\rdomain:b.com").entries] == ["domain:a.com", "domain:b.com"]
    utf16 = parse_disavow("domain:a.com\n".encode("utf-16"))
    assert [e.text for e in utf16.entries] == ["domain:a.com"] and "UTF-16" in utf16.problems[0][1]
    latin = parse_disavow("# café\ndomain:b.com\n# caf\xe9\n".encode("cp1252"))
    assert [e.text for e in latin.entries] == ["domain:b.com"]
    assert latin.problems[0][0] == 1 and "not UTF-8" in latin.problems[0][1]


def test_parse_flags_files_beyond_googles_limits():
    too_long = parse_disavow("\n".join(f"domain:s{i}.test" for i in range(disavow.MAX_LINES + 1)))
    assert (0, "The file has more than 100,000 lines; Google would refuse it.") in too_long.problems
    fits = parse_disavow("\n".join(f"domain:s{i}.test" for i in range(disavow.MAX_LINES)) + "\n")
    assert fits.problems == [] and len(fits.entries) == disavow.MAX_LINES


def test_compare_lists_what_the_new_file_adds_and_removes():
    existing = parse_disavow("domain:spam.xyz\ndomain:old.top\nhttps://a.com/x\n")
    new = parse_disavow(disavow_bytes(DECIDED, TODAY))
    diff = compare_disavow(existing, new)
    assert diff.added == ["domain:cheap-links.top", "https://forum.example.org/thread?id=7"]
    assert diff.removed == ["domain:old.top", "https://a.com/x"]
    assert diff.unchanged == ["domain:spam.xyz"]


def test_import_entries_become_decisions(data_dir):
    from lib import decisions
    from lib.workspaces import create_workspace

    workspace_id = create_workspace("Site", "site.com").id
    decisions.set_decisions(workspace_id, "friend.com", "keep", "I know them")
    parsed = parse_disavow("# old\ndomain:spam.xyz\ndomain:friend.com\nhttps://forum.example.org/t?id=1\n")
    written = disavow.import_decisions(workspace_id, parsed, TODAY)
    assert written == {"domain": 1, "url": 1}
    table = decisions.decisions_for(workspace_id).set_index("item")
    assert table.loc["spam.xyz", ["decision", "source"]].tolist() == ["disavow", "import"]
    assert table.loc["https://forum.example.org/t?id=1", "scope"] == "url"
    assert table.loc["friend.com", "decision"] == "keep"  # a hand-made decision wins over the old file
    # The new file generated from those decisions keeps the imported entries.
    regenerated = parse_disavow(disavow_bytes(decisions.decisions_for(workspace_id), TODAY))
    assert compare_disavow(parsed, regenerated).removed == ["domain:friend.com"]
