"""Each risk marker fires on a fixture made for it, stays quiet on a clean one; the score is monotone."""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.analysis import risk
from lib.analysis.risk import MARKERS, RISKY_SCORE, RiskContext, backlink_risk, domain_risk, referring_domain_risk

CONTEXT = RiskContext("acme.com", ("acme",), ("coffee grinder", "pour over kettle"), home_countries=("US", "GB"))


def link(domain="goodblog.com", **overrides) -> dict:
    row = {"source_domain": domain, "source_url": f"https://{domain}/post", "source_title": "A post about coffee",
           "target_url": "https://acme.com/", "anchor": "Acme", "external_links": 12, "sitewide": False,
           "page_ascore": 40, "first_seen": pd.Timestamp("2024-01-10")}
    row.update(overrides)
    return row


def links(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["page_ascore"] = frame["page_ascore"].astype("Int64")
    frame["external_links"] = frame["external_links"].astype("Int64")
    return frame


def refdomain(domain="goodblog.com", **overrides) -> dict:
    row = {"domain": domain, "root_domain": domain, "domain_ascore": 40, "backlinks": 1, "ip": "10.0.0.1",
           "country": "US", "first_seen": pd.Timestamp("2024-01-10")}
    row.update(overrides)
    return row


def refs(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["domain_ascore"] = frame["domain_ascore"].astype("Int64")
    frame["backlinks"] = frame["backlinks"].astype("Int64")
    return frame


def markers_of(result: pd.DataFrame, domain: str) -> set[str]:
    text = result.set_index("domain").loc[domain, "markers"]
    return set(text.split("; ")) if text else set()


def test_a_clean_domain_has_no_marker_and_no_score():
    result = domain_risk(links(link()), refs(refdomain()), CONTEXT)
    assert markers_of(result, "goodblog.com") == set()
    assert result.loc[0, "risk_score"] == 0


@pytest.mark.parametrize("name, link_changes, ref_changes, domain", [
    ("low_authority", {"page_ascore": 3}, {"domain_ascore": 3}, "goodblog.com"),
    ("spam_tld", {}, {}, "goodblog.xyz"),
    ("keyword_domain", {}, {}, "best-cheap-coffee-grinder.com"),
    ("many_outbound", {"external_links": 250}, {}, "goodblog.com"),
    ("sitewide", {"sitewide": True}, {}, "goodblog.com"),
    ("empty_title", {"source_title": ""}, {}, "goodblog.com"),
    ("offtopic_title", {"source_title": "Top 10 online CASINO bonuses"}, {}, "goodblog.com"),
    ("exact_anchor", {"anchor": "Coffee Grinder"}, {}, "goodblog.com"),
    ("country_mismatch", {}, {"country": "PA"}, "goodblog.com"),
])
def test_each_marker_fires_on_its_own_fixture(name, link_changes, ref_changes, domain):
    result = domain_risk(links(link(domain, **link_changes)), refs(refdomain(domain, **ref_changes)), CONTEXT)
    assert markers_of(result, domain) == {name}
    assert result.loc[0, "risk_score"] == MARKERS[name].weight


def test_link_network_needs_five_domains_on_one_subnet():
    names = [f"site{i}.com" for i in range(5)]
    on_subnet = refs(*[refdomain(n, ip=f"185.1.2.{i}") for i, n in enumerate(names)], refdomain("other.com"))
    result = domain_risk(links(*[link(n) for n in names + ["other.com"]]), on_subnet, CONTEXT)
    assert all(markers_of(result, n) == {"link_network"} for n in names)
    assert markers_of(result, "other.com") == set()
    four = refs(*[refdomain(n, ip=f"185.1.2.{i}") for i, n in enumerate(names[:4])])
    assert all(m == "" for m in domain_risk(links(*[link(n) for n in names[:4]]), four, CONTEXT)["markers"])


def test_money_page_only_needs_three_links_to_one_inner_page():
    inner = [link("shop.com", target_url="https://acme.com/products/x") for _ in range(3)]
    result = domain_risk(links(*inner, link("fan.com"), link("fan.com"), link("fan.com")), None, CONTEXT)
    assert markers_of(result, "shop.com") == {"money_page_only"}
    assert markers_of(result, "fan.com") == set()


_TARGETS = [None, "https://acme.com/", "https://acme.com", "https://acme.com/p/x", "http://www.acme.com/p/x",
            "https://acme.com/p/y"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "a.com", "b.com", "c.com"]), st.sampled_from(_TARGETS)),
                max_size=14))
