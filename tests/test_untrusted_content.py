"""Content from the web is shown as text and exported inert.

Anchors, titles, URLs and domains with HTML, script tags, `javascript:` URLs, Markdown links and
spreadsheet formulas: pages never render them as markup or active links (AppTest, element tree),
and CSV / XLSX downloads never let a spreadsheet run them. The browser side is in
tests/browser/test_untrusted_content.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lib import export, importer, outreach
from lib.export import FORMULA_START
from tests.untrusted_fixtures import (FORMULAS, HOSTILE_TEXTS, IMG, JS_URL, OWN, SCRIPT, WORKSPACE_ID,
                                      create_hostile_workspace)
from ui import tables

# Raw fragments that would be live markup or links if a page passed them through unescaped.
LIVE_IN_MARKDOWN = re.compile(r"(?<!\\)<(?:script|img|a )|(?<!\\)\]\(javascript:", re.I)
LIVE_IN_PLOTLY = re.compile(r"<(?:script|img|a )", re.I)  # Plotly reads a few tags; Markdown links mean nothing


@pytest.fixture
def hostile(data_dir: Path):
    return create_hostile_workspace()


@pytest.fixture
def hostile_frames(hostile) -> dict[str, pd.DataFrame]:
    return {kind: importer.current_frame(hostile, kind) for kind in ("backlinks", "referring_domains", "anchors")}


def test_hostile_text_is_stored_exactly_as_it_came(hostile_frames):
    """Escaping happens where text is shown or exported, never in the data: the stored values are the originals."""
    backlinks = hostile_frames["backlinks"]
    assert set(HOSTILE_TEXTS) <= set(backlinks["anchor"]) | set(backlinks["source_title"])
    assert JS_URL in set(backlinks["source_url"]) and JS_URL in set(backlinks["target_url"])
    assert set(HOSTILE_TEXTS) <= set(hostile_frames["anchors"]["anchor"])


# ------------------------------------------------------------------------------------------ exports


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("kind", ["backlinks", "anchors"])
def test_csv_export_neutralises_every_formula_and_keeps_the_text(hostile_frames, kind):
    frame = hostile_frames[kind]
    rows = csv_cells(export.csv_bytes(frame))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    for formula in FORMULAS:
        assert "'" + formula in cells
    # Markup is text in a CSV: kept as is, exactly, for the user to read.
    assert SCRIPT in cells and IMG in cells
    assert len(rows) == len(frame) + 1


@pytest.mark.parametrize("kind", ["backlinks", "anchors"])
def test_xlsx_export_has_no_formulas_and_no_hyperlinks(hostile_frames, kind):
    frame = hostile_frames[kind]
    data = export.xlsx_bytes(frame)
    book = openpyxl.load_workbook(io.BytesIO(data))  # not data_only: formulas would show as data_type "f"
    sheet = book.active
    values = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            assert cell.hyperlink is None, cell.coordinate
            values.append(cell.value)
    for formula in FORMULAS:
        assert "'" + formula in values
    assert SCRIPT in values and JS_URL in values
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert not re.search(r"<f[ >]", sheet_xml)  # no formula element
        assert "<hyperlinks" not in sheet_xml  # no clickable cell


def test_formula_escaping_covers_every_trigger_and_leaves_numbers_alone():
    frame = pd.DataFrame({
        "text": ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "plain", None, " =1"],
        "count": pd.array([1, -2, 3, 4, 5, 6, 7, 8, 9], dtype="Int64"),
    })
    safe = export.spreadsheet_safe(frame)
    assert list(safe["text"].iloc[:7]) == ["'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1", "plain"]
    assert pd.isna(safe["text"].iloc[7])
    assert safe["text"].iloc[8] == " =1"  # a leading space makes it text in Excel and Sheets already
    assert list(safe["count"]) == [1, -2, 3, 4, 5, 6, 7, 8, 9] and str(safe["count"].dtype) == "Int64"
    assert frame["text"].iloc[0] == "=1+1"  # the shown frame is not changed


def test_column_headers_from_a_file_are_escaped_too():
    frame = pd.DataFrame({"=HYPERLINK(\"http://x\")": ["a"], "ok": ["b"]})
    assert csv_cells(export.csv_bytes(frame))[0] == ["'=HYPERLINK(\"http://x\")", "ok"]


def test_url_columns_are_links_only_when_every_value_is_http(hostile_frames):
    backlinks = hostile_frames["backlinks"]
    config = tables.column_config(backlinks)
    # One javascript: URL anywhere in a column turns the whole column into plain text.
    assert config["source_url"]["type_config"]["type"] == "text"
    assert config["target_url"]["type_config"]["type"] == "text"
    web_only = backlinks[~backlinks["source_url"].str.startswith("javascript")]
    assert tables.column_config(web_only)["source_url"]["type_config"]["type"] == "link"
    sneaky = pd.DataFrame({"source_url": ["https://ok.example/", " javascript:alert(1)", "JAVASCRIPT:alert(1)",
                                          "data:text/html,<script>alert(1)</script>"]})
    for value in sneaky["source_url"][1:]:
        one = pd.DataFrame({"source_url": ["https://ok.example/", value]})
        assert tables.column_config(one)["source_url"]["type_config"]["type"] == "text", value


# ------------------------------------------------------------------------------------------ pages


def walk(node):
    """Every element of an AppTest tree, in tabs, columns and expanders too."""
    children = getattr(node, "children", None)
    if children:
        for child in children.values():
            yield from walk(child)
    else:
        yield node


def rendered(at) -> tuple[list, list[str], list[str]]:
    """(markdown protos, other element protos as text, Plotly figure specs)."""
    markdowns, others, figures = [], [], []
    for element in [*walk(at.main), *walk(at.sidebar)]:
        proto = getattr(element, "proto", None)
        if proto is None:
            continue
        name = type(proto).__name__
        if name == "Markdown":
            markdowns.append(proto)
        elif name == "PlotlyChart":
            figures.append(proto.spec)
        elif name == "Code":  # a code block shows its text verbatim, never as markup
            continue
        elif not hasattr(proto, "arrow_data"):  # tables: data drawn on a canvas as text (browser test)
            others.append(str(_without_values(proto)))
    return markdowns, others, figures


# Widget fields holding a value or a choice: shown as plain text in an input, never read as Markdown
# (labels, help and placeholders are, and stay checked).
VALUE_FIELDS = ("value", "default", "options", "raw_values")


def _without_values(proto):
    fields = [f for f in VALUE_FIELDS if f in proto.DESCRIPTOR.fields_by_name]
    if not fields:
        return proto
    copy = type(proto)()
    copy.CopyFrom(proto)
    for field in fields:
        copy.ClearField(field)
    return copy


PAGES = ["pages/overview.py", "pages/referring_domains.py", "pages/anchors.py", "pages/new_lost.py",
         "pages/history.py", "pages/data.py"]


@pytest.fixture
def hostile_on_demo(demo_data_dir: Path):
    return create_hostile_workspace()


@pytest.mark.parametrize("page", PAGES)
def test_pages_show_hostile_text_as_text(hostile_on_demo, app_test, page):
    at = app_test(page)
    at.session_state["workspace_id"] = WORKSPACE_ID
    at.run()
    assert not at.exception, at.exception
    _, _, figures = rendered(at)
    assert_inert(at)
    if page in ("pages/overview.py", "pages/anchors.py", "pages/referring_domains.py"):
        assert figures, "the page drew no chart from the hostile data"
    if page == "pages/anchors.py":  # the anchors did reach the charts, as escaped text
        labels = [str(y) for spec in figures for trace in json.loads(spec)["data"] for y in trace.get("y") or ()]
        assert any(label.startswith("&lt;script&gt;alert(1)&lt;/script&gt;") for label in labels), labels


def assert_inert(at) -> None:
    markdowns, others, figures = rendered(at)
    assert markdowns
    for proto in markdowns:
        assert not proto.allow_html, proto.body
        assert not LIVE_IN_MARKDOWN.search(proto.body), proto.body
    for text in others:  # labels of expanders, metrics, widgets: Markdown too
        assert not LIVE_IN_MARKDOWN.search(text), text[:500]
    for spec in figures:
        # Plotly reads <a href>, <b>, <br> in labels: data must arrive as &lt;...
        assert not LIVE_IN_PLOTLY.search(spec), json.loads(spec).get("layout", {}).get("title")


def test_file_names_and_headers_from_uploads_are_quoted_inert(hostile_on_demo, app_test):
    from tests.export_fixtures import zip_bytes
    from tests.untrusted_fixtures import MD_LINK, backlinks_export

    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = WORKSPACE_ID
    at.run()
    at.file_uploader[0].set_value([
        (f"{IMG}.csv", f"{MD_LINK},{SCRIPT},$x^2$\n1,2,3\n".encode(), "text/csv"),
        (f"[win](https://evil.example)_{OWN}_backlinks_.csv", backlinks_export() + b"1,2\n", "text/csv"),
        ("archive.zip", zip_bytes({f"{SCRIPT}.csv": b"a,b\n1,2\n"}), "application/zip"),
    ])
    at.run()
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and len(at.warning) == 1
    assert errors[0].startswith("\\<img src=x onerror=alert(1)\\>.csv is not a Semrush export")
    assert "\\[click me\\](javascript:alert(1))" in errors[0] and "\\$x^2\\$" in errors[0]
    assert errors[1].startswith("archive.zip/\\<script\\>alert(1)\\</script\\>.csv")
    # The URL also gets an escaped ":" and a word joiner in front: no autolink (ui.components).
    assert at.warning[0].value.startswith(
        "**\\[win\\](\u2060https\\://evil.example)\\_hostile-target.com\\_backlinks\\_.csv**")
    assert_inert(at)


def test_anchor_search_for_markup_finds_it_as_text(hostile_on_demo, app_test):
    at = app_test("pages/anchors.py")
    at.session_state["workspace_id"] = WORKSPACE_ID
    at.run()
    search = at.text_input(key="anchors_search")
    search.set_value("<script>").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "anchor" in d.value.columns)
    assert list(table["anchor"]) == [SCRIPT]


def test_the_hostile_workspace_is_about_its_own_site(hostile):
    assert hostile.own_domain == OWN and importer.current_frame(hostile, "backlinks") is not None


# ------------------------------------------------------------------------------------------ later pages

from tests.untrusted_fixtures import (DISAVOWED_URL, HOSTILE_NOTES, HOSTILE_OUTREACH, HTML_LINK,  # noqa: E402
                                      MD_LINK)

# The hostile names as the gap shows them (lib.normalize keeps what comes before a ":" or "/").
GAP_HOSTILE = {"a<img src=x onerror=alert(1)>.example", "<a href=evil.example>win<.example", "<script>alert(1)<",
               '=hyperlink("x").example', "-2+3.example", "[click]"}
LATER_PAGES = ["pages/audit.py", "pages/gap.py", "pages/outreach.py", "pages/workflow.py", "pages/report.py"]
HTTP = re.compile(r"^https?://", re.I)


def tables_shown(at) -> list[tuple[pd.DataFrame, dict]]:
    """(frame, column config) of every table and editor on the page."""
    found = []
    for element in walk(at.main):
        proto = getattr(element, "proto", None)
        if proto is not None and hasattr(proto, "arrow_data"):
            found.append((element.value, json.loads(proto.columns or "{}")))
    return found


def assert_links_only_http(at) -> int:
    """No LinkColumn holds a value that is not an http(s) URL; returns how many tables were checked."""
    tables_ = tables_shown(at)
    for frame, config in tables_:
        for column, spec in config.items():
            if isinstance(spec, dict) and spec.get("type_config", {}).get("type") == "link" and column in frame:
                values = frame[column].dropna().astype(str)
                assert values.str.match(HTTP).all(), (column, [v for v in values if not HTTP.match(v)])
    return len(tables_)


def column_type(at, column: str) -> set:
    return {(spec.get("type_config") or {}).get("type") for frame, config in tables_shown(at)
            for name, spec in config.items() if name == column and isinstance(spec, dict)}


def open_hostile(app_test, page: str):
    at = app_test(page)
    at.session_state["workspace_id"] = WORKSPACE_ID
    at.run()
    assert not at.exception, at.exception
    return at


def gap_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "priority" in d.value.columns)


@pytest.mark.parametrize("page", LATER_PAGES)
def test_later_pages_show_hostile_text_as_text(hostile_on_demo, app_test, page):
    at = open_hostile(app_test, page)
    if page == "pages/report.py":
        at.button(key="report_build").click().run()
        assert not at.exception, at.exception
        assert len(at.markdown) > 3  # the sections of the built report are listed
    assert_inert(at)
    if page not in ("pages/workflow.py", "pages/report.py"):  # those two show no table
        assert assert_links_only_http(at) > 0
    if page == "pages/gap.py":  # the hostile prospects are in the table
        assert GAP_HOSTILE <= set(gap_table(at)["domain"])
    if page == "pages/audit.py":  # the queue carries the hostile notes
        queue = next(d.value for d in at.dataframe if "decided_at" in d.value.columns)
        assert set(HOSTILE_NOTES.values()) <= set(queue["note"])
    if page == "pages/outreach.py":  # the editor holds the hostile contacts, notes and target URLs, as text
        editor = next(d.value for d in at.dataframe if "target_url" in d.value.columns)
        assert set(editor["target_url"]) == {v[2] for v in HOSTILE_OUTREACH.values()}
        assert set(editor["note"]) == {v[1] for v in HOSTILE_OUTREACH.values()}
        assert column_type(at, "target_url") == {"text"}
        due = next(d.value for d in at.dataframe if "when" in d.value.columns)
        assert set(due["contact"]) >= {v[0] for v in HOSTILE_OUTREACH.values()} - {HOSTILE_OUTREACH[
            "evil-two.example"][0]}


def test_gap_selection_of_hostile_rows_is_named_as_text_and_goes_to_outreach(hostile_on_demo, app_test):
    at = open_hostile(app_test, "pages/gap.py")
    table = gap_table(at)
    rows = [i for i, d in enumerate(table["domain"]) if d in GAP_HOSTILE]
    key = next(d.key for d in at.dataframe if "priority" in d.value.columns)
    at.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    selected = next(c.value for c in at.caption if "selected:" in c.value)
    assert selected.startswith("6 selected: ") and "\\<script\\>alert\\(1\\)\\<" in selected
    assert_inert(at)
    at.button(key="gap_add_outreach").click().run()
    assert not at.exception
    assert any(f"Added {len(GAP_HOSTILE) - 3}" in s.value for s in at.success)  # three were on the list already
    listed = outreach.outreach_list(WORKSPACE_ID)
    assert GAP_HOSTILE <= set(listed["domain"])
    assert_inert(at)


def test_audit_drill_down_of_hostile_domains_shows_notes_as_text(hostile_on_demo, app_test):
    at = open_hostile(app_test, "pages/audit.py")
    at.multiselect(key="audit_pick").set_value(["evil-one.example"]).run()
    assert not at.exception
    assert at.text_input(key="audit_domain_form_note").value == SCRIPT  # the note, as the input's plain value
    links = next(d.value for d in at.dataframe if "source_url" in d.value.columns and "decision" in d.value.columns)
    assert list(links["source_url"]) == [DISAVOWED_URL]
    assert set(links["decision"]) == {"Disavow"}
    history = next(d.value for d in at.dataframe if "previous" in d.value.columns)
    assert list(history["note"]) == [SCRIPT]
    assert_inert(at)
    assert_links_only_http(at)
    at.multiselect(key="audit_pick").set_value(["evil-two.example", "evil-three.example"]).run()
    assert not at.exception
    assert_inert(at)
    # the disavow file of the hostile decisions: its URL is one entry, the notes stay in comments
    preview = next(e.proto.code_text for e in walk(at.main) if type(getattr(e, "proto", None)).__name__ == "Code")
    entries = [line for line in preview.splitlines() if line and not line.startswith("#")]
    assert sorted(entries) == sorted(["domain:evil-four.example", DISAVOWED_URL])


def test_outreach_exports_and_report_of_hostile_data_are_inert(hostile_on_demo, demo_data_dir):
    from lib.report import make_report
    from lib.workspaces import get_workspace

    exported = csv_cells(outreach.export_csv(WORKSPACE_ID))
    cells = [c for row in exported for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    assert "'" + HOSTILE_OUTREACH['=hyperlink("x").example'][0] in cells
    report = make_report(get_workspace(WORKSPACE_ID), demo_data_dir, pd.Timestamp.today().date())
    html = report.html
    # the gap's hostile prospects did reach the report, escaped
    assert "a&lt;img src=x onerror=alert(1)&gt;.example" in html and "&lt;script&gt;alert(1)&lt;" in html
    for raw in (SCRIPT, IMG, HTML_LINK, '<a href=evil.example>'):
        assert raw not in html, raw
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
