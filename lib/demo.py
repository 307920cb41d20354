"""The demo workspace: a fictional coffee-gear site and four competitors, as real Semrush exports.

Deterministic: the same `today` gives byte-identical files. The link profile has the patterns
a real one has and the pages need: industry blogs, directories, news mentions, resource pages,
forums, sitewide partner links, scrapers, a small link network on one /24 subnet with
keyword-stuffed names and exact-match anchors, links lost from strong domains, new links, and
domains that link to several competitors but not to the site. The app imports these files
through the same reader a user's upload goes through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20_241_117


@dataclass(frozen=True)
class DemoSite:
    name: str
    own_domain: str
    competitors: tuple[str, ...]
    brand_terms: tuple[str, ...]
    target_keywords: tuple[str, ...]


@dataclass(frozen=True)
class DemoFile:
    path: Path
    kind: str
    target_domain: str
    data_date: date


DEMO_SITE = DemoSite(
    name="Demo: Alpine Brew Co.",
    own_domain="alpinebrew.com",
    competitors=("grindlab.com", "pourcraft.co", "kettleandbean.com", "morningroast.net"),
    brand_terms=("alpine brew", "alpinebrew"),
    target_keywords=("coffee grinder", "burr grinder", "pour over kettle", "espresso machine", "french press",
                     "coffee scale"),
)
DEMO_SITE_ASCORE = 38  # the site's own Authority Score; exports do not carry it

BACKLINKS_HEADER = ["Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links",
                    "Internal links", "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image", "Sitewide",
                    "First seen", "Last seen", "New link", "Lost link"]

_WORDS_A = ["daily", "urban", "home", "bean", "roast", "brew", "cup", "morning", "barista", "latte", "crema",
            "grind", "kitchen", "foodie", "gear", "coffee", "java", "mocha", "slow", "craft", "third", "wave",
            "origin", "steam", "filter", "drip", "aroma", "cafe", "table", "pantry"]
_WORDS_B = ["journal", "blog", "life", "lab", "notes", "hub", "times", "review", "guide", "corner", "digest",
            "mag", "world", "post", "press", "stories", "talk", "zone", "club", "bites", "weekly", "insider"]
_TLDS = ["com"] * 10 + ["net", "org", "co.uk", "de", "com.au", "ca", "io", "blog", "fr", "nl"]
_COUNTRIES = ["US"] * 8 + ["GB"] * 3 + ["DE", "DE", "CA", "CA", "AU", "FR", "NL", "SE", "IE", "NZ", "IT", "ES"]
_ODD_COUNTRIES = ["PA", "SC", "BZ", "VG", "MD"]

# archetype: share of the universe, Authority Score range, nofollow share, sitewide share, links per domain
ARCHETYPES = {
    "blog": (0.40, (8, 65), 0.12, 0.02, (1, 16)),
    "directory": (0.12, (4, 35), 0.45, 0.30, (1, 34)),
    "news": (0.04, (55, 92), 0.35, 0.0, (1, 3)),
    "resource": (0.08, (15, 55), 0.15, 0.05, (1, 3)),
    "forum": (0.08, (20, 60), 0.70, 0.0, (1, 20)),
    "partner": (0.015, (20, 50), 0.05, 1.0, (80, 420)),
    "scraper": (0.105, (0, 9), 0.30, 0.10, (1, 40)),
}
_PATHS = {
    "blog": ["/blog/{slug}/", "/{year}/{month:02d}/{slug}/", "/posts/{slug}", "/reviews/{slug}/"],
    "directory": ["/directory/coffee/{slug}", "/listing/{slug}", "/profile/{slug}", "/user/{slug}"],
    "news": ["/news/{year}/{month:02d}/{slug}", "/business/{slug}", "/lifestyle/{year}/{slug}"],
    "resource": ["/resources/coffee-links/", "/links/", "/useful-links/{slug}", "/resources/{slug}"],
    "forum": ["/forum/thread/{n}-{slug}", "/community/t/{slug}/{n}", "/forum/viewtopic.php?t={n}"],
    "partner": ["/", "/about/", "/shop/", "/contact/", "/{slug}/"],
    "scraper": ["/{slug}.html", "/p/{n}", "/tag/{slug}/", "/?p={n}"],
    "network": ["/{slug}/", "/best-{slug}/", "/top-10-{slug}/"],
}
_SLUGS = ["best-coffee-grinders", "pour-over-guide", "espresso-at-home", "coffee-gear-2025", "morning-routine",
          "burr-vs-blade", "cold-brew-tips", "gift-ideas-for-coffee-lovers", "home-barista-setup", "kettle-review",
          "french-press-method", "coffee-scale-test", "latte-art-basics", "bean-storage", "travel-coffee-kit"]
_TITLES = {
    "blog": "{topic} | {site}", "directory": "{site} listing – Coffee equipment", "news": "{topic} – {site}",
    "resource": "Useful coffee links – {site}", "forum": "{topic} - {site} forum", "partner": "{site}",
    "scraper": "", "network": "Best {topic} deals",
}
_TOPICS = ["The best coffee grinders we tested", "How to brew pour over", "Espresso at home on a budget",
           "Our favourite coffee gear", "Burr grinder buying guide", "Cold brew, explained",
           "Gift ideas for coffee lovers", "A home barista setup", "Kettles for pour over", "Coffee scales compared"]
_OWN_PAGES = ["/", "/", "/", "/shop/", "/products/burr-grinder-pro/", "/products/gooseneck-kettle/",
              "/products/coffee-scale/", "/blog/how-to-dial-in-espresso/", "/blog/pour-over-ratio/",
              "/guides/coffee-grinder-buying-guide/", "/guides/french-press/", "/about/",
              "/blog/best-beans-2025/", "/products/espresso-machine-mini/", "/old-sale-page/", "/discontinued-grinder/"]
_GENERIC = ["click here", "website", "here", "this site", "read more", "source"]
_NETWORK_NAMES = ["best-coffee-grinder-deals", "cheap-burr-grinder-reviews", "top-espresso-machine-offers",
                  "buy-pour-over-kettle-now", "coffee-grinder-discount-store", "best-french-press-2025",
                  "espresso-machine-cheap-sale", "burr-grinder-best-price", "coffee-scale-deals-online",
                  "grinder-review-top10", "kettle-pour-over-best", "coffee-machine-bargains",
                  "best-coffee-gear-deals", "espresso-grinder-outlet", "french-press-cheap-buy",
                  "top-coffee-scale-reviews", "coffee-grinder-guide-2025", "best-burr-grinders-online",
                  "cheap-espresso-machines-deal", "pour-over-kettle-sale", "coffee-grinders-for-less",
                  "best-grinder-deals-now", "espresso-deals-hub", "coffee-gear-discounts", "burr-grinder-offers"]
_NETWORK_TLDS = ["xyz", "top", "click", "buzz", "online"]


def write_demo_exports(directory: Path, today: date | None = None) -> list[DemoFile]:
    """Write the demo's Semrush exports into `directory`; the list says what each file holds."""
    today = today or date.today()
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    universe = _universe(rng, today)
    own, sets = _link_sets(rng, universe)
    links = _own_backlinks(rng, universe.loc[own], today)
    site = DEMO_SITE
    files: list[DemoFile] = []

    def write(frame: pd.DataFrame, name: str, kind: str, target: str, when: date) -> None:
        path = directory / name
        frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        files.append(DemoFile(path, kind, target, when))

    for months_back in (3, 2, 1, 0):
        when = _months_before(today, months_back)
        snapshot = _as_of(links, when)
        write(_backlinks_export(snapshot), f"{site.own_domain}-backlinks-{when:%Y-%m-%d}.csv", "backlinks",
              site.own_domain, when)
    current = _as_of(links, today)
    write(_refdomains_export(current, universe), f"{site.own_domain}-backlinks_refdomains.csv",
          "referring_domains", site.own_domain, today)
    for competitor in site.competitors:
        write(_competitor_refdomains(rng, universe, sets[competitor], today),
              f"{competitor}-backlinks_refdomains.csv", "referring_domains", competitor, today)
    write(_anchors_export(current), f"{site.own_domain}-backlinks_anchors.csv", "anchors", site.own_domain, today)
    write(_pages_export(current), f"{site.own_domain}-backlinks_pages.csv", "indexed_pages", site.own_domain, today)
    write(_audit_export(rng, current, universe), f"{site.own_domain}-backlink_audit.csv", "audit",
          site.own_domain, today)
    write(_gap_export(rng, universe, own, sets), f"{site.own_domain}-backlink_gap.csv", "gap", site.own_domain,
          today)
    return files


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, 28))


