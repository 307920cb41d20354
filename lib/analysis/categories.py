"""What kind of site each referring domain is, from plain rules a user can read and override.

One category per registrable domain, with the rule that fired (`category_reason`). Rules are tried in
this order and the first that fires wins:

1. set by you      a stored per-domain override
2. suspicious      a TLD mostly used by spam (.xyz, .top, ...), or spam words (casino, viagra, backlinks ...)
                   in the domain name or in most of its linking pages' titles
3. Semrush         the category column of a Referring Domains export, when it names news, forums or directories
4. forum           forum names (forum, community, reddit.com ...) or forum paths (/forum/, /thread/ ...)
5. news            news names (news, herald, gazette, tribune ..., well-known news sites) or paths (/news/)
6. directory       directory and profile sites (listings, directory, yelp, /profile/, /listing/, /browse/ ...)
7. resource page   resource / links pages (/resources/, /useful-links/, "Resources" in the title)
8. partner         partner, sponsor and stockist pages (/partners/, /stockists/ ...), or a site whose links
                   are mostly sitewide (footer, sidebar, blogroll: at least SITEWIDE_MIN_LINKS of them)
9. industry blog   a word of the workspace's keywords in the domain name or in a linking page's title
                   (words too common to show a topic, like "over", "press" or "machine", are ignored);
                   without keywords, any blog (/blog/, blog. host) counts
10. unrelated      nothing above fired (shown as "Unrelated / suspicious")

URL and title rules fire when at least half of a domain's linking pages match (so one /links/ page on a
large blog does not make the blog a resource page). Large domains are judged on their first
SAMPLE_PER_DOMAIN backlinks, which keeps a million-row workspace fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from lib.analysis.text import contains, extract_first
from lib.arrow_strings import positions_in
from lib.frames import ColumnCodes, first_rows_by_code, rows_where, values_at
from lib.parallel import beside

CATEGORIES = ("industry_blog", "directory", "partner", "resource_page", "news", "forum", "suspicious")
CATEGORY_LABELS = {
    "industry_blog": "Industry blog",
    "directory": "Directory / profile",
    "partner": "Partner",
    "resource_page": "Resource page",
    "news": "News",
    "forum": "Forum",
    "suspicious": "Unrelated / suspicious",
}
OVERRIDE_REASON = "Set by you"
SAMPLE_PER_DOMAIN = 50
MAJORITY = 0.5

SPAM_TLDS = frozenset({
    "xyz", "top", "icu", "click", "loan", "win", "gq", "tk", "ml", "cf", "ga", "bid", "work", "date", "racing",
    "review", "stream", "download", "party", "trade", "accountant", "science", "cricket", "faith", "men", "kim",
    "rest", "buzz", "cyou", "monster", "sbs", "cfd", "pw", "su",
})
_SPAM_WORDS = (r"casino|poker|betting|porn|xxx|viagra|cialis|pharma|pills|payday|escort|backlinks?|linkfarm|"
               r"link-?exchange|seo-?links|buy-?links|free-?links|cheap-?links")


@dataclass(frozen=True)
class Rule:
    category: str
    host: str = ""  # regex on the host name (lower case)
    url: str = ""  # regex on the linking page URL (lower case)
    title: str = ""  # regex on the linking page title (case-insensitive)


_PATH_END = r"(?:[/._?#-]|$)"
_NEWS_SITES = ("nytimes.com", "theguardian.com", "bbc.co.uk", "bbc.com", "forbes.com", "cnn.com", "reuters.com",
               "washingtonpost.com", "wsj.com", "bloomberg.com", "businessinsider.com", "huffpost.com",
               "usatoday.com", "latimes.com", "independent.co.uk", "telegraph.co.uk", "dailymail.co.uk",
               "theverge.com", "techcrunch.com", "wired.com", "apnews.com", "npr.org", "time.com", "fortune.com",
               "cnbc.com", "nbcnews.com", "foxnews.com", "thetimes.co.uk", "spiegel.de", "lemonde.fr")
RULES = (
    Rule("forum",
         host=r"forum|community|discuss|(?:^|\.)(?:reddit|quora|stackexchange|stackoverflow)\.com$",
         url=r"/(?:forums?|threads?|topics?|viewtopic|showthread|discussions?|community|r)" + _PATH_END,
         title=r"\bforums?\b|\bcommunity\b|\bdiscussion\b|\bthread\b"),
    Rule("news",
         host=r"(?:^|[.-])news|herald|gazette|tribune|chronicle|ledger|dispatch|courier|sentinel|observer|"
              r"(?:^|\.)(?:" + "|".join(re.escape(d) for d in _NEWS_SITES) + r")$",
         url=r"/(?:news|press-releases?|newsroom)" + _PATH_END,
         title=r"\bnews\b|\bpress release\b"),
    Rule("directory",
         host=r"directory|directories|listing|yellowpages|yelp\.|crunchbase|hotfrog|manta\.|foursquare|trustpilot|"
              r"finder|index|about\.me|gravatar|linkedin",
         url=r"/(?:profiles?|users?|members?|listings?|directory|company|companies|biz|people|u|browse|search)"
             + _PATH_END,
         title=r"\bdirectory\b|\bprofile\b|\blistings?\b|\bbrowse\b"),
    Rule("resource_page",
         url=r"/(?:resources?|links|useful-links|helpful-links|recommended|blogroll|link-list|tools)" + _PATH_END,
         title=r"\bresources?\b|\buseful links\b|\bhelpful links\b|\bblogroll\b|\brecommended (?:sites|links)\b"),
    Rule("partner",
         url=r"/(?:partners?|sponsors?|clients|friends|affiliates?|stockists?|retailers|where-to-buy|our-brands)"
             + _PATH_END,
         title=r"\bpartners?\b|\bsponsors?\b|\bstockists?\b|\bwhere to buy\b|\bretailers\b"),
)
SITEWIDE_MIN_LINKS = 5
_BLOG_HOST = r"(?:^|[.-])blog"
_BLOG_URL = r"/blogs?" + _PATH_END
_SEMRUSH_CATEGORY = (("forum", r"forum|online communit"), ("news", r"news"),
                     ("directory", r"business director|director"))
# Words of keywords too common to show what a site is about ("pour over kettle" -> "pour", "kettle").
_KEYWORD_STOPWORDS = frozenset({
    "the", "and", "for", "with", "from", "your", "how", "what", "why", "near", "me", "vs", "best", "top", "buy",
    "cheap", "online", "review", "reviews", "guide", "guides", "tips", "ideas", "new", "home", "free", "sale", "deal",
    "deals", "price", "prices", "shop", "store", "set", "kit", "pro", "plus", "mini", "small", "big", "large",
    "over", "under", "cold", "hot", "press", "scale", "machine", "maker", "makers", "french", "black", "white",
})
NAME_TERM_MIN = 5  # keyword words shorter than this are not looked for inside domain names ("pour", "burr")
_OUTPUT = ("domain", "category", "category_reason")
T = TypeVar("T")


def keyword_terms(keywords: tuple[str, ...]) -> tuple[str, ...]:
    """The words of the target keywords worth looking for: 3+ letters, not common words."""
    terms: dict[str, None] = {}
    for keyword in keywords:
        for word in re.findall(r"[^\W_]+", str(keyword).lower()):
            if len(word) >= 3 and word not in _KEYWORD_STOPWORDS:
                terms.setdefault(word, None)
    return tuple(terms)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="str") for name in _OUTPUT})


def _sample(backlinks: pd.DataFrame, link_domains: ColumnCodes | None = None
            ) -> tuple[pd.DataFrame, np.ndarray, pd.Index]:
    """The first SAMPLE_PER_DOMAIN rows of each named domain (their text columns), each row's domain as a code,
    and the domains in order of first appearance (a code is a position there)."""
    # Picked by a mask from one factorisation of the domain column, whose codes the rows keep: a boolean
    # filter and groupby(...).head on a million strings cost ~0.5 s, and taking the sampled names to
    # factorise them again and de-duplicate them with the export's ~0.1 s. The columns are filtered one at
    # a time (lib.frames.rows_where): ~0.035 s, where taking the rows by position cost ~0.2 s.
    # A missing domain gets code -1 and the empty name is dropped from the domains after: no filled copy of the
    # million names, no hash table of the distinct ones to find "".
    shared = link_domains or ColumnCodes(backlinks["source_domain"].astype("str"))
    codes, domains = shared.codes, shared.uniques
    named = codes >= 0
    empty_at = np.flatnonzero(np.asarray(domains == "", dtype=bool))
    if len(empty_at):
        empty = int(empty_at[0])
        named &= codes != empty
        codes = codes - (codes > empty)
        domains = domains.delete(empty)
    keep = named & (pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy() < SAMPLE_PER_DOMAIN)
    wanted = [c for c in ("source_host", "source_url", "source_title", "sitewide") if c in backlinks]
    frame = rows_where(backlinks[wanted], keep).reset_index(drop=True)
    if "source_host" not in frame:
        from lib.domains import hosts

        frame = frame.assign(source_host=hosts(frame["source_url"]))
    if "source_title" not in frame:
        frame = frame.assign(source_title="")
    if "sitewide" in frame:
        frame = frame.assign(sitewide=frame["sitewide"].fillna(False).astype(bool))
    frame = frame.assign(
        source_host=frame["source_host"].fillna("").astype("str"),
        source_url=frame["source_url"].fillna("").astype("str"),
        source_title=frame["source_title"].fillna("").astype("str"),
    )
    return frame, codes[keep], domains


def _matches(text: pd.Series, pattern: str) -> np.ndarray:
    if not pattern or text.empty:
        return np.zeros(len(text), dtype=bool)
    return contains(text, pattern, case=False)


def _extract(labels: pd.Series, words: str) -> pd.Series:
    """The first of `words` (an alternation of plain words) in each label that has one, by label index.

    Python's extract runs only on the labels Arrow finds a word in: for plain words both engines agree."""
    has = labels.str.contains(words, regex=True).fillna(False).to_numpy(bool)
    return labels[has].str.extract(f"({words})", expand=False).dropna()


