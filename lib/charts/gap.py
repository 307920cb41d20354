"""Figures of the Backlink gap page: how the compared domains' referring-domain sets overlap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.charts.base import NEUTRAL, PALETTE, empty, styled
from lib.charts.overview import plain_label

COMBINATION_LEGEND = "Orange: without you (prospects) · grey: with you · green: only you."


def _name(domain: str, you: str) -> str:
    return f"{plain_label(domain)} (you)" if domain == you else plain_label(domain)


def overlap_heatmap(overlap: pd.DataFrame, you: str) -> go.Figure:
    """Referring domains each pair of compared domains shares; the diagonal is each domain's total."""
    title = "Referring domains shared by each pair"
    if overlap.empty or int(np.diag(overlap.to_numpy()).sum()) == 0:
        return empty(title, "No referring domains to compare.")
    names = [_name(d, you) for d in overlap.index]
    values = overlap.to_numpy()
    fig = go.Figure(go.Heatmap(
        z=values, x=names, y=names, colorscale=[[0, "rgba(37, 99, 235, 0.06)"], [1, PALETTE[0]]],
        text=[[f"{v:,}" for v in row] for row in values], texttemplate="%{text}", showscale=False,
        hovertemplate="%{y} and %{x}: %{z:,} referring domains<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="bottom", tickangle=-20)
    return styled(fig, title, 120 + 56 * len(names))


def combinations_bar(combos: pd.DataFrame, you: str) -> go.Figure:
    """The most common sets of compared domains linked together (UpSet style), largest first.

    Orange: without you (prospects); grey: with you; green: only you (COMBINATION_LEGEND says so on the page)."""
    title = "Most common combinations of linked domains"
    if combos.empty:
        return empty(title, "No referring domains to compare.")
    data = combos.iloc[::-1]
    colors = [PALETTE[2] if you in d and len(d) == 1 else (NEUTRAL if you in d else PALETTE[1])
              for d in data["domains"]]
    labels = list(data["combination"].map(plain_label))
    fig = go.Figure(go.Bar(
        x=data["count"], y=labels, orientation="h", marker_color=colors,
        hovertemplate="%{y}: %{x:,} referring domains<extra></extra>",
    ))
    fig.update_xaxes(title_text="Referring domains")
    return styled(fig, title, max(300, 70 + 30 * len(combos)))
