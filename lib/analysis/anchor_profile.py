"""The anchor text profile: each anchor classified (lib.analysis.anchors), its distribution, and over-optimisation.

From the Backlinks export the profile counts live backlinks, and referring domains as *distinct* sites: a
site that links with a brand anchor and a keyword anchor counts once in each type, so the domain shares of
the types can add up to more than 100%. From an Anchors export alone (no per-link data), a type's domains
are the sum of its anchors' domain counts, shared over the sum for all anchors.

Over-optimisation: the share of referring domains that link with a keyword-heavy anchor (exact or partial
match). The default limit is DEFAULT_THRESHOLD: natural profiles are dominated by brand, URL and generic
anchors, and when more than about one linking site in five uses your keywords, the profile looks built
rather than earned, which is what Google's link-spam policies target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from lib.analysis.anchors import CATEGORIES, KEYWORD_HEAVY, LABELS, AnchorContext, classify_anchors
from lib.analysis.overview import lost_mask
from lib.frames import sort_rows
from lib.parallel import beside

DEFAULT_THRESHOLD = 0.20
THRESHOLD_SETTING = "anchor_keyword_threshold"  # workspace setting: the limit as a fraction (0.05 .. 0.9)

ANCHOR_COLUMNS = ("anchor", "category", "label", "backlinks", "domains", "first_seen", "last_seen")


@dataclass(frozen=True)
class AnchorProfile:
    anchors: pd.DataFrame  # one row per anchor text, ANCHOR_COLUMNS, most domains first
    distribution: pd.DataFrame  # one row per anchor type: category, label, backlinks, domains, shares
    total_backlinks: int
    total_domains: int  # distinct linking sites (backlinks) or the sum over anchors (Anchors export)
    keyword_domains: int  # sites linking with an exact- or partial-match anchor
    basis: str  # "backlinks" or "anchors"


def _anchor_text(values: pd.Series) -> pd.Series:
    return values.fillna("").astype("str").str.strip()


def _distribution(backlinks_by_type: pd.Series, domains_by_type: pd.Series, total_backlinks: int,
                  total_domains: int) -> pd.DataFrame:
    frame = pd.DataFrame({"category": list(CATEGORIES), "label": [LABELS[c] for c in CATEGORIES]})
    frame["backlinks"] = backlinks_by_type.reindex(CATEGORIES, fill_value=0).to_numpy(dtype="int64")
    frame["domains"] = domains_by_type.reindex(CATEGORIES, fill_value=0).to_numpy(dtype="int64")
    frame["backlinks_share"] = frame["backlinks"] / total_backlinks if total_backlinks else 0.0
    frame["domains_share"] = frame["domains"] / total_domains if total_domains else 0.0
    return frame


def profile_from_backlinks(backlinks: pd.DataFrame, context: AnchorContext, data_date: date) -> AnchorProfile:
    """The profile of the live backlinks; every distinct anchor text is classified once."""
    # Only the columns used: filtering every column of a million backlinks (URLs, titles) costs seconds.
    # Strings are factorised on whole columns and only the integer codes filtered to the live rows (a
    # filter of a million strings costs more); anchors are trimmed once per distinct text. Codes are then
    # renumbered in order of first appearance among the live rows, as factorising the live rows would.
    live_mask = ~lost_mask(backlinks, data_date)
    if "anchor" in backlinks:
        raw_codes, raw = pd.factorize(backlinks["anchor"], sort=False)
        trimmed_of_raw, trimmed = pd.factorize(_anchor_text(pd.Series(raw, dtype="str")), sort=False)
        trimmed = pd.Index(trimmed, dtype="str")  # a missing anchor is the empty text:
        if (where := trimmed.get_indexer([""])[0]) < 0:
            trimmed, where = trimmed.append(pd.Index([""], dtype="str")), len(trimmed)
        text_codes = np.where(raw_codes >= 0, trimmed_of_raw.take(np.maximum(raw_codes, 0)), where)[live_mask]
        anchor_codes, order = pd.factorize(text_codes, sort=False)
        uniques = np.asarray(trimmed, dtype=object)[order]
    else:
        anchor_codes, uniques = np.zeros(int(live_mask.sum()), dtype=np.intp), np.array([""], dtype=object)
        uniques = uniques[:1 if len(anchor_codes) else 0]
    # The distinct anchors classified (mostly Python) while the domains are factorised (Arrow) beside it.
    unique_types, (domain_codes, domain_names) = beside(
        lambda: classify_anchors(pd.Series(uniques, dtype="str"), context).to_numpy(dtype=object),
        lambda: _live_codes(backlinks["source_domain"], live_mask))
    type_codes = pd.Index(CATEGORIES).get_indexer(unique_types)[anchor_codes] if len(anchor_codes) \
        else np.array([], int)
    total_backlinks = int(live_mask.sum())

    per_anchor = pd.DataFrame({"anchor_code": anchor_codes, "domain": domain_codes,
                               "first_seen": backlinks["first_seen"].to_numpy()[live_mask] if "first_seen" in backlinks
                               else pd.NaT,
                               "last_seen": backlinks["last_seen"].to_numpy()[live_mask] if "last_seen" in backlinks
                               else pd.NaT})
    grouped = per_anchor.groupby("anchor_code", sort=True).agg(
        backlinks=("domain", "size"), first_seen=("first_seen", "min"), last_seen=("last_seen", "max"))
    # nunique of the domain codes per anchor (-1, a missing domain, counts as one value, as nunique of ints
    # does), as a count of distinct (anchor, domain) pairs.
    width = len(domain_names) + 1
    anchor_domain = pd.unique(anchor_codes.astype(np.int64) * width + (domain_codes + 1))
    grouped["domains"] = np.bincount(anchor_domain // width, minlength=len(uniques))[grouped.index]
    anchors = pd.DataFrame({
        "anchor": pd.array(np.asarray(uniques, dtype=object)[grouped.index], dtype="str"),
        "category": pd.array(unique_types[grouped.index], dtype="str"),
        "backlinks": grouped["backlinks"].to_numpy(dtype="int64"),
        "domains": grouped["domains"].to_numpy(dtype="int64"),
        "first_seen": grouped["first_seen"].to_numpy(), "last_seen": grouped["last_seen"].to_numpy(),
    })
    anchors = _finish_anchor_table(anchors)

    backlinks_by_type = pd.Series(np.bincount(type_codes, minlength=len(CATEGORIES)), index=list(CATEGORIES))
    # distinct (type, site) pairs: a site counts once per anchor type it uses
    pairs = pd.unique(type_codes.astype(np.int64) * max(len(domain_names), 1) + domain_codes)
    domains_by_type = pd.Series(np.bincount(pairs // max(len(domain_names), 1), minlength=len(CATEGORIES)),
                                index=list(CATEGORIES))
    heavy = np.isin(type_codes, pd.Index(CATEGORIES).get_indexer(list(KEYWORD_HEAVY)))
    keyword_domains = int(pd.unique(domain_codes[heavy]).size)
    total_domains = len(domain_names)
    return AnchorProfile(anchors, _distribution(backlinks_by_type, domains_by_type, total_backlinks, total_domains),
                         total_backlinks, total_domains, keyword_domains, "backlinks")


def _live_codes(values: pd.Series, live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize(values[live]) without filtering the strings: the whole column's codes, filtered and
    renumbered in order of first appearance among the live rows (missing values stay -1)."""
    codes, uniques = pd.factorize(values, sort=False)
    codes = codes[live]
    named = codes >= 0
    out = np.full(len(codes), -1, dtype=np.intp)
    out[named], order = pd.factorize(codes[named], sort=False)
    return out, np.asarray(uniques, dtype=object)[order]


