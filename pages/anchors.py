"""Anchors: how other sites word their links to you, and whether keyword anchors look over-optimised."""

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from lib.analysis import anchor_profile as ap
from lib.analysis.anchors import CATEGORIES, LABELS, AnchorContext
from lib.charts import anchors as charts
from lib.workspaces import WorkspaceError, get_setting, set_setting, update_workspace
from ui import components, filters, presentation, state
from ui.charts import show
from ui.tables import data_table, selection_key

workspace = state.current_workspace()
st.title("Anchors")
st.caption(f"{workspace.name} · {workspace.own_domain} · the clickable text of the links to you")


def _terms(text: str) -> list[str]:
    return [t.strip() for t in text.replace(",", "\n").splitlines() if t.strip()]


if presentation.is_presenting():
    presentation.hidden("Brand terms and keyword settings")
else:
    with st.expander("Your brand terms and target keywords", expanded=not workspace.target_keywords,
                     icon=":material/tune:"):
        with st.form("anchor_terms"):
            left, right = st.columns(2)
            brand = left.text_area("Brand terms (one per line)", "\n".join(workspace.brand_terms), height=130,
                                   help="Names people use for you. Your domain name "
                                        f"({workspace.own_domain.split('.')[0]}) "
                                        "always counts as brand.")
            keywords = right.text_area("Target keywords (one per line)", "\n".join(workspace.target_keywords),
                                       height=130, help="The searches you want to rank for. An anchor equal to one is "
                                                        "exact match; one with most of its words is partial match.")
            if st.form_submit_button("Save and reclassify", type="primary"):
                try:
                    update_workspace(replace(workspace, brand_terms=tuple(_terms(brand)),
                                             target_keywords=tuple(_terms(keywords))), state.data_root())
                except WorkspaceError as error:
                    st.error(str(error))
                else:
                    st.rerun()

backlinks_snapshot = state.latest(workspace, "backlinks")
anchors_snapshot = state.latest(workspace, "anchors")
if backlinks_snapshot is None and anchors_snapshot is None:
    components.needs_data("backlinks", "anchors")
    st.stop()

context = AnchorContext(workspace.own_domain, workspace.brand_terms, workspace.target_keywords)



# Shared read-only (cache_resource): the profile holds every distinct anchor (~116,000 at a million backlinks),
# which cache_data would unpickle on every rerun.
@st.cache_resource(show_spinner="Classifying anchors…", max_entries=8)
def profile_of(root: str, snapshot_id: int, kind: str, data_date: date, context: AnchorContext) -> ap.AnchorProfile:
    if kind == "backlinks":
        return ap.profile_from_backlinks(state.frame_by_id(snapshot_id), context, data_date)
    return ap.profile_from_export(state.frame_by_id(snapshot_id), context)


@st.cache_data(show_spinner=False, max_entries=32)
def domains_using(root: str, snapshot_id: int, anchor: str, data_date: date) -> pd.DataFrame:
    return ap.domains_using(state.frame_by_id(snapshot_id), anchor, data_date)


@st.cache_resource(show_spinner=False, max_entries=8)
def profile_charts(root: str, snapshot_id: int, kind: str, data_date: date, context: AnchorContext) -> tuple:
    """The profile's three figures, built once per profile, not on every rerun."""
    profile = profile_of(root, snapshot_id, kind, data_date, context)
    return (charts.distribution(profile.distribution, "backlinks", "Anchor types by backlinks"),
            charts.distribution(profile.distribution, "domains", "Anchor types by referring domains"),
            charts.top_anchors(profile.anchors))


@st.cache_resource(show_spinner=False, max_entries=16)
def anchor_rows(root: str, snapshot_id: int, kind: str, data_date: date, context: AnchorContext,
                types: tuple[str, ...], text: str) -> tuple[pd.DataFrame, str]:
    """The table's rows for one search and type choice, ready to show, and their table key."""
    anchors = profile_of(root, snapshot_id, kind, data_date, context).anchors
    if types:
        anchors = anchors[anchors["category"].isin(types)]
    if text:
        anchors = anchors[anchors["anchor"].str.contains(text, case=False, regex=False)]
    display = anchors.assign(category=anchors["label"]).drop(columns="label")
    return display, selection_key("anchors_table", display, "anchor")


source = backlinks_snapshot or anchors_snapshot
root = str(state.data_root())
profile_key = (root, source.id, source.kind, source.data_date, context)
profile = profile_of(*profile_key)
by_links_chart, by_domains_chart, top_chart = profile_charts(*profile_key)
if backlinks_snapshot is None:
    st.caption("From your Anchors export. Upload a Backlinks export to see which sites use each anchor.")

# The limit is stored as a fraction; the widget speaks in percent.
stored = float(get_setting(workspace.id, ap.THRESHOLD_SETTING, ap.DEFAULT_THRESHOLD, state.data_root()))
verdict_area = st.container()
with st.popover("Warning limit", icon=":material/tune:"):
    limit = st.slider("Warn when keyword anchors exceed this share of referring domains", 5, 90,
                      int(round(stored * 100)), step=1, format="%d%%", key="anchor_threshold",
                      help="Exact- plus partial-match anchors. 20% is a cautious default: natural profiles are "
                           "mostly brand, URL and generic anchors.")
    if limit / 100 != stored:
        set_setting(workspace.id, ap.THRESHOLD_SETTING, limit / 100, state.data_root())
verdict = ap.over_optimisation(profile, limit / 100)
with verdict_area:
    if not workspace.target_keywords:
        st.info("No target keywords yet, so no anchor can count as a keyword anchor. Add them above.",
                icon=":material/info:")
    elif verdict.exceeded:
        st.warning(verdict.sentence(), icon=":material/warning:")
    else:
        st.success(verdict.sentence(), icon=":material/check_circle:")

by_links, by_domains = st.columns(2)
with by_links:
    show(by_links_chart, key="anchors_by_backlinks")
with by_domains:
    show(by_domains_chart, key="anchors_by_domains")
if profile.basis == "backlinks":
    st.caption("By referring domains: a site linking with several kinds of anchor counts once in each, so the "
               "shares can add up to more than 100%.")
show(top_chart, key="anchors_top")

st.subheader("All anchors")
left, right = st.columns([2, 3])
text = filters.search("anchors_search", "Search anchor text", container=left)
types = filters.labelled_choices("Anchor type", {c: LABELS[c] for c in CATEGORIES}, "anchors_types",
                                 container=right)
display, table_key = anchor_rows(*profile_key, tuple(types), text)
selected = data_table(
    display, key=table_key, sort_by=["domains", "backlinks"],
    what="anchors", select=True,
    height=420 if len(display) > 12 else "auto",
    overrides={"anchor": st.column_config.TextColumn("Anchor", width="large"),
               "category": st.column_config.TextColumn("Type"),
               "domains": st.column_config.NumberColumn("Referring domains")},
    file_stem=f"{workspace.own_domain}-anchors",
)

if backlinks_snapshot is not None:
    st.caption("Select an anchor to see which sites use it.")
    if selected is not None and len(selected):
        anchor = str(selected["anchor"].iloc[0])
        shown = f"“{components.md_escape(anchor)}”" if anchor else "an empty / image anchor"
        st.markdown(f"**Sites linking with {shown}**")
        data_table(domains_using(root, backlinks_snapshot.id, anchor, backlinks_snapshot.data_date),
                   key="anchors_domains", sort_by=["backlinks", "best_page_ascore"], what="sites",
                   file_stem=f"{workspace.own_domain}-anchor-sites")
