"""Google disavow files: written only from "disavow" decisions, and read back liberally.

Google's format (Search Console help, "Disavow links to your site"): a UTF-8 or 7-bit ASCII text file, one entry
per line; `domain:example.com` disavows a whole domain, a full URL disavows one page, lines starting with `#` are
comments. The file may be at most 2 MB and 100,000 lines (comments and blank lines count), and a URL at most
2,048 characters. Beyond a limit we refuse with a clear message rather than write a file Google rejects.

Reasons and notes come from imported data and from users: before they go into a comment, everything that any
reader could take for a line break (CR, LF, VT, FF, NEL, U+2028/2029, other control characters) becomes a space,
so a reason can never start a line of its own and smuggle in an entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lib.decisions import clean_item

MAX_BYTES = 2_000_000  # Google: "2 MB"; the decimal reading is the safe one
MAX_LINES = 100_000
MAX_URL_LENGTH = 2048
MAX_REASON = 300


class DisavowError(ValueError):
    """A disavow file that Google would refuse; the message says which limit and by how much."""


@dataclass(frozen=True)
class DisavowEntry:
    line: int  # 1-based line number in the file it came from
    scope: str  # "domain" or "url"
    item: str  # the cleaned domain or URL, as lib.decisions keys it

    @property
    def text(self) -> str:
        return f"domain:{self.item}" if self.scope == "domain" else self.item


@dataclass
class ParsedDisavow:
    entries: list[DisavowEntry] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, what is wrong); 0 = file
    comments: int = 0
    duplicates: int = 0

    @property
    def domains(self) -> list[str]:
        return [e.item for e in self.entries if e.scope == "domain"]

    @property
    def urls(self) -> list[str]:
        return [e.item for e in self.entries if e.scope == "url"]

    @property
    def texts(self) -> set[str]:
        return {e.text for e in self.entries}


@dataclass(frozen=True)
class DisavowDiff:
    added: list[str]  # in the new file, not in the existing one
    removed: list[str]  # in the existing file, not in the new one
    unchanged: list[str]


def comment_text(value: object) -> str:
    """One line of plain text: control and line-separator characters become spaces, runs of space collapse."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") else ch
                   for ch in str(value or ""))
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[:MAX_REASON - 1] + "…"


def _covered_by_domain(url: str, domains: set[str]) -> bool:
    host = re.sub(r"^https?://", "", url).split("/")[0].split("?")[0].split("#")[0].split(":")[0]
    host = host.split("@")[-1]
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


def disavow_lines(decisions: pd.DataFrame, today: date, reasons: Mapping[str, str] | None = None) -> list[str]:
    """The lines of a disavow file from the "disavow" rows of a decisions frame (lib.decisions.decisions_for).

    Entries are grouped under one `# <date> <reason>` comment per decision date and reason (the user's note,
    then `reasons[item]`, e.g. the risk markers). URLs on a disavowed domain are left out: the domain line
    covers them. Raises DisavowError when the result would break one of Google's limits.
    """
    chosen = decisions[decisions["decision"] == "disavow"] if len(decisions) else decisions
    extra = reasons or {}
    rows = []
    for record in chosen.itertuples(index=False):
        scope = str(record.scope)
        try:
            item = clean_item(str(record.item), scope)
        except ValueError as error:
            raise DisavowError(f"Cannot write a disavow entry: {error}.") from None
        if scope == "url" and len(item) > MAX_URL_LENGTH:
            raise DisavowError(f"The URL {item[:80]!r}… is {len(item):,} characters long; Google accepts at most "
                               f"{MAX_URL_LENGTH:,}. Disavow its domain instead.")
        decided = pd.Timestamp(record.decided_at) if pd.notna(record.decided_at) else pd.Timestamp(today)
        reason = " · ".join(p for p in (comment_text(record.note), comment_text(extra.get(item, ""))) if p)
        rows.append((scope, item, decided.date().isoformat(), reason or "no reason noted"))
    domains = {item for scope, item, _, _ in rows if scope == "domain"}
    kept: dict[tuple[str, str], None] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for scope, item, day, reason in sorted(rows, key=lambda r: (r[2], r[3], r[0], r[1])):
        if scope == "url" and _covered_by_domain(item, domains):
            continue
        text = f"domain:{item}" if scope == "domain" else item
        if (scope, text) in kept:
            continue
        kept[(scope, text)] = None
        groups.setdefault((day, reason), []).append(text)
    lines = [f"# Disavow file written by Linkscope on {today.isoformat()}: {len(kept):,} entries "
             f"({len(domains):,} domains), each from a disavow decision.",
             "# Google ignores most spammy links by itself; disavow only clearly manipulative links you could "
             "not get removed."]
    for (day, reason), texts in groups.items():
        lines.append(f"# {day} {reason}")
        lines.extend(texts)
    _check_limits(lines)
    return lines


