"""Raw string tables (from a file or an API answer) into canonical, typed frames.

Nothing is dropped silently: a row that cannot be used (a required cell empty) is rejected
and reported with its line number; a cell that cannot be read (a date or number in an
unknown format) becomes missing and is reported with its line and column. Everything
else is kept, unknown columns included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib import domains
from lib.arrow_strings import column_strings, edge_characters, pair_hashes
from lib.frames import labels_by_code
from lib.parallel import beside
from lib.schema import BOOL, DATETIME, FLOAT, INT, KEY, KINDS, STRING, HeaderMatch, Kind, snake_case

MAX_LISTED = 200  # problems listed one by one; the rest are counted

_TRUE = {"true", "1", "yes", "y", "t", "x", "✓", "on"}
_FALSE = {"false", "0", "no", "n", "f", "", "-", "off", "nan", "none", "null"}
_DOMAIN_HEADER = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$", re.I)


@dataclass(frozen=True)
class RowProblem:
    line: int  # line in the source (the header is line 1), or row number in an API answer
    reason: str
    column: str | None = None

    def as_dict(self) -> dict:
        out = {"line": self.line, "reason": self.reason}
        if self.column:
            out["column"] = self.column
        return out


@dataclass
class Problems:
    """Rows rejected and cells that could not be read; long lists are cut, totals kept."""

    rejected: list[RowProblem] = field(default_factory=list)
    rejected_total: int = 0
    unreadable_cells: list[RowProblem] = field(default_factory=list)
    unreadable_total: int = 0

    def reject(self, problems: list[RowProblem]) -> None:
        self.rejected_total += len(problems)
        room = MAX_LISTED - len(self.rejected)
        self.rejected.extend(problems[: max(room, 0)])

    def unreadable(self, problems: list[RowProblem]) -> None:
        self.unreadable_total += len(problems)
        room = MAX_LISTED - len(self.unreadable_cells)
        self.unreadable_cells.extend(problems[: max(room, 0)])

    def merge(self, other: "Problems") -> None:
        self.reject(other.rejected)
        self.rejected_total += other.rejected_total - len(other.rejected)
        self.unreadable(other.unreadable_cells)
        self.unreadable_total += other.unreadable_total - len(other.unreadable_cells)


@dataclass
class Normalized:
    kind: Kind
    frame: pd.DataFrame
    problems: Problems
    compared_domains: tuple[str, ...] = ()  # gap kinds only
    extra_columns: tuple[str, ...] = ()


def canonicalize(raw: pd.DataFrame, match: HeaderMatch, lines: pd.Series | None = None) -> Normalized:
    """Turn a frame of raw strings, whose header `match` describes, into the canonical frame.

    `lines` gives each row's line number in the source; by default row i is line i + 2
    (one header line, numbered from 1).
    """
    kind = match.kind
    raw = raw.reset_index(drop=True)
    if lines is None:
        lines = pd.Series(np.arange(2, len(raw) + 2), dtype="int64")
    lines = pd.Series(np.asarray(lines, dtype="int64"))
    problems = Problems()
    out: dict[str, pd.Series] = {}
    raw_name = {canonical: header for header, canonical in match.mapping.items()}

    for col in kind.columns:
        if col.name not in raw_name:
            out[col.name] = _missing_column(col.type, len(raw))
            continue
        header = raw_name[col.name]
        values, bad = _convert(raw[header], col.type)
        out[col.name] = values
        if bad.any():
            problems.unreadable(
                [RowProblem(int(line), f"cannot read {raw[header].iloc[i]!r} as {col.type}", header)
                 for i, line in zip(np.flatnonzero(bad.to_numpy()), lines[bad.to_numpy()])]
            )

    compared: tuple[str, ...] = ()
    extras: list[str] = []
    per_domain: list[str] = []
    for header in match.unknown:
        if kind.per_domain_columns and _DOMAIN_HEADER.match(str(header).strip()):
            per_domain.append(header)
            continue
        name = _free_name(snake_case(header), {**out, **{c.name: None for c in kind.derived}})
        out[name] = raw[header].fillna("").astype("str")
        extras.append(name)

    frame = pd.DataFrame(out, copy=False)  # copy-on-write keeps the raw frame safe; a copy costs ~0.08 s
    keep = pd.Series(True, index=frame.index)
    for col in kind.columns:
        if col.not_empty and col.name in raw_name:
            values = frame[col.name]
            # Text columns come out of _convert already stripped.
            text = values if col.type == STRING else values.astype("str").str.strip()
            empty = values.isna() | text.eq("")
            if empty.any():
                problems.reject([RowProblem(int(line), f"empty {raw_name[col.name]!r}", raw_name[col.name])
                                 for line in lines[empty.to_numpy()]])
                keep &= ~empty
    if not keep.all():
        frame = frame[keep.to_numpy()].reset_index(drop=True)
        raw = raw[keep.to_numpy()].reset_index(drop=True)
        lines = lines[keep.to_numpy()].reset_index(drop=True)

    if per_domain:
        frame, compared = _melt_per_domain(frame, raw, per_domain, lines, problems)
        lines = pd.Series(np.tile(lines.to_numpy(), len(per_domain)))

    frame = _derive(kind, frame)
    if kind.name in ("referring_domains", "gap") and "domain" in raw_name:
        # A cell with text but no host in it ("?x", "mailto:a") leaves the must-have domain empty.
        nameless = (frame["domain"] == "").to_numpy(dtype=bool, na_value=True)
        if nameless.any():
            header = raw_name["domain"]
            problems.reject([RowProblem(int(line), f"no domain name in {header!r}", header)
                             for line in sorted(set(lines[nameless].tolist()))])
            frame = frame[~nameless].reset_index(drop=True)
    ordered = [c.name for c in kind.columns + kind.derived] + extras
    frame = frame[[c for c in ordered if c in frame.columns]]
    return Normalized(kind, frame, problems, compared, tuple(extras))


def _missing_column(type_: str, length: int) -> pd.Series:
    if type_ == BOOL:
        return pd.Series(np.zeros(length, dtype=bool))
    if type_ == INT:
        return pd.Series(pd.array([pd.NA] * length, dtype="Int64"))
    if type_ == FLOAT:
        return pd.Series(np.full(length, np.nan))
    if type_ == DATETIME:
        return pd.Series(pd.NaT, index=range(length), dtype="datetime64[ns]")
    if type_ == KEY:
        # A made-up key would pass for a real one: every link equal to every other in a comparison.
        raise ValueError("a key column is computed from its frame (lib.normalize._derive), never filled in")
    return pd.Series([""] * length, dtype="str")


def _free_name(name: str, taken: dict) -> str:
    candidate = name if name not in taken else f"extra_{name}"
    n = 2
    while candidate in taken:
        candidate = f"extra_{name}_{n}"
        n += 1
    return candidate


def _needs_strip(text: pd.Series) -> bool:
    """False when no cell starts or ends with whitespace: the text is kept as it is, sharing the raw
    column's memory instead of copying it (a million backlinks: ~300 MB less at the import's peak).

    Only the distinct first and last characters are looked at, read from Arrow's buffers, instead of
    running a regex over every cell.
    """
    if not isinstance(text.array, pd.arrays.ArrowStringArray):
        return True
    return any(ch.strip() != ch for ch in edge_characters(column_strings(text)))  # exactly what str.strip would remove


def _convert(values: pd.Series, type_: str) -> tuple[pd.Series, pd.Series]:
    """Typed values and a mask of cells that had text but could not be read."""
    if (type_ == BOOL and values.dtype == bool) or (type_ == DATETIME and str(values.dtype) == "datetime64[ns]") \
            or (type_ == INT and str(values.dtype) == "Int64"):
        return values, pd.Series(False, index=values.index)  # typed by the reader's fast path
    if type_ != STRING and len(values) > 1_000 and isinstance(values.array, pd.arrays.ArrowStringArray):
        # Flags, counts and dates take few distinct values: convert each once and map back by code.
        # The conversion is cell by cell, so this gives exactly what converting every cell gives.
        encoded = pc.dictionary_encode(column_strings(values), null_encoding="encode")
        dictionary = encoded.chunk(0).dictionary if encoded.num_chunks else pa.array([], pa.string())
        if encoded.num_chunks and all(c.dictionary.equals(dictionary) for c in encoded.chunks) \
                and len(dictionary) <= len(values) // 4:
            codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks])
            typed, bad = _convert_text(pd.Series(pd.array(dictionary, dtype="str")), type_)
            return (pd.Series(typed.array.take(codes), index=values.index),
                    pd.Series(bad.to_numpy(dtype=bool)[codes], index=values.index))
    return _convert_text(values, type_)


def _convert_text(values: pd.Series, type_: str) -> tuple[pd.Series, pd.Series]:
    text = values.fillna("").astype("str")
    if _needs_strip(text):
        text = text.str.strip()
    if type_ == STRING:
        return text, pd.Series(False, index=text.index)
    if type_ == BOOL:
        return parse_bools(text)
    if type_ in (INT, FLOAT):
        return parse_numbers(text, integer=type_ == INT)
    if type_ == DATETIME:
        return parse_dates(text)
    raise ValueError(type_)


def parse_bools(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    lowered = text.str.lower()
    is_true = lowered.isin(_TRUE)
    bad = ~(is_true | lowered.isin(_FALSE))
    return pd.Series(is_true.to_numpy(dtype=bool), index=text.index), bad


def _plain_integers(text: pd.Series) -> np.ndarray | None:
    """The values as int64 when every cell is plain ASCII digits (up to 18, so no overflow), else None.

    Exports write counts and scores as plain digits: one pass in C instead of cleaning and parsing
    every cell (about a second on the three number columns of a million backlinks).
    """
    if not len(text) or not isinstance(text.array, pd.arrays.ArrowStringArray):
        return None
    values = pa.array(text.array)
    if values.null_count or not pc.all(pc.match_substring_regex(values, r"^[0-9]{1,18}$")).as_py():
        return None
    return pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False)


def parse_numbers(text: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    plain = _plain_integers(text)
    if plain is not None:
        numbers = pd.Series(pd.array(plain, dtype="Int64") if integer else plain.astype("float64"), index=text.index)
        return numbers, pd.Series(False, index=text.index)
    # "1,234", "1 234", "12.0" and "45%" all occur in files that went through a spreadsheet.
    cleaned = text.str.replace("[ \t\n\r\x0b\x0c,\xa0%]", "", regex=True)
    numbers = pd.to_numeric(cleaned, errors="coerce")
    bad = numbers.isna() & (cleaned != "") & ~cleaned.str.lower().isin({"-", "n/a", "na", "nan", "none", "null"})
    if integer:
        fractional = numbers.notna() & (numbers != np.floor(numbers.fillna(0)))
        too_big = numbers.abs() > 2**62
        bad |= too_big
        numbers = numbers.mask(too_big)
        numbers = numbers.round().astype("Float64").astype("Int64")
        del fractional
        return numbers, bad
    return numbers.astype("float64"), bad


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO dates and datetimes, Unix timestamps (the API's), and common spreadsheet formats."""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    present = ~text.str.lower().isin({"", "-", "n/a", "na", "nan", "none", "null", "nat"})
    if not present.any():
        return result, pd.Series(False, index=text.index)
    numeric = present & text.str.fullmatch(r"\d{9,13}(?:\.\d+)?")
    if numeric.any():
        seconds = pd.to_numeric(text[numeric], errors="coerce")
        seconds = seconds.where(seconds < 1e11, seconds / 1000)  # milliseconds
        result[numeric] = _as_ns(pd.to_datetime(seconds, unit="s", errors="coerce"))
    rest = present & ~numeric
    if rest.any():
        iso = pd.to_datetime(text[rest], format="ISO8601", errors="coerce", utc=True)
        result[rest] = _as_ns(iso.dt.tz_convert(None))
        still = rest & result.isna()
        if still.any():
            result[still] = _parse_mixed_dates(text[still])
    bad = present & result.isna()
    return result, bad


