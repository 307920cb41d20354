"""Figures of the Anchors page; all share the template of lib.charts.base."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.analysis.anchors import LABELS
from lib.charts.base import GOOD, NEUTRAL, PALETTE, WARN, empty, styled
from lib.charts.overview import plain_label

TYPE_COLORS = {
    "brand": GOOD, "naked_url": PALETTE[0], "generic": PALETTE[5], "empty": NEUTRAL, "other": PALETTE[4],
    "exact_match": WARN, "partial_match": "#fbbf24",
}


def distribution(frame: pd.DataFrame, by: str, title: str) -> go.Figure:
    """Anchor types by share of backlinks (`by="backlinks"`) or of referring domains (`by="domains"`)."""
    if frame[by].sum() == 0:
        return empty(title, "No anchors to chart.")
    noun = "backlinks" if by == "backlinks" else "referring domains"
    data = frame.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=data[f"{by}_share"], y=data["label"], orientation="h",
        marker_color=[TYPE_COLORS.get(c, NEUTRAL) for c in data["category"]],
        text=[f"{s:.0%}" for s in data[f"{by}_share"]], textposition="outside",
        customdata=data[[by]].to_numpy(),
        hovertemplate=f"%{{y}}: %{{customdata[0]:,}} {noun} (%{{x:.1%}})<extra></extra>",
    ))
    top = float(frame[f"{by}_share"].max())
    fig.update_xaxes(title_text=f"Share of {noun}", tickformat=".0%", range=[0, min(1.0, top * 1.25) or 1])
    return styled(fig, title, 330)


def top_anchors(anchors: pd.DataFrame, limit: int = 15) -> go.Figure:
    """The anchors used by the most referring domains, coloured by type."""
    title = f"Top {limit} anchors by referring domains" if len(anchors) > limit else "Anchors by referring domains"
    if anchors.empty:
        return empty(title, "No anchors to chart.")
    shown = anchors.head(limit).iloc[::-1]
    labels = [plain_label(a, 50) or "(empty / image)" for a in shown["anchor"]]
    # Two anchors can shorten to the same label: a zero-width suffix keeps the bars apart.
    labels = [label + "\u200b" * i for i, label in enumerate(labels)]
    fig = go.Figure()
    for category in shown["category"].unique():
        part = [i for i, c in enumerate(shown["category"]) if c == category]
        fig.add_bar(
            x=shown["domains"].iloc[part], y=[labels[i] for i in part], orientation="h", name=LABELS[category],
            marker_color=TYPE_COLORS.get(category, NEUTRAL), customdata=shown[["backlinks"]].iloc[part].to_numpy(),
            hovertemplate="%{y}: %{x:,} domains, %{customdata[0]:,} backlinks<extra>"
                          + LABELS[category] + "</extra>")
    fig.update_layout(barmode="stack", yaxis=dict(categoryorder="array", categoryarray=labels),
                      legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0))
    fig.update_xaxes(title_text="Referring domains")
    return styled(fig, title, max(340, 110 + 26 * len(shown)))
