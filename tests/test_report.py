"""The client report (lib.report): sections with exact figures, one plotly.js, offline, escaped, no secrets."""

from __future__ import annotations

import io
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from lib import important_pages, logo, marks
from lib.importer import import_bytes
from lib.report import SECTIONS, build_report, file_name, make_report
from lib.report.document import plotly_js
from lib.report.markup import chart, is_web_url, link
from lib.workspaces import create_workspace
from tests import untrusted_fixtures as hostile
from tests.export_fixtures import HEADERS, backlink_row, csv_text
from tools.fake_semrush import DEFAULT_KEY

TODAY = date(2024, 5, 10)
# The tags the report's own markup uses; data must never add others (img only for the logo).
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "script", "body", "main", "header", "div", "h1", "h2",
                "h3", "nav", "a", "section", "p", "table", "caption", "thead", "tbody", "tr", "th", "td", "footer"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text outside scripts and styles."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._raw = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._raw += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._raw -= tag in ("script", "style") and self._raw > 0

    def handle_data(self, data):
        if not self._raw:
            self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def assert_inert(page: Elements, charts: int, logo_count: int = 0) -> None:
    """Only the report's own elements: no extra scripts, images, event handlers or non-web links."""
    assert {name for name, _ in page.tags} - ALLOWED_TAGS - ({"img"} if logo_count else set()) == set()
    scripts = page.named("script")
    assert len(scripts) == 2 + charts  # plotly.js, the print hook, one per chart
    assert all("src" not in attrs for attrs in scripts)
    assert len(page.named("img")) == logo_count
    assert all(str(attrs.get("src")).startswith("data:image/") for attrs in page.named("img"))
    assert page.named("link") == []
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
    for attrs in page.named("a"):
        href = attrs["href"]
        assert href.startswith("#") or is_web_url(href), href


# A hand-made site with two monthly snapshots. April: links from a, b and c. May: b has disappeared, c is
# flagged lost (last seen 20 Apr), d is new (first seen 15 Apr). Page scores: a 50, b 45, c 10, d 30.
def _row(source: str, target: str, anchor: str, ascore: str, first: str, last: str, lost: str = "false") -> list:
    return backlink_row(Source_url=source, Target_url=target, Anchor=anchor, Page_ascore=ascore, First_seen=first,
                        Last_seen=last, Lost_link=lost, Nofollow="false", Sponsored="false", Ugc="false")


APRIL = [_row("https://a.example/1", "https://mysite.com/", "mysite", "50", "2024-01-10", "2024-03-30"),
         _row("https://b.example/1", "https://mysite.com/shop", "coffee grinder", "45", "2024-02-01", "2024-03-30"),
         _row("https://c.example/1", "https://mysite.com/", "click here", "10", "2024-03-01", "2024-03-30")]
MAY = [_row("https://a.example/1", "https://mysite.com/", "mysite", "50", "2024-01-10", "2024-04-28"),
       _row("https://c.example/1", "https://mysite.com/", "click here", "10", "2024-03-01", "2024-04-20", "true"),
       _row("https://d.example/1", "https://mysite.com/", "https://mysite.com", "30", "2024-04-15", "2024-04-28")]


@pytest.fixture
def small(data_dir: Path):
    workspace = create_workspace("Small & Co / Café", "mysite.com", brand_terms=["mysite"],
                                 target_keywords=["coffee grinder"], root=data_dir)
    for name, rows in (("mysite.com-backlinks-2024-04-01.csv", APRIL), ("mysite.com-backlinks-2024-05-01.csv", MAY)):
        [outcome] = import_bytes(workspace, csv_text(HEADERS["backlinks"], rows).encode(), name,
                                 target_domain="mysite.com", root=data_dir)
        assert outcome.snapshot is not None, outcome.error
    return workspace


def test_sections_of_a_small_site_have_exact_figures(small, data_dir):
    important_pages.add_pages(small.id, ["https://mysite.com/shop"], data_dir)
    report = make_report(small, data_dir, TODAY)
    found = {s.key: s for s in report.sections}
    assert found["overview"].summary == "2 backlinks from 2 referring domains"
    assert found["referring-domains"].summary.startswith("2 live referring domains")
    assert found["anchors"].summary == "2 anchors; keyword anchors 0% of sites, within the limit"
    assert found["new-lost"].summary == "3 new and 2 lost backlinks since 01 Feb 2024, 1 from strong domains"
    page = Elements(report.html)
    words = page.words
    # Overview cards: 3 -> 2 backlinks and domains, all follow, d new and c lost in the last 30 days.
    assert "Backlinks 2 -1 since last snapshot" in words
    assert "Referring domains 2 -1 since last snapshot" in words
    assert "Follow links 100%" in words
    assert "New · 30 days 1 backlinks first seen Lost · 30 days 1 backlinks lost" in words
    assert ("New backlinks 3 Lost backlinks 2 New referring domains 3 Lost referring domains 2 "
            "Strong links lost 1") in words
    # b's lost link pointed to the important page /shop; it is also the one strong loss (45 >= 40).
    assert "Lost links to the 1 important pages: 1" in words
    assert words.count("b.example 45 https://b.example/1 /shop 01 May 2024") == 2
    assert "Data of 01 May 2024, compared with the snapshot of 01 Apr 2024." in words