class _Texts:
    """One text column of the sample, matched against many patterns with few passes over its rows.

    `prefilter(patterns)` runs their alternation once: a row matching none of the alternatives matches
    no pattern, so each pattern is then tried only on the rows the alternation matched (few of the
    ~600,000 sampled URLs or titles of a million backlinks look like a forum, directory or partner page).
    """

    def __init__(self, text: pd.Series, distinct: bool = False):
        self.text = text
        self.distinct = pd.factorize(text, sort=False) if distinct and len(text) else None
        self.candidates: np.ndarray | None = None  # row positions that may match a prefiltered pattern
        self.candidate_text: pd.Series | None = None  # their texts, taken once for every pattern
        self.covered: frozenset[str] = frozenset()

    def prefilter(self, patterns) -> None:
        patterns = [p for p in patterns if p]
        if not patterns or self.text.empty:
            return
        union = _matches(self.text, "|".join(f"(?:{p})" for p in patterns))
        self.candidates, self.covered = np.flatnonzero(union), frozenset(patterns)
        self.candidate_text = values_at(self.text, self.candidates)

    def hits(self, pattern: str) -> np.ndarray:
        if self.candidates is None or pattern not in self.covered:
            if self.distinct is not None:  # a repeating column (hosts): each distinct value matched once
                codes, uniques = self.distinct
                return _matches(pd.Series(uniques, dtype="str"), pattern).take(codes)
            return _matches(self.text, pattern)
        hit = np.zeros(len(self.text), dtype=bool)
        hit[self.candidates] = _matches(self.candidate_text, pattern)
        return hit


