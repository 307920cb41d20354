"""Semrush API answers (semicolon text, one header row) into raw string frames and canonical frames.

The road to the canonical model is the same as for export files: raw strings ->
`lib.schema.match_header` -> `lib.normalize.canonicalize`. Only the reading of the text differs.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from lib.normalize import Normalized, canonicalize
from lib.schema import match_header
from lib.semrush.errors import TruncatedResponse, UnreadableResponse
from lib.semrush.reports import Report, get_report


def check_complete(text: str) -> None:
    """Raise TruncatedResponse when the last line has fewer fields than the header.

    A cut inside the last field cannot be seen this way; httpx catches those when the
    Content-Length does not match, and the client retries both.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise TruncatedResponse(detail="empty answer")
    rows = list(csv.reader(io.StringIO("\n".join([lines[0], lines[-1]])), delimiter=";"))
    if len(rows) < 2 and len(lines) > 1:
        raise TruncatedResponse(detail="last line unreadable")
    if len(lines) > 1 and len(rows[-1]) < len(rows[0]):
        raise TruncatedResponse(detail=f"last line has {len(rows[-1])} of {len(rows[0])} fields")


def read_answer(text: str, report: str | Report) -> pd.DataFrame:
    """The answer as a frame of strings, headers as Semrush sent them (renamed where lib.schema lacks an alias)."""
    spec = get_report(report)
    problem = ""
    try:
        raw = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as error:
        problem = f"{type(error).__name__}: {str(error)[:200]}"
    if problem:  # raised outside the except block: nothing chained
        raise UnreadableResponse(detail=problem)
    return raw.rename(columns={c: spec.rename(c) for c in raw.columns})


def empty_answer(report: str | Report, export_columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """What ERROR 50 (nothing found) becomes: no rows, the requested header."""
    spec = get_report(report)
    return pd.DataFrame({spec.rename(c): pd.Series(dtype="str") for c in export_columns
                         if c not in spec.expanding_columns})


def normalize_answer(raw: pd.DataFrame, report: str | Report) -> Normalized:
    spec = get_report(report)
    headers = [str(c) for c in raw.columns]
    normalized = canonicalize(raw, match_header(headers, spec.kind))
    # lib.normalize leaves the gap kinds' melted `backlinks` as int64 (float64 with no per-target
    # column); lib.readers casts to the schema dtypes afterwards, and so must we for equal frames.
    frame = normalized.frame
    for name, dtype in spec.kind.dtypes.items():
        if name in frame.columns and str(frame[name].dtype) != dtype:
            frame[name] = frame[name].astype(dtype)
    return normalized
