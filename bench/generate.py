"""Semrush-format exports of any size, fast: the benchmark's input files.

lib.demo writes a small, story-shaped demo (a few thousand domains from fixed word lists);
it cannot reach a million backlinks. This generator is vectorised end to end (numpy draws,
object-array string joins, pyarrow's CSV writer), so a million-row export takes seconds and the
benchmark measures Linkscope, not its input. The files carry the real export headers (the
ones lib.demo writes), a UTF-8 BOM, `true`/`false` and ISO dates, and the shapes that make
real profiles expensive: heavy-tailed links per domain, www. and subdomain hosts, multi-part
suffixes (.co.uk), a long tail of one-off anchors, two snapshots a month apart with new and
lost links, and five referring-domain lists for a backlink gap.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.demo import ANCHORS_HEADER, BACKLINKS_HEADER, REFDOMAINS_HEADER

OWN = "trailforge.com"
COMPETITORS = ("summitkit.com", "peakpack.co", "ridgeline-outfitters.com", "basecampgear.net")
BRAND_TERMS = ("trailforge", "trail forge")
KEYWORDS = ("hiking boots", "trail running shoes", "rain jacket", "backpacking tent", "sleeping bag",
            "trekking poles", "hiking backpack", "camping stove")
TODAY = date(2025, 6, 1)  # fixed: the same arguments always give the same bytes
GAP_DOMAINS = 200_000  # referring domains per gap site at full size (the figure)

# Bumped whenever the generated files change, so a data directory of an older generator is not reused.
DATA_VERSION = 2
_A = ("alpine", "urban", "wild", "green", "happy", "daily", "modern", "simple", "nordic", "mountain", "coastal",
      "rainy", "early", "lazy", "bright", "little", "big", "true", "north", "south", "east", "west", "blue", "red",
      "golden", "silver", "iron", "stone", "river", "forest", "desert", "canyon", "summit", "valley", "prairie",
      "island", "harbor", "metro", "city", "rural", "smart", "clever", "honest", "quiet", "bold", "fresh", "rapid",
      "steady", "open", "hidden", "secret", "global", "local", "prime", "first", "second", "last", "old", "new",
      "young", "wise", "lucky", "sunny", "misty", "frosty", "windy", "sandy", "rocky", "mossy", "dusty", "swift",
      "brave", "calm", "cosy", "crisp", "deep", "far", "high", "low", "long")
_B = ("trail", "gear", "camp", "hike", "pack", "boot", "tent", "peak", "route", "path", "trek", "climb", "paddle",
      "ski", "bike", "run", "walk", "travel", "nomad", "van", "cabin", "fire", "map", "compass", "lantern", "rope",
      "knot", "ridge", "lake", "creek", "pine", "cedar", "oak", "maple", "fern", "bear", "wolf", "fox", "owl",
      "hawk", "elk", "moose", "otter", "salmon", "trout", "kitchen", "home", "garden", "tech", "photo", "story",
      "news", "review", "guide", "deal", "shop", "market", "school", "family", "parent", "fitness", "health",
      "yoga", "food", "recipe", "coffee", "tea", "book", "film", "music", "art", "design", "craft", "diy", "pet",
      "dog", "cat", "bird", "auto")
_C = ("", "", "", "blog", "hub", "lab", "life", "notes", "journal", "club", "house", "world", "times", "daily",
      "talk", "stories", "insider", "guru", "nerd", "junkie", "hq", "online", "zone", "spot", "base")
_TLDS = {".com": 55, ".net": 7, ".org": 7, ".co.uk": 6, ".de": 4, ".ca": 3, ".com.au": 3, ".io": 2, ".co": 2,
         ".info": 2, ".blog": 1, ".fr": 1, ".nl": 1, ".xyz": 2, ".top": 1, ".online": 1, ".site": 1, ".org.uk": 1}
_COUNTRIES = {"US": 50, "GB": 10, "DE": 7, "CA": 6, "AU": 4, "NL": 4, "FR": 4, "IN": 3, "SE": 2, "ES": 2, "IT": 2,
              "PL": 1, "BR": 1, "CN": 2, "RU": 1, "VN": 1}
_GENERIC = ("click here", "here", "website", "this site", "read more", "learn more", "visit website", "source",
            "this article", "link", "more info", "check it out", "homepage", "view", "via")
_TITLE_HEADS = ("Best", "Rain, Mud and", "Top 10", "How to Choose", "Review:", "The Ultimate Guide to",
                "Why I Switched to",
                "Buying Guide:", "Tested:", "Our Favourite", "Cheap", "Lightweight", "Budget", "A Week With",
                "Comparing", "Gear List:", "Beginner's Guide to", "What to Pack:", "Long-term Test:")
_TITLE_WORDS = ("Hiking Boots", "Trail Shoes", "Rain Jackets", "Tents", "Sleeping Bags", "Trekking Poles",
                "Backpacks", "Camping Stoves", "Headlamps", "Water Filters", "Base Layers", "Insulated Jackets",
                "Day Packs", "Camp Chairs", "Hammocks", "Gaiters", "Socks", "Gloves", "Sunglasses", "GPS Watches")
_SECTIONS = ("blog", "reviews", "news", "guides", "forum/threads", "gear", "articles", "2024", "2025", "resources",
             "links", "directory/outdoor", "posts", "stories", "p")
_PAGES = ("", "products/hiking-boots", "products/rain-jacket", "products/backpacking-tent", "products/sleeping-bag",
          "collections/sale", "blog/how-to-choose-hiking-boots", "blog/layering-guide", "about", "contact",
          "products/trekking-poles", "collections/new", "blog/best-camping-stoves", "pages/warranty", "gift-card")


@dataclass(frozen=True)
class Exports:
    """The generated files of one size, and what a workspace needs to know about them."""
    rows: int
    backlinks: str  # the latest Backlinks export (`rows` rows)
    backlinks_previous: str  # the same site a month earlier, for new/lost, history and trend
    referring_domains: str
    anchors: str
    gap: dict[str, str]  # domain -> Referring Domains export (GAP size each), own site first
    own_domain: str = OWN
    competitors: tuple[str, ...] = COMPETITORS
    data_date: str = TODAY.isoformat()
    previous_date: str = (TODAY - timedelta(days=30)).isoformat()


def _weighted(rng: np.random.Generator, weights: dict, size: int) -> np.ndarray:
    keys = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]


def domain_names(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` distinct, plausible domain names ('mistytrailnotes.co.uk', 'fox-guide.com')."""
    parts = (np.array(_A, dtype=object), np.array(_B, dtype=object), np.array(_C, dtype=object))
    tlds = np.array(list(_TLDS), dtype=object)
    p = np.array(list(_TLDS.values()), dtype=float)
    found: np.ndarray = np.empty(0, dtype=np.int64)
    while len(found) < count:
        draw = int((count - len(found)) * 1.3) + 64
        a, b, c = (rng.integers(0, len(x), draw) for x in parts)
        t = rng.choice(len(tlds), size=draw, p=p / p.sum())
        dash = rng.random(draw) < 0.15
        code = (((a * len(_B) + b) * len(_C) + c) * len(tlds) + t) * 2 + dash
        found = pd.unique(np.concatenate([found, code]))
        # The space holds ~2.9M names; past a third of it, a numeric suffix keeps draws mostly distinct.
    found = found[:count]
    dash, rest = found % 2, found // 2
    t, rest = rest % len(tlds), rest // len(tlds)
    c, rest = rest % len(_C), rest // len(_C)
    b, a = rest % len(_B), rest // len(_B)
    sep = np.where(dash == 1, "-", "").astype(object)
    c_part = parts[2][c]
    c_sep = np.where(c_part == "", "", sep).astype(object)
    return parts[0][a] + sep + parts[1][b] + c_sep + c_part + tlds[t]


