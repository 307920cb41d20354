"""Outreach: the prospects you ask for a link, their status, contact and follow-ups; replaces the spreadsheet."""

from datetime import date, datetime

import pandas as pd
import streamlit as st

from lib import outreach
from ui import components, filters, presentation, state
from ui.tables import column_config, download_buttons, selection_key

LABELS = {"domain": "Domain", "status": "Status", "next_follow_up": "Next follow-up", "last_contact": "Last contact",
          "contact": "Contact", "note": "Note", "target_url": "Your page to link", "source": "Added from",
          "added_at": "Added", "when": "When"}
PRIVATE = ("contact", "note")  # a client on a screen-share does not see whom you write to or what you think
SOURCE_PAGES = (
    ("pages/gap.py", "Backlink gap: domains linking to competitors, not to you", ":material/join_inner:"),
    ("pages/referring_domains.py", "Referring domains: select domains, then Add to outreach", ":material/public:"),
    ("pages/new_lost.py", "New & lost: win back links lost from strong domains", ":material/swap_vert:"),
)

workspace = state.current_workspace()
root = state.data_root()
presenting = presentation.is_presenting()
LOADED = f"outreach_loaded_{workspace.id}"  # the list as this tab loaded it: the versions its edits start from
GENERATION = f"outreach_generation_{workspace.id}"
FLASH = f"outreach_flash_{workspace.id}"

st.title("Outreach")
st.caption(f"{workspace.name} · {workspace.own_domain} · sites you ask for a link, and where each one stands")


def reload() -> None:
    """Load the list afresh into this tab; the editor starts over (its key changes)."""
    st.session_state[LOADED] = outreach.outreach_list(workspace.id, root)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def flash(kind: str, text: str, rows: pd.DataFrame | None = None) -> None:
    st.session_state[FLASH] = (kind, text, rows)


def labelled_config(frame: pd.DataFrame) -> dict:
    """ui.tables' column types (dates, safe links) under this page's column names."""
    config = column_config(frame)
    for name, label in LABELS.items():
        if isinstance(config.get(name), dict):
            config[name] = {**config[name], "label": label}
        elif name in config:
            config[name] = label
    return config


def show_flash() -> None:
    kind, text, rows = st.session_state.pop(FLASH, (None, None, None))
    if kind is None:
        return
    icon = {"success": ":material/check_circle:", "warning": ":material/warning:", "error": ":material/error:"}[kind]
    getattr(st, kind)(text, icon=icon)
    if rows is not None and not rows.empty:
        if "status" in rows.columns:
            rows = rows.assign(status=rows["status"].map(outreach.STATUS_LABELS).fillna(rows["status"]))
        st.dataframe(rows, hide_index=True, placeholder="", column_config=labelled_config(rows))


def page_links() -> None:
    for path, label, icon in SOURCE_PAGES:
        try:
            st.page_link(path, label=label, icon=icon)
        except Exception:  # a page not in this build's navigation (e.g. the gap page while it is being built)
            continue


def import_widget() -> None:
    if presenting:
        presentation.hidden("Importing a list")
        return
    with st.form("outreach_import_form", clear_on_submit=True, border=False):
        upload = st.file_uploader("Import a list (CSV or XLSX)", type=["csv", "xlsx", "txt"], key="outreach_upload",
                                  help="A list exported here, or your own spreadsheet with at least a Domain column. "
                                       "Domains in the file take the file's values; the others stay as they are.")
        if st.form_submit_button("Import", icon=":material/upload:") and upload is not None:
            result = outreach.import_outreach(workspace.id, upload.getvalue(), upload.name, root)
            if result.error:
                flash("error", components.md_message(result.error) + " Nothing was changed.")
            elif result.problems:
                problems = pd.DataFrame([p.as_dict() for p in result.problems]).rename(columns={"row": "line"})
                flash("error", f"{components.md_message(upload.name)}: {len(result.problems):,} values cannot be "
                               "used (listed by line and column below). Nothing was changed; fix the file and "
                               "import it again.", problems)
            else:
                ignored = (f" Columns not used: {components.md_message(', '.join(result.ignored_columns))}."
                           if result.ignored_columns else "")
                flash("success", f"Imported {components.md_message(upload.name)}: {len(result.added):,} added, "
                                 f"{len(result.updated):,} updated, {result.unchanged:,} unchanged.{ignored}")
                reload()
            st.rerun()