def _universe(rng: np.random.Generator, today: date) -> pd.DataFrame:
    """Every domain of the demo world with its archetype, Authority Score, IP, country and first link date."""
    rows = []
    names: set[str] = set()
    archetypes = list(ARCHETYPES)
    shares = np.array([ARCHETYPES[a][0] for a in archetypes])
    for archetype in rng.choice(archetypes, size=4_400, p=shares / shares.sum()):
        for _ in range(20):
            a, b = rng.choice(_WORDS_A), rng.choice(_WORDS_B)
            stem = {"directory": f"{a}directory", "news": f"{a}{rng.choice(['times', 'herald', 'gazette'])}",
                    "forum": f"{a}{rng.choice(['forum', 'talk', 'community'])}",
                    "scraper": f"{a}{b}{rng.integers(10, 999)}"}.get(archetype, f"{a}{b}")
            name = f"{stem}.{rng.choice(_TLDS)}"
            if name not in names:
                break
        names.add(name)
        low, high = ARCHETYPES[archetype][1]
        rows.append((name, archetype, int(rng.integers(low, high + 1))))
    for i, stem in enumerate(_NETWORK_NAMES):
        rows.append((f"{stem}.{_NETWORK_TLDS[i % len(_NETWORK_TLDS)]}", "network", int(rng.integers(0, 6))))
    universe = pd.DataFrame(rows, columns=["domain", "archetype", "ascore"]).drop_duplicates("domain")
    universe = universe.reset_index(drop=True)
    count = len(universe)
    ips = [f"{rng.integers(23, 210)}.{rng.integers(0, 255)}.{rng.integers(0, 255)}.{rng.integers(1, 254)}"
           for _ in range(count)]
    countries = rng.choice(_COUNTRIES, size=count)
    network = (universe["archetype"] == "network").to_numpy()
    universe["ip"] = np.where(network, [f"185.212.47.{10 + i % 5}" for i in range(count)], ips)
    universe["country"] = np.where(network, rng.choice(_ODD_COUNTRIES, size=count), countries)
    # Growth: more domains started linking recently (Beta(2, 1) leans towards today).
    days_ago = (540 * (1 - rng.beta(2.0, 1.0, size=count))).astype(int)
    burst = int(rng.integers(100, 130))  # the link network arrived within one week
    days_ago = np.where(network, burst - rng.integers(0, 7, size=count), days_ago)
    universe["first_day"] = [today - timedelta(days=int(d)) for d in days_ago]
    return universe


