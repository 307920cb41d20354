"""Presentation mode in a real browser: what a client must not see is not in the page's HTML at all."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib import decisions, marks, outreach
from tests.browser.conftest import StreamlitServer, assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser

TEST_KEY = "f3c9a1e07b5d4c2a9e8f6b1d0a7c5e33"  # a fake key in the environment, as a user's real one would be
PRIVATE_NOTE = "client still owes the March invoice"
PAGES = ["", "referring_domains", "anchors", "new_lost", "history", "audit", "gap", "outreach", "workflow", "report",
         "data"]
PRIVATE_CONTACT = "private-contact@owner.example"


@pytest.fixture(scope="module")
def keyed_server(demo_template: Path, tmp_path_factory) -> Iterator[StreamlitServer]:
    data_dir = tmp_path_factory.mktemp("browser-present") / "data"
    shutil.copytree(demo_template, data_dir)
    marks.set_marks("demo", ["grindlab.com", "pourcraft.co"], "review", PRIVATE_NOTE, data_dir)
    decisions.set_decisions("demo", ["kettleandbean.com"], "disavow", PRIVATE_NOTE, root=data_dir)
    outreach.add_prospects("demo", ["blog.example"], "manual", data_dir, notes={"blog.example": PRIVATE_NOTE})
    listed = outreach.outreach_list("demo", data_dir)
    assert outreach.save_edits("demo", listed.assign(contact=PRIVATE_CONTACT), data_dir).ok
    server = StreamlitServer(data_dir, extra_env={"SEMRUSH_API_KEY": TEST_KEY})
    server.data_dir = data_dir
    yield server
    server.stop()


def key_fragments(key: str, size: int = 8) -> list[str]:
    return [key[i:i + size] for i in range(len(key) - size + 1)]


def assert_nothing_private(page, server: StreamlitServer) -> None:
    html = page.content()
    leaked = [part for part in key_fragments(TEST_KEY) if part in html]
    assert not leaked, f"parts of the API key in the page: {leaked}"
    assert PRIVATE_NOTE not in html and PRIVATE_CONTACT not in html
    assert str(server.data_dir) not in html and "linkscope.db" not in html
    assert page.locator("input[type='password']").count() == 0
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    assert page.locator("[data-testid='stToolbar'] button:visible").count() == 0


@pytest.mark.parametrize("path", PAGES)
def test_no_page_shows_keys_uploads_paths_or_private_notes(keyed_server, page, path):
    page.set_viewport_size({"width": 1440, "height": 1800})
    open_page(page, keyed_server, "", "ws=demo&present=1")
    open_page(page, keyed_server, path, "ws=demo&present=1")
    assert_no_exception(page)
    assert_nothing_private(page, keyed_server)
    assert page.get_by_role("heading", name="Demo: Alpine Brew Co.").count() >= 1
    screenshot(page, f"present-{path or 'overview'}")


def test_the_toggle_switches_the_mode_and_the_url_follows(keyed_server, page):
    page.set_viewport_size({"width": 1440, "height": 1800})
    open_page(page, keyed_server, "", "ws=demo")
    open_page(page, keyed_server, "data", "ws=demo")
    assert page.locator("[data-testid='stFileUploader']").count() >= 1
    toggle = page.locator("[data-testid='stSidebar'] [data-testid='stCheckbox']").filter(has_text="Presentation mode")
    toggle.click()
    wait_idle(page)
    assert "present=1" in page.url
    assert_nothing_private(page, keyed_server)

    page.reload()
    wait_idle(page)
    assert_nothing_private(page, keyed_server)  # a reload keeps the mode

    page.locator("[data-testid='stSidebar'] [data-testid='stCheckbox']").filter(has_text="Presentation mode").click()
    wait_idle(page)
    # Dropping the URL parameter can start one more run after the first one settles: wait for the uploader.
    page.locator("[data-testid='stFileUploader']").first.wait_for(state="attached", timeout=30_000)
    assert "present=1" not in page.url
