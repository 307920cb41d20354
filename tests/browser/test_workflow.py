"""The Monthly workflow page in a real browser: a hand tick survives a reload; links open the step's page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_tick_a_step_reload_and_follow_a_link(demo_server, page):
    page.set_viewport_size({"width": 1440, "height": 1500})
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "workflow", "ws=demo")
    assert_no_exception(page)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("of 8 steps done").count() == 1
    main.locator("[data-testid='stCheckbox']").nth(2).click()  # step 3, the anchors
    wait_idle(page)
    page.reload()
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    assert main.locator("[data-testid='stCheckbox'] input").nth(2).is_checked()
    assert "ticked by hand" in main.inner_text()
    assert main.get_by_text("1 of 8 steps done").count() == 1
    screenshot(page, "workflow")

    main.locator("[data-testid='stPageLink']").nth(2).click()
    wait_idle(page)
    assert page.url.split("?")[0].endswith("/anchors")
    assert_no_exception(page)
