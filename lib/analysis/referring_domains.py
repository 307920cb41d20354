"""One row per linking website (registrable domain), from the Backlinks and/or Referring Domains exports.

Where both exports are present, the Referring Domains export gives the domain's Authority Score, backlink
total, IP, country and first/last seen (it covers all of the domain's links, while a Backlinks export may be
cut off), and the Backlinks export gives the follow share and the best linking page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from lib.analysis.categories import categorize_domains
from lib.analysis.overview import LOST_AFTER_DAYS, follow_mask, lost_mask
from lib.arrow_strings import positions_in
from lib.frames import (
    ColumnCodes,
    earliest_by_code,
    first_rows_by_code,
    latest_by_code,
    max_by_code,
    sort_rows,
    values_at,
)
from lib.parallel import beside

COLUMNS = ("domain", "domain_ascore", "backlinks", "live_backlinks", "follow_share", "best_page_ascore",
           "first_seen", "last_seen", "lost", "country", "ip", "tld", "category", "category_reason", "mark", "note",
           "note_private")
_DTYPES = {"domain": "str", "domain_ascore": "Int64", "backlinks": "Int64", "live_backlinks": "Int64",
           "follow_share": "float64", "best_page_ascore": "Int64", "first_seen": "datetime64[ns]",
           "last_seen": "datetime64[ns]", "lost": "bool", "country": "str", "ip": "str", "tld": "str",
           "category": "str", "category_reason": "str", "mark": "str", "note": "str", "note_private": "bool"}


def _from_backlinks(backlinks: pd.DataFrame, data_date: date, domains: ColumnCodes | None = None) -> pd.DataFrame:
    # Figures by integer codes: a million domain strings are not copied out of Arrow and back, and as every code
    # has a row each figure is a bincount or a ufunc.at over the codes (a pandas groupby of the six took ~0.06 s).
    # `domains`: the source domains' ColumnCodes, shared with the categories' thread. Links without a domain are
    # left out (they would make a nameless row, dropped below).
    domains = domains or ColumnCodes(backlinks["source_domain"])
    codes, size, of_links = domains.valid_codes, len(domains.uniques), domains.of_valid
    rows = domains.size
    live = np.bincount(codes, weights=of_links(~lost_mask(backlinks, data_date)), minlength=size).astype(np.int64)

    def dates(column: str) -> np.ndarray:
        if column in backlinks:
            return of_links(backlinks[column].to_numpy(dtype="datetime64[ns]"))
        return np.full(len(codes), np.datetime64("NaT", "ns"))

    page_ascore = (of_links(backlinks["page_ascore"].to_numpy(dtype="float64", na_value=np.nan))
                   if "page_ascore" in backlinks else np.full(len(codes), np.nan))
    grouped = pd.DataFrame({
        "backlinks": rows, "live_backlinks": live,
        "follow_share": np.bincount(codes, weights=of_links(follow_mask(backlinks)), minlength=size) / rows,
        "best_page_ascore": pd.array(max_by_code(codes, page_ascore, size), dtype="Float64").astype("Int64"),
        "first_seen": earliest_by_code(codes, dates("first_seen"), size),
        "last_seen": latest_by_code(codes, dates("last_seen"), size),
    })
    first_rows = first_rows_by_code(domains.codes, size)
    # Text stays in Arrow (str), not Python objects: the table is typed as str afterwards anyway.
    grouped["tld"] = values_at(backlinks["source_tld"], first_rows).array if "source_tld" in backlinks else ""
    grouped.index = pd.Index(domains.uniques, dtype="str", name="domain")
    grouped["lost"] = grouped["live_backlinks"] == 0
    return grouped[grouped.index != ""]


def _from_referring_domains(referring_domains: pd.DataFrame, data_date: date) -> pd.DataFrame:
    key = referring_domains["root_domain"] if "root_domain" in referring_domains else referring_domains["domain"]

    def column(name: str, default):
        return referring_domains[name].to_numpy() if name in referring_domains else default

    frame = pd.DataFrame({
        "domain": key.to_numpy(), "domain_ascore": column("domain_ascore", pd.NA),
        "backlinks": column("backlinks", pd.NA), "ip": column("ip", ""), "country": column("country", ""),
        "tld": column("tld", ""), "first_seen": column("first_seen", pd.NaT), "last_seen": column("last_seen", pd.NaT),
    })
    frame = frame[frame["domain"].fillna("").astype("str") != ""]
    frame["domain_ascore"] = pd.array(frame["domain_ascore"], dtype="Int64")
    frame["backlinks"] = pd.array(frame["backlinks"], dtype="Int64")
    # Subdomains of one site: the site's IP and country are those of its busiest host.
    frame = frame.sort_values("backlinks", ascending=False, na_position="last", kind="stable")
    grouped = frame.groupby("domain", sort=False).agg(
        domain_ascore=("domain_ascore", "max"), backlinks=("backlinks", "sum"), ip=("ip", "first"),
        country=("country", "first"), tld=("tld", "first"), first_seen=("first_seen", "min"),
        last_seen=("last_seen", "max"))
    cutoff = pd.Timestamp(data_date) - pd.Timedelta(days=LOST_AFTER_DAYS)
    grouped["lost"] = (grouped["last_seen"] < cutoff).fillna(False)
    return grouped


def _outer_join(from_export: pd.DataFrame, from_links: pd.DataFrame) -> pd.DataFrame:
    """from_export.join(from_links, how="outer", suffixes=("", "_links")) up to row order (the table is sorted
    afterwards on keys that end with the unique domain): both indexes are unique, so one Arrow lookup places
    every export domain among the link domains; pandas' join sorted and aligned 100,000 Python strings."""
    links_at = positions_in(from_export.index, from_links.index, unique=True)
    links_only = np.setdiff1d(np.arange(len(from_links)), links_at[links_at >= 0], assume_unique=True)
    renamed = {c: f"{c}_links" if c in from_export.columns else c for c in from_links.columns}
    export_rows = from_export.assign(**{renamed[c]: from_links[c].array.take(links_at, allow_fill=True)
                                        for c in from_links.columns})
    link_rows = from_links.iloc[links_only].rename(columns=renamed)
    return pd.concat([export_rows, link_rows])


