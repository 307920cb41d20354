"""The demo's exports: deterministic, Semrush's format, consistent with each other, with the patterns pages need."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from lib import domains
from lib.demo import (
    AUDIT_HEADER, BACKLINKS_HEADER, DEMO_SITE, NETWORK_SUBNET, REFDOMAINS_HEADER, DemoFile, gap_header,
    write_demo_exports,
)

TODAY = date(2026, 11, 25)
OWN = DEMO_SITE.own_domain


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> list[DemoFile]:
    return write_demo_exports(tmp_path_factory.mktemp("demo"), TODAY)


def read(demo_file: DemoFile) -> pd.DataFrame:
    return pd.read_csv(demo_file.path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def only(files: list[DemoFile], kind: str, target: str = OWN) -> pd.DataFrame:
    [match] = [f for f in files if f.kind == kind and f.target_domain == target]
    return read(match)


def backlinks(files: list[DemoFile]) -> list[tuple[DemoFile, pd.DataFrame]]:
    return [(f, read(f)) for f in files if f.kind == "backlinks"]


def with_domain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(domain=domains.registrable_domains(domains.hosts(frame["Source url"])).to_numpy())


def test_site_description():
    assert DEMO_SITE.own_domain == "alpinebrew.com" and len(DEMO_SITE.competitors) == 4
    assert OWN not in DEMO_SITE.competitors and len(set(DEMO_SITE.competitors)) == 4
    assert {"alpine brew", "alpinebrew"} <= set(DEMO_SITE.brand_terms)
    assert {"coffee grinder", "burr grinder", "pour over", "espresso machine"} <= set(DEMO_SITE.target_keywords)


def test_same_day_gives_byte_identical_files(demo_files, tmp_path):
    again = write_demo_exports(tmp_path, TODAY)
    assert [f.path.name for f in again] == [f.path.name for f in demo_files]
    for first, second in zip(demo_files, again):
        assert (first.kind, first.target_domain, first.data_date) == (second.kind, second.target_domain,
                                                                      second.data_date)
        assert first.path.read_bytes() == second.path.read_bytes(), first.path.name


def test_file_list_names_and_kinds(demo_files):
    listed = [(f.path.name, f.kind, f.target_domain, f.data_date) for f in demo_files]
    assert listed[:4] == [(f"{OWN}-backlinks-{day}.csv", "backlinks", OWN, day) for day in
                          (date(2026, 8, 25), date(2026, 9, 25), date(2026, 10, 25), TODAY)]
    assert listed[4:] == [
        (f"{OWN}-backlinks_refdomains.csv", "referring_domains", OWN, TODAY),
        *[(f"{c}-backlinks_refdomains.csv", "referring_domains", c, TODAY) for c in DEMO_SITE.competitors],
        (f"{OWN}-backlinks_anchors.csv", "anchors", OWN, TODAY),
        (f"{OWN}-backlinks_pages.csv", "indexed_pages", OWN, TODAY),
        (f"{OWN}-backlink_audit.csv", "audit", OWN, TODAY),
        (f"{OWN}-backlink_gap.csv", "gap", OWN, TODAY),
    ]
    assert all(f.path.exists() for f in demo_files)


def test_month_end_snapshots_fall_on_the_last_day_of_shorter_months(tmp_path):
    files = write_demo_exports(tmp_path, date(2026, 10, 31))
    assert [f.data_date for f in files if f.kind == "backlinks"] == [
        date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]
    assert {f.data_date for f in files if f.kind != "backlinks"} == {date(2026, 10, 31)}


def test_files_are_semrush_csv_with_exact_headers(demo_files):
    expected = {
        "backlinks": ",".join(BACKLINKS_HEADER),
        "referring_domains": ",".join(REFDOMAINS_HEADER),
        "anchors": "Anchor,Domains,Backlinks,First seen,Last seen",
        "indexed_pages": "Title,Url,Domains,Backlinks,Response code",
        "audit": ",".join(f'"{h}"' for h in AUDIT_HEADER),  # every text cell quoted: markers hold "; "
        "gap": ",".join(gap_header()),
    }
    assert BACKLINKS_HEADER == (
        "Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links", "Internal links",
        "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image", "Sitewide", "First seen", "Last seen",
        "New link", "Lost link")
    assert gap_header() == ("Domain", "Domain ascore", "Matches", OWN, *DEMO_SITE.competitors)
    for demo_file in demo_files:
        raw = demo_file.path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), demo_file.path.name
        assert b"\r" not in raw
        header = raw[3:].split(b"\n", 1)[0].decode("utf-8")
        assert header == expected[demo_file.kind], demo_file.path.name
        raw.decode("utf-8")


def test_values_parse_as_semrush_writes_them(demo_files):
    iso = r"\d{4}-\d{2}-\d{2}"
    flags = ("Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image", "Sitewide", "New link", "Lost link")
    for demo_file in demo_files:
        frame = read(demo_file)
        for column in frame.columns:
            if column in ("First seen", "Last seen"):
                assert frame[column].str.fullmatch(iso).all(), (demo_file.path.name, column)
                assert pd.to_datetime(frame[column], format="%Y-%m-%d").notna().all()
            elif column in flags:
                assert set(frame[column]) <= {"true", "false"}, (demo_file.path.name, column)
            elif column in ("Page ascore", "Domain ascore", "Toxicity Score"):
                values = frame[column].astype(int)
                assert values.between(0, 100).all(), (demo_file.path.name, column)
            elif column in ("Backlinks", "Domains", "External links", "Internal links", "Matches",
                            "Response code", OWN, *DEMO_SITE.competitors):
                assert frame[column].str.fullmatch(r"\d+").all(), (demo_file.path.name, column)
    latest = backlinks(demo_files)[-1][1]
    link_type = latest[["Text", "Frame", "Form", "Image"]].eq("true")
    assert (link_type.sum(axis=1) == 1).all()
    images = latest["Image"] == "true"
    assert images.any() and (latest.loc[images, "Anchor"] == "").all()
    assert (latest.loc[~images, "Anchor"] != "").all()


def test_backlinks_snapshots_grow_and_hold_the_state_at_their_date(demo_files):
    snapshots = backlinks(demo_files)
    sizes = [len(frame) for _, frame in snapshots]
    assert 22_000 <= sizes[-1] <= 28_000
    assert sizes == sorted(sizes) and len(set(sizes)) == 4
    assert 1.1 <= sizes[-1] / sizes[0] <= 1.8  # three months of an 18-month profile growing towards today
    for demo_file, frame in snapshots:
        day = demo_file.data_date
        first = pd.to_datetime(frame["First seen"]).dt.date
        last = pd.to_datetime(frame["Last seen"]).dt.date
        assert (first <= day).all() and (last <= day).all() and (last >= first).all()
        assert not frame.duplicated(["Source url", "Target url"]).any()
        new = frame["New link"] == "true"
        assert new.sum() > 100
        assert (new == (first > day - timedelta(days=30))).all()
        lost = frame["Lost link"] == "true"
        assert lost.sum() > 50
        assert (last[lost] > day - timedelta(days=30)).all()
        assert (last[lost] < day).all()
        assert not (new & lost).any()
        assert (domains.registrable_domains(domains.hosts(frame["Target url"])) == OWN).all()
    oldest_start = pd.to_datetime(snapshots[-1][1]["First seen"]).min().date()
    assert TODAY - timedelta(days=560) <= oldest_start <= TODAY - timedelta(days=500)


def test_links_persist_from_one_snapshot_to_the_next(demo_files):
    (_, previous), (_, latest) = backlinks(demo_files)[-2:]
    key = ["Source url", "Target url"]
    merged = previous.merge(latest, on=key, how="left", suffixes=("", "_now"), indicator=True)
    gone = merged["_merge"] == "left_only"
    # A link leaves the export a month after it was last seen; most were reported lost before that.
    assert gone.sum() > 50
    assert (pd.to_datetime(merged.loc[gone, "Last seen"]) <= pd.Timestamp(TODAY - timedelta(days=30))).all()
    assert (merged.loc[gone, "Lost link"] == "true").mean() > 0.9
    kept = merged[~gone]
    assert (kept["First seen"] == kept["First seen_now"]).all()
    assert (kept["Anchor"] == kept["Anchor_now"]).all()


def test_referring_domains_match_the_latest_backlinks(demo_files):
    refdomains = only(demo_files, "referring_domains")
    assert list(refdomains.columns) == list(REFDOMAINS_HEADER)
    assert 1_800 <= len(refdomains) <= 2_200
    assert refdomains["Domain"].is_unique
    latest = with_domain(backlinks(demo_files)[-1][1])
    per_domain = latest.groupby("domain").agg(n=("domain", "size"), first=("First seen", "min"),
                                              last=("Last seen", "max"))
    joined = refdomains.set_index("Domain").join(per_domain, how="outer")
    assert joined.notna().all().all(), "the same domains on both sides"
    assert (joined["Backlinks"].astype(int) == joined["n"]).all()
    assert (joined["First seen"] == joined["first"]).all() and (joined["Last seen"] == joined["last"]).all()
    assert refdomains["IP"].str.fullmatch(r"\d{1,3}(\.\d{1,3}){3}").all()
    countries = refdomains["Country"].value_counts()
    assert countries.index[0] == "US" and {"GB", "DE", "CA", "AU"} <= set(countries.index)


def test_competitors_have_their_own_overlapping_profiles(demo_files):
    own = set(only(demo_files, "referring_domains")["Domain"])
    info = {}
    sets = {}
    for competitor in DEMO_SITE.competitors:
        frame = only(demo_files, "referring_domains", competitor)
        assert list(frame.columns) == list(REFDOMAINS_HEADER)
        assert 1_000 <= len(frame) <= 2_500 and frame["Domain"].is_unique
        sets[competitor] = set(frame["Domain"])
        for row in frame[["Domain", "Domain ascore", "IP", "Country"]].itertuples(index=False):
            assert info.setdefault(row[0], row[1:]) == row[1:], "a domain looks the same in every export"
        assert 0.2 <= len(sets[competitor] & own) / len(sets[competitor]) <= 0.7
    first, *others = sets.values()
    assert all(first & other for other in others)


def test_a_link_network_on_one_subnet(demo_files):
    refdomains = only(demo_files, "referring_domains")
    subnet = refdomains["IP"].str.rsplit(".", n=1).str[0]
    network = refdomains[subnet == NETWORK_SUBNET]
    assert len(network) >= 20
    assert network["Domain ascore"].astype(int).max() <= 5
    assert network["IP"].nunique() <= 5  # a few shared addresses
    assert network["Domain"].str.fullmatch(r"[a-z0-9-]+-[a-z0-9-]+\.(xyz|top|click|buzz)").all()
    assert (subnet.value_counts().drop(NETWORK_SUBNET) < 10).all(), "no honest subnet looks like a network"
    latest = with_domain(backlinks(demo_files)[-1][1])
    links = latest[latest["domain"].isin(network["Domain"])]
    assert (links["External links"].astype(int) >= 150).all()
    first = pd.to_datetime(links["First seen"])
    assert (first.max() - first.min()).days <= 7, "the network appeared within one week"
    keywords = tuple(DEMO_SITE.target_keywords)
    money = links["Anchor"].str.lower().map(lambda a: any(k in a for k in keywords))
    assert money.mean() > 0.95


def test_lost_links_from_strong_domains_and_new_links(demo_files):
    refdomains = only(demo_files, "referring_domains").set_index("Domain")
    latest = with_domain(backlinks(demo_files)[-1][1])
    latest["ascore"] = latest["domain"].map(refdomains["Domain ascore"].astype(int))
    strong_lost = latest[(latest["Lost link"] == "true") & (latest["ascore"] >= 60)]
    assert strong_lost["domain"].nunique() >= 5
    assert (strong_lost["Target url"].str.replace(r"^https?://[^/]+", "", regex=True) != "/").any()
    new = latest[latest["New link"] == "true"]
    assert 300 <= len(new) <= 0.15 * len(latest)
    nofollow = (latest["Nofollow"] == "true").mean()
    assert 0.18 <= nofollow <= 0.35
    assert (latest["Sponsored"] == "true").any() and (latest["Ugc"] == "true").any()


def test_anchors_match_the_latest_backlinks(demo_files):
    anchors = only(demo_files, "anchors")
    latest = with_domain(backlinks(demo_files)[-1][1])
    expected = latest.groupby("Anchor").agg(domains=("domain", "nunique"), n=("domain", "size"),
                                            first=("First seen", "min"), last=("Last seen", "max"))
    got = anchors.set_index("Anchor")
    assert set(got.index) == set(expected.index)
    joined = got.join(expected)
    assert (joined["Domains"].astype(int) == joined["domains"]).all()
    assert (joined["Backlinks"].astype(int) == joined["n"]).all()
    assert (joined["First seen"] == joined["first"]).all() and (joined["Last seen"] == joined["last"]).all()
    anchor_set = set(anchors["Anchor"])
    assert {"Alpine Brew", "alpinebrew.com", "https://alpinebrew.com/", "click here", "coffee grinder", ""} \
        <= anchor_set


def test_indexed_pages_include_broken_pages_that_still_get_links(demo_files):
    pages = only(demo_files, "indexed_pages")
    latest = with_domain(backlinks(demo_files)[-1][1])
    expected = latest.groupby("Target url").agg(domains=("domain", "nunique"), n=("domain", "size"))
    joined = pages.set_index("Url").join(expected, how="outer")
    assert joined.notna().all().all()
    assert (joined["Domains"].astype(int) == joined["domains"]).all()
    assert (joined["Backlinks"].astype(int) == joined["n"]).all()
    broken = pages[pages["Response code"] == "404"]
    assert len(broken) >= 2 and (broken["Domains"].astype(int) > 10).all()
    assert set(pages["Response code"]) <= {"200", "301", "404"}
    assert (pages.loc[pages["Response code"] == "200", "Title"] != "").all()


def test_audit_covers_all_spam_with_toxicity_markers_and_a_few_decisions(demo_files):
    audit = only(demo_files, "audit")
    assert tuple(audit.columns) == AUDIT_HEADER
    assert 2_500 <= len(audit) <= 3_500
    latest = with_domain(backlinks(demo_files)[-1][1])
    assert set(audit["Source url"]) <= set(latest["Source url"])
    network_links = latest.loc[latest["Source url"].str.contains(r"\.(?:xyz|top|click|buzz)/", regex=True),
                               "Source url"]
    assert set(network_links) <= set(audit["Source url"])
    audit = with_domain(audit)
    assert audit.groupby("domain").size().max() <= 500  # Semrush audits at most 500 links per domain
    score = audit["Toxicity Score"].astype(int)
    network = audit["Toxic markers"].str.contains("Link network")
    assert network.sum() >= 500 and (score[network] >= 70).all()
    assert audit.loc[network, "Toxic markers"].str.contains("; Low Authority Score; Spammy TLD").all()
    assert score[~network].median() < 40
    status = audit["Status"].value_counts()
    assert set(status.index) == {"", "whitelist", "remove", "disavow"}
    assert status[""] / len(audit) > 0.9


def test_gap_matches_the_referring_domain_exports(demo_files):
    gap = only(demo_files, "gap")
    compared = [OWN, *DEMO_SITE.competitors]
    assert tuple(gap.columns) == gap_header() and gap["Domain"].is_unique
    counts = gap.set_index("Domain")[compared].astype(int)
    for target in compared:
        refdomains = only(demo_files, "referring_domains", target).set_index("Domain")["Backlinks"].astype(int)
        linking = counts[target][counts[target] > 0]
        assert linking.sort_index().equals(refdomains.sort_index().rename(target)), target
    assert (gap["Matches"].astype(int).to_numpy() == (counts > 0).sum(axis=1).to_numpy()).all()
    competitors = counts[list(DEMO_SITE.competitors)]
    opportunities = counts[(counts[OWN] == 0) & ((competitors > 0).sum(axis=1) >= 2)]
    assert len(opportunities) >= 100
    # Opportunities are relevant sites, not spam.
    assert not opportunities.index.str.contains(r"\.(?:xyz|top|click|buzz|icu)$", regex=True).any()


def test_every_file_reads_as_its_kind_with_nothing_rejected(demo_files):
    from lib.readers import read_export

    for demo_file in demo_files:
        [table] = read_export(demo_file.path.read_bytes(), demo_file.path.name)
        normalized = table.normalized
        assert normalized.kind.name == demo_file.kind, demo_file.path.name
        assert normalized.problems.rejected_total == 0, demo_file.path.name
        assert normalized.problems.unreadable_total == 0, demo_file.path.name
        assert table.encoding == "utf-8-sig" and table.delimiter == ",", demo_file.path.name
        rows = len(read(demo_file))
        expected = rows * 5 if demo_file.kind == "gap" else rows  # gap files melt to one row per domain
        assert len(normalized.frame) == expected, demo_file.path.name