def test_money_page_only_matches_a_plain_reading_of_the_rule(rows):
    from lib.analysis.risk import LinkDomains, _money_page_only

    frame = pd.DataFrame({"source_domain": pd.array([d for d, _ in rows], dtype="str"),
                          "target_url": pd.array([t for _, t in rows], dtype="str")})
    links = LinkDomains(frame)
    got = dict(zip(links.uniques, _money_page_only(frame, links)))
    for domain in links.uniques:
        targets = [t for d, t in rows if d == domain]
        paths = {re.sub(r"^[a-zA-Z]+://[^/]+", "", t) for t in targets if t is not None}
        # 3+ links, all to one inner page (same path, whatever the host), none to the home page
        assert got[domain] == (len(targets) >= 3 and len(paths) == 1 and not paths & {"", "/"}), domain


def test_link_domains_are_factorised_once_for_every_thread_that_asks():
    from concurrent.futures import ThreadPoolExecutor

    from lib.analysis.risk import LinkDomains

    frame = pd.DataFrame({"source_domain": pd.array(["b.com", None, "a.com", "b.com"], dtype="str")})
    links = LinkDomains(frame)
    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(lambda _: (links.codes, links.uniques), range(8)))
    assert all(codes is seen[0][0] and uniques is seen[0][1] for codes, uniques in seen)
    assert links.codes.tolist() == [0, -1, 1, 0] and links.uniques.tolist() == ["b.com", "a.com"]
    assert links.valid.tolist() == [True, False, True, True] and links.size.tolist() == [2, 1]


def test_link_burst_flags_unrelated_domains_of_an_unusual_week():
    usual = [refdomain(f"blog{i}.com", ip=f"10.{i}.0.1", first_seen=pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=i))
             for i in range(30)]
    burst = [refdomain(f"random{i}.net", ip=f"11.{i}.0.1", first_seen=pd.Timestamp("2024-09-02")) for i in range(15)]
    relevant = [refdomain("coffee-fans.org", ip="12.0.0.1", first_seen=pd.Timestamp("2024-09-03"))]
    result = referring_domain_risk(refs(*usual, *burst, *relevant), CONTEXT)
    assert markers_of(result, "random3.net") == {"link_burst"}
    assert markers_of(result, "blog3.com") == set()
    assert markers_of(result, "coffee-fans.org") == set()  # relevant to the keywords: not part of the burst


def test_high_authority_and_free_hosting_are_not_markers():
    result = domain_risk(links(link("someone.blogspot.com", page_ascore=95)),
                         refs(refdomain("someone.blogspot.com", domain_ascore=95)), CONTEXT)
    assert result.loc[0, "risk_score"] == 0


def test_link_markers_count_for_a_domain_when_half_its_links_have_them():
    half = links(link("mixed.com", sitewide=True), link("mixed.com"))
    few = links(link("rare.com", sitewide=True), link("rare.com"), link("rare.com"))
    assert markers_of(domain_risk(half, None, CONTEXT), "mixed.com") == {"sitewide"}
    assert markers_of(domain_risk(few, None, CONTEXT), "rare.com") == set()
    per_link = backlink_risk(few, CONTEXT)
    assert per_link["markers"].tolist() == ["sitewide", "", ""]
    assert per_link.index.equals(few.index)


def test_subnets_read_addresses_as_pythons_regex_does():
    ips = pd.Series(pd.array(["1.2.3.4", "10.0.0.1\n", "\u0661.\u0662.\u0663.\u0664", "", None, "1.2.3",
                              " 1.2.3.4", "1.2.3.4.5", "a.b.c.d", "2001:db8::1"], dtype="str"))
    assert risk.subnets(ips).tolist()[:3] == ["1.2.3", "10.0.0", "\u0661.\u0662.\u0663"]
    pd.testing.assert_series_equal(risk.subnets(ips), ips.str.extract(risk._IPV4, expand=False))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.\n \u0663a", max_size=12), max_size=8))
