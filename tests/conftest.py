"""Shared fixtures: every test works in its own data directory; Streamlit caches start empty."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent

# Under CI the property tests run a fixed sequence of examples, so a red CI can be rerun and a green one
# does not turn red by chance; runs elsewhere keep drawing new examples, which is how they find bugs.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "linkscope-data"
    path.mkdir()
    monkeypatch.setenv("LINKSCOPE_DATA_DIR", str(path))
    monkeypatch.delenv("SEMRUSH_API_KEY", raising=False)
    monkeypatch.delenv("SEMRUSH_API_URL", raising=False)
    return path


@pytest.fixture
def older_data_dir(data_dir: Path):
    """A data directory as an older Linkscope left it: workspace "old" and the tables `sql` creates and fills."""
    import sqlite3

    def make(sql: str) -> Path:
        with sqlite3.connect(data_dir / "linkscope.db") as conn:
            conn.executescript("CREATE TABLE workspaces (id TEXT PRIMARY KEY, name TEXT);"
                               "INSERT INTO workspaces (id, name) VALUES ('old', 'Old');" + sql)
        return data_dir

    return make


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace built once per test session; tests get copies of it."""
    from lib.importer import ensure_demo_workspace

    root = tmp_path_factory.mktemp("demo-template")
    ensure_demo_workspace(root)
    return root


@pytest.fixture
def demo_data_dir(demo_template: Path, data_dir: Path) -> Path:
    """A private copy of the demo workspace, as the app's data directory."""
    shutil.rmtree(data_dir)
    shutil.copytree(demo_template, data_dir)
    return data_dir


@pytest.fixture
def app_test():
    """An AppTest of the whole app (navigation, sidebar, default page)."""
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        if page:
            at.switch_page(page)
        return at

    return make