def profile_from_export(anchors_export: pd.DataFrame, context: AnchorContext) -> AnchorProfile:
    """The profile from an Anchors export: its own domains and backlinks columns per anchor."""
    text = _anchor_text(anchors_export["anchor"])
    frame = pd.DataFrame({
        "anchor": text.to_numpy(),
        "backlinks": anchors_export["backlinks"].fillna(0).to_numpy(dtype="int64") if "backlinks" in anchors_export
        else np.zeros(len(text), dtype="int64"),
        "domains": anchors_export["domains"].fillna(0).to_numpy(dtype="int64"),
        "first_seen": anchors_export["first_seen"].to_numpy() if "first_seen" in anchors_export else pd.NaT,
        "last_seen": anchors_export["last_seen"].to_numpy() if "last_seen" in anchors_export else pd.NaT,
    })
    # The same text can appear twice once whitespace is trimmed: add the counts up.
    frame = frame.groupby("anchor", sort=False).agg(backlinks=("backlinks", "sum"), domains=("domains", "sum"),
                                                    first_seen=("first_seen", "min"),
                                                    last_seen=("last_seen", "max")).reset_index()
    frame["category"] = classify_anchors(frame["anchor"], context).to_numpy()
    anchors = _finish_anchor_table(frame)
    by_type = anchors.groupby("category", sort=False)[["backlinks", "domains"]].sum()
    total_backlinks, total_domains = int(anchors["backlinks"].sum()), int(anchors["domains"].sum())
    keyword_domains = int(by_type["domains"].reindex(list(KEYWORD_HEAVY), fill_value=0).sum())
    return AnchorProfile(anchors, _distribution(by_type["backlinks"], by_type["domains"], total_backlinks,
                                                total_domains),
                         total_backlinks, total_domains, keyword_domains, "anchors")


