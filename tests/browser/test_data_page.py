"""The app in a real browser: first start on the demo, and an upload through the real uploader."""

from __future__ import annotations

import pytest

from lib import snapshots
from tests.browser.conftest import assert_no_exception, exports_uploader, open_page, screenshot, wait_idle
from tests.test_importer import ROW_A, ROW_B, backlinks_csv

pytestmark = pytest.mark.browser


def test_first_start_shows_the_demo_overview(page, demo_server):
    open_page(page, demo_server)
    assert_no_exception(page)
    assert page.get_by_role("heading", name="Overview").is_visible()
    assert "Demo: Alpine Brew Co. · alpinebrew.com" in page.locator("[data-testid='stMain']").inner_text()
    assert "Backlinks" in page.locator("[data-testid='stMetric']").first.inner_text()
    screenshot(page, "overview-first-start")


def test_upload_through_the_real_uploader(page, demo_server, tmp_path):
    good = tmp_path / "alpinebrew.com-backlinks-2026-06-01.csv"
    good.write_bytes(backlinks_csv(ROW_A.replace("acme.com", "alpinebrew.com"),
                                   ROW_B.replace("acme.com", "alpinebrew.com")))
    bad = tmp_path / "random.csv"
    bad.write_bytes(bytes(range(256)) * 20)
    before = len(snapshots.list_snapshots("demo", root=demo_server.data_dir))

    open_page(page, demo_server, "data")
    exports_uploader(page).set_input_files([str(good), str(bad)])
    wait_idle(page)
    page.get_by_role("button", name="Import").click()
    wait_idle(page, settle_ms=1000)

    assert_no_exception(page)
    success = page.locator("[data-testid='stAlertContentSuccess']").inner_text()
    assert "alpinebrew.com-backlinks-2026-06-01.csv" in success and "2 rows" in success
    error = page.locator("[data-testid='stAlertContentError']").inner_text()
    assert "random.csv" in error
    after = snapshots.list_snapshots("demo", root=demo_server.data_dir)
    assert len(after) == before + 1
    assert any(s.source_name == good.name and s.data_date.isoformat() == "2026-06-01" for s in after)
    screenshot(page, "data-after-upload")
