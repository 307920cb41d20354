"""Command line: ``python -m lib.cli summarize FILE...`` and ``python -m lib.cli backup DIRECTORY``.

One JSON object per table (a ZIP may hold several) on its own line, with the rows rejected, the
cells that could not be read and the key figures of the table's kind. Exit status 0 when every file
was read (rejected rows included), 1 when any file could not be read at all; each such file gets
one line on stderr, and the files that could be read are still summarised.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from lib.readers import ExportError, ExportFile, read_export

TOXIC_FROM = 60  # Semrush's audit calls a toxicity score of 60 or more toxic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.cli", description="Linkscope command line tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    summarize = commands.add_parser(
        "summarize", help="read Semrush exports and print one JSON summary per table",
        description="Read Semrush export files (CSV, XLSX, ZIP) and print one JSON object per table: "
                    "kind, rows, rejected rows, unreadable cells and the key totals of that kind.")
    summarize.add_argument("files", nargs="+", metavar="FILE", help="export files to read")
    backup_command = commands.add_parser(
        "backup", help="write a consistent ZIP backup of the data directory",
        description="Write linkscope-backup-<time>.zip of the data directory (LINKSCOPE_DATA_DIR or ~/.linkscope) "
                    "into DIRECTORY; safe while the app runs. The API cache is left out.")
    backup_command.add_argument("directory", metavar="DIRECTORY", type=Path, help="where to write the ZIP")
    args = parser.parse_args(argv)
    if args.command == "backup":
        from lib.backup import backup

        print(backup(args.directory))
        return 0
    return _summarize(args.files)


def _summarize(files: list[str]) -> int:
    failed = 0
    for file in files:
        try:
            tables = read_export(Path(file).read_bytes(), file)
        except ExportError as error:
            failed += 1
            print(f"linkscope: {error}", file=sys.stderr)
            continue
        except OSError as error:
            failed += 1
            print(f"linkscope: {file} cannot be opened: {error.strerror or error}", file=sys.stderr)
            continue
        for table in tables:
            print(json.dumps(summary(table), ensure_ascii=False, allow_nan=False), flush=True)
    return 1 if failed else 0


def summary(table: ExportFile) -> dict[str, Any]:
    """The JSON-ready summary of one table."""
    normalized = table.normalized
    problems = normalized.problems
    return {
        "file": table.name,
        "kind": normalized.kind.name,
        "rows": len(normalized.frame),
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "date_hint": table.date_hint.isoformat() if table.date_hint else None,
        "rejected": [{"line": p.line, "reason": p.reason} for p in problems.rejected],
        "rejected_total": problems.rejected_total,
        "unreadable_cells": [{"line": p.line, "column": p.column, "reason": p.reason}
                             for p in problems.unreadable_cells],
        "unreadable_total": problems.unreadable_total,
        "totals": totals(normalized.kind.name, normalized.frame, normalized.compared_domains),
    }


def totals(kind: str, frame: pd.DataFrame, compared_domains: tuple[str, ...] = ()) -> dict[str, Any]:
    """Key figures of a canonical frame, as plain JSON values (ints, floats, ISO dates or None)."""
    if kind == "backlinks":
        out = {
            "backlinks": len(frame),
            "referring_domains": _distinct(frame["source_domain"]),
            "follow": int((~frame["nofollow"]).sum()),
            "nofollow": int(frame["nofollow"].sum()),
            "new": int(frame["new_link"].sum()),
            "lost": int(frame["lost_link"].sum()),
            "first_seen_min": _iso(frame["first_seen"].min()),
            "last_seen_max": _iso(frame["last_seen"].max()),
        }
    elif kind == "referring_domains":
        out = {
            "referring_domains": _distinct(frame["domain"]),
            "backlinks": _sum(frame["backlinks"]),
            "median_domain_ascore": _number(frame["domain_ascore"].median()),
        }
    elif kind == "anchors":
        out = {"anchors": len(frame), "backlinks": _sum(frame["backlinks"]), "domains": _sum(frame["domains"])}
    elif kind == "audit":
        out = {
            "backlinks": len(frame),
            "referring_domains": _distinct(frame["source_domain"]),
            "toxic": int((frame["toxicity_score"] >= TOXIC_FROM).fillna(False).sum()),
        }
    elif kind == "gap":
        out = {
            "referring_domains": _distinct(frame["domain"]),
            "compared_domains": len(compared_domains),
            "compared_domain_names": list(compared_domains),
        }
    else:
        out = {"rows": len(frame)}
        for column in ("domains", "backlinks"):
            if column in frame:
                out[column] = _sum(frame[column])
        if compared_domains:
            out["compared_domains"] = len(compared_domains)
    return out


def _distinct(values: pd.Series) -> int:
    return int(values[values.astype("str") != ""].nunique())


def _sum(values: pd.Series) -> int:
    return int(values.sum(skipna=True))


def _number(value: object) -> float | int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _iso(value: object) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