class _Decision:
    """Per-domain category and reason, filled rule by rule; a decided domain is never changed.

    Domains are integer codes (positions in `domains`), so per-row work is array indexing, not string lookups.
    """

    def __init__(self, domains: pd.Index):
        self.domains = domains
        self.category = np.full(len(domains), "", dtype=object)
        self.reason = np.full(len(domains), "", dtype=object)
        self.open = np.ones(len(domains), dtype=bool)  # kept beside the categories: comparing text costs more

    def decide(self, category: str, codes, reasons) -> None:
        codes = np.asarray(codes, dtype=np.int64)
        reasons = np.broadcast_to(np.asarray(reasons, dtype=object), codes.shape)
        keep = self.open[codes]
        self.category[codes[keep]] = category
        self.reason[codes[keep]] = reasons[keep]
        self.open[codes[keep]] = False


def _majority(hit: np.ndarray, codes: np.ndarray, size: int, total: np.ndarray | None = None) -> np.ndarray:
    """Codes of the domains where at least half of the rows hit (`total`: the rows per code, when counted)."""
    hits = np.bincount(codes, weights=hit, minlength=size)
    total = np.bincount(codes, minlength=size) if total is None else total
    return np.flatnonzero((total > 0) & (hits >= MAJORITY * total))


def _evidence(text: pd.Series, hit: np.ndarray, codes: np.ndarray, pattern: str, fired: np.ndarray,
              fallback: str) -> np.ndarray:
    """The matched word for each fired domain (from its first matching row), for the reason text."""
    # Integer work only: a flag per domain code instead of isin's sort, each domain's first hitting row by
    # first_rows_by_code instead of a groupby.
    size = max(int(codes.max()) + 1 if len(codes) else 0, int(fired.max()) + 1 if len(fired) else 0)
    is_fired = np.zeros(size, dtype=bool)
    is_fired[fired] = True
    first_row = first_rows_by_code(np.where(hit & is_fired[codes], codes, -1), size)
    words = np.full(len(fired), fallback, dtype=object)
    at = first_row[fired]
    has = at >= 0
    if has.any():
        found = extract_first(values_at(text, at[has]), f"(?i)(?P<found>{pattern})")
        words[has] = found.fillna(fallback).astype("str").str.strip("/._?#-").str.lower().to_numpy(dtype=object)
    return words


