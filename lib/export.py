"""Downloads a spreadsheet can open safely.

Anchors, titles and URLs come from other people's websites. A cell that starts with
=, +, -, @ (or a tab / carriage return) would be run as a formula by Excel or Sheets, so it
is prefixed with an apostrophe, which spreadsheets show as text (OWASP's CSV-injection advice).
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A text already starting with an apostrophe gets one more, so that reading a file back (lib.outreach) can
# always take exactly one away: "'=x" typed by a user survives the round trip instead of becoming "=x".
GUARDED_START = (*FORMULA_START, "'")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row


def escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(GUARDED_START):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as formulas; numbers, dates and booleans are untouched."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            text = series.astype("str")
            risky = text.str.startswith(GUARDED_START) & series.notna()
            if risky.any():
                safe[column] = series.where(~risky, "'" + text)
    safe.columns = [escape_cell(str(c)) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so Excel reads accents and non-Latin anchors correctly.
    return spreadsheet_safe(frame).to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Linkscope") -> bytes:
    if len(frame) > XLSX_MAX_ROWS:
        raise ValueError(f"{len(frame):,} rows do not fit in one Excel sheet (at most {XLSX_MAX_ROWS:,}); "
                         "download the CSV instead.")
    safe = spreadsheet_safe(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()
