"""Browser tests: a real `streamlit run` on a free port, driven by Playwright on Debian's Chromium.

Where Chromium is missing these tests skip on a developer machine but FAIL under CI (CI=true),
so a CI run can never pass without having run them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "screenshots"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def chromium_path() -> str | None:
    found = os.environ.get("LINKSCOPE_CHROMIUM") or next(
        (p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None) or shutil.which("chromium")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "LINKSCOPE_DATA_DIR": str(data_dir), **(extra_env or {})}
        self.log = data_dir.parent / f"streamlit-{self.port}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/_stcore/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not become healthy within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium); browser tests cannot run."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo_server(demo_template: Path, tmp_path_factory) -> Iterator[StreamlitServer]:
    """One app server per test module, on its own copy of the demo workspace."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(demo_template, data_dir)
    server = StreamlitServer(data_dir)
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()


def wait_idle(page, settle_ms: int = 400) -> None:
    """Wait like Streamlit's own e2e suite: the app reports that no script run is in progress."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(IDLE, timeout=60_000)


def open_page(page, server: StreamlitServer, path: str = "", query: str = "") -> None:
    page.goto(f"{server.url}/{path}{('?' + query) if query else ''}")
    wait_idle(page)


def exports_uploader(page):
    """The file input of the Data page's "Semrush export files" uploader, found by its label.

    The page holds other uploaders (the workspace logo takes images only); `.first` of any uploader
    depends on what the frontend has drawn so far and once picked the logo's single-file input.
    """
    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="Semrush export files")
    uploader.wait_for(state="attached", timeout=60_000)
    return uploader.locator("input[type='file']")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def assert_no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.inner_text("[data-testid='stApp']")
