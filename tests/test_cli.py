"""python -m lib.cli, run as a subprocess from the repository root."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.export_fixtures import HEADERS, ROWS, backlink_row, csv_text, export_csv, xlsx_bytes, zip_bytes

REPO = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


def strict_json(line: str) -> dict:
    def refuse(constant: str):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(line, parse_constant=refuse)


def summaries(out: str) -> list[dict]:
    return [strict_json(line) for line in out.splitlines()]


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "summarize" in result.stdout
    result = run("summarize", "--help")
    assert result.returncode == 0
    assert "FILE" in result.stdout


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_backlinks_summary(tmp_path: Path) -> None:
    rows = [
        backlink_row(),
        backlink_row(Source_url="https://shop.example.org/x", Nofollow="true", New_link="true",
                     First_seen="2023-06-30", Last_seen="2024-05-20 10:30:00"),
        backlink_row(Source_url="https://other.net/", Lost_link="true", Page_ascore="high"),
        backlink_row() + ["surplus"],
        backlink_row(Source_url=""),
    ]
    path = tmp_path / "mysite.com-backlinks-2024-05-21.csv"
    path.write_bytes(export_csv("backlinks", rows=rows).encode("utf-8-sig"))
    result = run("summarize", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    (summary,) = summaries(result.stdout)
    assert summary == {
        "file": str(path),
        "kind": "backlinks",
        "rows": 3,
        "encoding": "utf-8-sig",
        "delimiter": ",",
        "date_hint": "2024-05-21T00:00:00",
        "rejected": [{"line": 5, "reason": "expected 19 fields, saw 20"}, {"line": 6, "reason": "empty 'Source url'"}],
        "rejected_total": 2,
        "unreadable_cells": [{"line": 4, "column": "Page ascore", "reason": "cannot read 'high' as int"}],
        "unreadable_total": 1,
        "totals": {"backlinks": 3, "referring_domains": 2, "follow": 2, "nofollow": 1, "new": 1, "lost": 1,
                   "first_seen_min": "2023-06-30", "last_seen_max": "2024-05-20T10:30:00"},
    }


def test_every_kind_has_its_totals(tmp_path: Path) -> None:
    paths = []
    for kind in HEADERS:
        path = tmp_path / f"{kind}.csv"
        path.write_text(export_csv(kind))
        paths.append(str(path))
    result = run("summarize", *paths)
    assert result.returncode == 0, result.stderr
    by_kind = {s["kind"]: s["totals"] for s in summaries(result.stdout)}
    assert list(by_kind) == list(HEADERS)
    assert by_kind["backlinks"] == {"backlinks": 2, "referring_domains": 2, "follow": 1, "nofollow": 1, "new": 1,
                                    "lost": 0, "first_seen_min": "2023-11-20", "last_seen_max": "2024-05-02"}
    assert by_kind["referring_domains"] == {"referring_domains": 2, "backlinks": 17, "median_domain_ascore": 36.5}
    assert by_kind["anchors"] == {"anchors": 2, "backlinks": 13, "domains": 6}
    assert by_kind["indexed_pages"] == {"rows": 2, "domains": 43, "backlinks": 129}
    assert by_kind["referring_ips"] == {"rows": 2, "domains": 4, "backlinks": 19}
    assert by_kind["tld"] == {"rows": 2, "domains": 150, "backlinks": 977}
    assert by_kind["geo"] == {"rows": 2, "domains": 92, "backlinks": 440}
    assert by_kind["audit"] == {"backlinks": 2, "referring_domains": 2, "toxic": 1}
    assert by_kind["gap"] == {"referring_domains": 2, "compared_domains": 3,
                              "compared_domain_names": ["mysite.com", "rival-one.com", "rival-two.com"]}
    assert by_kind["gap_backlinks"] == {"rows": 4, "backlinks": 4, "compared_domains": 2}


def test_empty_table_totals_are_valid_json(tmp_path: Path) -> None:
    for kind in ("backlinks", "referring_domains", "audit"):
        (tmp_path / f"{kind}.csv").write_text(csv_text(HEADERS[kind], []))
    result = run("summarize", *(str(tmp_path / f"{k}.csv") for k in ("backlinks", "referring_domains", "audit")))
    assert result.returncode == 0, result.stderr
    totals = [s["totals"] for s in summaries(result.stdout)]
    assert totals == [
        {"backlinks": 0, "referring_domains": 0, "follow": 0, "nofollow": 0, "new": 0, "lost": 0,
         "first_seen_min": None, "last_seen_max": None},
        {"referring_domains": 0, "backlinks": 0, "median_domain_ascore": None},
        {"backlinks": 0, "referring_domains": 0, "toxic": 0},
    ]


def test_zip_gives_one_line_per_table(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    path.write_bytes(zip_bytes({
        "anchors.csv": export_csv("anchors", ";").encode(),
        "refdomains.xlsx": xlsx_bytes([HEADERS["referring_domains"], *ROWS["referring_domains"]]),
        "__MACOSX/._anchors.csv": b"junk",
    }))
    result = run("summarize", str(path))
    assert result.returncode == 0, result.stderr
    lines = summaries(result.stdout)
    assert [(s["file"], s["kind"], s["rows"], s["delimiter"]) for s in lines] == [
        (f"{path}/anchors.csv", "anchors", 2, ";"),
        (f"{path}/refdomains.xlsx", "referring_domains", 2, None),
    ]


def test_unreadable_files_fail_but_readable_ones_are_printed(tmp_path: Path) -> None:
    good = tmp_path / "tld.csv"
    good.write_text(export_csv("tld"))
    wrong = tmp_path / "report.csv"
    wrong.write_text(csv_text(["Domain ascore", "First seen", "Last seen"], [["1", "2024-01-01", "2024-01-02"]]))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.csv"
    result = run("summarize", str(wrong), str(good), str(empty), str(missing))
    assert result.returncode == 1
    assert [s["kind"] for s in summaries(result.stdout)] == ["tld"]
    assert result.stderr.splitlines() == [
        f"linkscope: {wrong} is not a Semrush export: it looks most like a Referring Domains export but lacks "
        "the columns Domain, Backlinks",
        f"linkscope: {empty} is empty",
        f"linkscope: {missing} cannot be opened: No such file or directory",
    ]


def test_non_ascii_survives(tmp_path: Path) -> None:
    path = tmp_path / "anchors.csv"
    path.write_bytes(export_csv("anchors", rows=[["ça coûte", "1", "1", "", "bientôt"]]).encode("utf-16"))
    result = run("summarize", str(path))
    assert result.returncode == 0, result.stderr
    (summary,) = summaries(result.stdout)
    assert summary["encoding"] == "utf-16"
    assert summary["unreadable_cells"] == [{"line": 2, "column": "Last seen",
                                            "reason": "cannot read 'bientôt' as datetime"}]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_dates_out_of_range_are_unreadable_not_fatal(tmp_path: Path, value: str) -> None:
    path = tmp_path / "anchors.csv"
    path.write_text(export_csv("anchors", rows=[["a", "1", "1", value, "2024-01-01"]]))
    result = run("summarize", str(path))
    assert result.returncode == 0, result.stderr
    (summary,) = summaries(result.stdout)
    assert summary["unreadable_cells"] == [{"line": 2, "column": "First seen",
                                            "reason": f"cannot read {value!r} as datetime"}]
