"""The sidebar every page shares: which workspace, and what data it holds."""

from __future__ import annotations

import streamlit as st

from lib import snapshots
from lib.schema import KINDS
from lib.workspaces import Workspace
from ui import components, presentation, state


def render() -> Workspace:
    workspace = state.current_workspace()
    if presentation.toggle(st.sidebar):
        # Other workspaces are other clients: their names stay off a shared screen.
        st.sidebar.caption(f"Workspace: **{components.md_message(workspace.name)}**")
        _data_summary(workspace)
        return workspace
    available = state.workspaces()
    ids = [w.id for w in available]
    names = {w.id: w.name for w in available}
    chosen = st.sidebar.selectbox(
        "Workspace", ids, index=ids.index(workspace.id), format_func=names.get, key="sidebar_workspace",
        help="One workspace per site you analyse. Add one on the Data page.",
    )
    if chosen != workspace.id:
        state.select_workspace(chosen)
        st.rerun()
    _data_summary(workspace)
    return workspace


def _data_summary(workspace: Workspace) -> None:
    held = snapshots.list_snapshots(workspace.id, root=state.data_root())
    with st.sidebar.expander("Data in this workspace", expanded=False):
        st.caption(f"**{workspace.own_domain}**" + (f" vs {', '.join(workspace.competitors)}"
                                                    if workspace.competitors else ""))
        if not held:
            st.caption("No data yet: upload Semrush exports on the Data page.")
            return
        latest: dict[tuple[str, str], snapshots.Snapshot] = {}
        for snap in held:
            latest[(snap.kind, snap.target_domain)] = snap
        for (kind, target), snap in sorted(latest.items()):
            st.caption(f"{KINDS[kind].label} · {target} · {snap.rows:,} rows · {snap.data_date:%d %b %Y}")
