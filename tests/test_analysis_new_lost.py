"""New and lost backlinks and referring domains on hand-made snapshots, with exact expected results."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.analysis import new_lost
from lib.schema import KINDS


def backlinks(*rows: tuple) -> pd.DataFrame:
    """(source_url, target_url, page_ascore, first_seen, last_seen, lost_link) rows, canonically typed."""
    frame = pd.DataFrame(rows, columns=["source_url", "target_url", "page_ascore", "first_seen", "last_seen",
                                        "lost_link"])
    frame["source_domain"] = frame["source_url"].str.extract(r"https://([^/]+)/")[0]
    frame["anchor"] = "anchor"
    frame["source_title"] = "title"
    frame["nofollow"] = False
    dtypes = KINDS["backlinks"].dtypes
    return frame.astype({c: dtypes[c] for c in frame.columns})


APRIL = backlinks(
    ("https://a.com/1", "https://me.com/", 30, "2024-01-05", "2024-04-28", False),
    ("https://c.net/old", "https://me.com/blog", 65, "2023-10-01", "2024-04-25", False),
    ("https://e.com/q", "https://me.com/shop", 15, "2024-02-01", "2024-03-15", True),
)
JUNE = backlinks(
    ("https://a.com/1", "https://me.com/", 30, "2024-01-05", "2024-06-28", False),
    ("https://a.com/2", "https://me.com/shop", 20, "2024-05-10", "2024-06-01", True),
    ("https://b.org/x", "https://me.com/", 50, "2024-05-20", "2024-06-29", False),
    ("https://c.net/y", "https://me.com/blog", 70, "2023-11-01", "2024-06-15", True),
    ("https://d.io/z", "https://me.com/blog", 10, "2024-06-03", "2024-06-29", False),
    ("https://d.io/w", "https://me.com/blog", 12, "2024-06-03", "2024-06-29", False),
)
HISTORY = [(date(2024, 4, 30), APRIL), (date(2024, 6, 30), JUNE)]
REFDOMAINS = pd.DataFrame({"domain": ["c.net", "b.org"], "root_domain": ["c.net", "b.org"],
                           "domain_ascore": [80, 45]}).astype({"domain": "str", "root_domain": "str",
                                                               "domain_ascore": "Int64"})


@pytest.fixture
def links() -> pd.DataFrame:
    vanished = new_lost.vanished_backlinks(HISTORY)
    return new_lost.link_events(JUNE, vanished, REFDOMAINS, as_of=date(2024, 6, 30))


def test_vanished_links_are_dated_by_the_first_snapshot_without_them_or_by_their_lost_flag():
    vanished = new_lost.vanished_backlinks(HISTORY)
    got = {(r.source_url, r.lost_date.date(), r.lost_how) for r in vanished.itertuples()}
    assert got == {("https://c.net/old", date(2024, 6, 30), "disappeared"),
                   ("https://e.com/q", date(2024, 3, 15), "flagged lost")}
    assert vanished["lost_link"].all()


def test_a_link_gone_for_two_snapshots_is_lost_once_at_its_first_absence():
    middle = backlinks(("https://a.com/1", "https://me.com/", 30, "2024-01-05", "2024-05-30", False))
    latest = backlinks(("https://z.com/1", "https://me.com/", 30, "2024-06-01", "2024-06-28", False))
    vanished = new_lost.vanished_backlinks([(date(2024, 4, 30), APRIL), (date(2024, 5, 31), middle),
                                            (date(2024, 6, 30), latest)])
    by_url = dict(zip(vanished["source_url"], vanished["lost_date"].dt.date))
    assert by_url == {"https://c.net/old": date(2024, 5, 31), "https://e.com/q": date(2024, 3, 15),
                      "https://a.com/1": date(2024, 6, 30)}


def test_one_snapshot_has_nothing_vanished():
    assert new_lost.vanished_backlinks([(date(2024, 6, 30), JUNE)]).empty


def test_authority_prefers_the_referring_domains_export(links):
    by_url = dict(zip(links["source_url"], links["authority"]))
    assert by_url["https://c.net/y"] == 80 and by_url["https://c.net/old"] == 80
    assert by_url["https://b.org/x"] == 45
    assert by_url["https://a.com/2"] == 20  # not in the export: its page_ascore


def test_domain_events(links):
    domains = new_lost.domain_events(links).set_index("domain")
    assert domains.loc["c.net", "lost"] and domains.loc["c.net", "lost_date"] == pd.Timestamp("2024-06-30")
    assert domains.loc["e.com", "lost"] and domains.loc["e.com", "lost_date"] == pd.Timestamp("2024-03-15")
    assert not domains.loc["a.com", "lost"] and pd.isna(domains.loc["a.com", "lost_date"])
    assert domains.loc["a.com", "first_seen"] == pd.Timestamp("2024-01-05")
    assert (domains.loc["a.com", "backlinks"], domains.loc["a.com", "lost_backlinks"]) == (2, 1)


def test_monthly_timeline(links):
    report = new_lost.new_lost_report(links, date(2024, 5, 1), date(2024, 6, 30), "month", threshold=40)
    assert report.timeline.to_dict("records") == [
        {"period": pd.Timestamp("2024-05-01"), "new_backlinks": 2, "lost_backlinks": 0, "new_domains": 1,
         "lost_domains": 0, "net_domains": 1},
        {"period": pd.Timestamp("2024-06-01"), "new_backlinks": 2, "lost_backlinks": 3, "new_domains": 1,
         "lost_domains": 1, "net_domains": 0},
    ]
    assert set(report.new_domains["domain"]) == {"b.org", "d.io"}
    assert set(report.lost_domains["domain"]) == {"c.net"}


def test_weekly_timeline_starts_weeks_on_monday_and_keeps_empty_weeks(links):
    report = new_lost.new_lost_report(links, date(2024, 6, 1), date(2024, 6, 16), "week")
    table = report.timeline.set_index("period")
    assert list(table.index) == [pd.Timestamp("2024-05-27"), pd.Timestamp("2024-06-03"), pd.Timestamp("2024-06-10")]
    assert list(table["new_backlinks"]) == [0, 2, 0]
    assert list(table["lost_backlinks"]) == [1, 0, 1]
    assert list(table["lost_domains"]) == [0, 0, 0]


def test_lost_links_from_strong_domains_come_first(links):
    report = new_lost.new_lost_report(links, date(2024, 5, 1), date(2024, 6, 30), "month", threshold=40)
    lost = report.lost_links
    assert list(lost["source_url"]) == ["https://c.net/old", "https://c.net/y", "https://a.com/2"]
    assert list(lost["strong"]) == [True, True, False]
    assert list(lost["lost_how"]) == ["disappeared", "flagged lost", "flagged lost"]
    assert report.strong_lost == 2
    assert list(lost["target_url"]) == ["https://me.com/blog", "https://me.com/blog", "https://me.com/shop"]



def test_new_links_keep_the_columns_the_page_shows_and_downloads(links):
    report = new_lost.new_lost_report(links, date(2024, 1, 1), date(2024, 6, 30), "month")
    assert list(report.new_links.columns) == new_lost.NEW_LINK_COLUMNS
    in_range = new_lost._in(links["first_seen"], date(2024, 1, 1), date(2024, 6, 30))
    assert 0 < len(report.new_links) == int(in_range.sum())
    assert report.new_links["authority"].is_monotonic_decreasing

def test_threshold_is_inclusive(links):
    report = new_lost.new_lost_report(links, date(2024, 5, 1), date(2024, 6, 30), threshold=20)
    assert report.strong_lost == 3


def test_pages_that_lost_the_most(links):
    report = new_lost.new_lost_report(links, date(2024, 5, 1), date(2024, 6, 30), threshold=40)
    assert report.pages_losing.to_dict("records") == [
        {"target_url": "https://me.com/blog", "lost_backlinks": 2, "lost_domains": 1, "strong_lost": 2},
        {"target_url": "https://me.com/shop", "lost_backlinks": 1, "lost_domains": 1, "strong_lost": 0},
    ]


def test_pages_attracting_new_referring_domains(links):
    report = new_lost.new_lost_report(links, date(2024, 5, 1), date(2024, 6, 30))
    assert report.pages_attracting.to_dict("records") == [
        {"target_url": "https://me.com/blog", "new_domains": 1, "new_backlinks": 2},
        {"target_url": "https://me.com/", "new_domains": 1, "new_backlinks": 1},
        {"target_url": "https://me.com/shop", "new_domains": 1, "new_backlinks": 1},
    ]


def test_a_domain_already_linking_elsewhere_is_still_new_to_a_page():
    frame = backlinks(("https://a.com/1", "https://me.com/", 30, "2023-01-05", "2024-06-28", False),
                      ("https://a.com/2", "https://me.com/guide", 30, "2024-06-05", "2024-06-28", False),
                      ("https://a.com/3", "https://me.com/", 30, "2024-06-06", "2024-06-28", False))
    links = new_lost.link_events(frame)
    attracting = new_lost.pages_attracting(links, date(2024, 6, 1), date(2024, 6, 30))
    assert attracting.to_dict("records") == [
        {"target_url": "https://me.com/guide", "new_domains": 1, "new_backlinks": 1},
        {"target_url": "https://me.com/", "new_domains": 0, "new_backlinks": 1},
    ]


def test_losses_on_important_pages_ignore_a_trailing_slash(links):
    report = new_lost.new_lost_report(links, date(2024, 5, 1), date(2024, 6, 30), threshold=40)
    hits = new_lost.losses_on_pages(report.lost_links, ["https://me.com/blog/"])
    assert set(hits["source_url"]) == {"https://c.net/old", "https://c.net/y"}
    assert new_lost.losses_on_pages(report.lost_links, []).empty


def test_without_referring_domains_authority_is_page_ascore():
    links = new_lost.link_events(JUNE)
    assert list(links["authority"]) == [30, 20, 50, 70, 10, 12]
    assert list(links["lost"]) == [False, True, False, True, False, False]


def test_an_empty_range_gives_empty_tables(links):
    report = new_lost.new_lost_report(links, date(2020, 1, 1), date(2020, 2, 29), "month")
    assert report.lost_links.empty and report.new_links.empty and report.pages_losing.empty
    assert report.pages_attracting.empty
    assert report.timeline[["new_backlinks", "lost_backlinks"]].sum().tolist() == [0, 0]
    assert len(report.timeline) == 2


def test_shared_input_frames_are_not_modified():
    before = JUNE.copy()
    new_lost.new_lost_report(new_lost.link_events(JUNE), date(2024, 1, 1), date(2024, 6, 30))
    pd.testing.assert_frame_equal(JUNE, before)


def test_unknown_frequency_is_refused(links):
    with pytest.raises(ValueError):
        new_lost.new_lost_report(links, date(2024, 1, 1), date(2024, 6, 30), "day")


def test_preset_ranges_start_on_a_whole_week_or_month():
    assert new_lost.range_ending(date(2026, 11, 25), 182, "month") == (date(2026, 5, 1), date(2026, 11, 25))
    assert new_lost.range_ending(date(2026, 11, 25), 30, "month") == (date(2026, 10, 1), date(2026, 11, 25))
    # 27 Oct 2026 is a Tuesday: back to Monday the 26th.
    assert new_lost.range_ending(date(2026, 11, 25), 30, "week") == (date(2026, 10, 26), date(2026, 11, 25))


def test_charts_label_pages_by_path_and_keep_same_path_pages_apart(links):
    from lib.charts import new_lost as charts

    assert charts.page_labels(pd.Series(["https://me.com/", "https://www.me.com/", "https://me.com/blog"])) == [
        "me.com/", "www.me.com/", "/blog"]
    report = new_lost.new_lost_report(links, date(2024, 5, 1), date(2024, 6, 30), threshold=40)
    figure = charts.top_pages(report.pages_losing, "lost_backlinks", "Pages", color="red", noun="lost")
    assert list(figure.data[0].y) == ["/shop", "/blog"]  # largest at the top of a horizontal chart
    timeline = charts.new_lost_timeline(report.timeline, "domains", "month")
    assert [t.name for t in timeline.data] == ["New", "Lost", "Net change"]
    assert list(timeline.data[1].y) == [0, -1]
    quiet = new_lost.new_lost_report(links, date(2020, 1, 1), date(2020, 1, 31))
    assert charts.new_lost_timeline(quiet.timeline, "backlinks", "month").layout.annotations[0].text.startswith(
        "No backlinks")


def test_new_and_lost_links_sort_as_pandas_would_with_missing_values_and_ties():
    links = pd.DataFrame({
        "source_url": ["https://b.com/", "https://a.com/", "https://é.com/", "https://c.com/", "https://a.com/",
                       "https://z.com/"],
        "authority": pd.array([40, 40, None, 70, 40, None], dtype="Int64"),
        "first_seen": pd.to_datetime(["2026-10-05", "2026-10-05", "2026-10-06", None, "2026-10-05", "2026-10-07"]),
        "lost": [True, True, True, True, False, True],
        "lost_date": pd.to_datetime(["2026-10-09", "2026-10-09", None, "2026-10-08", None, "2026-10-09"]),
    }, index=[10, 11, 12, 13, 14, 15]).astype({"source_url": "str"})
    new = new_lost.new_links_in(links, date(2026, 10, 1), date(2026, 10, 31))
    expected_new = links[links["first_seen"].notna()].sort_values(
        ["authority", "first_seen", "source_url"], ascending=[False, False, True], na_position="last", kind="stable")
    assert new["source_url"].tolist() == expected_new["source_url"].tolist() == [
        "https://a.com/", "https://a.com/", "https://b.com/", "https://z.com/", "https://é.com/"]
    assert list(new.index) == list(range(5))
    lost = new_lost.lost_links_in(links, date(2026, 10, 1), date(2026, 10, 31), threshold=50)
    assert lost["source_url"].tolist() == ["https://c.com/", "https://a.com/", "https://b.com/", "https://z.com/"]
    assert lost["strong"].tolist() == [True, False, False, False]
