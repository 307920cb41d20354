"""The referring domains table, its filters and drill-down, on hand-made exports."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.analysis import referring_domains as rd

DATA_DATE = date(2026, 10, 31)
T = pd.Timestamp


def backlinks() -> pd.DataFrame:
    rows = [
        # source_domain, tld, url, page_ascore, nofollow, first, last, lost_link
        ("a.com", "com", "https://a.com/1", 30, False, T("2026-01-10"), T("2026-10-30"), False),
        ("a.com", "com", "https://a.com/2", 45, True, T("2026-03-01"), T("2026-10-30"), False),
        ("a.com", "com", "https://blog.a.com/3", 12, False, T("2026-02-01"), T("2026-10-29"), False),
        ("a.com", "com", "https://a.com/4", 20, True, T("2026-04-01"), T("2026-10-30"), False),
        ("b.org", "org", "https://b.org/x", 50, True, T("2026-05-05"), T("2026-06-01"), False),
        ("c.net", "net", "https://c.net/y", 10, False, T("2026-09-09"), T("2026-10-20"), True),
    ]
    frame = pd.DataFrame(rows, columns=["source_domain", "source_tld", "source_url", "page_ascore", "nofollow",
                                        "first_seen", "last_seen", "lost_link"])
    return frame.astype({"source_domain": "str", "source_tld": "str", "source_url": "str", "page_ascore": "Int64"})


def refdomains() -> pd.DataFrame:
    frame = pd.DataFrame({
        "domain": ["a.com", "blog.a.com", "b.org", "d.de"],
        "root_domain": ["a.com", "a.com", "b.org", "d.de"],
        "tld": ["com", "com", "org", "de"],
        "domain_ascore": pd.array([61, 55, 8, None], dtype="Int64"),
        "backlinks": pd.array([9, 3, 1, 2], dtype="Int64"),
        "ip": ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"],
        "country": ["us", "de", "fr", "de"],
        "first_seen": [T("2025-12-01"), T("2026-02-01"), T("2026-05-05"), T("2026-10-01")],
        "last_seen": [T("2026-10-30"), T("2026-10-31"), T("2026-06-01"), T("2026-10-30")],
    })
    return frame.astype({"domain": "str", "root_domain": "str", "tld": "str", "ip": "str", "country": "str"})


def test_table_from_backlinks_only():
    table = rd.domain_table(backlinks(), None, DATA_DATE)
    assert list(table.columns) == list(rd.COLUMNS)
    assert table["domain"].tolist() == ["a.com", "b.org", "c.net"]  # no domain AS: by backlinks, then name
    a = table.iloc[0]
    assert (a.backlinks, a.live_backlinks, a.follow_share, a.best_page_ascore) == (4, 4, 0.5, 45)
    assert (a.first_seen, a.last_seen, bool(a.lost), a.tld) == (T("2026-01-10"), T("2026-10-30"), False, "com")
    assert pd.isna(a.domain_ascore)
    lost = table.set_index("domain")["lost"].to_dict()
    assert lost == {"a.com": False, "c.net": True, "b.org": True}  # c flagged, b unseen since June


def test_table_from_both_exports_prefers_the_referring_domains_export():
    categories = pd.DataFrame({"domain": ["a.com", "b.org"], "category": ["partner", "news"],
                               "category_reason": ["Set by you", "News host"]})
    marks = pd.DataFrame({"domain": ["b.org"], "mark": ["review"], "note": ["check"], "updated_at": ["x"]})
    table = rd.domain_table(backlinks(), refdomains(), DATA_DATE, categories, marks).set_index("domain")
    assert table.index.tolist() == ["a.com", "b.org", "d.de", "c.net"]  # by domain AS (missing last), backlinks
    a = table.loc["a.com"]
    # AS is the best of the site's hosts, backlinks the sum; IP and country from the busiest host
    assert (a.domain_ascore, a.backlinks, a.ip, a.country) == (61, 12, "1.1.1.1", "US")
    assert (a.first_seen, a.last_seen) == (T("2025-12-01"), T("2026-10-31"))
    assert (a.follow_share, a.live_backlinks, a.category, a.mark) == (0.5, 4, "partner", "")
    b = table.loc["b.org"]
    assert (b.mark, b.note, b.category, bool(b.lost)) == ("review", "check", "news", True)
    c = table.loc["c.net"]  # only in the Backlinks export
    assert (c.backlinks, c.country, c.tld, bool(c.lost)) == (1, "", "net", True)
    d = table.loc["d.de"]  # only in the Referring Domains export
    assert (d.backlinks, d.country, bool(d.lost), d.category) == (2, "DE", False, "")
    assert pd.isna(d.follow_share) and pd.isna(d.live_backlinks)


def test_table_from_the_referring_domains_export_alone():
    table = rd.domain_table(None, refdomains(), DATA_DATE).set_index("domain")
    assert table.index.tolist() == ["a.com", "b.org", "d.de"]
    assert table["follow_share"].dtype == "float64" and table["follow_share"].isna().all()
    assert table["live_backlinks"].isna().all() and table.loc["a.com", "backlinks"] == 12


def test_empty_inputs_give_an_empty_table_with_the_columns():
    table = rd.domain_table(None, None, DATA_DATE)
    assert table.empty and list(table.columns) == list(rd.COLUMNS)


def test_filters():
    table = rd.domain_table(backlinks(), refdomains(), DATA_DATE,
                            pd.DataFrame({"domain": ["a.com", "b.org", "c.net", "d.de"],
                                          "category": ["partner", "news", "forum", "news"],
                                          "category_reason": ["", "", "Forum host", ""]}),
                            pd.DataFrame({"domain": ["a.com"], "mark": ["good"], "note": ["Great partner"],
                                          "updated_at": ["x"]}))

    def names(**kwargs) -> list[str]:
        return sorted(rd.filter_domains(table, rd.DomainFilter(**kwargs))["domain"])

    assert names() == ["a.com", "b.org", "c.net", "d.de"]
    # c.net has no domain AS: its best page AS (10) stands in; d.de has no score at all
    assert names(ascore=(5, 20)) == ["b.org", "c.net"]
    assert names(ascore=(60, 100)) == ["a.com"]
    assert names(follow_only=True) == ["a.com", "c.net"]
    assert names(categories=("news",)) == ["b.org", "d.de"]
    assert names(countries=("DE", "FR")) == ["b.org", "d.de"]
    assert names(tlds=("com", "net")) == ["a.com", "c.net"]
    assert names(marks=("good",)) == ["a.com"]
    assert names(marks=("",)) == ["b.org", "c.net", "d.de"]
    assert names(first_seen=(date(2026, 5, 5), date(2026, 9, 9))) == ["b.org", "c.net"]
    assert names(text="PARTNER") == ["a.com"]  # the note
    assert names(text="forum") == ["c.net"]  # the rule that fired
    assert names(text=".de") == ["d.de"]
    assert names(include_lost=False) == ["a.com", "d.de"]
    assert names(categories=("news",), countries=("FR",)) == ["b.org"]


def test_backlinks_of_a_domain_best_pages_first():
    rows = rd.backlinks_of(backlinks(), ["a.com"])
    assert rows["source_url"].tolist() == ["https://a.com/2", "https://a.com/1", "https://a.com/4",
                                           "https://blog.a.com/3"]
    assert "source_domain" not in rows
    assert rd.backlinks_of(backlinks(), []).empty


def test_category_counts():
    table = pd.DataFrame({"domain": ["a", "b", "c"], "category": ["news", "forum", "news"],
                          "backlinks": pd.array([3, 10, None], dtype="Int64")})
    assert rd.category_counts(table).values.tolist() == [["news", 2, 3], ["forum", 1, 10]]


def test_with_marks_replaces_marks_without_touching_the_input():
    table = rd.domain_table(backlinks(), None, DATA_DATE)
    marked = rd.with_marks(table, pd.DataFrame({"domain": ["c.net"], "mark": ["good"], "note": ["ok"],
                                                "updated_at": ["x"]}))
    assert marked.set_index("domain")["mark"].to_dict() == {"a.com": "", "b.org": "", "c.net": "good"}
    assert marked.set_index("domain").loc["c.net", "note"] == "ok"
    assert table["mark"].tolist() == ["", "", ""]
    assert rd.with_marks(marked, None)["mark"].tolist() == ["", "", ""]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["a.com", "b.org", "c.net", "é.fr", "x.io"]), unique=True),
       st.lists(st.sampled_from(["a.com", "b.org", "c.net", "é.fr", "x.io"]), unique=True))
def test_the_outer_join_matches_pandas_join_up_to_row_order(export_domains, link_domains):
    from_export = rd._from_referring_domains(refdomains().iloc[[0] * len(export_domains)].assign(
        root_domain=export_domains, domain=export_domains), DATA_DATE)
    from_links = rd._from_backlinks(backlinks().iloc[[0] * len(link_domains)].assign(
        source_domain=pd.array(link_domains, dtype="str")), DATA_DATE)
    joined = rd._outer_join(from_export, from_links).sort_index()
    expected = from_export.join(from_links, how="outer", suffixes=("", "_links")).sort_index()
    assert joined.index.tolist() == expected.index.tolist()
    for column in expected.columns:
        assert joined[column].isna().tolist() == expected[column].isna().tolist(), column
        known = expected[column].notna().to_numpy()
        assert joined[column][known].tolist() == expected[column][known].tolist(), column


def test_categorized_table_is_the_table_with_its_categories():
    # The categories are worked out on a second thread; the table must be the one built from them in sequence.
    from lib.analysis.categories import categorize_domains

    for links, refs in ((backlinks(), refdomains()), (backlinks(), None), (None, refdomains()), (None, None)):
        keywords, overrides = ("coffee grinder",), {"blog.com": "partner"}
        expected = rd.domain_table(links, refs, DATA_DATE, categorize_domains(links, refs, keywords, overrides))
        pd.testing.assert_frame_equal(rd.categorized_table(links, refs, DATA_DATE, keywords, overrides), expected)


def test_links_without_a_domain_make_no_row_and_change_no_figure():
    with_missing = pd.concat([backlinks(), backlinks().iloc[[0, 5]].assign(source_domain=[None, ""])],
                             ignore_index=True).astype({"source_domain": "str"})
    pd.testing.assert_frame_equal(rd.domain_table(with_missing, None, DATA_DATE),
                                  rd.domain_table(backlinks(), None, DATA_DATE))
