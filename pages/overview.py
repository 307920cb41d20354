"""Overview: what the workspace holds, and its key figures."""

import streamlit as st

from lib import snapshots
from lib.schema import KINDS
from ui import components, state

workspace = state.current_workspace()
st.title("Overview")
st.caption(f"{workspace.name} · {workspace.own_domain}")

backlinks = state.latest_frame(workspace, "backlinks")
if backlinks is None:
    components.needs_data("backlinks")
else:
    follow = (~backlinks["nofollow"]).mean() if len(backlinks) else 0.0
    components.metric_row([
        components.Metric("Backlinks", f"{len(backlinks):,}"),
        components.Metric("Referring domains", f"{backlinks['source_domain'].nunique():,}"),
        components.Metric("Follow links", f"{follow:.0%}"),
    ])

st.subheader("Data loaded")
held = snapshots.list_snapshots(workspace.id, root=state.data_root())
latest = {(s.kind, s.target_domain): s for s in held}
st.dataframe(
    [{"Kind": KINDS[kind].label, "About": target, "Rows": snap.rows, "Data date": snap.data_date,
      "Snapshots": sum(1 for s in held if (s.kind, s.target_domain) == (kind, target))}
     for (kind, target), snap in sorted(latest.items())],
    hide_index=True,
)