def _parse_mixed_dates(text: pd.Series) -> pd.Series:
    # Few cells reach this slow path: only those that are not ISO or Unix time.
    def one(value: str):
        try:
            stamp = pd.Timestamp(pd.to_datetime(value, format="mixed", dayfirst=False, utc=True))
        except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
            return pd.NaT
        return stamp.tz_convert(None)

    uniques = pd.Series(text.unique())
    parsed = dict(zip(uniques, uniques.map(one)))
    return _as_ns(pd.to_datetime(text.map(parsed), errors="coerce"))


def _as_ns(values: pd.Series) -> pd.Series:
    """Dates outside what datetime64[ns] holds (years 1677-2262: "9999-12-31", "0001-01-01") become missing."""
    inside = values.isna() | ((values >= pd.Timestamp("1677-09-22")) & (values <= pd.Timestamp("2262-04-11")))
    return values.where(inside).astype("datetime64[ns]")


def _melt_per_domain(frame: pd.DataFrame, raw: pd.DataFrame, headers: list[str], lines: pd.Series,
                     problems: Problems) -> tuple[pd.DataFrame, tuple[str, ...]]:
    compared = tuple(domains.clean_host(h.strip().split("//")[-1].rstrip("/")) for h in headers)
    parts = []
    for header, name in zip(headers, compared):
        counts, bad = parse_numbers(raw[header].fillna("").astype("str").str.strip(), integer=True)
        if bad.any():
            problems.unreadable([RowProblem(int(line), f"cannot read {raw[header].iloc[i]!r} as int", header)
                                 for i, line in zip(np.flatnonzero(bad.to_numpy()), lines[bad.to_numpy()])])
        part = frame.copy()
        part["compared_domain"] = name
        part["backlinks"] = pd.array(counts.fillna(0).to_numpy(dtype="int64"), dtype="Int64")
        parts.append(part)
    melted = pd.concat(parts, ignore_index=True)
    melted["compared_domain"] = melted["compared_domain"].astype("str")
    return melted, compared


