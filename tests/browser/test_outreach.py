"""The Outreach page in a real browser: editing in the grid, saving, and two tabs editing the same list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lib import outreach
from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser

DOMAINS = ["alpha-roasters.com", "beta-brew.net", "gamma-grind.org", "delta-drip.io"]
NOTE_COLUMN = 6  # domain, status, your mark, next follow-up, last contact, contact, note
ROW = {domain: row for row, domain in enumerate(sorted(DOMAINS))}  # the editor lists domains alphabetically


def _fresh_list(root) -> None:
    """The module's server shares one data directory: every test starts from the same four prospects."""
    outreach.remove_prospects("demo", outreach.outreach_list("demo", root)["domain"], root)
    outreach.add_prospects("demo", DOMAINS, "gap", root, notes={"beta-brew.net": "met at a fair"},
                           target_url="https://alpinebrew.com/guides/")
    loaded = outreach.outreach_list("demo", root).astype({"next_follow_up": object})
    loaded.loc[0, ["status", "next_follow_up"]] = ["contacted", (date.today() - timedelta(days=1)).isoformat()]
    loaded.loc[1, ["status", "next_follow_up"]] = ["to contact", (date.today() + timedelta(days=4)).isoformat()]
    loaded.loc[3, "status"] = "won"
    assert outreach.save_edits("demo", loaded, root).ok


def _text(page) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def _type_note(page, row: int, text: str) -> None:
    """Select the row's domain cell, move to the Note column, open the cell editor, type, commit."""
    page.bring_to_front()  # two tabs: keys go to the tab in front, as when a person switches tabs
    grid = page.get_by_role("grid", name="Outreach list") if page.get_by_role("grid", name="Outreach list").count() \
        else page.locator("[data-testid='stDataFrame']").last
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + 35 + 35 * row + 17)
    page.wait_for_timeout(200)
    for _ in range(NOTE_COLUMN):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text, delay=15)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def _save(page) -> None:
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    assert_no_exception(page)


def _notes(root) -> dict[str, str]:
    return outreach.outreach_list("demo", root).set_index("domain")["note"].to_dict()


def test_empty_state_then_edit_and_save(demo_server, page):
    root = demo_server.data_dir
    outreach.remove_prospects("demo", outreach.outreach_list("demo", root)["domain"], root)
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "outreach", "ws=demo")
    assert_no_exception(page)
    assert "Your outreach list is empty" in _text(page)
    assert page.get_by_role("link", name="Referring domains: select domains").count() == 1

    _fresh_list(root)
    page.reload()
    wait_idle(page)
    text = _text(page)
    for wanted in ("Due this week", "Save changes", "Download CSV", "Download XLSX", "Import a list"):
        assert wanted in text, wanted
    metrics = [" ".join(m.split()) for m in page.locator("[data-testid='stMetric']").all_inner_texts()]
    assert metrics[:6] == ["New 1", "To contact 1", "Contacted 1", "Replied 0", "Won 1", "Declined 0"]
    assert metrics[6].startswith("Due") and "2" in metrics[6] and "1 overdue" in metrics[6]

    _type_note(page, ROW["gamma-grind.org"], "asked for a guest post")
    _save(page)
    assert "Saved: 1 saved." in _text(page)
    assert _notes(root)["gamma-grind.org"] == "asked for a guest post"
    assert _notes(root)["beta-brew.net"] == "met at a fair"
    shot = screenshot(page, "outreach")
    assert shot.stat().st_size > 10_000


def test_two_tabs_keep_each_others_rows_and_report_a_conflict(demo_server, browser):
    root = demo_server.data_dir
    _fresh_list(root)
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    try:
        first, second = context.new_page(), context.new_page()
        for tab in (first, second):
            tab.set_default_timeout(60_000)
            open_page(tab, demo_server, "", "ws=demo")
            open_page(tab, demo_server, "outreach", "ws=demo")
            assert_no_exception(tab)

        # different rows: both edits survive, neither tab sees a conflict
        _type_note(first, ROW["alpha-roasters.com"], "tab one: sent the pitch")
        _save(first)
        _type_note(second, ROW["gamma-grind.org"], "tab two: found the editor")
        _save(second)
        assert "Saved: 1 saved." in _text(first), screenshot(first, "outreach_tab_one")
        assert "Saved: 1 saved." in _text(second), screenshot(second, "outreach_tab_two")
        assert "Not saved" not in _text(second)
        notes = _notes(root)
        assert notes["alpha-roasters.com"] == "tab one: sent the pitch"
        assert notes["gamma-grind.org"] == "tab two: found the editor"

        # the same row: the first save wins, the second is reported and shown, not silently dropped
        _type_note(first, ROW["beta-brew.net"], "tab one wrote this")
        _type_note(second, ROW["beta-brew.net"], "tab two wrote this")
        _save(first)
        _save(second)
        text = _text(second)
        assert "Not saved: beta-brew.net changed in another tab" in text, text
        assert _notes(root)["beta-brew.net"] == "tab one wrote this"
        screenshot(second, "outreach_conflict")
        # after the conflict tab two holds the stored row and can save on top of it
        _type_note(second, ROW["beta-brew.net"], "tab two, after reading tab one")
        _save(second)
        assert "Saved: 1 saved." in _text(second)
        assert _notes(root)["beta-brew.net"] == "tab two, after reading tab one"
        assert _notes(root)["alpha-roasters.com"] == "tab one: sent the pitch"
    finally:
        context.close()
