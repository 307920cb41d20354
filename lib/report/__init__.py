"""The client report: one self-contained HTML file of the current workspace, to send to a client.

`build_report(workspace)` reads the workspace's latest data, runs the same analyses and chart builders as
the pages, and returns the HTML: dated, with the workspace's name and logo, every chart interactive with
plotly.js embedded once, readable offline and printable to PDF from the browser. Text from data is escaped
(lib.report.markup); the user's private review notes and anything about the API key are never read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lib import logo
from lib.report.changes import new_lost_section
from lib.report.document import Section, render
from lib.report.gap import gap_section
from lib.report.inputs import Inputs, read_inputs
from lib.report.overview import anchors_section, categories_section, overview_section
from lib.report.work import audit_section, outreach_section
from lib.workspaces import Workspace

# In the order a client reads them; each returns a Section saying in one line when its data is missing.
SECTIONS: tuple[Callable[[Inputs], Section], ...] = (
    overview_section, categories_section, anchors_section, audit_section, new_lost_section, gap_section,
    outreach_section,
)


@dataclass(frozen=True)
class Report:
    html: str
    sections: tuple[Section, ...]
    file_name: str


def file_name(workspace: Workspace, today: date) -> str:
    """e.g. linkscope-report-acme-coffee-2025-05-01.html: the workspace name as a safe slug, and the date."""
    slug = re.sub(r"[^a-z0-9]+", "-", workspace.name.lower()).strip("-")[:40].strip("-") or \
        re.sub(r"[^a-z0-9]+", "-", workspace.own_domain.lower()).strip("-") or "workspace"
    return f"linkscope-report-{slug}-{today.isoformat()}.html"


def make_report(workspace: Workspace, root: Path | None = None, today: date | None = None) -> Report:
    today = today or date.today()
    inputs = read_inputs(workspace, root, today)
    sections = tuple(build(inputs) for build in SECTIONS)
    image = logo.load_logo(workspace.id, root)
    data_date = inputs.data_date
    subtitle = (f"{workspace.own_domain} · backlink report of {today:%d %B %Y}"
                + (f" · data of {data_date:%d %B %Y}" if data_date else ""))
    html = render(workspace.name, subtitle, sections, logo_uri=logo.data_uri(image) if image else None,
                  footer=f"Made with Linkscope from Semrush data on {today:%d %B %Y}.")
    return Report(html, sections, file_name(workspace, today))


def build_report(workspace: Workspace, root: Path | None = None, today: date | None = None) -> str:
    """The report as one HTML document (str)."""
    return make_report(workspace, root, today).html
