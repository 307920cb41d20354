"""The Referring domains page in a real browser on the demo workspace."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def _count(page) -> int:
    caption = page.get_by_text(re.compile(r"^(Showing the first .* of )?[\d,]+ referring domains")).first
    return int(re.findall(r"([\d,]+) referring domains", caption.inner_text())[-1].replace(",", ""))


def test_table_filters_and_selecting_a_domain(demo_server, page):
    page.set_viewport_size({"width": 1440, "height": 2400})
    # A fresh server's very first session may not know the page names yet: start from the main page.
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "referring_domains", "ws=demo")
    assert_no_exception(page)
    text = page.locator("[data-testid='stApp']").inner_text()
    for wanted in ("Referring domains", "What kind of sites link to you", "Download CSV", "Download XLSX"):
        assert wanted in text, wanted
    table = page.locator("[data-testid='stDataFrame']").first
    assert table.is_visible()
    everything = _count(page)
    assert everything > 0

    # Tick the first row's box: its backlinks and the mark form appear.
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    wait_idle(page)
    assert "1 selected" in page.locator("[data-testid='stApp']").inner_text()
    assert "Backlinks from the selected domain" in page.locator("[data-testid='stApp']").inner_text()
    screenshot(page, "referring_domains")

    page.get_by_placeholder("Search domains, notes, rules, IPs").fill("zz-no-such-domain-zz")
    page.get_by_placeholder("Search domains, notes, rules, IPs").press("Enter")
    wait_idle(page)
    assert _count(page) == 0
    assert_no_exception(page)
