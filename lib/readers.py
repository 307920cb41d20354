"""Semrush export files (CSV, XLSX, ZIP) into canonical tables.

The file type is told by content, not by name: a ZIP starts with ``PK\\x03\\x04`` and an XLSX is a
ZIP holding ``xl/workbook.xml``; anything else must be text. Text is UTF-8 (with or without BOM),
UTF-16 (Excel's "Unicode text", with a BOM or recognised by its NUL bytes) or, failing UTF-8,
cp1252. The delimiter (comma, semicolon, tab, pipe) and the header line are found together: the
first of the first few lines whose fields name a complete kind of export, so title lines Semrush
sometimes puts above the header are skipped.

CSV bodies are parsed by pyarrow's CSV reader rather than pandas' C engine: reading every column
as text (dtype=str), the C engine alone took 4-5 times a plain ``pd.read_csv`` of a million-row
backlinks export, pyarrow well under twice. pyarrow also reports rows with too many *and* too few
fields, which are rejected with their line. pandas' C engine (on_bad_lines="warn") remains as a
fallback should pyarrow refuse a file; there, rows with too few fields are kept, filled with "".

Line numbers are physical lines of the file, the first line of the file being line 1 (so the
header is line 1 unless title lines precede it). Rows are mapped to lines exactly when the file
has neither blank lines nor line breaks inside quoted cells (counted in one pass); otherwise the
line breaks outside quotes are located with numpy. That quote model treats a quote as syntax only
next to a delimiter or line break, which is exact for well-formed CSV; should it disagree with the
parser on a malformed file, line numbers fall back to counting records (approximate past the first
multi-line cell or blank line). In XLSX files the line is the spreadsheet row number.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from lib import schema
from lib.normalize import Normalized, Problems, RowProblem, canonicalize, parse_dates
from lib.parallel import in_slices

# The header hunt reads this much of a file and looks at this many records per delimiter.
_SAMPLE_BYTES = 1 << 16
_HEADER_SEARCH_RECORDS = 10
_DELIMITERS = (",", ";", "\t", "|")
_BLOCK_SIZE = 1 << 22  # pyarrow parses blocks; a row longer than a block is retried with one block
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other pre-2007 Office files
_TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip")
_MAX_ZIP_DEPTH = 2
# What a ZIP or XLSX may expand to (declared sizes, which zipfile enforces while extracting): a few
# hundred kilobytes of "zip bomb" must not fill memory. A million-row backlinks XLSX expands to ~1 GB.
MAX_EXPANDED_BYTES = 3 * 2**30

# Long cells (page titles, scraped anchors) must not stop the header hunt's csv module.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class ExportError(Exception):
    """A file that cannot be read at all; ``str(error)`` is one sentence naming the file."""

    def __init__(self, file: str, reason: str, closest_kind: str | None = None,
                 missing_columns: tuple[str, ...] = ()) -> None:
        self.file = file
        self.reason = reason
        self.closest_kind = closest_kind  # a lib.schema.KINDS key, or None when nothing looked familiar
        self.missing_columns = tuple(missing_columns)  # as Semrush's headers spell them, e.g. "Source url"
        self.message = f"{file} {reason}"
        super().__init__(self.message)


@dataclass
class ExportFile:
    name: str  # file name, or "archive.zip/member.csv"
    normalized: Normalized
    encoding: str | None  # None for XLSX and for text handed over as str
    delimiter: str | None  # None for XLSX
    date_hint: datetime | None  # a date in the file name, if any


# --------------------------------------------------------------------------------------------- API


def read_path(path: str | Path) -> list[ExportFile]:
    path = Path(path)
    return read_export(path.read_bytes(), path.name)


def read_export(data: bytes, name: str) -> list[ExportFile]:
    """Every table in one export file: one for CSV and XLSX, one per member for ZIP archives."""
    return _read_any(bytes(data), name, name, depth=0)


def read_table_text(text: str, name: str, delimiter: str | None = None) -> ExportFile:
    """A table already decoded, e.g. an API answer (semicolon-separated); the delimiter is sniffed when None."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ExportError(name, "is empty")
    source = _Source(text.encode("utf-8", errors="replace"), 0, None, text[:_SAMPLE_BYTES])
    return _read_text(source, name, delimiter)


