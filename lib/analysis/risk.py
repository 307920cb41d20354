"""A transparent risk score for referring domains and backlinks.

Google says it has no notion of "toxic" links and ignores most spam by itself; this score only
ranks what is worth a human look. It is the sum of the weights of the markers that fire, capped
at 100, so every point has a named reason and adding a marker never lowers the score. A high
Authority Score never adds risk, and a free-hosting subdomain (blogspot, wordpress.com) is not a
marker by itself.

| marker | weight | fires when |
| --- | --- | --- |
| low_authority | 20 | the domain's Authority Score is 5 or below |
| link_network | 25 | 5+ linking domains sit on the same /24 IP range |
| keyword_domain | 20 | the domain name is stuffed with keywords or sales words |
| spam_tld | 15 | the TLD is one spammers favour (.xyz, .top, .click, ...) |
| many_outbound | 15 | the linking page has 100+ outbound links |
| exact_anchor | 15 | the anchor is exactly one of your target keywords |
| link_burst | 10 | the domain arrived in a week with a burst of unrelated new domains |
| money_page_only | 10 | 3+ links, all to one inner page (not the home page) |
| sitewide | 5 | a sitewide (footer, sidebar) link |
| empty_title | 5 | the linking page has no title |
| offtopic_title | 10 | the page title is about a spam topic (casino, pills, payday loans, ...) and none of your keywords |
| country_mismatch | 5 | the domain's country is outside the workspace's home countries (none set: never) |

A domain carries a link-level marker when at least half of its backlinks do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.analysis.anchors import AnchorContext, exact_match_mask
from lib.analysis.text import extract_first, match_rows, sliced
from lib.arrow_strings import as_flags, column_strings, positions_in, take_from_chunks
from lib.frames import ColumnCodes, earliest_by_code, max_by_code, rows_where, values_at
from lib.parallel import PARALLEL_MIN_ROWS, beside

RISKY_SCORE = 50  # a domain or link at or above this is "risky"
LOW_AUTHORITY = 5
NETWORK_SIZE = 5
MANY_OUTBOUND = 100
SPAM_TLDS = frozenset({
    "xyz", "top", "click", "buzz", "online", "site", "icu", "work", "loan", "win", "bid", "gq", "ml", "cf", "tk",
    "ga", "review", "country", "stream", "download", "racing", "party", "science", "date", "faith", "cricket",
    "accountant", "cam", "rest", "monster", "cyou", "sbs", "cfd", "quest", "shop.xyz",
})
SALES_WORDS = frozenset({"best", "cheap", "buy", "deal", "deals", "discount", "sale", "top", "review", "reviews",
                         "offer", "offers", "price", "bargain", "bargains", "outlet", "coupon", "now", "online"})


@dataclass(frozen=True)
class Marker:
    name: str
    weight: int
    explanation: str
    level: str  # "domain": a fact about the linking site; "link": a fact about one backlink


MARKERS: dict[str, Marker] = {m.name: m for m in (
    Marker("low_authority", 20, "Authority Score 5 or below: almost no real site links to it.", "domain"),
    Marker("link_network", 25, "Shares a /24 IP range with 4+ other sites linking to you: a likely link network.",
           "domain"),
    Marker("keyword_domain", 20, "Domain name stuffed with keywords or sales words (e.g. best-cheap-x-deals).",
           "domain"),
    Marker("spam_tld", 15, "Top-level domain favoured by spammers (.xyz, .top, .click, ...).", "domain"),
    Marker("many_outbound", 15, "The linking page has 100+ outbound links: a link farm or directory page.", "link"),
    Marker("exact_anchor", 15, "Anchor is exactly one of your target keywords: looks placed, not earned.", "link"),
    Marker("link_burst", 10, "Arrived in a week when many unrelated new domains linked at once.", "domain"),
    Marker("money_page_only", 10, "3+ links, all to one inner (money) page and never to the home page.", "domain"),
    Marker("sitewide", 5, "Sitewide link (footer or sidebar on every page).", "link"),
    Marker("empty_title", 5, "The linking page has no title.", "link"),
    Marker("offtopic_title", 10, "The linking page's title is about a spam topic (casino, pills, payday loans, "
           "essays for sale...) and none of your keywords: an irrelevant page.", "link"),
    Marker("country_mismatch", 5, "The site is in a country outside your home countries (Data & settings); "
           "quiet until you set them.", "domain"),
)}
_ORDER = list(MARKERS)
_BIT = {name: 1 << i for i, name in enumerate(_ORDER)}
OUTPUT_COLUMNS = ["domain", "risk_score", "markers", "reasons", "backlinks"]
# The Backlinks columns the scores read: callers filtering a big frame first can keep just these.
LINK_COLUMNS = ["source_domain", "page_ascore", "first_seen", "external_links", "sitewide", "source_title", "anchor",
                "target_url"]


@dataclass(frozen=True)
class RiskContext:
    own_domain: str
    brand_terms: tuple[str, ...] = ()
    target_keywords: tuple[str, ...] = ()
    # ISO codes of the countries the site works in (lib.countries.home_countries); empty = the
    # country_mismatch marker never fires, since an international site has no "foreign" links.
    home_countries: tuple[str, ...] = ()


def weights_table(weights: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The markers with their weights and explanations, for showing in the UI."""
    chosen = _weights(weights)
    return pd.DataFrame([{"marker": m.name, "weight": chosen[m.name], "applies to": m.level,
                          "why it matters": m.explanation} for m in MARKERS.values()])


