"""Figures of the Overview page; all share the template of lib.charts.base."""

from __future__ import annotations

import html
import math
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go

from lib.charts.base import BAD, GOOD, NEUTRAL, PALETTE, bar, donut, empty, styled


def plain_label(text: object, limit: int = 60) -> str:
    """Text from other people's pages as a chart label: HTML-escaped (Plotly reads tags) and shortened."""
    value = " ".join(str(text if text is not None else "").split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value, quote=False)


def url_label(url: str, limit: int = 60, with_host: bool = False) -> str:
    """A page's path (or '/'): shorter than its full URL, as most of a site's pages share one host."""
    parts = urlsplit(str(url))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return plain_label(parts.netloc + path if with_host else path, limit)


def url_labels(urls: pd.Series, limit: int = 60) -> list[str]:
    """Distinct axis labels for URLs: the path, with the host where two paths collide (www. or not)."""
    labels = [url_label(u, limit) for u in urls]
    clashing = {label for label in labels if labels.count(label) > 1}
    labels = [url_label(u, limit, with_host=True) if label in clashing else label for u, label in zip(urls, labels)]
    # http and https of one page would still clash: a zero-width suffix keeps the bars apart.
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, -1) + 1
        unique.append(label + "\u200b" * seen[label])
    return unique


def growth(frame: pd.DataFrame, measure: str, title: str) -> go.Figure:
    """Gained (up) and lost (down) per month, with the live total as a line on its own axis.

    `measure` is "domains" or "backlinks" (the columns gained_<measure>, lost_<measure>, live_<measure>).
    """
    if frame.empty:
        return empty(title, "No dated backlinks to chart.")
    noun = "referring domains" if measure == "domains" else "backlinks"
    months = frame["month"]
    fig = go.Figure()
    fig.add_bar(x=months, y=frame[f"gained_{measure}"], name="Gained", marker_color=GOOD,
                hovertemplate=f"%{{x|%b %Y}}: %{{y:,}} {noun} gained<extra></extra>")
    fig.add_bar(x=months, y=-frame[f"lost_{measure}"], name="Lost", marker_color=BAD,
                customdata=frame[f"lost_{measure}"],
                hovertemplate=f"%{{x|%b %Y}}: %{{customdata:,}} {noun} lost<extra></extra>")
    fig.add_scatter(x=months, y=frame[f"live_{measure}"], name=f"Live {noun}", yaxis="y2", mode="lines+markers",
                    line=dict(color=PALETTE[0], width=3),
                    hovertemplate=f"%{{x|%b %Y}}: %{{y:,}} live {noun}<extra></extra>")
    # Both axes put zero at the same height, so the live line never dips into the "lost" half.
    top = max(float(frame[f"gained_{measure}"].max()), 1.0) * 1.1
    bottom = float(frame[f"lost_{measure}"].max()) * 1.1
    live_top = max(float(frame[f"live_{measure}"].max()), 1.0) * 1.1
    live_ticks = _nice_ticks(live_top)
    fig.update_layout(
        barmode="relative", bargap=0.25,
        yaxis=dict(title_text="Gained / lost per month", range=[-bottom, top]),
        yaxis2=dict(title_text=f"Live {noun}", overlaying="y", side="right", showgrid=False,
                    range=[-bottom / top * live_top, live_top], tickmode="array", tickvals=live_ticks,
                    tickformat=","),
        xaxis=dict(tickformat="%b %Y", dtick="M3" if len(frame) > 12 else "M1"),
        hovermode="x unified",
    )
    return styled(fig, title, 380)