# ------------------------------------------------------------------------------------- dispatching


def _read_any(data: bytes, name: str, hint_name: str, depth: int) -> list[ExportFile]:
    if not data[:4096].strip() and not data.strip():  # the full strip (a copy) only for a blank start
        raise ExportError(name, "is empty")
    if data[:4] in _ZIP_MAGIC:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
            raise ExportError(name, f"is a damaged ZIP or Excel file ({error})") from None
        with archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > MAX_EXPANDED_BYTES:
                raise ExportError(name, f"would expand to {expanded / 2**20:,.0f} MB, more than the "
                                        f"{MAX_EXPANDED_BYTES / 2**20:,.0f} MB Linkscope reads from one archive")
            if "xl/workbook.xml" in archive.namelist():
                return [_read_xlsx(data, name, hint_name)]
            return _read_zip(archive, name, hint_name, depth)
    if data[:8] == _OLE_MAGIC:
        raise ExportError(name, "is not a text or Excel file: it looks like an old .xls workbook or another "
                                "binary Office file; save it as .xlsx or CSV")
    source = _decode(data, name)
    table = _read_text(source, name, None)
    table.date_hint = date_hint(hint_name)
    return [table]


def _read_zip(archive: zipfile.ZipFile, name: str, hint_name: str, depth: int) -> list[ExportFile]:
    if depth >= _MAX_ZIP_DEPTH:
        raise ExportError(name, "nests ZIP archives too deeply")
    tables: list[ExportFile] = []
    for info in archive.infolist():
        member = info.filename
        base = member.rsplit("/", 1)[-1]
        # macOS adds __MACOSX/ resource forks and ._ files; neither holds a table.
        if not base or info.is_dir() or member.startswith("__MACOSX/") or base.startswith("."):
            continue
        if not base.lower().endswith(_TABLE_SUFFIXES):
            continue
        member_name = f"{name}/{member}"
        try:
            data = archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError) as error:
            raise ExportError(member_name, f"cannot be extracted ({error})") from None
        hint = base if date_hint(base) else hint_name
        tables.extend(_read_any(data, member_name, hint, depth + 1))
    if not tables:
        raise ExportError(name, "holds no CSV or Excel file")
    return tables


# ---------------------------------------------------------------------------------------- decoding


@dataclass
class _Source:
    """UTF-8 bytes to parse, starting at `start` (past a BOM), and a decoded sample for the header hunt."""

    data: bytes
    start: int
    encoding: str | None
    sample: str


