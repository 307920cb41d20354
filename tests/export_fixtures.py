"""Small Semrush export files built in code, with the headers Semrush writes (docs: semrush-formats.md)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

HEADERS: dict[str, list[str]] = {
    "backlinks": ["Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links",
                  "Internal links", "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image", "Sitewide",
                  "First seen", "Last seen", "New link", "Lost link"],
    "referring_domains": ["Domain ascore", "Domain", "Backlinks", "IP", "Country", "First seen", "Last seen"],
    "anchors": ["Anchor", "Domains", "Backlinks", "First seen", "Last seen"],
    "indexed_pages": ["Title", "Url", "Domains", "Backlinks", "Response code"],
    "referring_ips": ["IP", "Country", "Domains", "Backlinks", "First seen", "Last seen"],
    "tld": ["Zone", "Domains", "Backlinks"],
    "geo": ["Country", "Domains", "Backlinks"],
    "audit": ["Source url", "Source title", "Target url", "Anchor", "Toxicity Score", "Toxic markers", "Status",
              "Page ascore", "Nofollow", "First seen", "Last seen"],
    "gap": ["Domain", "Domain ascore", "Matches", "mysite.com", "rival-one.com", "rival-two.com"],
    "gap_backlinks": ["Source url", "Source title", "Page ascore", "Matches", "mysite.com", "rival-one.com"],
}

ROWS: dict[str, list[list[str]]] = {
    "backlinks": [
        ["57", "Best tools, reviewed", "https://blog.example.org/tools", "https://mysite.com/", "my site", "12", "40",
         "false", "false", "false", "true", "false", "false", "false", "false", "2024-01-05", "2024-05-01",
         "false", "false"],
        ["23", "Forum thread", "http://forum.test.co.uk/t/1", "https://mysite.com/pricing", "", "80", "3",
         "true", "false", "true", "false", "false", "false", "true", "true", "2023-11-20", "2024-05-02",
         "true", "false"],
    ],
    "referring_domains": [
        ["61", "example.org", "14", "93.184.216.34", "US", "2023-02-01", "2024-05-01"],
        ["12", "www.forum.test.co.uk", "3", "10.0.0.1", "GB", "2024-03-01", "2024-05-03"],
    ],
    "anchors": [["my site", "4", "10", "2023-01-01", "2024-05-01"], ["click here", "2", "3", "2024-01-01",
                                                                        "2024-04-01"]],
    "indexed_pages": [["Home", "https://mysite.com/", "40", "120", "200"],
                      ["Pricing", "https://mysite.com/pricing", "3", "9", "301"]],
    "referring_ips": [["93.184.216.34", "US", "3", "17", "2023-01-01", "2024-05-01"],
                      ["10.0.0.1", "GB", "1", "2", "2024-02-02", "2024-05-02"]],
    "tld": [["com", "120", "900"], ["org", "30", "77"]],
    "geo": [["US", "80", "400"], ["DE", "12", "40"]],
    "audit": [
        ["https://spam.example.xyz/p", "Cheap links", "https://mysite.com/", "buy", "72", "Link network; Spammy TLD",
         "disavow", "3", "false", "2024-01-01", "2024-05-01"],
        ["https://blog.example.org/tools", "Tools", "https://mysite.com/", "my site", "5", "", "", "57", "false",
         "2024-01-05", "2024-05-01"],
    ],
    "gap": [["example.org", "61", "2", "3", "0", "5"], ["news.test", "40", "3", "1", "2", "2"]],
    "gap_backlinks": [["https://example.org/a", "A", "30", "1", "0", "2"],
                      ["https://news.test/b", "B", "20", "2", "1", "1"]],
}


def quote(cell: str, delimiter: str = ",") -> str:
    if any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    lines = [delimiter.join(quote(c, delimiter) for c in row) for row in [header, *rows]]
    return newline.join(lines) + newline


def export_csv(kind: str, delimiter: str = ",", rows: list[list[str]] | None = None) -> str:
    return csv_text(HEADERS[kind], ROWS[kind] if rows is None else rows, delimiter)


def xlsx_bytes(rows: list[list[object]], *, sheets_before: int = 0, first_row: int = 1) -> bytes:
    """A workbook whose data sheet holds `rows` from spreadsheet row `first_row`, after `sheets_before` empty sheets."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for n in range(sheets_before):
        sheet.title = f"Empty {n + 1}"
        sheet = book.create_sheet("Data")
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], directories: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for directory in directories:
            archive.writestr(zipfile.ZipInfo(directory.rstrip("/") + "/"), b"")
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def backlink_row(**changes: str) -> list[str]:
    """The first sample backlink with some cells changed, by header."""
    row = list(ROWS["backlinks"][0])
    for header, value in changes.items():
        row[HEADERS["backlinks"].index(header.replace("_", " "))] = value
    return row


SAMPLE_DATETIME = datetime(2024, 5, 17, 8, 12)