def test_subnets_match_pythons_regex_on_any_text(texts):
    ips = pd.Series(pd.array(texts, dtype="str"))
    pd.testing.assert_series_equal(risk.subnets(ips), ips.str.extract(risk._IPV4, expand=False))


def test_the_network_of_the_demo_is_risky_and_scores_are_capped():
    names = [f"best-cheap-coffee-grinder-{i}.xyz" for i in range(5)]
    spam = links(*[link(n, page_ascore=0, external_links=300, anchor="coffee grinder", source_title="",
                        sitewide=True) for n in names])
    spam_refs = refs(*[refdomain(n, domain_ascore=0, ip=f"185.1.2.{i}", country="PA") for i, n in enumerate(names)])
    result = domain_risk(spam, spam_refs, CONTEXT)
    assert (result["risk_score"] == 100).all()  # 150 points of markers, capped
    assert (result["risk_score"] >= RISKY_SCORE).all()


LINK_MARKERS = {"many_outbound": {"external_links": 250}, "sitewide": {"sitewide": True},
                "empty_title": {"source_title": ""}, "exact_anchor": {"anchor": "coffee grinder"},
                "low_authority": {"page_ascore": 2}}


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(sorted(LINK_MARKERS))), st.sampled_from(sorted(LINK_MARKERS)))
def test_adding_a_marker_never_lowers_the_score(chosen, extra):
    def score(names) -> int:
        changes = {k: v for n in names for k, v in LINK_MARKERS[n].items()}
        return int(backlink_risk(links(link(**changes)), CONTEXT)["risk_score"].iloc[0])

    assert score(chosen | {extra}) >= score(chosen)


def test_weights_can_be_changed_and_unknown_markers_are_refused():
    frame = links(link(external_links=250))
    assert backlink_risk(frame, CONTEXT, weights={"many_outbound": 40})["risk_score"].iloc[0] == 40
    assert backlink_risk(frame, CONTEXT, weights={"many_outbound": 0})["markers"].iloc[0] == ""
    with pytest.raises(KeyError):
        backlink_risk(frame, CONTEXT, weights={"blogspot": 50})
    table = risk.weights_table()
    assert set(table["marker"]) == set(MARKERS) and (table["why it matters"] != "").all()


def test_weights_are_documented_in_the_module():
    for name, marker in MARKERS.items():
        assert f"| {name} | {marker.weight} |" in risk.__doc__


def test_empty_inputs():
    assert domain_risk(pd.DataFrame(), None, CONTEXT).empty
    assert list(domain_risk(pd.DataFrame(), None, CONTEXT).columns) == risk.OUTPUT_COLUMNS


def test_country_mismatch_fires_only_with_home_countries_and_a_foreign_country():
    frame = refs(refdomain("abroad.com", country="PA"), refdomain("home.com", country="us"),
                 refdomain("unknown.com", country=""))
    backlinks = links(link("abroad.com"), link("home.com"), link("unknown.com"))
    quiet = domain_risk(backlinks, frame, RiskContext("acme.com"))
    assert set(quiet["markers"]) == {""} and set(quiet["risk_score"]) == {0}
    result = domain_risk(backlinks, frame, RiskContext("acme.com", home_countries=("US", "GB")))
    assert markers_of(result, "abroad.com") == {"country_mismatch"}
    assert result.set_index("domain").loc["abroad.com", "risk_score"] == MARKERS["country_mismatch"].weight
    assert markers_of(result, "home.com") == set()  # codes compare case-insensitively
    assert markers_of(result, "unknown.com") == set()  # no country in the data is no mismatch
    assert "quiet until you set them" in MARKERS["country_mismatch"].explanation


