"""What kind of site each referring domain is, from plain rules a user can read and override.

One category per registrable domain, with the rule that fired (`category_reason`). Rules are tried in
this order and the first that fires wins:

1. set by you      a stored per-domain override
2. suspicious      a TLD mostly used by spam (.xyz, .top, ...), or spam words (casino, viagra, backlinks ...)
                   in the domain name or in most of its linking pages' titles
3. Semrush         the category column of a Referring Domains export, when it names news or forums
4. forum           forum hosts (forum., community., reddit.com ...) or forum paths (/forum/, /thread/ ...)
5. news            news hosts (news., ...times, ...herald) or news paths (/news/, /press-release/)
6. directory       directory and profile sites (yelp, crunchbase, /profile/, /listing/, /members/ ...)
7. resource page   resource / links pages (/resources/, /useful-links/, "Resources" in the title)
8. partner         partner, sponsor and stockist pages (/partners/, /sponsors/, /stockists/ ...)
9. industry blog   one of the workspace's keywords in the domain name or in a linking page's title;
                   without keywords, any blog (/blog/, blog. host) counts
10. unrelated      nothing above fired (shown as "Unrelated / suspicious")

URL and title rules fire when at least half of a domain's linking pages match (so one /links/ page on a
large blog does not make the blog a resource page). Large domains are judged on their first
SAMPLE_PER_DOMAIN backlinks, which keeps a million-row workspace fast.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

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
RULES = (
    Rule("forum",
         host=r"^(?:forums?|community|discuss|discussions?|boards?)\.|(?:^|\.)(?:reddit\.com|quora\.com|"
              r"stackexchange\.com|stackoverflow\.com|discourse\.org)$",
         url=r"/(?:forums?|threads?|topics?|viewtopic|showthread|discussions?|community|r)" + _PATH_END,
         title=r"\bforums?\b|\bcommunity\b|\bdiscussion\b|\bthread\b"),
    Rule("news",
         host=r"(?:^|[.-])news|(?:times|herald|gazette|tribune|chronicle|dailynews|journal)(?:[.-]|$)",
         url=r"/(?:news|press|press-releases?|newsroom)" + _PATH_END,
         title=r"\bnews\b|\bpress release\b"),
    Rule("directory",
         host=r"(?:^|[.-])(?:directory|directories|listings?|yellowpages|yelp|crunchbase|hotfrog|manta|"
              r"foursquare|trustpilot|about\.me|gravatar|linkedin)(?:[.-]|$)",
         url=r"/(?:profiles?|users?|members?|listings?|directory|company|companies|biz|people|u)" + _PATH_END,
         title=r"\bdirectory\b|\bprofile\b|\blisting\b|\bbusiness listings?\b"),
    Rule("resource_page",
         url=r"/(?:resources?|links|useful-links|helpful-links|recommended|blogroll|link-list|tools)" + _PATH_END,
         title=r"\bresources?\b|\buseful links\b|\bhelpful links\b|\bblogroll\b|\brecommended (?:sites|links)\b"),
    Rule("partner",
         url=r"/(?:partners?|sponsors?|clients|friends|affiliates?|stockists?|retailers|where-to-buy|our-brands)"
             + _PATH_END,
         title=r"\bpartners?\b|\bsponsors?\b|\bstockists?\b|\bwhere to buy\b|\bretailers\b"),
)
_BLOG_HOST = r"(?:^|[.-])blog"
_BLOG_URL = r"/blogs?" + _PATH_END
_SEMRUSH_CATEGORY = (("forum", r"forum|online communit"), ("news", r"news"),
                     ("directory", r"business director|director"))
_KEYWORD_STOPWORDS = frozenset({"the", "and", "for", "with", "best", "top", "how", "what", "your", "from", "buy",
                                "cheap", "online", "review", "reviews", "vs", "near", "me"})
_OUTPUT = ("domain", "category", "category_reason")


def keyword_terms(keywords: tuple[str, ...]) -> tuple[str, ...]:
    """The words of the target keywords worth looking for: 3+ letters, not filler words."""
    terms: dict[str, None] = {}
    for keyword in keywords:
        for word in re.findall(r"[^\W_]+", str(keyword).lower()):
            if len(word) >= 3 and word not in _KEYWORD_STOPWORDS:
                terms.setdefault(word, None)
    return tuple(terms)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="str") for name in _OUTPUT})


def _sample(backlinks: pd.DataFrame) -> pd.DataFrame:
    wanted = [c for c in ("source_domain", "source_host", "source_url", "source_title") if c in backlinks]
    frame = backlinks[wanted]
    frame = frame[frame["source_domain"].fillna("").astype("str") != ""]
    if len(frame) > SAMPLE_PER_DOMAIN:
        frame = frame.groupby("source_domain", sort=False).head(SAMPLE_PER_DOMAIN)
    frame = frame.reset_index(drop=True)
    if "source_host" not in frame:
        from lib.domains import hosts

        frame = frame.assign(source_host=hosts(frame["source_url"]))
    if "source_title" not in frame:
        frame = frame.assign(source_title="")
    return frame.assign(
        source_host=frame["source_host"].fillna("").astype("str"),
        source_url=frame["source_url"].fillna("").astype("str"),
        source_title=frame["source_title"].fillna("").astype("str"),
    )


def _matches(text: pd.Series, pattern: str) -> pd.Series:
    if not pattern or text.empty:
        return pd.Series(False, index=text.index)
    return text.str.contains(pattern, case=False, regex=True).fillna(False).astype(bool)


def _evidence(text: pd.Series, hit: pd.Series, pattern: str, domain: pd.Series) -> pd.Series:
    """The matched word per domain (first matching row), for the reason text."""
    if not hit.any():
        return pd.Series(dtype="str")
    found = text[hit].str.extract(f"(?i)({pattern})", expand=False)
    return found.groupby(domain[hit], sort=False).first().astype("str").str.strip("/._?#-").str.lower()


class _Decision:
    """Per-domain category and reason, filled rule by rule; a decided domain is never changed."""

    def __init__(self, domains: pd.Index):
        self.category = pd.Series("", index=domains, dtype="object")
        self.reason = pd.Series("", index=domains, dtype="object")

    def open(self) -> pd.Index:
        return self.category.index[self.category.eq("").to_numpy()]

    def decide(self, category: str, reasons: pd.Series) -> None:
        reasons = reasons[reasons.index.isin(self.open())]
        if len(reasons):
            self.category.loc[reasons.index] = category
            self.reason.loc[reasons.index] = reasons.to_numpy()


def _majority(hit: pd.Series, domain: pd.Series) -> pd.Index:
    share = hit.groupby(domain, sort=False).mean()
    return share.index[(share >= MAJORITY).to_numpy()]


def categorize_domains(backlinks: pd.DataFrame | None, referring_domains: pd.DataFrame | None,
                       keywords: tuple[str, ...] = (), overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per registrable domain: `domain, category, category_reason` (see the module's rules)."""
    has_backlinks = backlinks is not None and len(backlinks) > 0 and "source_domain" in backlinks
    has_domains = referring_domains is not None and len(referring_domains) > 0
    rows = _sample(backlinks) if has_backlinks else None
    refdomains = _refdomain_rows(referring_domains) if has_domains else None
    names: list[pd.Series] = []
    if rows is not None:
        names.append(rows["source_domain"])
    if refdomains is not None:
        names.append(refdomains["root_domain"])
    if not names:
        return _empty()
    domains = pd.Index(pd.concat(names, ignore_index=True).drop_duplicates().to_numpy(), dtype="object")
    domains = domains[domains != ""]
    if domains.empty:
        return _empty()
    decision = _Decision(domains)

    # 1. the user's own word
    if overrides:
        chosen = pd.Series({d: c for d, c in overrides.items() if c in CATEGORIES}, dtype="object")
        chosen = chosen[chosen.index.isin(domains)]
        for category, group in chosen.groupby(chosen, sort=False):
            decision.decide(category, pd.Series(OVERRIDE_REASON, index=group.index))

    # 2. spam signals
    labels = pd.Series(domains, index=domains, dtype="str")
    tld = labels.str.rsplit(".", n=1).str[-1]
    spam_tld = tld.isin(SPAM_TLDS)
    decision.decide("suspicious", ("TLD ." + tld[spam_tld] + " is mostly used by spam sites").astype("object"))
    spam_name = labels.str.extract(f"({_SPAM_WORDS})", expand=False).dropna()
    decision.decide("suspicious", ("'" + spam_name + "' in the domain name").astype("object"))
    if rows is not None:
        spam_title = _matches(rows["source_title"], rf"\b(?:{_SPAM_WORDS})\b")
        fired = _majority(spam_title, rows["source_domain"])
        words = _evidence(rows["source_title"], spam_title, _SPAM_WORDS, rows["source_domain"])
        decision.decide("suspicious", ("Linking page titles mention '" + words.reindex(fired).fillna("spam")
                                       + "'").astype("object"))

    # 3. Semrush's own category of the domain
    if refdomains is not None and "category" in refdomains:
        semrush = refdomains.drop_duplicates("root_domain").set_index("root_domain")["category"]
        semrush = semrush.fillna("").astype("str")
        for category, pattern in _SEMRUSH_CATEGORY:
            hit = semrush[semrush.str.contains(pattern, case=False, regex=True)]
            decision.decide(category, ("Semrush category: " + hit).astype("object"))

    # 4-8. site types from hosts, linking URLs and titles
    for rule in RULES:
        label = CATEGORY_LABELS[rule.category].lower()
        if rule.host:
            host_hit = labels[_matches(labels, rule.host)]
            decision.decide(rule.category, pd.Series(f"Domain name looks like a {label} site",
                                                     index=host_hit.index, dtype="object"))
        if rows is None:
            continue
        open_rows = rows[rows["source_domain"].isin(decision.open())]
        if open_rows.empty:
            continue
        domain = open_rows["source_domain"]
        for column, pattern, where in (("source_host", rule.host, "hosts"), ("source_url", rule.url, "URLs"),
                                       ("source_title", rule.title, "titles")):
            if not pattern:
                continue
            hit = _matches(open_rows[column], pattern)
            fired = _majority(hit, domain)
            if fired.empty:
                continue
            words = _evidence(open_rows[column], hit, pattern, domain).reindex(fired).fillna(label)
            decision.decide(rule.category,
                            (f"Most linking page {where} contain '" + words + "'").astype("object"))

    # 9. topic: the workspace's keywords
    terms = keyword_terms(tuple(keywords))
    if terms:
        alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        in_name = labels.str.extract(f"({alternation})", expand=False).dropna()
        decision.decide("industry_blog", ("Domain name contains your keyword '" + in_name + "'").astype("object"))
        if rows is not None:
            open_rows = rows[rows["source_domain"].isin(decision.open())]
            hit = _matches(open_rows["source_title"], rf"\b(?:{alternation})\b")
            words = _evidence(open_rows["source_title"], hit, rf"\b(?:{alternation})\b", open_rows["source_domain"])
            decision.decide("industry_blog",
                            ("A linking page title mentions your keyword '" + words + "'").astype("object"))
        fallback = "Unrelated: none of your keywords in the domain name or linking page titles, no other rule fired"
    else:
        blog_host = labels[_matches(labels, _BLOG_HOST)]
        decision.decide("industry_blog", pd.Series("Blog (no target keywords set to check its topic)",
                                                   index=blog_host.index, dtype="object"))
        if rows is not None:
            open_rows = rows[rows["source_domain"].isin(decision.open())]
            hit = _matches(open_rows["source_host"], _BLOG_HOST) | _matches(open_rows["source_url"], _BLOG_URL)
            fired = _majority(hit, open_rows["source_domain"])
            decision.decide("industry_blog", pd.Series("Blog (no target keywords set to check its topic)",
                                                       index=fired, dtype="object"))
        fallback = "No rule fired; set target keywords on the Anchors page to recognise sites of your industry"

    # 10. nothing fired
    rest = decision.open()
    decision.decide("suspicious", pd.Series(fallback, index=rest, dtype="object"))
    return pd.DataFrame({
        "domain": pd.array(domains.to_numpy(), dtype="str"),
        "category": pd.array(decision.category.to_numpy(), dtype="str"),
        "category_reason": pd.array(decision.reason.to_numpy(), dtype="str"),
    })


def _refdomain_rows(referring_domains: pd.DataFrame) -> pd.DataFrame:
    if "root_domain" in referring_domains:
        root = referring_domains["root_domain"]
    else:
        from lib.domains import registrable_domains

        root = registrable_domains(referring_domains["domain"].fillna("").astype("str"))
    frame = pd.DataFrame({"root_domain": root.fillna("").astype("str").to_numpy()})
    if "category" in referring_domains:
        frame["category"] = referring_domains["category"].fillna("").astype("str").to_numpy()
    return frame[frame["root_domain"] != ""]