def _decode(data: bytes, name: str) -> _Source:
    head = data[:_SAMPLE_BYTES]
    if head.startswith(codecs.BOM_UTF8):
        sample = head[3:].decode("utf-8", errors="replace")
        return _Source(data, 3, "utf-8-sig", _cut_partial(sample))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _transcode(data, "utf-16", name)
    if b"\x00" in head:
        # ASCII text in UTF-16 has a NUL in every other byte: odd bytes for LE, even for BE.
        pairs = head[: len(head) // 2 * 2]
        even_nuls = pairs[0::2].count(0)
        odd_nuls = pairs[1::2].count(0)
        half = max(len(pairs) // 2, 1)
        if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
            return _transcode(data, "utf-16-le", name)
        if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
            return _transcode(data, "utf-16-be", name)
        raise ExportError(name, "is not a text or Excel file")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = decoder.decode(head, final=len(head) == len(data))
    except UnicodeDecodeError:
        return _transcode(data, "cp1252", name)
    _refuse_binary(sample, name)
    return _Source(data, 0, "utf-8", sample)


def _transcode(data: bytes, encoding: str, name: str) -> _Source:
    """Decode the whole file once and re-encode it as UTF-8, the one encoding the parser is given."""
    if encoding == "cp1252" and data.startswith(codecs.BOM_UTF8):
        data = data[3:]  # a BOM promised UTF-8 but the body is not: the BOM is not text either
    if encoding.startswith("utf-16") and len(data) % 2:
        data = data[:-1]  # a file cut off mid-character: drop the half character, keep the rest
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ExportError(name, "is not a text or Excel file") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ExportError(name, "is empty")
    sample = text[:_SAMPLE_BYTES]
    _refuse_binary(sample, name)
    return _Source(text.encode("utf-8"), 0, encoding, sample)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _refuse_binary(sample: str, name: str) -> None:
    # Text exports have no control characters besides tab and line breaks; binary data has plenty.
    if len(_CONTROL.findall(sample[:8192])) > max(8, len(sample[:8192]) // 50):
        raise ExportError(name, "is not a text or Excel file")


def _cut_partial(sample: str) -> str:
    # A sample cut inside a multi-byte character ends with U+FFFD; drop it rather than sniff on it.
    return sample[:-1] if sample.endswith("\ufffd") else sample


# ------------------------------------------------------------------------------------ header hunt


@dataclass
class _Header:
    fields: list[str]
    delimiter: str | None
    first_line: int  # physical line (1-based) where the header record starts
    last_line: int  # ... and ends
    match: schema.HeaderMatch


def _score(match: schema.HeaderMatch) -> tuple[int, int]:
    return (len(match.kind.required) - len(match.missing), len(match.mapping))


def _text_records(sample: str, delimiter: str, limit: int) -> list[tuple[int, int, list[str]]]:
    """The first non-blank records of a sample as (first line, last line, fields)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    records = []
    previous = 0
    try:
        for fields in reader:
            first, previous = previous + 1, reader.line_num
            if any(f.strip() for f in fields):
                records.append((first, previous, fields))
                if len(records) >= limit:
                    break
    except csv.Error:
        pass  # a sample cut inside a quoted cell; the records before it are enough
    return records


def _find_header(candidates: list[tuple[str | None, list[tuple[int, int, list[str]]]]], name: str) -> _Header:
    """The first record that names a complete kind; otherwise an ExportError naming the closest kind."""
    best: _Header | None = None
    closest: tuple[tuple[int, int], int, schema.HeaderMatch] | None = None
    for delimiter, records in candidates:
        for first, last, fields in records:
            if len(fields) < 2:  # every kind needs at least two columns
                continue
            match = schema.detect_kind([f.strip() for f in fields])
            if match.complete:
                if best is None or (first, -len(match.mapping)) < (best.first_line, -len(best.match.mapping)):
                    best = _Header(fields, delimiter, first, last, match)
                break  # later records with this delimiter come after this header
            key = (_score(match), -first)
            if closest is None or key > (closest[0], -closest[1]):
                closest = (_score(match), first, match)
    if best is not None:
        return best
    if closest is None or closest[0] == (0, 0):
        shown = _first_fields(candidates)
        listed = ", ".join(repr(f) for f in shown[:5]) + (", ..." if len(shown) > 5 else "")
        raise ExportError(name, "is not a Semrush export: none of its columns is a known Semrush column"
                          + (f" (it starts with {listed})" if shown else ""))
    match = closest[2]
    missing = tuple(_display_name(c) for c in match.missing)
    raise ExportError(name, f"is not a Semrush export: it looks most like a {match.kind.label} export "
                            f"but lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                      closest_kind=match.kind.name, missing_columns=missing)


def _first_fields(candidates: list[tuple[str | None, list[tuple[int, int, list[str]]]]]) -> list[str]:
    # The delimiter that splits the first record into the most fields is the most plausible one.
    firsts = [records[0][2] for _, records in candidates if records]
    return [f.strip() for f in max(firsts, key=len)] if firsts else []


_DISPLAY = {"ip": "IP"}


def _display_name(column: str) -> str:
    """'source_url' -> 'Source url', as Semrush writes its headers."""
    if column in _DISPLAY:
        return _DISPLAY[column]
    text = column.replace("_", " ")
    return text[:1].upper() + text[1:]


def _unique_names(fields: list[str]) -> list[str]:
    # pandas and the header mapping key columns by name: duplicates and blanks need names of their own.
    names: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(fields):
        base = raw.strip() or f"column_{i + 1}"
        candidate, n = base, 2
        while candidate in seen:
            candidate = f"{base} ({n})"
            n += 1
        seen.add(candidate)
        names.append(candidate)
    return names


# ------------------------------------------------------------------------------------------- text


def _read_text(source: _Source, name: str, delimiter: str | None) -> ExportFile:
    try:
        return _read_text_once(source, name, delimiter)
    except _NotUtf8:
        # The sample was UTF-8 but a later byte was not: the whole file is cp1252 after all.
        return _read_text_once(_transcode(source.data, "cp1252", name), name, delimiter)


class _NotUtf8(Exception):
    pass


def _read_text_once(source: _Source, name: str, delimiter: str | None) -> ExportFile:
    delimiters = (delimiter,) if delimiter else _DELIMITERS
    sample = source.sample
    if "\n" in sample:
        # The csv module also ends lines at a lone CR; the body's line numbers count LF only.
        sample = re.sub(r"\r(?!\n)", " ", sample)
    candidates = [(d, _text_records(sample, d, _HEADER_SEARCH_RECORDS)) for d in delimiters]
    if not any(records for _, records in candidates):
        raise ExportError(name, "is empty")
    header = _find_header(candidates, name)
    names = _unique_names(header.fields)
    body_start = _line_end_offset(source.data, source.start, header.last_line)
    breaks = _count_byte(source.data, _newline(source.data, body_start), body_start)  # once: both paths need it
    typed = _parse_typed(source.data, body_start, names, header.delimiter or ",", header.match.kind, breaks) \
        if FAST_PATH else None
    if typed is not None:
        frame, invalid = typed, []
    else:
        frame, invalid = _parse_careful(source.data, body_start, names, header.delimiter or ",", name)
    row_lines, invalid_lines = _line_map(source.data, body_start, len(frame), [n for n, *_ in invalid], breaks)
    rejected = [RowProblem(int(line) + header.last_line, f"expected {expected} fields, saw {actual}")
                for line, (_, expected, actual, text) in zip(invalid_lines, invalid) if text.strip()]
    lines = row_lines + header.last_line
    normalized = _finish(frame, lines, names, header.match.kind, rejected)
    return ExportFile(name, normalized, source.encoding, header.delimiter, None)


# The fast path: flag, count and date columns parsed by pyarrow straight into their types (no text to
# build and convert). It accepts only what the careful path reads the same way (ISO dates within
# datetime64[ns], true/false/1/0 in the usual spellings, plain integers up to 2**62, empty cells) and
# gives up on anything else,
# on any row of the wrong width and on blank rows: the careful path then reads the file as text and
# reports every problem. Module-level so tests can compare the two paths.
FAST_PATH = True
_FAST_TYPES = {schema.BOOL: pa.bool_(), schema.DATETIME: pa.timestamp("ns"), schema.INT: pa.int64()}
_LARGEST_INT = 2**62  # lib.normalize.parse_numbers reports larger counts as unreadable


def _parse_typed(data: bytes, start: int, names: list[str], delimiter: str, kind: schema.Kind, breaks: int
                 ) -> pd.DataFrame | None:
    mapping = schema.match_header(names, kind).mapping
    types = {n: _FAST_TYPES.get(kind.column(mapping[n]).type, pa.large_string()) if n in mapping
             else pa.large_string() for n in names}
    if not any(t != pa.large_string() for t in types.values()):
        return None  # nothing to gain over the careful path
    if not data[start:start + 4096].strip() and not data[start:].strip():
        return None

    invalid: list[int] = []

    def give_up(row: pacsv.InvalidRow) -> str:
        invalid.append(1)  # the careful path numbers and reports it
        return "skip"

    def parse(newlines_in_values: bool) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[start:]),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True, block_size=_BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines_in_values,
                                             invalid_row_handler=give_up),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, null_values=[""]),
        )

    try:
        # Splitting blocks at any line break is a third faster than minding quotes. It is right when every
        # record is one line, which the count of line breaks proves; otherwise (a quoted line break, a
        # blank line) the file is parsed again the careful way.
        table = parse(newlines_in_values=False)
        if not invalid and not _one_line_per_record(data, start, table.num_rows, breaks):
            table = parse(newlines_in_values=True)
    except (pa.ArrowException, ValueError):
        return None
    if invalid or not table.num_rows:
        return None
    # A row of nothing but delimiters is dropped by the careful path, with its line: leave it to it.
    blank = None
    for column, type_ in zip(table.columns, types.values()):
        empty = pc.is_null(column) if type_ != pa.large_string() else pc.equal(column, "")
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            break
    else:
        return None
    columns = {}
    for n, column in zip(names, table.columns):
        if types[n] == pa.bool_():
            columns[n] = pd.Series(pc.fill_null(column, False).to_numpy(), dtype=bool)
        elif types[n] == pa.int64():
            extremes = pc.min_max(column)
            if (extremes["max"].as_py() or 0) > _LARGEST_INT or (extremes["min"].as_py() or 0) < -_LARGEST_INT:
                return None
            missing = pc.is_null(column).to_numpy(zero_copy_only=False)
            columns[n] = pd.Series(pd.arrays.IntegerArray(pc.fill_null(column, 0).to_numpy(), missing))
        elif types[n] == pa.large_string():
            columns[n] = pd.Series(pd.array(column, dtype="str"))
        else:
            columns[n] = pd.Series(column.to_numpy(), dtype="datetime64[ns]")
    return pd.DataFrame(columns, copy=False)  # the columns are new: copying them costs ~0.08 s per million rows


def _parse_careful(data: bytes, start: int, names: list[str], delimiter: str, name: str
                   ) -> tuple[pd.DataFrame, list[tuple[int, int, int, str]]]:
    try:
        return _parse_body(data, start, names, delimiter)
    except (pd.errors.ParserError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ExportError(name, f"cannot be read as CSV ({reason})") from None


def _newline(data: bytes, start: int) -> bytes:
    # Files from classic Mac OS end lines with a bare CR; everything else has LF (alone or after CR).
    return b"\r" if data.find(b"\n", start) < 0 and data.find(b"\r", start) >= 0 else b"\n"


def _line_end_offset(data: bytes, start: int, line: int) -> int:
    """Byte offset just past the end of physical line `line` (1-based)."""
    offset = start
    newline = _newline(data, start)
    for _ in range(line):
        found = data.find(newline, offset)
        if found < 0:
            return len(data)
        offset = found + 1
    return offset


def _parse_body(data: bytes, start: int, names: list[str], delimiter: str
                ) -> tuple[pd.DataFrame, list[tuple[int, int, int, str]]]:
    """The rows after the header as text columns, and the invalid records as (number, expected, actual, text)."""
    if not data[start:start + 4096].strip() and not data[start:].strip():
        return pd.DataFrame({n: pd.Series([], dtype="str") for n in names}), []
    invalid: list[tuple[int, int, int, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append((int(row.number) if row.number is not None else -1, row.expected_columns,
                        row.actual_columns, row.text))
        return "skip"

    body = pa.py_buffer(data)[start:]  # a view: no copy of a large file
    block = _BLOCK_SIZE
    # Threads are faster, but then invalid rows come without their number: a file that has any is
    # read again on one thread, which numbers them.
    threads = True
    while True:
        invalid.clear()
        try:
            table = pacsv.read_csv(
                pa.BufferReader(body),
                read_options=pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=block),
                parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                                 invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
        except pa.ArrowInvalid as error:
            message = str(error)
            if "UTF8" in message or "UTF-8" in message:
                raise _NotUtf8() from None
            if "straddl" in message and block < len(body):
                block = min(len(body) + 1, 2**31 - 1)  # a row longer than a block: read it as one block
                continue
            if "Empty CSV" in message:
                return pd.DataFrame({n: pd.Series([], dtype="str") for n in names}), []
            if not _is_utf8(body):
                # Bad UTF-8 in a rejected row breaks pyarrow's invalid-row callback, not its check.
                raise _NotUtf8() from None
            return _parse_body_pandas(data, start, names, delimiter)
        if threads and any(n < 0 for n, *_ in invalid):
            threads = False
            continue
        break
    if any(n < 0 for n, *_ in invalid):  # never seen on one thread; without numbers, lines are unknown
        return _parse_body_pandas(data, start, names, delimiter)
    # large_string is what pandas' "str" dtype holds: read as such, the columns are handed over without a cast.
    frame = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    return frame, invalid


def _is_utf8(body: pa.Buffer) -> bool:
    try:
        codecs.decode(memoryview(body), "utf-8")
    except UnicodeDecodeError:
        return False
    return True


_SKIPPING = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


def _parse_body_pandas(data: bytes, start: int, names: list[str], delimiter: str
                       ) -> tuple[pd.DataFrame, list[tuple[int, int, int, str]]]:
    """pandas' C engine, for files pyarrow refuses. Rows with too few fields are kept (filled with "")."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        frame = pd.read_csv(io.BytesIO(data[start:]), sep=delimiter, header=None, names=names, index_col=False,
                            dtype=str, keep_default_na=False, na_filter=False, on_bad_lines="warn",
                            engine="c", encoding="utf-8", skip_blank_lines=True)
    invalid = []
    for warning in caught:
        for number, expected, actual in _SKIPPING.findall(str(warning.message)):
            # pandas numbers lines counting blank ones but not breaks inside quotes: close to a record number.
            invalid.append((int(number), int(expected), int(actual), "?"))
    return frame.astype("str"), invalid


_COUNT_BLOCK = 1 << 20


def _count_byte(data: bytes, byte: bytes, start: int) -> int:
    """`data.count(byte, start)` for a one-byte `byte`: NumPy compares cache-sized blocks, on every core (a 257 MB
    export: ~0.09 s by bytes.count, which holds the GIL, ~0.03 s this way)."""
    view = np.frombuffer(data, dtype=np.uint8, offset=start) if len(data) > start else np.zeros(0, np.uint8)
    value = byte[0]

    def count(lo: int, hi: int) -> int:
        return sum(int(np.count_nonzero(view[at:min(at + _COUNT_BLOCK, hi)] == value))
                   for at in range(lo, hi, _COUNT_BLOCK))

    return sum(in_slices(count, len(view)))


def _one_line_per_record(data: bytes, start: int, records: int, breaks: int) -> bool:
    """Whether `records` records after `start`, with `breaks` line breaks there, are one line each.

    A record ends at a line break (or the end of the data), so only records of one line each, with no
    blank line between them, account for every break.
    """
    ends_with_newline = len(data) > start and data[-1:] == _newline(data, start)
    return breaks == (records if ends_with_newline else records - 1)


def _line_map(data: bytes, start: int, rows: int, invalid_numbers: list[int], breaks: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """Physical lines (relative to `start`, 1-based) of the parsed rows and of the invalid records.

    The parser numbers non-blank records from 1; when every record is one line and there are no
    blank lines, record k is line k, which the count of line breaks (`breaks`) proves without a map.
    """
    records = rows + len(invalid_numbers)
    newline = _newline(data, start)
    numbers = np.arange(1, records + 1)
    invalid = np.asarray(invalid_numbers, dtype=np.int64)
    if len(invalid):
        numbers = numbers[~np.isin(numbers, invalid)]
    if _one_line_per_record(data, start, records, breaks):
        return numbers, invalid
    record_lines = _map_records(data, start, newline)
    if len(record_lines) != records or (len(invalid) and invalid.max() > records):
        # Our quote model disagrees with the parser (a malformed file): fall back to record numbers.
        return numbers, invalid
    return record_lines[numbers - 1], record_lines[invalid - 1]


def _map_records(data: bytes, start: int, newline: bytes = b"\n") -> np.ndarray:
    """Start line of each non-blank record, with line breaks inside quoted cells not ending records."""
    arr = np.frombuffer(data, dtype=np.uint8, offset=start)
    nl_byte = newline[0]
    breaks = np.flatnonzero(arr == nl_byte)
    ends = breaks
    if data.find(b'"', start) >= 0:
        quotes = np.flatnonzero(arr == ord('"'))
        # A quote is syntax only at a field's edge: after a delimiter or line break, or before one.
        edge = {ord(","), ord(";"), ord("\t"), ord("|"), 10, 13}
        edges = np.array(sorted(edge), dtype=np.uint8)
        before = np.where(quotes > 0, arr[np.maximum(quotes - 1, 0)], 10)
        after = np.where(quotes < len(arr) - 1, arr[np.minimum(quotes + 1, len(arr) - 1)], 10)
        syntax = quotes[np.isin(before, edges) | np.isin(after, edges)]
        inside = (np.searchsorted(syntax, breaks) % 2) == 1
        ends = breaks[~inside]
        break_index = np.flatnonzero(~inside)  # index of each record end among all line breaks
    else:
        break_index = np.arange(len(breaks))
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(arr)]))
    first_line = np.concatenate(([1], break_index + 2))
    length = stops - starts
    # Blank records: nothing, or the \r of a \r\n line ending. Whitespace-only lines are records to the parser.
    last = arr[np.clip(stops - 1, 0, max(len(arr) - 1, 0))] if len(arr) else np.zeros(0, dtype=np.uint8)
    blank = (length == 0) | ((length == 1) & (last == 13))
    return first_line[~blank]


