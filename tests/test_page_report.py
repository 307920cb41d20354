"""AppTest of the Client report page: build, download the HTML, and the list of what it holds."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from lib.report import make_report
from lib.workspaces import create_workspace
from tests import untrusted_fixtures as hostile
from tools.fake_semrush import DEFAULT_KEY
from ui.components import md_escape

PAGE = "pages/report.py"


@pytest.fixture
def downloads(monkeypatch) -> list[dict]:
    """What the page hands to the browser as files: the bytes, MIME type and file name of each download."""
    served: list[dict] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        served.append({"data": path_or_data, "mimetype": mimetype, "filename": filename})
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return served


def build(at):
    at.run()
    assert not at.exception
    at.button(key="report_build").click().run()
    assert not at.exception
    return at


def test_demo_report_downloads_as_html(app_test, demo_data_dir, downloads):
    at = app_test(PAGE)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Client report"
    assert not at.get("download_button")  # nothing to download before the report is built
    build(at)
    [button] = at.get("download_button")
    assert button.label == "Download the report (HTML)"
    today = date.today().isoformat()
    [served] = [d for d in downloads if d["mimetype"] == "text/html"]
    assert served["filename"] == f"linkscope-report-demo-alpine-brew-co-{today}.html"
    html = served["data"].decode() if isinstance(served["data"], bytes) else served["data"]
    assert html.startswith("<!DOCTYPE html>") and "<h1>Demo: Alpine Brew Co.</h1>" in html
    expected = make_report(_demo(demo_data_dir), demo_data_dir, date.today())
    assert _without_chart_ids(html) == _without_chart_ids(expected.html)
    # The section list names every section with its summary.
    shown = " ".join(m.value for m in at.markdown)
    for section in expected.sections:
        assert section.title in shown
    assert "24,367 backlinks from 1,944 referring domains" in shown


def test_report_of_hostile_workspace_keeps_secrets_and_quotes_inert(app_test, data_dir, downloads, monkeypatch):
    monkeypatch.setenv("SEMRUSH_API_KEY", DEFAULT_KEY)
    workspace = hostile.create_hostile_workspace(data_dir)
    at = app_test(PAGE)
    at.query_params["ws"] = workspace.id
    build(at)
    [served] = [d for d in downloads if d["mimetype"] == "text/html"]
    html = served["data"].decode() if isinstance(served["data"], bytes) else served["data"]
    assert "<h1>Hostile data</h1>" in html
    assert DEFAULT_KEY not in html
    assert hostile.SCRIPT not in html.split("</script>")[-1]  # nowhere after the last chart's script
    for element in at.markdown:
        assert "<script" not in element.value and "](javascript" not in element.value


def test_empty_workspace_says_what_is_missing(app_test, data_dir, downloads):
    workspace = create_workspace("Nothing yet", "nothing.example", root=data_dir)
    at = app_test(PAGE)
    at.query_params["ws"] = workspace.id
    build(at)
    assert at.get("download_button")
    shown = " ".join(m.value for m in at.markdown)
    assert md_escape("No Backlinks or Referring Domains export in this workspace yet.") in shown


def _without_chart_ids(html: str) -> str:
    # Plotly gives every chart's div a random id.
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID", html)


def _demo(root):
    from lib.workspaces import list_workspaces

    return next(w for w in list_workspaces(root) if w.is_demo)
