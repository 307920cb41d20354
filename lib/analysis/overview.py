"""The Overview's figures: headline numbers, growth per month, distributions, and link concentration.

Conventions used everywhere here:
- A backlink is *lost* when Semrush flags it (`lost_link`) or when it was last seen more than
  LOST_AFTER_DAYS before the data date (Semrush re-crawls live links, so a long-unseen link is gone).
  Its lost date is its `last_seen`. Every other backlink is *live*.
- A referring domain is live while at least one of its backlinks is; it was gained on its first backlink's
  first_seen and lost on its last backlink's last_seen.
- *Follow* means none of nofollow, sponsored or UGC: the links that pass authority.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from lib.frames import rows_where
from lib.parallel import beside

LOST_AFTER_DAYS = 30
RECENT_DAYS = 30
ASCORE_BINS = tuple(range(0, 101, 10))  # 0-9, 10-19, ... 90-100
LINK_TYPES = ("text", "image", "form", "frame")
LINK_TYPE_LABELS = {"text": "Text", "image": "Image", "form": "Form", "frame": "Frame"}
REL_TYPES = ("follow", "nofollow", "sponsored", "ugc")
REL_LABELS = {"follow": "Follow", "nofollow": "Nofollow", "sponsored": "Sponsored", "ugc": "UGC"}


def _day(value: date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].fillna(False).to_numpy(dtype=bool)


def lost_mask(backlinks: pd.DataFrame, data_date: date) -> np.ndarray:
    """True for backlinks that are gone at the data date (see the module's conventions)."""
    lost = _flag(backlinks, "lost_link")
    if "last_seen" in backlinks:
        cutoff = _day(data_date) - pd.Timedelta(days=LOST_AFTER_DAYS)
        lost = lost | (backlinks["last_seen"] < cutoff).fillna(False).to_numpy(dtype=bool)
    return lost


def _live(backlinks: pd.DataFrame, data_date: date, columns: list[str]) -> pd.DataFrame:
    """The live rows of only the columns needed: filtering all columns of a million backlinks
    (URLs, titles, anchors) costs seconds, these few cost milliseconds."""
    present = [c for c in columns if c in backlinks]
    return rows_where(backlinks[present], ~lost_mask(backlinks, data_date))


def follow_mask(backlinks: pd.DataFrame) -> np.ndarray:
    return ~(_flag(backlinks, "nofollow") | _flag(backlinks, "sponsored") | _flag(backlinks, "ugc"))


@dataclass(frozen=True)
class Summary:
    data_date: date
    backlinks: int  # live
    referring_domains: int  # with at least one live backlink
    follow_share: float  # of live backlinks; NaN when there are none
    new_recent: int  # first seen in the RECENT_DAYS days ending on the data date
    lost_recent: int  # lost (last seen) in the RECENT_DAYS days ending on the data date


def summarize(backlinks: pd.DataFrame, data_date: date) -> Summary:
    lost = lost_mask(backlinks, data_date)
    live = ~lost
    start, end = (_day(d) for d in recent_window(data_date))
    end = end + pd.Timedelta(days=1)  # the whole data date counts
    first = backlinks["first_seen"] if "first_seen" in backlinks else pd.Series(pd.NaT, index=backlinks.index)
    last = backlinks["last_seen"] if "last_seen" in backlinks else pd.Series(pd.NaT, index=backlinks.index)
    new_recent = ((first >= start) & (first < end)).fillna(False).to_numpy(dtype=bool)
    # A flagged link without a last_seen date was lost in Semrush's recent crawls.
    lost_recent = lost & (((last >= start) & (last < end)) | last.isna()).to_numpy(dtype=bool)
    follow = follow_mask(backlinks)
    live_count = int(live.sum())
    return Summary(
        data_date=pd.Timestamp(data_date).date(),
        backlinks=live_count,
        referring_domains=int(backlinks["source_domain"][live].nunique()),
        follow_share=float(follow[live].mean()) if live_count else float("nan"),
        new_recent=int(new_recent.sum()),
        lost_recent=int(lost_recent.sum()),
    )


@dataclass(frozen=True)
class SiteAuthority:
    value: int | None
    as_of: date | None
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


def site_authority(history: Mapping[str, int] | None, on_or_before: date | None = None) -> SiteAuthority:
    """The site's Authority Score from the stored {ISO date: score} history, latest first, and the one before.

    `on_or_before` ignores values recorded after a date (a past snapshot is shown with the score of its time).
    """
    points: list[tuple[date, int]] = []
    for key, value in (history or {}).items():
        try:
            day, score = date.fromisoformat(str(key)[:10]), int(value)
        except (TypeError, ValueError):
            continue
        if 0 <= score <= 100 and (on_or_before is None or day <= on_or_before):
            points.append((day, score))
    points.sort()
    if not points:
        return SiteAuthority(None, None, None)
    previous = points[-2][1] if len(points) > 1 else None
    return SiteAuthority(points[-1][1], points[-1][0], previous)


def demo_site_ascore(dates: list[date], latest: int) -> dict[str, int]:
    """A plausible Authority Score history for the demo site: rising by 2 a snapshot up to `latest`."""
    ordered = sorted(dates)
    return {day.isoformat(): max(0, latest - 2 * (len(ordered) - 1 - i)) for i, day in enumerate(ordered)}


def growth_by_month(backlinks: pd.DataFrame, data_date: date, vanished: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per month up to the data date: backlinks and referring domains gained and lost, and live at month end.

    Columns: month (first day), gained_backlinks, lost_backlinks, live_backlinks, gained_domains,
    lost_domains, live_domains. Backlinks without a first_seen date are counted as gained in the first month.
    An export only lists links lost lately; `vanished` (lib.analysis.new_lost.vanished_backlinks: links of
    earlier snapshots missing from later ones, with their `lost_date`) adds the older losses.
    """
    columns = ["month", "gained_backlinks", "lost_backlinks", "live_backlinks", "gained_domains", "lost_domains",
               "live_domains"]
    if backlinks.empty or "first_seen" not in backlinks:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "month" else "int64") for c in columns})
    last_month = _month_number(pd.Series([pd.Timestamp(data_date)]))[0]
    lost = lost_mask(backlinks, data_date)
    first = _month_number(backlinks["first_seen"])
    last = _month_number(backlinks["last_seen"]) if "last_seen" in backlinks else np.full(len(backlinks), _NO_MONTH)
    codes, names = pd.factorize(backlinks["source_domain"], sort=False, use_na_sentinel=False)
    if vanished is not None and len(vanished):
        known = pd.Index(names)
        extra = vanished["source_domain"].to_numpy()
        extra_codes = known.get_indexer(extra)
        unseen = extra_codes < 0
        new_codes, _ = pd.factorize(extra[unseen], sort=False, use_na_sentinel=False)
        extra_codes[unseen] = len(known) + new_codes
        codes = np.concatenate([codes, extra_codes])
        first = np.concatenate([first, _month_number(vanished["first_seen"])])
        last = np.concatenate([last, _month_number(vanished["lost_date"])])
        lost = np.concatenate([lost, np.ones(len(vanished), dtype=bool)])
    known_first = first[first != _NO_MONTH]
    start = min(int(known_first.min()), last_month) if known_first.size else last_month
    size = last_month - start + 1

    def month_index(values: np.ndarray, missing: int) -> np.ndarray:
        return np.clip(np.where(values == _NO_MONTH, missing, values), start, last_month) - start

    gained = month_index(first, start)
    lost_month = month_index(last[lost], last_month)
    domain_count = int(codes.max()) + 1 if codes.size else 0
    domain_gained = pd.Series(gained).groupby(codes, sort=False).min().to_numpy()
    domain_live = np.bincount(codes, weights=(~lost).astype(float), minlength=domain_count) > 0
    # A domain is lost on the last sighting of any of its links (unknown dates count as the data month).
    latest = pd.Series(np.where(last == _NO_MONTH, last_month, last)).groupby(codes, sort=True).max().to_numpy()
    domain_lost_month = np.clip(latest[~domain_live], start, last_month) - start

    result = pd.DataFrame({
        "month": pd.date_range(_month_start(start), _month_start(last_month), freq="MS"),
        "gained_backlinks": np.bincount(gained, minlength=size),
        "lost_backlinks": np.bincount(lost_month, minlength=size),
        "gained_domains": np.bincount(domain_gained, minlength=size),
        "lost_domains": np.bincount(domain_lost_month, minlength=size),
    })
    result["live_backlinks"] = (result["gained_backlinks"] - result["lost_backlinks"]).cumsum()
    result["live_domains"] = (result["gained_domains"] - result["lost_domains"]).cumsum()
    return result[columns].astype({c: "int64" for c in columns[1:]})


def growth_from_history(counts: Mapping[str, Mapping[str, int]] | None) -> pd.DataFrame:
    """growth_by_month's table from the Semrush Backlinks history's monthly counts ({ISO date: counts}, the
    workspace setting lib.semrush.site_scores.BACKLINKS_HISTORY).

    live_* are Semrush's totals of the month (its latest date when a month has several). gained_* and lost_*
    are Semrush's new and lost counts where the answer has them; otherwise the rise or fall of the total since
    the month before, a net change (a month that gained 10 and lost 4 shows 6 gained, 0 lost).
    """
    columns = ["month", "gained_backlinks", "lost_backlinks", "live_backlinks", "gained_domains", "lost_domains",
               "live_domains"]
    rows = []
    for day, values in (counts or {}).items():
        try:
            month = pd.Timestamp(str(day)[:10]).to_period("M").to_timestamp()
        except ValueError:
            continue
        rows.append({"day": str(day)[:10], "month": month, **dict(values)})
    frame = pd.DataFrame(rows)
    if frame.empty or not {"backlinks", "domains"} & set(frame.columns):
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "month" else "int64") for c in columns})
    frame = frame.sort_values("day").drop_duplicates("month", keep="last").set_index("month")
    frame = frame.reindex(pd.date_range(frame.index.min(), frame.index.max(), freq="MS"))
    result = pd.DataFrame({"month": frame.index})
    for measure, total in (("backlinks", "backlinks"), ("domains", "domains")):
        live = (frame[total] if total in frame else pd.Series(np.nan, index=frame.index)).ffill().fillna(0)
        change = live.diff().fillna(0)
        gained = frame.get(f"new_{measure}", pd.Series(np.nan, index=frame.index))
        lost = frame.get(f"lost_{measure}", pd.Series(np.nan, index=frame.index))
        result[f"gained_{measure}"] = gained.fillna(change.clip(lower=0)).to_numpy()
        result[f"lost_{measure}"] = lost.fillna((-change).clip(lower=0)).to_numpy()
        result[f"live_{measure}"] = live.to_numpy()
    return result[columns].astype({c: "int64" for c in columns[1:]})


_NO_MONTH = np.iinfo(np.int64).min


def _month_number(values: pd.Series) -> np.ndarray:
    """Months since 1970 (numpy datetime64[M]); _NO_MONTH where the date is missing."""
    months = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]")
    return np.where(np.isnat(months), _NO_MONTH, months.astype(np.int64))


def _month_start(number: int) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(int(number), "M"))


def ascore_distribution(referring_domains: pd.DataFrame | None, backlinks: pd.DataFrame | None) -> pd.DataFrame:
    """Referring domains per Authority Score band (0-9, 10-19, ..., 90-100).

    Uses each domain's Authority Score from the Referring Domains export; without it, the best Page
    Authority Score among the domain's backlinks (column `basis` says which).
    """
    if referring_domains is not None and len(referring_domains) and "domain_ascore" in referring_domains:
        key = "root_domain" if "root_domain" in referring_domains else "domain"
        scores = referring_domains.groupby(key, sort=False)["domain_ascore"].max()
        basis = "domain"
    elif backlinks is not None and len(backlinks) and "page_ascore" in backlinks:
        scores = backlinks.groupby("source_domain", sort=False)["page_ascore"].max()
        basis = "page"
    else:
        return pd.DataFrame({"band": pd.Series(dtype="str"), "low": pd.Series(dtype="int64"),
                             "domains": pd.Series(dtype="int64"), "basis": pd.Series(dtype="str")})
    known = scores.dropna().astype("int64").clip(0, 100)
    band_low = (known // 10 * 10).clip(upper=90)
    counts = band_low.value_counts().reindex(range(0, 100, 10), fill_value=0)
    labels = [f"{low}–{low + 9}" if low < 90 else "90–100" for low in counts.index]
    return pd.DataFrame({"band": labels, "low": list(counts.index), "domains": counts.to_numpy(dtype="int64"),
                         "basis": basis})


def link_type_counts(backlinks: pd.DataFrame, data_date: date) -> pd.DataFrame:
    """Live backlinks per link type (text, image, form, frame)."""
    live = _live(backlinks, data_date, ["link_type"])
    counts = live["link_type"].value_counts().reindex(LINK_TYPES, fill_value=0)
    return pd.DataFrame({"link_type": list(LINK_TYPES), "label": [LINK_TYPE_LABELS[t] for t in LINK_TYPES],
                         "backlinks": counts.to_numpy(dtype="int64")})


def rel_counts(backlinks: pd.DataFrame, data_date: date) -> pd.DataFrame:
    """Live backlinks by rel attribute, each link counted once: sponsored, else UGC, else nofollow, else follow."""
    live = ~lost_mask(backlinks, data_date)
    # Counted on integer labels (0 sponsored, 1 ugc, 2 nofollow, 3 follow) rather than a million strings.
    rel = np.select([_flag(backlinks, "sponsored"), _flag(backlinks, "ugc"), _flag(backlinks, "nofollow")],
                    [0, 1, 2], default=3)[live]
    counts = pd.Series(np.bincount(rel, minlength=4), index=["sponsored", "ugc", "nofollow", "follow"]).reindex(
        REL_TYPES, fill_value=0)
    return pd.DataFrame({"rel": list(REL_TYPES), "label": [REL_LABELS[r] for r in REL_TYPES],
                         "backlinks": counts.to_numpy(dtype="int64")})


def top_tlds(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None, data_date: date,
             limit: int = 10) -> pd.DataFrame:
    """The TLDs with the most referring domains, with their backlinks (live ones, from the Backlinks export
    when there is one, else from the Referring Domains export)."""
    if backlinks is not None and len(backlinks) and "source_tld" in backlinks:
        live = ~lost_mask(backlinks, data_date)
        tlds, domains = _codes(backlinks["source_tld"].fillna(""), live), _codes(backlinks["source_domain"], live)
        links = np.bincount(tlds.codes[~tlds.missing], minlength=len(tlds.uniques))
        grouped = pd.DataFrame({"domains": _distinct_per(tlds, domains), "backlinks": links},
                               index=pd.Index(tlds.uniques, dtype="str", name="tld"))
        grouped = grouped[grouped["backlinks"] > 0]
    elif referring_domains is not None and len(referring_domains) and "tld" in referring_domains:
        key = "root_domain" if "root_domain" in referring_domains else "domain"
        grouped = referring_domains.groupby("tld", sort=False).agg(domains=(key, "nunique"),
                                                                     backlinks=("backlinks", "sum"))
    else:
        return pd.DataFrame({"tld": pd.Series(dtype="str"), "domains": pd.Series(dtype="int64"),
                             "backlinks": pd.Series(dtype="int64")})
    grouped = grouped[grouped.index != ""].reset_index()
    grouped["tld"] = "." + grouped["tld"].astype("str")
    grouped = grouped.astype({"domains": "int64", "backlinks": "int64"})
    return grouped.sort_values(["domains", "backlinks", "tld"], ascending=[False, False, True]).head(limit) \
        .reset_index(drop=True)


@dataclass(frozen=True)
class _Coded:
    codes: np.ndarray  # of the live rows; no missing values (-1 dropped by the caller's choice of column)
    uniques: np.ndarray
    missing: np.ndarray  # per live row: the value was missing


def _codes(values: pd.Series, live: np.ndarray) -> _Coded:
    """Integer codes of a column's live rows (factorised on the whole column, picked by the mask: cheaper
    than filtering a million strings first). Missing values get code -1, flagged in `missing`."""
    codes, uniques = pd.factorize(values, sort=False)
    codes = codes[live]
    return _Coded(np.where(codes < 0, len(uniques), codes), np.asarray(uniques, dtype=object), codes < 0)


def _distinct_per(groups: _Coded, values: _Coded) -> np.ndarray:
    """Per group: how many distinct non-missing values its rows hold (groupby(...).nunique())."""
    keep = ~values.missing & ~groups.missing
    width = len(values.uniques) + 1
    pairs = pd.unique(groups.codes[keep].astype("int64") * width + values.codes[keep])
    return np.bincount(pairs // width, minlength=len(groups.uniques))[:len(groups.uniques)]


def top_countries(referring_domains: pd.DataFrame | None, limit: int = 10) -> pd.DataFrame:
    """Countries with the most referring domains (from the Referring Domains export's country column)."""
    empty = pd.DataFrame({"country": pd.Series(dtype="str"), "domains": pd.Series(dtype="int64"),
                          "backlinks": pd.Series(dtype="int64")})
    if referring_domains is None or referring_domains.empty or "country" not in referring_domains:
        return empty
    frame = referring_domains[referring_domains["country"].fillna("").astype("str").str.strip() != ""]
    if frame.empty:
        return empty
    key = "root_domain" if "root_domain" in frame else "domain"
    grouped = frame.groupby(frame["country"].astype("str").str.strip().str.upper(), sort=False).agg(
        domains=(key, "nunique"), backlinks=("backlinks", "sum"))
    grouped = grouped.rename_axis("country").reset_index().astype({"domains": "int64", "backlinks": "int64"})
    return grouped.sort_values(["domains", "backlinks", "country"], ascending=[False, False, True]).head(limit) \
        .reset_index(drop=True)


def top_target_pages(backlinks: pd.DataFrame, data_date: date, limit: int = 10) -> pd.DataFrame:
    """The site's pages with the most live backlinks, with how many domains link to each."""
    live = ~lost_mask(backlinks, data_date)
    pages, domains = _codes(backlinks["target_url"], live), _codes(backlinks["source_domain"], live)
    grouped = pd.DataFrame({"target_url": pd.array(pages.uniques, dtype="str"),
                            "backlinks": np.bincount(pages.codes[~pages.missing], minlength=len(pages.uniques)),
                            "domains": _distinct_per(pages, domains)})
    grouped = grouped[grouped["backlinks"] > 0]
    grouped = grouped.astype({"backlinks": "int64", "domains": "int64"})
    return grouped.sort_values(["backlinks", "domains", "target_url"], ascending=[False, False, True]).head(limit) \
        .reset_index(drop=True)


def concentration_curve(backlinks: pd.DataFrame, data_date: date) -> pd.DataFrame:
    """Domains ranked by live backlinks: rank, domain, backlinks, cumulative backlinks and share."""
    live = _live(backlinks, data_date, ["source_domain"])
    counts = live["source_domain"].value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    total = int(counts.sum())
    cumulative = counts.cumsum()
    return pd.DataFrame({
        "rank": np.arange(1, len(counts) + 1, dtype="int64"),
        "domain": pd.array(counts.index.astype("str"), dtype="str"),
        "backlinks": counts.to_numpy(dtype="int64"),
        "cumulative_backlinks": cumulative.to_numpy(dtype="int64"),
        "cumulative_share": cumulative.to_numpy(dtype="float64") / total if total else np.zeros(len(counts)),
    })


@dataclass(frozen=True)
class Concentration:
    total_backlinks: int
    total_domains: int
    top_n: int  # how many of the biggest domains the sentence talks about
    top_backlinks: int
    half_domains: int  # the fewest domains that hold at least half of the backlinks

    @property
    def top_share(self) -> float:
        return self.top_backlinks / self.total_backlinks if self.total_backlinks else 0.0

    def sentence(self) -> str:
        if not self.total_backlinks:
            return "No live backlinks yet."
        websites = "website" if self.top_n == 1 else "websites"
        if self.top_n >= self.total_domains:
            return (f"All your {self.total_backlinks:,} backlinks come from {self.total_domains:,} "
                    f"{'website' if self.total_domains == 1 else 'websites'}.")
        return (f"{self.top_share:.0%} of your {self.total_backlinks:,} backlinks come from just {self.top_n:,} "
                f"{websites}, out of {self.total_domains:,} linking to you.")


def concentration(curve: pd.DataFrame, top_n: int = 10) -> Concentration:
    """The headline of a concentration curve: the top `top_n` domains' share, and how few hold half."""
    total = int(curve["backlinks"].sum()) if len(curve) else 0
    n = min(top_n, len(curve))
    top = int(curve["cumulative_backlinks"].iloc[n - 1]) if n else 0
    half = int(np.searchsorted(curve["cumulative_backlinks"].to_numpy(), total / 2) + 1) if total else 0
    return Concentration(total_backlinks=total, total_domains=len(curve), top_n=n, top_backlinks=top,
                         half_domains=half)


def recent_window(data_date: date) -> tuple[date, date]:
    """The days the 'new' and 'lost' figures cover, for captions."""
    return data_date - timedelta(days=RECENT_DAYS - 1), data_date


CONCENTRATION_STEPS = (1, 5, 10, 25, 50, 100)


def concentration_steps(curve: pd.DataFrame, steps: tuple[int, ...] = CONCENTRATION_STEPS) -> pd.DataFrame:
    """Share of backlinks from the top 1, 5, 10, ... websites, ending with all of them.

    Columns: top_n, label ("Top 10" / "All 1,234"), backlinks, share. Steps beyond the number of domains
    are dropped.
    """
    total_domains = len(curve)
    wanted = [n for n in steps if n < total_domains] + ([total_domains] if total_domains else [])
    if not wanted:
        return pd.DataFrame({"top_n": pd.Series(dtype="int64"), "label": pd.Series(dtype="str"),
                             "backlinks": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64")})
    cumulative = curve["cumulative_backlinks"].to_numpy()
    shares = curve["cumulative_share"].to_numpy()
    return pd.DataFrame({
        "top_n": np.array(wanted, dtype="int64"),
        "label": [f"All {n:,}" if n == total_domains else f"Top {n:,}" for n in wanted],
        "backlinks": cumulative[np.array(wanted) - 1].astype("int64"),
        "share": shares[np.array(wanted) - 1].astype("float64"),
    })


def chart_data(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None, data_date: date,
               vanished: Callable[[], pd.DataFrame | None]) -> dict:
    """Everything the Overview charts, by name: ascore, tlds, countries, and with backlinks growth, link_types, rel,
    pages, concentration and steps.

    Two halves of about equal work, each a few passes over up to a million links, run side by side: the growth and
    concentration on this thread (`vanished()`, the links gone from later snapshots, is called here, so it may
    read a UI's cache), the counts by TLD, page, link type and Authority Score on a second one."""
    def counts() -> dict:
        found = {"ascore": ascore_distribution(referring_domains, backlinks),
                 "tlds": top_tlds(backlinks, referring_domains, data_date),
                 "countries": top_countries(referring_domains)}
        if backlinks is not None:
            found.update(link_types=link_type_counts(backlinks, data_date), rel=rel_counts(backlinks, data_date),
                         pages=top_target_pages(backlinks, data_date))
        return found

    def growth_and_concentration() -> dict:
        if backlinks is None:
            return {}
        curve = concentration_curve(backlinks, data_date)
        return {"growth": growth_by_month(backlinks, data_date, vanished()), "concentration": concentration(curve),
                "steps": concentration_steps(curve)}

    here, meanwhile = beside(growth_and_concentration, counts)
    return {**meanwhile, **here}