def _finish(frame: pd.DataFrame, lines: np.ndarray, names: list[str], kind: schema.Kind,
            rejected: list[RowProblem]) -> Normalized:
    """Drop empty rows and nameless empty columns, then hand over to lib.normalize."""
    lines = np.asarray(lines, dtype=np.int64)
    if len(frame) and len(frame.columns):
        # Rows of nothing but delimiters (",,,,") are what spreadsheets leave below a table.
        first = frame.iloc[:, 0].eq("").to_numpy(dtype=bool, na_value=False)
        if first.any():
            blank = first.copy()
            for col in frame.columns[1:]:
                idx = np.flatnonzero(blank)
                if not len(idx):
                    break
                filled = frame[col].iloc[idx].ne("").to_numpy(dtype=bool, na_value=True)
                blank[idx[filled]] = False
            if blank.any():
                frame = frame[~blank].reset_index(drop=True)
                lines = lines[~blank]
    for i, col in enumerate(list(frame.columns)):
        # A trailing delimiter on every line makes a nameless, empty column: not data.
        if col == f"column_{i + 1}" and not (frame[col].astype("str") != "").any():
            frame = frame.drop(columns=col)
    match = schema.match_header(list(frame.columns), kind)
    # lib.normalize names unknown columns by snake_case but only steers clear of the kind's own
    # columns, not of the derived ones: an unknown "Root domain" would become a second root_domain.
    derived = {c.name for c in kind.derived}
    clashing = {h: f"extra {h}" for h in match.unknown if schema.snake_case(h) in derived}
    if clashing:
        frame = frame.rename(columns=clashing)
        match = schema.match_header(list(frame.columns), kind)
    normalized = _canonicalize(frame, match, pd.Series(lines, dtype="int64"))
    _hold_schema_dtypes(normalized)
    if rejected:
        problems = Problems()
        problems.reject(rejected)
        problems.merge(normalized.problems)
        problems.rejected.sort(key=lambda p: p.line)
        normalized.problems = problems
    return normalized


