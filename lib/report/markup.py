"""HTML building blocks of the client report. Every piece of text from data goes through `esc`.

Text in the report comes from other people's pages (anchors, titles, URLs, domains) and from the user (the
workspace name): all of it is escaped here, and a URL becomes a link only when it is http(s).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Interactive, but without the Plotly logo or links out of the report.
CHART_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def esc(value: object) -> str:
    """Any value as HTML text: tags, quotes and entities shown as themselves."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def is_web_url(url: object) -> bool:
    """Only http(s) URLs with a host become links; javascript:, data: and the like stay text."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def link(url: object, text: object | None = None, limit: int = 70) -> str:
    shown = shorten(url if text is None else text, limit)
    if is_web_url(url):
        return (f'<a href="{esc(str(url).strip())}" rel="noopener noreferrer nofollow" target="_blank">'
                f"{esc(shown)}</a>")
    return esc(shown)


def shorten(value: object, limit: int = 70) -> str:
    text = " ".join(str(value if value is not None and not _missing(value) else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _missing(value: object) -> bool:
    return not isinstance(value, str) and bool(pd.isna(value))


@dataclass(frozen=True)
class Column:
    """One column of a report table: its label and how a cell is written (returns HTML)."""
    key: str
    label: str
    cell: Callable[[object], str] = lambda v: esc(shorten(v))
    kind: str = ""  # "num" (right-aligned), "date" or "key" (a domain: kept on one line)


def number(value: object) -> str:
    return "—" if _missing(value) else f"{int(value):,}"


def day(value: object) -> str:
    return "—" if _missing(value) else f"{pd.Timestamp(value):%d %b %Y}"


def percent(value: object) -> str:
    return "—" if _missing(value) else f"{float(value):.0%}"


def url_cell(value: object) -> str:
    return link(value)


def path_cell(value: object) -> str:
    """A link to a page of the site itself, shown by its path: the host is the same on every row."""
    if not is_web_url(value):
        return link(value)
    parts = urlsplit(str(value).strip())
    return link(value, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""))


def table(frame: pd.DataFrame, columns: Sequence[Column], caption: str = "") -> str:
    head = "".join(f'<th class="{c.kind}">{esc(c.label)}</th>' for c in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = "".join(f'<td class="{c.kind}">{c.cell(record.get(c.key))}</td>'
                        for c in columns)
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


@dataclass(frozen=True)
class Figure:
    """A metric card: label, value, and an optional small note (e.g. the change since last month)."""
    label: str
    value: str
    note: str = ""
    tone: str = ""  # "", "good" or "bad": colours the note


def metrics(cards: Iterable[Figure]) -> str:
    parts = []
    for card in cards:
        note = f'<div class="note {esc(card.tone)}">{esc(card.note)}</div>' if card.note else ""
        parts.append(f'<div class="metric"><div class="label">{esc(card.label)}</div>'
                     f'<div class="value">{esc(card.value)}</div>{note}</div>')
    return f'<div class="metrics">{"".join(parts)}</div>'


def paragraph(text: str, cls: str = "") -> str:
    return f'<p class="{esc(cls)}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>"


def chart(fig: go.Figure) -> str:
    """A figure as a div and the script that draws it; plotly.js itself is embedded once by the document.

    Plotly's JSON writer escapes <, > and / inside strings, so data cannot close the script element.
    """
    return '<div class="chart">' + pio.to_html(fig, include_plotlyjs=False, full_html=False,
                                                config=CHART_CONFIG, include_mathjax=False) + "</div>"


def charts(figures: Sequence[go.Figure]) -> str:
    inner = "".join(chart(f) for f in figures)
    return f'<div class="grid2">{inner}</div>' if len(figures) > 1 else inner
