"""Figures of the Referring domains page; all share the template of lib.charts.base."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.analysis.categories import CATEGORY_LABELS
from lib.charts.base import BAD, GOOD, NEUTRAL, PALETTE, WARN, empty, styled
from lib.charts.overview import plain_label

CATEGORY_COLORS = {
    "industry_blog": GOOD, "partner": PALETTE[0], "resource_page": PALETTE[5], "news": PALETTE[4],
    "forum": PALETTE[6], "directory": NEUTRAL, "suspicious": BAD,
}


def categories(counts: pd.DataFrame) -> go.Figure:
    """Referring domains per category (of the filtered table)."""
    title = "What kind of sites link to you"
    if counts.empty:
        return empty(title, "No referring domains match the filters.")
    data = counts.iloc[::-1]
    labels = [CATEGORY_LABELS.get(c, c) for c in data["category"]]
    fig = go.Figure(go.Bar(
        x=data["domains"], y=labels, orientation="h",
        marker_color=[CATEGORY_COLORS.get(c, NEUTRAL) for c in data["category"]],
        customdata=data[["backlinks"]].to_numpy(),
        hovertemplate="%{y}: %{x:,} domains, %{customdata[0]:,} backlinks<extra></extra>",
    ))
    fig.update_xaxes(title_text="Referring domains")
    return styled(fig, title, max(260, 60 + 34 * len(counts)))


def ascore_vs_backlinks(table: pd.DataFrame, limit: int = 2_000) -> go.Figure:
    """Each domain as a dot: Authority Score against backlinks (log scale), coloured by mark.

    Over `limit` domains, an even spread of them over the whole range of scores (every n-th by score) and every
    marked one: the strongest alone would show a profile of only high scores."""
    title = "Authority Score against backlinks per domain"
    shown = table.dropna(subset=["domain_ascore", "backlinks"])
    if shown.empty:
        return empty(title, "Authority Scores come from a Referring Domains export.")
    shown = shown.sort_values(["domain_ascore", "backlinks"], ascending=False)
    if len(shown) > limit:
        total = len(shown)
        spread = np.zeros(total, dtype=bool)
        spread[np.linspace(0, total - 1, limit).round().astype(int)] = True
        shown = shown[spread | (shown["mark"] != "").to_numpy(bool)]
        title = f"Authority Score against backlinks: {len(shown):,} of {total:,} domains"
    fig = go.Figure()
    for mark, name, color in (("", "Not marked", PALETTE[0]), ("good", "Good", GOOD), ("review", "Review", WARN)):
        part = shown[shown["mark"] == mark]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["backlinks"].astype("float64"), y=part["domain_ascore"].astype("float64"), mode="markers",
            name=name, marker=dict(color=color, size=8, opacity=0.75),
            text=part["domain"].map(plain_label),
            hovertemplate="%{text}<br>Authority Score %{y}<br>%{x:,} backlinks<extra></extra>")
    fig.update_xaxes(type="log", title_text="Backlinks (log scale)")
    fig.update_yaxes(title_text="Authority Score", range=[0, 102])
    return styled(fig, title, 360)