def _link_sets(rng: np.random.Generator, universe: pd.DataFrame) -> tuple[np.ndarray, dict[str, set[int]]]:
    """Which universe rows link to the site (`own`), and to each competitor."""
    count = len(universe)
    network = universe.index[universe["archetype"] == "network"].to_numpy()
    regular = universe.index[universe["archetype"] != "network"].to_numpy()
    own = np.sort(np.concatenate([rng.choice(regular, size=1_975, replace=False), network]))
    outside = np.setdiff1d(np.arange(count), own)
    relevant = universe.loc[outside, "archetype"].isin(["blog", "resource", "news"]).to_numpy()
    gap = rng.choice(outside[relevant], size=170, replace=False)
    sets: dict[str, set[int]] = {}
    for i, competitor in enumerate(DEMO_SITE.competitors):
        size = int(rng.integers(1_000, 2_300))
        pool = np.concatenate([rng.choice(own, size=int(size * 0.35), replace=False),
                               rng.choice(outside, size=int(size * 0.65), replace=False)])
        sets[competitor] = set(pool.tolist()) - set(gap.tolist())
    for row in gap:  # each gap domain links to 2-4 competitors, never to the site
        for competitor in rng.choice(DEMO_SITE.competitors, size=int(rng.integers(2, 5)), replace=False):
            sets[str(competitor)].add(int(row))
    return own, sets


