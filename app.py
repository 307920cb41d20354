"""Linkscope: backlink analysis for Semrush exports and the Semrush API.

Run with `streamlit run app.py`. The first start creates a demo workspace.
"""

import streamlit as st

from ui import presentation, sidebar

st.set_page_config(page_title="Linkscope", page_icon=":material/hub:", layout="wide")

# Every url_path is its file's name: a fresh server's first request to a page URL is matched against the
# pages/ folder's file names before app.py's navigation exists, and any other name shows "Page not found".
PAGES = {
    "Analyse": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/referring_domains.py", title="Referring domains", icon=":material/public:",
                url_path="referring_domains"),
        st.Page("pages/anchors.py", title="Anchors", icon=":material/link:", url_path="anchors"),
        st.Page("pages/new_lost.py", title="New & lost", icon=":material/swap_vert:", url_path="new_lost"),
        st.Page("pages/history.py", title="History", icon=":material/history:", url_path="history"),
    ],
    "Act": [
        st.Page("pages/audit.py", title="Audit", icon=":material/gpp_maybe:", url_path="audit"),
        st.Page("pages/gap.py", title="Backlink gap", icon=":material/join_inner:", url_path="gap"),
        st.Page("pages/outreach.py", title="Outreach", icon=":material/forward_to_inbox:", url_path="outreach"),
    ],
    "Report": [
        st.Page("pages/workflow.py", title="Monthly workflow", icon=":material/checklist:", url_path="workflow"),
        st.Page("pages/report.py", title="Client report", icon=":material/summarize:", url_path="report"),
    ],
    "Workspace": [
        st.Page("pages/data.py", title="Data & settings", icon=":material/upload_file:", url_path="data"),
    ],
}

navigation = st.navigation(PAGES)
presentation.apply(sidebar.render())
navigation.run()