_SPAM_TITLE = rf"\b(?:{_SPAM_WORDS})\b"


def _row_hits(rows: pd.DataFrame, title_keywords: str | None, also: Callable[[], T]
              ) -> tuple[dict[str, dict[str, np.ndarray]], T]:
    """Per text column of the sample, each row rule's pattern (column -> pattern -> a flag per row), and `also()`.

    The rules are applied in order afterwards, but what each pattern matches does not depend on the order:
    the hosts and URLs are matched on one thread while the titles, then `also()`, are on another (each pass
    also splits its rows over the cores when there are many). The hosts and URLs take the longer.
    """
    # Without keywords, any blog is an industry blog (rule 9): its host and URL patterns replace the titles'.
    blog = not title_keywords
    wanted = {
        "source_host": [rule.host for rule in RULES if rule.host] + [_BLOG_HOST] * blog,
        "source_url": [rule.url for rule in RULES if rule.url] + [_BLOG_URL] * blog,
        "source_title": [_SPAM_TITLE, *(rule.title for rule in RULES if rule.title),
                         *([title_keywords] if title_keywords else [])],
    }
    prefilters = {"source_url": [rule.url for rule in RULES],
                  "source_title": [_SPAM_TITLE, *(rule.title for rule in RULES)]}

    def column_hits(column: str) -> dict[str, np.ndarray]:
        texts = _Texts(rows[column], distinct=column == "source_host")
        texts.prefilter(prefilters.get(column, []))
        return {pattern: texts.hits(pattern) for pattern in dict.fromkeys(wanted[column])}

    def hosts_and_urls() -> dict[str, dict[str, np.ndarray]]:
        return {column: column_hits(column) for column in ("source_host", "source_url")}

    found, (titles, other) = beside(hosts_and_urls, lambda: (column_hits("source_title"), also()))
    return {**found, "source_title": titles}, other


@dataclass(frozen=True)
class _NameFacts:
    """What the domain names, and the export's Semrush categories, say: the rules that read no linking page,
    matched before any rule is applied (see categorize_domains for the order they are applied in)."""
    tld: pd.Series  # after the last dot of each name
    spam_tld: np.ndarray  # codes of the names with a spam TLD
    spam_name: pd.Series  # the spam word in each name that has one, by code
    semrush: tuple[tuple[str, np.ndarray, np.ndarray], ...]  # category, codes, reasons (in _SEMRUSH_CATEGORY order)
    host_rules: dict[str, np.ndarray]  # each rule's host pattern -> the codes of the names it matches
    keyword_in_name: pd.Series | None  # the keyword word in each name that has one, by code
    blog: np.ndarray | None  # without keywords: codes of the names that look like a blog


