"""The demo workspace's exports: deterministic, in Semrush's real format, with the patterns the pages need."""

from datetime import date

import pandas as pd
import pytest

from lib.demo import BACKLINKS_HEADER, DEMO_SITE, write_demo_exports
from lib.readers import read_export

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return write_demo_exports(tmp_path_factory.mktemp("demo"), TODAY)


def frames(files, kind):
    return [(f, pd.read_csv(f.path, encoding="utf-8-sig", dtype=str, keep_default_na=False))
            for f in files if f.kind == kind]


def test_same_day_gives_byte_identical_files(demo_files, tmp_path):
    again = write_demo_exports(tmp_path, TODAY)
    assert [f.path.name for f in again] == [f.path.name for f in demo_files]
    for first, second in zip(demo_files, again):
        assert first.path.read_bytes() == second.path.read_bytes(), first.path.name


def test_every_file_reads_as_its_kind_with_nothing_rejected(demo_files):
    for demo_file in demo_files:
        [table] = read_export(demo_file.path.read_bytes(), demo_file.path.name)
        assert table.normalized.kind.name == demo_file.kind
        assert table.normalized.problems.rejected_total == 0
        assert table.normalized.problems.unreadable_total == 0
        assert table.encoding == "utf-8-sig" and table.delimiter == ","


def test_backlinks_exports_have_semrush_headers_and_grow_month_by_month(demo_files):
    backlinks = frames(demo_files, "backlinks")
    assert [f.data_date for f, _ in backlinks] == [date(2026, 8, 25), date(2026, 9, 25), date(2026, 10, 25), TODAY]
    sizes = [len(frame) for _, frame in backlinks]
    assert sizes == sorted(sizes) and 22_000 <= sizes[-1] <= 30_000
    latest = backlinks[-1][1]
    assert list(latest.columns) == BACKLINKS_HEADER
    for column in ("Nofollow", "Sitewide", "New link", "Lost link", "Image"):
        assert set(latest[column]) <= {"true", "false"}
    assert latest["First seen"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    lost_strong = latest[(latest["Lost link"] == "true") & (latest["Page ascore"].astype(int) >= 50)]
    assert len(lost_strong) >= 3
    assert (latest["New link"] == "true").sum() > 100


def test_referring_domains_match_the_backlinks(demo_files):
    [(_, refdomains)] = [(f, d) for f, d in frames(demo_files, "referring_domains") if f.target_domain ==
                         DEMO_SITE.own_domain]
    [(_, latest)] = frames(demo_files, "backlinks")[-1:]
    hosts = latest["Source url"].str.replace(r"^https?://(www\.)?", "", regex=True).str.split("/").str[0]
    per_domain = hosts.value_counts()
    assert 1_800 <= len(refdomains) <= 2_200
    assert set(refdomains["Domain"]) == set(per_domain.index)
    sample = refdomains.head(50)
    assert (sample["Backlinks"].astype(int).to_numpy() == per_domain[sample["Domain"]].to_numpy()).all()


def test_a_link_network_sits_on_one_subnet_with_low_authority(demo_files):
    [(_, refdomains)] = [(f, d) for f, d in frames(demo_files, "referring_domains") if f.target_domain ==
                         DEMO_SITE.own_domain]
    subnet = refdomains["IP"].str.rsplit(".", n=1).str[0]
    biggest = subnet.value_counts().index[0]
    network = refdomains[subnet == biggest]
    assert len(network) >= 20
    assert network["Domain ascore"].astype(int).max() <= 5


def test_gap_domains_link_to_competitors_but_not_the_site(demo_files):
    [(_, gap)] = frames(demo_files, "gap")
    assert list(gap.columns[:3]) == ["Domain", "Domain ascore", "Matches"]
    assert list(gap.columns[3:]) == [DEMO_SITE.own_domain, *DEMO_SITE.competitors]
    counts = gap[list(DEMO_SITE.competitors)].astype(int)
    opportunities = gap[(gap[DEMO_SITE.own_domain].astype(int) == 0) & ((counts > 0).sum(axis=1) >= 2)]
    assert len(opportunities) >= 100
    assert (gap["Matches"].astype(int) == (gap[list(gap.columns[3:])].astype(int) > 0).sum(axis=1)).all()


def test_audit_and_pages_exports(demo_files):
    [(_, audit)] = frames(demo_files, "audit")
    assert {"Source url", "Toxicity Score", "Toxic markers", "Status"} <= set(audit.columns)
    assert (audit["Toxicity Score"].astype(int) >= 70).sum() >= 25
    [(_, pages)] = frames(demo_files, "indexed_pages")
    assert set(pages["Response code"]) == {"200", "404"}
