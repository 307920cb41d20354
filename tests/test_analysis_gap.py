"""Backlink gap: Semrush's categories on a hand-made five-domain fixture, read through the real export readers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import gap as g
from lib.readers import read_export

YOU, COMPETITORS = "you.com", ("a.com", "b.com", "c.com", "d.com")
# referring domain: Authority Score, backlinks to you, a, b, c, d
FIXTURE = {
    "all4.com": (40, 0, 1, 2, 1, 3),
    "three.com": (30, 0, 1, 1, 1, 0),
    "onlya.com": (10, 0, 5, 0, 0, 0),
    "onlyyou.com": (55, 4, 0, 0, 0, 0),
    "everyone.com": (70, 3, 3, 3, 3, 3),
    "everyweak.com": (65, 1, 2, 1, 1, 1),
    "weakpair.com": (20, 1, 4, 0, 0, 0),
    "strongerpair.com": (25, 6, 2, 0, 0, 0),
    "equal.com": (90, 2, 0, 2, 0, 0),
}
EXPECTED = {
    "best": {"all4.com"},
    "weak": {"everyweak.com", "weakpair.com"},
    "strong": {"onlyyou.com"},
    "shared": {"everyone.com", "everyweak.com"},
    "unique": {"onlya.com", "onlyyou.com"},
    "opportunity": {"all4.com", "three.com", "onlya.com"},
}


def export_long() -> pd.DataFrame:
    """The fixture as a Semrush Backlink Gap export (one backlinks column per compared domain)."""
    lines = ["Domain,Domain ascore,Matches," + ",".join((YOU, *COMPETITORS))]
    for domain, (ascore, *links) in FIXTURE.items():
        lines.append(",".join([domain, str(ascore), str(sum(n > 0 for n in links)), *map(str, links)]))
    [file] = read_export("\n".join(lines).encode(), "you.com-backlink_gap.csv")
    assert file.normalized.kind.name == "gap"
    return file.normalized.frame


def refdomain_frames() -> dict[str, pd.DataFrame]:
    """The same fixture as five Referring Domains exports, one per compared domain."""
    frames = {}
    for i, name in enumerate((YOU, *COMPETITORS)):
        lines = ["Domain ascore,Domain,Backlinks,IP,Country,First seen,Last seen"]
        for domain, (ascore, *links) in FIXTURE.items():
            if links[i]:
                lines.append(f"{ascore},{domain},{links[i]},,US,2024-01-01,2024-05-01")
        [file] = read_export("\n".join(lines).encode(), f"{name}-backlinks_refdomains.csv")
        assert file.normalized.kind.name == "referring_domains"
        frames[name] = file.normalized.frame
    return frames


def members(frame: pd.DataFrame, code: str) -> set[str]:
    return set(frame.loc[frame[code], "domain"])


@pytest.fixture(params=["export", "referring_domains"])
def gap(request) -> g.Gap:
    if request.param == "export":
        return g.gap_from_export(export_long(), YOU, COMPETITORS)
    return g.gap_from_referring_domains(refdomain_frames(), YOU, COMPETITORS)


@pytest.mark.parametrize("code", g.CATEGORY_CODES)
def test_every_category_is_the_exact_expected_set(gap, code):
    assert members(gap.frame, code) == EXPECTED[code]


def test_canonical_columns(gap):
    frame = gap.frame.set_index("domain")
    assert gap.domains == (YOU, *COMPETITORS)
    assert gap.column_labels["backlinks_you"] == "you.com (you)"
    assert gap.column_labels["backlinks_c4"] == "d.com"
    assert frame.loc["all4.com", ["backlinks_you", "backlinks_c1", "backlinks_c2", "backlinks_c3",
                                  "backlinks_c4"]].tolist() == [0, 1, 2, 1, 3]
    assert frame.loc["all4.com", "competitors_linked"] == 4
    assert frame.loc["all4.com", "competitor_backlinks"] == 7
    assert frame.loc["weakpair.com", "competitors_linked"] == 1
    assert not frame.loc["all4.com", "links_to_you"] and frame.loc["equal.com", "links_to_you"]
    assert frame["domain_ascore"].dtype == "Int64"
    assert frame.loc["equal.com", "domain_ascore"] == 90
    assert frame.loc["everyweak.com", "categories"] == "Weak, Shared"
    assert frame.loc["onlyyou.com", "categories"] == "Strong, Unique"
    assert frame.loc["strongerpair.com", "categories"] == ""
    assert len(frame) == len(FIXTURE)


def test_export_and_referring_domains_give_the_same_gap():
    by_export = g.gap_from_export(export_long(), YOU, COMPETITORS).frame.set_index("domain").sort_index()
    by_refs = g.gap_from_referring_domains(refdomain_frames(), YOU, COMPETITORS).frame.set_index("domain")
    by_refs = by_refs.sort_index()
    columns = ["backlinks_you", "backlinks_c1", "backlinks_c2", "backlinks_c3", "backlinks_c4", "domain_ascore",
               "competitors_linked", "categories", *g.CATEGORY_CODES]
    pd.testing.assert_frame_equal(by_export[columns], by_refs[columns])


def test_the_export_decides_which_domain_is_yours_and_notes_other_competitors():
    gap = g.gap_from_export(export_long(), "other.com", ("a.com", "z.com"))
    assert gap.you == YOU  # Semrush puts the analysed domain first
    assert gap.competitors == ("a.com", "b.com", "c.com", "d.com")
    assert len(gap.notes) == 2 and "other.com" in gap.notes[0] and "not exactly" in gap.notes[1]


def test_a_missing_competitor_list_is_left_out_and_said():
    frames = refdomain_frames()
    frames["d.com"] = None
    gap = g.gap_from_referring_domains(frames, YOU, COMPETITORS)
    assert gap.competitors == ("a.com", "b.com", "c.com")
    assert "d.com" in gap.notes[0]
    # three competitors now: all4 and three both link to all of them
    assert members(gap.frame, "best") == {"all4.com", "three.com"}


def test_no_data_of_your_domain_or_of_any_competitor_is_an_error():
    frames = refdomain_frames()
    with pytest.raises(g.GapError, match="your domain you.com"):
        g.gap_from_referring_domains({**frames, YOU: None}, YOU, COMPETITORS)
    with pytest.raises(g.GapError, match="any competitor"):
        g.gap_from_referring_domains({YOU: frames[YOU]}, YOU, COMPETITORS)


def test_filters(gap):
    frame = gap.frame
    assert set(g.filter_gap(frame, g.GapFilter(categories=("best", "strong")))["domain"]) == {"all4.com",
                                                                                            "onlyyou.com"}
    assert set(g.filter_gap(frame, g.GapFilter(ascore=(20, 40)))["domain"]) == {
        "all4.com", "three.com", "weakpair.com", "strongerpair.com"}
    assert set(g.filter_gap(frame, g.GapFilter(competitors=(3, 4)))["domain"]) == {
        "all4.com", "three.com", "everyone.com", "everyweak.com"}
    risky = frame.assign(risk_score=pd.array([60 if d == "all4.com" else 10 for d in frame["domain"]],
                                             dtype="Int64"))
    kept = g.filter_gap(risky, g.GapFilter(categories=("opportunity",), exclude_risky=True))
    assert set(kept["domain"]) == {"three.com", "onlya.com"}
    assert len(g.filter_gap(frame, g.GapFilter())) == len(frame)


def test_counts_overlap_and_combinations(gap):
    assert g.category_counts(gap.frame) == {code: len(domains) for code, domains in EXPECTED.items()}
    overlap = g.pairwise_overlap(gap)
    assert overlap.loc[YOU, YOU] == 6  # referring domains of you.com
    assert overlap.loc["a.com", "a.com"] == 7
    assert overlap.loc[YOU, "a.com"] == overlap.loc["a.com", YOU] == 4  # everyone, everyweak, weakpair, stronger
    assert overlap.loc["c.com", "d.com"] == 3  # all4, everyone, everyweak
    combos = g.combinations(gap).set_index("combination")["count"]
    assert combos["you + a.com + b.com + c.com + d.com"] == 2
    assert combos["you + a.com"] == 2
    assert combos["a.com + b.com + c.com + d.com"] == 1
    assert combos["you only"] == 1 and combos["a.com only"] == 1
    assert combos.sum() == len(FIXTURE)


def test_definitions_table_has_every_category():
    table = g.definitions_table()
    assert list(table["category"]) == [g.CATEGORY_LABELS[c] for c in g.CATEGORY_CODES]
    assert table["definition"].str.len().gt(20).all()


def test_both_paths_agree_on_large_random_lists():
    # Speed is measured in bench/ (five lists of 200,000); here the two paths must agree at scale.
    rng = np.random.default_rng(7)
    pool = pd.array([f"site{i}.example.com" for i in range(60_000)], dtype="str")
    frames = {}
    for name in (YOU, *COMPETITORS):
        pick = rng.choice(len(pool), 20_000, replace=False)
        frames[name] = pd.DataFrame({"domain": pool[pick], "root_domain": pool[pick],
                                     "backlinks": pd.array(rng.integers(1, 50, 20_000), dtype="Int64"),
                                     "domain_ascore": pd.array(rng.integers(0, 100, 20_000), dtype="Int64")})
    gap = g.gap_from_referring_domains(frames, YOU, COMPETITORS)
    # The same data as a melted Backlink Gap export: every domain once per compared domain.
    long = pd.concat([pd.DataFrame({"domain": gap.frame["domain"], "domain_ascore": gap.frame["domain_ascore"],
                                    "root_domain": gap.frame["root_domain"], "compared_domain": name,
                                    "backlinks": gap.frame[column]})
                      for name, column in zip(gap.domains, gap.backlink_columns)], ignore_index=True)
    long["compared_domain"] = long["compared_domain"].astype("str")
    from_export = g.gap_from_export(long, YOU, COMPETITORS)
    assert len(gap.frame) == len(set().union(*(set(f["domain"]) for f in frames.values())))
    assert (from_export.frame["categories"] == gap.frame["categories"]).all()


# ---------------------------------------------------------------------------------------------------------
# Risk of gap domains: the facts it rests on and the `basis` column
# ---------------------------------------------------------------------------------------------------------

from lib.analysis.risk import RiskContext  # noqa: E402

# domain, root domain, Authority Score, backlinks to you, to the one competitor
RISK_GAP = pd.DataFrame(
    [(f"n{i}.net", f"n{i}.net", 30, 0, 1) for i in range(1, 6)] + [
        ("spam-site.xyz", "spam-site.xyz", 3, 0, 4),
        ("a.blog.net", "blog.net", 40, 0, 2),
        ("b.blog.net", "blog.net", 45, 1, 1),
        ("best-cheap-deals.com", "best-cheap-deals.com", 30, 0, 1),
        ("linked.org", "linked.org", 50, 0, 3),
    ], columns=["domain", "root_domain", "domain_ascore", "backlinks_you", "backlinks_c1"],
).astype({"domain": "str", "root_domain": "str", "domain_ascore": "Int64"})
RISK_CONTEXT = RiskContext("you.com", home_countries=("US",))


def risk_refs() -> list[pd.DataFrame]:
    """Referring Domains of the two compared domains: the only place IPs and countries come from."""
    first = pd.DataFrame({"root_domain": [f"n{i}.net" for i in range(1, 6)] + ["blog.net"],
                          "ip": [f"5.5.5.{i}" for i in range(1, 6)] + ["10.0.0.1"],
                          "country": ["US"] * 5 + ["DE"],
                          "first_seen": pd.to_datetime(["2024-01-0%d" % i for i in range(1, 7)])})
    second = pd.DataFrame({"root_domain": ["blog.net"], "ip": ["10.9.9.9"], "country": ["FR"],
                           "first_seen": pd.to_datetime(["2023-01-01"])})
    return [first, None, second]


def risk_links() -> pd.DataFrame:
    """Three backlinks from linked.org: sitewide, two without a title, all to one inner page."""
    return pd.DataFrame({
        "source_domain": ["linked.org"] * 3, "page_ascore": pd.array([50, 50, 50], dtype="Int64"),
        "first_seen": pd.to_datetime(["2024-02-01"] * 3), "external_links": pd.array([10, 10, 10], dtype="Int64"),
        "sitewide": [True, True, True], "source_title": ["", "", "A post"], "anchor": ["nice", "nice", "nice"],
        "target_url": ["https://you.com/shop"] * 3,
    })


def test_risk_facts_take_ip_country_and_first_seen_from_the_first_list_naming_the_domain():
    facts = g.risk_facts(RISK_GAP, risk_refs())
    assert list(facts.columns) == ["domain", "root_domain", "domain_ascore", "backlinks", "ip", "country",
                                   "first_seen"]
    rows = facts.set_index("domain")
    assert rows.loc["n3.net", ["ip", "country"]].tolist() == ["5.5.5.3", "US"]
    # blog.net is in the first and the third list: the first one's facts win, for both of its subdomains
    assert rows.loc["a.blog.net", ["ip", "country"]].tolist() == ["10.0.0.1", "DE"]
    assert rows.loc["b.blog.net", ["ip", "country"]].tolist() == ["10.0.0.1", "DE"]
    assert rows.loc["a.blog.net", "first_seen"] == pd.Timestamp("2024-01-06")
    # no list names spam-site.xyz: empty text, no date
    assert rows.loc["spam-site.xyz", ["ip", "country"]].tolist() == ["", ""]
    assert pd.isna(rows.loc["spam-site.xyz", "first_seen"])
    assert rows["backlinks"].tolist() == [1, 1, 1, 1, 1, 4, 2, 2, 1, 3]  # to you and the competitor together
    assert rows["backlinks"].dtype == "Int64"


def test_risk_facts_without_referring_domains_are_blank_not_missing():
    facts = g.risk_facts(RISK_GAP)
    assert (facts["ip"] == "").all() and (facts["country"] == "").all() and facts["first_seen"].isna().all()
    assert facts["domain_ascore"].tolist() == RISK_GAP["domain_ascore"].tolist()


def _random_lists(data, own_roots: bool) -> dict[str, pd.DataFrame]:
    """Referring Domains lists of you and one competitor, hosts under a few registrable domains."""
    from hypothesis import strategies as st

    lists = {}
    for name in (YOU, "c1.com"):
        rows = data.draw(st.lists(st.tuples(st.sampled_from(["a.com", "b.org", "c.net"]),
                                            st.sampled_from(["", "www.", "blog."]), st.integers(0, 9),
                                            st.sampled_from(["US", "DE", None]), st.integers(1, 28)), max_size=6))
        frame = pd.DataFrame({
            "domain": pd.array([root if own_roots else host + root for root, host, *_ in rows], dtype="str"),
            "root_domain": pd.array([root for root, *_ in rows], dtype="str"),
            "backlinks": pd.array([ip + 1 for _, _, ip, *_ in rows], dtype="Int64"),
            "ip": pd.array([f"1.2.3.{ip}" for _, _, ip, *_ in rows], dtype="str"),
            "country": pd.array([country for *_, country, _ in rows], dtype="str"),
            "first_seen": pd.to_datetime([f"2024-02-{day:02d}" for *_, day in rows]),
        })
        if data.draw(st.booleans()):
            frame = frame.drop(columns=data.draw(st.sampled_from(["ip", "country", "first_seen"])))
        lists[name] = frame
    return lists


def test_list_facts_are_the_facts_risk_facts_looks_up_in_the_lists():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.data(), st.booleans())
    def check(data, own_roots):
        lists = _random_lists(data, own_roots)
        gap = g.gap_from_referring_domains(lists, YOU, ("c1.com",))
        expected = g.risk_facts(gap.frame, list(lists.values()))
        pd.testing.assert_frame_equal(g.risk_facts(gap.frame, [], gap.list_facts), expected)

    check()


def test_list_facts_of_names_that_are_their_own_registrable_domains_look_nothing_up(monkeypatch):
    lists = {YOU: pd.DataFrame({"domain": ["a.com", "b.org"], "root_domain": ["a.com", "b.org"],
                                "backlinks": [1, 2], "ip": ["1.1.1.1", "2.2.2.2"], "country": ["US", "DE"]}),
             "c1.com": pd.DataFrame({"domain": ["b.org", "c.net"], "root_domain": ["b.org", "c.net"],
                                     "backlinks": [3, 4], "ip": ["9.9.9.9", "3.3.3.3"], "country": ["FR", "IT"]})}

    def no_lookup(*args):
        raise AssertionError("looked names up")

    monkeypatch.setattr(g, "positions_in", no_lookup)
    gap = g.gap_from_referring_domains(lists, YOU, ("c1.com",))
    assert gap.list_facts.to_dict("list") == {"ip": ["1.1.1.1", "2.2.2.2", "3.3.3.3"], "country": ["US", "DE", "IT"]}
    assert g.gap_from_export(export_long(), YOU, COMPETITORS).list_facts is None


def _risk_rows(risk: pd.DataFrame) -> list[tuple]:
    """Riskiest first, then by name (gap_risk promises no order: its rows are looked up by domain)."""
    rows = [tuple(r) for r in risk[["domain", "risk_score", "markers", "backlinks", "basis"]].itertuples(index=False)]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def test_gap_risk_from_domain_facts_only():
    risk = g.gap_risk(RISK_GAP, RISK_CONTEXT, risk_refs())
    # five sites on 5.5.5.x: a link network (25); .xyz with Authority Score 3 (15 + 20); a name of three sales
    # words (20); blog.net is German while the site works in the US (5); one row per registrable domain.
    assert _risk_rows(risk) == [
        ("spam-site.xyz", 35, "low_authority; spam_tld", 4, "domain facts"),
        *[(f"n{i}.net", 25, "link_network", 1, "domain facts") for i in range(1, 6)],
        ("best-cheap-deals.com", 20, "keyword_domain", 1, "domain facts"),
        ("blog.net", 5, "country_mismatch", 4, "domain facts"),
        ("linked.org", 0, "", 3, "domain facts"),
    ]
    # an empty Backlinks frame is the same as none
    assert _risk_rows(g.gap_risk(RISK_GAP, RISK_CONTEXT, risk_refs(), pd.DataFrame())) == _risk_rows(risk)


def test_gap_risk_with_backlinks_adds_link_markers_and_says_so_in_basis():
    # elsewhere.com links to you but is in no list of the gap: it gets no row (and does not count as scored
    # from links in the page's note)
    elsewhere = risk_links().assign(source_domain="elsewhere.com")
    risk = g.gap_risk(RISK_GAP, RISK_CONTEXT, risk_refs(), pd.concat([risk_links(), elsewhere], ignore_index=True))
    rows = {r[0]: r for r in _risk_rows(risk)}
    # linked.org's links: all sitewide (5), 2 of 3 without a title (5), 3 links all to /shop (10)
    assert rows["linked.org"] == ("linked.org", 20, "money_page_only; sitewide; empty_title", 3, "links")
    assert {d for d, *_, basis in rows.values() if basis == "links"} == {"linked.org"}
    # the others keep their domain-fact scores
    assert rows["spam-site.xyz"][1:3] == (35, "low_authority; spam_tld")
    assert rows["blog.net"][1:3] == (5, "country_mismatch")
    assert len(risk) == 9
    # without home countries the country marker stays quiet
    quiet = g.gap_risk(RISK_GAP, RiskContext("you.com"), risk_refs()).set_index("domain")
    assert quiet.loc["blog.net", "risk_score"] == 0


def test_an_export_with_organic_traffic_reaches_the_traffic_part_of_the_priority():
    """Backlink Gap export with an extra traffic column -> gap_from_export -> priority parts -> priority."""
    from lib.analysis import priority as pr

    lines = ["Domain,Domain ascore,Matches,Organic traffic,you.com,a.com,b.com",
             'big.com,30,2,"12,000",0,1,1', "small.com,40,1,100,0,2,0", "none.com,50,1,,0,0,3",
             "zero.com,45,1,0,1,0,0"]
    [file] = read_export("\n".join(lines).encode(), "you.com-backlink_gap.csv")
    gap = g.gap_from_export(file.normalized.frame, "you.com", ("a.com", "b.com"))
    traffic = gap.frame.set_index("domain")["organic_traffic"]
    assert traffic[["big.com", "small.com", "zero.com"]].tolist() == [12000.0, 100.0, 0.0]
    assert np.isnan(traffic["none.com"])
    parts = pr.priority_parts(gap.frame, len(gap.competitors))
    assert "traffic" in pr.available(parts)
    by_domain = parts.set_index(gap.frame["domain"])["traffic"]
    assert by_domain["big.com"] == 1.0
    assert by_domain["small.com"] == pytest.approx(np.log1p(100) / np.log1p(12000))
    assert by_domain["zero.com"] == 0.0 and np.isnan(by_domain["none.com"])
    # Traffic alone decides: the biggest first, the unknown one neutral (50), no traffic last
    only_traffic = {code: 0 for code in pr.PART_CODES} | {"traffic": 5}
    ranked = pr.prioritise(gap.frame, parts, only_traffic)
    assert list(zip(ranked["domain"], ranked["priority"])) == [
        ("big.com", 100), ("none.com", 50), ("small.com", round(100 * np.log1p(100) / np.log1p(12000))),
        ("zero.com", 0)]


def test_with_risk_scores_looks_each_row_up_by_its_registrable_domain():
    gap = pd.DataFrame({"domain": ["blog.a.com", "a.com", "b.org", "c.net"],
                        "root_domain": ["a.com", "a.com", "b.org", "c.net"]})
    risk = pd.DataFrame({"domain": ["b.org", "a.com", "a.com"], "risk_score": [80, 10, 99]})
    scored = g.with_risk_scores(gap, risk)
    assert scored["risk_score"].dtype == "Int64"
    # The first row of a domain listed twice; a domain without a score stays unscored.
    assert scored["risk_score"].tolist() == [10, 10, 80, pd.NA]
    assert scored.drop(columns="risk_score").equals(gap)


def test_with_risk_scores_of_one_row_per_domain_lined_up_or_not():
    gap = pd.DataFrame({"domain": pd.array(["a.com", "b.org", "c.net"], dtype="str"),
                        "root_domain": pd.array(["a.com", "b.org", "c.net"], dtype="str")}, index=[7, 3, 5])
    lined_up = pd.DataFrame({"domain": pd.array(["a.com", "b.org", "c.net"], dtype="str"), "risk_score": [5, 80, 0]})
    shuffled = lined_up.iloc[[2, 0, 1]].reset_index(drop=True)
    one_short = lined_up.iloc[[1, 0]].reset_index(drop=True)
    for risk in (lined_up, shuffled, one_short):
        expected = g.with_risk_scores(gap, risk)
        pd.testing.assert_frame_equal(g.with_risk_scores(gap, risk, one_row_per_domain=True), expected)
    assert g.with_risk_scores(gap, shuffled, one_row_per_domain=True)["risk_score"].tolist() == [5, 80, 0]
    assert g.with_risk_scores(gap, one_short)["risk_score"].tolist() == [5, 80, pd.NA]


def test_score_gap_equals_the_risk_then_the_priority_parts_in_sequence():
    # The parts that need no risk score are worked out on a second thread; the answer must be the plain one.
    from lib.analysis import priority as pr

    frame = RISK_GAP.assign(competitors_linked=RISK_GAP["backlinks_c1"].gt(0).astype("int64"))
    for links in (risk_links().assign(link_type="text"), None):
        scored = pr.score_gap(frame, 1, RISK_CONTEXT, risk_refs(), links, keywords=("cheap deals",),
                              brand_terms=("linked",))
        risk = g.gap_risk(frame, RISK_CONTEXT, risk_refs(), links)
        with_scores = g.with_risk_scores(frame, risk)
        pd.testing.assert_frame_equal(scored.risk, risk)
        pd.testing.assert_frame_equal(scored.frame, with_scores)
        pd.testing.assert_frame_equal(scored.parts, pr.priority_parts(
            with_scores, 1, keywords=("cheap deals",), brand_terms=("linked",), backlinks=links))
        assert scored.parts["low_risk"].notna().all()