def _ips(rng: np.random.Generator, n: int) -> np.ndarray:
    octets = rng.integers(1, 255, size=(n, 4)).astype(str).astype(object)
    return octets[:, 0] + "." + octets[:, 1] + "." + octets[:, 2] + "." + octets[:, 3]


def _dates(days: np.ndarray) -> np.ndarray:
    """ISO dates `days` days after TODAY (negative: before)."""
    return (np.datetime64(TODAY.isoformat(), "D") + days.astype("timedelta64[D]")).astype(str)


def _bools(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=bool)


def _csv_text(values) -> pa.Array:
    """One column as CSV cells: quoted only where needed (csv.QUOTE_MINIMAL, as lib.demo writes)."""
    array = pa.array(values)
    if pa.types.is_boolean(array.type):
        return pc.if_else(array, "true", "false")
    if not pa.types.is_string(array.type):
        return pc.cast(array, pa.string())
    needs = pc.match_substring_regex(array, '[",\r\n]')
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(array, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, array)


def _write(columns: dict, header: tuple[str, ...], path: Path) -> None:
    # Selecting by the declared header pins the format: a renamed column fails here, not in an import.
    cells = [_csv_text(columns[name]) for name in header]
    lines = pc.binary_join_element_wise(*cells, ",")
    # Semrush's CSV: UTF-8 with a BOM, comma-separated, "\n" line ends.
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + ",".join(header).encode() + b"\n")
        for start in range(0, len(lines), 200_000):
            chunk = lines.slice(start, 200_000).to_pylist()
            handle.write(("\n".join(chunk) + "\n").encode())
    tmp.replace(path)


