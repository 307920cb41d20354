"""New and lost backlinks and referring domains over a chosen date range.

Definitions (the New & lost page shows them too):

- A backlink is one row of a Semrush Backlinks export: a link from `source_url` to `target_url`.
- A backlink is **new** in a period when its `first_seen` date falls in the period. (Semrush's `new_link`
  flag only says the first sighting was recent; the date says when, which is what places a link in a
  week or month, so the flag adds nothing to it.)
- A backlink is **lost** in a period when Semrush flags it lost (`lost_link` true) and its `last_seen`
  date falls in the period, or when it was in an earlier snapshot and is missing from every later
  one: it *disappeared*, and is dated by the data date of the first snapshot that no longer holds it.
- A referring domain (the registrable domain of the source) is **new** in a period when the earliest
  `first_seen` of its backlinks falls in the period, and **lost** when all of its backlinks are lost
  and the last of them was lost in the period.
- A link's **Authority Score** is its domain's `domain_ascore` from the Referring Domains export when
  that export names the domain, else the `page_ascore` of the linking page. A link is from a **strong
  domain** when that score is at least the threshold the user sets.
- A page's **new referring domains** are the domains whose first link to that page is new in the period.

Periods are inclusive of both end dates; weeks start on Monday, months on the 1st.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from lib.analysis.snapshot_diff import link_keys
from lib.arrow_strings import positions_in
from lib.frames import labels_by_code, rows_at, rows_where, sort_positions, sort_rows
from lib.parallel import beside

FREQUENCIES = {"week": "W-SUN", "month": "M"}
LINK_COLUMNS = ["source_url", "source_title", "target_url", "source_domain", "anchor", "page_ascore", "nofollow",
                "first_seen", "last_seen", "lost_link"]
# What the report keeps of a new link (the New links table and its downloads): taking the 16 columns of half a
# million new links cost ~0.3 s of the page's first open.
NEW_LINK_COLUMNS = ["authority", "source_domain", "source_url", "target_url", "anchor", "first_seen", "nofollow",
                    "lost"]
FLAGGED, DISAPPEARED = "flagged lost", "disappeared"


def vanished_backlinks(history: Sequence[tuple[date, pd.DataFrame]]) -> pd.DataFrame:
    """Backlinks held by a snapshot but by none after it, each with the date it was lost.

    `history` is every Backlinks snapshot of one site, oldest data first. A vanished row is taken
    from the last snapshot that held it; `lost_date` is its `last_seen` when Semrush had already
    flagged it lost, else the data date of the next snapshot (the first one without it).
    """
    columns = [*LINK_COLUMNS, "lost_date", "lost_how"]
    if len(history) < 2:
        return _empty_links(columns)
    seen_later = pd.Series(link_keys(history[-1][1]))
    found = []
    for index in range(len(history) - 2, -1, -1):
        frame = history[index][1]
        keys = pd.Series(link_keys(frame))
        gone = ~keys.isin(seen_later).to_numpy()
        if gone.any():
            # Only the link columns of the vanished rows (filtering all ~24 columns of a million rows costs more).
            rows = _link_columns(rows_where(frame[[c for c in LINK_COLUMNS if c in frame]], gone))
            next_date = pd.Timestamp(history[index + 1][0])
            flagged = rows["lost_link"] & rows["last_seen"].notna()
            rows["lost_date"] = rows["last_seen"].where(flagged, next_date).astype("datetime64[ns]")
            rows["lost_how"] = labels_by_code(flagged, (DISAPPEARED, FLAGGED), rows.index)
            rows["lost_link"] = True
            found.append(rows)
        seen_later = pd.concat([seen_later, keys], ignore_index=True)
    if not found:
        return _empty_links(columns)
    return pd.concat(found[::-1], ignore_index=True)[columns]


def link_events(latest: pd.DataFrame, vanished: pd.DataFrame | None = None,
                referring_domains: pd.DataFrame | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Every backlink known, current and vanished, with `lost`, `lost_date`, `lost_how` and `authority`.

    `as_of` (the latest snapshot's data date) dates a flagged-lost link whose `last_seen` is missing.
    """
    current = _link_columns(latest)
    lost = current["lost_link"].to_numpy(dtype=bool)
    fallback = pd.Timestamp(as_of) if as_of else pd.NaT
    current["lost_date"] = current["last_seen"].fillna(fallback).where(lost).astype("datetime64[ns]")
    current["lost_how"] = labels_by_code(lost, ("", FLAGGED), current.index)
    parts = [current]
    if vanished is not None and len(vanished):
        parts.append(vanished[current.columns])
    links = pd.concat(parts, ignore_index=True) if len(parts) > 1 else current
    links = links.rename(columns={"lost_link": "lost"})
    links["authority"] = authority(links, referring_domains)
    return links


