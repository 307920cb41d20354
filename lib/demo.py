"""A deterministic demo: a fictional coffee-gear shop and four competitors, as real Semrush exports.

The demo deliberately goes through files, not frames: `write_demo_exports` writes the CSVs a
Semrush user would download (same headers, BOM, `true`/`false`, ISO dates), so the demo
exercises the exact import road a real upload takes and a bug in the reader shows up in the demo.

Everything is drawn from one seeded numpy Generator and is independent of `today` except for the
dates, so the same `today` always gives byte-identical files and any `today` gives the same story:
a growing link profile with a press burst, a giveaway burst, a link network that appeared in one
week, lost links from strong domains, a broken page that still gets links, and a gap of domains
that link to competitors but not to the site.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20_240_917
HISTORY_DAYS = 548  # 18 months of first-seen dates for the own site
SNAPSHOT_MONTHS = (3, 2, 1, 0)  # backlinks exports at today - n months, oldest first
RECENT_DAYS = 30  # Semrush's "new" / "lost" window
NEVER = 10**6  # lost-day sentinel for links that were never lost


@dataclass(frozen=True)
class DemoSite:
    name: str
    own_domain: str
    competitors: tuple[str, ...]
    brand_terms: tuple[str, ...]
    target_keywords: tuple[str, ...]


DEMO_SITE = DemoSite(
    name="Demo: Alpine Brew Co.",
    own_domain="alpinebrew.com",
    competitors=("grindlab.com", "pourcraft.co", "kettleandbean.com", "morningroast.net"),
    brand_terms=("alpine brew", "alpinebrew"),
    target_keywords=(
        "coffee grinder",
        "burr grinder",
        "pour over",
        "espresso machine",
        "french press",
        "coffee scale",
        "gooseneck kettle",
        "cold brew",
    ),
)


DEMO_SITE_ASCORE = 38  # the site's own Authority Score; exports do not carry it


@dataclass(frozen=True)
class DemoFile:
    path: Path
    kind: str  # a lib.schema.KINDS name
    target_domain: str
    data_date: date


BACKLINKS_HEADER = (
    "Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links", "Internal links",
    "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image", "Sitewide", "First seen", "Last seen",
    "New link", "Lost link",
)
REFDOMAINS_HEADER = ("Domain ascore", "Domain", "Backlinks", "IP", "Country", "First seen", "Last seen")
ANCHORS_HEADER = ("Anchor", "Domains", "Backlinks", "First seen", "Last seen")
PAGES_HEADER = ("Title", "Url", "Domains", "Backlinks", "Response code")
AUDIT_HEADER = (
    "Source url", "Source title", "Target url", "Anchor", "Toxicity Score", "Toxic markers", "Status",
    "Page ascore", "Nofollow", "First seen", "Last seen",
)


def gap_header(site: DemoSite = DEMO_SITE) -> tuple[str, ...]:
    return ("Domain", "Domain ascore", "Matches", site.own_domain, *site.competitors)


# --------------------------------------------------------------------------------------------
# Referring-domain archetypes
# --------------------------------------------------------------------------------------------

BLOG, SITE, DIRECTORY, NEWS, RESOURCE, FORUM, PARTNER, NETWORK, SCRAPER = range(9)
ARCHETYPES = ("blog", "site", "directory", "news", "resource", "forum", "partner", "network", "scraper")

# How many of the site's ~2,000 referring domains are of each kind.
OWN_MIX = {BLOG: 900, SITE: 330, DIRECTORY: 260, NEWS: 90, RESOURCE: 140, FORUM: 220, PARTNER: 20, NETWORK: 25,
           SCRAPER: 15}
# Domains that only competitors have; gap domains lean towards the ones worth chasing.
OTHER_MIX = {BLOG: .45, SITE: .15, DIRECTORY: .15, NEWS: .05, RESOURCE: .07, FORUM: .10, PARTNER: .02, SCRAPER: .01}
GAP_MIX = {BLOG: .40, SITE: .12, DIRECTORY: .08, NEWS: .13, RESOURCE: .17, FORUM: .10}
GAP_DOMAINS = 160
COMPETITOR_SIZES = (2350, 1850, 1450, 1100)
COMPETITOR_OWN_SHARE = (.46, .40, .36, .42)  # part of each competitor's domains that also link to the site
OWN_LINKS_TOTAL = 25_600  # every link ever seen; the latest export drops those lost over a month ago

_TLDS = {
    BLOG: {".com": 62, ".net": 5, ".co.uk": 8, ".de": 3, ".ca": 4, ".com.au": 4, ".blog": 5, ".org": 2, ".co": 3,
           ".io": 1, ".fr": 1, ".nl": 1, ".ie": 1},
    SITE: {".com": 70, ".co.uk": 8, ".net": 6, ".de": 4, ".ca": 4, ".com.au": 4, ".co": 4},
    DIRECTORY: {".com": 50, ".net": 20, ".org": 10, ".info": 10, ".biz": 5, ".co.uk": 5},
    NEWS: {".com": 75, ".co.uk": 12, ".com.au": 5, ".ca": 5, ".de": 3},
    RESOURCE: {".org": 70, ".edu": 10, ".com": 10, ".org.uk": 5, ".ac.uk": 5},
    FORUM: {".com": 50, ".net": 25, ".org": 20, ".co.uk": 5},
    PARTNER: {".com": 80, ".co": 10, ".co.uk": 10},
    NETWORK: {".xyz": 30, ".top": 25, ".click": 25, ".buzz": 20},
    SCRAPER: {".info": 30, ".online": 20, ".icu": 15, ".site": 15, ".top": 20},
}
_TLD_COUNTRY = {".co.uk": "GB", ".org.uk": "GB", ".ac.uk": "GB", ".de": "DE", ".ca": "CA", ".com.au": "AU",
                ".fr": "FR", ".nl": "NL", ".ie": "IE", ".edu": "US"}
# Hosting countries for generic TLDs: mostly English-speaking markets, a European tail.
_COUNTRIES = {"US": 55, "GB": 10, "CA": 7, "DE": 6, "AU": 5, "NL": 4, "FR": 3, "IE": 2, "SE": 2, "ES": 2, "IT": 2,
              "IN": 1, "NZ": 1}
_SPAM_COUNTRIES = ("CN", "VN", "PA", "RU", "UA", "ID", "PK")
NETWORK_SUBNET = "185.212.47"
_NETWORK_IPS = tuple(f"{NETWORK_SUBNET}.{n}" for n in (12, 13, 88, 201))
# First octets of ordinary hosting ranges; 185 is kept for the network so no honest /24 joins it.
_FIRST_OCTETS = np.array([23, 34, 35, 45, 50, 52, 54, 64, 66, 69, 74, 78, 91, 93, 95, 103, 107, 128, 136, 139, 141,
                          142, 143, 144, 146, 147, 151, 157, 159, 162, 164, 165, 167, 176, 178, 188, 194, 195, 199,
                          208, 209, 212, 213, 217])

_BLOG_A = ("the", "my", "daily", "home", "little", "urban", "slow", "wild", "happy", "sunday", "curious", "honest",
           "modern", "simple", "nordic", "mountain", "coastal", "rainy", "early", "lazy", "second", "bright")
_BLOG_B = ("bean", "brew", "roast", "grind", "crema", "pour", "drip", "barista", "cup", "kettle", "mug", "cafe",
           "espresso", "latte", "filter", "coffee", "mocha", "cortado", "kitchen", "pantry", "recipe", "fork",
           "spoon", "table", "skillet", "oven", "bake", "morning", "caffeine", "steam")
_BLOG_C = ("blog", "notes", "journal", "diaries", "life", "lab", "corner", "club", "house", "guide", "hq", "talk",
           "stories", "times", "ritual", "society", "nerd")
_SITE_A = ("gear", "kit", "camp", "trail", "outdoor", "kitchen", "home", "tech", "gadget", "review", "smart", "hiker",
           "van", "cabin", "backpack", "appliance", "countertop", "design")
_SITE_B = ("lab", "junkie", "hunter", "guru", "patrol", "insider", "picks", "tested", "rated", "weekly", "digest",
           "report", "advisor", "crate", "list", "finder")
_DIR_A = ("local", "city", "biz", "shop", "brand", "store", "find", "top", "best", "open", "hot", "smart", "main")
_DIR_B = ("coffee", "cafe", "roaster", "food", "kitchen", "biz", "shop", "brand", "business", "startup", "ecommerce",
          "retail", "maker")
_DIR_C = ("directory", "list", "listings", "finder", "index", "hub", "pages", "guide", "spot", "links", "atlas")
_NEWS_A = ("boulder", "portland", "seattle", "denver", "austin", "leeds", "bristol", "melbourne", "toronto", "tacoma",
           "madison", "asheville", "burlington", "halifax", "brighton", "dundee", "aspen", "reno", "eugene", "ogden",
           "kitchen", "gear", "retail", "foodbiz", "smallbiz", "startup", "consumer", "outdoor")
_NEWS_B = ("herald", "ledger", "tribune", "gazette", "post", "chronicle", "times", "dispatch", "observer", "courier",
           "daily", "weekly", "wire", "journal", "record", "sentinel")
_SITE_PRE = ("", "the", "my", "best", "top")
_RES_PRE = ("", "us", "uk", "euro", "nordic", "pacific", "northwest", "canadian", "texas", "midwest", "scottish")
_FORUM_PRE = ("", "the", "uk", "home", "real", "daily", "pro", "aussie", "euro")
_RES_A = ("coffee", "specialtycoffee", "barista", "roasters", "foodscience", "culinary", "homebrewing", "cafe",
          "brewing", "sensory", "beverage", "hospitality", "fairtrade", "farmtocup")
_RES_B = ("guild", "association", "society", "alliance", "institute", "council", "network", "collective",
          "library", "foundation", "academy", "project")
_FORUM_A = ("coffee", "espresso", "barista", "homebrew", "brew", "bean", "roast", "kitchen", "gear", "latte",
            "caffeine", "grinder", "pourover", "crema", "homeroast", "cuppa")
_FORUM_B = ("forum", "forums", "talk", "board", "community", "geeks", "nerds", "hub", "society", "chat", "crew",
            "circle")
_PARTNER_A = ("summit", "granite", "cedar", "pine", "river", "valley", "harbor", "copper", "iron", "oak", "maple",
              "north", "ridge", "alder", "birch", "canyon", "juniper", "basalt")
_PARTNER_B = ("roasters", "roastery", "coffeeco", "ceramics", "kitchen", "mugworks", "goods", "supply",
              "outfitters", "bakery", "cafe", "provisions", "trading")
_NETWORK_KEYWORDS = ("coffee-grinder", "burr-grinder", "espresso-machine", "pour-over", "french-press",
                     "coffee-scale", "cold-brew", "coffee-maker")
_NETWORK_PRE = ("best-", "cheap-", "top-", "buy-", "")
_NETWORK_POST = ("-deals", "-reviews", "-guide", "-sale", "-online", "-hub", "-expert", "-shop")
_SCRAPER_A = ("site", "web", "domain", "seo", "rank", "traffic", "stat", "link", "page")
_SCRAPER_B = ("stats", "worth", "info", "checker", "analyzer", "value", "insight", "report", "score")


@lru_cache(maxsize=None)
def _candidates(archetype: int) -> tuple[tuple[str, ...], ...]:
    """Every name for one archetype as its word parts, in a fixed order; labels are built only for names used."""
    if archetype == BLOG:
        return (*product(_BLOG_A, _BLOG_B, _BLOG_C), *product(_BLOG_B, _BLOG_C))
    if archetype == SITE:
        return tuple(product(_SITE_PRE, _SITE_A, ("", "coffee"), _SITE_B))
    if archetype == DIRECTORY:
        return tuple(product(_DIR_A, _DIR_B, _DIR_C))
    if archetype == NEWS:
        return tuple(product(("", "the"), _NEWS_A, _NEWS_B))
    if archetype == RESOURCE:
        return tuple(product(_RES_PRE, _RES_A, _RES_B))
    if archetype == FORUM:
        return tuple(product(_FORUM_PRE, _FORUM_A, _FORUM_B))
    if archetype == PARTNER:
        return tuple(product(_PARTNER_A, _PARTNER_B))
    if archetype == NETWORK:
        return tuple(product(_NETWORK_PRE, _NETWORK_KEYWORDS, _NETWORK_POST))
    return tuple(product(_SCRAPER_A, _SCRAPER_B))


def _name(archetype: int, parts: tuple[str, ...]) -> str:
    return "-".join(parts) if archetype == SCRAPER else "".join(parts)


def _label(archetype: int, parts: tuple[str, ...]) -> str:
    """How a site calls itself in page titles: 'Daily Bean Journal', 'The Denver Herald'."""
    if archetype == NETWORK:
        return "".join(parts).replace("-", " ").title()
    if archetype == NEWS:
        parts = (parts[0] or "the", *parts[1:])
    return " ".join(p.upper() if p in ("us", "uk") else p.capitalize() for p in parts if p)


def _pick(rng: np.random.Generator, weights: dict, size: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    idx = rng.choice(len(keys), size=size, p=p / p.sum())
    return np.array(keys, dtype=object)[idx] if isinstance(keys[0], str) else np.array(keys)[idx]


def _new_domains(rng: np.random.Generator, archetypes: np.ndarray, taken: set[str]) -> pd.DataFrame:
    """Names, hosting and authority for new referring domains of the given archetypes."""
    rows: list[tuple] = []
    for arch in range(len(ARCHETYPES)):
        count = int((archetypes == arch).sum())
        if not count:
            continue
        cands = _candidates(arch)
        order = rng.permutation(len(cands))
        tlds = _pick(rng, _TLDS[arch], len(cands))
        made = 0
        for j in order:  # one pass over a few thousand candidates; ~6,000 domains in all
            domain = _name(arch, cands[j]) + tlds[j]
            if domain in taken:
                continue
            taken.add(domain)
            rows.append((domain, _label(arch, cands[j]), arch))
            made += 1
            if made == count:
                break
        if made < count:
            raise RuntimeError(f"not enough {ARCHETYPES[arch]} names")  # word lists too short: a code bug
    frame = pd.DataFrame(rows, columns=["domain", "label", "arch"])
    n = len(frame)
    arch = frame["arch"].to_numpy()
    frame["country"] = [_tld_country(d) for d in frame["domain"]]
    generic = frame["country"] == ""
    frame.loc[generic, "country"] = _pick(rng, _COUNTRIES, int(generic.sum()))
    frame.loc[arch == SCRAPER, "country"] = rng.choice(_SPAM_COUNTRIES, size=int((arch == SCRAPER).sum()))
    frame.loc[arch == NETWORK, "country"] = "SC"  # one rented /24 geolocates to one place

    # Shared hosting puts a third of honest sites behind the same CDN ranges.
    octets = rng.integers(1, 255, size=(n, 4))
    octets[:, 0] = rng.choice(_FIRST_OCTETS, size=n)
    cdn = rng.random(n) < .3
    octets[cdn, 0] = np.where(rng.random(int(cdn.sum())) < .5, 104, 172)
    octets[cdn, 1] = np.where(octets[cdn, 0] == 104, 21, 67)
    ips = pd.Series([f"{a}.{b}.{c}.{d}" for a, b, c, d in octets], dtype=object)
    ips[arch == NETWORK] = rng.choice(_NETWORK_IPS, size=int((arch == NETWORK).sum()))
    frame["ip"] = ips.to_numpy()

    frame["ascore"] = _domain_ascore(rng, arch)
    return frame


def _tld_country(domain: str) -> str:
    """A country-code TLD says where a site is; a generic one leaves it to the hosting draw."""
    return next((c for tld, c in _TLD_COUNTRY.items() if domain.endswith(tld)), "")


def _domain_ascore(rng: np.random.Generator, arch: np.ndarray) -> np.ndarray:
    n = len(arch)
    # Median Authority Score per archetype and spread (lognormal): most domains are weak.
    median = np.array([14, 16, 18, 0, 28, 30, 18, 0, 0], dtype=float)[arch]
    sigma = np.array([.6, .55, .5, 0, .45, .4, .4, 0, 0])[arch]
    score = np.exp(np.log(np.maximum(median, 1)) + sigma * rng.standard_normal(n))
    score = np.where(arch == NEWS, 48 + 44 * rng.beta(2, 2, n), score)
    score = np.where(arch == NETWORK, rng.integers(0, 6, n), score)
    score = np.where(arch == SCRAPER, rng.integers(1, 11, n), score)
    # Hobby blogs and directories do not reach news-site authority.
    cap = np.array([78, 78, 70, 95, 90, 85, 70, 5, 12])[arch]
    return np.clip(np.rint(score), 0, cap).astype(np.int64)


def _links_per_domain(rng: np.random.Generator, arch: np.ndarray, sitewide: np.ndarray) -> np.ndarray:
    """Backlinks from one domain to one site: mostly a handful, sitewide footers by the hundred."""
    n = len(arch)
    mean = np.array([5.0, 2.5, 1.5, .6, .3, 9.0, 0, 0, 0])[arch]
    count = 1 + rng.poisson(mean * rng.gamma(1.2, 1 / 1.2, n))
    count = np.where(sitewide, np.rint(np.exp(rng.normal(np.log(45), .9, n))).astype(int) + 10, count)
    count = np.where(arch == NETWORK, rng.integers(18, 62, n), count)
    count = np.where(arch == SCRAPER, rng.integers(5, 70, n), count)
    return np.maximum(count, 1).astype(np.int64)


# --------------------------------------------------------------------------------------------
# The own site's pages and the words around links
# --------------------------------------------------------------------------------------------

HOME, PRODUCT, POST, GUIDE, OTHER = range(5)
# (path, title, section, keyword, popularity, response code)
_PAGES: tuple[tuple[str, str, int, str, float, int], ...] = (
    ("/", "Alpine Brew Co. – Coffee Grinders, Brewing Gear & Guides", HOME, "", 1.0, 200),
    ("/products/summit-burr-grinder/", "Summit Burr Grinder – Conical Burr Coffee Grinder",
     PRODUCT, "burr grinder", 1.0, 200),
    ("/products/glacier-hand-grinder/", "Glacier Hand Grinder | Alpine Brew Co.", PRODUCT, "coffee grinder", .7, 200),
    ("/products/ridge-gooseneck-kettle/", "Ridge Gooseneck Kettle | Alpine Brew Co.",
     PRODUCT, "gooseneck kettle", .5, 200),
    ("/products/alpine-dripper/", "Alpine Dripper – Ceramic Pour Over Cone", PRODUCT, "pour over", .6, 200),
    ("/products/basecamp-french-press/", "Basecamp French Press (1 L) | Alpine Brew Co.",
     PRODUCT, "french press", .4, 200),
    ("/products/precision-coffee-scale/", "Precision Coffee Scale with Timer | Alpine Brew Co.",
     PRODUCT, "coffee scale", .35, 200),
    ("/products/alpenglow-espresso-machine/", "Alpenglow Espresso Machine | Alpine Brew Co.",
     PRODUCT, "espresso machine", .8, 200),
    ("/products/cold-brew-kit/", "Cold Brew Kit | Alpine Brew Co.", PRODUCT, "cold brew", .3, 200),
    # Discontinued: the page is gone but old reviews still link to it.
    ("/products/alpine-hand-grinder-v1/", "Page Not Found – Alpine Brew Co.", PRODUCT, "coffee grinder", .45, 404),
    ("/shop/", "Shop All Coffee Gear | Alpine Brew Co.", OTHER, "", .5, 200),
    ("/shop/grinders/", "Coffee Grinders | Alpine Brew Co.", PRODUCT, "coffee grinder", .4, 200),
    ("/blog/best-burr-grinders/", "The Best Burr Grinders, Tested at Home", POST, "burr grinder", 1.0, 200),
    ("/blog/pour-over-ratio/", "The Perfect Pour Over Ratio (With Calculator)", POST, "pour over", .8, 200),
    ("/blog/espresso-machine-buying-guide/", "Espresso Machine Buying Guide: What Actually Matters",
     POST, "espresso machine", .7, 200),
    ("/blog/burr-vs-blade-grinder/", "Burr vs. Blade Grinder: Is It Worth the Upgrade?",
     POST, "coffee grinder", .6, 200),
    ("/blog/how-to-make-cold-brew/", "How to Make Cold Brew That Isn’t Bitter", POST, "cold brew", .5, 200),
    ("/blog/french-press-vs-pour-over/", "French Press vs. Pour Over", POST, "french press", .45, 200),
    ("/blog/grind-size-chart/", "Coffee Grind Size Chart for Every Brew Method", POST, "coffee grinder", .9, 200),
    ("/blog/best-coffee-scales/", "Best Coffee Scales for Pour Over and Espresso", POST, "coffee scale", .4, 200),
    ("/blog/gooseneck-kettle-guide/", "Do You Need a Gooseneck Kettle?", POST, "gooseneck kettle", .35, 200),
    ("/blog/espresso-at-altitude/", "Brewing Espresso at Altitude", POST, "espresso machine", .3, 200),
    ("/blog/coffee-grinder-cleaning/", "How to Clean a Coffee Grinder (Without Rice)", POST, "coffee grinder", .3, 200),
    ("/blog/camping-coffee-setup/", "Our Camping Coffee Setup, Trail-Tested", POST, "pour over", .4, 200),
    ("/blog/old-espresso-guide-2023/", "Page Not Found – Alpine Brew Co.", POST, "espresso machine", .35, 404),
    ("/guides/espresso-dialing-in/", "Dialing In Espresso: A Step-by-Step Guide", GUIDE, "espresso machine", 1.0, 200),
    ("/guides/pour-over-brewing/", "Pour Over Brewing Guide", GUIDE, "pour over", .9, 200),
    ("/guides/choosing-a-grinder/", "How to Choose a Burr Grinder", GUIDE, "burr grinder", .8, 200),
    ("/guides/water-for-coffee/", "Water for Coffee: Hardness, Minerals and Recipes", GUIDE, "", .4, 200),
    ("/about/", "About Alpine Brew Co.", OTHER, "", .4, 200),
    ("/press/", "Press & Media | Alpine Brew Co.", OTHER, "", .3, 200),
    ("/wholesale/", "Wholesale | Alpine Brew Co.", OTHER, "", .3, 200),
    ("/contact/", "Contact Us | Alpine Brew Co.", OTHER, "", .2, 200),
)
# Which part of the site each archetype links to (home, product, post, guide, other).
_SECTION_WEIGHTS = np.array([
    [.20, .20, .35, .20, .05],  # blog
    [.15, .55, .15, .10, .05],  # site (reviews, gear lists)
    [.92, .0, .0, .0, .08],  # directory
    [.55, .20, .10, .0, .15],  # news
    [.20, .0, .30, .50, .0],  # resource
    [.20, .35, .30, .15, .0],  # forum
    [.85, .0, .0, .0, .15],  # partner
    [.10, .70, .20, .0, .0],  # network: money pages
    [.90, .0, .10, .0, .0],  # scraper
])

BRAND, NAKED, GENERIC, EXACT, PARTIAL, IMAGE = range(6)
_ANCHOR_MIX = np.array([
    [.24, .10, .14, .10, .32, .10],  # blog
    [.25, .08, .12, .15, .30, .10],  # site
    [.60, .34, .04, .0, .0, .02],  # directory
    [.62, .20, .05, .03, .08, .02],  # news
    [.50, .15, .05, .10, .20, .0],  # resource
    [.15, .55, .15, .05, .10, .0],  # forum
    [.70, .18, .0, .0, .0, .12],  # partner (one footer link or logo per domain)
    [.0, .0, .0, .75, .25, .0],  # network: exact-match money anchors
    [.10, .70, .15, .05, .0, .0],  # scraper
])
_BRAND_ANCHORS = ("Alpine Brew", "Alpine Brew Co.", "alpinebrew", "AlpineBrew", "Alpine Brew Coffee")
_NAKED_ANCHORS = ("alpinebrew.com", "https://alpinebrew.com/", "www.alpinebrew.com")
_GENERIC_ANCHORS = ("click here", "website", "here", "this site", "read more", "visit website", "source",
                    "this guide", "more info", "link")
_PARTIAL_TEMPLATES = ("best {}", "{} guide", "this {} review", "how to choose a {}", "Alpine Brew {}", "{} tips",
                      "the {} I use", "a great {}")
_MONEY_TEMPLATES = ("{}", "{}", "best {}", "cheap {}", "buy {} online", "{} sale", "{} deals")

# rel attributes and outbound-link counts by archetype
_NOFOLLOW = np.array([.12, .20, .55, .35, .08, .10, .20, .0, .40])
_SPONSORED = np.array([.03, .08, .0, .02, .0, .0, .10, .0, .0])
_UGC = np.array([.02, .0, .05, .0, .0, .75, .0, .0, .0])
_EXTERNAL_MEDIAN = np.array([25, 35, 120, 30, 90, 40, 15, 0, 0], dtype=float)
_INTERNAL_MEDIAN = np.array([60, 90, 150, 200, 40, 120, 45, 20, 40], dtype=float)
_PAGE_SHARE = np.array([[5, 3], [4, 4], [2, 5], [5, 4], [5, 3], [3, 5], [3, 4], [2, 2], [2, 3]], dtype=float)

_BLOG_POSTS = (
    "Our Favourite Burr Grinders for Espresso", "How I Brew Pour Over at Home", "Gift Guide for Coffee Lovers",
    "Review: Alpine Brew Summit Burr Grinder", "Grind, Brew, Repeat: My Morning Routine",
    "Café-Style Latte Art at Home", "Flat White vs. Cortado — What’s the Difference?",
    "10 Things I Wish I Knew Before Buying an Espresso Machine", "The Best Coffee Gear Under $100",
    "Cold Brew Concentrate, Three Ways", "Why I Switched to a Hand Grinder", "Weekend Baking: Coffee Walnut Cake",
    "A Beginner's Guide to Specialty Coffee", "Brewing Coffee on a Road Trip", "My Home Coffee Bar Tour",
    "Pour Over Recipes From Five Baristas", "How Grind Size Changes Your Cup", "Small Coffee Brands Worth Knowing",
    "Coffee Scales: Do You Really Need One?", "Testing Four Gooseneck Kettles", "Tiramisu With Real Espresso",
    "The Easiest French Press Method", "Affogato Season", "What's in My Kitchen: 2 Years Later",
    "Minimalist Coffee Setups We Love", "Iced Pour Over, Japanese Style", "Dialing In a New Grinder",
    "Breakfast Ideas for Busy Mornings", "Sustainable Coffee Gear Brands", "Holiday Gifts for the Home Barista",
    "Reader Questions: Grinders, Kettles and Water", "Espresso Martini at Home", "Best Coffee Books of the Year",
    "Comparing Conical and Flat Burrs", "Coffee Mistakes I Made for Years", "Decaf That Doesn't Taste Like Decaf",
    "How to Store Coffee Beans", "Roasting at Home: First Attempts", "My Everyday Carry Coffee Kit",
    "Oat Milk, Frothed Properly", "Picnic Coffee, Made Simple", "Links I Loved This Month",
)
_SITE_PAGES = (
    "Summit Burr Grinder Review: Worth It?", "Best Coffee Gear for Camping, Ranked", "The 9 Best Pour Over Drippers",
    "Best Hand Grinders We Tested", "Espresso Machines Under $500, Compared", "Best Gifts for Coffee Snobs",
    "Kitchen Gear Awards", "Alpine Brew vs. the Competition", "Best French Presses for Travel",
    "Outdoor Kitchen Essentials", "Best Coffee Scales, Tested", "Our Favourite Gooseneck Kettles",
    "Van Life Coffee Setup", "Backpacking Coffee: Lightest Options", "Cold Brew Makers Reviewed",
    "Countertop Appliances That Earn Their Space", "Budget Espresso Setup Guide", "Smart Kitchen Gadgets",
)
_NEWS_HEADLINES = (
    "Colorado Coffee-Gear Startup Alpine Brew Raises Seed Round", "Local Grinder Maker Goes Viral",
    "Holiday Gift Guide: 12 Gifts for Coffee Lovers", "Small Businesses to Watch This Year",
    "How a Mountain Town Brand Took On Big Appliance Makers", "The Home Espresso Boom, Explained",
    "Coffee Prices Rise: How Home Brewers Are Adapting", "Makers Market Returns With 80 Local Vendors",
    "Meet the Founders Behind Alpine Brew Co.", "Best New Kitchen Products of the Season",
    "Why Hand Grinders Are Having a Moment", "Local Shops Report Strong Holiday Sales",
)
_FORUM_THREADS = (
    "Which burr grinder under $300?", "Alpine Brew Summit vs. the competition?", "Pour over ratio help",
    "Espresso channeling — what am I doing wrong?", "Best scale for espresso?", "Grinder retention test results",
    "Cold brew too bitter", "Show us your coffee corner", "Upgrading from a blade grinder", "Kettle recommendations",
    "Hand grinder for travel?", "New espresso machine, first shots", "Grind size for V60", "Cleaning burrs",
    "Camping coffee setups", "Worth buying the Alpenglow?", "Water recipes thread", "Gift ideas for a coffee nerd",
    "French press sludge", "Discount codes thread",
)
_FORUM_BOARDS = ("grinders", "espresso", "brewing", "equipment", "general", "marketplace")
_RESOURCE_PAGES = (("/resources/", "Coffee Resources"), ("/links/", "Useful Links"),
                   ("/useful-links/", "Useful Links"), ("/resources/brewing/", "Brewing Resources & Tools"),
                   ("/resources/equipment/", "Equipment Makers"), ("/members/suppliers/", "Supplier Members"),
                   ("/learn/further-reading/", "Further Reading"), ("/education/links/", "Links for Students"))
_DIRECTORY_PATHS = ("/directory/coffee/", "/listing/", "/profile/", "/user/", "/company/", "/biz/")
# Pages a sitewide template shows up on, paginated, by archetype (partners are shops, blogrolls blogs).
_SITEWIDE_SECTIONS = {
    BLOG: ("blog", "recipes", "category/coffee", "tag/brewing", "archive"),
    DIRECTORY: ("listings", "category/coffee-shops", "browse", "category/kitchen", "search"),
    PARTNER: ("shop", "products", "blog", "news", "category/coffee", "tag/brewing", "collections"),
}
_SITE_PAGE_NAMES = (("/", "Home"), ("/about/", "About Us"), ("/contact/", "Contact"), ("/shop/", "Shop"),
                    ("/blog/", "Blog"), ("/faq/", "FAQ"), ("/shipping/", "Shipping & Returns"),
                    ("/wholesale/", "Wholesale"), ("/privacy-policy/", "Privacy Policy"), ("/terms/", "Terms"))


def _slug(text: str) -> str:
    text = text.lower().replace("’", "").replace("'", "").replace("é", "e")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

def _join_days(rng: np.random.Generator, n: int, span: int, growth: float) -> np.ndarray:
    """Days before today a domain first linked: density grows exponentially towards today."""
    u = rng.random(n)
    frac = np.log1p(u * np.expm1(growth)) / growth
    return np.rint(-span + span * frac).astype(np.int64)


def _build_domains(rng: np.random.Generator, site: DemoSite) -> pd.DataFrame:
    taken = {site.own_domain, *site.competitors}
    own_arch = np.repeat(list(OWN_MIX), list(OWN_MIX.values()))
    own = _new_domains(rng, own_arch, taken)
    own["pool"] = "own"
    gap_arch = _pick(rng, GAP_MIX, GAP_DOMAINS)
    gap = _new_domains(rng, gap_arch, taken)
    gap["pool"] = "gap"

    # Each competitor shares part of its profile with the site, weighted towards the domains
    # that link to everyone in a niche (directories, news, resource lists), never the network.
    n_own = len(own)
    member = np.zeros((n_own, 4), dtype=bool)
    share_weight = np.array([1.0, 1.0, 2.2, 2.0, 1.8, 1.4, .15, 0, 3.0])[own["arch"].to_numpy()]
    share_weight = share_weight * (1 + own["ascore"].to_numpy() / 30)
    for k, (size, share) in enumerate(zip(COMPETITOR_SIZES, COMPETITOR_OWN_SHARE)):
        chosen = rng.choice(n_own, size=int(size * share), replace=False, p=share_weight / share_weight.sum())
        member[chosen, k] = True
    member[own["arch"].to_numpy() == SCRAPER, :] = True  # scrapers copy everyone's pages
    for k in range(4):
        own[f"c{k}"] = member[:, k]

    # Gap domains link to two or more competitors and never to the site.
    gap_member = np.zeros((len(gap), 4), dtype=bool)
    matches = rng.choice([2, 3, 4], size=len(gap), p=[.55, .3, .15])
    size_p = np.array(COMPETITOR_SIZES, dtype=float) / sum(COMPETITOR_SIZES)
    for i, m in enumerate(matches):
        gap_member[i, rng.choice(4, size=m, replace=False, p=size_p)] = True
    for k in range(4):
        gap[f"c{k}"] = gap_member[:, k]

    # The rest of each competitor's profile is its own.
    parts = [own, gap]
    for k, size in enumerate(COMPETITOR_SIZES):
        need = size - int(member[:, k].sum()) - int(gap_member[:, k].sum())
        only = _new_domains(rng, _pick(rng, OTHER_MIX, need), taken)
        only["pool"] = f"c{k}"
        for j in range(4):
            only[f"c{j}"] = j == k
        parts.append(only)
    domains = pd.concat(parts, ignore_index=True)
    domains["own"] = domains["pool"] == "own"
    arch = domains["arch"].to_numpy()
    n = len(domains)
    # Sitewide: every partner footer, some directories and blogrolls.
    domains["sitewide"] = (arch == PARTNER) | ((arch == DIRECTORY) & (rng.random(n) < .1)) | (
        (arch == BLOG) & (rng.random(n) < .03))
    hosts = np.where(rng.random(n) < .6, "www." + domains["domain"], domains["domain"])
    hosts = np.where((arch == FORUM) & (rng.random(n) < .3), "forum." + domains["domain"], hosts)
    hosts = np.where(np.isin(arch, (NETWORK, SCRAPER)), domains["domain"], hosts)
    domains["host"] = hosts
    domains["offset"] = rng.integers(0, 1000, n)  # where in its page list a domain starts
    return domains


def _own_links(rng: np.random.Generator, domains: pd.DataFrame, today: date) -> pd.DataFrame:
    """Every backlink the site ever had: when it appeared, when it was lost (NEVER if not), and how it looks."""
    own = domains[domains["own"]].reset_index(drop=True)
    arch = own["arch"].to_numpy()
    ascore = own["ascore"].to_numpy()
    n_dom = len(own)
    sitewide = own["sitewide"].to_numpy()
    counts = _links_per_domain(rng, arch, sitewide)
    # Partner footers make up whatever the total is short of: they are the heaviest, least
    # informative part of a real profile, so their exact sizes matter least.
    partners = np.flatnonzero(arch == PARTNER)
    rest = OWN_LINKS_TOTAL - int(counts.sum()) + int(counts[partners].sum())
    share = rng.dirichlet(np.full(len(partners), 2.0))
    counts[partners] = np.maximum(20, np.rint(share * max(rest, 20 * len(partners))).astype(np.int64))

    join = _join_days(rng, n_dom, HISTORY_DAYS, 1.4)
    # Partners carry thousands of links each: spread them evenly along the growth curve so one
    # partner's start date does not decide a whole month's growth.
    growth_quantiles = (np.arange(len(partners)) + .5) / len(partners) * .92
    even = -HISTORY_DAYS + HISTORY_DAYS * np.log1p(growth_quantiles * np.expm1(.6)) / .6
    join[partners] = np.rint(rng.permutation(even)).astype(np.int64)
    # The press burst: a feature picked up by half the news sites and some blogs within ten days.
    news = np.flatnonzero(arch == NEWS)
    press = rng.choice(news, size=len(news) // 2, replace=False)
    press = np.concatenate([press, rng.choice(np.flatnonzero(arch == BLOG), size=40, replace=False)])
    join[press] = rng.integers(-270, -260, len(press))
    # A giveaway about four months ago.
    pool = np.setdiff1d(np.flatnonzero(np.isin(arch, (BLOG, SITE))), press)
    giveaway = rng.choice(pool, size=110, replace=False)
    join[giveaway] = rng.integers(-130, -118, len(giveaway))
    # The link network: every domain and every link within one week, five to six weeks ago.
    join[arch == NETWORK] = rng.integers(-40, -34, int((arch == NETWORK).sum()))

    dom = np.repeat(np.arange(n_dom), counts)
    idx = np.arange(len(dom)) - np.repeat(np.cumsum(counts) - counts, counts)
    la = arch[dom]
    lsw = sitewide[dom]
    n = len(dom)
    j = join[dom]
    u = rng.random(n)
    # Later links of a domain: new posts and threads accrue over time, most of them soon after the
    # site found you; a sitewide footer is discovered page by page within weeks, a news story is
    # syndicated within days.
    first = np.where(lsw, j + rng.exponential(12, n), j + rng.beta(1, 2.5, n) * (-j))
    first = np.where(la == NEWS, j + u * np.minimum(20, -j), first)
    first = np.where(la == NETWORK, rng.integers(-40, -33, n), first)
    first = np.where(idx == 0, j, first)
    first = np.minimum(np.rint(first), 0).astype(np.int64)

    # Target page: section by archetype, then page popularity within the section. A sitewide link
    # is one link in a template, so it has one target, anchor and rel for the whole domain.
    sections = np.array([p[2] for p in _PAGES])
    popularity = np.array([p[4] for p in _PAGES])
    page = np.zeros(n, dtype=np.int64)
    dom_page = np.zeros(n_dom, dtype=np.int64)
    cat = np.zeros(n, dtype=np.int64)
    dom_cat = np.zeros(n_dom, dtype=np.int64)
    for a in range(len(ARCHETYPES)):
        p = _SECTION_WEIGHTS[a][sections] * popularity
        p = p / p.sum()
        rows, drows = np.flatnonzero(la == a), np.flatnonzero(arch == a)
        page[rows] = rng.choice(len(_PAGES), size=len(rows), p=p)
        dom_page[drows] = rng.choice(len(_PAGES), size=len(drows), p=p)
        cat[rows] = rng.choice(6, size=len(rows), p=_ANCHOR_MIX[a])
        dom_cat[drows] = rng.choice(6, size=len(drows), p=_ANCHOR_MIX[a])
    page = np.where(lsw, dom_page[dom], page)
    cat = np.where(lsw, dom_cat[dom], cat)
    pick = np.where(lsw, rng.random(n_dom)[dom], rng.random(n))
    dom_r = rng.random((n_dom, 3))
    r = np.where(lsw[:, None], dom_r[dom], rng.random((n, 3)))

    # Lost links: a steady trickle, strong editorial links that vanished last month (pointing
    # to deep pages worth reclaiming), and a partner that dropped its footer two months ago.
    lost = np.full(n, NEVER, dtype=np.int64)
    trickle = (~lsw) & (la != NETWORK) & (rng.random(n) < .14)
    lost[trickle] = rng.integers(-120, 0, int(trickle.sum()))
    strong = np.flatnonzero(np.isin(arch, (NEWS, RESOURCE, FORUM, BLOG)) & (ascore >= 60) & ~sitewide
                            & (join < -120))
    strong = rng.choice(strong, size=min(8, len(strong)), replace=False)
    in_strong = np.isin(dom, strong)
    codes = np.array([p[5] for p in _PAGES])
    deep = np.flatnonzero(np.isin(sections, (POST, GUIDE)) & (codes == 200))
    page = np.where(in_strong, deep[rng.integers(0, len(deep), n)], page)
    cat = np.where(in_strong & (cat == IMAGE), PARTIAL, cat)
    lost[in_strong] = rng.integers(-26, -2, int(in_strong.sum()))
    old_partners = partners[join[partners] < -200]
    dropped = old_partners[np.argsort(counts[old_partners], kind="stable")][len(old_partners) // 3]
    lost[dom == dropped] = -72 + rng.integers(0, 4, int((dom == dropped).sum()))
    # A link must have lived a while before it can be lost, so new and lost never coincide.
    lost = np.where(lost < first + 35, NEVER, lost)

    # Target URL as linked: mostly canonical, some www and old http links.
    paths = np.array([p[0] for p in _PAGES], dtype=object)
    scheme = np.where(pick < .04, "https://www.", np.where(pick > .97, "http://", "https://")).astype(object)
    scheme = np.where(in_strong, "https://", scheme)
    target = scheme + DEMO_SITE.own_domain + paths[page]

    keywords = np.array([p[3] for p in _PAGES], dtype=object)
    kw = keywords[page].copy()
    no_kw = kw == ""
    kw[no_kw] = np.array(DEMO_SITE.target_keywords, dtype=object)[
        rng.integers(0, len(DEMO_SITE.target_keywords), int(no_kw.sum()))]

    def choose(options: tuple[str, ...]) -> np.ndarray:
        return np.array(options, dtype=object)[np.minimum((pick * len(options)).astype(int), len(options) - 1)]

    def templated(templates: tuple[str, ...]) -> np.ndarray:
        out = np.full(n, "", dtype=object)
        which = np.minimum((pick * len(templates)).astype(int), len(templates) - 1)
        for t, template in enumerate(templates):
            m = which == t
            out[m] = [template.format(k) for k in kw[m]]
        return out

    naked = np.where(pick < .7, choose(_NAKED_ANCHORS), target)
    exact = np.where(la == NETWORK, templated(_MONEY_TEMPLATES), kw)
    brand = np.array(_BRAND_ANCHORS, dtype=object)[np.searchsorted([.45, .65, .8, .9], pick)]
    image = cat == IMAGE
    anchor = np.select(
        [cat == BRAND, cat == NAKED, cat == GENERIC, cat == EXACT, cat == PARTIAL],
        [brand, naked, choose(_GENERIC_ANCHORS), exact, templated(_PARTIAL_TEMPLATES)],
        default="",  # image links carry no anchor text
    )
    frame = (la == SCRAPER) & ~image & (rng.random(n) < .08)
    form = (la == DIRECTORY) & ~image & (rng.random(n) < .01)

    ugc = r[:, 2] < _UGC[la]
    sponsored = r[:, 1] < _SPONSORED[la]
    nofollow = (r[:, 0] < _NOFOLLOW[la]) | ugc | (sponsored & (r[:, 0] < .5))

    dom_ascore = ascore[dom]
    shape = _PAGE_SHARE[la]
    page_ascore = np.rint(dom_ascore * rng.beta(shape[:, 0], shape[:, 1])).astype(np.int64)
    external = np.rint(np.exp(np.log(np.maximum(_EXTERNAL_MEDIAN[la], 1)) + .6 * rng.standard_normal(n)))
    external = np.where(la == NETWORK, rng.integers(150, 620, n), external)
    external = np.where(la == SCRAPER, rng.integers(200, 800, n), external)
    internal = np.rint(np.exp(np.log(_INTERNAL_MEDIAN[la]) + .5 * rng.standard_normal(n)))

    source, title = _source_pages(own, dom, idx, la, lsw, _dates(today, first))

    return pd.DataFrame({
        "dom": own["domain"].to_numpy()[dom],
        "arch": la,
        "domain_ascore": dom_ascore,
        "page_ascore": page_ascore,
        "source_title": title,
        "source_url": source,
        "target_url": target,
        "anchor": anchor,
        "external": external.astype(np.int64),
        "internal": internal.astype(np.int64),
        "nofollow": nofollow,
        "sponsored": sponsored,
        "ugc": ugc,
        "text": ~(image | frame | form),
        "frame": frame,
        "form": form,
        "image": image,
        "sitewide": lsw,
        "first": first,
        "lost": lost,
        "lag": rng.integers(0, 14, n),  # days between Semrush's last crawl and an export
    })


def _source_pages(own: pd.DataFrame, dom: np.ndarray, idx: np.ndarray, la: np.ndarray, lsw: np.ndarray,
                  first_seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """URL and title of each linking page, unique within a domain (a link is a source-target pair)."""
    n = len(dom)
    label = own["label"].to_numpy()[dom]
    domain = own["domain"].to_numpy()[dom]
    offset = own["offset"].to_numpy()[dom]
    k = offset + idx
    year = pd.Series(first_seen).str[:4].to_numpy(dtype=object)
    year_month = pd.Series(first_seen).str[:7].str.replace("-", "/").to_numpy(dtype=object)
    path = np.full(n, "", dtype=object)
    title = np.full(n, "", dtype=object)

    def listed(options: tuple[str, ...], m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """An option per link, cycling through the list from the domain's offset; a second lap
        gets a number, so (option, lap) never repeats within a domain."""
        lap = idx[m] // len(options)
        return np.array(options, dtype=object)[k[m] % len(options)], lap

    def numbered(lap: np.ndarray, template: str) -> np.ndarray:
        return np.where(lap > 0, pd.Series(lap + 1).map(template.format).to_numpy(dtype=object), "")

    def slugs(texts: np.ndarray) -> np.ndarray:
        return pd.Series(texts).map(_slug).to_numpy(dtype=object)

    for a, sections in _SITEWIDE_SECTIONS.items():
        m = lsw & (la == a)
        if not m.any():
            continue
        i = idx[m]
        base = len(_SITE_PAGE_NAMES)
        later = (i - base).clip(0)
        sec = np.array(sections, dtype=object)[later % len(sections)]
        num = (later // len(sections) + 2).astype(str).astype(object)
        head = np.minimum(i, base - 1)
        path[m] = np.where(i < base, np.array([p for p, _ in _SITE_PAGE_NAMES], dtype=object)[head],
                           "/" + sec + "/page/" + num + "/")
        section_name = pd.Series(sec).str.split("/").str[-1].str.capitalize().to_numpy(dtype=object)
        title[m] = np.where(i < base, np.array([t for _, t in _SITE_PAGE_NAMES], dtype=object)[head],
                            section_name + " – Page " + num) + " | " + label[m]

    m = ~lsw & (la == BLOG)
    if m.any():
        posts, lap = listed(_BLOG_POSTS, m)
        style = offset[m] % 3  # a blog keeps one permalink style
        prefix = np.where(style == 0, "/blog/", np.where(style == 1, "/" + year_month[m] + "/", "/"))
        path[m] = prefix + slugs(posts) + numbered(lap, "-{}") + "/"
        title[m] = posts + numbered(lap, " (Part {})") + " – " + label[m]

    m = ~lsw & (la == SITE)
    if m.any():
        pages, lap = listed(_SITE_PAGES, m)
        path[m] = "/reviews/" + slugs(pages) + numbered(lap, "-{}") + "/"
        title[m] = pages + numbered(lap, " ({})") + " | " + label[m]

    m = ~lsw & (la == DIRECTORY)
    if m.any():
        prefixes, lap = listed(_DIRECTORY_PATHS, m)
        path[m] = prefixes + "alpine-brew-co" + numbered(lap, "-{}") + "/"
        title[m] = "Alpine Brew Co. – " + label[m]

    m = la == NEWS
    if m.any():
        heads, lap = listed(_NEWS_HEADLINES, m)
        path[m] = "/news/" + year_month[m] + "/" + slugs(heads) + numbered(lap, "-{}") + "/"
        title[m] = heads + " | " + label[m]

    m = ~lsw & (la == RESOURCE)
    if m.any():
        pages, lap = listed(tuple(p for p, _ in _RESOURCE_PAGES), m)
        names = dict(_RESOURCE_PAGES)
        path[m] = pages + np.where(lap > 0, "page/" + (lap + 1).astype(str).astype(object) + "/", "")
        title[m] = pd.Series(pages).map(names).to_numpy(dtype=object) + " – " + label[m]

    m = la == FORUM
    if m.any():
        threads, lap = listed(_FORUM_THREADS, m)
        slug = slugs(threads) + numbered(lap, "-{}")
        board = np.array(_FORUM_BOARDS, dtype=object)[k[m] % len(_FORUM_BOARDS)]
        # 7919 is prime to 90,000: distinct links get distinct thread ids.
        tid = (10_000 + (k[m] * 7919) % 90_000).astype(str).astype(object)
        style = offset[m] % 3  # forum software differs between sites, not between threads
        path[m] = np.where(style == 0, "/forum/" + board + "/thread/" + tid + "-" + slug + "/",
                           np.where(style == 1, "/threads/" + slug + "." + tid + "/", "/t/" + slug + "/" + tid))
        title[m] = threads + " | " + label[m]

    m = la == NETWORK
    if m.any():
        words = pd.Series(domain[m]).str.replace(r"\.[a-z]+$", "", regex=True)
        nums = (idx[m] + 1).astype(str).astype(object)
        path[m] = "/" + words.to_numpy(dtype=object) + "-" + nums + "/"
        title[m] = (words.str.replace("-", " ").str.title().to_numpy(dtype=object)
                    + " – Best Deals & Reviews " + year[m] + ", Top " + nums + " Picks")

    m = la == SCRAPER
    if m.any():
        nums = (idx[m] + 1).astype(str).astype(object)
        own_domain = DEMO_SITE.own_domain
        path[m] = np.where(idx[m] % 2 == 0, "/site/" + own_domain + "-" + nums, "/www/" + nums + "/" + own_domain)
        title[m] = own_domain + " – Website Worth, Traffic & SEO Stats | " + label[m]

    return "https://" + own["host"].to_numpy()[dom] + path, title


def _dates(today: date, days: np.ndarray) -> np.ndarray:
    base = np.datetime64(today.isoformat(), "D")
    return (base + np.asarray(days).astype("timedelta64[D]")).astype(str).astype(object)


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    length = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return date(year, month, min(day.day, length))


def _bools(values: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(values, dtype=bool), "true", "false").astype(object)


def _snapshot(links: pd.DataFrame, offset: int) -> pd.DataFrame:
    """The backlinks export as of `offset` days from today."""
    first = links["first"].to_numpy()
    lost = links["lost"].to_numpy()
    keep = (first <= offset) & ~(lost <= offset - RECENT_DAYS)
    part = links[keep].copy()
    first, lost = first[keep], lost[keep]
    # `lost` is the last day a lost link was seen; the crawl that missed it came later.
    part["lost_link"] = lost < offset
    part["new_link"] = first > offset - RECENT_DAYS
    part["last"] = np.where(part["lost_link"], lost, np.maximum(first, offset - part["lag"].to_numpy()))
    order = np.lexsort((part["target_url"].to_numpy(), part["source_url"].to_numpy(),
                        -part["page_ascore"].to_numpy()))
    return part.iloc[order].reset_index(drop=True)


def _backlinks_csv(snap: pd.DataFrame, today: date) -> pd.DataFrame:
    return pd.DataFrame({
        "Page ascore": snap["page_ascore"].to_numpy(),
        "Source title": snap["source_title"].to_numpy(),
        "Source url": snap["source_url"].to_numpy(),
        "Target url": snap["target_url"].to_numpy(),
        "Anchor": snap["anchor"].to_numpy(),
        "External links": snap["external"].to_numpy(),
        "Internal links": snap["internal"].to_numpy(),
        "Nofollow": _bools(snap["nofollow"]),
        "Sponsored": _bools(snap["sponsored"]),
        "Ugc": _bools(snap["ugc"]),
        "Text": _bools(snap["text"]),
        "Frame": _bools(snap["frame"]),
        "Form": _bools(snap["form"]),
        "Image": _bools(snap["image"]),
        "Sitewide": _bools(snap["sitewide"]),
        "First seen": _dates(today, snap["first"].to_numpy()),
        "Last seen": _dates(today, snap["last"].to_numpy()),
        "New link": _bools(snap["new_link"]),
        "Lost link": _bools(snap["lost_link"]),
    })


def _refdomains_csv(per_domain: pd.DataFrame, today: date) -> pd.DataFrame:
    order = np.lexsort((per_domain["domain"].to_numpy(), -per_domain["backlinks"].to_numpy(),
                        -per_domain["ascore"].to_numpy()))
    d = per_domain.iloc[order]
    return pd.DataFrame({
        "Domain ascore": d["ascore"].to_numpy(),
        "Domain": d["domain"].to_numpy(),
        "Backlinks": d["backlinks"].to_numpy(),
        "IP": d["ip"].to_numpy(),
        "Country": d["country"].to_numpy(),
        "First seen": _dates(today, d["first"].to_numpy()),
        "Last seen": _dates(today, d["last"].to_numpy()),
    })


def _competitor_domains(rng: np.random.Generator, domains: pd.DataFrame, k: int) -> pd.DataFrame:
    d = domains[domains[f"c{k}"]].reset_index(drop=True)
    arch = d["arch"].to_numpy()
    n = len(d)
    # Competitors are older sites: their profiles reach back four years.
    first = _join_days(rng, n, 1460, .9)
    return d.assign(
        backlinks=_links_per_domain(rng, arch, d["sitewide"].to_numpy()),
        first=first,
        last=np.maximum(first, -rng.integers(0, 14, n)),
    )


def _audit(rng: np.random.Generator, snap: pd.DataFrame, today: date) -> pd.DataFrame:
    """Semrush's audit over a sample of the profile: all spam, the rest at most 500 per domain."""
    arch = snap["arch"].to_numpy()
    spam = np.isin(arch, (NETWORK, SCRAPER))
    shuffled = rng.permutation(np.flatnonzero(~spam))
    per_domain = pd.Series(snap["dom"].to_numpy()[shuffled]).groupby(
        snap["dom"].to_numpy()[shuffled]).cumcount().to_numpy()
    honest = shuffled[per_domain < 500][: max(0, 3000 - int(spam.sum()))]
    rows = np.sort(np.concatenate([np.flatnonzero(spam), honest]))
    a = snap.iloc[rows].reset_index(drop=True)
    n = len(a)
    arch = a["arch"].to_numpy()
    ascore = a["domain_ascore"].to_numpy()
    money = a["anchor"].str.lower().isin(
        {t.format(k) for k in DEMO_SITE.target_keywords for t in _MONEY_TEMPLATES}).to_numpy()
    markers = {
        "Link network": arch == NETWORK,
        "Low Authority Score": ascore <= 5,
        "Spammy TLD": arch == NETWORK,
        "Money anchor": money & np.isin(arch, (NETWORK, SCRAPER, SITE)),
        "Too many outbound links": a["external"].to_numpy() >= 150,
        "Sitewide link": a["sitewide"].to_numpy(),
        "Content scraping": arch == SCRAPER,
    }
    text = np.full(n, "", dtype=object)
    for name, mask in markers.items():
        text = np.where(mask, np.where(text == "", name, text + "; " + name), text)
    base = rng.integers(0, 18, n).astype(float)
    base += np.where(a["sitewide"].to_numpy(), rng.integers(15, 30, n), 0)
    base += np.where(ascore <= 5, 12, 0)
    base = np.where(arch == SCRAPER, rng.integers(45, 76, n), base)
    base = np.where(arch == NETWORK, rng.integers(72, 101, n), base)
    status = np.full(n, "", dtype=object)
    # Users act per domain: a start on the network and one scraper, a removal request, a few keepers.
    network_domains = np.sort(a.loc[arch == NETWORK, "dom"].unique())
    scraper_domains = np.sort(a.loc[arch == SCRAPER, "dom"].unique())
    dom = a["dom"].to_numpy()
    status[np.isin(dom, [*network_domains[:2], *scraper_domains[:1]])] = "disavow"
    status[np.isin(dom, network_domains[2:3])] = "remove"
    strong = np.flatnonzero((ascore >= 60) & (base < 30))
    status[rng.choice(strong, size=min(15, len(strong)), replace=False)] = "whitelist"
    return pd.DataFrame({
        "Source url": a["source_url"].to_numpy(),
        "Source title": a["source_title"].to_numpy(),
        "Target url": a["target_url"].to_numpy(),
        "Anchor": a["anchor"].to_numpy(),
        "Toxicity Score": np.clip(base, 0, 100).astype(np.int64),
        "Toxic markers": text,
        "Status": status,
        "Page ascore": a["page_ascore"].to_numpy(),
        "Nofollow": _bools(a["nofollow"]),
        "First seen": _dates(today, a["first"].to_numpy()),
        "Last seen": _dates(today, a["last"].to_numpy()),
    })


