"""The API key leaks nowhere: after a fetch, failing fetches, every page, and every file Linkscope writes.

The key is set the way a user sets it (environment), used against the local fake Semrush server, then every
place data goes is searched for it: the data directory (database, snapshots, API cache), every page's
rendered elements, the files a user downloads (tables, client report, disavow file, outreach list), a backup,
and the log output.
"""

from __future__ import annotations

import logging
import zipfile
from datetime import date

import pytest

from lib import decisions, disavow, outreach, snapshots
from lib.backup import backup
from lib.export import csv_bytes, xlsx_bytes
from lib.report import make_report
from lib.workspaces import create_workspace, get_workspace
from tools.fake_semrush import FakeSemrush, sample_frames

KEY = "lk-LEAK-q7Zr2mX9f3KwT5vB"  # no digit runs: plotly.js holds "0123456789"
PAGES = ["pages/overview.py", "pages/referring_domains.py", "pages/anchors.py", "pages/new_lost.py",
         "pages/history.py", "pages/audit.py", "pages/gap.py", "pages/outreach.py", "pages/workflow.py",
         "pages/report.py", "pages/data.py"]


def fragments(key: str, size: int = 8) -> list[str]:
    return [key[i:i + size] for i in range(len(key) - size + 1)]


def assert_no_key(where: str, data: bytes | str) -> None:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    found = [part for part in fragments(KEY) if part in text]
    assert not found, f"parts of the API key in {where}: {found}"


def fetch(app_test, workspace_id: str):
    at = app_test("pages/data.py")
    at.session_state["workspace_id"] = workspace_id
    at.run()
    next(b for b in at.button if b.label.startswith("Fetch now")).click()
    at.run(timeout=120)
    assert not at.exception, at.exception
    return at


@pytest.fixture
def fetched(demo_data_dir, app_test, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SEMRUSH_API_KEY", KEY)
    acme = create_workspace("Acme", "acme.com", ["rival.com"])
    frames = sample_frames(["acme.com", "rival.com"], backlinks=80)
    rendered = []
    with FakeSemrush.from_frames(frames, keys=[KEY]) as fake:
        monkeypatch.setenv("SEMRUSH_API_URL", fake.url)
        rendered.append(str(fetch(app_test, acme.id)))
        assert snapshots.list_snapshots(acme.id, "backlinks")
        # Error paths: the server failing every try, then refusing the key.
        other = create_workspace("Other", "other.com")
        fake.set_faults(server_error=50)
        rendered.append(str(fetch(app_test, other.id)))
        fake.clear_faults()
        fake.set_faults(error_code=120)
        rendered.append(str(fetch(app_test, other.id)))
        fake.clear_faults()
    # Nothing listening any more: a transport error.
    third = create_workspace("Third", "third.com")
    rendered.append(str(fetch(app_test, third.id)))
    return get_workspace(acme.id), rendered


def test_the_key_is_in_no_page_file_download_backup_or_log(fetched, demo_data_dir, app_test, tmp_path, caplog):
    acme, rendered = fetched
    for number, text in enumerate(rendered):
        assert_no_key(f"the Data page after fetch {number}", text)

    for page in PAGES:
        for workspace_id in ("demo", acme.id):
            at = app_test(page)
            at.session_state["workspace_id"] = workspace_id
            at.run(timeout=120)
            assert not at.exception, (page, at.exception)
            assert_no_key(f"{page} of {workspace_id}", str(at))

    decisions.set_decisions(acme.id, ["spam.xyz"], "disavow", note="paid links", root=demo_data_dir)
    outreach.add_prospects(acme.id, ["blog.net"], "manual", root=demo_data_dir)
    latest = snapshots.load_frame(snapshots.latest_snapshot(acme.id, "backlinks"), demo_data_dir)
    downloads = {
        "table CSV": csv_bytes(latest), "table XLSX": xlsx_bytes(latest),
        "client report": make_report(acme, demo_data_dir, date.today()).html,
        "disavow file": disavow.disavow_bytes(decisions.decisions_for(acme.id, demo_data_dir), date.today()),
        "outreach CSV": outreach.export_csv(acme.id, demo_data_dir),
        "outreach XLSX": outreach.export_xlsx(acme.id, demo_data_dir),
    }
    for name, data in downloads.items():
        if name.endswith("XLSX"):
            with zipfile.ZipFile(__import__("io").BytesIO(data)) as book:
                data = b"".join(book.read(member) for member in book.namelist())
        assert_no_key(name, data)

    archive = backup(tmp_path / "backups", demo_data_dir)
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.namelist():
            assert_no_key(f"backup member {member}", zipped.read(member))

    written = [p for p in demo_data_dir.rglob("*") if p.is_file()]
    assert any("cache" in p.parts for p in written)  # the API answers were cached, and are searched too
    for path in written:
        assert_no_key(str(path.relative_to(demo_data_dir)), path.read_bytes())

    assert_no_key("the log", caplog.text)