def authority(links: pd.DataFrame, referring_domains: pd.DataFrame | None) -> pd.Series:
    """Domain Authority Score from the Referring Domains export where it names the domain, else page_ascore."""
    page = links["page_ascore"].astype("Int64")
    if referring_domains is None or referring_domains.empty:
        return page
    key = "root_domain" if "root_domain" in referring_domains else "domain"
    scores = referring_domains.groupby(key)["domain_ascore"].max()
    # Looked up once per distinct domain, then spread by code (a map over a million names re-hashes each).
    codes, domains = pd.factorize(links["source_domain"], sort=False)
    per_domain = scores.astype("Int64").array.take(positions_in(pd.Index(domains, dtype="str"), scores.index),
                                                   allow_fill=True)
    mapped = pd.Series(per_domain.take(codes, allow_fill=True), index=links.index, dtype="Int64")
    return mapped.fillna(page)


def domain_events(links: pd.DataFrame) -> pd.DataFrame:
    """One row per referring domain: first_seen, backlinks, lost_backlinks, lost, lost_date, authority."""
    grouped = links.groupby("source_domain", sort=True)
    frame = pd.DataFrame({
        "first_seen": grouped["first_seen"].min(),
        "backlinks": grouped.size(),
        "lost_backlinks": grouped["lost"].sum(),
        "lost_date": grouped["lost_date"].max(),
        "authority": grouped["authority"].max().astype("Int64"),
    })
    frame["lost"] = frame["lost_backlinks"] == frame["backlinks"]
    frame["lost_date"] = frame["lost_date"].where(frame["lost"])
    frame.index = frame.index.astype("str").rename("domain")
    return frame.reset_index()


def _in(values: pd.Series, start: date, end: date) -> np.ndarray:
    low, high = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    return ((values >= low) & (values < high)).fillna(False).to_numpy(dtype=bool)


def bucket_starts(values: pd.Series, freq: str) -> pd.Series:
    """The first day of the week (Monday) or month each date falls in."""
    return values.dt.to_period(FREQUENCIES[freq]).dt.start_time.astype("datetime64[ns]")


def range_ending(last_day: date, days: int, freq: str) -> tuple[date, date]:
    """The `days` days up to `last_day`, widened back to a whole first week or month, so no bar is partial
    at the start of the chart."""
    start = pd.Timestamp(last_day) - pd.Timedelta(days=days - 1)
    return pd.Period(start, FREQUENCIES[freq]).start_time.date(), last_day


def timeline(links: pd.DataFrame, domains: pd.DataFrame, start: date, end: date, freq: str) -> pd.DataFrame:
    """Per week or month of [start, end]: new and lost backlinks and referring domains (zeros included)."""
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=FREQUENCIES[freq])
    index = pd.DatetimeIndex(periods.start_time.astype("datetime64[ns]"), name="period")

    def counts(dates: pd.Series) -> pd.Series:
        inside = dates[_in(dates, start, end)]
        return bucket_starts(inside, freq).value_counts().reindex(index, fill_value=0).astype("int64")

    new_links, lost_links = counts(links["first_seen"]), counts(links["lost_date"])
    new_domains, lost_domains = counts(domains["first_seen"]), counts(domains["lost_date"])
    return pd.DataFrame({
        "new_backlinks": new_links, "lost_backlinks": lost_links,
        "new_domains": new_domains, "lost_domains": lost_domains,
        "net_domains": new_domains - lost_domains,
    }, index=index).reset_index()


