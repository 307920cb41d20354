"""Figures of the History page; all share the template of lib.charts.base."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib.charts.base import BAD, GOOD, NEUTRAL, PALETTE, empty, styled
from lib.charts.overview import plain_label

PANELS = ("Referring domains", "Backlinks", "Site Authority Score", "Share of risky links")


def trend_grid(trend: pd.DataFrame, site: pd.DataFrame) -> go.Figure:
    """Four small line charts over time: the profile at every Backlinks snapshot, and the site's score."""
    title = "The backlink profile over time"
    if trend.empty and site.empty:
        return empty(title, "No Backlinks snapshots yet.")
    fig = make_subplots(rows=2, cols=2, subplot_titles=PANELS, vertical_spacing=0.2, horizontal_spacing=0.08)
    dates = trend["data_date"]
    _line(fig, dates, trend["referring_domains"], PALETTE[0], 1, 1, "%{y:,} referring domains")
    _line(fig, dates, trend["backlinks"], PALETTE[1], 1, 2, "%{y:,} backlinks")
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(rangemode="tozero", row=1, col=2)
    if site.empty:
        _note(fig, "No site Authority Score recorded yet", 2, 1)
    else:
        _line(fig, site["date"], site["authority_score"].astype("float"), PALETTE[2], 2, 1,
              "Authority Score %{y}")
        fig.update_yaxes(range=[0, 100], row=2, col=1)
    risky = trend["risky_share"] if "risky_share" in trend else pd.Series(dtype="float64")
    if risky.notna().any():
        _line(fig, dates, risky * 100, BAD, 2, 2, "%{y:.1f}% of links risky (%{customdata:,})",
              customdata=trend["risky_backlinks"].astype("float"))
        fig.update_yaxes(ticksuffix="%", rangemode="tozero", row=2, col=2)
    else:
        _note(fig, "Risk scores are not available", 2, 2)
    # A tick on every snapshot date (when there are few), so each point sits on a labelled date.
    if 0 < len(dates) <= 12:
        fig.update_xaxes(tickvals=list(dates), tickformat="%d %b %Y")
    else:
        fig.update_xaxes(tickformat="%b %Y")
    fig.update_annotations(font_size=14)
    return styled(fig, title, 560)


def _line(fig: go.Figure, x, y, color: str, row: int, col: int, hover: str, customdata=None) -> None:
    fig.add_scatter(x=x, y=y, mode="lines+markers", line=dict(color=color, width=3), marker=dict(size=8),
                    showlegend=False, customdata=customdata,
                    hovertemplate="%{x|%d %b %Y}: " + hover + "<extra></extra>", row=row, col=col)


def _note(fig: go.Figure, text: str, row: int, col: int) -> None:
    """A message in place of an empty panel, centred on it in paper coordinates.

    Not "x3 domain" / "y3 domain": plotly.js read those on an axis without data as the first panel's axes,
    placing the note there and stretching that panel's date axis back to 1970.
    """
    panel = fig.get_subplot(row, col)
    fig.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", xanchor="center", yanchor="middle",
                       x=sum(panel.xaxis.domain) / 2, y=sum(panel.yaxis.domain) / 2,
                       font=dict(size=13, color=NEUTRAL))
    fig.update_xaxes(visible=False, row=row, col=col)
    fig.update_yaxes(visible=False, row=row, col=col)


def ascore_movers(changes: pd.DataFrame, limit: int = 15) -> go.Figure:
    """The linking domains whose Authority Score moved most between two snapshots."""
    title = "Largest Authority Score changes of linking domains"
    if changes.empty:
        return empty(title, "No linking domain's Authority Score changed.")
    top = changes.head(limit).iloc[::-1]
    values = top["change"].astype("int64")
    fig = go.Figure(go.Bar(
        x=values, y=top["domain"].map(plain_label), orientation="h",
        marker_color=[GOOD if v > 0 else BAD for v in values],
        customdata=list(zip(top["old_ascore"].astype("int64"), top["new_ascore"].astype("int64"))),
        hovertemplate="%{y}: %{customdata[0]} → %{customdata[1]} (%{x:+})<extra></extra>",
    ))
    fig.update_xaxes(title_text="Change in Authority Score", zeroline=True)
    return styled(fig, title, max(260, 70 + 28 * len(top)))


def gained_lost_bars(gained: int, lost: int, noun: str) -> go.Figure:
    """Two bars: how many were gained and lost between the snapshots."""
    fig = go.Figure(go.Bar(x=["Gained", "Lost"], y=[gained, lost], marker_color=[GOOD, BAD],
                           text=[f"{gained:,}", f"{lost:,}"], textposition="auto",
                           hovertemplate=f"%{{x}}: %{{y:,}} {noun}<extra></extra>"))
    return styled(fig, f"{noun.capitalize()} gained and lost", 280)
