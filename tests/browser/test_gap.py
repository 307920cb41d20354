"""The Backlink gap page in a real browser on the demo workspace."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_gap_page_counts_charts_table_and_outreach(demo_server, page):
    page.set_viewport_size({"width": 1440, "height": 2200})
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "gap", "ws=demo")
    assert_no_exception(page)
    app = page.locator("[data-testid='stApp']")
    text = app.inner_text()
    for wanted in ("Backlink gap", "Opportunities", "Best", "Weak", "Strong", "Shared", "Unique",
                   "Referring domains shared by each pair", "Most common combinations of linked domains",
                   "Priority weights", "Download CSV", "Download XLSX"):
        assert wanted in text, wanted
    assert page.locator("[data-testid='stPlotlyChart']").count() == 2
    assert re.search(r"[\d,]+ referring domains", text)
    screenshot(page, "gap")

    table = page.locator("[data-testid='stDataFrame']").last
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    wait_idle(page)
    button = page.get_by_role("button", name=re.compile(r"Add 1 to outreach"))
    button.click()
    wait_idle(page)
    assert "Added 1 to the outreach list" in app.inner_text()
    assert_no_exception(page)
