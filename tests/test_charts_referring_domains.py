"""The Referring domains page's figures."""

from __future__ import annotations

import pandas as pd

from lib.charts import referring_domains as charts


def domains(n: int) -> pd.DataFrame:
    return pd.DataFrame({"domain": [f"d{i}.com" for i in range(n)],
                         "domain_ascore": pd.array([i % 101 for i in range(n)], dtype="Int64"),
                         "backlinks": pd.array([1 + i % 7 for i in range(n)], dtype="Int64"),
                         "mark": [""] * n})


def plotted(fig) -> tuple[list[float], list[str]]:
    ys = [y for trace in fig.data for y in trace.y]
    names = [name for trace in fig.data for name in trace.text]
    return ys, names


def test_few_domains_are_all_drawn():
    ys, _ = plotted(charts.ascore_vs_backlinks(domains(300)))
    assert len(ys) == 300


def test_many_domains_are_spread_over_the_scores_and_marked_ones_kept():
    table = domains(20_000)
    table.loc[[7, 8], "mark"] = ["good", "review"]  # Authority Scores 7 and 8: low, would fall out of a top slice
    fig = charts.ascore_vs_backlinks(table, limit=500)
    ys, names = plotted(fig)
    assert 500 <= len(ys) <= 502
    assert min(ys) == 0 and max(ys) == 100  # the whole range, not the strongest 500
    assert {"d7.com", "d8.com"} <= set(names)
    assert f"of {len(table):,}" in fig.layout.title.text
