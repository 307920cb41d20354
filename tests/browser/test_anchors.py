"""The Anchors page in a real browser on the demo workspace."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_anchor_profile_verdict_and_sites_per_anchor(demo_server, page):
    page.set_viewport_size({"width": 1440, "height": 2600})
    # A fresh server's very first session may not know the page names yet: start from the main page.
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "anchors", "ws=demo")
    assert_no_exception(page)
    text = page.locator("[data-testid='stApp']").inner_text()
    for wanted in ("Anchors", "use your keywords as anchor text", "All anchors", "Download CSV"):
        assert wanted in text, wanted
    charts = page.locator(".js-plotly-plot")
    titles = " ".join(charts.nth(i).inner_text() for i in range(charts.count())).lower()
    for title in ("anchor types by backlinks", "anchor types by referring domains", "anchors by referring domains"):
        assert title in titles, title

    table = page.locator("[data-testid='stDataFrame']").first
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    wait_idle(page)
    assert "Sites linking with" in page.locator("[data-testid='stApp']").inner_text()
    assert page.locator("[data-testid='stDataFrame']").count() == 2
    screenshot(page, "anchors")
    assert_no_exception(page)