def test_report_is_one_dated_document_with_every_section(small, data_dir):
    report = make_report(small, data_dir, TODAY)
    page = Elements(report.html)
    assert [attrs["id"] for attrs in page.named("section")] == [s.key for s in report.sections]
    headings = [s.title for s in report.sections]
    assert headings == ["Overview and growth", "Referring domains by category", "Anchor text mix", "Link audit",
                        "New and lost links", "Top gap opportunities", "Outreach status"]
    assert len(SECTIONS) == len(headings)
    for heading in headings:
        assert f"<h2>{heading}</h2>" in report.html
    assert "<h1>Small &amp; Co / Café</h1>" in report.html
    assert "backlink report of 10 May 2024 · data of 01 May 2024" in page.words
    assert report.html.count(plotly_js()) == 1
    assert report.html.count("plotly.js v") == 1
    charts = report.html.count("Plotly.newPlot(")
    assert charts == 8  # 2 growth, categories, 2 anchor mixes, risk bands, 2 new and lost (no prospects)
    assert_inert(page, charts)
    assert report.file_name == "linkscope-report-small-co-caf-2024-05-10.html"
    unnamed = create_workspace("***", "x-y.example", root=data_dir)
    assert file_name(unnamed, TODAY) == "linkscope-report-x-y-example-2024-05-10.html"


def test_missing_data_is_one_line_per_section(data_dir):
    workspace = create_workspace("Empty", "empty.example", root=data_dir)
    report = make_report(workspace, data_dir, TODAY)
    assert report.sections and not any(s.available for s in report.sections)
    for section in report.sections:
        assert section.body.count("<p") == 1 and "missing" in section.body
    assert_inert(Elements(report.html), charts=0)


def test_logo_is_embedded_as_data_uri(small, data_dir):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 4), (37, 99, 235)).save(out, format="PNG")
    png = out.getvalue()
    logo.save_logo(small.id, png, data_dir)
    page = Elements(build_report(small, data_dir, TODAY))
    [image] = page.named("img")
    assert image["src"] == logo.data_uri(png)


def test_hostile_workspace_stays_text(data_dir, monkeypatch):
    monkeypatch.setenv("SEMRUSH_API_KEY", DEFAULT_KEY)
    workspace = hostile.create_hostile_workspace(data_dir)
    marks.set_marks(workspace.id, ["evil-one.example"], "review", "PRIVATE-NOTE do not show the client", data_dir)
    html = build_report(workspace, data_dir, TODAY)
    page = Elements(html)
    assert_inert(page, html.count("Plotly.newPlot("))
    words = page.words
    # The hostile anchors are in the top anchors table, as the text they are.
    assert hostile.SCRIPT in words and hostile.IMG in words and hostile.HTML_LINK in words
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "PRIVATE-NOTE" not in html
    assert DEFAULT_KEY not in html


def test_hostile_workspace_name_and_url_stay_text(data_dir):
    workspace = create_workspace('</title></script><script>alert(1)</script><img src=x onerror=alert(2)>',
                                 "mysite.com", root=data_dir)
    rows = [_row("javascript:alert(1)", "https://mysite.com/", "</script><script>alert(1)</script>", "60",
                 "2024-04-01", "2024-04-28", "true")]
    import_bytes(workspace, csv_text(HEADERS["backlinks"], rows).encode(), "mysite.com-backlinks-2024-05-01.csv",
                 target_domain="mysite.com", root=data_dir)
    html = build_report(workspace, data_dir, TODAY)
    page = Elements(html)
    assert_inert(page, html.count("Plotly.newPlot("))
    assert page.named("title") == [{}] and "<script>alert(1)</script>" in page.words


def test_chart_data_cannot_close_its_script():
    hostile_label = "</script><script>alert(1)</script>"
    fig = go.Figure(go.Bar(x=[hostile_label], y=[1], hovertext=[hostile_label]))
    part = Elements(chart(fig))
    assert len(part.named("script")) == 1
    assert hostile_label not in chart(fig)


