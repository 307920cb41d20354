import io

import pandas as pd
from openpyxl import load_workbook

from lib import export


def frame():
    return pd.DataFrame({
        "anchor": ["=HYPERLINK(\"http://evil\")", "+cmd", "-2+3", "@SUM(A1)", "normal", "\tTAB"],
        "backlinks": pd.array([1, -2, 3, 4, 5, 6], dtype="Int64"),
        "first_seen": pd.to_datetime(["2024-01-01"] * 6),
    })


def test_formula_cells_are_prefixed_and_numbers_untouched():
    safe = export.spreadsheet_safe(frame())
    assert list(safe["anchor"]) == ["'=HYPERLINK(\"http://evil\")", "'+cmd", "'-2+3", "'@SUM(A1)", "normal",
                                    "'\tTAB"]
    assert list(safe["backlinks"]) == [1, -2, 3, 4, 5, 6]


def test_csv_round_trip_keeps_the_escaped_text():
    data = export.csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert back["anchor"].tolist()[0] == "'=HYPERLINK(\"http://evil\")"
    assert back["first_seen"].tolist()[0] == "2024-01-01"


def test_xlsx_cells_are_text_not_formulas():
    sheet = load_workbook(io.BytesIO(export.xlsx_bytes(frame()))).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    types = [row[0].data_type for row in sheet.iter_rows(min_row=2)]
    assert values[0] == "'=HYPERLINK(\"http://evil\")"
    assert "f" not in types  # no cell is stored as a formula
    assert sheet.cell(row=2, column=2).value == 1


def test_a_leading_apostrophe_gets_one_more_so_reading_back_is_exact():
    from lib.export import escape_cell

    assert escape_cell("'=x") == "''=x" and escape_cell("'hello") == "''hello"
    assert escape_cell("hello'") == "hello'" and escape_cell(5) == 5
