"""The benchmark runs end to end on a tiny size and prints every measured row; its exports are real exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.analyses import PAGE_ANALYSES
from bench.generate import generate
from bench.measure import COLUMNS
from lib.readers import read_export

REPO = Path(__file__).resolve().parent.parent
CORE_PAGES = ("overview", "referring domains", "anchors", "new lost", "history")


def test_generated_exports_read_as_clean_semrush_exports(tmp_path: Path):
    exports = generate(2_000, tmp_path)
    tables = {}
    for kind, path in (("backlinks", exports.backlinks), ("backlinks", exports.backlinks_previous),
                       ("referring_domains", exports.referring_domains), ("anchors", exports.anchors),
                       *(("referring_domains", p) for p in exports.gap.values())):
        (table,) = read_export(Path(path).read_bytes(), Path(path).name)
        assert table.normalized.kind.name == kind, path
        assert table.normalized.problems.rejected_total == 0 and table.normalized.problems.unreadable_total == 0
        tables[path] = table.normalized.frame
    backlinks = tables[exports.backlinks]
    refdomains = tables[exports.referring_domains]
    anchors = tables[exports.anchors]
    assert len(backlinks) == 2_000
    # The three exports describe the same links: one referring-domains row per linking domain,
    # anchor counts adding up to the backlinks.
    assert set(backlinks["source_domain"]) == set(refdomains["domain"])
    assert refdomains["backlinks"].sum() == 2_000 == anchors["backlinks"].sum()
    # A month earlier some links were not there yet, and some have vanished since.
    previous = tables[exports.backlinks_previous]
    assert 0 < len(set(previous["source_url"]) - set(backlinks["source_url"])) < len(previous)
    assert 0 < len(set(backlinks["source_url"]) - set(previous["source_url"]))
    assert all(len(tables[p]) == 500 for p in exports.gap.values())
    assert generate(2_000, tmp_path) == exports  # reused, not rewritten


def _rows(stdout: str) -> tuple[list[str], dict[str, list[str]]]:
    lines = [line for line in stdout.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:  # after the header and its --- line
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells
    return header, rows


def _row(rows: dict[str, list[str]], prefix: str) -> list[str]:
    found = [cells for name, cells in rows.items() if name.startswith(prefix)]
    assert len(found) == 1, (prefix, list(rows))
    return found[0]


def test_benchmark_prints_every_measurement(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "bench.run", "--rows", "2000", "--repeat", "1", "--out",
                           str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    header, rows = _rows(done.stdout)
    assert header == list(COLUMNS)
    measured = ["baseline: pandas.read_csv", "baseline: DuckDB read_csv_auto", "import end to end",
                "import peak RSS", "baseline peak RSS", "re-open: load the latest Backlinks snapshot",
                "re-open: load every snapshot", *(f"analysis: {name}" for name in PAGE_ANALYSES),
                *(f"page first open, empty caches: {page}" for page in CORE_PAGES),
                *(f"cached rerun: {page}" for page in CORE_PAGES),
                "filter change rerun: referring domains", "most table rows any page sends to the browser"]
    for prefix in measured:
        cells = _row(rows, prefix)
        assert cells[1] == "2,000"
        assert cells[2] != "—" and cells[3] != "—", cells  # min and median measured
    for prefix in ("analysis: backlink gap of 5 domains", "analysis: gap opportunities risk-scored and prioritised"):
        cells = _row(rows, prefix)
        assert cells[1] == "5 × 500"  # five referring-domain lists of the smallest size, 500 each
        assert cells[2] != "—" and cells[3] != "—", cells
    # Ratios to the same run's pandas.read_csv, and a verdict wherever the issue sets a target.
    assert _row(rows, "baseline: pandas.read_csv")[5] == "1.00×"
    for prefix in ("baseline: DuckDB", "import end to end", "re-open: load the latest"):
        assert _row(rows, prefix)[5].endswith("×") and float(_row(rows, prefix)[5][:-1]) > 0
    for prefix in ("import end to end", "import peak RSS", "analysis: overview", "cached rerun: overview",
                   "filter change rerun", "most table rows"):
        assert _row(rows, prefix)[6] in ("pass", "FAIL")
    assert _row(rows, "most table rows")[6] == "pass"
    saved = json.loads((tmp_path / "results-2000.json").read_text())
    assert len(saved["results"]) == len(rows)


def test_a_workers_peak_memory_is_its_own_not_the_parents(tmp_path: Path):
    from bench.run import _worker

    exports = generate(2_000, tmp_path)
    held = bytearray(600 * 2**20)  # the bench run's own memory, e.g. after generating a large export
    held[::4096] = b"\x01" * len(held[::4096])  # touched, so it is resident
    found = _worker("pandas", exports.backlinks, exports.own_domain)
    # Reading 2,000 rows takes a fraction of that: a figure near 600 MB is the parent's peak, inherited.
    assert 0 < found["peak_rss_mb"] < 400, found
    del held


def test_bench_reruns_compile_the_script_once_as_a_server_does(tmp_path: Path, monkeypatch):
    # AppTest makes a new ScriptCache per run; a server's Runtime keeps one, so a rerun does not recompile.
    import builtins

    from streamlit.runtime.scriptrunner import script_cache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    from bench.apptest import _OneScriptCache

    script = tmp_path / "page.py"
    script.write_text("import streamlit as st\nst.write('hello')\n")
    compiled = []

    def counting(source, filename, *args, **kwargs):
        compiled.append(filename)
        return builtins.compile(source, filename, *args, **kwargs)

    monkeypatch.setattr(script_cache, "compile", counting, raising=False)
    with _OneScriptCache():
        at = AppTest.from_file(str(script))
        for _ in range(3):
            at.run()
            assert at.markdown[0].value == "hello"
    assert compiled.count(str(script)) == 1
    at.run()  # outside the bench harness: AppTest's own behaviour again
    assert compiled.count(str(script)) == 2
    assert app_test.ScriptCache is script_cache.ScriptCache is local_script_runner.ScriptCache