@pytest.mark.parametrize("url, linked", [("https://a.example/x", True), ("http://a.example", True),
                                         ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False),
                                         ("data:text/html,<b>x</b>", False), ("https:///nohost", False),
                                         ("//a.example/x", False), (None, False)])
def test_links_only_for_web_urls(url, linked):
    made = link(url)
    assert made.startswith("<a href=") is linked
    assert "<b>" not in made


def test_audit_counts_decisions_and_the_disavow_file_without_notes(small, data_dir):
    from lib import decisions

    decisions.set_decisions(small.id, ["c.example"], "disavow", "PRIVATE-NOTE paid link", root=data_dir)
    decisions.set_decisions(small.id, ["https://b.example/1", "https://c.example/2"], "disavow", scope="url",
                            root=data_dir)
    decisions.set_decisions(small.id, ["a.example"], "keep", "PRIVATE-NOTE friend", root=data_dir)
    report = make_report(small, data_dir, TODAY)
    [audit] = [s for s in report.sections if s.key == "audit"]
    # c.example's own URL is folded into its domain line: one domain and b's URL.
    assert "Disavow file 2 1 domains, 1 URLs" in Elements(audit.body).words
    assert "Domains reviewed 2 of" in Elements(audit.body).words
    assert audit.summary.endswith("2 disavow entries")
    assert "PRIVATE-NOTE" not in report.html


def test_outreach_status_without_contacts_or_notes(small, data_dir):
    from lib import outreach

    outreach.add_prospects(small.id, ["won.example", "wait.example", "fresh.example"], "gap", data_dir)
    rows = outreach.outreach_list(small.id, data_dir).set_index("domain")
    rows.loc["won.example", ["status", "contact", "note"]] = ["won", "jane@won.example", "PRIVATE-NOTE"]
    rows.loc["wait.example", ["status", "next_follow_up"]] = ["contacted", pd.Timestamp("2024-05-12")]
    assert outreach.save_edits(small.id, rows.reset_index(), data_dir).saved
    report = make_report(small, data_dir, TODAY)
    [section] = [s for s in report.sections if s.key == "outreach"]
    assert section.summary == "3 prospects, 1 won, 1 follow-ups due"
    words = Elements(section.body).words
    assert "Prospects 3 Contacted 1 Replied 0 Links won 1" in words
    assert "Links won: 1 Domain Status Found in Last contact won.example Won gap" in words
    assert "Next follow-ups: 1" in words and "wait.example Contacted gap — 12 May 2024" in words
    assert "jane@" not in report.html and "PRIVATE-NOTE" not in report.html


def _refdomains(rows: list[tuple[str, int]]) -> bytes:
    lines = [[str(ascore), domain, "3", f"10.0.{i}.1", "US", "2024-01-01", "2024-04-30"]
             for i, (domain, ascore) in enumerate(rows)]
    return csv_text(HEADERS["referring_domains"], lines).encode()


def test_gap_ranks_prospects_and_leaves_out_risky_sites(data_dir):
    workspace = create_workspace("Gap", "mysite.com", ["rival.example"], root=data_dir)
    for target, rows in (("mysite.com", [("a.example", 50), ("shared.example", 40)]),
                         ("rival.example", [("shared.example", 40), ("b.example", 60), ("c.example", 20),
                                            ("cheap-deals-best.xyz", 1)])):
        [outcome] = import_bytes(workspace, _refdomains(rows), f"{target}-refdomains-2024-04-30.csv",
                                 target_domain=target, root=data_dir)
        assert outcome.snapshot is not None, outcome.error
    import_bytes(workspace, csv_text(HEADERS["backlinks"], MAY[:1]).encode(), "mysite.com-backlinks-2024-05-01.csv",
                 target_domain="mysite.com", root=data_dir)
    report = make_report(workspace, data_dir, TODAY)
    [gap] = [s for s in report.sections if s.key == "gap"]
    words = Elements(gap.body).words
    # b, c and the spammy name link to the rival only; that one scores 55 (low authority, keyword name,
    # spam TLD) and is left out. a links only to you: Strong.
    assert "Opportunities 3 link to a competitor, not you Best 3" in words
    assert "Not risky 2 opportunities kept Strong 1 link only to you" in words
    assert "The 2 best opportunities of 2" in words
    assert words.index("b.example") < words.index("c.example")
    assert "1 of 1" in words and "cheap-deals-best.xyz" not in words
    assert gap.summary == "2 opportunities (3 linking to every competitor)"


def test_gap_without_competitors_says_so(small, data_dir):
    [gap] = [s for s in make_report(small, data_dir, TODAY).sections if s.key == "gap"]
    assert not gap.available
    assert "No competitors are set for this workspace" in gap.body
