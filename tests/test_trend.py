"""The profile trend over snapshots, on hand-made frames with exact numbers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.analysis import trend


def links(*rows: tuple) -> pd.DataFrame:
    """(source_url, source_domain, lost_link) rows."""
    frame = pd.DataFrame(rows, columns=["source_url", "source_domain", "lost_link"])
    frame["target_url"] = "https://me.com/"
    return frame.astype({"source_url": "str", "source_domain": "str", "lost_link": "bool", "target_url": "str"})


MARCH = links(("https://a.com/1", "a.com", False), ("https://a.com/2", "a.com", False),
              ("https://spam.xyz/1", "spam.xyz", False), ("https://old.net/1", "old.net", True))
APRIL = links(("https://a.com/1", "a.com", False), ("https://b.org/1", "b.org", False),
              ("https://spam.xyz/1", "spam.xyz", False), ("https://spam.xyz/2", "spam.xyz", False),
              ("https://spam2.top/1", "spam2.top", False))
SCORES = pd.DataFrame({"domain": ["a.com", "b.org", "spam.xyz", "spam2.top"], "risk_score": [10, 49, 50, 90]})


def test_points_count_links_not_flagged_lost_and_their_domains():
    point = trend.summarize_snapshot(MARCH, 7, date(2024, 3, 31), SCORES, risky_score=50)
    assert (point.backlinks, point.referring_domains, point.risky_backlinks) == (3, 2, 1)
    assert point.risky_share == 1 / 3


def test_risky_share_uses_the_threshold_inclusively():
    point = trend.summarize_snapshot(APRIL, 8, date(2024, 4, 30), SCORES, risky_score=50)
    assert (point.backlinks, point.referring_domains, point.risky_backlinks, point.risky_share) == (5, 4, 3, 0.6)


def test_without_risk_scores_the_share_is_unknown():
    point = trend.summarize_snapshot(APRIL, 8, date(2024, 4, 30))
    assert point.risky_backlinks is None and point.risky_share is None


def test_an_empty_snapshot_has_zero_share_not_a_division_error():
    point = trend.summarize_snapshot(MARCH.iloc[0:0], 1, date(2024, 1, 1), SCORES)
    assert (point.backlinks, point.referring_domains, point.risky_share) == (0, 0, 0.0)


def test_trend_frame_orders_by_data_date():
    points = [trend.summarize_snapshot(APRIL, 2, date(2024, 4, 30), SCORES),
              trend.summarize_snapshot(MARCH, 9, date(2024, 3, 31), SCORES)]
    frame = trend.trend_frame(points)
    assert list(frame["snapshot_id"]) == [9, 2]
    assert list(frame["backlinks"]) == [3, 5]
    assert list(frame["referring_domains"]) == [2, 4]
    assert str(frame["data_date"].dtype) == "datetime64[ns]"
    assert trend.trend_frame([]).empty


def test_site_ascore_setting_is_read_leniently():
    series = trend.site_ascore_series({"2024-04-02": 31, "2024-03-01": "29", "garbage": 5, "2024-05-01": None,
                                       "2024-06-01": 140})
    assert series.to_dict("records") == [{"date": pd.Timestamp("2024-03-01"), "authority_score": 29},
                                         {"date": pd.Timestamp("2024-04-02"), "authority_score": 31}]
    assert trend.site_ascore_series(None).empty


def test_site_ascore_joins_the_nearest_recording_within_tolerance():
    points = [trend.summarize_snapshot(MARCH, 1, date(2024, 1, 31)),
              trend.summarize_snapshot(MARCH, 2, date(2024, 3, 31)),
              trend.summarize_snapshot(APRIL, 3, date(2024, 4, 30))]
    site = trend.site_ascore_series({"2024-04-02": 31, "2024-03-01": 29})
    joined = trend.with_site_ascore(trend.trend_frame(points), site)
    # 31 Jan: nearest is 1 Mar, 30 days away (too far); 31 Mar: 2 Apr (2 days); 30 Apr: 2 Apr is 28 days away.
    assert joined["site_ascore"].tolist() == [pd.NA, 31, pd.NA]
    assert joined["site_ascore"].isna().tolist() == [True, False, True]
    empty = trend.with_site_ascore(trend.trend_frame(points), trend.site_ascore_series({}))
    assert empty["site_ascore"].isna().all()


def test_trend_figure_has_a_panel_per_measure_and_says_what_is_missing():
    from lib.charts import history as charts

    points = [trend.summarize_snapshot(MARCH, 1, date(2024, 3, 31), SCORES),
              trend.summarize_snapshot(APRIL, 2, date(2024, 4, 30), SCORES)]
    frame = trend.trend_frame(points)
    figure = charts.trend_grid(frame, trend.site_ascore_series({"2024-04-02": 31}))
    assert [list(t.y) for t in figure.data[:3]] == [[2, 4], [3, 5], [31.0]]
    assert list(figure.data[3].y) == pytest.approx([100 / 3, 60.0])
    bare = charts.trend_grid(trend.trend_frame([trend.summarize_snapshot(MARCH, 1, date(2024, 3, 31))]),
                             trend.site_ascore_series(None))
    notes = [a.text for a in bare.layout.annotations]
    assert "No site Authority Score recorded yet" in notes and "Risk scores are not available" in notes
    assert len(bare.data) == 2


def test_ascore_movers_colour_rises_and_falls():
    from lib.charts import history as charts

    changes = pd.DataFrame({"domain": ["a.com", "b.org"], "old_ascore": [30, 50], "new_ascore": [35, 45],
                            "change": [5, -5]}).astype({"old_ascore": "Int64", "new_ascore": "Int64",
                                                        "change": "Int64"})
    figure = charts.ascore_movers(changes)
    assert list(figure.data[0].y) == ["b.org", "a.com"]  # the first row ends up at the top
    assert list(figure.data[0].marker.color) == [charts.BAD, charts.GOOD]
    assert charts.ascore_movers(changes.iloc[0:0]).layout.annotations[0].text.startswith("No linking domain")


def test_risk_uses_the_referring_domains_snapshot_of_the_time():
    from types import SimpleNamespace as Snap

    refdomains = [Snap(id=1, data_date=date(2024, 3, 31)), Snap(id=2, data_date=date(2024, 5, 31))]
    assert trend.companion(refdomains, date(2024, 4, 30)).id == 1
    assert trend.companion(refdomains, date(2024, 5, 31)).id == 2
    assert trend.companion(refdomains, date(2024, 1, 31)).id == 1  # none before: the earliest
    assert trend.companion([], date(2024, 1, 31)) is None


def test_snapshot_point_scores_risk_with_lib_analysis_risk():
    from lib.analysis.risk import RISKY_SCORE, RiskContext, domain_risk
    from lib.schema import KINDS

    frame = pd.DataFrame({
        "source_url": ["https://best-cheap-grinder-deals.xyz/a", "https://best-cheap-grinder-deals.xyz/b",
                       "https://blog.beans.com/p"],
        "source_title": ["", "", "Beans"], "target_url": ["https://me.com/shop"] * 2 + ["https://me.com/"],
        "anchor": ["coffee grinder", "coffee grinder", "Me"], "page_ascore": [1, 1, 40],
        "external_links": [300, 300, 4], "sitewide": [True, True, False], "lost_link": [False, False, False],
        "source_domain": ["best-cheap-grinder-deals.xyz"] * 2 + ["beans.com"],
        "source_host": ["best-cheap-grinder-deals.xyz"] * 2 + ["blog.beans.com"],
        "source_tld": ["xyz", "xyz", "com"], "first_seen": ["2024-04-01"] * 3, "last_seen": ["2024-04-20"] * 3,
    })
    dtypes = KINDS["backlinks"].dtypes
    frame = frame.astype({c: dtypes[c] for c in frame.columns})
    point = trend.snapshot_point(frame, 5, date(2024, 4, 30), "me.com", ("me",), ("coffee grinder",))
    scores = domain_risk(frame, None, RiskContext("me.com", ("me",), ("coffee grinder",))).set_index("domain")
    risky = scores["risk_score"] >= RISKY_SCORE
    assert risky.to_dict() == {"best-cheap-grinder-deals.xyz": True, "beans.com": False}
    assert (point.backlinks, point.referring_domains, point.risky_backlinks) == (3, 2, 2)
    assert point.risky_share == pytest.approx(2 / 3)


def test_active_links_are_the_rows_not_flagged_lost_with_every_dtype_kept():
    from lib.analysis.trend import active_links

    frame = pd.DataFrame({
        "source_domain": pd.array(["a.com", None, "c.com", "d.com"], dtype="str"),
        "page_ascore": pd.array([1, None, 3, 4], dtype="Int64"),
        "sitewide": [True, False, True, False],
        "first_seen": pd.to_datetime(["2025-01-01", None, "2025-03-01", "2025-04-01"]),
        "lost_link": pd.array([False, True, None, False], dtype="boolean"),
    }, index=[10, 20, 30, 40])
    live = active_links(frame)
    pd.testing.assert_frame_equal(live, frame[[True, False, True, True]])  # a missing flag is not lost
    assert live.index.tolist() == [10, 30, 40]
    kept = frame.assign(lost_link=False)
    assert active_links(kept).equals(kept)
    assert active_links(frame.drop(columns="lost_link")).equals(frame.drop(columns="lost_link"))


def test_a_point_from_the_live_links_domains_factorised_elsewhere_is_the_same():
    from lib.analysis.risk import LinkDomains

    for frame in (MARCH, APRIL, MARCH.iloc[0:0]):
        domains = LinkDomains(trend.active_links(frame))
        shared = trend.summarize_snapshot(frame, 3, date(2024, 4, 30), SCORES,
                                          live_domains=(domains.codes, domains.uniques))
        assert shared == trend.summarize_snapshot(frame, 3, date(2024, 4, 30), SCORES)
