"""Data & settings: import exports, see snapshots, edit the workspace, add workspaces."""

import streamlit as st

from lib import importer, logo, snapshots
from lib.countries import ISO_CODES, CountryError, home_countries, save_home_countries
from lib.schema import KINDS
from lib.workspaces import MAX_COMPETITORS, Workspace, WorkspaceError, create_workspace, update_workspace
from ui import api_panel, components, presentation, state

workspace = state.current_workspace()
st.title("Data & settings")
st.caption(f"Workspace **{workspace.name}** · {workspace.own_domain}")

if presentation.is_presenting():
    # A client sees what data the analysis rests on, never keys, files or settings.
    presentation.hidden("Imports, the Semrush API key, snapshot files and workspace settings")
    held = snapshots.list_snapshots(workspace.id, root=state.data_root())
    if held:
        st.dataframe([{"Data date": s.data_date, "Kind": KINDS[s.kind].label, "About": s.target_domain,
                       "Rows": s.rows} for s in reversed(held)], hide_index=True)
    else:
        st.info("No data imported yet.")
    st.stop()

upload_tab, api_tab, snapshots_tab, settings_tab, new_tab = st.tabs(
    ["Import exports", "Semrush API", "Snapshots", "Workspace settings", "New workspace"])


def _terms(text: str) -> list[str]:
    return [t.strip() for t in text.replace(",", "\n").splitlines() if t.strip()]


def workspace_form(key: str, current: Workspace | None) -> dict | None:
    """The fields of a workspace; returns them when the form is submitted."""
    with st.form(key):
        name = st.text_input("Name", value=current.name if current else "", placeholder="Client or site name")
        own = st.text_input("Your domain", value=current.own_domain if current else "", placeholder="example.com")
        st.markdown(f"Competitors (up to {MAX_COMPETITORS})")
        columns = st.columns(MAX_COMPETITORS)
        existing = list(current.competitors) if current else []
        competitors = [col.text_input(f"Competitor {i + 1}", value=existing[i] if i < len(existing) else "",
                                      label_visibility="collapsed", placeholder=f"competitor{i + 1}.com")
                       for i, col in enumerate(columns)]
        brand = st.text_area("Brand terms (one per line)", value="\n".join(current.brand_terms) if current else "")
        keywords = st.text_area("Target keywords (one per line)",
                                value="\n".join(current.target_keywords) if current else "")
        if st.form_submit_button("Save" if current else "Create workspace", type="primary"):
            return {"name": name, "own_domain": own, "competitors": [c for c in competitors if c.strip()],
                    "brand_terms": _terms(brand), "target_keywords": _terms(keywords)}
    return None


@st.cache_data(show_spinner=False, max_entries=8)
def data_countries(root: str, snapshot_id: int) -> dict[str, int]:
    """Referring domains per valid ISO country code in a Referring Domains snapshot, most first."""
    snapshot = snapshots.get_snapshot(snapshot_id, state.data_root())
    frame = state.snapshot_frame(snapshot) if snapshot else None
    if frame is None or "country" not in frame:
        return {}
    counts = frame["country"].fillna("").astype("str").str.strip().str.upper().value_counts()
    return {str(c): int(n) for c, n in counts.items() if c in ISO_CODES}


def home_countries_form() -> None:
    """The countries the site works in: a linking site from elsewhere gets the country_mismatch marker."""
    saved = home_countries(workspace.id, state.data_root())
    refdomains = state.latest(workspace, "referring_domains")
    counts = data_countries(str(state.data_root()), refdomains.id) if refdomains else {}
    with st.form("home_countries_form"):
        chosen = st.multiselect(
            "Home countries", list(dict.fromkeys([*saved, *counts])), default=list(saved), accept_new_options=True,
            format_func=lambda c: f"{c} · {counts[c]:,} linking domains" if c in counts else c,
            placeholder="Pick from your data or type ISO codes (US, GB, DE…)", key=f"home_countries_{workspace.id}",
            help="Two-letter ISO 3166-1 codes of the countries your site serves. The audit's country_mismatch "
                 "marker flags linking sites from other countries; with none set it stays quiet.")
        if st.form_submit_button("Save home countries", icon=":material/public:"):
            try:
                codes = save_home_countries(workspace.id, chosen, state.data_root())
            except CountryError as error:
                st.error(f"Home countries not saved: {components.md_message(error)}", icon=":material/error:")
            else:
                st.toast(f"Home countries: {', '.join(codes) or 'none (the country marker stays quiet)'}.",
                         icon=":material/check:")
                st.rerun()


