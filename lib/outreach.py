"""The outreach tracker: prospects (domains to ask for a link), their status, contact, notes and follow-ups.

Stored in SQLite per workspace and keyed by domain, so the list survives restarts and re-imports of data.
Every row carries a `version` that goes up on each change. A tab saves its edits with the versions it
loaded: a row another tab changed in the meantime is not overwritten but reported as a conflict, and all
other rows are written as row-level upserts in one transaction (optimistic concurrency). Two tabs editing
different rows therefore never lose each other's work, and the same row is never silently clobbered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lib import db, export
from lib.workspaces import DDL as WORKSPACE_DDL
from lib.workspaces import clean_domain, now_iso

STATUSES = ("new", "to contact", "contacted", "replied", "won", "declined")
STATUS_LABELS = {s: s.capitalize() for s in STATUSES}
# Where a prospect came from; free text in the table, these are the values the pages use.
SOURCES = ("gap", "referring domains", "lost links", "import", "manual")

DDL = WORKSPACE_DDL + """
CREATE TABLE IF NOT EXISTS outreach (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    contact TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    last_contact TEXT,
    next_follow_up TEXT,
    source TEXT NOT NULL DEFAULT '',
    target_url TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, domain)
);
"""

COLUMNS = ("domain", "status", "contact", "note", "last_contact", "next_follow_up", "source", "target_url",
           "added_at", "updated_at", "version")
TEXT_COLUMNS = ("domain", "status", "contact", "note", "source", "target_url")
DATE_COLUMNS = ("last_contact", "next_follow_up")
STAMP_COLUMNS = ("added_at", "updated_at")
# What a user edits; domain, source, the stamps and the version are the tracker's own.
EDITABLE = ("status", "contact", "note", "last_contact", "next_follow_up", "target_url")


def _clean_domains(domains: Iterable[str]) -> list[str]:
    cleaned = (clean_domain(str(d)) for d in domains if d is not None and not pd.isna(d))
    return list(dict.fromkeys(d for d in cleaned if d))


def add_prospects(workspace_id: str, domains: Iterable[str], source: str, root: Path | None = None, *,
                  notes: Mapping[str, str] | None = None, target_url: str | None = None) -> int:
    """Put domains on the outreach list with status "new"; returns how many were not on it before.

    Domains already on the list are left exactly as they are: adding a domain again from another page must
    never reset a status the user moved on (INSERT ... ON CONFLICT DO NOTHING).
    """
    names = _clean_domains([domains] if isinstance(domains, str) else domains)
    note_of = {clean_domain(str(k)): str(v).strip() for k, v in (notes or {}).items()}
    stamp = now_iso()
    with db.session(DDL, root) as conn, db.transaction(conn):
        before = conn.total_changes
        conn.executemany(
            "INSERT INTO outreach (workspace_id, domain, status, note, source, target_url, added_at, updated_at, "
            "version) VALUES (?, ?, 'new', ?, ?, ?, ?, ?, 1) ON CONFLICT(workspace_id, domain) DO NOTHING",
            [(workspace_id, name, note_of.get(name, ""), source.strip(), (target_url or "").strip(), stamp, stamp)
             for name in names],
        )
        added = conn.total_changes - before
    return added


def _empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in TEXT_COLUMNS})
    for column in (*DATE_COLUMNS, *STAMP_COLUMNS):
        frame[column] = pd.Series(dtype="datetime64[ns]")
    frame["version"] = pd.Series(dtype="int64")
    return frame[list(COLUMNS)]


def _frame(rows: list[Mapping]) -> pd.DataFrame:
    if not rows:
        return _empty_frame()
    frame = pd.DataFrame([dict(r) for r in rows], columns=list(COLUMNS))
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype("str")
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").astype("datetime64[ns]")
    for column in STAMP_COLUMNS:
        # Stored as ISO text with "+00:00"; the canonical frames hold naive UTC.
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_localize(None).astype("datetime64[ns]")
    frame["version"] = frame["version"].astype("int64")
    return frame


def outreach_list(workspace_id: str, root: Path | None = None) -> pd.DataFrame:
    """The workspace's outreach list, one row per domain, by domain.

    Columns: domain, status, contact, note, last_contact, next_follow_up (datetime64, NaT when not set),
    source, target_url, added_at, updated_at (naive UTC), version (int).
    """
    with db.session(DDL, root) as conn:
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM outreach WHERE workspace_id = ? ORDER BY domain",
                            (workspace_id,)).fetchall()
    return _frame(rows)


@dataclass(frozen=True)
class Problem:
    """One value that cannot be stored: which row (editor row or file line), which column, and why."""

    row: int
    column: str
    value: str
    message: str
    domain: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "domain": self.domain, "column": self.column, "value": self.value,
                "problem": self.message}


@dataclass(frozen=True)
class SaveResult:
    saved: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.conflicts


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str:
    return "" if _blank(value) else str(value).strip()


def parse_status(value: object) -> str | None:
    """A status from an editor cell or a file ("To Contact", "to_contact" ...); None when empty; ValueError."""
    if _blank(value):
        return None
    squeezed = "".join(ch for ch in str(value).lower() if ch.isalpha())
    for status in STATUSES:
        if squeezed == status.replace(" ", ""):
            return status
    raise ValueError(f"not a status (use one of: {', '.join(STATUSES)})")


def parse_date(value: object) -> str | None:
    """A follow-up or contact date as ISO text (YYYY-MM-DD); None when empty; ValueError when unreadable.

    Only ISO dates are read from text: 03/04/2026 means March or April depending on who typed it.
    """
    if _blank(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    text = str(value).strip()
    try:
        stamp = pd.Timestamp(dt.datetime.fromisoformat(text))
    except ValueError:
        raise ValueError("not a date (use YYYY-MM-DD)") from None
    if not 1900 <= stamp.year <= 2200:
        raise ValueError("date out of range (1900–2200)")
    return stamp.strftime("%Y-%m-%d")


def _version(value: object) -> int | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and number >= 0 else None


def _validate_edits(frame: pd.DataFrame) -> tuple[list[dict], list[Problem]]:
    """Every edited row as clean values to store, or the problems by row (1-based) and column."""
    rows: list[dict] = []
    problems: list[Problem] = []
    for position, record in zip(frame.index + 1, frame.to_dict("records")):  # index: 0-based editor row
        domain = clean_domain(_text(record.get("domain")))
        clean = {"domain": domain, "version": _version(record.get("version"))}
        if not domain:
            problems.append(Problem(position, "domain", _text(record.get("domain")), "no domain"))
        if clean["version"] is None:
            problems.append(Problem(position, "version", _text(record.get("version")),
                                    "no version: reload the list and edit again", domain))
        for column, parse in (("status", parse_status), ("last_contact", parse_date),
                              ("next_follow_up", parse_date)):
            try:
                clean[column] = parse(record.get(column))
            except ValueError as error:
                problems.append(Problem(position, column, _text(record.get(column)), str(error), domain))
        if "status" in clean and clean["status"] is None:
            problems.append(Problem(position, "status", "", "no status "
                                    f"(use one of: {', '.join(STATUSES)})", domain))
        for column in ("contact", "note", "target_url"):
            clean[column] = _text(record.get(column))
        rows.append(clean)
    return rows, problems


def _stored(conn, workspace_id: str) -> dict[str, dict]:
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM outreach WHERE workspace_id = ?",
                        (workspace_id,)).fetchall()
    return {row["domain"]: dict(row) for row in rows}


def _changed(stored: Mapping, values: Mapping) -> bool:
    return any((stored[c] or None) != (values[c] or None) for c in values)


def _deleted_versions(deleted: pd.DataFrame | Mapping[str, int] | None) -> dict[str, int | None]:
    if deleted is None:
        return {}
    if isinstance(deleted, pd.DataFrame):
        pairs = zip(deleted["domain"], deleted["version"])
    else:
        pairs = deleted.items()
    return {clean_domain(_text(d)): _version(v) for d, v in pairs if clean_domain(_text(d))}


def _comparable(record: Mapping) -> tuple:
    """A row's editable values in one spelling (dates as ISO text, empty as ""), to tell edited from untouched."""
    values = []
    for column in EDITABLE:
        value = record.get(column)
        parse = parse_status if column == "status" else parse_date if column in DATE_COLUMNS else None
        try:
            value = parse(value) if parse else _text(value)
        except ValueError:
            value = _text(value)
        values.append(value or "")
    return tuple(values)