def _weights(weights: Mapping[str, int] | None) -> dict[str, int]:
    chosen = {name: marker.weight for name, marker in MARKERS.items()}
    for name, value in (weights or {}).items():
        if name not in chosen:
            raise KeyError(f"unknown risk marker {name!r}")
        chosen[name] = max(0, int(value))
    return chosen


def _keyword_words(context: RiskContext) -> set[str]:
    return {w for k in context.target_keywords for w in re.findall(r"[a-z0-9]+", k.lower()) if len(w) > 2}


class LinkDomains(ColumnCodes):
    """The backlinks' source domains factorised once: every per-domain aggregate below is an integer
    bincount or groupby on these codes instead of a hash of a million domain names (the costly part at
    a million backlinks: each string groupby, map or reindex re-factorises them).

    Shareable between threads (lib.frames.ColumnCodes): the Gap's risk score and priority parts, worked out side by
    side, both read the site's million links by domain (lib.analysis.priority)."""

    def __init__(self, backlinks: pd.DataFrame):
        super().__init__(backlinks["source_domain"])
        self._placed: tuple[pd.Index, np.ndarray] | None = None

    def among(self, index: pd.Index) -> np.ndarray:
        """Per distinct domain: is it in `index`?"""
        where = self._positions(index)
        found = np.zeros(len(self.uniques), dtype=bool)
        found[where[where >= 0]] = True
        return found

    def _positions(self, index: pd.Index) -> np.ndarray:
        # One lookup per target index, reused: compared by content, since `mask |= ...` hands back a Series
        # with an equal but new index object.
        if self._placed is None or not (self._placed[0] is index or self._placed[0].equals(index)):
            self._placed = (index, positions_in(index, self.uniques))
        return self._placed[1]

    def share_at_least_half(self, flags: np.ndarray) -> np.ndarray:
        """Per distinct domain: do at least half of its backlinks have the flag?"""
        hits = np.bincount(self.valid_codes, weights=self.of_valid(flags), minlength=len(self.uniques))
        return 2 * hits >= self.size

    def onto(self, index: pd.Index, values: np.ndarray, fill) -> np.ndarray:
        """Per-distinct-domain `values` laid onto `index` (domains without links get `fill`)."""
        where = self._positions(index)
        out = np.asarray(values).take(np.maximum(where, 0)) if len(values) else np.full(len(index), fill)
        return np.where(where >= 0, out, fill)