def _write(frame: pd.DataFrame, header: tuple[str, ...], path: Path, quoting: int = csv.QUOTE_MINIMAL) -> None:
    # Selecting by the declared header pins the file format: a renamed column fails here, not in an import.
    # Semrush's CSV: UTF-8 with a BOM, comma-separated; "\n" so the bytes do not depend on the OS.
    frame[list(header)].to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", quoting=quoting)


def write_demo_exports(directory: Path, today: date | None = None) -> list[DemoFile]:
    """Write the demo site's Semrush exports into `directory`; the same `today` gives the same bytes."""
    today = today or date.today()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    site = DEMO_SITE
    own = site.own_domain
    rng = np.random.default_rng(SEED)

    domains = _build_domains(rng, site)
    links = _own_links(rng, domains, today)
    audit_rng = np.random.default_rng([SEED, 1])
    comp_rng = np.random.default_rng([SEED, 2])

    files: list[DemoFile] = []
    snap = None
    for months in SNAPSHOT_MONTHS:
        day = _months_before(today, months)
        snap = _snapshot(links, (day - today).days)
        path = directory / f"{own}-backlinks-{day.isoformat()}.csv"
        _write(_backlinks_csv(snap, today), BACKLINKS_HEADER, path)
        files.append(DemoFile(path, "backlinks", own, day))
    assert snap is not None

    info = domains.set_index("domain")
    grouped = snap.groupby("dom", sort=True).agg(backlinks=("first", "size"), first=("first", "min"),
                                                 last=("last", "max"))
    per_domain = grouped.join(info[["ascore", "ip", "country"]]).rename_axis("domain").reset_index()
    path = directory / f"{own}-backlinks_refdomains.csv"
    _write(_refdomains_csv(per_domain, today), REFDOMAINS_HEADER, path)
    files.append(DemoFile(path, "referring_domains", own, today))

    comp_counts = {}
    for k, comp in enumerate(site.competitors):
        cd = _competitor_domains(comp_rng, domains, k)
        comp_counts[comp] = cd.set_index("domain")["backlinks"]
        path = directory / f"{comp}-backlinks_refdomains.csv"
        _write(_refdomains_csv(cd, today), REFDOMAINS_HEADER, path)
        files.append(DemoFile(path, "referring_domains", comp, today))

    anchors = snap.groupby("anchor", sort=True).agg(
        domains=("dom", "nunique"), backlinks=("dom", "size"), first=("first", "min"), last=("last", "max"))
    anchors = anchors.reset_index().sort_values(["domains", "backlinks", "anchor"], ascending=[False, False, True],
                                                kind="stable")
    path = directory / f"{own}-backlinks_anchors.csv"
    _write(pd.DataFrame({
        "Anchor": anchors["anchor"].to_numpy(),
        "Domains": anchors["domains"].to_numpy(),
        "Backlinks": anchors["backlinks"].to_numpy(),
        "First seen": _dates(today, anchors["first"].to_numpy()),
        "Last seen": _dates(today, anchors["last"].to_numpy()),
    }), ANCHORS_HEADER, path)
    files.append(DemoFile(path, "anchors", own, today))

    pages = snap.groupby("target_url", sort=True).agg(domains=("dom", "nunique"), backlinks=("dom", "size"))
    pages = pages.reset_index().sort_values(["domains", "backlinks", "target_url"], ascending=[False, False, True],
                                            kind="stable")
    titles = {f"https://{own}{p[0]}": (p[1], p[5]) for p in _PAGES}
    canonical = pages["target_url"].isin(list(titles))
    # www and http variants redirect to the canonical page, which is where the title lives.
    path = directory / f"{own}-backlinks_pages.csv"
    _write(pd.DataFrame({
        "Title": [titles[u][0] if c else "" for u, c in zip(pages["target_url"], canonical)],
        "Url": pages["target_url"].to_numpy(),
        "Domains": pages["domains"].to_numpy(),
        "Backlinks": pages["backlinks"].to_numpy(),
        "Response code": [titles[u][1] if c else 301 for u, c in zip(pages["target_url"], canonical)],
    }), PAGES_HEADER, path)
    files.append(DemoFile(path, "indexed_pages", own, today))

    path = directory / f"{own}-backlink_audit.csv"
    # Toxic markers are "; "-separated inside one cell: quoting every text cell keeps them one cell
    # even for a reader that sniffs the delimiter and is tempted by all those semicolons.
    _write(_audit(audit_rng, snap, today), AUDIT_HEADER, path, quoting=csv.QUOTE_NONNUMERIC)
    files.append(DemoFile(path, "audit", own, today))

    counts = pd.DataFrame({own: per_domain.set_index("domain")["backlinks"], **comp_counts}).fillna(0)
    counts = counts.astype(np.int64)[[own, *site.competitors]]
    gap = counts.join(info[["ascore"]])
    gap["matches"] = (counts > 0).sum(axis=1)
    gap = gap.rename_axis("domain").reset_index()
    gap = gap.iloc[np.lexsort((gap["domain"].to_numpy(), -gap["ascore"].to_numpy(), -gap["matches"].to_numpy()))]
    out = pd.DataFrame({"Domain": gap["domain"].to_numpy(), "Domain ascore": gap["ascore"].to_numpy(),
                        "Matches": gap["matches"].to_numpy()})
    for name in (own, *site.competitors):
        out[name] = gap[name].to_numpy()
    path = directory / f"{own}-backlink_gap.csv"
    _write(out, gap_header(site), path)
    files.append(DemoFile(path, "gap", own, today))
    return files
