"""The Semrush Backlinks API (analytics/v1) reports Linkscope knows, and what each one costs.

Each report names its `type`, the export_columns asked for by default (real Semrush codes), and
the canonical kind its answer becomes. Reports that are lists of backlinks, domains, anchors...
map onto a `lib.schema` kind, so an API answer and an export file end up as the same frame.
Overview, historical and comparison answers have no export twin: they get small kinds of their
own below, built from the same `lib.schema` building blocks so `lib.normalize.canonicalize`
types them exactly like everything else.

Column codes are taken from Semrush's public API documentation. Codes marked *unverified* are
accepted by the fake server and mapped if they come back, but are not asked for by default,
because asking the real API for a column it does not know is an error we cannot test offline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from lib.schema import DATETIME, INT, KINDS, STRING, Column, Kind, match_header

TARGET_TYPES = ("root_domain", "domain", "url")

PER_LINE = "line"
PER_REQUEST = "request"

# API units per returned line (or per request), from Semrush's public price list. ESTIMATES:
# Semrush changes prices and some plans differ; the real charge is what Semrush's
# Subscription info page says. This is the one table every cost in Linkscope comes from.
UNIT_PRICES: dict[str, tuple[int, str]] = {
    "backlinks_overview": (40, PER_REQUEST),
    "backlinks": (40, PER_LINE),
    "backlinks_refdomains": (40, PER_LINE),
    "backlinks_anchors": (40, PER_LINE),
    "backlinks_pages": (40, PER_LINE),
    "backlinks_tld": (40, PER_LINE),
    "backlinks_geo": (40, PER_LINE),
    "backlinks_refips": (40, PER_LINE),
    "backlinks_historical": (40, PER_LINE),
    "backlinks_comparison": (40, PER_LINE),
    "backlinks_matrix": (40, PER_LINE),
}

# Semrush's ceiling for one answer; asking for more rows needs display_offset paging.
MAX_PAGE_ROWS = 10_000


def _own(name: str, type_: str, *codes: str, required: bool = False, not_empty: bool = False) -> Column:
    return Column(name, type_, (name, *codes), required, not_empty)


# Kinds of our own for answers no export file has. Names follow lib.schema: counts of referring
# domains are `domains`, counts of links `backlinks`.
OVERVIEW = Kind(
    name="backlinks_overview",
    label="Backlinks Overview",
    hint="Backlinks API → backlinks_overview",
    api_report="backlinks_overview",
    columns=(
        _own("authority_score", INT, "ascore", "score"),
        _own("backlinks", INT, "total"),
        _own("domains", INT, "domains_num"),
        _own("urls", INT, "urls_num"),
        _own("ips", INT, "ips_num"),
        _own("ip_subnets", INT, "ipclassc_num"),
        _own("follow_links", INT, "follows_num"),
        _own("nofollow_links", INT, "nofollows_num"),
        _own("sponsored_links", INT, "sponsored_num"),
        _own("ugc_links", INT, "ugc_num"),
        _own("text_links", INT, "texts_num"),
        _own("image_links", INT, "images_num"),
        _own("form_links", INT, "forms_num"),
        _own("frame_links", INT, "frames_num"),
    ),
)

HISTORICAL = Kind(
    name="backlinks_historical",
    label="Backlinks History",
    hint="Backlinks API → backlinks_historical (monthly, root domains only)",
    api_report="backlinks_historical",
    columns=(
        _own("date", DATETIME, required=True, not_empty=True),
        _own("backlinks", INT, "backlinks_num"),
        _own("domains", INT, "domains_num"),
        _own("authority_score", INT, "score", "ascore"),
        # unverified codes seen in public client code, kept if they come back
        _own("new_backlinks", INT, "backlinks_new_num"),
        _own("lost_backlinks", INT, "backlinks_lost_num"),
        _own("new_domains", INT, "domains_new_num"),
        _own("lost_domains", INT, "domains_lost_num"),
    ),
)

COMPARISON = Kind(
    name="backlinks_comparison",
    label="Backlinks Comparison",
    hint="Backlinks API → backlinks_comparison",
    api_report="backlinks_comparison",
    columns=(
        _own("target", STRING, required=True, not_empty=True),
        _own("target_type", STRING),
        _own("authority_score", INT, "ascore", "score"),
        _own("backlinks", INT, "backlinks_num", "total"),
        _own("domains", INT, "domains_num"),
        _own("ips", INT, "ips_num"),
        _own("follow_links", INT, "follows_num"),
        _own("nofollow_links", INT, "nofollows_num"),
        _own("text_links", INT, "texts_num"),
        _own("image_links", INT, "images_num"),
        _own("form_links", INT, "forms_num"),
        _own("frame_links", INT, "frames_num"),
    ),
)

API_KINDS: dict[str, Kind] = {k.name: k for k in (OVERVIEW, HISTORICAL, COMPARISON)}


@dataclass(frozen=True)
class Report:
    type: str
    label: str
    kind: Kind
    columns: tuple[str, ...]  # export_columns asked for by default
    optional_columns: tuple[str, ...] = ()  # understood when asked for, not asked by default
    # API codes lib.schema has no alias for yet, renamed to one it has before header matching
    header_renames: Mapping[str, str] = field(default_factory=dict)
    multi_target: bool = False  # targets[] / target_types[] instead of target / target_type
    max_targets: int = 1
    target_types: tuple[str, ...] = TARGET_TYPES
    paged: bool = True  # display_limit / display_offset apply
    # requested codes the answer replaces by one column per target (backlinks_matrix: backlinks_num)
    expanding_columns: tuple[str, ...] = ()
    default_sort: str | None = None

    @property
    def price(self) -> int:
        return UNIT_PRICES[self.type][0]

    @property
    def per_request(self) -> bool:
        return UNIT_PRICES[self.type][1] == PER_REQUEST

    def rename(self, header: str) -> str:
        return self.header_renames.get(header.strip().lower(), header)

    @cached_property
    def code_to_column(self) -> dict[str, str]:
        """API column code -> canonical column, through lib.schema's own header matching."""
        codes = list(self.columns + self.optional_columns)
        renamed = [self.rename(code) for code in codes]
        mapping = match_header(renamed, self.kind).mapping
        return {code: mapping[new] for code, new in zip(codes, renamed) if new in mapping}