def domain_table(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None, data_date: date,
                 categories: pd.DataFrame | None = None, marks: pd.DataFrame | None = None) -> pd.DataFrame:
    """The referring domains table (columns in COLUMNS), biggest Authority Score and backlinks first.

    `categories` is lib.analysis.categories.categorize_domains' result; `marks` is lib.marks.marks_for's.
    """
    table = _per_domain(backlinks, referring_domains, data_date)
    return _empty_table() if table is None else with_marks(_with_categories(_typed(table), categories), marks)


def categorized_table(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None, data_date: date,
                      keywords: tuple[str, ...] = (), overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """domain_table with the categories of lib.analysis.categories.categorize_domains, which are worked out on
    a second thread while this one builds the per-domain figures: neither needs the other, and both group the
    links by one shared factorisation of their domains."""
    domains = ColumnCodes(backlinks["source_domain"]) if backlinks is not None and "source_domain" in backlinks \
        else None

    def figures() -> pd.DataFrame | None:
        table = _per_domain(backlinks, referring_domains, data_date, domains)
        return None if table is None else _typed(table)  # typed and sorted while the categories are worked out

    table, categories = beside(figures, lambda: categorize_domains(backlinks, referring_domains, keywords, overrides,
                                                                   domains))
    return _empty_table() if table is None else with_marks(_with_categories(table, categories), None)


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES[c]) for c in COLUMNS})


def _per_domain(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None,
                data_date: date, domains: ColumnCodes | None = None) -> pd.DataFrame | None:
    """The links' and the export's figures per domain, joined (None when there is neither)."""
    from_links = _from_backlinks(backlinks, data_date, domains) if backlinks is not None and len(backlinks) else None
    from_export = (_from_referring_domains(referring_domains, data_date)
                   if referring_domains is not None and len(referring_domains) else None)
    if from_links is None and from_export is None:
        return None
    if from_export is None:
        table = from_links
    elif from_links is None:
        table = from_export
    else:
        table = _outer_join(from_export, from_links)
        for name in ("backlinks", "first_seen", "last_seen", "tld", "lost"):
            table[name] = table[name].where(table[name].notna(), table[f"{name}_links"])
        table = table.drop(columns=[c for c in table.columns if c.endswith("_links")])
    table = table.rename_axis("domain").reset_index()
    for name in COLUMNS:
        if name not in table:
            # float64 holds missing values as NaN; pd.NA cannot be cast to it.
            missing = {"Int64": pd.NA, "float64": np.nan}.get(_DTYPES[name], "")
            table[name] = pd.Series(missing, index=table.index)
    return table


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """The joined figures typed, in COLUMNS and in the table's order; no category yet (empty text)."""
    table["country"] = table["country"].fillna("").astype("str").str.strip().str.upper()
    for name in ("domain", "ip", "tld", "category", "category_reason", "mark", "note"):
        table[name] = table[name].fillna("").astype("str")
    table["lost"] = table["lost"].fillna(False).astype(bool)
    table = table[list(COLUMNS)].astype(_DTYPES)
    return sort_rows(table, ["domain_ascore", "backlinks", "domain"], [False, False, True]).reset_index(drop=True)