def _nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from zero to `top` (1, 2 or 5 times a power of ten apart)."""
    raw = top / count
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [step * i for i in range(int(top // step) + 1)]


def ascore_bands(frame: pd.DataFrame) -> go.Figure:
    title = "Authority Score of referring domains"
    if frame.empty or frame["domains"].sum() == 0:
        return empty(title, "Upload a Referring Domains export to see their Authority Score.")
    basis = "domain" if frame["basis"].iloc[0] == "domain" else "best linking page"
    fig = bar(frame, "band", "domains", title, x_title=f"Authority Score ({basis})", y_title="Referring domains",
              hover="Authority Score %{x}: %{y:,} domains<extra></extra>")
    return fig


def link_types(frame: pd.DataFrame) -> go.Figure:
    title = "Link types"
    if frame["backlinks"].sum() == 0:
        return empty(title, "No live backlinks.")
    return _readable(donut(frame["label"], frame["backlinks"], title,
                           colors=[PALETTE[0], PALETTE[1], PALETTE[4], PALETTE[5]]))


def rel_attributes(frame: pd.DataFrame) -> go.Figure:
    title = "Follow, nofollow, sponsored, UGC"
    if frame["backlinks"].sum() == 0:
        return empty(title, "No live backlinks.")
    return _readable(donut(frame["label"], frame["backlinks"], title, colors=[GOOD, NEUTRAL, PALETTE[1], PALETTE[4]]))


def _readable(fig: go.Figure) -> go.Figure:
    # Slivers of a donut cannot hold their percentage legibly: hide those labels (the hover still has them).
    fig.update_traces(textposition="inside")
    fig.update_layout(uniformtext_minsize=11, uniformtext_mode="hide")
    return fig


def top_tlds(frame: pd.DataFrame) -> go.Figure:
    title = "Top TLDs"
    if frame.empty:
        return empty(title, "No TLD data.")
    shown = frame.assign(tld=frame["tld"].map(plain_label))
    return bar(shown, "tld", "domains", title, horizontal=True, x_title="Referring domains",
               hover="%{y}: %{x:,} referring domains<extra></extra>", height=max(260, 40 + 30 * len(frame)))


def top_countries(frame: pd.DataFrame) -> go.Figure:
    title = "Top countries"
    if frame.empty:
        return empty(title, "Countries come from a Referring Domains export.")
    shown = frame.assign(country=frame["country"].map(plain_label))
    return bar(shown, "country", "domains", title, horizontal=True, x_title="Referring domains",
               color=PALETTE[2], hover="%{y}: %{x:,} referring domains<extra></extra>",
               height=max(260, 40 + 30 * len(frame)))


def top_pages(frame: pd.DataFrame) -> go.Figure:
    title = "Most linked pages of your site"
    if frame.empty:
        return empty(title, "No live backlinks.")
    shown = frame.assign(page=url_labels(frame["target_url"]), url=frame["target_url"].map(plain_label))
    data = shown.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=data["backlinks"], y=data["page"], orientation="h", marker_color=PALETTE[0],
        customdata=data[["domains", "url"]].to_numpy(),
        hovertemplate="%{customdata[1]}<br>%{x:,} backlinks from %{customdata[0]:,} domains<extra></extra>",
    ))
    fig.update_xaxes(title_text="Backlinks")
    return styled(fig, title, max(280, 40 + 32 * len(frame)))


def concentration(steps: pd.DataFrame, total_backlinks: int) -> go.Figure:
    title = "How much of your link profile the biggest websites hold"
    if steps.empty:
        return empty(title, "No live backlinks.")
    colors = [PALETTE[1] if label.startswith("Top") else NEUTRAL for label in steps["label"]]
    fig = go.Figure(go.Bar(
        x=steps["label"], y=steps["share"], marker_color=colors, text=[f"{s:.0%}" for s in steps["share"]],
        textposition="outside", customdata=steps[["backlinks"]].to_numpy(),
        hovertemplate=f"%{{x}} websites: %{{customdata[0]:,}} of {total_backlinks:,} backlinks "
                      "(%{y:.0%})<extra></extra>",
    ))
    fig.update_yaxes(title_text="Share of your backlinks", tickformat=".0%", range=[0, 1.12])
    fig.update_xaxes(title_text="Websites, biggest first")
    return styled(fig, title, 360)