REPORTS: dict[str, Report] = {
    r.type: r
    for r in (
        Report("backlinks_overview", "Backlinks overview", OVERVIEW,
               ("ascore", "total", "domains_num", "urls_num", "ips_num", "ipclassc_num", "follows_num",
                "nofollows_num", "sponsored_num", "ugc_num", "texts_num", "images_num", "forms_num",
                "frames_num"),
               paged=False),
        Report("backlinks", "Backlinks", KINDS["backlinks"],
               ("page_ascore", "source_title", "source_url", "target_url", "anchor", "external_num",
                "internal_num", "first_seen", "last_seen", "nofollow", "form", "frame", "image", "sitewide",
                "newlink", "lostlink"),
               optional_columns=("sponsored", "ugc", "text"),  # unverified as column codes
               default_sort="page_ascore_desc"),
        Report("backlinks_refdomains", "Referring domains", KINDS["referring_domains"],
               ("domain_ascore", "domain", "backlinks_num", "ip", "country", "first_seen", "last_seen"),
               optional_columns=("category",),  # unverified
               default_sort="backlinks_num_desc"),
        Report("backlinks_anchors", "Anchors", KINDS["anchors"],
               ("anchor", "domains_num", "backlinks_num", "first_seen", "last_seen"),
               default_sort="backlinks_num_desc"),
        Report("backlinks_pages", "Indexed pages", KINDS["indexed_pages"],
               ("source_url", "source_title", "response_code", "backlinks_num", "domains_num", "last_seen",
                "external_num", "internal_num"),
               optional_columns=("first_seen",),  # unverified
               default_sort="backlinks_num_desc"),
        Report("backlinks_tld", "TLD distribution", KINDS["tld"],
               ("zone", "domains_num", "backlinks_num"), default_sort="domains_num_desc"),
        Report("backlinks_geo", "Referring domains by country", KINDS["geo"],
               ("country", "domains_num", "backlinks_num"), default_sort="domains_num_desc"),
        Report("backlinks_refips", "Referring IPs", KINDS["referring_ips"],
               ("ip", "country", "domains_num", "backlinks_num", "first_seen", "last_seen"),
               default_sort="domains_num_desc"),
        Report("backlinks_historical", "Backlinks history", HISTORICAL,
               ("date", "backlinks_num", "domains_num", "score"),
               optional_columns=("backlinks_new_num", "backlinks_lost_num", "domains_new_num",
                                 "domains_lost_num"),
               target_types=("root_domain",)),
        Report("backlinks_comparison", "Backlinks comparison", COMPARISON,
               ("target", "target_type", "ascore", "backlinks_num", "domains_num", "ips_num", "follows_num",
                "nofollows_num", "texts_num", "images_num", "forms_num", "frames_num"),
               multi_target=True, max_targets=5, paged=False),
        # The answer has no backlinks_num column: asking for it yields one column per target, named
        # after the target, which lib.normalize melts into (compared_domain, backlinks) rows.
        Report("backlinks_matrix", "Backlink gap (referring domains)", KINDS["gap"],
               ("domain", "domain_ascore", "matches_num", "backlinks_num"),
               header_renames={"matches_num": "matches", "domain_score": "domain_ascore"},
               expanding_columns=("backlinks_num",), multi_target=True, max_targets=5,
               default_sort="domain_score_desc"),
    )
}


def get_report(report: str | Report) -> Report:
    if isinstance(report, Report):
        return report
    try:
        return REPORTS[report]
    except KeyError:
        raise ValueError(f"Unknown Semrush report {report!r}; known: {', '.join(REPORTS)}") from None


def estimate_units(report: str | Report, rows: int, page_size: int = MAX_PAGE_ROWS) -> int:
    """API units an answer of `rows` lines would cost (an estimate, see UNIT_PRICES)."""
    spec = get_report(report)
    if spec.per_request:
        requests = max(1, math.ceil(rows / page_size)) if spec.paged else 1
        return spec.price * requests
    return spec.price * max(int(rows), 0)


def units_for_answer(report: str | Report, rows: int) -> int:
    """What one answer with `rows` data lines costs; an empty answer costs nothing."""
    spec = get_report(report)
    if spec.per_request:
        return spec.price if rows else 0
    return spec.price * rows


@dataclass(frozen=True)
class Overview:
    """One target's backlinks_overview row, for metric tiles."""

    authority_score: int | None
    backlinks: int | None
    domains: int | None
    urls: int | None
    ips: int | None
    follow_links: int | None
    nofollow_links: int | None

    @classmethod
    def from_frame(cls, frame: "pd.DataFrame") -> "Overview | None":  # noqa: F821
        if frame is None or not len(frame):
            return None
        import pandas as pd

        row = frame.iloc[0]

        def value(name: str) -> int | None:
            if name not in frame.columns or pd.isna(row[name]):
                return None
            return int(row[name])

        return cls(*(value(name) for name in ("authority_score", "backlinks", "domains", "urls", "ips",
                                              "follow_links", "nofollow_links")))