def _own_backlinks(rng: np.random.Generator, domains: pd.DataFrame, today: date) -> pd.DataFrame:
    """Every backlink the site ever had, with the day it appeared and the day it was lost (if it was)."""
    per_domain = []
    for archetype, low_high in ((a, ARCHETYPES[a][4]) for a in ARCHETYPES):
        mask = domains["archetype"] == archetype
        per_domain.append(pd.Series(rng.integers(low_high[0], low_high[1] + 1, size=int(mask.sum())),
                                    index=domains.index[mask]))
    network = domains["archetype"] == "network"
    per_domain.append(pd.Series(rng.integers(30, 90, size=int(network.sum())), index=domains.index[network]))
    counts = pd.concat(per_domain).reindex(domains.index).fillna(1).astype(int)
    rows = domains.loc[domains.index.repeat(counts.to_numpy())].reset_index(drop=True)
    n = len(rows)
    archetype = rows["archetype"].to_numpy()
    spec_nofollow = np.array([ARCHETYPES.get(a, (0, 0, 0.5))[2] for a in archetype])
    spec_sitewide = np.array([ARCHETYPES.get(a, (0, 0, 0, 0.0))[3] for a in archetype])
    rows["nofollow"] = rng.random(n) < spec_nofollow
    rows["sitewide"] = (rng.random(n) < spec_sitewide) | (archetype == "partner")
    rows["ugc"] = (archetype == "forum") & (rng.random(n) < 0.6)
    rows["sponsored"] = (archetype == "blog") & (rng.random(n) < 0.03)
    rows["image"] = (rng.random(n) < 0.07) & (archetype != "network")
    rows["form"] = ~rows["image"] & (rng.random(n) < 0.004)
    rows["frame"] = ~rows["image"] & ~rows["form"] & (rng.random(n) < 0.003)
    rows["page_ascore"] = np.clip(rows["ascore"].to_numpy() + rng.integers(-12, 6, size=n), 0, 100)
    rows["external_links"] = np.where(archetype == "network", rng.integers(150, 420, size=n),
                                      np.where(archetype == "directory", rng.integers(40, 200, size=n),
                                               rng.integers(2, 60, size=n)))
    rows["internal_links"] = rng.integers(5, 180, size=n)
    slug = rng.choice(_SLUGS, size=n)
    number = rng.integers(100, 99_999, size=n)
    year = rng.integers(2023, today.year + 1, size=n)
    month = rng.integers(1, 13, size=n)
    paths = [rng.choice(_PATHS[a]).format(slug=s, n=k, year=y, month=m)
             for a, s, k, y, m in zip(archetype, slug, number, year, month)]
    www = np.where(rng.random(n) < 0.5, "www.", "")
    scheme = np.where(archetype == "scraper", "http://", "https://")
    rows["source_url"] = [f"{sc}{w}{d}{p}" for sc, w, d, p in zip(scheme, www, rows["domain"], paths)]
    topics = rng.choice(_TOPICS, size=n)
    rows["source_title"] = [_TITLES[a].format(topic=t, site=d.split(".")[0].capitalize())
                            for a, t, d in zip(archetype, topics, rows["domain"])]
    pages = np.array(_OWN_PAGES)
    rows["target_url"] = "https://" + np.where(rng.random(n) < 0.7, "", "www.") + DEMO_SITE.own_domain + \
        rng.choice(pages, size=n)
    rows["anchor"] = _anchors(rng, archetype, rows["image"].to_numpy(), rows["target_url"].to_numpy())
    first = pd.to_datetime(rows["first_day"]) + pd.to_timedelta(rng.integers(0, 45, size=n), unit="D")
    first = first.where(first <= pd.Timestamp(today), pd.Timestamp(today))
    network_rows = archetype == "network"
    first = first.where(~network_rows, pd.to_datetime(rows["first_day"]))
    rows["first_seen"] = first
    lifetime = pd.to_timedelta(rng.integers(20, 500, size=n), unit="D")
    lost_at = first + lifetime
    # About one link in eight is lost; strong news links lost lately are the ones worth reclaiming.
    is_lost = (rng.random(n) < 0.10) | ((archetype == "news") & (rng.random(n) < 0.35))
    rows["lost_day"] = lost_at.where(is_lost & (lost_at <= pd.Timestamp(today)))
    return rows.drop(columns=["first_day"])


def _anchors(rng: np.random.Generator, archetype: np.ndarray, image: np.ndarray, targets: np.ndarray) -> list[str]:
    keywords = list(DEMO_SITE.target_keywords)
    choices = []
    for a, img, target in zip(archetype, image, targets):
        if img:
            choices.append("")
            continue
        roll = rng.random()
        if a == "network":
            choices.append(str(rng.choice(keywords)) if roll < 0.8 else f"best {rng.choice(keywords)}")
        elif roll < 0.34:
            choices.append(str(rng.choice(["Alpine Brew", "Alpine Brew Co.", "AlpineBrew", "alpine brew coffee"])))
        elif roll < 0.52:
            choices.append(str(rng.choice([f"https://{DEMO_SITE.own_domain}/", DEMO_SITE.own_domain,
                                           f"www.{DEMO_SITE.own_domain}", target])))
        elif roll < 0.70:
            choices.append(str(rng.choice(_GENERIC)))
        elif roll < 0.78:
            choices.append(str(rng.choice(keywords)))
        elif roll < 0.90:
            choices.append(f"{rng.choice(['this', 'a great', 'the best', 'our favourite'])} {rng.choice(keywords)}")
        else:
            choices.append(str(rng.choice(["this guide", "their review", "morning coffee", "a lovely shop",
                                           "the recipe", "Swiss coffee gear"])))
    return choices