def _check_limits(lines: list[str]) -> None:
    if len(lines) > MAX_LINES:
        raise DisavowError(f"The disavow file would have {len(lines):,} lines; Google accepts at most "
                           f"{MAX_LINES:,}. Disavow whole domains instead of single URLs.")
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    if size > MAX_BYTES:
        raise DisavowError(f"The disavow file would be {size / 1_000_000:.2f} MB; Google accepts at most "
                           f"{MAX_BYTES / 1_000_000:.0f} MB. Disavow whole domains instead of single URLs, "
                           "or shorten the notes.")


def disavow_bytes(decisions: pd.DataFrame, today: date, reasons: Mapping[str, str] | None = None) -> bytes:
    """The disavow file as UTF-8 bytes (no BOM, LF line ends, a final newline)."""
    return ("\n".join(disavow_lines(decisions, today, reasons)) + "\n").encode("utf-8")


def _decode(data: bytes | str, problems: list[tuple[int, str]]) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append((0, "The file is UTF-16; Google wants UTF-8. It was read anyway."))
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        problems.append((line, f"Line {line} is not UTF-8 (Google wants UTF-8); the file was read as "
                               "Windows-1252."))
        return data.decode("cp1252", errors="replace")


def parse_disavow(text: bytes | str) -> ParsedDisavow:
    """Entries of an existing disavow file, and what is wrong with other lines (by line number).

    Liberal in what it reads: a BOM, CRLF or CR line ends, blank lines, spaces around entries, `Domain:` in any
    case, `domain:` followed by a URL or `www.`. A bare domain without `domain:` is reported, not guessed.
    """
    parsed = ParsedDisavow()
    body = _decode(text, parsed.problems)
    seen: set[str] = set()
    # Only CR / LF split lines here: that is what Google reads, and what disavow_lines guards against.
    lines = re.split(r"\r\n|\r|\n", body)
    if len(body.encode("utf-8")) > MAX_BYTES:
        parsed.problems.append((0, f"The file is larger than {MAX_BYTES / 1_000_000:.0f} MB; Google would refuse "
                                   "it."))
    if len(lines) - (lines[-1] == "") > MAX_LINES:
        parsed.problems.append((0, f"The file has more than {MAX_LINES:,} lines; Google would refuse it."))
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            parsed.comments += 1
            continue
        shown = comment_text(line)[:80]
        match = re.match(r"(?i)^domain\s*:\s*(.*)$", line)
        try:
            if match:
                entry = DisavowEntry(number, "domain", clean_item(match.group(1), "domain"))
            elif re.match(r"(?i)^https?://", line):
                if len(line) > MAX_URL_LENGTH:
                    parsed.problems.append((number, f"Line {number}: the URL is longer than {MAX_URL_LENGTH:,} "
                                                    "characters."))
                    continue
                entry = DisavowEntry(number, "url", clean_item(line, "url"))
            elif "." in line and " " not in line and "/" not in line:
                parsed.problems.append((number, f"Line {number}: '{shown}' has no 'domain:' in front, so Google "
                                                f"ignores it; write 'domain:{shown}'."))
                continue
            else:
                parsed.problems.append((number, f"Line {number}: '{shown}' is neither a URL nor a domain: line."))
                continue
        except ValueError:
            parsed.problems.append((number, f"Line {number}: '{shown}' is not a valid "
                                            f"{'domain' if match else 'URL'}."))
            continue
        if entry.text in seen:
            parsed.duplicates += 1
            continue
        seen.add(entry.text)
        parsed.entries.append(entry)
    return parsed


def compare_disavow(existing: ParsedDisavow | Iterable[str], new: ParsedDisavow | Iterable[str]) -> DisavowDiff:
    """What a new file adds and removes compared with an existing one (entries as `domain:x` or URL text)."""
    old = existing.texts if isinstance(existing, ParsedDisavow) else set(existing)
    fresh = new.texts if isinstance(new, ParsedDisavow) else set(new)
    return DisavowDiff(added=sorted(fresh - old), removed=sorted(old - fresh), unchanged=sorted(old & fresh))


def import_decisions(workspace_id: str, parsed: ParsedDisavow, today: date, *, file_name: str = "",
                     root=None) -> dict[str, int]:
    """Make each entry of an existing disavow file a "disavow" decision; returns how many per scope were written.

    Decisions the user already made (keep, remove, disavow) are left as they are: an old file must not undo a
    review. Both scopes are written in one call each, so each is all or nothing.
    """
    from lib.decisions import set_decisions  # noqa: PLC0415 - keeps this module importable without a database

    note = comment_text(f"from the disavow file {file_name} imported {today.isoformat()}" if file_name
                        else f"from a disavow file imported {today.isoformat()}")
    return {scope: set_decisions(workspace_id, items, "disavow", note, scope=scope, source="import",
                                 root=root, overwrite=False)
            for scope, items in (("domain", parsed.domains), ("url", parsed.urls))}
