"""app.py's navigation: page URLs a fresh server can serve on its first request."""

from __future__ import annotations

import re
from pathlib import Path

APP = (Path(__file__).resolve().parents[1] / "app.py").read_text()


def test_every_page_url_is_its_file_name():
    # Before app.py has run once, Streamlit matches a URL against the pages/ folder's file names; any other
    # url_path opens a bookmark with a "Page not found" dialog (tests/browser/test_first_visit.py shows it).
    pages = re.findall(r'st\.Page\(\s*"pages/(\w+)\.py"([^)]*)\)', APP)
    assert len(pages) == 11
    for stem, arguments in pages:
        url_path = re.search(r'url_path="([^"]*)"', arguments)
        if "default=True" not in arguments:
            assert url_path and url_path.group(1) == stem, stem