def test_link_dates_fill_the_referring_domains_facts_as_combine_first_would():
    from lib.analysis.risk import _with_link_dates

    refs = pd.DataFrame({"ascore": pd.array([3.0, 40.0], dtype="Float64"), "ip": ["1.2.3.4", None],
                         "country": ["DE", "FR"], "first_seen": pd.to_datetime(["2026-01-05", None])},
                        index=pd.Index(["a.com", "b.com"], name="domain"))
    link_dates = pd.Series(pd.to_datetime(["2026-03-01", "2026-02-01", "2025-12-01"]),
                           index=pd.Index(["b.com", "c.com", "a.com"], name="domain"))
    got = _with_link_dates(refs, link_dates).sort_index()
    expected = refs.combine_first(link_dates.to_frame("first_seen")).sort_index()
    # a.com keeps its own date, b.com's missing one comes from its links, c.com is known only from links.
    assert got["first_seen"].tolist() == expected["first_seen"].tolist() == [
        pd.Timestamp("2026-01-05"), pd.Timestamp("2026-03-01"), pd.Timestamp("2026-02-01")]
    assert got["ascore"].isna().tolist() == [False, False, True]
    assert got.loc["c.com", ["ip", "country"]].isna().all() and got.loc["a.com", "ip"] == "1.2.3.4"
    # Text stays text: a domain only the links know must not turn the list's IPs into Python objects.
    assert got["ip"].dtype == refs["ip"].dtype and got["country"].dtype == refs["country"].dtype == "str"


@pytest.mark.parametrize("title", ["Better brewing at home", "Loaned equipment for baristas",
                                   "Casino-themed coffee grinder giveaway", "Morning coffee"])
def test_offtopic_title_stays_quiet_on_whole_words_of_other_topics_and_on_your_keywords(title):
    result = domain_risk(links(link(source_title=title)), refs(refdomain()), CONTEXT)
    assert "offtopic_title" not in markers_of(result, "goodblog.com")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.com", "b.xyz", "zz.com", "é.net", "best-cheap-coffee-grinder.com",
                                           "Ä.org", "a-b.com", "b.com"]),
                          st.booleans(), st.sampled_from([3, 40])), min_size=1, max_size=25))
def test_domains_come_riskiest_first_then_most_linked_then_by_name(rows):
    frame = links(*[link(domain, sitewide=sitewide, page_ascore=ascore) for domain, sitewide, ascore in rows])
    result = domain_risk(frame, None, CONTEXT)
    expected = result.sort_values(["risk_score", "backlinks", "domain"], ascending=[False, False, True],
                                  kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(result, expected)
    assert sorted(result["domain"]) == sorted({domain for domain, _, _ in rows})
    # Unordered (for lookups) holds the same rows
    unordered = domain_risk(frame, None, CONTEXT, ordered=False)
    by_domain = lambda f: f.sort_values("domain", kind="stable").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(by_domain(unordered), by_domain(result))



def test_listed_only_scores_the_listed_domains_as_the_full_result_does():
    # A burst of 15 new linking domains in one week, two of them listed: the others, known from links alone,
    # still make the burst, and the listed ones keep their link markers (all sitewide).
    usual = [link(f"blog{i}.com", first_seen=pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=i)) for i in range(30)]
    burst = [link(f"random{i}.net", sitewide=True, first_seen=pd.Timestamp("2024-09-02")) for i in range(15)]
    listed = refs(refdomain("random3.net", first_seen=pd.NaT), refdomain("random4.net", first_seen=pd.NaT),
                  refdomain("unlinked.org"))
    full = domain_risk(links(*usual, *burst), listed, CONTEXT, ordered=False)
    only = domain_risk(links(*usual, *burst), listed, CONTEXT, ordered=False, listed_only=True)
    names = ["random3.net", "random4.net", "unlinked.org"]
    by_domain = lambda f: f.sort_values("domain").reset_index(drop=True)  # noqa: E731
    assert by_domain(only)["domain"].tolist() == names
    pd.testing.assert_frame_equal(by_domain(only), by_domain(full[full["domain"].isin(names)]))
    assert markers_of(only, "random3.net") == {"link_burst", "sitewide"}
    assert only.set_index("domain").loc["random3.net", "backlinks"] == 1
    assert markers_of(only, "unlinked.org") == set()
    # Nothing listed: no rows
    assert domain_risk(links(*usual), None, CONTEXT, listed_only=True).empty

