"""Client report: one self-contained HTML file of this workspace to send to a client, printable to PDF."""

from datetime import date

import streamlit as st

from lib import workflow
from lib.report import make_report
from ui import components, state

REPORT_KEY = "client_report"

workspace = state.current_workspace()
st.title("Client report")
st.caption(f"{workspace.name} · {workspace.own_domain} · one file to send after the monthly review")

st.markdown(
    "One HTML file with this workspace's latest data: **overview and growth**, **referring domains by "
    "category**, the **anchor mix** with its over-optimisation verdict, the **link audit** with the disavow "
    "count, **new and lost links** with the important losses, the **top gap opportunities** and the "
    "**outreach status**. Charts stay interactive and the file opens without internet. Your private notes "
    "on domains are never included.")
st.caption("For a PDF, open the file in your browser and use Print → Save as PDF: the report has print styles "
           "for A4 pages.")

if st.button("Build the report", type="primary", icon=":material/summarize:", key="report_build"):
    with st.spinner("Building the report…"):
        st.session_state[REPORT_KEY] = (workspace.id, make_report(workspace, state.data_root(), date.today()))
    workflow.record_event(workspace.id, "report_built", state.data_root())  # ticks the month's export step

built = st.session_state.get(REPORT_KEY)
if built is not None and built[0] == workspace.id:
    report = built[1]
    st.download_button("Download the report (HTML)", report.html, file_name=report.file_name, mime="text/html",
                       icon=":material/download:", type="primary")
    st.caption(f"{report.file_name} · {len(report.html.encode()) / 1_000_000:.1f} MB, most of it the chart "
               "library, so the file works offline.")
    st.subheader("What the report holds")
    for section in report.sections:
        icon = ":material/check_circle:" if section.available else ":material/remove_circle_outline:"
        st.markdown(f"{icon} **{section.title}**: {components.md_escape(section.summary)}")
