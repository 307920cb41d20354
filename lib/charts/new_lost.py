"""Figures of the New & lost page; all share the template of lib.charts.base."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts.base import BAD, GOOD, PALETTE, bar, empty, styled
from lib.charts.overview import plain_label, url_label

NOUNS = {"domains": "referring domains", "backlinks": "backlinks"}
PERIOD_WORDS = {"week": "week", "month": "month"}


def new_lost_timeline(timeline: pd.DataFrame, measure: str, freq: str) -> go.Figure:
    """New (up) and lost (down) per week or month; for domains, the net change as a line."""
    noun = NOUNS[measure]
    title = f"New and lost {noun} per {PERIOD_WORDS[freq]}"
    if timeline.empty or not (timeline[f"new_{measure}"].sum() or timeline[f"lost_{measure}"].sum()):
        return empty(title, f"No {noun} were gained or lost in this date range.")
    x = timeline["period"]
    x_format = "%d %b %Y" if freq == "week" else "%b %Y"
    fig = go.Figure()
    fig.add_bar(x=x, y=timeline[f"new_{measure}"], name="New", marker_color=GOOD,
                hovertemplate=f"%{{x|{x_format}}}: %{{y:,}} new {noun}<extra></extra>")
    fig.add_bar(x=x, y=-timeline[f"lost_{measure}"], name="Lost", marker_color=BAD,
                customdata=timeline[f"lost_{measure}"],
                hovertemplate=f"%{{x|{x_format}}}: %{{customdata:,}} lost {noun}<extra></extra>")
    net = timeline[f"new_{measure}"] - timeline[f"lost_{measure}"]
    fig.add_scatter(x=x, y=net, name="Net change", mode="lines+markers", line=dict(color=PALETTE[0], width=2),
                    hovertemplate=f"%{{x|{x_format}}}: net %{{y:+,}} {noun}<extra></extra>")
    # Week bars are placed at the week's Monday; widen ticks so labels do not crowd.
    fig.update_layout(barmode="relative", bargap=0.2, hovermode="x unified",
                      yaxis=dict(title_text=f"{noun.capitalize()} per {PERIOD_WORDS[freq]}"),
                      xaxis=dict(tickformat=x_format))
    return styled(fig, title, 360)


def top_pages(frame: pd.DataFrame, value: str, title: str, *, color: str, noun: str, limit: int = 10) -> go.Figure:
    """The target pages with the largest `value`, as horizontal bars labelled by path."""
    if frame.empty or not frame[value].sum():
        return empty(title, "No pages to show in this date range.")
    top = frame[frame[value] > 0].nlargest(limit, value, keep="first")
    data = pd.DataFrame({"page": page_labels(top["target_url"]), "value": top[value].to_numpy()})
    height = max(240, 60 + 32 * len(data))
    return bar(data, "page", "value", title, horizontal=True, color=color, height=height,
               hover=f"%{{y}}: %{{x:,}} {noun}<extra></extra>")


def page_labels(urls: pd.Series) -> list[str]:
    """Paths as labels; where two pages share a path (http/https, www or not) the host is kept too,
    because Plotly would otherwise draw both bars on one row."""
    paths = [url_label(u) for u in urls]
    repeated = {p for p in paths if paths.count(p) > 1}
    return [plain_label(str(u).split("://", 1)[-1]) if p in repeated else p for u, p in zip(urls, paths)]
