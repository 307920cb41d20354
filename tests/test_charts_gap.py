"""Figures of the Backlink gap page: the numbers drawn are the fixture's pairwise and combination counts."""

from __future__ import annotations

import itertools

import pandas as pd

from lib.analysis import gap as g
from lib.charts import gap as charts
from lib.charts.base import NEUTRAL, PALETTE
from tests.test_analysis_gap import COMPETITORS, FIXTURE, YOU, export_long

DOMAINS = (YOU, *COMPETITORS)


def linked_sets() -> dict[str, set[str]]:
    """Compared domain -> the fixture's referring domains linking to it, counted by hand from FIXTURE."""
    return {name: {ref for ref, (_, *links) in FIXTURE.items() if links[i] > 0} for i, name in enumerate(DOMAINS)}


def gap() -> g.Gap:
    return g.gap_from_export(export_long(), YOU, COMPETITORS)


def test_heatmap_cells_are_the_pairwise_shared_referring_domains():
    fig = charts.overlap_heatmap(g.pairwise_overlap(gap()), YOU)
    [trace] = fig.data
    assert trace.type == "heatmap"
    names = ["you.com (you)", "a.com", "b.com", "c.com", "d.com"]
    assert list(trace.x) == names and list(trace.y) == names
    sets = linked_sets()
    expected = [[len(sets[row] & sets[col]) for col in DOMAINS] for row in DOMAINS]
    assert [list(map(int, row)) for row in trace.z] == expected
    # a few cells by hand: you.com has 6 referring domains, a.com 7, they share 4, c.com and d.com 3
    assert expected[0][0] == 6 and expected[1][1] == 7 and expected[0][1] == expected[1][0] == 4
    assert expected[3][4] == 3
    assert [list(row) for row in trace.text] == [[f"{v:,}" for v in row] for row in expected]


def test_combination_bars_are_the_counts_of_each_set_of_linked_domains_largest_first():
    fig = charts.combinations_bar(g.combinations(gap()), YOU)
    [trace] = fig.data
    assert trace.orientation == "h"
    # The bars run bottom-up, so the largest is last; ties in the order lib.analysis.gap.combinations gives.
    expected = [
        ("you + a.com", 2, NEUTRAL),  # weakpair, strongerpair
        ("you + a.com + b.com + c.com + d.com", 2, NEUTRAL),  # everyone, everyweak
        ("you only", 1, PALETTE[2]),  # onlyyou
        ("a.com only", 1, PALETTE[1]),  # onlya
        ("you + b.com", 1, NEUTRAL),  # equal
        ("a.com + b.com + c.com", 1, PALETTE[1]),  # three
        ("a.com + b.com + c.com + d.com", 1, PALETTE[1]),  # all4
    ][::-1]
    assert list(zip(trace.y, map(int, trace.x), trace.marker.color)) == expected
    # the same counts straight from the fixture: how many referring domains link to exactly each set
    by_set = pd.Series([frozenset(d for d, n in zip(DOMAINS, links) if n > 0) for _, *links in FIXTURE.values()])
    assert sorted(by_set.value_counts().tolist(), reverse=True) == sorted(map(int, trace.x), reverse=True)
    assert sum(trace.x) == len(FIXTURE)


def test_top_limits_the_bars():
    fig = charts.combinations_bar(g.combinations(gap(), top=2), YOU)
    assert list(fig.data[0].y) == ["you + a.com + b.com + c.com + d.com", "you + a.com"]


def test_no_referring_domains_draws_a_message_not_empty_axes():
    empty = g.Gap(gap().frame.iloc[:0], YOU, COMPETITORS, "gap export")
    for fig in (charts.overlap_heatmap(g.pairwise_overlap(empty), YOU),
                charts.combinations_bar(g.combinations(empty), YOU)):
        assert not fig.data
        assert fig.layout.annotations[0].text == "No referring domains to compare."


def test_hostile_domain_names_are_escaped_in_the_labels():
    hostile = "<b onmouseover=alert(1)>x</b>.com"
    bad = g.Gap(gap().frame, YOU, (hostile, *COMPETITORS[1:]), "gap export")
    heat = charts.overlap_heatmap(g.pairwise_overlap(bad), YOU)
    assert "&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;.com" in heat.data[0].x
    bars = charts.combinations_bar(g.combinations(bad), YOU)
    labels = " ".join(bars.data[0].y)
    assert "<b" not in labels and "&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;.com only" in labels


def test_pairs_are_symmetric():
    z = charts.overlap_heatmap(g.pairwise_overlap(gap()), YOU).data[0].z
    for i, j in itertools.combinations(range(len(DOMAINS)), 2):
        assert z[i][j] == z[j][i]
