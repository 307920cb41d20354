"""The benchmark: `python -m bench.run --rows 100000 1000000 --repeat 5`.

Generates Semrush-format exports (bench/generate.py), then measures on them, in one run:
  import      import end to end in fresh processes, its peak RSS, and the baselines on the same file
              (pandas.read_csv, DuckDB read_csv_auto)
  reopen      loading the stored snapshots of an imported workspace (Parquet)
  analyses    the analyses behind each page, and the backlink gap of five domains
  pages       AppTest runs: each page's first open, cached reruns, a filter change on Referring domains,
              and the most table rows any page sends to the browser
and prints one Markdown table (also saved as bench/out/results-<rows>.md and .json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from bench.measure import Result, table, timed

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GROUPS = ("import", "reopen", "analyses", "pages")
PANDAS = "baseline: pandas.read_csv"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _worker(mode: str, path: str, own: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.worker", mode, path, own], cwd=REPO, capture_output=True,
                          text=True, timeout=1800)
    if done.returncode:
        raise RuntimeError(f"bench.worker {mode} failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_import(exports, size: str, repeat: int) -> list[Result]:
    pandas = Result(PANDAS, size, ratio_to=PANDAS, group="import")
    duck = Result("baseline: DuckDB read_csv_auto (to pandas)", size, ratio_to=PANDAS, group="import")
    imported = Result("import end to end (read, normalise, domains, store)", size, ratio_to=PANDAS,
                      ratio_target=2.5, group="import")
    rss = Result("import peak RSS", size, unit="MB", target=1500, group="import")
    pandas_rss = Result("baseline peak RSS: pandas.read_csv", size, unit="MB", group="import")
    for i in range(repeat):
        # Interleaved, so a burst of load from elsewhere on the machine hits every job alike.
        for mode, row, memory in (("pandas", pandas, pandas_rss), ("duckdb", duck, None), ("import", imported, rss)):
            found = _worker(mode, exports.backlinks, exports.own_domain)
            row.values.append(found["seconds"])
            if memory is not None:
                memory.values.append(found["peak_rss_mb"])
            log(f"  {mode} #{i + 1}: {found['seconds']:.3f} s, peak RSS {found['peak_rss_mb']:.0f} MB")
    return [pandas, duck, imported, rss, pandas_rss]


def measure_reopen(bench, size: str, repeat: int) -> list[Result]:
    from lib import snapshots

    latest = bench.snapshot("backlinks")
    every = [*bench.history("backlinks"), bench.snapshot("referring_domains"), bench.snapshot("anchors")]
    one = Result("re-open: load the latest Backlinks snapshot (Parquet)", size, target=1.0, ratio_to=PANDAS,
                 group="reopen")
    one.values = timed(lambda: snapshots.load_frame(latest, bench.root), repeat)
    # What the pages of a re-opened workspace load: both Backlinks snapshots, Referring Domains, Anchors.
    all_ = Result("re-open: load every snapshot the pages read (4 snapshots)", size, target=1.0, ratio_to=PANDAS,
                  group="reopen")
    all_.values = timed(lambda: [snapshots.load_frame(s, bench.root) for s in every], repeat)
    return [one, all_]


def measure_analyses(bench, size: str, repeat: int, gap_size: int) -> list[Result]:
    from bench import analyses
    from bench.workspace import gap_frames

    frames = analyses.Frames(bench)
    analyses.store_earlier_trend_points(frames)
    results = []
    for name, func in analyses.PAGE_ANALYSES.items():
        # The ratio to pandas.read_csv (when the import group ran) compares runs on machines of other speeds.
        row = Result(f"analysis: {name}", size, target=1.0, ratio_to=PANDAS, group="analyses")
        row.values = timed(lambda: func(frames), repeat)
        log(f"  {row.name}: median {row.median:.3f} s")
        results.append(row)
    row = Result(f"analysis: backlink gap of 5 domains × {gap_size:,} referring domains", f"5 × {gap_size:,}",
                 target=1.0, group="analyses")
    gap_lists = gap_frames(bench.exports)
    runner = analyses.gap_runner(gap_lists, bench.exports.own_domain)
    if isinstance(runner, str):
        row.note = runner
    else:
        row.values = timed(runner, repeat)
    results.append(row)
    row = Result(f"analysis: gap opportunities risk-scored and prioritised (5 × {gap_size:,}, "
                 f"the site's backlinks)", f"5 × {gap_size:,}", target=1.0, group="analyses")
    runner = analyses.gap_scoring_runner(gap_lists, bench.exports.own_domain, frames.backlinks)
    if isinstance(runner, str):
        row.note = runner
    else:
        row.values = timed(runner, repeat)
        log(f"  {row.name}: median {row.median:.3f} s")
    results.append(row)
    return results


def measure_pages(bench, size: str, repeat: int) -> list[Result]:
    from bench import apptest
    from ui.tables import MAX_ROWS

    results = []
    largest = Result("most table rows any page sends to the browser", size, unit="rows", target=MAX_ROWS,
                     group="pages")
    filter_row = None
    for page in apptest.pages():
        log(f"  AppTest {page}…")
        times = apptest.measure_page(page, bench.root, repeat)
        label = page.replace("_", " ")
        first = Result(f"page first open, empty caches: {label}", size, ratio_to=PANDAS, group="pages")
        cached = Result(f"cached rerun: {label}", size, target=0.150, group="pages")
        if times.error:
            first.note = cached.note = f"error: {times.error}"
        if times.first is not None:
            first.values = [times.first]
        cached.values = times.cached
        if times.table_rows is not None:
            largest.values.append(times.table_rows)
        results += [first, cached]
        if page == "referring_domains":
            filter_row = Result("filter change rerun: referring domains", size, target=0.300, group="pages",
                                note=first.note)
            filter_row.values = times.filter_change
    if filter_row is not None:
        results.append(filter_row)
    largest.values = [max(largest.values)] if largest.values else []
    results.append(largest)
    return results


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) / 2**20
    import duckdb
    import pandas
    import pyarrow
    import streamlit

    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, load average {os.getloadavg()[0]:.1f}; "
            f"Python {platform.python_version()}, pandas {pandas.__version__}, pyarrow {pyarrow.__version__}, "
            f"DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}")


def run_size(rows: int, repeat: int, groups: set[str], out: Path, gap_domains: int | None) -> list[Result]:
    from bench import generate
    from bench.workspace import build

    size = f"{rows:,}"
    log(f"[{size}] generating exports…")
    exports = generate.generate(rows, out / "data", gap_domains)
    gap_size = gap_domains or generate.default_gap_domains(rows)
    results: list[Result] = []
    if "import" in groups:
        log(f"[{size}] import and baselines, {repeat}× each in fresh processes…")
        results += measure_import(exports, size, repeat)
    if groups & {"reopen", "analyses", "pages"}:
        log(f"[{size}] building the bench workspace…")
        bench = build(exports, out / "work" / str(rows))
        if "reopen" in groups:
            results += measure_reopen(bench, size, repeat)
        if "analyses" in groups:
            log(f"[{size}] analyses…")
            results += measure_analyses(bench, size, repeat, gap_size)
        if "pages" in groups:
            log(f"[{size}] pages in AppTest…")
            results += measure_pages(bench, size, repeat)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000],
                        help="backlinks per export; several sizes run one after another (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement (default 5)")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups to run, of {', '.join(GROUPS)} (default all)")
    parser.add_argument("--gap-domains", type=int, default=None,
                        help="referring domains per gap site (default rows/5, at most 200,000)")
    parser.add_argument("--out", type=Path, default=BENCH / "out",
                        help="generated files, workspaces and results (default bench/out, git-ignored)")
    args = parser.parse_args(argv)
    groups = {g.strip() for g in args.only.split(",") if g.strip()}
    if groups - set(GROUPS):
        parser.error(f"unknown group(s) {sorted(groups - set(GROUPS))}; choose from {', '.join(GROUPS)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    where = machine()
    results: list[Result] = []
    for rows in args.rows:
        results += run_size(rows, args.repeat, groups, out, args.gap_domains)
    text = table(results)
    print(f"Machine: {where}\nRepetitions: {args.repeat}\n")
    print(text)
    stem = out / f"results-{'-'.join(str(r) for r in args.rows)}"
    stem.with_suffix(".md").write_text(f"Machine: {where}\n\n{text}\n")
    stem.with_suffix(".json").write_text(json.dumps({"machine": where, "repeat": args.repeat,
                                                     "results": [asdict(r) for r in results]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