def _as_of(links: pd.DataFrame, when: date) -> pd.DataFrame:
    """The backlinks export as Semrush would have written it on `when`."""
    day = pd.Timestamp(when)
    window = day - pd.Timedelta(days=30)
    started = links["first_seen"] <= day
    lost = links["lost_day"].notna() & (links["lost_day"] <= day)
    recently_lost = lost & (links["lost_day"] > window)
    rows = links[started & (~lost | recently_lost)].copy()
    lost_now = recently_lost[rows.index]
    # Live links were last crawled a few days before the export.
    crawl_gap = pd.to_timedelta((rows["page_ascore"].to_numpy() % 9).astype(int), unit="D")
    rows["last_seen"] = (day - crawl_gap).where(~lost_now, rows["lost_day"])
    rows["last_seen"] = rows[["last_seen", "first_seen"]].max(axis=1)
    rows["lost_link"] = lost_now.to_numpy()
    rows["new_link"] = (rows["first_seen"] > window).to_numpy() & ~rows["lost_link"].to_numpy()
    return rows


def _flag(series: pd.Series) -> pd.Series:
    return np.where(series.to_numpy(bool), "true", "false")


def _day(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.strftime("%Y-%m-%d")


def _backlinks_export(rows: pd.DataFrame) -> pd.DataFrame:
    text = ~(rows["image"] | rows["form"] | rows["frame"])
    return pd.DataFrame({
        "Page ascore": rows["page_ascore"], "Source title": rows["source_title"], "Source url": rows["source_url"],
        "Target url": rows["target_url"], "Anchor": rows["anchor"], "External links": rows["external_links"],
        "Internal links": rows["internal_links"], "Nofollow": _flag(rows["nofollow"]),
        "Sponsored": _flag(rows["sponsored"]), "Ugc": _flag(rows["ugc"]), "Text": _flag(text),
        "Frame": _flag(rows["frame"]), "Form": _flag(rows["form"]), "Image": _flag(rows["image"]),
        "Sitewide": _flag(rows["sitewide"]), "First seen": _day(rows["first_seen"]),
        "Last seen": _day(rows["last_seen"]), "New link": _flag(rows["new_link"]),
        "Lost link": _flag(rows["lost_link"]),
    }).sort_values(["Page ascore", "Source url"], ascending=[False, True], kind="stable")[BACKLINKS_HEADER]


def _refdomains_export(rows: pd.DataFrame, universe: pd.DataFrame) -> pd.DataFrame:
    grouped = rows.groupby("domain").agg(backlinks=("source_url", "size"), first_seen=("first_seen", "min"),
                                         last_seen=("last_seen", "max")).reset_index()
    grouped = grouped.merge(universe[["domain", "ascore", "ip", "country"]], on="domain")
    return pd.DataFrame({
        "Domain ascore": grouped["ascore"], "Domain": grouped["domain"], "Backlinks": grouped["backlinks"],
        "IP": grouped["ip"], "Country": grouped["country"], "First seen": _day(grouped["first_seen"]),
        "Last seen": _day(grouped["last_seen"]),
    }).sort_values(["Domain ascore", "Domain"], ascending=[False, True], kind="stable")


def _competitor_refdomains(rng: np.random.Generator, universe: pd.DataFrame, rows: set[int],
                           today: date) -> pd.DataFrame:
    chosen = universe.loc[sorted(rows)]
    count = len(chosen)
    first = pd.to_datetime(chosen["first_day"])
    last = pd.Timestamp(today) - pd.to_timedelta(rng.integers(0, 20, size=count), unit="D")
    return pd.DataFrame({
        "Domain ascore": chosen["ascore"], "Domain": chosen["domain"],
        "Backlinks": np.where(chosen["archetype"] == "partner", rng.integers(30, 200, size=count),
                              rng.integers(1, 14, size=count)),
        "IP": chosen["ip"], "Country": chosen["country"], "First seen": _day(first),
        "Last seen": _day(pd.Series(last, index=chosen.index).where(last > first, first)),
    }).sort_values(["Domain ascore", "Domain"], ascending=[False, True], kind="stable")


def _anchors_export(rows: pd.DataFrame) -> pd.DataFrame:
    grouped = rows.groupby("anchor").agg(domains=("domain", "nunique"), backlinks=("source_url", "size"),
                                         first_seen=("first_seen", "min"), last_seen=("last_seen", "max"))
    grouped = grouped.reset_index().sort_values(["domains", "anchor"], ascending=[False, True], kind="stable")
    return pd.DataFrame({"Anchor": grouped["anchor"], "Domains": grouped["domains"],
                         "Backlinks": grouped["backlinks"], "First seen": _day(grouped["first_seen"]),
                         "Last seen": _day(grouped["last_seen"])})


def _pages_export(rows: pd.DataFrame) -> pd.DataFrame:
    path = rows["target_url"].str.replace(r"^https://(www\.)?[^/]+", "", regex=True)
    url = "https://" + DEMO_SITE.own_domain + path
    grouped = rows.assign(url=url).groupby("url").agg(domains=("domain", "nunique"),
                                                      backlinks=("source_url", "size")).reset_index()
    broken = grouped["url"].str.contains("old-sale-page|discontinued-grinder")
    titles = grouped["url"].str.rsplit("/", n=2).str[-2].str.replace("-", " ").str.capitalize()
    titles = titles.where(titles != "", "Alpine Brew Co. – coffee gear for home baristas")
    return pd.DataFrame({"Title": titles.where(~broken, "Page not found"), "Url": grouped["url"],
                         "Domains": grouped["domains"], "Backlinks": grouped["backlinks"],
                         "Response code": np.where(broken, 404, 200)}
                        ).sort_values(["Domains", "Url"], ascending=[False, True], kind="stable")


def _audit_export(rng: np.random.Generator, rows: pd.DataFrame, universe: pd.DataFrame) -> pd.DataFrame:
    network = rows["archetype"] == "network"
    sample = rows[network | (rng.random(len(rows)) < 0.11)]
    archetype = sample["archetype"].to_numpy()
    count = len(sample)
    score = np.where(archetype == "network", rng.integers(70, 101, size=count),
                     np.where(archetype == "scraper", rng.integers(35, 75, size=count),
                              np.where(archetype == "directory", rng.integers(10, 50, size=count),
                                       rng.integers(0, 30, size=count))))
    markers = np.select(
        [archetype == "network", archetype == "scraper", archetype == "directory"],
        ["Link network; Low Authority Score; Spammy TLD; Exact match anchor",
         "Low Authority Score; Poor content; No title",
         "Sitewide link; Directory"],
        default="")
    status = np.where(rng.random(count) < 0.04, rng.choice(["whitelist", "remove", "disavow"], size=count), "")
    return pd.DataFrame({
        "Source url": sample["source_url"], "Source title": sample["source_title"],
        "Target url": sample["target_url"], "Anchor": sample["anchor"], "Toxicity Score": score,
        "Toxic markers": markers, "Status": status, "Page ascore": sample["page_ascore"],
        "Nofollow": _flag(sample["nofollow"]), "First seen": _day(sample["first_seen"]),
        "Last seen": _day(sample["last_seen"]),
    }).sort_values(["Toxicity Score", "Source url"], ascending=[False, True], kind="stable")


def _gap_export(rng: np.random.Generator, universe: pd.DataFrame, own: np.ndarray,
                sets: dict[str, set[int]]) -> pd.DataFrame:
    linking = {DEMO_SITE.own_domain: set(own.tolist()), **sets}
    rows = sorted(set().union(*linking.values()))
    frame = universe.loc[rows, ["domain", "ascore"]].reset_index(drop=True)
    counts = {}
    for domain, members in linking.items():
        present = np.array([r in members for r in rows])
        counts[domain] = np.where(present, rng.integers(1, 12, size=len(rows)), 0)
    matches = sum((c > 0).astype(int) for c in counts.values())
    out = pd.DataFrame({"Domain": frame["domain"], "Domain ascore": frame["ascore"], "Matches": matches})
    for domain, values in counts.items():
        out[domain] = values
    return out.sort_values(["Matches", "Domain ascore", "Domain"], ascending=[False, False, True], kind="stable")
