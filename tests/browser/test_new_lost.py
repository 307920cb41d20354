"""The New & lost page in a real browser on the demo workspace."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_new_lost_shows_charts_strong_losses_and_new_links(demo_server, page):
    page.set_viewport_size({"width": 1440, "height": 2400})
    # A fresh server's very first session may not know the page names yet: start from the main page.
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "new_lost", "ws=demo")
    assert_no_exception(page)
    app = page.locator("[data-testid='stApp']")
    for text in ("New & lost", "Strong links lost", "Lost referring domains"):
        assert text in app.inner_text()
    assert page.locator(".js-plotly-plot").count() >= 2
    assert "New and lost referring domains per month" in page.locator(".js-plotly-plot").first.inner_text()
    assert "Lost backlinks" in app.inner_text() and "first, with the page each one pointed to" in app.inner_text()
    screenshot(page, "new_lost")

    page.get_by_text("Week", exact=True).click()
    wait_idle(page)
    assert_no_exception(page)
    assert "New and lost referring domains per week" in page.locator(".js-plotly-plot").first.inner_text()

    page.get_by_role("tab", name="New links").click()
    wait_idle(page)
    assert "Content attracting new referring domains" in app.inner_text()
    screenshot(page, "new_lost_new_links")

    page.get_by_role("tab", name="Important pages").click()
    wait_idle(page)
    assert "Pick the pages you care most about" in app.inner_text()
    assert_no_exception(page)