def _name_facts(labels: pd.Series, domains: pd.Index, refdomains: pd.DataFrame | None,
                name_terms: list[str] | None) -> _NameFacts:
    tld = labels.str.replace(r"(?s)^.*\.", "", regex=True)  # after the last dot, in Arrow (rsplit runs in Python)
    semrush = []
    if refdomains is not None and "category" in refdomains:
        listed = refdomains.drop_duplicates("root_domain")
        codes = positions_in(listed["root_domain"], domains)
        text = listed["category"].reset_index(drop=True)
        for category, pattern in _SEMRUSH_CATEGORY:
            hit = _matches(text, pattern)
            semrush.append((category, codes[hit], ("Semrush category: " + text[hit]).to_numpy()))
    return _NameFacts(
        tld=tld,
        spam_tld=np.flatnonzero(tld.isin(SPAM_TLDS).to_numpy()),
        spam_name=_extract(labels, _SPAM_WORDS),
        semrush=tuple(semrush),
        host_rules={rule.host: np.flatnonzero(_matches(labels, rule.host)) for rule in RULES if rule.host},
        keyword_in_name=_extract(labels, "|".join(re.escape(t) for t in name_terms)) if name_terms else None,
        blog=None if name_terms is not None else np.flatnonzero(_matches(labels, _BLOG_HOST)),
    )


