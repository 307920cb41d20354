"""The charts' shared template in Streamlit's dark theme: dark backgrounds and light text."""

from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import StreamlitServer, assert_no_exception, open_page, screenshot

pytestmark = pytest.mark.browser


def luminance(css_colour: str) -> float:
    parts = [float(p) for p in css_colour[css_colour.index("(") + 1:css_colour.index(")")].split(",")[:3]]
    return (0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]) / 255


def test_charts_are_readable_on_the_dark_theme(demo_template, tmp_path, page):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_template, data_dir)
    server = StreamlitServer(data_dir, extra_env={"STREAMLIT_THEME_BASE": "dark"})
    try:
        page.set_viewport_size({"width": 1440, "height": 2200})
        open_page(page, server, "", "ws=demo")
        assert_no_exception(page)
        background = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
        assert luminance(background) < 0.2  # the dark theme is on
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        charts = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
            paper: getComputedStyle(p.querySelector('.main-svg')).backgroundColor,
            title: (p.querySelector('.gtitle') || {}).style ? p.querySelector('.gtitle').style.fill : null,
            tick: (p.querySelector('.xtick text') || {}).style ? p.querySelector('.xtick text').style.fill : null,
        }))""")
        assert len(charts) >= 3
        for chart in charts:
            # transparent, or the theme's own dark background: never a white card on a dark page
            assert chart["paper"] in ("rgba(0, 0, 0, 0)", "transparent") or luminance(chart["paper"]) < 0.2, chart
            for text in (chart["title"], chart["tick"]):
                if text:
                    assert luminance(text) > 0.6, chart  # light text on the dark page
        screenshot(page, "overview-dark")
    finally:
        server.stop()
