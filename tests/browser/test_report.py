"""The Client report in a real browser: built and downloaded from the app, then opened offline from disk."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_report_downloads_and_opens_offline_with_live_charts(demo_server, page, browser, tmp_path):
    open_page(page, demo_server, "", "ws=demo")
    open_page(page, demo_server, "report", "ws=demo")
    assert_no_exception(page)
    page.get_by_role("button", name="Build the report").click()
    wait_idle(page)
    assert_no_exception(page)
    app_text = page.locator("[data-testid='stApp']").inner_text()
    for wanted in ("What the report holds", "Overview and growth", "Link audit", "Outreach status"):
        assert wanted in app_text, wanted
    screenshot(page, "report_page")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the report (HTML)").click()
    download = download_info.value
    assert re.fullmatch(r"linkscope-report-demo-alpine-brew-co-\d{4}-\d{2}-\d{2}\.html", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    charts = html.count("Plotly.newPlot(")
    assert charts >= 8

    # Offline: anything but the file itself is refused, and must not even be asked for.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    report = context.new_page()
    asked: list[str] = []
    errors: list[str] = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    report.route("**/*", only_files)
    report.on("pageerror", lambda error: errors.append(str(error)))
    try:
        report.goto(saved.as_uri())
        report.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                                 timeout=30_000)
        assert report.locator(".js-plotly-plot").count() == charts
        assert report.locator("section h2").all_inner_texts()[:3] == [
            "Overview and growth", "Referring domains by category", "Anchor text mix"]
        assert report.locator("h1").inner_text() == "Demo: Alpine Brew Co."
        # Interactive: hovering a bar shows Plotly's hover label.
        report.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        box = report.locator(".js-plotly-plot").first.locator(".point").last.bounding_box()
        report.mouse.move(box["x"] + box["width"] / 2 - 2, box["y"] + box["height"] / 2)
        report.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        report.wait_for_function("document.querySelector('.js-plotly-plot .hoverlayer').childElementCount > 0",
                                 timeout=5_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        report.screenshot(path=str(ARTIFACTS / "report_file.png"), full_page=True)
        # Print to PDF as the browser does it: A4, one page or more per section.
        pdf = report.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 7
        (ARTIFACTS / "report.pdf").write_bytes(pdf)
    finally:
        context.close()
    assert asked == [] and errors == []
    wait_idle(page)
    assert_no_exception(page)