stored = outreach.outreach_list(workspace.id, root)
# The status filter's state is dropped by Streamlit whenever a run does not draw it: so its absence means
# this tab just arrived here (from another page, or first visit). Nothing can be pending in the editor then,
# so load what is stored now (prospects other pages added meanwhile included).
if LOADED not in st.session_state or "outreach_status_filter" not in st.session_state:
    reload()
show_flash()

if stored.empty:
    st.info("Your outreach list is empty. Add prospects from these pages, or import a list you keep elsewhere.",
            icon=":material/forward_to_inbox:")
    page_links()
    import_widget()
    st.stop()

# What is stored now, across all tabs: the counts and the follow-ups due.
counts = outreach.status_counts(stored)
today = date.today()
due = outreach.due(stored, today)
overdue = int((due["next_follow_up"] < pd.Timestamp(today)).sum())
components.metric_row([
    *(components.Metric(outreach.STATUS_LABELS[s], f"{counts[s]:,}") for s in outreach.STATUSES),
    components.Metric("Due", f"{len(due):,}", f"{overdue:,} overdue" if overdue else None,
                      delta_color="inverse", help="Open prospects whose next follow-up is within 7 days or past"),
])

st.subheader("Due this week")
if due.empty:
    st.caption("No follow-ups due in the next 7 days.")
else:
    days = (due["next_follow_up"] - pd.Timestamp(today)).dt.days
    when = days.map(lambda d: f"{-d} days overdue" if d < -1 else "1 day overdue" if d == -1 else
                    "today" if d == 0 else "tomorrow" if d == 1 else f"in {d} days")
    due_shown = due.assign(when=when, status=due["status"].map(outreach.STATUS_LABELS))
    due_columns = ["domain", "when", "next_follow_up", "status", "last_contact", "contact", "note"]
    due_shown = due_shown[[c for c in due_columns if not (presenting and c in PRIVATE)]]
    st.dataframe(due_shown, hide_index=True, placeholder="", column_config=labelled_config(due_shown))

st.subheader("Prospects")
loaded: pd.DataFrame = st.session_state[LOADED]
changed_elsewhere = (set(zip(loaded["domain"], loaded["version"])) !=
                     set(zip(stored["domain"], stored["version"])))
top = st.columns([3, 1.2, 1.2], vertical_alignment="bottom")
chosen = filters.labelled_choices("Status", outreach.STATUS_LABELS, "outreach_status_filter", container=top[0])
if top[1].button("Reload", icon=":material/refresh:", key="outreach_reload",
                 help="Show the list as stored now, with changes from other tabs. Unsaved edits here are dropped."):
    reload()
    st.rerun()
if changed_elsewhere:
    st.info("The list changed since this tab loaded it (another tab, an import or another page). Save your "
            "edits first, then Reload to see the changes.", icon=":material/sync_problem:")

shown = loaded[loaded["status"].isin(chosen)] if chosen else loaded
# Rows are identified by domain, so rows removed in the editor are known by name, not by position.
shown = shown.set_axis(shown["domain"].to_numpy())
shown = components.with_marks(shown, workspace_id=workspace.id)  # read-only: set on Referring domains
editor_key = selection_key(f"outreach_editor_{st.session_state[GENERATION]}", shown, "domain")
visible = ["domain", "status", components.MARK_COLUMN, "next_follow_up", "last_contact", "contact", "note",
           "target_url", "source", "added_at"]