def _finish_anchor_table(anchors: pd.DataFrame) -> pd.DataFrame:
    anchors["label"] = anchors["category"].map(LABELS).astype("str")
    anchors["anchor"] = anchors["anchor"].astype("str")
    anchors["category"] = anchors["category"].astype("str")
    anchors = anchors.astype({"first_seen": "datetime64[ns]", "last_seen": "datetime64[ns]"})
    # Most anchors tie on their counts (a link or two each): sort_rows ranks the texts once.
    return sort_rows(anchors, ["domains", "backlinks", "anchor"], [False, False, True]).reset_index(drop=True)[
        list(ANCHOR_COLUMNS)]


@dataclass(frozen=True)
class OverOptimisation:
    share: float  # of referring domains linking with an exact- or partial-match anchor
    threshold: float
    keyword_domains: int
    total_domains: int

    @property
    def exceeded(self) -> bool:
        return self.total_domains > 0 and self.share > self.threshold

    def sentence(self) -> str:
        if not self.total_domains:
            return "No anchors to judge yet."
        head = (f"{self.share:.0%} of the sites linking to you ({self.keyword_domains:,} of "
                f"{self.total_domains:,}) use your keywords as anchor text")
        if self.exceeded:
            return (f"{head}, above your {self.threshold:.0%} limit. Natural link profiles are mostly brand, URL "
                    "and generic anchors; this many keyword anchors looks like built links, which Google's "
                    "link-spam policies target. Ask for brand or URL anchors in new links.")
        return (f"{head}, within your {self.threshold:.0%} limit: the profile looks natural "
                "(mostly brand, URL and generic anchors).")


def over_optimisation(profile: AnchorProfile, threshold: float = DEFAULT_THRESHOLD) -> OverOptimisation:
    share = profile.keyword_domains / profile.total_domains if profile.total_domains else 0.0
    return OverOptimisation(share=share, threshold=threshold, keyword_domains=profile.keyword_domains,
                            total_domains=profile.total_domains)


def domains_using(backlinks: pd.DataFrame, anchor: str, data_date: date) -> pd.DataFrame:
    """The sites that link with one anchor text (live links): backlinks, best page, first and last seen."""
    wanted = [c for c in ("anchor", "source_domain", "source_url", "page_ascore", "first_seen", "last_seen")
              if c in backlinks]
    live = backlinks[wanted][~lost_mask(backlinks, data_date)]
    rows = live[_anchor_text(live["anchor"]) == anchor.strip()]
    frame = pd.DataFrame({
        "domain": rows["source_domain"].to_numpy(),
        "source_url": rows["source_url"].to_numpy(),
        "page_ascore": pd.array(rows["page_ascore"], dtype="Int64") if "page_ascore" in rows
        else pd.array([pd.NA] * len(rows), dtype="Int64"),
        "first_seen": rows["first_seen"].to_numpy() if "first_seen" in rows else pd.NaT,
        "last_seen": rows["last_seen"].to_numpy() if "last_seen" in rows else pd.NaT,
    })
    frame = frame.sort_values("page_ascore", ascending=False, na_position="last", kind="stable")
    grouped = frame.groupby("domain", sort=False).agg(
        backlinks=("source_url", "size"), best_page_ascore=("page_ascore", "max"), best_page=("source_url", "first"),
        first_seen=("first_seen", "min"), last_seen=("last_seen", "max")).reset_index()
    grouped = grouped.astype({"domain": "str", "backlinks": "int64", "best_page_ascore": "Int64",
                              "best_page": "str", "first_seen": "datetime64[ns]", "last_seen": "datetime64[ns]"})
    return grouped.sort_values(["backlinks", "domain"], ascending=[False, True]).reset_index(drop=True) \
        .rename(columns={"best_page": "best_page_url"})
