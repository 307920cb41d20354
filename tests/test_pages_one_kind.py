"""Every page on a workspace that holds only one kind of export (or nothing): no page may crash.

Users import whatever they have; a page that needs another kind says so instead of failing.
"""

from __future__ import annotations

import pytest

from lib import snapshots
from lib.workspaces import create_workspace, get_workspace

PAGES = ["pages/overview.py", "pages/referring_domains.py", "pages/anchors.py", "pages/new_lost.py",
         "pages/history.py", "pages/audit.py", "pages/gap.py", "pages/outreach.py", "pages/workflow.py",
         "pages/report.py", "pages/data.py"]
DEMO_KINDS = ["backlinks", "referring_domains", "anchors", "indexed_pages", "audit", "gap", None]


@pytest.fixture(scope="module")
def one_kind_dirs(demo_template, tmp_path_factory):
    """A copy of the demo data directory with one extra workspace per kind, holding only that kind."""
    import shutil

    root = tmp_path_factory.mktemp("one-kind") / "data"
    shutil.copytree(demo_template, root)
    demo = get_workspace("demo", root)
    for kind in DEMO_KINDS:
        name = kind or "nothing"
        workspace = create_workspace(f"Only {name}", demo.own_domain, competitors=demo.competitors,
                                     workspace_id=f"only-{name.replace('_', '-')}", root=root)
        if kind is None:
            continue
        source = snapshots.latest_snapshot("demo", kind, demo.own_domain, root)
        snapshots.save_snapshot(workspace.id, kind, snapshots.load_frame(source, root),
                                target_domain=source.target_domain, source="upload", source_name=f"{kind}.csv",
                                data_date=source.data_date, root=root,
                                compared_domains=tuple(source.compared_domains))
    return root


@pytest.mark.parametrize("kind", DEMO_KINDS, ids=lambda k: k or "nothing")
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_a_workspace_holding_one_kind(one_kind_dirs, data_dir, app_test, monkeypatch, page, kind):
    monkeypatch.setenv("LINKSCOPE_DATA_DIR", str(one_kind_dirs))
    at = app_test(page)
    at.session_state["workspace_id"] = f"only-{(kind or 'nothing').replace('_', '-')}"
    at.run(timeout=120)
    assert not at.exception, at.exception