def _with_categories(table: pd.DataFrame, categories: pd.DataFrame | None) -> pd.DataFrame:
    """The typed table with each domain's category and reason (empty text for a domain without one)."""
    if categories is None or not len(categories):
        return table
    known = categories.set_index("domain")
    at = positions_in(table["domain"], known.index)  # one lookup for both columns (a map each hashes again)
    for column in ("category", "category_reason"):
        values = known[column].astype("str").array
        table[column] = pd.Series(values.take(at, allow_fill=True), index=table.index).fillna("").astype("str")
    return table


def with_marks(table: pd.DataFrame, marks: pd.DataFrame | None) -> pd.DataFrame:
    """A copy of the table with the user's current marks and notes (lib.marks.marks_for) filled in, and
    `note_private` (True where the note is not shared, and where there is none)."""
    marked = table.copy()
    if marks is None or marks.empty:
        marked["mark"] = ""
        marked["note"] = ""
        marked["note_private"] = True
    else:
        known = marks.drop_duplicates("domain").set_index("domain")
        marked["mark"] = marked["domain"].map(known["mark"]).fillna("").astype("str")
        marked["note"] = marked["domain"].map(known["note"]).fillna("").astype("str")
        shared = known.index[~known["note_private"].astype(bool)] if "note_private" in known else []
        marked["note_private"] = ~marked["domain"].isin(shared).to_numpy(bool)
    return marked


@dataclass(frozen=True)
class DomainFilter:
    """What the user narrowed the table to; empty tuples mean everything. Hashable, so it can key a cache."""

    ascore: tuple[int, int] = (0, 100)
    follow_only: bool = False
    categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    tlds: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()  # "good", "review", "" (unmarked)
    first_seen: tuple[date, date] | None = None
    text: str = ""
    include_lost: bool = True


def filter_domains(table: pd.DataFrame, chosen: DomainFilter) -> pd.DataFrame:
    keep = np.ones(len(table), dtype=bool)
    low, high = chosen.ascore
    if (low, high) != (0, 100):
        score = table["domain_ascore"].fillna(table["best_page_ascore"])
        keep &= ((score >= low) & (score <= high)).fillna(False).to_numpy(dtype=bool)
    if chosen.follow_only:
        keep &= (table["follow_share"] > 0).fillna(False).to_numpy(dtype=bool)
    for column, wanted in (("category", chosen.categories), ("country", chosen.countries), ("tld", chosen.tlds),
                           ("mark", chosen.marks)):
        if wanted:
            keep &= table[column].isin(list(wanted)).to_numpy(dtype=bool)
    if chosen.first_seen is not None:
        start, end = (pd.Timestamp(d) for d in chosen.first_seen)
        seen = table["first_seen"]
        keep &= ((seen >= start) & (seen < end + pd.Timedelta(days=1))).fillna(False).to_numpy(dtype=bool)
    if not chosen.include_lost:
        keep &= ~table["lost"].to_numpy(dtype=bool)
    text = chosen.text.strip().lower()
    if text:
        found = np.zeros(len(table), dtype=bool)
        for column in ("domain", "category_reason", "note", "ip"):
            found |= table[column].str.lower().str.contains(text, regex=False).fillna(False).to_numpy(dtype=bool)
        keep &= found
    return table[keep]


BACKLINK_COLUMNS = ("source_url", "source_title", "target_url", "anchor", "page_ascore", "nofollow", "sponsored",
                    "ugc", "link_type", "first_seen", "last_seen", "lost_link")


def backlinks_of(backlinks: pd.DataFrame, domains: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The backlinks from some domains, best linking pages first."""
    rows = backlinks[backlinks["source_domain"].isin(list(domains))]
    rows = rows[[c for c in BACKLINK_COLUMNS if c in rows.columns]]
    if "page_ascore" in rows:
        rows = rows.sort_values("page_ascore", ascending=False, na_position="last", kind="stable")
    return rows.reset_index(drop=True)


def category_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Domains and backlinks per category, for the category chart."""
    grouped = table.groupby("category", sort=False).agg(domains=("domain", "size"),
                                                        backlinks=("backlinks", "sum")).reset_index()
    grouped = grouped.astype({"domains": "int64", "backlinks": "int64"})
    return grouped.sort_values(["domains", "category"], ascending=[False, True]).reset_index(drop=True)