_NAME_PARTS = st.sampled_from(["best", "BEST", "cheap", "deals", "coffee", "grinder", "blog", "x", "café", "İ",
                               "-", "--", "_", "7", ".", ".com", ".co.uk", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_NAME_PARTS, max_size=8).map("".join), max_size=30, unique=True))
def test_keyword_domains_found_in_arrow_as_one_name_at_a_time_in_python(names):
    keyword_words = risk._keyword_words(RiskContext("me.com", target_keywords=("coffee grinder",)))
    assert risk._stuffed(pd.Index(names, dtype="str"), keyword_words).tolist() == [
        risk.keyword_stuffed(name, keyword_words) for name in names]


_TLD_PARTS = st.sampled_from(["xyz", "XYZ", "top", "Top", "shop", "com", "co", "uk", "xy", "\u212a", "İ", "café",
                              ".", "..", "-", "\n", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TLD_PARTS, max_size=6).map("".join), max_size=30))
def test_spam_tlds_found_in_arrow_as_the_text_after_the_last_dot_lower_cased(names):
    column = pd.Series(names, dtype="str")
    after_last_dot = [(n.rsplit(".", 1)[-1]).lower() for n in names]
    assert risk._spam_tld(column).tolist() == [t in risk.SPAM_TLDS for t in after_last_dot]


def test_domain_markers_are_the_same_when_their_two_halves_run_on_two_threads(monkeypatch):
    # Big fact tables split the domain markers over two threads: the result must not depend on it.
    names = [f"best-cheap-coffee-grinder-{i}.xyz" for i in range(6)] + ["goodblog.com", "abroad.com"]
    frame = refs(*[refdomain(n, domain_ascore=0, ip=f"185.1.2.{i}", country="PA") for i, n in enumerate(names)])
    backlinks = links(*[link(n) for n in names])
    context = RiskContext("acme.com", home_countries=("US",))
    monkeypatch.setattr(risk, "PARALLEL_MIN_ROWS", 10**9)
    on_one = domain_risk(backlinks, frame, context)
    monkeypatch.setattr(risk, "PARALLEL_MIN_ROWS", 0)
    on_two = domain_risk(backlinks, frame, context)
    pd.testing.assert_frame_equal(on_one, on_two)
    assert {"link_network", "spam_tld", "keyword_domain", "low_authority", "country_mismatch"} <= \
        markers_of(on_two, names[0])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.com", "b.org", "c.net", "d.io", "e.de", None]),
                          st.none() | st.integers(0, 100), st.sampled_from(["1.2.3.4", "", None]),
                          st.sampled_from(["US", "DE", None]), st.none() | st.integers(1, 28)),
                max_size=8),
       st.booleans())
def test_listed_facts_of_a_list_naming_each_domain_once_equal_the_grouped_facts(rows, dedupe):
    # A list naming each registrable domain once skips the grouping: the answer must be the grouping's.
    if dedupe:
        rows = list({row[0]: row for row in rows}.values())
    refs = pd.DataFrame({
        "root_domain": pd.array([r[0] for r in rows], dtype="str"),
        "domain_ascore": pd.array([r[1] for r in rows], dtype="Int64"),
        "ip": pd.array([r[2] for r in rows], dtype="str"), "country": pd.array([r[3] for r in rows], dtype="str"),
        "first_seen": pd.to_datetime([f"2024-03-{r[4]:02d}" if r[4] else None for r in rows]).as_unit("ns"),
    })
    grouped = pd.DataFrame({"domain": refs["root_domain"], "ascore": refs["domain_ascore"].astype("Float64"),
                            "ip": refs["ip"], "country": refs["country"], "first_seen": refs["first_seen"]}).groupby(
        "domain", sort=False).agg(ascore=("ascore", "max"), ip=("ip", "first"), country=("country", "first"),
                                  first_seen=("first_seen", "min")).assign(listed=True)
    pd.testing.assert_frame_equal(risk._listed_facts(refs), grouped)
