"""A fresh server whose first visitor opens a page's URL directly (a bookmark after a restart)."""

from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import StreamlitServer, assert_no_exception, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["data", "audit", "new_lost", "referring_domains"])
def test_the_first_request_to_a_page_gets_the_full_app(demo_template, tmp_path, page, path):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_template, data_dir)
    server = StreamlitServer(data_dir)
    try:
        page.goto(f"{server.url}/{path}?ws=demo&present=1")
        wait_idle(page)
        assert_no_exception(page)
        assert page.get_by_text("Page not found").count() == 0
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        # app.py's navigation and sidebar, not the pages/ folder's file names.
        assert "Presentation mode" in sidebar and "Data & settings" in sidebar
        assert "referring domains" not in sidebar  # a legacy entry would be the file name
        assert page.get_by_role("heading", name="Demo: Alpine Brew Co.").count() == 1  # the presentation header
        assert page.url.split("?")[0].endswith(f"/{path}")
    finally:
        server.stop()