def _links(rng: np.random.Generator, rows: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every link of the site seen over two exports a month apart, and its referring domains."""
    n_domains = max(50, rows // 10)  # real profiles: roughly ten backlinks per linking domain
    universe = int(rows * 1.04) + 10  # the extra 4% were live a month ago and are gone now
    domains = pd.DataFrame({"domain": domain_names(rng, n_domains)})
    domains["ascore"] = np.clip((100 * rng.beta(1.3, 4.0, n_domains)).astype(np.int64), 0, 100)
    domains["ip"] = _ips(rng, n_domains)
    domains["country"] = _weighted(rng, _COUNTRIES, n_domains)
    prefix = np.array(["", "www.", "blog.", "forum.", "news.", "shop."], dtype=object)
    domains["host"] = prefix[rng.choice(6, n_domains, p=[.55, .35, .04, .02, .02, .02])] + domains["domain"]
    # Links per domain are heavy-tailed: a few sitewide domains hold tens of thousands.
    weight = 1.0 / np.arange(1, n_domains + 1) ** 0.9
    dom = np.concatenate([np.arange(n_domains),
                          rng.choice(n_domains, universe - n_domains, p=weight / weight.sum())])
    rng.shuffle(dom)
    per_domain = np.bincount(dom, minlength=n_domains)
    n = universe
    i = np.arange(n)

    host = domains["host"].to_numpy()[dom]
    other_sub = rng.random(n) < 0.03
    host = np.where(other_sub, "m." + domains["domain"].to_numpy()[dom], host)
    scheme = np.where(rng.random(n) < 0.1, "http://", "https://").astype(object)
    sections = np.array(_SECTIONS, dtype=object)
    heads = np.array(_TITLE_HEADS, dtype=object)
    words = np.array(_TITLE_WORDS, dtype=object)
    h, w = rng.integers(0, len(heads), n), rng.integers(0, len(words), n)
    slug = pd.Series(heads[h] + " " + words[w]).str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True)
    source_url = (scheme + host + "/" + sections[rng.integers(0, len(sections), n)] + "/"
                  + slug.to_numpy(dtype=object) + "-" + i.astype(str).astype(object) + "/")
    # Real titles are not all ASCII: dashes and middle dots between title and site (about one in six here).
    separator = np.array([" | ", " \u2013 ", " \u2014 ", " \u00b7 "], dtype=object)[
        rng.choice(4, n, p=[.84, .08, .05, .03])]
    title = heads[h] + " " + words[w] + separator + domains["domain"].to_numpy()[dom]
    title = np.where(rng.random(n) < 0.02, "", title)

    n_pages = max(len(_PAGES), rows // 400)
    pages = np.array([*_PAGES, *(f"products/item-{k}" for k in range(len(_PAGES), n_pages))], dtype=object)
    page_weight = 1.0 / np.arange(1, n_pages + 1) ** 1.1
    target = rng.choice(n_pages, n, p=page_weight / page_weight.sum())
    target_host = np.where(rng.random(n) < 0.05, "https://www." + OWN + "/", "https://" + OWN + "/")
    target_url = target_host.astype(object) + pages[target]

    kind = rng.choice(7, n, p=[.22, .12, .14, .06, .10, .08, .28])
    anchor = np.empty(n, dtype=object)
    pick = lambda options, m: np.array(options, dtype=object)[rng.integers(0, len(options), int(m.sum()))]  # noqa: E731
    m = kind == 0
    anchor[m] = pick(("TrailForge", "trailforge", "Trail Forge", "TrailForge boots", "trail forge shop"), m)
    m = kind == 1
    anchor[m] = np.where(rng.random(int(m.sum())) < .5,
                         pick((OWN, "www." + OWN, "https://www." + OWN + "/"), m), target_url[m])
    anchor[kind == 2] = pick(_GENERIC, kind == 2)
    anchor[kind == 3] = pick(KEYWORDS, kind == 3)
    m = kind == 4
    anchor[m] = (pick(("best ", "cheap ", "waterproof ", "women's ", "women\u2019s ", "ultralight "), m)
                 + pick(KEYWORDS, m))
    anchor[kind == 5] = ""
    m = kind == 6  # the long tail: mostly one-off phrases
    anchor[m] = pick(_A, m) + " " + pick(_B, m) + " " + pd.Series(pick(_TITLE_WORDS, m)).str.lower().to_numpy(
        dtype=object)

    link_type = np.where(kind == 5, 1, rng.choice([0, 2, 3], n, p=[.99, .005, .005]))
    sitewide = (per_domain[dom] > 200) & (rng.random(n) < .7)
    ascore = domains["ascore"].to_numpy()[dom]
    first = -np.minimum(rng.exponential(320, n), 3 * 365).astype(np.int64)
    links = pd.DataFrame({
        "dom": dom, "source_url": source_url, "source_title": title, "target_url": target_url, "anchor": anchor,
        "page_ascore": np.clip(ascore + rng.normal(-4, 8, n).round().astype(np.int64), 0, 100),
        "external": np.where(rng.random(n) < .03, rng.integers(100, 600, n), rng.geometric(1 / 35, n)),
        "internal": rng.geometric(1 / 60, n),
        "nofollow": rng.random(n) < .22, "sponsored": rng.random(n) < .02, "ugc": rng.random(n) < .04,
        "text": link_type == 0, "image": link_type == 1, "frame": link_type == 2, "form": link_type == 3,
        "sitewide": sitewide, "first": first,
    })
    # Gone since last month: exactly universe - rows links that were already live then.
    old_enough = np.flatnonzero(first <= -30)
    gone = np.zeros(n, dtype=bool)
    gone[rng.choice(old_enough, universe - rows, replace=False)] = True
    links["gone"] = gone
    lost = ~gone & (rng.random(n) < .03)
    links["lost_now"] = lost
    links["last"] = np.where(lost, -rng.integers(1, 30, n), -rng.integers(0, 14, n))
    links["last"] = np.maximum(links["last"], first)
    domains["links"] = per_domain
    return links, domains


def _backlinks_columns(part: pd.DataFrame, new_after: int) -> dict:
    order = np.lexsort((part["source_url"].to_numpy(), -part["page_ascore"].to_numpy()))
    p = part.iloc[order]
    return {
        "Page ascore": p["page_ascore"].to_numpy(), "Source title": p["source_title"].to_numpy(),
        "Source url": p["source_url"].to_numpy(), "Target url": p["target_url"].to_numpy(),
        "Anchor": p["anchor"].to_numpy(), "External links": p["external"].to_numpy(),
        "Internal links": p["internal"].to_numpy(),
        **{label: _bools(p[col]) for label, col in (("Nofollow", "nofollow"), ("Sponsored", "sponsored"),
                                                    ("Ugc", "ugc"), ("Text", "text"), ("Frame", "frame"),
                                                    ("Form", "form"), ("Image", "image"), ("Sitewide", "sitewide"))},
        "First seen": _dates(p["first"].to_numpy()), "Last seen": _dates(p["last"].to_numpy()),
        "New link": _bools(p["first"].to_numpy() > new_after), "Lost link": _bools(p["lost"].to_numpy()),
    }


def _refdomain_columns(frame: pd.DataFrame) -> dict:
    order = np.lexsort((frame["domain"].to_numpy(), -frame["backlinks"].to_numpy(), -frame["ascore"].to_numpy()))
    d = frame.iloc[order]
    return {"Domain ascore": d["ascore"].to_numpy(), "Domain": d["domain"].to_numpy(),
            "Backlinks": d["backlinks"].to_numpy(), "IP": d["ip"].to_numpy(), "Country": d["country"].to_numpy(),
            "First seen": _dates(d["first"].to_numpy()), "Last seen": _dates(d["last"].to_numpy())}


def _gap_lists(rng: np.random.Generator, size: int) -> dict[str, pd.DataFrame]:
    """Referring domains of the site and four competitors, `size` each, overlapping as real niches do."""
    pool = int(size * 2.2)
    names = domain_names(rng, pool)
    ascore = np.clip((100 * rng.beta(1.3, 4.0, pool)).astype(np.int64), 0, 100)
    ips, countries = _ips(rng, pool), _weighted(rng, _COUNTRIES, pool)
    popularity = 1.0 / np.sqrt(np.arange(pool) + 50.0)
    lists = {}
    for site in (OWN, *COMPETITORS):
        # Weighted sampling without replacement (Efraimidis–Spirakis): popular domains link to most sites.
        keys = np.log(rng.random(pool)) / popularity
        chosen = np.argpartition(-keys, size - 1)[:size]
        first = -np.minimum(rng.exponential(500, size), 5 * 365).astype(np.int64)
        lists[site] = pd.DataFrame({
            "domain": names[chosen], "ascore": ascore[chosen], "backlinks": rng.geometric(1 / 8, size),
            "ip": ips[chosen], "country": countries[chosen], "first": first,
            "last": np.maximum(first, -rng.integers(0, 20, size))})
    return lists


def generate(rows: int, directory: Path, gap_domains: int | None = None, seed: int = 20_250_601) -> Exports:
    """Write every export of one size into `directory` (reused when already there); return their paths."""
    gap_domains = gap_domains or default_gap_domains(rows)
    directory = Path(directory).resolve() / f"{rows}-{gap_domains}-{seed}-v{DATA_VERSION}"
    manifest = directory / "manifest.json"
    if manifest.exists():  # written last: its presence means every file is complete
        return _exports(directory, json.loads(manifest.read_text()))
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    links, domains = _links(rng, rows)
    previous_day = TODAY - timedelta(days=30)
    paths = {
        "backlinks": directory / f"{OWN}-backlinks-{TODAY.isoformat()}.csv",
        "backlinks_previous": directory / f"{OWN}-backlinks-{previous_day.isoformat()}.csv",
        "referring_domains": directory / f"{OWN}-backlinks_refdomains-{TODAY.isoformat()}.csv",
        "anchors": directory / f"{OWN}-backlinks_anchors-{TODAY.isoformat()}.csv",
    }

    latest = links[~links["gone"].to_numpy()].assign(lost=lambda f: f["lost_now"])
    _write(_backlinks_columns(latest, -30), BACKLINKS_HEADER, paths["backlinks"])

    before = links[links["first"].to_numpy() <= -30].copy()
    n = len(before)
    before["last"] = np.maximum(before["first"], -30 - rng.integers(0, 14, n))
    before["lost"] = before["gone"].to_numpy() & (rng.random(n) < .5)
    _write(_backlinks_columns(before, -60), BACKLINKS_HEADER, paths["backlinks_previous"])

    per_domain = latest.groupby("dom", sort=True).agg(backlinks=("first", "size"), first=("first", "min"),
                                                      last=("last", "max"))
    per_domain = per_domain.join(domains[["domain", "ascore", "ip", "country"]])
    _write(_refdomain_columns(per_domain), REFDOMAINS_HEADER, paths["referring_domains"])

    anchors = latest.groupby("anchor", sort=False).agg(domains=("dom", "nunique"), backlinks=("dom", "size"),
                                                      first=("first", "min"), last=("last", "max")).reset_index()
    anchors = anchors.iloc[np.lexsort((anchors["anchor"].to_numpy(), -anchors["backlinks"].to_numpy(),
                                       -anchors["domains"].to_numpy()))]
    _write({"Anchor": anchors["anchor"].to_numpy(), "Domains": anchors["domains"].to_numpy(),
            "Backlinks": anchors["backlinks"].to_numpy(), "First seen": _dates(anchors["first"].to_numpy()),
            "Last seen": _dates(anchors["last"].to_numpy())}, ANCHORS_HEADER, paths["anchors"])

    gap = {}
    for site, frame in _gap_lists(rng, gap_domains).items():
        path = directory / f"{site}-gap-backlinks_refdomains-{TODAY.isoformat()}.csv"
        _write(_refdomain_columns(frame), REFDOMAINS_HEADER, path)
        gap[site] = str(path)
    names = {"rows": rows, "gap": {site: Path(p).name for site, p in gap.items()},
             **{k: v.name for k, v in paths.items()}}
    manifest.write_text(json.dumps(names, indent=1))
    return _exports(directory, names)


def _exports(directory: Path, names: dict) -> Exports:
    return Exports(rows=names["rows"], gap={site: str(directory / n) for site, n in names["gap"].items()},
                   **{k: str(directory / names[k]) for k in ("backlinks", "backlinks_previous",
                                                             "referring_domains", "anchors")})


def default_gap_domains(rows: int) -> int:
    """The issue's 200,000 referring domains per gap site on the million-row file; proportionally less below."""
    return max(500, min(GAP_DOMAINS, rows // 5))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write Semrush-format exports for the benchmark.")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--gap-domains", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "data")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    exports = generate(args.rows, args.out, args.gap_domains)
    print(json.dumps(asdict(exports), indent=1))
    print(f"# {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
