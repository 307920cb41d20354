"""Referring-domain categories: each rule on a hand-made frame, rule order, overrides, exports without backlinks."""

from __future__ import annotations

import pandas as pd

from lib.analysis.categories import CATEGORIES, CATEGORY_LABELS, OVERRIDE_REASON, categorize_domains, keyword_terms
from lib.domains import hosts, registrable_domains


def backlinks(rows: list[tuple[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["source_url", "source_title"]).astype("str")
    frame["source_host"] = hosts(frame["source_url"])
    frame["source_domain"] = registrable_domains(frame["source_host"])
    return frame


def as_dict(result: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {r.domain: (r.category, r.category_reason) for r in result.itertuples()}


SAMPLE = backlinks([
    ("https://forum.brewers.com/t/123", "Which grinder?"),
    ("https://library.org/resources/coffee", "Resources"),
    ("https://library.org/about", "About us"),
    ("https://news.daily.com/2026/10/01/a", "Local cafe opens"),
    ("https://espressohub.net/post", "Hello"),
    ("https://cheap-links.xyz/page", "Links"),
    ("https://lifestyle.com/posts/9", "Ten espresso tricks"),
    ("https://lifestyle.com/posts/10", "Gardening"),
    ("https://yelp.com/biz/roasters", "Roasters"),
    ("https://shopfriends.com/stockists/", "Our stockists"),
    ("https://random.com/page", "Knitting"),
    ("https://betzone.com/a", "Sports"),
])


def test_labels_cover_categories():
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert CATEGORIES == ("industry_blog", "directory", "partner", "resource_page", "news", "forum", "suspicious")


def test_keyword_terms_drop_filler_and_short_words():
    assert keyword_terms(("best espresso grinder", "V60 pour over", "Espresso", "French press")) == (
        "espresso", "grinder", "v60", "pour")


def test_each_rule_with_keywords():
    result = categorize_domains(SAMPLE, None, keywords=("espresso machine",))
    assert list(result.columns) == ["domain", "category", "category_reason"]
    assert len(result) == result["domain"].nunique() == 10
    got = as_dict(result)
    assert got["brewers.com"] == ("forum", "Most linking page hosts contain 'forum'")
    # one of two pages is a resources page: half of the pages is enough
    assert got["library.org"] == ("resource_page", "Most linking page URLs contain 'resources'")
    assert got["daily.com"] == ("news", "Most linking page hosts contain 'news'")
    assert got["espressohub.net"] == ("industry_blog", "Domain name contains 'espresso', from your keywords")
    assert got["cheap-links.xyz"] == ("suspicious", "TLD .xyz is mostly used by spam sites")
    assert got["lifestyle.com"] == ("industry_blog", "A linking page title mentions 'espresso', from your keywords")
    assert got["yelp.com"] == ("directory", "Domain name looks like a directory / profile site")
    assert got["shopfriends.com"] == ("partner", "Most linking page URLs contain 'stockists'")
    assert got["random.com"][0] == "suspicious"
    assert got["random.com"][1].startswith("Unrelated: none of your keywords")
    assert got["betzone.com"][0] == "suspicious"  # 'bet' alone is not a spam word: it is unrelated, not spam
    assert got["betzone.com"][1].startswith("Unrelated")


def test_without_keywords_blogs_are_industry_blogs_and_the_rest_asks_for_keywords():
    frame = backlinks([("https://blog.roaster.com/a", "Hi"), ("https://plain.com/blog/post", "Hi"),
                       ("https://other.com/x", "Hi")])
    got = as_dict(categorize_domains(frame, None))
    assert got["roaster.com"] == ("industry_blog", "Blog (no target keywords set to check its topic)")
    assert got["plain.com"] == ("industry_blog", "Blog (no target keywords set to check its topic)")
    assert got["other.com"][0] == "suspicious"
    assert "set target keywords" in got["other.com"][1]


def test_spam_words_in_domain_and_titles_come_before_site_types():
    frame = backlinks([("https://bestcasino.com/forum/1", "Forum"), ("https://quiet.com/forum/2", "Casino bonus"),
                       ("https://quiet.com/forum/3", "Casino games")])
    got = as_dict(categorize_domains(frame, None, keywords=("casino",)))
    assert got["bestcasino.com"] == ("suspicious", "'casino' in the domain name")
    assert got["quiet.com"] == ("suspicious", "Linking page titles mention 'casino'")


def test_majority_rule_one_links_page_does_not_make_a_blog_a_resource_page():
    frame = backlinks([("https://bigblog.com/links/", "Links"), ("https://bigblog.com/p/1", "Espresso at home"),
                       ("https://bigblog.com/p/2", "Espresso ratio")])
    got = as_dict(categorize_domains(frame, None, keywords=("espresso",)))
    assert got["bigblog.com"] == ("industry_blog", "A linking page title mentions 'espresso', from your keywords")


def test_overrides_win_and_unknown_categories_are_ignored():
    result = categorize_domains(SAMPLE, None, keywords=("espresso",),
                                overrides={"cheap-links.xyz": "partner", "random.com": "not-a-category",
                                           "absent.com": "news"})
    got = as_dict(result)
    assert got["cheap-links.xyz"] == ("partner", OVERRIDE_REASON)
    assert got["random.com"][0] == "suspicious"
    assert "absent.com" not in got


def test_referring_domains_export_alone_uses_names_and_semrush_category():
    refdomains = pd.DataFrame({
        "domain": ["forum.coffee.com", "www.coffee.com", "gazette-times.com", "grinders.io", "misc.com"],
        "root_domain": ["coffee.com", "coffee.com", "gazette-times.com", "grinders.io", "misc.com"],
        "category": ["", "", "", "", "News and Media"],
    }).astype("str")
    got = as_dict(categorize_domains(None, refdomains, keywords=("coffee grinders",)))
    assert set(got) == {"coffee.com", "gazette-times.com", "grinders.io", "misc.com"}
    assert got["misc.com"] == ("news", "Semrush category: News and Media")
    assert got["gazette-times.com"] == ("news", "Domain name looks like a news site")
    assert got["grinders.io"] == ("industry_blog", "Domain name contains 'grinders', from your keywords")
    assert got["coffee.com"] == ("industry_blog", "Domain name contains 'coffee', from your keywords")


def test_domains_from_both_sources_are_united_once():
    refdomains = pd.DataFrame({"domain": ["library.org", "only-here.com"],
                               "root_domain": ["library.org", "only-here.com"]}).astype("str")
    result = categorize_domains(SAMPLE, refdomains, keywords=("espresso",))
    assert len(result) == 11
    assert result["domain"].is_unique


def test_nothing_in_nothing_out():
    for frame in (categorize_domains(None, None), categorize_domains(SAMPLE.iloc[0:0], None)):
        assert list(frame.columns) == ["domain", "category", "category_reason"]
        assert frame.empty


def test_mostly_sitewide_links_from_a_site_that_links_a_lot_make_a_partner():
    rows = [(f"https://roastery.com/page-{i}", "Roastery") for i in range(5)]
    rows += [(f"https://fewlinks.com/page-{i}", "Few") for i in range(4)]
    rows += [(f"https://halfway.com/page-{i}", "Half") for i in range(6)]
    frame = backlinks(rows)
    frame["sitewide"] = [True] * 5 + [True] * 4 + [True, True, True, False, False, False]
    got = as_dict(categorize_domains(frame, None, keywords=("espresso",)))
    assert got["roastery.com"] == ("partner", "Most of its links are sitewide (footer, sidebar or blogroll), as "
                                              "partners' and sponsors' are")
    assert got["fewlinks.com"][0] == "suspicious"  # four links are too few to call it sitewide
    assert got["halfway.com"][0] == "partner"  # half of them is enough


def test_common_keyword_words_and_plurals():
    frame = backlinks([("https://wordpress.com/a", "Press here"), ("https://gameblog.com/b", "Game over"),
                       ("https://gear.com/c", "Five grinders compared"), ("https://burrito.com/d", "Tacos")])
    got = as_dict(categorize_domains(frame, None, keywords=("french press", "pour over", "burr grinder")))
    assert got["wordpress.com"][0] == "suspicious"  # "press" is too common to show a topic
    assert got["gameblog.com"][0] == "suspicious"  # so is "over"
    assert got["gear.com"] == ("industry_blog", "A linking page title mentions 'grinders', from your keywords")
    assert got["burrito.com"][0] == "suspicious"  # "burr" is too short to look for inside a domain name


def test_well_known_news_sites_and_news_words_in_names():
    frame = backlinks([("https://www.nytimes.com/2026/10/01/food/coffee.html", "Coffee"),
                       ("https://www.theportlandherald.com/a", "A"), ("https://kettlejournal.com/b", "B")])
    got = as_dict(categorize_domains(frame, None, keywords=("kettle",)))
    assert got["nytimes.com"] == ("news", "Domain name looks like a news site")
    assert got["theportlandherald.com"] == ("news", "Domain name looks like a news site")
    assert got["kettlejournal.com"][0] == "industry_blog"  # "journal" alone is as often a blog



def test_links_without_a_domain_are_left_out_and_shift_no_other_domain_s_links():
    frame = backlinks([
        ("https://library.org/about", "About us"),
        ("not a url", "Forum thread"),
        ("https://brewtalk.net/forum/thread-1", "Grinders"),
        ("https://brewtalk.net/forum/thread-2", "Kettles"),
        ("https://library.org/resources/coffee", "Resources"),
        ("https://library.org/resources/tea", "Resources"),
    ])
    frame.loc[1, "source_domain"] = ""
    frame = pd.concat([frame, frame.iloc[[1]].assign(source_domain=None)], ignore_index=True)
    result = as_dict(categorize_domains(frame, None, ("espresso",)))
    assert set(result) == {"library.org", "brewtalk.net"}
    assert result["brewtalk.net"][0] == "forum"
    assert result["library.org"][0] == "resource_page"  # two of its three links are /resources/ pages
