"""Overview analysis on a seven-backlink fixture whose every number is worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.analysis import overview as ov

DATA_DATE = date(2026, 10, 31)  # recent window: 2026-10-02 .. 2026-10-31; stale before 2026-10-01
T = pd.Timestamp


def fixture() -> pd.DataFrame:
    rows = [
        # domain, tld, first_seen, last_seen, lost_link, nofollow, sponsored, ugc, link_type, target
        ("a.com", "com", T("2026-08-05"), T("2026-10-30"), False, False, False, False, "text", "https://s.com/p1"),
        ("a.com", "com", T("2026-09-10"), T("2026-10-31"), False, True, False, False, "image", "https://s.com/p1"),
        ("a.com", "com", T("2026-10-15"), T("2026-10-31"), False, False, False, False, "text", "https://s.com/p2"),
        ("b.com", "com", T("2026-08-20"), T("2026-09-15"), False, False, True, False, "text", "https://s.com/p1"),
        ("c.org", "org", T("2026-09-01"), T("2026-10-20"), True, False, False, True, "form", "https://s.com/p2"),
        ("d.net", "net", T("2026-10-02"), T("2026-10-31"), False, False, False, False, "frame", "https://s.com/p3"),
        ("a.com", "com", pd.NaT, T("2026-10-31"), False, False, False, False, "text", "https://s.com/p1"),
    ]
    frame = pd.DataFrame(rows, columns=["source_domain", "source_tld", "first_seen", "last_seen", "lost_link",
                                        "nofollow", "sponsored", "ugc", "link_type", "target_url"])
    return frame.astype({"source_domain": "str", "source_tld": "str", "link_type": "str", "target_url": "str",
                         "first_seen": "datetime64[ns]", "last_seen": "datetime64[ns]"})


def test_lost_and_follow_masks():
    frame = fixture()
    # row 3 was last seen 46 days before the data date; row 4 is flagged lost
    assert ov.lost_mask(frame, DATA_DATE).tolist() == [False, False, False, True, True, False, False]
    assert ov.follow_mask(frame).tolist() == [True, False, True, False, False, True, True]


def test_summary():
    summary = ov.summarize(fixture(), DATA_DATE)
    assert summary == ov.Summary(data_date=DATA_DATE, backlinks=5, referring_domains=2, follow_share=0.8,
                                 new_recent=2, lost_recent=1)


def test_summary_of_nothing():
    summary = ov.summarize(fixture().iloc[0:0], DATA_DATE)
    assert (summary.backlinks, summary.referring_domains, summary.new_recent, summary.lost_recent) == (0, 0, 0, 0)
    assert pd.isna(summary.follow_share)


def test_growth_by_month():
    growth = ov.growth_by_month(fixture(), DATA_DATE)
    assert growth["month"].tolist() == [T("2026-08-01"), T("2026-09-01"), T("2026-10-01")]
    # the backlink without first_seen counts as gained in the first month
    assert growth["gained_backlinks"].tolist() == [3, 2, 2]
    assert growth["lost_backlinks"].tolist() == [0, 1, 1]
    assert growth["live_backlinks"].tolist() == [3, 4, 5]
    assert growth["gained_domains"].tolist() == [2, 1, 1]  # a+b, c, d
    assert growth["lost_domains"].tolist() == [0, 1, 1]  # b (September), c (October)
    assert growth["live_domains"].tolist() == [2, 2, 2]


def test_growth_counts_links_that_vanished_between_snapshots():
    vanished = pd.DataFrame({"source_domain": ["e.com", "a.com"], "first_seen": [T("2026-08-01"), T("2026-08-09")],
                             "lost_date": [T("2026-09-30"), T("2026-10-01")]}).astype({"source_domain": "str"})
    growth = ov.growth_by_month(fixture(), DATA_DATE, vanished)
    assert growth["gained_backlinks"].tolist() == [5, 2, 2]
    assert growth["lost_backlinks"].tolist() == [0, 2, 2]
    assert growth["live_backlinks"].tolist() == [5, 5, 5]
    assert growth["gained_domains"].tolist() == [3, 1, 1]  # e.com is new in August
    assert growth["lost_domains"].tolist() == [0, 2, 1]  # b.com and e.com in September, c.org in October
    assert growth["live_domains"].tolist() == [3, 2, 2]


def test_growth_of_nothing_has_the_columns():
    growth = ov.growth_by_month(fixture().iloc[0:0], DATA_DATE)
    assert growth.empty and "live_domains" in growth


def test_link_types_and_rel_count_live_links_once():
    types = ov.link_type_counts(fixture(), DATA_DATE)
    assert dict(zip(types["link_type"], types["backlinks"])) == {"text": 3, "image": 1, "form": 0, "frame": 1}
    rels = ov.rel_counts(fixture(), DATA_DATE)
    assert dict(zip(rels["rel"], rels["backlinks"])) == {"follow": 4, "nofollow": 1, "sponsored": 0, "ugc": 0}
    assert rels["label"].tolist() == ["Follow", "Nofollow", "Sponsored", "UGC"]


def test_top_target_pages():
    pages = ov.top_target_pages(fixture(), DATA_DATE)
    assert pages.values.tolist() == [["https://s.com/p1", 3, 1], ["https://s.com/p2", 1, 1],
                                     ["https://s.com/p3", 1, 1]]


def test_top_tlds_from_backlinks_and_from_referring_domains():
    tlds = ov.top_tlds(fixture(), None, DATA_DATE)
    assert tlds.values.tolist() == [[".com", 1, 4], [".net", 1, 1]]  # b.com and c.org are lost
    refdomains = pd.DataFrame({"root_domain": ["x.com", "y.com", "z.de"], "tld": ["com", "com", "de"],
                               "backlinks": pd.array([5, 1, 7], dtype="Int64")})
    assert ov.top_tlds(None, refdomains, DATA_DATE).values.tolist() == [[".com", 2, 6], [".de", 1, 7]]
    assert ov.top_tlds(None, None, DATA_DATE).empty


def test_top_countries():
    refdomains = pd.DataFrame({"root_domain": ["x.com", "y.com", "z.de", "w.fr", "v.io"],
                               "country": ["us", "US", "de", "", None],
                               "backlinks": pd.array([5, 1, 7, 2, 3], dtype="Int64")})
    assert ov.top_countries(refdomains).values.tolist() == [["US", 2, 6], ["DE", 1, 7]]
    assert ov.top_countries(refdomains.drop(columns="country")).empty
    assert ov.top_countries(None).empty


def test_ascore_distribution_prefers_domain_scores():
    refdomains = pd.DataFrame({"root_domain": ["x.com", "x.com", "y.com", "z.com", "q.com"],
                               "domain_ascore": pd.array([5, 12, 95, 100, None], dtype="Int64")})
    dist = ov.ascore_distribution(refdomains, fixture())
    assert dist["band"].tolist()[:2] == ["0–9", "10–19"] and dist["band"].tolist()[-1] == "90–100"
    assert dict(zip(dist["low"], dist["domains"])) == {0: 0, 10: 1, 20: 0, 30: 0, 40: 0, 50: 0, 60: 0, 70: 0,
                                                       80: 0, 90: 2}
    assert set(dist["basis"]) == {"domain"}
    backlinks = pd.DataFrame({"source_domain": ["a.com", "a.com", "b.com"],
                              "page_ascore": pd.array([3, 41, 40], dtype="Int64")})
    by_page = ov.ascore_distribution(None, backlinks)
    assert by_page.loc[by_page["domains"] > 0, ["low", "domains"]].values.tolist() == [[40, 2]]
    assert set(by_page["basis"]) == {"page"}


def test_concentration():
    curve = ov.concentration_curve(fixture(), DATA_DATE)
    assert curve.values.tolist() == [[1, "a.com", 4, 4, 0.8], [2, "d.net", 1, 5, 1.0]]
    everything = ov.concentration(curve)
    assert everything.sentence() == "All your 5 backlinks come from 2 websites."
    top_one = ov.concentration(curve, top_n=1)
    assert (top_one.top_backlinks, top_one.half_domains, top_one.top_share) == (4, 1, 0.8)
    assert top_one.sentence() == "80% of your 5 backlinks come from just 1 website, out of 2 linking to you."


def test_concentration_of_many_domains():
    domains = [f"d{i:02d}.com" for i in range(20)]
    counts = [50] * 10 + [5] * 10  # 500 of 550 from the top ten
    frame = pd.DataFrame({"source_domain": [d for d, n in zip(domains, counts) for _ in range(n)]}).astype("str")
    curve = ov.concentration_curve(frame, DATA_DATE)
    headline = ov.concentration(curve)
    assert (headline.total_backlinks, headline.top_backlinks, headline.half_domains) == (550, 500, 6)
    assert headline.sentence() == "91% of your 550 backlinks come from just 10 websites, out of 20 linking to you."
    assert ov.concentration(curve.iloc[0:0]).sentence() == "No live backlinks yet."


def test_site_authority_history():
    history = {"2026-09-30": 40, "2026-10-31": 42, "2026-08-31": 38, "junk": 5, "2026-07-01": 250}
    assert ov.site_authority(history) == ov.SiteAuthority(42, date(2026, 10, 31), 40)
    assert ov.site_authority(history).change == 2
    assert ov.site_authority(history, on_or_before=date(2026, 10, 1)) == ov.SiteAuthority(40, date(2026, 9, 30), 38)
    assert ov.site_authority({}) == ov.SiteAuthority(None, None, None)
    assert ov.site_authority({"2026-10-31": 42}).change is None


def test_demo_site_ascore_is_a_rising_history_at_the_snapshot_dates():
    history = ov.demo_site_ascore([date(2026, 9, 30), date(2026, 8, 31), date(2026, 10, 31)], latest=38)
    assert history == {"2026-08-31": 34, "2026-09-30": 36, "2026-10-31": 38}


@pytest.mark.parametrize("day,window", [(date(2026, 10, 31), (date(2026, 10, 2), date(2026, 10, 31)))])
def test_recent_window(day, window):
    assert ov.recent_window(day) == window


def test_concentration_steps():
    domains = [f"d{i:02d}.com" for i in range(20)]
    counts = [50] * 10 + [5] * 10
    frame = pd.DataFrame({"source_domain": [d for d, n in zip(domains, counts) for _ in range(n)]}).astype("str")
    steps = ov.concentration_steps(ov.concentration_curve(frame, DATA_DATE))
    assert steps["label"].tolist() == ["Top 1", "Top 5", "Top 10", "All 20"]
    assert steps["backlinks"].tolist() == [50, 250, 500, 550]
    assert steps["share"].round(4).tolist() == [round(50 / 550, 4), round(250 / 550, 4), round(500 / 550, 4), 1.0]
    assert ov.concentration_steps(ov.concentration_curve(frame.iloc[0:0], DATA_DATE)).empty


def test_chart_labels_are_escaped_and_distinct():
    from lib.charts.overview import plain_label, url_labels

    assert plain_label("<img src=x onerror=alert(1)>  click   here") == "&lt;img src=x onerror=alert(1)&gt; click here"
    assert plain_label("x" * 80, limit=10) == "x" * 9 + "…"
    labels = url_labels(pd.Series(["https://s.com/", "https://www.s.com/", "http://s.com/", "https://s.com/a?b=1"]))
    assert labels == ["s.com/", "www.s.com/", "s.com/\u200b", "/a?b=1"]


def test_overview_figures_have_titles_and_data():
    from lib.charts import overview as charts

    frame = fixture()
    growth = charts.growth(ov.growth_by_month(frame, DATA_DATE), "domains", "Domains per month")
    assert growth.layout.title.text == "Domains per month"
    assert [t.name for t in growth.data] == ["Gained", "Lost", "Live referring domains"]
    assert list(growth.data[1].y) == [0, -1, -1]  # losses point down
    assert list(growth.data[2].y) == [2, 2, 2]
    steps = ov.concentration_steps(ov.concentration_curve(frame, DATA_DATE))
    concentration = charts.concentration(steps, 5)
    assert list(concentration.data[0].x) == ["Top 1", "All 2"]
    assert charts.top_countries(ov.top_countries(None)).layout.annotations[0].text.startswith("Countries come from")


def test_pages_and_tlds_skip_missing_values_and_lost_links_as_a_groupby_would():
    links = pd.DataFrame({
        "target_url": ["https://me.com/a", "https://me.com/a", None, "https://me.com/b", "https://me.com/c"],
        "source_domain": ["x.com", None, "y.org", "y.org", "z.net"],
        "source_tld": ["com", "com", "org", "org", None],
        "lost_link": [False, False, False, False, True],
    }).astype({"target_url": "str", "source_domain": "str", "source_tld": "str"})
    pages = ov.top_target_pages(links, DATA_DATE)
    # /a: two links, one from an unnamed domain; the link without a page is left out; /c is lost.
    assert pages.values.tolist() == [["https://me.com/a", 2, 1], ["https://me.com/b", 1, 1]]
    assert ov.top_tlds(links, None, DATA_DATE).values.tolist() == [[".com", 1, 2], [".org", 1, 2]]  # ties by name
    assert ov.rel_counts(links, DATA_DATE).set_index("rel")["backlinks"].to_dict() == {
        "follow": 4, "nofollow": 0, "ugc": 0, "sponsored": 0}


def test_growth_from_the_semrush_history_uses_its_new_and_lost_counts():
    history = {
        "2026-01-31": {"backlinks": 100, "domains": 10, "new_backlinks": 30, "lost_backlinks": 5,
                       "new_domains": 3, "lost_domains": 1},
        "2026-02-28": {"backlinks": 120, "domains": 12, "new_backlinks": 25, "lost_backlinks": 5,
                       "new_domains": 2, "lost_domains": 0},
    }
    growth = ov.growth_from_history(history)
    assert list(growth.columns) == ["month", "gained_backlinks", "lost_backlinks", "live_backlinks",
                                    "gained_domains", "lost_domains", "live_domains"]
    assert growth["month"].tolist() == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")]
    assert growth[["gained_backlinks", "lost_backlinks", "live_backlinks"]].values.tolist() == [[30, 5, 100],
                                                                                              [25, 5, 120]]
    assert growth[["gained_domains", "lost_domains", "live_domains"]].values.tolist() == [[3, 1, 10], [2, 0, 12]]


def test_growth_from_totals_only_is_the_net_change_and_a_missing_month_is_flat():
    history = {"2026-03-01": {"backlinks": 90, "domains": 9},
               "2026-01-05": {"backlinks": 80, "domains": 10},
               "2026-01-28": {"backlinks": 100, "domains": 10}}  # the month's latest date counts
    growth = ov.growth_from_history(history)
    assert growth["month"].dt.month.tolist() == [1, 2, 3]
    assert growth["live_backlinks"].tolist() == [100, 100, 90]
    assert growth["gained_backlinks"].tolist() == [0, 0, 0]
    assert growth["lost_backlinks"].tolist() == [0, 0, 10]
    assert growth["gained_domains"].tolist() == [0, 0, 0] and growth["lost_domains"].tolist() == [0, 0, 1]


def test_growth_from_no_or_unreadable_history_is_empty():
    assert ov.growth_from_history(None).empty
    assert ov.growth_from_history({"not a date": {"backlinks": 1}}).empty
    assert ov.growth_from_history({"2026-01-01": {"authority_score": 40}}).empty


def test_chart_data_is_each_analysis_of_the_page_with_the_vanished_links_read_on_this_thread():
    import threading

    backlinks = fixture()
    refs = pd.DataFrame({"domain": ["a.com", "b.org"], "root_domain": ["a.com", "b.org"],
                         "domain_ascore": pd.array([30, 70], dtype="Int64"), "country": ["US", "de"],
                         "backlinks": pd.array([4, 2], dtype="Int64")})
    vanished = backlinks.iloc[:1].assign(lost_date=T("2026-10-15"))
    callers = []

    def read_vanished():
        callers.append(threading.current_thread())
        return vanished

    found = ov.chart_data(backlinks, refs, DATA_DATE, read_vanished)
    assert callers == [threading.current_thread()]
    curve = ov.concentration_curve(backlinks, DATA_DATE)
    expected = {"ascore": ov.ascore_distribution(refs, backlinks), "tlds": ov.top_tlds(backlinks, refs, DATA_DATE),
                "countries": ov.top_countries(refs), "growth": ov.growth_by_month(backlinks, DATA_DATE, vanished),
                "link_types": ov.link_type_counts(backlinks, DATA_DATE), "rel": ov.rel_counts(backlinks, DATA_DATE),
                "pages": ov.top_target_pages(backlinks, DATA_DATE), "concentration": ov.concentration(curve),
                "steps": ov.concentration_steps(curve)}
    assert found.keys() == expected.keys()
    for name, value in expected.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(found[name], value)
        else:
            assert found[name] == value
    # Without backlinks: the Referring Domains figures only, and the vanished links are not read.
    assert ov.chart_data(None, refs, DATA_DATE, read_vanished).keys() == {"ascore", "tlds", "countries"}
    assert len(callers) == 1
