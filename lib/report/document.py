"""The report's HTML document: one file with its styles, plotly.js embedded once, and print styles.

Nothing is loaded from the network (no CDN scripts, web fonts or remote images), so the file opens offline
and the browser's Print → Save as PDF turns it into a tidy PDF: A4 pages, charts resized to the page width,
no chart or table row split across pages, the modebar hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import plotly.offline

from lib.report.markup import esc

# Static CSS, never built from data. System fonts only: a web font would be a download.
STYLE = """
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --soft: #f8fafc; --good: #059669; --bad: #dc2626;
        --warn: #b45309; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
       font: 15px/1.45 "Segoe UI", Inter, Helvetica, Arial, sans-serif; }
/* A document column as wide as an A4 page's printable width (186 mm ≈ 704 px): charts are drawn to fit it,
   so the printed PDF holds them whole even where the browser does not redraw them for print. */
main { max-width: 760px; margin: 0 auto; padding: 32px 28px 56px; }
header.report { display: flex; align-items: center; gap: 20px; padding-bottom: 18px;
                border-bottom: 3px solid var(--accent); margin-bottom: 12px; }
header.report img.logo { max-height: 64px; max-width: 200px; object-fit: contain; }
header.report h1 { margin: 0; font-size: 28px; }
header.report .sub { color: var(--muted); margin-top: 4px; }
nav.toc { color: var(--muted); font-size: 13px; margin: 8px 0 4px; }
nav.toc a { color: var(--muted); margin-right: 14px; text-decoration: none; }
section { padding-top: 22px; margin-top: 16px; border-top: 1px solid var(--line); }
section h2 { font-size: 21px; margin: 0 0 10px; }
section h3 { font-size: 16px; margin: 18px 0 6px; }
p { margin: 6px 0 10px; }
p.missing { color: var(--muted); font-style: italic; }
p.verdict { padding: 10px 14px; border-radius: 8px; background: #ecfdf5; border-left: 4px solid var(--good); }
p.verdict.warn { background: #fffbeb; border-left-color: var(--warn); }
p.small, .caption { color: var(--muted); font-size: 13px; }
.metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(105px, 1fr)); gap: 8px; margin: 8px 0 6px; }
.metric { border: 1px solid var(--line); border-radius: 10px; padding: 8px 10px; background: var(--soft); }
.metric .label { color: var(--muted); font-size: 13px; }
.metric .value { font-size: 23px; font-weight: 600; }
.metric .note { font-size: 12px; color: var(--muted); }
.metric .note.good { color: var(--good); }
.metric .note.bad { color: var(--bad); }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.chart { min-width: 0; margin: 6px 0; }
table { width: 100%; border-collapse: collapse; font-size: 12.5px; margin: 6px 0 12px; }
caption { text-align: left; font-weight: 600; font-size: 14px; padding: 4px 0 6px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top;
         overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.date, td.key, th { white-space: nowrap; }
a { color: var(--accent); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
         padding-top: 10px; }
@page { size: A4; margin: 14mm 11mm; }
@media print {
  body { font-size: 12px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  nav.toc, .modebar-container { display: none !important; }
  section { break-before: page; border-top: none; padding-top: 0; margin-top: 0; }
  section:first-of-type { break-before: auto; padding-top: 12px; }
  section h2, section h3 { break-after: avoid; }
  /* Report tables hold at most 15 rows: each fits on one page, so none is split from its header. */
  .chart, .metric, table, p.verdict { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

# Charts are responsive to the window; the printed page is narrower than the screen, so they are redrawn
# to its width before printing and back afterwards.
PRINT_SCRIPT = """
(function () {
  function fit() {
    if (!window.Plotly) { return; }
    document.querySelectorAll('.js-plotly-plot').forEach(function (el) { window.Plotly.Plots.resize(el); });
  }
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', fit);
})();
"""


@dataclass(frozen=True)
class Section:
    key: str  # the anchor id, e.g. "overview"
    title: str
    summary: str  # one plain line for the app's preview, e.g. "312 referring domains, 7 categories"
    body: str  # HTML, every piece of data already escaped
    available: bool = True  # False when the workspace lacks the data (the body then says so in one line)


@lru_cache(maxsize=1)
def plotly_js() -> str:
    return plotly.offline.get_plotlyjs()


def render(title: str, subtitle: str, sections: Sequence[Section], *, logo_uri: str | None = None,
           footer: str = "") -> str:
    """The whole document. `title`, `subtitle` and `footer` are plain text; `logo_uri` a checked data: URI."""
    logo = f'<img class="logo" src="{esc(logo_uri)}" alt="">' if logo_uri and logo_uri.startswith("data:image/") \
        else ""
    toc = "".join(f'<a href="#{esc(s.key)}">{esc(s.title)}</a>' for s in sections)
    body = "".join(f'<section id="{esc(s.key)}"><h2>{esc(s.title)}</h2>{s.body}</section>' for s in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · {esc(subtitle)}</title>"
        f"<style>{STYLE}</style>"
        f'<script type="text/javascript">{plotly_js()}</script>'
        f"<script>{PRINT_SCRIPT}</script>"
        "</head><body><main>"
        f'<header class="report">{logo}<div><h1>{esc(title)}</h1><div class="sub">{esc(subtitle)}</div></div>'
        "</header>"
        f'<nav class="toc">{toc}</nav>'
        f"{body}"
        f"<footer>{esc(footer)}</footer>"
        "</main></body></html>\n"
    )