config = {
    **components.mark_column_config(),
    "domain": st.column_config.TextColumn("Domain", pinned=True, disabled=True),
    "status": st.column_config.SelectboxColumn("Status", options=list(outreach.STATUSES), required=True,
                                               format_func=outreach.STATUS_LABELS.get),
    "next_follow_up": st.column_config.DateColumn("Next follow-up", format="YYYY-MM-DD"),
    "last_contact": st.column_config.DateColumn("Last contact", format="YYYY-MM-DD"),
    "contact": st.column_config.TextColumn("Contact", help="E-mail, name or contact form", max_chars=500),
    "note": st.column_config.TextColumn("Note", width="large", max_chars=5_000),
    # Plain text, never a clickable link: the value is typed or imported.
    "target_url": st.column_config.TextColumn("Your page to link", help="The page of yours you want the link on"),
    "source": st.column_config.TextColumn("Added from", disabled=True),
    "added_at": st.column_config.DateColumn("Added", format="YYYY-MM-DD", disabled=True),
}
if presenting:
    # Read-only, and without the private columns in the data sent to the browser at all.
    public = shown[[c for c in visible if c not in PRIVATE]]
    st.dataframe(public, hide_index=True, placeholder="", column_config={c: config[c] for c in public.columns})
    presentation.hidden("Contacts, notes and editing")
    submitted = False
else:
    with st.form("outreach_form", border=False):
        edited = st.data_editor(
            shown, key=editor_key, hide_index=True, num_rows="delete", width="stretch", column_order=visible,
            column_config=config,
            disabled=["domain", components.MARK_COLUMN, "source", "added_at", "updated_at", "version"],
            height=min(38 + 35 * max(len(shown), 1), 600), placeholder="", alt="Outreach list",
        )
        st.caption(f"{len(shown):,} of {len(loaded):,} prospects. Edit cells, tick rows and press the bin icon to "
                   "remove them, then Save. Nothing is stored until you save.")
        submitted = st.form_submit_button("Save changes", type="primary", icon=":material/save:")

if submitted:
    removed = shown.loc[~shown.index.isin(edited.index), ["domain", "version"]]
    # Only rows this tab changed are saved: an untouched row another tab saved meanwhile is no conflict.
    result = outreach.save_edits(workspace.id, edited, root, deleted=removed, original=shown)
    if result.problems:
        rows = pd.DataFrame([p.as_dict() for p in result.problems])
        flash("error", f"{len(result.problems):,} values cannot be saved (listed below by row and column). "
                       "Nothing was saved; your edits are still in the table.", rows)
        st.rerun()
    done = [f"{len(result.saved):,} saved"] + ([f"{len(result.removed):,} removed"] if result.removed else [])
    if result.conflicts:
        mine = edited[edited["domain"].isin(result.conflicts)]
        mine = mine[[c for c in visible if c in mine.columns and not (presenting and c in PRIVATE)]]
        names = components.md_escape(", ".join(result.conflicts))
        pronoun = "it" if len(result.conflicts) == 1 else "them"
        flash("warning", f"Not saved: {names} changed in another tab since you loaded {pronoun}. "
                         "The table now shows what is stored; your version is below: make the change again if it "
                         f"still applies. ({'; '.join(done)}.)", mine)
    else:
        saved = result.saved or result.removed
        flash("success", ("Saved: " + ", ".join(done) + ".") if saved else "No changes to save.")
    reload()
    st.rerun()

st.subheader("Download, add and import")
export_frame = outreach.export_frame(stored)
if presenting:
    export_frame = export_frame.drop(columns=list(PRIVATE))
download_buttons(export_frame, key="outreach_download",
                 file_stem=f"{workspace.own_domain}-outreach-{datetime.now():%Y-%m-%d}")
if not presenting:
    left, right = st.columns(2)
    with left, st.form("outreach_add_form", clear_on_submit=True):
        typed = st.text_area("Add domains by hand", key="outreach_add_domains", height=100,
                             placeholder="one domain or URL per line")
        if st.form_submit_button("Add to outreach", icon=":material/add:"):
            names = [line for line in typed.replace(",", "\n").splitlines() if line.strip()]
            added = outreach.add_prospects(workspace.id, names, "manual", root)
            flash("success", f"{added:,} added; {len(names) - added:,} were already on the list or not domains.")
            reload()
            st.rerun()
    with right:
        import_widget()
else:
    import_widget()
with st.expander("Where prospects come from", icon=":material/help:"):
    page_links()
    st.caption("Adding a domain that is already on the list changes nothing: its status, contact and notes stay.")