def _canonicalize(frame: pd.DataFrame, match: schema.HeaderMatch, lines: pd.Series) -> Normalized:
    try:
        return canonicalize(frame, match, lines)
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        pass
    # lib.normalize raises on a date outside datetime64[ns] (before 1677 or after 2262, e.g. a
    # "9999-12-31" meaning never): such cells are reported as unreadable here and the rest retried.
    frame = frame.copy()
    found: list[RowProblem] = []
    for header, column in match.mapping.items():
        if match.kind.column(column).type != schema.DATETIME:
            continue
        text = frame[header].fillna("").astype("str").str.strip()
        bad = _out_of_range_dates(text)
        if bad.any():
            found.extend(RowProblem(int(line), f"cannot read {value!r} as datetime", header)
                         for line, value in zip(lines[bad], text[bad]))
            frame[header] = frame[header].mask(bad, "")
    normalized = canonicalize(frame, match, lines)
    normalized.problems.unreadable(found)
    return normalized


def _out_of_range_dates(text: pd.Series) -> np.ndarray:
    """Cells whose date exists but does not fit datetime64[ns]."""
    uniques = pd.Series(text.unique(), dtype="str")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iso = pd.to_datetime(uniques, format="ISO8601", errors="coerce", utc=True)
    years = iso.dt.year
    bad = set(uniques[(years < 1678) | (years > 2261)])
    for value in uniques[iso.isna()]:  # not ISO: rare, so one at a time is affordable
        try:
            parse_dates(pd.Series([value], dtype="str"))
        except (pd.errors.OutOfBoundsDatetime, OverflowError):
            bad.add(value)
    return text.isin(bad).to_numpy()


