"""The sidebar in a real browser: switch workspace, see what it holds; choice and data outlive a restart."""

from __future__ import annotations

import shutil

import pytest

from lib.importer import import_bytes
from lib.workspaces import create_workspace
from tests.browser.conftest import StreamlitServer, assert_no_exception, open_page, wait_idle
from tests.export_fixtures import export_csv

pytestmark = pytest.mark.browser


def test_switch_workspace_then_restart_the_server(demo_template, tmp_path, page):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_template, data_dir)
    acme = create_workspace("Acme Coffee", "acme.com", root=data_dir)
    [outcome] = import_bytes(acme, export_csv("referring_domains").encode(), "acme-refdomains.csv",
                             target_domain="acme.com", root=data_dir)
    assert outcome.ok
    page.set_viewport_size({"width": 1440, "height": 1200})

    server = StreamlitServer(data_dir)
    try:
        open_page(page, server, "", "ws=demo")
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.locator("[data-testid='stSelectbox']").filter(has_text="Workspace").get_by_role("combobox").click()
        page.get_by_role("option", name="Acme Coffee").click()
        wait_idle(page)
        assert "ws=acme" in page.url
        sidebar.get_by_text("Data in this workspace").click()
        wait_idle(page)
        assert f"Referring Domains · acme.com · {outcome.rows:,} rows" in sidebar.inner_text()
        assert "Backlinks ·" not in sidebar.inner_text()
        url = page.url
    finally:
        server.stop()

    restarted = StreamlitServer(data_dir)
    try:
        page.goto(url.replace(f":{server.port}", f":{restarted.port}"))
        wait_idle(page)
        assert_no_exception(page)
        assert "Acme Coffee · acme.com" in page.locator("[data-testid='stMain']").inner_text()
    finally:
        restarted.stop()