def keyword_stuffed(domain: str, keyword_words: set[str]) -> bool:
    """best-cheap-coffee-grinder-deals.xyz: several keyword or sales words in the name."""
    label = domain.lower().split(".")[0]
    parts = [p for p in re.split(r"[-_0-9]+", label) if p]
    hits = sum(p in SALES_WORDS or p in keyword_words for p in parts)
    return (label.count("-") >= 2 and hits >= 2) or hits >= 3


def _stuffed(domains: pd.Index, keyword_words: set[str]) -> np.ndarray:
    """keyword_stuffed of each (unique) domain; only names containing a sales or keyword word are checked.
    Without any such word a name scores no hit, so the prefilter changes no answer. ASCII names are checked in
    Arrow (split, word lookup, counts; property-tested equal to keyword_stuffed), the others in Python, as their
    lower-casing may differ between Python and Arrow."""
    if not len(domains):
        return np.zeros(0, dtype=bool)
    names = pd.Series(domains.astype("str"), dtype="str").fillna("")
    words = sorted(SALES_WORDS | keyword_words)
    strings = column_strings(names)
    ascii_ = as_flags(pc.string_is_ascii(strings))
    # An ASCII name is a candidate when a word stands in its label (before the first dot; no word holds a dot),
    # in any case: one RE2 pass, no copy of the names cut at the dot and lower-cased.
    label_has_word = "^[^.]*(?:" + "|".join(re.escape(w) for w in words) + ")"
    candidate = as_flags(pc.match_substring_regex(strings, label_has_word, ignore_case=True)) | ~ascii_
    out = np.zeros(len(names), dtype=bool)
    picked = np.flatnonzero(candidate & ascii_)
    out[picked] = _stuffed_ascii(take_from_chunks(strings, picked).combine_chunks(), words)
    other = np.flatnonzero(~ascii_)
    out[other] = [keyword_stuffed(d, keyword_words) for d in values_at(names, other).tolist()]
    return out


def _stuffed_ascii(names: pa.Array, words: list[str]) -> np.ndarray:
    """keyword_stuffed of ASCII names, in Arrow: a label's parts are looked up in `words` and counted per name
    (~46,000 candidate names of the Gap's 450,000 took ~0.2 s one Python call each)."""
    label = pc.replace_substring_regex(pc.ascii_lower(names), r"(?s)\..*$", "")
    parts = pc.split_pattern_regex(label, "[-_0-9]+")
    hit = pc.is_in(pc.list_flatten(parts), value_set=pa.array(words, pa.string())).to_numpy(zero_copy_only=False)
    hits = np.bincount(pc.list_parent_indices(parts).to_numpy(), weights=hit, minlength=len(names))
    dashes = pc.count_substring(label, "-").to_numpy(zero_copy_only=False)
    return ((dashes >= 2) & (hits >= 2)) | (hits >= 3)


def _fired(mask: int, weights: dict[str, int]) -> list[str]:
    return [n for n in _ORDER if mask & _BIT[n] and weights[n] > 0]


def _score(fired: list[str], weights: dict[str, int]) -> int:
    return min(100, sum(weights[n] for n in fired))


