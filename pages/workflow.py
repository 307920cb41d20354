"""Monthly workflow: this month's checklist, each step linked to its page and ticked where the data shows it."""

from datetime import date

import pandas as pd
import streamlit as st

from lib import workflow
from ui import components, presentation, state

workspace = state.current_workspace()
root = state.data_root()
st.title("Monthly workflow")
st.caption(f"{workspace.name} · {workspace.own_domain} · run it once a month: each step takes a few minutes")

this_month = workflow.month_of(date.today())
months = [str(p) for p in pd.period_range(end=pd.Period(this_month, freq="M"), periods=12, freq="M")][::-1]
month_col, _ = st.columns([1, 3])
month = month_col.selectbox("Month", months, key="workflow_month",
                     format_func=lambda m: pd.Period(m, freq="M").strftime("%B %Y"))

items = workflow.checklist(month, workflow.gather_evidence(workspace.id, month, root),
                           workflow.ticks(workspace.id, month, root))
done, total = workflow.progress(items)
st.progress(done / total, text=f"**{done} of {total} steps done** in {pd.Period(month, freq='M'):%B %Y}")
if done == total:
    st.success("Every step of the month is done.", icon=":material/task_alt:")

presenting = presentation.is_presenting()


def _save_tick(step: str, key: str) -> None:
    workflow.set_tick(workspace.id, month, step, bool(st.session_state[key]), root)


for item in items.itertuples():
    key = f"workflow_{workspace.id}_{month}_{item.step}"
    # Show what is stored (or what the data shows) on every run, so another tab's tick appears here too.
    st.session_state[key] = bool(item.done)
    with st.container(border=True):
        tick_col, text_col, link_col = st.columns([0.6, 7, 2.4], vertical_alignment="center")
        tick_col.checkbox(f"Step {item.number} done", key=key, label_visibility="collapsed", disabled=presenting,
                          on_change=_save_tick, args=(item.step, key))
        with text_col:
            st.markdown(f"**{item.number}. {item.title}**")
            st.caption(f"{item.advice}  \n"
                       + (":material/auto_awesome: " if item.auto else "")
                       + components.md_message(item.why))
        link_col.page_link(item.page, label="Open the page", icon=":material/arrow_forward:")

st.caption("A step is ticked by itself when the workspace shows it was done this month (data imported, domains "
           "marked, decisions made, prospects added, a report built). Tick the others by hand; a hand tick also "
           "overrides what the data shows. Ticks are kept per workspace and month.")