def changed_rows(loaded: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """The rows of `edited` whose editable values differ from the same domain's row in `loaded`."""
    before = {r["domain"]: _comparable(r) for r in loaded.to_dict("records")}
    keep = [before.get(r["domain"]) != _comparable(r) for r in edited.to_dict("records")]
    return edited[keep]


def save_edits(workspace_id: str, edited_rows: pd.DataFrame, root: Path | None = None, *,
               deleted: pd.DataFrame | Mapping[str, int] | None = None,
               original: pd.DataFrame | None = None) -> SaveResult:
    """Store a tab's edits: rows (with the `version` each was loaded with) and removed rows (domain -> version).

    Pass `original` (the rows as the tab loaded them) so rows the user did not touch are skipped: an untouched
    row whose version moved on (another tab saved it) is then no conflict. Without it every row given counts as
    edited. Nothing is written when any value is invalid (the problems say row and column). A row another tab
    changed or removed since it was loaded is a conflict, unless it already holds the same values: left as
    stored, named in the result. Everything else is written in one transaction, row by row; unchanged rows keep
    their version.
    """
    untouched = 0
    edited_rows = edited_rows.reset_index(drop=True)  # problems name the row as the editor showed it
    if original is not None:
        edits = changed_rows(original, edited_rows)
        untouched = len(edited_rows) - len(edits)
        edited_rows = edits
    rows, problems = _validate_edits(edited_rows)
    removals = _deleted_versions(deleted)
    if problems:
        return SaveResult(problems=tuple(problems))
    saved: list[str] = []
    removed: list[str] = []
    conflicts: list[str] = []
    unchanged = 0
    stamp = now_iso()
    with db.session(DDL, root) as conn, db.transaction(conn):
        stored = _stored(conn, workspace_id)
        for row in rows:
            current = stored.get(row["domain"])
            values = {c: row[c] for c in EDITABLE}
            if current is not None and not _changed(current, values):
                unchanged += 1  # already stored as this tab wants it (perhaps another tab made the same edit)
                continue
            if current is None or current["version"] != row["version"]:
                conflicts.append(row["domain"])
                continue
            # The version in the WHERE clause is the optimistic lock; BEGIN IMMEDIATE already serialises writers.
            conn.execute(
                f"UPDATE outreach SET {', '.join(f'{c} = ?' for c in EDITABLE)}, updated_at = ?, "
                "version = version + 1 WHERE workspace_id = ? AND domain = ? AND version = ?",
                [*(values[c] if c in DATE_COLUMNS else values[c] or "" for c in EDITABLE), stamp,
                 workspace_id, row["domain"], row["version"]],
            )
            saved.append(row["domain"])
        for domain, version in removals.items():
            current = stored.get(domain)
            if current is None:
                continue  # already removed elsewhere: the wish is fulfilled
            if current["version"] != version:
                conflicts.append(domain)
                continue
            conn.execute("DELETE FROM outreach WHERE workspace_id = ? AND domain = ? AND version = ?",
                         (workspace_id, domain, version))
            removed.append(domain)
    return SaveResult(saved=tuple(saved), removed=tuple(removed), conflicts=tuple(dict.fromkeys(conflicts)),
                      unchanged=unchanged + untouched)


def remove_prospects(workspace_id: str, domains: Iterable[str], root: Path | None = None) -> int:
    """Take domains off the list whatever their version (an explicit removal, not an editor save)."""
    names = _clean_domains([domains] if isinstance(domains, str) else domains)
    with db.session(DDL, root) as conn, db.transaction(conn):
        before = conn.total_changes
        conn.executemany("DELETE FROM outreach WHERE workspace_id = ? AND domain = ?",
                         [(workspace_id, name) for name in names])
        return conn.total_changes - before


# ---------------------------------------------------------------------------------------- export

EXPORT_COLUMNS = ("domain", "status", "contact", "note", "last_contact", "next_follow_up", "source", "target_url",
                  "added_at", "updated_at")


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The list as a spreadsheet holds it: no version (the tracker's own), stamps as text to the second.

    A CSV keeps dates only (lib.export writes %Y-%m-%d), so added_at / updated_at become text and survive a
    round trip through CSV and XLSX alike.
    """
    out = frame[list(EXPORT_COLUMNS)].copy()
    for column in STAMP_COLUMNS:
        out[column] = out[column].dt.strftime("%Y-%m-%d %H:%M:%S").astype("str")
    return out


def export_csv(workspace_id: str, root: Path | None = None) -> bytes:
    return export.csv_bytes(export_frame(outreach_list(workspace_id, root)))


def export_xlsx(workspace_id: str, root: Path | None = None) -> bytes:
    return export.xlsx_bytes(export_frame(outreach_list(workspace_id, root)), sheet_name="Outreach")


# ---------------------------------------------------------------------------------------- import

MAX_IMPORT_BYTES = 20 * 2**20  # an outreach list is hundreds of rows; anything this big is the wrong file
_ALIASES = {
    "domain": ("domain", "domains", "referring_domain", "website", "site", "prospect", "source_domain"),
    "status": ("status", "state", "stage"),
    "contact": ("contact", "contacts", "email", "e_mail", "contact_email", "contact_person"),
    "note": ("note", "notes", "comment", "comments"),
    "last_contact": ("last_contact", "last_contacted", "last_contact_date", "contacted_on"),
    "next_follow_up": ("next_follow_up", "next_followup", "follow_up", "followup", "next_follow_up_date",
                       "follow_up_date"),
    "source": ("source", "added_from"),
    "target_url": ("target_url", "target", "target_page", "url"),
    "added_at": ("added_at", "added", "added_on"),
}
_HEADER_TO_COLUMN = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
_IGNORED = ("updated_at", "version")  # the tracker's own: a file cannot set them


@dataclass(frozen=True)
class ImportResult:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    problems: tuple[Problem, ...] = ()  # row = line of the file (the header is line 1)
    ignored_columns: tuple[str, ...] = ()
    error: str | None = None  # the file as a whole cannot be read

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems


class _Unreadable(Exception):
    pass


def _header_key(name: object) -> str:
    text = _unescape(_text(name)).lower()
    return "_".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _unescape(value: str) -> str:
    """Undo lib.export's guard: an apostrophe it put before =, +, -, @, tab, CR or another apostrophe."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(export.GUARDED_START):
        return value[1:]
    return value


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_records(data: bytes) -> list[tuple[int, list[str]]]:
    import csv
    import io

    text = _decode(data)
    if "\x00" in text:
        raise _Unreadable("is not a CSV or XLSX file (it holds binary data)")
    first = text.lstrip().split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    end = 0
    try:
        for fields in reader:
            # line_num is the line a record ends on; a quoted cell may span lines, so name where it starts.
            records.append((end + 1, fields))
            end = reader.line_num
    except csv.Error as error:
        raise _Unreadable(f"cannot be read as CSV near line {reader.line_num} ({error})") from None
    return records


def _xlsx_records(data: bytes) -> list[tuple[int, list[object]]]:
    import io

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            return [(number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        finally:
            workbook.close()
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise _Unreadable(f"is a damaged Excel file ({type(error).__name__})") from None


def _records(data: bytes, filename: str) -> list[tuple[int, list[object]]]:
    if len(data) > MAX_IMPORT_BYTES:
        raise _Unreadable(f"is {len(data) / 2**20:,.0f} MB; an outreach list file is at most "
                          f"{MAX_IMPORT_BYTES / 2**20:,.0f} MB")
    if not data.strip():
        raise _Unreadable("is empty")
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        records = _xlsx_records(data)
    else:
        records = _csv_records(data)
    records = [(n, r) for n, r in records if any(not _blank(v) for v in r)]
    if not records:
        raise _Unreadable("is empty")
    return records


def _cell(value: object) -> object:
    return _unescape(value.strip()) if isinstance(value, str) else value


def _parse_stamp(value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        stamp = pd.Timestamp(value)
    else:
        try:
            stamp = pd.Timestamp(dt.datetime.fromisoformat(str(value).strip()))
        except ValueError:
            raise ValueError("not a date and time (use YYYY-MM-DD HH:MM:SS)") from None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _looks_like_domain(name: str) -> bool:
    return "." in name and not any(ch.isspace() or ch in "<>\"'`,;" for ch in name) and len(name) <= 253


def _parse_rows(records: list[tuple[int, list[object]]]) -> tuple[set[str], list[dict], list[Problem], list[str]]:
    """The file's rows as values to store (with their line), or the problems by line and column."""
    header_line, header = records[0]
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = _header_key(name)
        column = _HEADER_TO_COLUMN.get(key)
        if column and column not in positions:
            positions[column] = index
        elif key and key not in _IGNORED:
            ignored.append(_text(name))
    if "domain" not in positions:
        found = ", ".join(_text(h) for h in header if not _blank(h))[:200]
        raise _Unreadable(f"has no domain column on line {header_line} (found: {found or 'nothing'})")
    parsers = {"status": parse_status, "last_contact": parse_date, "next_follow_up": parse_date,
               "added_at": _parse_stamp}
    rows: list[dict] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for line, fields in records[1:]:
        cells = {c: _cell(fields[i]) if i < len(fields) else None for c, i in positions.items()}
        raw = _text(cells["domain"])
        domain = clean_domain(raw)
        row = {"line": line, "domain": domain}
        if not domain:
            problems.append(Problem(line, "domain", raw, "no domain"))
        elif not _looks_like_domain(domain):
            problems.append(Problem(line, "domain", raw[:100], "not a domain name"))
        elif domain in first_line:
            problems.append(Problem(line, "domain", raw[:100], f"listed twice (first on line {first_line[domain]})",
                                    domain))
        else:
            first_line[domain] = line
        for column, value in cells.items():
            if column == "domain":
                continue
            if column in parsers:
                try:
                    row[column] = parsers[column](value)
                except ValueError as error:
                    problems.append(Problem(line, column, _text(value)[:100], str(error), domain))
            else:
                row[column] = _text(value)
        rows.append(row)
    return set(positions), rows, problems, ignored


def import_outreach(workspace_id: str, data: bytes, filename: str, root: Path | None = None) -> ImportResult:
    """Read an outreach list back from a CSV or XLSX file (as exported, or edited in a spreadsheet).

    Column names are matched liberally ("Next follow-up", "NEXT_FOLLOW_UP", "Notes"). Domains in the file
    get the file's values for the columns it has; an empty status keeps the stored one (new domains start as
    "new"). Domains only in the database stay as they are. If any row is bad, nothing is written and every
    problem is reported by line and column.
    """
    try:
        present, rows, problems, ignored = _parse_rows(_records(bytes(data), filename))
    except _Unreadable as error:
        return ImportResult(error=f"{filename} {error}")
    if problems:
        return ImportResult(problems=tuple(problems), ignored_columns=tuple(ignored))
    settable = [c for c in (*EDITABLE, "source") if c in present]
    added: list[str] = []
    updated: list[str] = []
    unchanged = 0
    stamp = now_iso()
    with db.session(DDL, root) as conn, db.transaction(conn):
        stored = _stored(conn, workspace_id)
        for row in rows:
            current = stored.get(row["domain"])
            if current is None:
                values = {c: row.get(c) or "" for c in ("contact", "note", "target_url")}
                conn.execute(
                    "INSERT INTO outreach (workspace_id, domain, status, contact, note, last_contact, next_follow_up, "
                    "source, target_url, added_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    (workspace_id, row["domain"], row.get("status") or "new", values["contact"], values["note"],
                     row.get("last_contact"), row.get("next_follow_up"), row.get("source") or "import",
                     values["target_url"], row.get("added_at") or stamp, stamp),
                )
                added.append(row["domain"])
                continue
            # An empty status or source in the file means "not given", never "clear it".
            values = {c: row[c] for c in settable if not (c in ("status", "source") and not row[c])}
            if not _changed(current, values):
                unchanged += 1
                continue
            conn.execute(
                f"UPDATE outreach SET {''.join(f'{c} = ?, ' for c in values)}updated_at = ?, version = version + 1 "
                "WHERE workspace_id = ? AND domain = ?",
                [*values.values(), stamp, workspace_id, row["domain"]],
            )
            updated.append(row["domain"])
    return ImportResult(added=tuple(added), updated=tuple(updated), unchanged=unchanged,
                        ignored_columns=tuple(ignored))


# ---------------------------------------------------------------------------------------- summaries

OPEN_STATUSES = ("new", "to contact", "contacted", "replied")  # won and declined need no follow-up


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many prospects have each status, in STATUSES order (zero included)."""
    counts = frame["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def due(frame: pd.DataFrame, today: dt.date, days: int = 7) -> pd.DataFrame:
    """Open prospects whose next follow-up is overdue or within `days` days of `today`, soonest first."""
    limit = pd.Timestamp(today) + pd.Timedelta(days=days)
    chosen = frame[frame["status"].isin(OPEN_STATUSES) & frame["next_follow_up"].notna()
                   & (frame["next_follow_up"] <= limit)]
    return chosen.sort_values(["next_follow_up", "domain"], kind="stable")
