"""The History page in a real browser on the demo workspace."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_history_shows_the_trend_and_compares_the_latest_two_snapshots(demo_server, page):
    page.set_viewport_size({"width": 1440, "height": 2400})
    # A fresh server's very first session may not know the page names yet: start from the main page.
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "history", "ws=demo")
    assert_no_exception(page)
    app = page.locator("[data-testid='stApp']")
    text = app.inner_text()
    for wanted in ("The profile over time", "Compare two snapshots", "Backlinks gained", "Domains lost",
                   "All snapshots"):
        assert wanted in text
    trend = page.locator(".js-plotly-plot").first
    assert "Referring domains" in trend.inner_text() and "Share of risky links" in trend.inner_text()
    screenshot(page, "history")

    page.get_by_role("tab", name="Authority Score changes").click()
    wait_idle(page)
    assert "Largest Authority Score changes of linking domains" in app.inner_text()


def test_deleting_a_snapshot_asks_for_confirmation(demo_server, page):
    page.set_viewport_size({"width": 1440, "height": 2400})
    # A fresh server's very first session may not know the page names yet: start from the main page.
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "history", "ws=demo")
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="Delete a snapshot")
    picker.scroll_into_view_if_needed()
    picker.get_by_role("combobox").click()
    page.get_by_role("option").first.click()
    wait_idle(page)
    page.get_by_role("button", name="Delete this snapshot…").click()
    wait_idle(page)
    assert "This cannot be undone" in page.locator("[data-testid='stApp']").inner_text()
    screenshot(page, "history_delete_confirm")
    page.get_by_role("button", name="Cancel").click()
    wait_idle(page)
    assert "This cannot be undone" not in page.locator("[data-testid='stApp']").inner_text()
    assert_no_exception(page)


def test_an_empty_panels_note_stays_in_its_panel_and_leaves_the_dates_alone(browser):
    """Drawn by plotly.js itself: a note placed by "x3 domain" on a panel without data was drawn in the
    first panel instead, whose date axis it stretched back to 1970 (both snapshots on one spot)."""
    import pandas as pd

    from lib.charts.history import trend_grid

    trend = pd.DataFrame({"data_date": pd.to_datetime(["2025-05-02", "2025-06-01"]), "backlinks": [927_207, 970_209],
                          "referring_domains": [97_282, 97_823]})
    figure = trend_grid(trend, pd.DataFrame(columns=["date", "authority_score"]))
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    try:
        page.set_content(figure.to_html(include_plotlyjs=True, full_html=True))
        page.wait_for_selector(".js-plotly-plot .subplot.xy .xtick text")
        ticks = page.eval_on_selector_all(
            ".subplot.xy .xaxislayer-above .xtick text",
            "els => els.map(e => [e.getBoundingClientRect().x, e.getBoundingClientRect().y])")
        assert len(ticks) == 2 and abs(ticks[1][0] - ticks[0][0]) > 200  # the two dates far apart
        note = page.get_by_text("No site Authority Score recorded yet").bounding_box()
        assert note["y"] > max(y for _, y in ticks)  # below the first panel's date axis: in the empty panel
        assert "Risk scores are not available" in page.inner_text("body")
    finally:
        page.close()
