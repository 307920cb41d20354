"""Anchor profile: per-anchor table, distribution by backlinks and by sites, over-optimisation, drill-down."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.analysis.anchor_profile import (DEFAULT_THRESHOLD, domains_using, over_optimisation,
                                         profile_from_backlinks, profile_from_export)
from lib.analysis.anchors import AnchorContext

DATA_DATE = date(2026, 10, 31)
T = pd.Timestamp
CONTEXT = AnchorContext(own_domain="brewlab.com", brand_terms=("brew lab",), target_keywords=("espresso grinder",))


def backlinks() -> pd.DataFrame:
    rows = [
        # domain, anchor, page_ascore, first_seen, last_seen, lost_link
        ("a.com", "Brew Lab", 40, T("2026-01-01"), T("2026-10-30"), False),
        ("a.com", "espresso grinder", 35, T("2026-02-01"), T("2026-10-30"), False),
        ("a.com", "espresso grinder", 20, T("2026-03-01"), T("2026-10-30"), False),
        ("b.com", " espresso grinder ", 50, T("2026-04-01"), T("2026-10-29"), False),
        ("b.com", "click here", 50, T("2026-04-02"), T("2026-10-29"), False),
        ("c.com", "https://brewlab.com", 10, T("2026-05-01"), T("2026-10-28"), False),
        ("d.com", "", 5, T("2026-06-01"), T("2026-10-28"), False),
        ("e.com", "best grinder for espresso", 15, T("2026-07-01"), T("2026-10-27"), False),
        ("f.com", "espresso grinder", 60, T("2026-07-01"), T("2026-10-20"), True),  # lost: not counted
    ]
    frame = pd.DataFrame(rows, columns=["source_domain", "anchor", "page_ascore", "first_seen", "last_seen",
                                        "lost_link"])
    frame["source_url"] = "https://" + frame["source_domain"] + "/" + frame.index.astype("str")
    return frame.astype({"source_domain": "str", "anchor": "str", "source_url": "str", "page_ascore": "Int64"})


def test_anchor_table_from_backlinks():
    profile = profile_from_backlinks(backlinks(), CONTEXT, DATA_DATE)
    table = profile.anchors
    assert table[["anchor", "category", "backlinks", "domains"]].values.tolist() == [
        ["espresso grinder", "exact_match", 3, 2],
        ["", "empty", 1, 1],
        ["Brew Lab", "brand", 1, 1],
        ["best grinder for espresso", "partial_match", 1, 1],
        ["click here", "generic", 1, 1],
        ["https://brewlab.com", "naked_url", 1, 1],
    ]
    assert table.loc[0, "label"] == "Exact-match keyword"
    assert (table.loc[0, "first_seen"], table.loc[0, "last_seen"]) == (T("2026-02-01"), T("2026-10-30"))
    assert (profile.total_backlinks, profile.total_domains, profile.keyword_domains, profile.basis) == (
        8, 5, 3, "backlinks")


def test_distribution_by_backlinks_and_by_sites():
    dist = profile_from_backlinks(backlinks(), CONTEXT, DATA_DATE).distribution.set_index("category")
    assert dist["backlinks"].to_dict() == {"brand": 1, "naked_url": 1, "exact_match": 3, "partial_match": 1,
                                           "generic": 1, "empty": 1, "other": 0}
    # sites: a.com uses brand + exact, b.com exact + generic -> each counted once per type
    assert dist["domains"].to_dict() == {"brand": 1, "naked_url": 1, "exact_match": 2, "partial_match": 1,
                                         "generic": 1, "empty": 1, "other": 0}
    assert dist.loc["exact_match", "backlinks_share"] == 3 / 8
    assert dist.loc["exact_match", "domains_share"] == 2 / 5


def test_over_optimisation_from_backlinks():
    profile = profile_from_backlinks(backlinks(), CONTEXT, DATA_DATE)
    verdict = over_optimisation(profile)
    assert verdict.threshold == DEFAULT_THRESHOLD == 0.2
    assert (verdict.keyword_domains, verdict.total_domains, verdict.share) == (3, 5, 0.6)
    assert verdict.exceeded
    assert verdict.sentence().startswith(
        "60% of the sites linking to you (3 of 5) use your keywords as anchor text, above your 20% limit.")
    relaxed = over_optimisation(profile, 0.6)
    assert not relaxed.exceeded  # equal to the limit is still within it
    assert "within your 60% limit" in relaxed.sentence()


def test_no_keywords_means_no_keyword_anchors():
    profile = profile_from_backlinks(backlinks(), AnchorContext(own_domain="brewlab.com"), DATA_DATE)
    assert profile.keyword_domains == 0
    assert not over_optimisation(profile).exceeded


def test_profile_from_anchors_export():
    export = pd.DataFrame({
        "anchor": ["brew lab", "espresso grinder", "espresso grinder ", "click here", "grinder for espresso"],
        "domains": pd.array([10, 4, 1, 3, 2], dtype="Int64"),
        "backlinks": pd.array([30, 8, 1, 3, None], dtype="Int64"),
    }).astype({"anchor": "str"})
    profile = profile_from_export(export, CONTEXT)
    assert profile.anchors[["anchor", "category", "backlinks", "domains"]].values.tolist() == [
        ["brew lab", "brand", 30, 10], ["espresso grinder", "exact_match", 9, 5], ["click here", "generic", 3, 3],
        ["grinder for espresso", "partial_match", 0, 2]]
    assert (profile.total_backlinks, profile.total_domains, profile.keyword_domains, profile.basis) == (
        42, 20, 7, "anchors")
    dist = profile.distribution.set_index("category")
    assert dist.loc["brand", "domains_share"] == 0.5
    assert over_optimisation(profile).share == pytest.approx(0.35)


def test_empty_profiles():
    profile = profile_from_backlinks(backlinks().iloc[0:0], CONTEXT, DATA_DATE)
    assert profile.anchors.empty and profile.total_domains == 0
    assert profile.distribution["backlinks"].sum() == 0
    verdict = over_optimisation(profile)
    assert not verdict.exceeded and verdict.sentence() == "No anchors to judge yet."


def test_domains_using_an_anchor():
    used = domains_using(backlinks(), "espresso grinder", DATA_DATE)
    assert used[["domain", "backlinks", "best_page_ascore", "best_page_url"]].values.tolist() == [
        ["a.com", 2, 35, "https://a.com/1"], ["b.com", 1, 50, "https://b.com/3"]]
    assert used.loc[0, "first_seen"] == T("2026-02-01")
    assert domains_using(backlinks(), "nobody uses this", DATA_DATE).empty


def test_missing_anchors_count_as_empty_and_only_live_links_name_anchors_and_sites():
    frame = backlinks()
    frame.loc[6, "anchor"] = None  # d.com: a missing anchor is the empty text
    frame.loc[8, "anchor"] = "only on a lost link"
    extra = frame.iloc[[0]].assign(source_domain="g.com", anchor="  ", lost_link=False)  # spaces only: empty too
    profile = profile_from_backlinks(pd.concat([frame, extra], ignore_index=True), CONTEXT, DATA_DATE)
    table = profile.anchors.set_index("anchor")
    assert "only on a lost link" not in table.index
    assert table.loc["", ["category", "backlinks", "domains"]].tolist() == ["empty", 2, 2]
    assert table.loc["espresso grinder", ["backlinks", "domains"]].tolist() == [3, 2]
    assert profile.total_backlinks == 9 and profile.total_domains == 6  # f.com's only link is lost
    assert profile.distribution.set_index("category").loc["empty", ["backlinks", "domains"]].tolist() == [2, 2]
