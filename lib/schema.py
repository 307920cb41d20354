"""The canonical data model: one schema per kind of Semrush backlink data.

Exports (CSV, XLSX) and API answers all end up as these frames. Headers are matched
case-insensitively with surrounding spaces ignored, through known aliases (export
headers and API column codes alike), because Semrush renames columns now and then.
Columns we do not know are kept, snake_cased, as strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Logical column types; lib.normalize turns raw strings into these pandas dtypes.
STRING = "string"
INT = "int"  # pandas "Int64": integers that may be missing (Authority Score, counts)
BOOL = "bool"  # numpy bool: Semrush writes true/false, an empty flag means false
DATETIME = "datetime"  # datetime64[ns], naive UTC
FLOAT = "float"
KEY = "key"  # numpy uint64: a hash computed at import, never read from a file

PANDAS_DTYPES = {
    STRING: "str",
    INT: "Int64",
    BOOL: "bool",
    DATETIME: "datetime64[ns]",
    FLOAT: "float64",
    KEY: "uint64",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # must be in the header for a file to be this kind
    not_empty: bool = False  # a row with this cell empty cannot be used and is rejected


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # as Semrush's UI calls the report
    columns: tuple[Column, ...]
    derived: tuple[Column, ...] = ()  # computed at import by lib.normalize
    # Gap exports have one backlinks column per compared domain; they are melted to long form.
    per_domain_columns: bool = False
    api_report: str | None = None  # Semrush analytics/v1 `type`
    hint: str = ""  # where in Semrush this export comes from

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for col in self.columns + self.derived:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def dtypes(self) -> dict[str, str]:
        return {c.name: PANDAS_DTYPES[c.type] for c in self.columns + self.derived}


def _c(name: str, type_: str, *aliases: str, required: bool = False, not_empty: bool = False) -> Column:
    return Column(name, type_, (name, *aliases), required, not_empty)


FIRST_SEEN = _c("first_seen", DATETIME, "first seen", "first_seen_date", "found date", "first found")
LAST_SEEN = _c("last_seen", DATETIME, "last seen", "last_seen_date", "last check", "last checked")
BACKLINK_COUNT = _c("backlinks", INT, "backlinks_num", "backlinks num", "links", "backlink count", "total backlinks")
DOMAIN_COUNT = _c(
    "domains", INT, "domains_num", "referring domains", "refdomains", "ref domains", "domains num", required=True
)

BACKLINKS = Kind(
    name="backlinks",
    label="Backlinks",
    hint="Backlink Analytics → Backlinks → Export",
    api_report="backlinks",
    columns=(
        _c("page_ascore", INT, "page ascore", "page as", "page authority score", "ascore", "page_score"),
        _c("source_title", STRING, "source title", "title", "referring page title"),
        _c("source_url", STRING, "source url", "referring page url", "referring page", "source", required=True,
           not_empty=True),
        _c("target_url", STRING, "target url", "target", required=True, not_empty=True),
        _c("anchor", STRING, "anchor text"),
        _c("external_links", INT, "external links", "external_num", "external link count"),
        _c("internal_links", INT, "internal links", "internal_num", "internal link count"),
        _c("nofollow", BOOL),
        _c("sponsored", BOOL),
        _c("ugc", BOOL),
        _c("text", BOOL),
        _c("frame", BOOL),
        _c("form", BOOL),
        _c("image", BOOL),
        _c("sitewide", BOOL),
        FIRST_SEEN,
        LAST_SEEN,
        _c("new_link", BOOL, "new link", "newlink", "new"),
        _c("lost_link", BOOL, "lost link", "lostlink", "lost"),
    ),
    derived=(
        Column("source_host", STRING),
        Column("source_domain", STRING),  # registrable domain, from the public suffix list
        Column("source_tld", STRING),
        Column("target_host", STRING),
        Column("link_type", STRING),  # text / image / form / frame
        # Hash of (source_url, target_url), lib.arrow_strings.pair_hashes: how snapshots are compared link by
        # link (lib.analysis.snapshot_diff.link_keys) without hashing a million URL pairs on every page open.
        # Code that changes either URL column of a frame must drop it (or hash again), or comparisons go wrong.
        Column("link_key", KEY),
    ),
)

REFERRING_DOMAINS = Kind(
    name="referring_domains",
    label="Referring Domains",
    hint="Backlink Analytics → Referring Domains → Export",
    api_report="backlinks_refdomains",
    columns=(
        _c("domain_ascore", INT, "domain ascore", "domain as", "ascore", "authority score", "domain authority score"),
        _c("domain", STRING, "referring domain", "referring domains", "root domain", "source domain", required=True,
           not_empty=True),
        _c("backlinks", INT, "backlinks_num", "backlinks num", "links", "backlink count", required=True),
        _c("ip", STRING, "ip address"),
        _c("country", STRING, "country code"),
        FIRST_SEEN,
        LAST_SEEN,
        _c("category", STRING, "domain category", "categories", "domain categories"),
    ),
    derived=(Column("root_domain", STRING), Column("tld", STRING)),
)

ANCHORS = Kind(
    name="anchors",
    label="Anchors",
    hint="Backlink Analytics → Anchors → Export",
    api_report="backlinks_anchors",
    columns=(
        _c("anchor", STRING, "anchor text", required=True),
        DOMAIN_COUNT,
        BACKLINK_COUNT,
        FIRST_SEEN,
        LAST_SEEN,
    ),
)

INDEXED_PAGES = Kind(
    name="indexed_pages",
    label="Indexed Pages",
    hint="Backlink Analytics → Indexed Pages → Export",
    api_report="backlinks_pages",
    columns=(
        # The API names the site's own page `source_url`: from Semrush's side it is where the crawl started.
        _c("target_url", STRING, "url", "target url", "page url", "source_url", "page", required=True,
           not_empty=True),
        _c("title", STRING, "source title", "source_title", "page title"),
        DOMAIN_COUNT,
        BACKLINK_COUNT,
        _c("response_code", INT, "response code", "http code", "status code", "http status"),
        _c("external_links", INT, "external links", "external_num"),
        _c("internal_links", INT, "internal links", "internal_num"),
        FIRST_SEEN,
        LAST_SEEN,
    ),
)

REFERRING_IPS = Kind(
    name="referring_ips",
    label="Referring IPs",
    hint="Backlink Analytics → Referring IPs → Export",
    api_report="backlinks_refips",
    columns=(
        _c("ip", STRING, "ip address", required=True, not_empty=True),
        _c("country", STRING, "country code"),
        DOMAIN_COUNT,
        BACKLINK_COUNT,
        FIRST_SEEN,
        LAST_SEEN,
    ),
    derived=(Column("subnet", STRING),),
)

TLD = Kind(
    name="tld",
    label="TLD Distribution",
    hint="Backlink Analytics → Overview → TLD distribution → Export",
    api_report="backlinks_tld",
    columns=(
        _c("zone", STRING, "tld", "domain zone", "top level domain", required=True, not_empty=True),
        DOMAIN_COUNT,
        BACKLINK_COUNT,
    ),
)

GEO = Kind(
    name="geo",
    label="Country Distribution",
    hint="Backlink Analytics → Overview → Countries → Export",
    api_report="backlinks_geo",
    columns=(
        _c("country", STRING, "country name", "country code", required=True, not_empty=True),
        DOMAIN_COUNT,
        BACKLINK_COUNT,
    ),
)

AUDIT = Kind(
    name="audit",
    label="Backlink Audit",
    hint="Backlink Audit → Audit → Export",
    columns=(
        _c("source_url", STRING, "source url", "referring page url", "source", required=True, not_empty=True),
        _c("source_title", STRING, "source title", "title"),
        _c("target_url", STRING, "target url", "target", required=True),
        _c("anchor", STRING, "anchor text"),
        _c("toxicity_score", INT, "toxicity score", "toxic score", "tox score", "toxicity", "toxic score (ts)",
           required=True),
        _c("toxic_markers", STRING, "toxic markers", "markers", "toxic marker"),
        _c("status", STRING, "action", "your action", "list", "audit status"),
        _c("page_ascore", INT, "page ascore", "page as", "ascore", "authority score"),
        _c("nofollow", BOOL),
        _c("sponsored", BOOL),
        _c("ugc", BOOL),
        FIRST_SEEN,
        LAST_SEEN,
    ),
    derived=(Column("source_domain", STRING), Column("source_host", STRING)),
)

# Gap exports carry one backlinks column per compared domain, named after that domain;
# lib.normalize melts them into (compared_domain, backlinks) rows.
GAP = Kind(
    name="gap",
    label="Backlink Gap (referring domains)",
    hint="Backlink Gap → Referring domains → Export",
    api_report="backlinks_matrix",
    per_domain_columns=True,
    columns=(
        _c("domain", STRING, "referring domain", "referring domains", "root domain", required=True, not_empty=True),
        _c("domain_ascore", INT, "domain ascore", "domain as", "domain score", "ascore", "authority score"),
        _c("matches", INT, "matches_num", "matches count", "match", "intersections", required=True),
    ),
    derived=(
        Column("root_domain", STRING),
        Column("compared_domain", STRING),
        Column("backlinks", INT),
    ),
)

GAP_BACKLINKS = Kind(
    name="gap_backlinks",
    label="Backlink Gap (backlinks)",
    hint="Backlink Gap → Backlinks → Export",
    per_domain_columns=True,
    columns=(
        _c("source_url", STRING, "source url", "referring page url", "source", required=True, not_empty=True),
        _c("source_title", STRING, "source title", "title"),
        _c("page_ascore", INT, "page ascore", "page as", "ascore", "authority score"),
        _c("matches", INT, "matches_num", "matches count", "match", "intersections", required=True),
    ),
    derived=(
        Column("source_domain", STRING),
        Column("compared_domain", STRING),
        Column("backlinks", INT),
    ),
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (BACKLINKS, REFERRING_DOMAINS, ANCHORS, INDEXED_PAGES, REFERRING_IPS, TLD, GEO, AUDIT, GAP, GAP_BACKLINKS)
}


def normalize_header(header: object) -> str:
    """'  Page  ASCORE ' -> 'page ascore'; 'backlinks_num' -> 'backlinks num'."""
    text = str(header).replace("\ufeff", "").strip().lower()
    text = re.sub(r"[_\s]+", " ", text)
    return text


def snake_case(header: object) -> str:
    text = re.sub(r"[^0-9a-z]+", "_", normalize_header(header)).strip("_")
    return text or "column"


@dataclass(frozen=True)
class HeaderMatch:
    kind: Kind
    mapping: dict[str, str]  # raw header -> canonical column
    missing: tuple[str, ...]  # required columns not found
    unknown: tuple[str, ...] = field(default=())  # raw headers kept as extra columns

    @property
    def complete(self) -> bool:
        return not self.missing


def match_header(headers: list[str], kind: Kind) -> HeaderMatch:
    """Map raw headers onto one kind's columns; the first header that fits a column wins."""
    alias_to_column: dict[str, str] = {}
    for col in kind.columns:
        for alias in col.aliases:
            alias_to_column.setdefault(normalize_header(alias), col.name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    unknown: list[str] = []
    for raw in headers:
        canonical = alias_to_column.get(normalize_header(raw))
        if canonical and canonical not in taken:
            mapping[raw] = canonical
            taken.add(canonical)
        else:
            unknown.append(raw)
    missing = tuple(name for name in kind.required if name not in taken)
    return HeaderMatch(kind, mapping, missing, tuple(unknown))


def detect_kind(headers: list[str]) -> HeaderMatch:
    """The kind whose required columns all appear, preferring the most specific one.

    When nothing matches completely, the closest kind is returned with its missing
    columns so the caller can say what the file lacks.
    """
    candidates = [match_header(headers, kind) for kind in KINDS.values()]

    def score(match: HeaderMatch) -> tuple[int, int, int]:
        found_required = len(match.kind.required) - len(match.missing)
        return (int(match.complete), found_required, len(match.mapping))

    return max(candidates, key=score)


def empty_frame(kind: str) -> "pd.DataFrame":  # noqa: F821 - pandas imported lazily for a light module
    import pandas as pd

    spec = KINDS[kind]
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in spec.dtypes.items()})