def lost_links_in(links: pd.DataFrame, start: date, end: date, threshold: int) -> pd.DataFrame:
    """Backlinks lost in [start, end], those from strong domains first, strongest first."""
    lost = links["lost"].to_numpy(dtype=bool) & _in(links["lost_date"], start, end)
    keys = rows_where(links[["authority", "lost_date", "source_url"]], lost).set_axis(np.flatnonzero(lost))
    keys = keys.assign(strong=(keys["authority"] >= threshold).fillna(False).astype(bool))
    order = _sort_order(keys, ["strong", "authority", "lost_date", "source_url"], [False, False, False, True])
    return _rows_in_order(links, order, strong=keys["strong"])


def _sort_order(keys: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.Index:
    """keys.sort_values(by, ascending, na_position="last", kind="stable").index, sorted by Arrow: with a URL
    as the last key pandas factorises every URL string first, lib.arrow_strings.sort_indices ranks them once
    (both stable, both in code point order)."""
    return keys.index[sort_positions(keys, by, ascending)]


def _rows_in_order(links: pd.DataFrame, order: pd.Index, **extra: pd.Series) -> pd.DataFrame:
    """The rows of `links` at the positions `order`, with `extra` columns (indexed by position), taken once:
    the sort ran on the key columns only, not on every column of up to a million rows."""
    rows = rows_at(links, order.to_numpy())
    for name, values in extra.items():
        rows[name] = values.reindex(order).to_numpy()
    return rows.reset_index(drop=True)


def new_links_in(links: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Backlinks first seen in [start, end], strongest first, with the NEW_LINK_COLUMNS."""
    new = _in(links["first_seen"], start, end)
    keys = rows_where(links[["authority", "first_seen", "source_url"]], new).set_axis(np.flatnonzero(new))
    order = _sort_order(keys, ["authority", "first_seen", "source_url"], [False, False, True])
    return _rows_in_order(links[[c for c in NEW_LINK_COLUMNS if c in links]], order)


def pages_losing(lost: pd.DataFrame) -> pd.DataFrame:
    """Target pages by links lost: lost_backlinks, lost_domains (distinct), strong_lost."""
    if lost.empty:
        return pd.DataFrame({"target_url": pd.Series(dtype="str"), "lost_backlinks": pd.Series(dtype="int64"),
                             "lost_domains": pd.Series(dtype="int64"), "strong_lost": pd.Series(dtype="int64")})
    grouped = lost.groupby("target_url", sort=True)
    frame = pd.DataFrame({"lost_backlinks": grouped.size(), "lost_domains": grouped["source_domain"].nunique(),
                          "strong_lost": grouped["strong"].sum().astype("int64")}).reset_index()
    return frame.sort_values(["lost_backlinks", "strong_lost", "target_url"], ascending=[False, False, True],
                             kind="stable").reset_index(drop=True)


def pages_attracting(links: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Target pages by new referring domains: domains whose first link to the page is new in [start, end]."""
    # On integer codes: a (page, domain) pair is one int64, its first sighting an integer groupby.
    page_codes, pages = pd.factorize(links["target_url"], sort=False)
    domain_codes, domains = pd.factorize(links["source_domain"], sort=False)
    named = (page_codes >= 0) & (domain_codes >= 0)
    width = max(len(domains), 1)
    pair = page_codes[named].astype("int64") * width + domain_codes[named]
    first = pd.Series(links["first_seen"].to_numpy()[named]).groupby(pair, sort=False).min()
    new_pair_pages = (first.index.to_numpy()[_in(first, start, end)] // width).astype("int64")
    new_link_pages = page_codes[_in(links["first_seen"], start, end) & (page_codes >= 0)]
    if not new_pair_pages.size and not new_link_pages.size:
        return pd.DataFrame({"target_url": pd.Series(dtype="str"), "new_domains": pd.Series(dtype="int64"),
                             "new_backlinks": pd.Series(dtype="int64")})
    new_domains = np.bincount(new_pair_pages, minlength=len(pages))
    new_backlinks = np.bincount(new_link_pages, minlength=len(pages))
    shown = np.flatnonzero((new_domains > 0) | (new_backlinks > 0))
    frame = pd.DataFrame({"target_url": pd.array(np.asarray(pages, dtype=object)[shown], dtype="str"),
                          "new_domains": new_domains[shown].astype("int64"),
                          "new_backlinks": new_backlinks[shown].astype("int64")})
    return frame.sort_values(["new_domains", "new_backlinks", "target_url"], ascending=[False, False, True],
                             kind="stable").reset_index(drop=True)


def losses_on_pages(lost: pd.DataFrame, pages: Sequence[str]) -> pd.DataFrame:
    """Lost links whose target is one of `pages` (exact URLs, a trailing slash ignored)."""
    wanted = {_url_key(p) for p in pages if p}
    if not wanted or lost.empty:
        return lost.iloc[0:0]
    keys = lost["target_url"].astype("str").str.rstrip("/")
    return lost[keys.isin(wanted).to_numpy()].reset_index(drop=True)


def _url_key(url: str) -> str:
    return url.strip().rstrip("/")


@dataclass(frozen=True)
class NewLostReport:
    start: date
    end: date
    freq: str
    threshold: int
    timeline: pd.DataFrame
    new_links: pd.DataFrame
    lost_links: pd.DataFrame
    new_domains: pd.DataFrame
    lost_domains: pd.DataFrame
    pages_losing: pd.DataFrame
    pages_attracting: pd.DataFrame

    @property
    def strong_lost(self) -> int:
        return int(self.lost_links["strong"].sum())


def new_lost_report(links: pd.DataFrame, start: date, end: date, freq: str = "month",
                    threshold: int = 40) -> NewLostReport:
    """Everything the New & lost page shows for one date range, from `link_events` output."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {tuple(FREQUENCIES)}")
    # The new links (up to a million rows sorted and taken) need nothing else of the report: worked out on a
    # second thread beside the domain events, lost links, timeline and pages attracting links.
    def here() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        domains = domain_events(links)
        return (domains, lost_links_in(links, start, end, threshold), timeline(links, domains, start, end, freq),
                pages_attracting(links, start, end))

    (domains, lost, periods, attracting), new_links = beside(here, lambda: new_links_in(links, start, end))
    return NewLostReport(
        start=start, end=end, freq=freq, threshold=threshold,
        timeline=periods,
        new_links=new_links,
        lost_links=lost,
        new_domains=sort_rows(domains[_in(domains["first_seen"], start, end)], ["authority", "domain"],
                              [False, True]).reset_index(drop=True),
        lost_domains=sort_rows(domains[_in(domains["lost_date"], start, end)], ["authority", "domain"],
                               [False, True]).reset_index(drop=True),
        pages_losing=pages_losing(lost),
        pages_attracting=attracting,
    )


def _link_columns(frame: pd.DataFrame) -> pd.DataFrame:
    present = [c for c in LINK_COLUMNS if c in frame.columns]
    rows = frame[present].copy()
    for column in LINK_COLUMNS:
        if column not in rows:
            rows[column] = pd.Series(False if column in ("nofollow", "lost_link") else pd.NA, index=rows.index)
    rows["lost_link"] = rows["lost_link"].fillna(False).astype(bool)
    return rows[LINK_COLUMNS].reset_index(drop=True)


def _empty_links(columns: list[str]) -> pd.DataFrame:
    from lib.schema import KINDS

    dtypes = {**KINDS["backlinks"].dtypes, "lost_date": "datetime64[ns]", "lost_how": "str"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in columns})