with upload_tab:
    st.markdown("Upload Semrush exports: **Backlinks, Referring Domains, Anchors, Indexed Pages, Referring IPs, "
                "TLD or country distribution, Backlink Audit, Backlink Gap**, as CSV, XLSX or ZIP, up to "
                # Said here because the uploader rounds the limit for display (600 MB shows as "1GB").
                f"{st.get_option('server.maxUploadSize'):,} MB each. "
                "Each file is recognised by its columns and kept as a dated snapshot.")
    generation = st.session_state.setdefault("uploader_generation", 0)
    files = st.file_uploader("Semrush export files", accept_multiple_files=True, key=f"uploader_{generation}")
    target_options = ["Detect from the file", *workspace.domains]
    target = st.selectbox("These exports are about", target_options,
                          help="Backlinks and audit exports name their target; referring-domain and anchor "
                               "exports do not, so Linkscope looks for a workspace domain in the file name.")
    if st.button("Import", type="primary", disabled=not files, icon=":material/upload:"):
        results = []
        with st.status("Importing…", expanded=False) as status:
            for uploaded in files:
                status.update(label=f"Reading {uploaded.name}…")
                results.extend(importer.import_bytes(
                    workspace, uploaded.getvalue(), uploaded.name,
                    target_domain=None if target == target_options[0] else target, root=state.data_root()))
            status.update(label="Import finished", state="complete")
        st.session_state["import_results"] = results
        st.session_state["uploader_generation"] = generation + 1
        st.rerun()
    for outcome in st.session_state.get("import_results", []):
        components.import_report(outcome)

with api_tab:
    api_panel.render(workspace)

with snapshots_tab:
    held = snapshots.list_snapshots(workspace.id, root=state.data_root())
    if not held:
        st.info("No data imported yet.")
    else:
        st.dataframe(
            [{"Data date": s.data_date, "Kind": KINDS[s.kind].label, "About": s.target_domain,
              "Source": s.source, "File or report": s.source_name, "Rows": s.rows,
              "Rows left out": s.rejected, "Imported": s.imported_at[:16].replace("T", " ")}
             for s in reversed(held)],
            hide_index=True,
        )
        by_id = {s.id: s for s in held}
        chosen = st.selectbox("Snapshot", list(by_id)[::-1], format_func=lambda i: f"{KINDS[by_id[i].kind].label}"
                              f" · {by_id[i].target_domain} · {by_id[i].label}", key="snapshot_to_delete")
        if st.button("Delete this snapshot…", icon=":material/delete:"):
            st.session_state["confirm_delete"] = chosen
        if st.session_state.get("confirm_delete") == chosen:
            st.warning(f"Delete the snapshot **{by_id[chosen].label}**? This cannot be undone.")
            yes, no, _ = st.columns([1, 1, 4])
            if yes.button("Yes, delete", type="primary"):
                snapshots.delete_snapshot(chosen, state.data_root())
                st.session_state.pop("confirm_delete")
                st.rerun()
            if no.button("Cancel"):
                st.session_state.pop("confirm_delete")
                st.rerun()

with settings_tab:
    fields = workspace_form("workspace_settings", workspace)
    if fields:
        try:
            update_workspace(Workspace(id=workspace.id, is_demo=workspace.is_demo, **fields), state.data_root())
        except WorkspaceError as error:
            st.error(str(error))
        else:
            st.success("Saved.")
            st.rerun()
    st.divider()
    home_countries_form()
    st.divider()
    st.markdown("**Logo** · shown in presentation mode and on the client report")
    current_logo = logo.load_logo(workspace.id, state.data_root())
    if current_logo:
        st.image(current_logo, width=160)
    logo_file = st.file_uploader("Logo image (PNG, JPEG, GIF or WebP, at most 2 MB)",
                                 type=["png", "jpg", "jpeg", "gif", "webp"], key=f"logo_upload_{workspace.id}",
                                 max_upload_size=logo.MAX_LOGO_BYTES // 2**20)
    save_col, remove_col, _ = st.columns([1, 1, 3])
    if save_col.button("Use this logo", disabled=logo_file is None, icon=":material/image:"):
        try:
            logo.save_logo(workspace.id, logo_file.getvalue(), state.data_root())
        except logo.LogoError as error:
            st.error(str(error))
        else:
            st.rerun()
    if current_logo and remove_col.button("Remove the logo", icon=":material/hide_image:"):
        logo.remove_logo(workspace.id, state.data_root())
        st.rerun()
    if workspace.is_demo:
        st.divider()
        st.markdown("The demo workspace is generated data about a fictional coffee-gear site.")
        if st.button("Reset the demo workspace", icon=":material/restart_alt:"):
            with st.spinner("Rebuilding the demo workspace…"):
                importer.reset_demo_workspace(state.data_root())
            st.success("The demo workspace was rebuilt.")

with new_tab:
    fields = workspace_form("new_workspace", None)
    if fields:
        try:
            created = create_workspace(root=state.data_root(), **fields)
        except WorkspaceError as error:
            st.error(str(error))
        else:
            state.select_workspace(created.id)
            st.rerun()
