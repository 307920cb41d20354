"""One timed job in a fresh process: `python -m bench.worker MODE FILE` prints a JSON line.

Each repetition runs in its own interpreter, so every job starts equally cold (libraries loaded,
nothing cached in Python) and its peak resident memory is its own: `VmHWM` of this process.
The job first runs once on the file's first 1,000 rows, untimed: a Streamlit server is a long-lived
process, so lazy imports and one-time set-up (pyarrow kernels, the public-suffix list) are not part
of what a user waits for. The clock then runs from reading the file to the result existing in
memory (baselines) or being stored (the import).

Modes:
  pandas   pandas.read_csv(FILE) into a DataFrame (the plain baseline)
  duckdb   DuckDB's read_csv_auto(FILE) into a pandas DataFrame
  import   lib.importer.import_bytes of FILE's bytes into a new workspace in a fresh data directory
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def _rss_mb() -> float:
    """Peak resident memory of this process in MB.

    Linux's `ru_maxrss` carries the parent's peak over fork and exec (a worker started by a bench run that
    had just generated its exports reported the parent's 502 MB for every job); `VmHWM` is the high-water
    mark of this process's own address space, which exec starts afresh.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _head(path: Path, lines: int = 1_001) -> Path:
    """The header and first rows of `path`, as a warm-up file."""
    out = Path(tempfile.mkdtemp(prefix="linkscope-bench-warm-")) / path.name
    with open(path, "rb") as source, open(out, "wb") as target:
        for _, line in zip(range(lines), source):
            target.write(line)
    return out


def run(mode: str, path: Path, own_domain: str, warm: bool = True) -> dict:
    if warm:
        head = _head(path)
        run(mode, head, own_domain, warm=False)
        import shutil

        shutil.rmtree(head.parent, ignore_errors=True)
    if mode == "pandas":
        import pandas as pd

        before = _rss_mb()
        started = time.perf_counter()
        rows = len(pd.read_csv(path))
    elif mode == "duckdb":
        import duckdb
        import pandas as pd  # noqa: F401  (loaded before the clock, as for the others)

        before = _rss_mb()
        started = time.perf_counter()
        with duckdb.connect() as conn:
            rows = len(conn.execute("SELECT * FROM read_csv_auto(?)", [str(path)]).df())
    elif mode == "import":
        from lib import importer
        from lib.workspaces import create_workspace

        root = Path(tempfile.mkdtemp(prefix="linkscope-bench-import-"))
        workspace = create_workspace("Bench import", own_domain, root=root)
        before = _rss_mb()
        started = time.perf_counter()
        outcomes = importer.import_bytes(workspace, path.read_bytes(), path.name, root=root)
        if len(outcomes) != 1 or outcomes[0].error or outcomes[0].snapshot is None:
            raise SystemExit(f"import failed: {[o.error for o in outcomes]}")
        rows = outcomes[0].rows
        elapsed = time.perf_counter() - started
        import shutil

        shutil.rmtree(root, ignore_errors=True)
        return {"mode": mode, "seconds": elapsed, "rows": rows, "peak_rss_mb": _rss_mb(), "start_rss_mb": before}
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    elapsed = time.perf_counter() - started
    return {"mode": mode, "seconds": elapsed, "rows": rows, "peak_rss_mb": _rss_mb(), "start_rss_mb": before}


if __name__ == "__main__":
    mode, file = sys.argv[1], Path(sys.argv[2])
    own = sys.argv[3] if len(sys.argv) > 3 else "example.com"
    print(json.dumps(run(mode, file, own)))