def _derive(kind: Kind, frame: pd.DataFrame) -> pd.DataFrame:
    if kind.name == "backlinks":
        # The linking URLs' hosts and domains (Arrow) beside the link keys and the target hosts (NumPy, Arrow):
        # all release the GIL; on a million backlinks ~0.45 s against ~0.2 s and ~0.03 s, so the target hosts
        # go with the keys (measured ~0.05 s sooner than beside the domains).
        parts, (target_hosts, keys) = beside(
            lambda: domains.host_parts(frame["source_url"]),
            lambda: (domains.hosts(frame["target_url"]),
                     pair_hashes(column_strings(frame["source_url"]), column_strings(frame["target_url"]))))
        frame["source_host"], frame["source_domain"], frame["source_tld"] = parts
        frame["target_host"] = target_hosts
        frame["link_type"] = link_types(frame)
        frame["link_key"] = keys
    elif kind.name in ("referring_domains", "gap"):
        frame["domain"], frame["root_domain"], tld = domains.host_parts(frame["domain"])
        if kind.name == "referring_domains":
            frame["tld"] = tld
    elif kind.name in ("audit", "gap_backlinks"):
        source_hosts, frame["source_domain"], _ = domains.host_parts(frame["source_url"])
        if kind.name == "audit":
            frame["source_host"] = source_hosts
    elif kind.name == "referring_ips":
        frame["subnet"] = frame["ip"].str.extract(r"^(\d+\.\d+\.\d+)\.\d+$", expand=False).fillna("") + ".0/24"
        frame.loc[frame["subnet"] == ".0/24", "subnet"] = ""
    for col in kind.derived:
        if col.name not in frame:
            frame[col.name] = _missing_column(col.type, len(frame)).array
    return frame


def link_types(frame: pd.DataFrame) -> pd.Series:
    """One link type per backlink; Semrush sets one flag, and a row with none set is a text link."""
    code = np.select([frame["image"].to_numpy(bool), frame["form"].to_numpy(bool), frame["frame"].to_numpy(bool)],
                     [1, 2, 3], default=0)
    return labels_by_code(code, ("text", "image", "form", "frame"), frame.index)


def kind(name: str) -> Kind:
    return KINDS[name]