def _hold_schema_dtypes(normalized: Normalized) -> None:
    # lib.normalize leaves a few columns off their schema dtype (the gap kinds' melted `backlinks`
    # comes out int64, or float64 when a file has no per-domain column); callers are promised the
    # schema, so cast what differs. Columns already right are not touched, so this costs nothing.
    frame = normalized.frame
    for name, dtype in normalized.kind.dtypes.items():
        if name in frame.columns and str(frame[name].dtype) != dtype:
            frame[name] = frame[name].astype(dtype)


# ------------------------------------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes, name: str, hint_name: str) -> ExportFile:
    import openpyxl  # only XLSX files pay for importing it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise ExportError(name, f"is a damaged Excel file ({type(error).__name__})") from None
    try:
        return _read_workbook(workbook, name, hint_name)
    except ExportError:
        raise
    except Exception as error:  # read-only mode parses sheets lazily: damage shows up only now
        raise ExportError(name, f"is a damaged Excel file ({type(error).__name__})") from None
    finally:
        workbook.close()


def _read_workbook(workbook, name: str, hint_name: str) -> ExportFile:
    candidates = []
    for sheet in workbook.worksheets:
        # Dimensions recorded in the file can be wrong (some writers say A1:A1); read what is there.
        sheet.reset_dimensions()
        records = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            fields = [_cell_text(v) for v in row]
            if any(f.strip() for f in fields):
                records.append((number, number, fields))
                if len(records) >= _HEADER_SEARCH_RECORDS:
                    break
        if records:
            candidates.append((sheet, records))
    if not candidates:
        raise ExportError(name, "is empty")
    header = None
    first_error = None
    for sheet, records in candidates:  # the first sheet holding a Semrush table, else the first non-empty
        try:
            header = _find_header([(None, records)], name)
        except ExportError as error:
            first_error = first_error or error
            continue
        break
    if header is None:
        raise first_error
    names = _unique_names(header.fields)
    width = len(names)
    columns: list[list[str]] = [[] for _ in names]
    lines: list[int] = []
    rejected: list[RowProblem] = []
    for number, row in enumerate(sheet.iter_rows(min_row=header.last_line + 1, values_only=True),
                                 start=header.last_line + 1):
        fields = [_cell_text(v) for v in row]
        while fields and not fields[-1].strip():
            fields.pop()  # spreadsheets leave trailing empty cells; they are not extra fields
        if not fields:
            continue
        if len(fields) > width:
            rejected.append(RowProblem(number, f"expected {width} fields, saw {len(fields)}"))
            continue
        fields.extend([""] * (width - len(fields)))
        for column, value in zip(columns, fields):
            column.append(value)
        lines.append(number)
    frame = pd.DataFrame({n: pd.Series(c, dtype="str") for n, c in zip(names, columns)})
    normalized = _finish(frame, np.asarray(lines, dtype=np.int64), names, header.match.kind, rejected)
    return ExportFile(name, normalized, None, None, date_hint(hint_name))


def _cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------------- names

_DATE_IN_NAME = (
    # 2024-05-17, 2024_05_17, 2024.05.17, optionally followed by a time 08-12-00 / 08:12
    re.compile(r"(?<!\d)(20\d\d)[-_.](\d\d)[-_.](\d\d)(?:[T_ -](\d\d)[-:.h](\d\d)(?:[-:.m](\d\d))?)?(?!\d)"),
    # 20240517, optionally followed by a time 081200
    re.compile(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?:[T_-]?(\d\d)(\d\d)(\d\d))?(?!\d)"),
)


def date_hint(name: str) -> datetime | None:
    """The date Semrush put in an export's file name (example.com-backlinks-2024-05-17.csv, ..._20240517.csv)."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    for pattern in _DATE_IN_NAME:
        for found in reversed(list(pattern.finditer(base))):  # the last date is the export's, not a campaign's
            parts = [int(p) if p else 0 for p in found.groups()]
            try:
                return datetime(*parts)
            except ValueError:
                continue
    return None
