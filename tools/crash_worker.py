"""A process that writes to a Linkscope data directory in a loop, for tests that kill it mid-write.

Each completed write is acknowledged on stdout, one line at a time, only after it is durable
(the call returned, so its transaction committed): a test that SIGKILLs the process at a random
moment knows which writes must survive.

    LINKSCOPE_DATA_DIR=/tmp/x python -m tools.crash_worker import --workspace acme --rows 40000
    LINKSCOPE_DATA_DIR=/tmp/x python -m tools.crash_worker marks --workspace acme --start 0

`import` imports a generated backlinks export again and again (a new name each time, so it is
never skipped as a duplicate) and prints `imported <snapshot id> <rows>`. `marks` saves every kind of user
decision about domain `d<i>.example` — a mark, an audit decision (with its history row) and an outreach
prospect with a note — and sets a workspace setting to i, printing `saved <i>`. With --announce, the
import also prints `writing <file>` / `written <file>` around each snapshot file it writes; with --parts,
it writes each snapshot as a folder of Parquet parts (what a table of a million rows gets).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys

BACKLINKS_HEADER = ("Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,"
                    "Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link\n")


def backlinks_export(rows: int, seed: int = 1) -> bytes:
    """A Semrush backlinks export about acme.com with `rows` rows, the same for the same seed."""
    rng = random.Random(seed)
    lines = [BACKLINKS_HEADER]
    for i in range(rows):
        domain = f"site{rng.randrange(rows // 4 + 1)}.example"
        lines.append(f"{rng.randrange(100)},Page {i} about coffee,https://{domain}/post-{i},https://acme.com/p{i % 50},"
                     f"anchor {i % 300},{rng.randrange(50)},{rng.randrange(80)},{'true' if i % 3 else 'false'},"
                     "false,false,true,false,false,false,false,2024-01-10,2024-04-30,false,false\n")
    return "".join(lines).encode()


DECISION_CYCLE = ("keep", "remove", "disavow")


def _ack(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def announce_file_writes(pause_after_write: float = 0.0) -> None:
    """Print `writing` before a snapshot file is written and `written` once it is in place (its row not yet):
    a test that kills the process on these lines lands inside the write, or between file and row. A pause
    after the write holds that window open, as a slow disk or a busy database would."""
    import time

    from lib import db

    real = db.atomic_write_parquet

    def announced(frame, path):
        _ack(f"writing {path.name}")
        real(frame, path)
        _ack(f"written {path.name}")
        time.sleep(pause_after_write)

    db.atomic_write_parquet = announced


def run_imports(workspace_id: str, rows: int) -> None:
    from lib import importer
    from lib.workspaces import get_workspace

    workspace = get_workspace(workspace_id)
    data = backlinks_export(rows)
    tag = random.randrange(10**9)
    for i in itertools.count():
        [outcome] = importer.import_bytes(workspace, data, f"acme.com-backlinks-{tag}-{i}.csv")
        if outcome.snapshot is None:
            raise SystemExit(f"import failed: {outcome.error}")
        _ack(f"imported {outcome.snapshot.id} {outcome.snapshot.rows}")


def run_marks(workspace_id: str, start: int) -> None:
    from lib import decisions, marks, outreach
    from lib.workspaces import set_setting

    for i in itertools.count(start):
        domain = f"d{i}.example"
        marks.set_marks(workspace_id, domain, "good" if i % 2 else "review", note=f"note {i}")
        decisions.set_decisions(workspace_id, [domain], DECISION_CYCLE[i % 3], note=f"why {i}")
        outreach.add_prospects(workspace_id, [domain], "manual", notes={domain: f"pitch {i}"})
        set_setting(workspace_id, "crash_counter", i)
        _ack(f"saved {i}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("import", "marks"))
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--announce", action="store_true", help="print `writing` / `written` around file writes")
    parser.add_argument("--pause-after-write", type=float, default=0.0, help="seconds between file and row")
    parser.add_argument("--parts", action="store_true",
                        help="write every snapshot as a folder of Parquet parts, as long tables are written")
    args = parser.parse_args(argv)
    if args.parts:
        from lib import db

        db.PARALLEL_PARQUET_MIN_ROWS = 2
    if args.announce:
        announce_file_writes(args.pause_after_write)
    if args.mode == "import":
        run_imports(args.workspace, args.rows)
    else:
        run_marks(args.workspace, args.start)


if __name__ == "__main__":
    main()
