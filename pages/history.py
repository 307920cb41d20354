"""History: every import is a dated snapshot; compare any two and follow the profile over time."""


import pandas as pd
import streamlit as st

from lib import snapshots, trend_store
from lib.analysis import snapshot_diff, trend
from lib.charts import history as charts
from lib.countries import home_countries
from lib.schema import KINDS
from lib.workspaces import get_setting
from ui import components, presentation, state
from ui.charts import show
from ui.tables import data_table

workspace = state.current_workspace()
st.title("History")
st.caption(f"{workspace.name} · {workspace.own_domain} · every import is a dated snapshot, placed by the "
           "date of its data")

held = snapshots.list_snapshots(workspace.id, root=state.data_root())
if not held:
    components.needs_data("backlinks", why="No data has been imported into this workspace yet.")
    st.stop()
root = str(state.data_root())



# One point per snapshot, stored (lib.trend_store): a new import scores only itself, and a restart nothing.
@st.cache_data(show_spinner="Scoring the snapshots' links…", max_entries=8)
def profile_trend(root: str, pairs: tuple[tuple[int, int | None], ...], own_domain: str,
                  brand_terms: tuple[str, ...], target_keywords: tuple[str, ...],
                  countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """The trend over (backlinks snapshot id, referring domains snapshot id) pairs."""
    def job(backlinks_id: int, refdomains_id: int | None) -> trend_store.PointJob:
        def arguments() -> tuple:
            snapshot = snapshots.get_snapshot(backlinks_id, state.data_root())
            return (state.frame_by_id(backlinks_id), backlinks_id, snapshot.data_date, own_domain, brand_terms,
                    target_keywords, state.frame_by_id(refdomains_id), countries)

        basis = trend_store.point_basis(refdomains_id, own_domain, brand_terms, target_keywords, countries)
        return trend_store.PointJob(backlinks_id, basis, arguments)

    jobs = [job(backlinks_id, refdomains_id) for backlinks_id, refdomains_id in pairs]
    return trend.trend_frame(trend_store.stored_or_scored(jobs, trend.snapshot_point, state.data_root()))


# Shared read-only (cache_resource): a diff of two million-row snapshots holds large link lists, which
# cache_data would unpickle on every rerun. Its Authority Score chart is built once with it.
@st.cache_resource(show_spinner="Comparing the two snapshots…", max_entries=8)
def compare(root: str, kind: str, old_id: int, new_id: int) -> tuple[snapshot_diff.SnapshotDiff, object]:
    diff = snapshot_diff.diff_snapshots(kind, state.frame_by_id(old_id), state.frame_by_id(new_id))
    return diff, charts.ascore_movers(diff.ascore_changes)


@st.cache_resource(show_spinner=False, max_entries=8)
def trend_view(root: str, workspace_id: str, pairs: tuple[tuple[int, int | None], ...], own_domain: str,
               brand_terms: tuple[str, ...], target_keywords: tuple[str, ...], countries: tuple[str, ...],
               site_setting: str) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    """The trend with the site's Authority Score, and its chart: built once per data, not on every rerun.
    `site_setting` is the stored setting's repr (a small dict), so a score saved elsewhere shows at once."""
    site = trend.site_ascore_series(get_setting(workspace_id, "site_ascore", None, state.data_root()))
    profile = trend.with_site_ascore(profile_trend(root, pairs, own_domain, brand_terms, target_keywords, countries),
                                     site)
    return profile, site, charts.trend_grid(profile, site)


# --- Trend over all Backlinks snapshots of the site ---------------------------------------------------------
st.subheader("The profile over time")
backlink_history = [s for s in held if s.kind == "backlinks" and s.target_domain == workspace.own_domain]
site_setting = get_setting(workspace.id, "site_ascore", None, state.data_root())
if not backlink_history:
    components.needs_data("backlinks", why="The trend is drawn from Backlinks snapshots of your site.")
else:
    refdomain_history = [s for s in held if s.kind == "referring_domains" and s.target_domain == workspace.own_domain]
    pairs = tuple((s.id, getattr(trend.companion(refdomain_history, s.data_date), "id", None))
                  for s in backlink_history)
    profile, site, trend_chart = trend_view(root, workspace.id, pairs, workspace.own_domain, workspace.brand_terms,
                                            workspace.target_keywords, home_countries(workspace.id, state.data_root()),
                                            repr(site_setting))
    first, last = profile.iloc[0], profile.iloc[-1]

    def _delta(column: str) -> str | None:
        return f"{int(last[column]) - int(first[column]):+,} since {first['data_date']:%b %Y}" \
            if len(profile) > 1 else None

    share = last["risky_share"]
    components.metric_row([
        components.Metric("Referring domains", f"{int(last['referring_domains']):,}", _delta("referring_domains")),
        components.Metric("Backlinks", f"{int(last['backlinks']):,}", _delta("backlinks")),
        components.Metric("Site Authority Score", str(int(site['authority_score'].iloc[-1])) if not site.empty
                          else "—", help="Recorded when the Semrush API overview is fetched."),
        components.Metric("Share of risky links", f"{share:.1%}" if pd.notna(share) else "—",
                          help="Backlinks from domains with a risk score of 50 or more (see Link audit).",
                          delta_color="inverse"),
    ])
    show(trend_chart, key="history_trend")
    if len(profile) < 2:
        st.caption("Import another Backlinks export next month to see the trend.")
    with st.expander("Trend as a table"):
        data_table(profile, key="history_trend_table", what="snapshots", columns=[
            "data_date", "backlinks", "referring_domains", "risky_backlinks", "risky_share", "site_ascore"],
            overrides={"data_date": st.column_config.DateColumn("Data date", format="YYYY-MM-DD"),
                       "risky_share": st.column_config.NumberColumn("Share of risky links", format="percent"),
                       "site_ascore": st.column_config.NumberColumn("Site Authority Score")},
            file_stem=f"{workspace.own_domain}-trend")

# --- Compare two snapshots -------------------------------------------------------------------------------------
st.subheader("Compare two snapshots")
groups: dict[tuple[str, str], list[snapshots.Snapshot]] = {}
for snap in held:
    if snap.kind in snapshot_diff.DIFFABLE_KINDS:
        groups.setdefault((snap.kind, snap.target_domain), []).append(snap)
comparable = {key: snaps for key, snaps in groups.items() if len(snaps) >= 2}
if not comparable:
    st.info("Comparing needs two snapshots of the same kind for the same site: import a Backlinks, Referring "
            "Domains or Anchors export again next month.", icon=":material/info:")
else:
    own_backlinks = ("backlinks", workspace.own_domain)
    keys = sorted(comparable, key=lambda k: (k != own_backlinks, k[1] != workspace.own_domain,
                                             snapshot_diff.DIFFABLE_KINDS.index(k[0]), k[1]))
    with st.container(border=True):
        pick_kind, pick_old, pick_new = st.columns([1.2, 2, 2])
        kind, target = pick_kind.selectbox("Snapshots of", keys, key="history_group",
                                           format_func=lambda k: f"{KINDS[k[0]].label} · {k[1]}")
        group = comparable[(kind, target)]
        by_id = {s.id: s for s in group}
        ids = [s.id for s in group][::-1]  # newest first
        old_id = pick_old.selectbox("From", ids, index=1, key=f"history_old_{kind}_{target}",
                                    format_func=lambda i: by_id[i].label)
        new_id = pick_new.selectbox("To", ids, index=0, key=f"history_new_{kind}_{target}",
                                    format_func=lambda i: by_id[i].label)
    if old_id == new_id:
        st.info("Pick two different snapshots.", icon=":material/info:")
    else:
        old, new = by_id[old_id], by_id[new_id]
        if (old.data_date, old.id) > (new.data_date, new.id):
            old, new = new, old
            st.caption("The earlier snapshot is compared with the later one, whichever way round they were picked.")
        diff, movers_chart = compare(root, kind, old.id, new.id)
        st.markdown(f"From **{old.data_date:%d %b %Y}** to **{new.data_date:%d %b %Y}** "
                    f"({(new.data_date - old.data_date).days} days)")
        domains_row = [
            components.Metric("Referring domains", f"{diff.new_domains:,}",
                              f"{diff.new_domains - diff.old_domains:+,}"),
            components.Metric("Domains gained", f"{len(diff.gained_domains):,}"),
            components.Metric("Domains lost", f"{len(diff.lost_domains):,}"),
            components.Metric("Score changes", f"{len(diff.ascore_changes):,}",
                              help="Linking domains whose Authority Score moved"),
        ]
        backlinks_total = components.Metric("Backlinks", f"{diff.new_backlinks:,}",
                                            f"{diff.new_backlinks - diff.old_backlinks:+,}")
        anchors_pair = [components.Metric("Anchors appeared", f"{len(diff.appeared_anchors):,}"),
                        components.Metric("Anchors vanished", f"{len(diff.vanished_anchors):,}")]
        # One row per subject, at most five metrics each, so labels and numbers are never cut off.
        if kind == "backlinks":
            components.metric_row(domains_row)
            components.metric_row([backlinks_total,
                                   components.Metric("Backlinks gained", f"{len(diff.gained_backlinks):,}"),
                                   components.Metric("Backlinks lost", f"{len(diff.lost_backlinks):,}"),
                                   *anchors_pair])
        elif kind == "referring_domains":
            components.metric_row([*domains_row, backlinks_total])
        else:
            components.metric_row([backlinks_total, *anchors_pair])

        stem = f"{target}-{kind}-{old.data_date}-to-{new.data_date}"
        domain_config = {"domain": st.column_config.TextColumn("Domain"),
                         "ascore": st.column_config.ProgressColumn("Authority Score", min_value=0, max_value=100,
                                                                   format="%d"),
                         "backlinks": st.column_config.NumberColumn("Backlinks")}
        tab_names = {"backlinks": ["Referring domains", "Backlinks", "Authority Score changes", "Anchors"],
                     "referring_domains": ["Referring domains", "Authority Score changes"],
                     "anchors": ["Anchors"]}[kind]
        # Only the open tab is laid out (a click on another reruns the page): all of them drew seven tables and
        # fourteen download buttons on every rerun.
        tabs = {name: tab for name, tab in zip(tab_names, st.tabs(tab_names, key=f"history_diff_tab_{kind}",
                                                                  on_change="rerun")) if tab.open}
        if "Referring domains" in tabs:
            with tabs["Referring domains"]:
                st.markdown("**Gained referring domains**: linking only in the later snapshot")
                data_table(diff.gained_domains, key="history_gained_domains", sort_by=["ascore", "backlinks"],
                           overrides=domain_config, what="domains", file_stem=f"{stem}-gained-domains", height=300)
                st.markdown("**Lost referring domains**: linking only in the earlier snapshot")
                data_table(diff.lost_domains, key="history_lost_domains", sort_by=["ascore", "backlinks"],
                           overrides=domain_config, what="domains", file_stem=f"{stem}-lost-domains", height=300)
        if "Backlinks" in tabs:
            link_columns = snapshot_diff.LINK_COLUMNS
            link_config = {"page_ascore": st.column_config.ProgressColumn("Page AS", min_value=0, max_value=100,
                                                                          format="%d"),
                           "source_domain": st.column_config.TextColumn("Domain")}
            with tabs["Backlinks"]:
                st.markdown("**Gained backlinks**: in the later snapshot only")
                data_table(diff.gained_backlinks, key="history_gained_links", sort_by="page_ascore",
                           columns=link_columns, overrides=link_config, what="backlinks",
                           file_stem=f"{stem}-gained-backlinks", height=360)
                st.markdown("**Lost backlinks**: in the earlier snapshot only")
                data_table(diff.lost_backlinks, key="history_lost_links", sort_by="page_ascore",
                           columns=link_columns, overrides=link_config, what="backlinks",
                           file_stem=f"{stem}-lost-backlinks", height=360)
        if "Authority Score changes" in tabs:
            with tabs["Authority Score changes"]:
                show(movers_chart, key="history_ascore_chart")
                data_table(diff.ascore_changes, key="history_ascore_table", what="domains", overrides={
                    "domain": st.column_config.TextColumn("Domain"),
                    "old_ascore": st.column_config.NumberColumn("Before"),
                    "new_ascore": st.column_config.NumberColumn("After"),
                    "change": st.column_config.NumberColumn("Change", format="%+d")},
                    file_stem=f"{stem}-ascore-changes", height=300)
                st.caption("A domain's score is its Authority Score in Referring Domains snapshots, and the "
                           "score of its strongest linking page in Backlinks snapshots.")
        if "Anchors" in tabs:
            anchor_config = {"anchor": st.column_config.TextColumn("Anchor", width="large"),
                             "backlinks": st.column_config.NumberColumn("Backlinks"),
                             "domains": st.column_config.NumberColumn("Domains")}
            with tabs["Anchors"]:
                st.markdown("**Anchors that appeared**: used only in the later snapshot")
                data_table(diff.appeared_anchors, key="history_appeared_anchors", overrides=anchor_config,
                           what="anchors", file_stem=f"{stem}-appeared-anchors", height=300)
                st.markdown("**Anchors that vanished**: used only in the earlier snapshot")
                data_table(diff.vanished_anchors, key="history_vanished_anchors", overrides=anchor_config,
                           what="anchors", file_stem=f"{stem}-vanished-anchors", height=300)
                st.caption("Anchors are compared ignoring case and extra spaces; empty anchors are left out.")

# --- All snapshots, by data date --------------------------------------------------------------------------------
st.subheader("All snapshots")
st.caption("Ordered by the date of their data, not the date you imported them: an older export imported later "
           "takes its place in the timeline.")
listing = pd.DataFrame([{"data_date": s.data_date, "kind": KINDS[s.kind].label, "about": s.target_domain,
                         "source": s.source, "file_or_report": s.source_name, "rows": s.rows,
                         "imported": s.imported_at[:16].replace("T", " ")} for s in reversed(held)])
listing["data_date"] = pd.to_datetime(listing["data_date"])
if presentation.is_presenting():
    listing = listing.drop(columns="file_or_report")  # file names can name other clients or local folders
data_table(listing, key="history_snapshots", what="snapshots", file_stem=f"{workspace.id}-snapshots", overrides={
    "data_date": st.column_config.DateColumn("Data date", format="YYYY-MM-DD"),
    "file_or_report": st.column_config.TextColumn("File or report", width="large"),
    "rows": st.column_config.NumberColumn("Rows"),
}, height=300)

if presentation.is_presenting():
    st.stop()

by_id = {s.id: s for s in held}
if st.session_state.pop("history_deleted", False):
    st.success("The snapshot was deleted.", icon=":material/delete:")
delete_col, _ = st.columns([2, 3])
chosen = delete_col.selectbox("Delete a snapshot", list(by_id)[::-1], key="history_delete_pick", index=None,
                              placeholder="Choose a snapshot to delete",
                              format_func=lambda i: f"{KINDS[by_id[i].kind].label} · {by_id[i].target_domain} · "
                                                    f"{by_id[i].label}")
if chosen is not None and delete_col.button("Delete this snapshot…", icon=":material/delete:",
                                            key="history_delete"):
    st.session_state["history_confirm_delete"] = chosen
pending = st.session_state.get("history_confirm_delete")
if pending is not None and pending == chosen and pending in by_id:
    st.warning(f"Delete the {KINDS[by_id[pending].kind].label} snapshot **{by_id[pending].data_date:%d %b %Y}** "
               f"of {components.md_escape(by_id[pending].target_domain)} ({by_id[pending].rows:,} rows)? "
               "This cannot be undone.",
               icon=":material/warning:")
    yes, no, _ = st.columns([1, 1, 4])
    if yes.button("Yes, delete", type="primary", key="history_delete_yes"):
        snapshots.delete_snapshot(pending, state.data_root())
        st.session_state.pop("history_confirm_delete", None)
        st.session_state.pop("history_delete_pick", None)
        st.session_state["history_deleted"] = True
        st.rerun()
    if no.button("Cancel", key="history_delete_no"):
        st.session_state.pop("history_confirm_delete", None)
        st.rerun()