def categorize_domains(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None,
                       keywords: tuple[str, ...] = (), overrides: Mapping[str, str] | None = None,
                       link_domains: ColumnCodes | None = None) -> pd.DataFrame:
    """One row per registrable domain: `domain, category, category_reason` (see the module's rules).

    `link_domains`: the ColumnCodes of `backlinks["source_domain"]`, when another thread groups the links too."""
    has_backlinks = backlinks is not None and len(backlinks) > 0 and "source_domain" in backlinks
    has_domains = referring_domains is not None and len(referring_domains) > 0
    rows, row_codes, sampled = _sample(backlinks, link_domains) if has_backlinks else \
        (None, None, pd.Index([], dtype="str"))
    refdomains = _refdomain_rows(referring_domains) if has_domains else None
    # The sample's domains in order of first appearance, then the export's others in theirs: row codes are
    # positions in `domains`.
    names = [sampled.to_series()]
    if refdomains is not None:
        others = refdomains["root_domain"][positions_in(refdomains["root_domain"], sampled) < 0]
        names.append(pd.Series(pd.unique(others), dtype="str"))
    domains = pd.Index(pd.concat(names, ignore_index=True), dtype="str")
    if domains.empty:
        return _empty()
    size = len(domains)
    decision = _Decision(domains)
    labels = pd.Series(domains, dtype="str")
    # Row rules are matched on every sampled row: a decided domain's rows are ignored by decide(), and a
    # domain's rows are all open or all decided, so per-domain majorities are those of the open rows.
    terms = keyword_terms(tuple(keywords))
    by_length = sorted(terms, key=len, reverse=True)
    title_keywords = rf"\b(?:{'|'.join(re.escape(t) for t in by_length)})(?:s|es)?\b" if terms else None
    name_terms = [t for t in by_length if len(t) >= NAME_TERM_MIN] if terms else None

    def name_facts() -> _NameFacts:
        return _name_facts(labels, domains, refdomains, name_terms)

    hits, facts = _row_hits(rows, title_keywords, name_facts) if rows is not None else ({}, name_facts())
    totals = np.bincount(row_codes, minlength=size) if rows is not None else None  # sampled rows per domain

    # 1. the user's own word
    if overrides:
        chosen = {d: c for d, c in overrides.items() if c in CATEGORIES}
        codes = domains.get_indexer(list(chosen))
        for (domain, category), code in zip(chosen.items(), codes):
            if code >= 0:
                decision.decide(category, [code], OVERRIDE_REASON)

    # 2. spam signals
    spam_tld = facts.spam_tld
    decision.decide("suspicious", spam_tld,
                    ("TLD ." + facts.tld.iloc[spam_tld] + " is mostly used by spam sites").to_numpy())
    decision.decide("suspicious", facts.spam_name.index, ("'" + facts.spam_name + "' in the domain name").to_numpy())
    if rows is not None:
        codes = row_codes
        hit = hits["source_title"][_SPAM_TITLE]
        fired = _majority(hit, codes, size, totals)
        words = _evidence(rows["source_title"], hit, codes, _SPAM_WORDS, fired, "spam")
        decision.decide("suspicious", fired, "Linking page titles mention '" + words + "'")

    # 3. Semrush's own category of the domain
    for category, codes, reasons in facts.semrush:
        decision.decide(category, codes, reasons)

    # 4-8. site types from hosts, linking URLs and titles
    for rule in RULES:
        label = CATEGORY_LABELS[rule.category].lower()
        if rule.host:
            decision.decide(rule.category, facts.host_rules[rule.host], f"Domain name looks like a {label} site")
        if rows is None:
            continue
        codes = row_codes
        for column, pattern, where in (("source_host", rule.host, "hosts"), ("source_url", rule.url, "URLs"),
                                       ("source_title", rule.title, "titles")):
            if not pattern or rows.empty:
                continue
            hit = hits[column][pattern]
            fired = _majority(hit, codes, size, totals)
            fired = fired[decision.open[fired]]
            if fired.size:
                words = _evidence(rows[column], hit, codes, pattern, fired, label)
                decision.decide(rule.category, fired, f"Most linking page {where} contain '" + words + "'")

    # 8b. partner: links mostly sitewide (footer, sidebar, blogroll) from a site that links a lot
    if rows is not None and "sitewide" in rows:
        codes = row_codes
        sitewide = rows["sitewide"].to_numpy(dtype=bool)
        enough = totals >= SITEWIDE_MIN_LINKS
        fired = _majority(sitewide, codes, size, totals)
        decision.decide("partner", fired[enough[fired]],
                        "Most of its links are sitewide (footer, sidebar or blogroll), as partners' and sponsors' are")

    # 9. topic: the workspace's keywords
    if terms:
        if facts.keyword_in_name is not None:
            in_name = facts.keyword_in_name
            decision.decide("industry_blog", in_name.index,
                            ("Domain name contains '" + in_name + "', from your keywords").to_numpy())
        if rows is not None:
            codes = row_codes
            hit = hits["source_title"][title_keywords]
            fired = np.flatnonzero(np.bincount(codes[hit], minlength=size))
            fired = fired[decision.open[fired]]
            if fired.size:
                words = _evidence(rows["source_title"], hit, codes, title_keywords, fired, "keyword")
                decision.decide("industry_blog", fired,
                                "A linking page title mentions '" + words + "', from your keywords")
        fallback = "Unrelated: none of your keywords in the domain name or linking page titles, no other rule fired"
    else:
        blog = "Blog (no target keywords set to check its topic)"
        decision.decide("industry_blog", facts.blog, blog)
        if rows is not None:
            codes = row_codes
            hit = hits["source_host"][_BLOG_HOST] | hits["source_url"][_BLOG_URL]
            decision.decide("industry_blog", _majority(hit, codes, size, totals), blog)
        fallback = "No rule fired; set target keywords on the Anchors page to recognise sites of your industry"

    # 10. nothing fired
    decision.decide("suspicious", np.flatnonzero(decision.open), fallback)
    return pd.DataFrame({
        "domain": domains.array,
        "category": pd.array(decision.category, dtype="str"),
        "category_reason": pd.array(decision.reason, dtype="str"),
    })


def _refdomain_rows(referring_domains: pd.DataFrame) -> pd.DataFrame:
    if "root_domain" in referring_domains:
        root = referring_domains["root_domain"]
    else:
        from lib.domains import registrable_domains

        root = registrable_domains(referring_domains["domain"].fillna("").astype("str"))
    frame = pd.DataFrame({"root_domain": root.fillna("").astype("str").array})
    if "category" in referring_domains:
        frame["category"] = referring_domains["category"].fillna("").astype("str").array
    return frame[(frame["root_domain"] != "").to_numpy(bool)]
