"""The current workspace and its data, as the pages see them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import db, importer, snapshots
from lib.analysis import new_lost
from lib.workspaces import Workspace, get_workspace, list_workspaces

WORKSPACE_PARAM = "ws"


def data_root() -> Path:
    return db.data_dir()


@st.cache_resource(show_spinner=False)
def _demo_ready(root: str) -> bool:
    # Once per data directory and server process: creating the demo takes a few seconds.
    importer.ensure_demo_workspace(Path(root))
    snapshots.remove_orphans(Path(root))
    return True


def ensure_started() -> None:
    root = data_root()
    if not list_workspaces(root):
        _demo_ready.clear()
    with st.spinner("Preparing the demo workspace…"):
        _demo_ready(str(root))


def workspaces() -> list[Workspace]:
    return list_workspaces(data_root())


def _leave_legacy_navigation() -> None:
    """Run the page through app.py's st.navigation, also on a fresh server's first request.

    Until app.py has called st.navigation once, Streamlit treats the pages/ folder as a legacy multipage app:
    a first visit straight to a page's URL (a bookmark after a restart) would run that page file alone, with
    the folder's file names as navigation and no sidebar. Switching the flag that st.navigation itself
    switches, then rerunning, runs app.py with the requested page instead. Only in a served app: page
    AppTests run page files alone on purpose.
    """
    from streamlit.runtime import Runtime
    from streamlit.runtime.pages_manager import PagesManager

    served = Runtime.exists() and type(Runtime.instance()) is Runtime  # AppTest runs on a stand-in Runtime
    if served and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_workspace() -> Workspace:
    """The workspace picked in the sidebar; kept in the URL so a reload keeps it."""
    _leave_legacy_navigation()
    ensure_started()
    wanted = st.session_state.get("workspace_id") or st.query_params.get(WORKSPACE_PARAM)
    workspace = get_workspace(wanted, data_root()) if wanted else None
    if workspace is None:
        available = workspaces()
        workspace = next((w for w in available if not w.is_demo), available[0])
    select_workspace(workspace.id)
    return workspace


def select_workspace(workspace_id: str) -> None:
    st.session_state["workspace_id"] = workspace_id
    if st.query_params.get(WORKSPACE_PARAM) != workspace_id:
        st.query_params[WORKSPACE_PARAM] = workspace_id


# Snapshot frames are shared read-only between reruns and sessions: cache_resource hands out the
# same object instead of unpickling a copy of a million rows on every rerun. Nothing mutates them.
@st.cache_resource(max_entries=24, show_spinner=False)
def _snapshot_frame(root: str, snapshot_id: int) -> pd.DataFrame:
    snapshot = snapshots.get_snapshot(snapshot_id, Path(root))
    if snapshot is None:
        raise KeyError(snapshot_id)
    return snapshots.load_frame(snapshot, Path(root))


def snapshot_frame(snapshot: snapshots.Snapshot) -> pd.DataFrame:
    return _snapshot_frame(str(data_root()), snapshot.id)


def frame_by_id(snapshot_id: int | None) -> pd.DataFrame | None:
    """The frame of a snapshot id (None for no id); for st.cache_data functions, which take ids, not frames."""
    return None if snapshot_id is None else _snapshot_frame(str(data_root()), snapshot_id)



# Overview, New & lost and the Audit read the same links of the site's history: computed once per history and
# shared read-only, so the second of those pages a user opens does not compare the snapshots again.
@st.cache_resource(show_spinner="Comparing snapshots…", max_entries=4)
def vanished_links(root: str, snapshot_ids: tuple[int, ...]) -> pd.DataFrame:
    """lib.analysis.new_lost.vanished_backlinks of Backlinks snapshots (ids oldest data first)."""
    dated = [(snapshots.get_snapshot(i, Path(root)).data_date, _snapshot_frame(root, i)) for i in snapshot_ids]
    return new_lost.vanished_backlinks(dated)


@st.cache_resource(show_spinner="Collecting links…", max_entries=4)
def link_events(root: str, snapshot_ids: tuple[int, ...], refdomains_id: int | None, as_of: date) -> pd.DataFrame:
    """lib.analysis.new_lost.link_events of the latest snapshot, the vanished links and the Referring Domains."""
    refdomains = _snapshot_frame(root, refdomains_id) if refdomains_id is not None else None
    return new_lost.link_events(_snapshot_frame(root, snapshot_ids[-1]), vanished_links(root, snapshot_ids),
                                refdomains, as_of)

def latest(workspace: Workspace, kind: str, target_domain: str | None = None) -> snapshots.Snapshot | None:
    return snapshots.latest_snapshot(workspace.id, kind, target_domain or workspace.own_domain, data_root())


def latest_frame(workspace: Workspace, kind: str, target_domain: str | None = None) -> pd.DataFrame | None:
    snapshot = latest(workspace, kind, target_domain)
    return snapshot_frame(snapshot) if snapshot else None


def history(workspace: Workspace, kind: str, target_domain: str | None = None) -> list[snapshots.Snapshot]:
    return snapshots.list_snapshots(workspace.id, kind, target_domain or workspace.own_domain, data_root())