def _mask_strings(masks: pd.Series, weights: dict[str, int]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Scores, marker names and explanations from bitmasks, computed once per distinct combination."""
    codes, uniques = pd.factorize(masks.astype("int64"), sort=False)
    scores, names, reasons = [], [], []
    for mask in uniques:
        fired = _fired(mask, weights)
        scores.append(_score(fired, weights))
        names.append("; ".join(fired))
        reasons.append(" ".join(MARKERS[n].explanation for n in fired))
    take = lambda values, dtype: pd.Series(pd.array(values, dtype=dtype).take(codes) if len(codes) else  # noqa: E731
                                           pd.array([], dtype=dtype), index=masks.index)
    return take(scores, "Int64"), take(names, "str"), take(reasons, "str")


def _domain_facts(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None,
                  links: LinkDomains | None = None) -> pd.DataFrame:
    """One row per linking domain: ascore, tld, ip, country, first_seen, from whatever data there is, and
    `listed`: whether `referring_domains` names it (else only backlinks do)."""
    parts = []
    if referring_domains is not None and len(referring_domains):
        parts.append(_listed_facts(referring_domains))
    if backlinks is not None and len(backlinks):
        links = links or LinkDomains(backlinks)
        # Reduced on the integer codes (every code has a link; first-appearance order, as groupby(sort=False) on
        # the names would give).
        codes, size = links.valid_codes, len(links.uniques)
        ascore = links.of_valid(backlinks["page_ascore"].to_numpy(dtype="float64", na_value=np.nan))
        from_links = pd.DataFrame({
            "ascore": pd.array(max_by_code(codes, ascore, size), dtype="Float64"),
            "first_seen": earliest_by_code(codes, links.of_valid(backlinks["first_seen"].to_numpy()), size),
        }, index=pd.Index(links.uniques, name="domain"))
        if parts:
            parts = [_with_link_dates(parts[0], from_links["first_seen"])]
        else:
            parts.append(from_links.assign(ip="", country="", listed=False))
    if not parts:
        return pd.DataFrame(columns=["ascore", "ip", "country", "first_seen", "listed"],
                            index=pd.Index([], name="domain"))
    facts = parts[0]
    facts.index = facts.index.astype("str")
    facts = facts[facts.index != ""]
    facts["ip"] = facts["ip"].fillna("").astype("str")
    facts["country"] = facts["country"].fillna("").astype("str")
    return facts


def _listed_facts(refs: pd.DataFrame) -> pd.DataFrame:
    """The list's facts per registrable domain (ascore, ip, country, first_seen; listed), in first-appearance order.

    A list naming each registrable domain once (the Gap's, one row per domain) needs no grouping: counting its
    distinct names costs a fraction of grouping ~400,000 names with a first IP and country each (~0.1 s)."""
    rows = pd.DataFrame({
        "domain": _domain_key(refs),
        "ascore": refs["domain_ascore"].astype("Float64"),
        "ip": refs["ip"] if "ip" in refs else "", "country": refs["country"] if "country" in refs else "",
        "first_seen": refs["first_seen"] if "first_seen" in refs else pd.NaT,
    })
    names = column_strings(rows["domain"])
    if names.null_count == 0 and len(pc.unique(names)) == len(rows):  # (Arrow's count_distinct: 3x slower)
        return rows.set_index("domain").assign(listed=True)
    return rows.groupby("domain", sort=False).agg(ascore=("ascore", "max"), ip=("ip", "first"),
                                                  country=("country", "first"), first_seen=("first_seen", "min")
                                                  ).assign(listed=True)


def _with_link_dates(refs: pd.DataFrame, link_first_seen: pd.Series) -> pd.DataFrame:
    """refs.combine_first(link facts' first_seen), by one index lookup instead of an outer join of two
    ~100,000-name string indexes: a missing first_seen of a listed domain is filled from its links, and
    domains only the links know are added with that date alone (no score, IP or country)."""
    where = positions_in(link_first_seen.index, refs.index, unique=True)  # both grouped: one row per name
    listed = where >= 0
    first_seen = refs["first_seen"].to_numpy(dtype="datetime64[ns]").copy()
    from_links = link_first_seen.to_numpy(dtype="datetime64[ns]")
    fill = listed.copy()
    fill[listed] = np.isnat(first_seen[where[listed]])
    first_seen[where[fill]] = from_links[fill]
    unlisted = int((~listed).sum())
    # Text columns stay text (missing, not NaN): a float column would make the concatenation copy every IP
    # and country of the list into Python objects.
    missing = lambda dtype: pd.array([], dtype=dtype).take(np.full(unlisted, -1), allow_fill=True)  # noqa: E731
    extra = pd.DataFrame({"ascore": missing("Float64"), "ip": missing(refs["ip"].dtype),
                          "country": missing(refs["country"].dtype),
                          "first_seen": from_links[~listed], "listed": False},
                         index=link_first_seen.index[~listed])
    return pd.concat([refs.assign(first_seen=first_seen), extra])


def _domain_masks(facts: pd.DataFrame, context: RiskContext) -> pd.Series:
    # Every condition goes to numpy as an array: numpy asks a Series for __array_interface__, and pandas
    # answers an unknown attribute by looking the name up in the index, which hashes ~450,000 names (~0.1 s).
    names = pd.Series(facts.index, index=facts.index)
    keyword_words = _keyword_words(context)

    def from_names() -> np.ndarray:
        mask = np.zeros(len(facts), dtype=np.int64)
        ascore = facts["ascore"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        mask |= np.where(ascore <= LOW_AUTHORITY, _BIT["low_authority"], 0)  # unknown (NaN) is not low
        mask |= np.where(_spam_tld(names), _BIT["spam_tld"], 0)
        return mask | np.where(_stuffed(facts.index, keyword_words), _BIT["keyword_domain"], 0)

    def from_facts() -> np.ndarray:
        mask = np.where(_in_network(facts["ip"]), _BIT["link_network"], 0)
        if context.home_countries:
            home = {c.upper() for c in context.home_countries}
            country = facts["country"].str.strip().str.upper()
            mask |= np.where(((country != "") & ~country.isin(home)).to_numpy(bool), _BIT["country_mismatch"], 0)
        return mask | np.where(_in_burst(facts["first_seen"], names, keyword_words), _BIT["link_burst"], 0)

    # Independent passes over ~450,000 names on the Gap: the two halves on two cores.
    by_name, by_fact = beside(from_names, from_facts) if len(facts) >= PARALLEL_MIN_ROWS else \
        (from_names(), from_facts())
    return pd.Series(by_name | by_fact, index=facts.index)


def _spam_tld(names: pd.Series) -> np.ndarray:
    """Per name: is the text after its last dot (all of it without one), lower-cased, one of SPAM_TLDS?

    ASCII names by one RE2 pass in any case (lower-casing ASCII is RE2's case folding there); the others cut and
    lower-cased as Python would (~0.06 s for 450,000 names by a cut copy, a lower-cased copy and a lookup)."""
    strings = column_strings(names)
    tlds = "|".join(re.escape(t) for t in sorted(SPAM_TLDS) if "." not in t)
    found = as_flags(pc.match_substring_regex(strings, f"(?:^|\\.)(?:{tlds})$", ignore_case=True))
    other = np.flatnonzero(~as_flags(pc.string_is_ascii(strings), True))
    if len(other):
        tld = values_at(names, other).str.replace(r"(?s)^.*\.", "", regex=True).str.lower()
        found[other] = tld.isin(SPAM_TLDS).to_numpy(bool)
    return found


_IPV4 = r"^(?P<found>\d+\.\d+\.\d+)\.\d+$"


def subnets(ips: pd.Series) -> pd.Series:
    """The /24 network ("1.2.3") of each dotted IPv4 address (the `_IPV4` pattern), NA for anything else."""
    return extract_first(ips, _IPV4)


def _in_network(ips: pd.Series) -> np.ndarray:
    """Addresses in a /24 network that NETWORK_SIZE or more of the domains share."""
    codes, _ = pd.factorize(subnets(ips), sort=False)
    known = codes >= 0
    sizes = np.bincount(codes[known])
    out = np.zeros(len(codes), dtype=bool)
    out[known] = sizes[codes[known]] >= NETWORK_SIZE
    return out


def _in_burst(first_seen: pd.Series, names: pd.Series, keyword_words: set[str]) -> np.ndarray:
    """Domains first seen in a week with far more new domains than usual, whose names show no relevance."""
    seen = pd.to_datetime(first_seen)
    if seen.notna().sum() < 20:
        return np.zeros(len(seen), dtype=bool)
    week = seen.dt.to_period("W")
    per_week = week.value_counts()
    threshold = max(10, 4 * float(per_week.median()))
    burst_weeks = set(per_week[per_week > threshold].index)
    # One regex pass in C over all names, not a Python call per domain (a million backlinks: ~100,000 domains).
    pattern = "|".join(re.escape(w) for w in sorted(keyword_words))
    relevant = names.str.lower().str.contains(pattern, regex=True).fillna(False) if keyword_words else False
    return (week.isin(burst_weeks) & ~relevant).to_numpy(bool)


# Topics of pages that sell links to anyone: a title about one of them, and not about your niche, is a page with
# no reason to link to you. Whole words only, so "bet" does not fire on "better" nor "loan" on "loaned".
SPAM_TOPICS = ("casino", "casinos", "poker", "betting", "slots", "porn", "xxx", "viagra", "cialis", "pills",
               "payday", "loans", "escort", "escorts", "replica", "forex", "essay", "essays")
# A pattern string, not a compiled pattern with flags: pandas runs those in Python's re on every row.
_SPAM_TOPIC = r"(?i)\b(?:" + "|".join(SPAM_TOPICS) + r")\b"


def _offtopic(titles: pd.Series, keyword_words: set[str]) -> np.ndarray:
    """Per title: about a spam topic and about none of the keywords.

    One pass over every title, on both cores (cheaper than finding the distinct titles first: most titles are
    distinct); the keyword pattern only on the few that name a spam topic.
    """
    on_topic = r"\b(?:" + "|".join(re.escape(w) for w in sorted(keyword_words)) + r")\b" if keyword_words else None

    def spam_of(part: pd.Series) -> np.ndarray:
        names = part.str.lower()
        spam = match_rows(names, _SPAM_TOPIC)
        if on_topic and spam.any():
            at = np.flatnonzero(spam)
            spam[at] = ~match_rows(values_at(names, at), on_topic)
        return spam

    return np.concatenate(sliced(titles, spam_of))


def _link_masks(backlinks: pd.DataFrame, context: RiskContext) -> pd.Series:
    mask = pd.Series(0, index=backlinks.index, dtype="int64")
    outbound = backlinks["external_links"].astype("Float64").fillna(0)
    mask |= np.where(outbound >= MANY_OUTBOUND, _BIT["many_outbound"], 0)
    mask |= np.where(backlinks["sitewide"].to_numpy(bool), _BIT["sitewide"], 0)
    title = backlinks["source_title"].fillna("").astype("str").str.strip()
    mask |= np.where(title == "", _BIT["empty_title"], 0)
    mask |= np.where(_offtopic(title, _keyword_words(context)), _BIT["offtopic_title"], 0)
    exact = exact_match_mask(backlinks["anchor"], AnchorContext(context.own_domain, context.brand_terms,
                                                                 context.target_keywords))
    mask |= np.where(exact, _BIT["exact_anchor"], 0)
    return mask


def _domain_key(referring_domains: pd.DataFrame) -> pd.Series:
    """The column a Referring Domains list's rows are scored by: the registrable domain where there is one."""
    return referring_domains["root_domain"] if "root_domain" in referring_domains else referring_domains["domain"]


def _listed_names(referring_domains: pd.DataFrame | None) -> pd.Index:
    """The domains a Referring Domains list names, as _domain_facts keys them (no missing or empty name)."""
    if referring_domains is None or not len(referring_domains):
        return pd.Index([], dtype="str")
    names = _domain_key(referring_domains).dropna().astype("str")
    return pd.Index(names[names != ""], dtype="str")


def _link_masks_of(backlinks: pd.DataFrame, context: RiskContext, links: LinkDomains,
                   scored: pd.Index | None) -> np.ndarray:
    """_link_masks of every backlink, or of the backlinks from the `scored` domains (0 for the others): on
    the Gap, half of a million backlinks come from domains it does not list, whose titles and anchors need
    no regex pass."""
    if scored is None:
        return _link_masks(backlinks, context).to_numpy()
    rows = links.valid & links.among(scored).take(np.maximum(links.codes, 0))
    out = np.zeros(len(backlinks), dtype=np.int64)
    if rows.any():
        read = ["external_links", "sitewide", "source_title", "anchor"]
        out[rows] = _link_masks(rows_where(backlinks[read], rows), context).to_numpy()
    return out


def _money_page_only(backlinks: pd.DataFrame, links: LinkDomains) -> np.ndarray:
    """Per distinct link domain (links.uniques): 3+ links, all to one inner page, none to the home page."""
    # A site has few target pages: their paths are derived once per distinct target URL.
    target_codes, targets = pd.factorize(backlinks["target_url"], sort=False)
    if not len(targets):  # no target URL known: no link is to an inner page
        return np.zeros(len(links.uniques), dtype=bool)
    path = pd.Series(targets, dtype="str").str.replace(r"^[a-zA-Z]+://[^/]+", "", regex=True)
    path_codes, _ = pd.factorize(path, sort=False)
    path_of_link = np.where(target_codes >= 0, path_codes.take(np.maximum(target_codes, 0)), -1)
    home_of_link = np.where(target_codes >= 0, path.isin(["", "/"]).to_numpy(bool).take(np.maximum(target_codes, 0)),
                            False)
    n = len(links.uniques)
    keep = links.valid & (path_of_link >= 0)
    codes, paths = links.codes[keep], path_of_link[keep]
    # One page only <=> every link's path is that of any one link of the domain (whichever the assignment
    # kept): a pass of integer compares instead of hashing a million (domain, path) pairs.
    some_path = np.full(n, -1, dtype=np.int64)
    some_path[codes] = paths
    other_page = np.bincount(codes, weights=paths != some_path[codes], minlength=n) > 0
    one_page = (np.bincount(codes, minlength=n) > 0) & ~other_page
    home = np.bincount(links.valid_codes, weights=links.of_valid(home_of_link), minlength=n) > 0
    return (links.size >= 3) & one_page & ~home


def backlink_risk(backlinks: pd.DataFrame, context: RiskContext, referring_domains: pd.DataFrame | None = None,
                  weights: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Risk of each backlink: its own markers plus its domain's; same index as `backlinks`."""
    chosen = _weights(weights)
    if backlinks.empty:
        return pd.DataFrame({"risk_score": pd.array([], dtype="Int64"), "markers": pd.array([], dtype="str"),
                             "reasons": pd.array([], dtype="str")}, index=backlinks.index)
    links = LinkDomains(backlinks)
    facts = _domain_facts(backlinks, referring_domains, links)
    domain_mask = _domain_masks(facts, context)
    domain_mask |= np.where(links.onto(domain_mask.index, _money_page_only(backlinks, links), False),
                            _BIT["money_page_only"], 0)
    # Each link takes its domain's mask through the domain codes (0 for a domain without facts).
    where = positions_in(links.uniques, domain_mask.index, unique=True)
    per_domain = np.where(where >= 0, domain_mask.to_numpy().take(np.maximum(where, 0)), 0)
    of_link = np.where(links.valid, per_domain.take(np.maximum(links.codes, 0)) if len(per_domain) else 0, 0)
    mask = _link_masks(backlinks, context) | pd.Series(of_link.astype("int64"), index=backlinks.index)
    scores, names, reasons = _mask_strings(mask, chosen)
    return pd.DataFrame({"risk_score": scores, "markers": names, "reasons": reasons}, index=backlinks.index)


def domain_risk(backlinks: pd.DataFrame, referring_domains: pd.DataFrame | None, context: RiskContext,
                weights: Mapping[str, int] | None = None, *, ordered: bool = True,
                listed_only: bool = False, links: LinkDomains | None = None) -> pd.DataFrame:
    """One row per referring domain, riskiest first: domain, risk_score, markers, reasons, backlinks.

    `ordered=False` for callers that only look scores up by domain: the rows stay in no promised order, and
    the ordering (a rank of every name: ~0.15 s for the Gap's 450,000 domains) is skipped.
    `listed_only`: rows only for the domains of `referring_domains` (the Gap's lists), the same as in the full
    result, and only their backlinks are read for link-level markers. The other linking domains still count
    where domains are compared with each other (a burst of new domains).
    `links`: LinkDomains of `backlinks`, when the caller shares them with other work."""
    chosen = _weights(weights)
    has_links = backlinks is not None and len(backlinks) > 0
    links = (links or LinkDomains(backlinks)) if has_links else None

    def domain_side() -> pd.Series | None:
        facts = _domain_facts(backlinks if has_links else None, referring_domains, links)
        if facts.empty:
            return None
        mask = _domain_masks(facts, context)
        return mask[facts["listed"].to_numpy(dtype=bool)] if listed_only else mask

    def link_side() -> np.ndarray:
        # Per link domain: which markers at least half its links carry. Needs only the links, so it runs
        # beside the domain facts and name markers (~0.25 s of ~0.9 s on the Gap's 450,000 domains).
        scored = _listed_names(referring_domains) if listed_only else None
        link_mask = _link_masks_of(backlinks, context, links, scored)
        per_domain = np.zeros(len(links.uniques), dtype=np.int64)
        for name in ("many_outbound", "sitewide", "empty_title", "offtopic_title", "exact_anchor"):
            per_domain |= np.where(links.share_at_least_half((link_mask & _BIT[name]) > 0), _BIT[name], 0)
        return per_domain | np.where(_money_page_only(backlinks, links), _BIT["money_page_only"], 0)

    mask, from_links = beside(domain_side, link_side) if has_links else (domain_side(), None)
    if mask is None or mask.empty:
        return _empty()
    counts = pd.Series(0, index=mask.index, dtype="int64")
    if has_links:
        mask |= links.onto(mask.index, from_links, 0)
        counts = pd.Series(links.onto(mask.index, links.size, 0), index=mask.index, dtype="int64")
    elif referring_domains is not None and "backlinks" in referring_domains:
        key = _domain_key(referring_domains).astype("str")
        counts = referring_domains.groupby(key, sort=False)["backlinks"].sum().reindex(mask.index, fill_value=0)
    return _result(mask, counts, chosen, ordered)


def referring_domain_risk(referring_domains: pd.DataFrame, context: RiskContext,
                          weights: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Risk from domain-level facts only, for domains whose backlinks we do not have (gap prospects)."""
    return domain_risk(pd.DataFrame(), referring_domains, context, weights)


def _result(mask: pd.Series, counts: pd.Series, weights: dict[str, int], ordered: bool = True) -> pd.DataFrame:
    # Ordered on integers (score, count, the domain's rank among the names) before any text is built: sorting
    # the finished frame by its Int64 and text columns cost ~0.5 s for the Gap's 432,000 domains.
    domains = pd.Series(pd.array(mask.index.astype("str"), dtype="str"))
    if ordered:
        combos, uniques = pd.factorize(mask.to_numpy(dtype="int64"), sort=False)
        combo_scores = np.array([_score(_fired(combo, weights), weights) for combo in uniques], dtype="int64")
        by_name = pc.rank(column_strings(domains), sort_keys="ascending", tiebreaker="first").to_numpy()
        order = np.lexsort((by_name, -counts.to_numpy(dtype="int64"), -combo_scores.take(combos)))
    else:
        order = np.arange(len(domains))
    ordered = pd.Series(mask.to_numpy(dtype="int64").take(order))
    scores, names, reasons = _mask_strings(ordered, weights)
    return pd.DataFrame({"domain": domains.array.take(order), "risk_score": scores.array,
                         "markers": names.array, "reasons": reasons.array,
                         "backlinks": pd.array(counts.to_numpy(dtype="int64").take(order), dtype="Int64")})


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"domain": pd.array([], dtype="str"), "risk_score": pd.array([], dtype="Int64"),
                         "markers": pd.array([], dtype="str"), "reasons": pd.array([], dtype="str"),
                         "backlinks": pd.array([], dtype="Int64")})
