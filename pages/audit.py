"""Audit: a transparent risk score, a keep / remove / disavow review queue, and a Google disavow file."""

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import decisions, disavow
from lib.analysis import audit_compare
from lib.analysis import referring_domains as rd
from lib.analysis.risk import RISKY_SCORE, RiskContext, backlink_risk, domain_risk, weights_table
from lib.charts import audit as audit_charts
from lib.countries import home_countries
from lib.workspaces import get_setting, set_setting
from ui import components, filters, presentation, state
from ui.charts import show
from ui.tables import data_table, selection_key

EXISTING_SETTING = "audit_existing_disavow"  # the last disavow file imported: its entries, name and date
MAX_PICK_OPTIONS = 5_000
MAX_PREVIEW_LINES = 60

workspace = state.current_workspace()
root = str(state.data_root())
presenting = presentation.is_presenting()
st.title("Audit")
st.caption(f"{workspace.name} · {workspace.own_domain} · review risky links, decide, and only then disavow")
st.info("Google says it ignores most spammy links on its own and has no notion of \"toxic\" links. Disavowing is "
        "a last resort for clearly manipulative links (paid links, link schemes) that you could not get removed. "
        "A high risk score here is a reason to look at a site, not a verdict.", icon=":material/info:")

backlinks_snapshot = state.latest(workspace, "backlinks")
refdomains_snapshot = state.latest(workspace, "referring_domains")
if backlinks_snapshot is None and refdomains_snapshot is None:
    components.needs_data("backlinks", "referring_domains")
    st.stop()



# The workspace's own domain, brand terms, keywords and home countries feed the markers (exact-match anchors,
# stuffed names, country mismatch).
ContextKey = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


# Large results are cache_resource (one shared object, read-only: nothing below mutates them) instead of
# cache_data, which unpickles a copy of ~98,000 (risk) or 1,000,000 (link scores) rows on every rerun.
@st.cache_resource(show_spinner="Scoring the linking sites…", max_entries=8)
def risk_table(root: str, backlinks_id: int | None, refdomains_id: int | None, context: ContextKey) -> pd.DataFrame:
    return domain_risk(state.frame_by_id(backlinks_id), state.frame_by_id(refdomains_id), RiskContext(*context))


@st.cache_resource(show_spinner=False, max_entries=4)
def link_scores(root: str, backlinks_id: int, refdomains_id: int | None, context: ContextKey) -> pd.DataFrame:
    # Link-level markers need the whole profile (a network or a burst is a fact about many domains).
    return backlink_risk(state.frame_by_id(backlinks_id), RiskContext(*context), state.frame_by_id(refdomains_id))


@st.cache_data(show_spinner=False, max_entries=32)
def links_of(root: str, backlinks_id: int, refdomains_id: int | None, context: ContextKey,
             domains: tuple[str, ...]) -> pd.DataFrame:
    links = state.frame_by_id(backlinks_id)
    chosen = links[links["source_domain"].isin(list(domains))]
    scores = link_scores(root, backlinks_id, refdomains_id, context).loc[chosen.index]
    shown = rd.backlinks_of(chosen, domains)
    merged = chosen[["source_url", "target_url"]].join(scores).drop_duplicates(["source_url", "target_url"])
    return shown.merge(merged, on=["source_url", "target_url"], how="left")


@st.cache_resource(show_spinner="Collecting each domain's anchors…", max_entries=4)
def undecided_queue(root: str, backlinks_id: int | None, refdomains_id: int | None,
                    context: ContextKey) -> pd.DataFrame:
    # The queue's decision-free part: each domain's top anchors (a groupby over every backlink) do not change
    # when a decision does, so a saved decision does not recompute them.
    return decisions.undecided_queue(lambda: risk_table(root, backlinks_id, refdomains_id, context),
                                     state.frame_by_id(backlinks_id))


@st.cache_resource(show_spinner=False, max_entries=4)
def review(root: str, workspace_id: str, backlinks_id: int | None, refdomains_id: int | None, context: ContextKey,
           version: tuple[int, int]) -> tuple[pd.DataFrame, decisions.ReviewProgress, pd.DataFrame, object]:
    """Queue, progress, decisions and the risk-band chart; keyed by the decisions' version stamp, so a decision
    saved here or in another tab shows on the next rerun, while an unchanged rerun recomputes nothing."""
    decided = decisions.decisions_for(workspace_id, Path(root))
    base = undecided_queue(root, backlinks_id, refdomains_id, context)
    joined = decisions.review_queue(base.drop(columns=["decision", "note", "note_private", "decided_at", "anchors"]),
                                    decided)
    queue = joined.assign(anchors=base["anchors"])
    backlinks = state.frame_by_id(backlinks_id)
    return queue, decisions.review_progress(queue, decided, backlinks), decided, audit_charts.risk_bands(queue)


@st.cache_resource(show_spinner=False, max_entries=16)
def queue_view(root: str, workspace_id: str, backlinks_id: int | None, refdomains_id: int | None,
               context: ContextKey, version: tuple[int, int], minimum: int, chosen: tuple[str, ...], text: str,
               presenting: bool) -> tuple[pd.DataFrame, str]:
    """The queue's rows for one set of filters, ready to show, and their table key (hashing 98,000 names)."""
    queue = review(root, workspace_id, backlinks_id, refdomains_id, context, version)[0]
    shown = queue[queue["risk_score"].fillna(0) >= minimum]
    if presenting:  # private notes blanked before the search, so a search cannot find them either
        shown = presentation.shareable_notes(shown)
    if chosen:
        shown = shown[shown["decision"].isin(chosen)]
    if text:
        haystack = shown["domain"] + " " + shown["markers"] + " " + shown["anchors"] + " " + shown["note"]
        shown = shown[haystack.str.contains(text, case=False, regex=False)]
    display = shown.assign(decision=shown["decision"].map(LABELS))
    return display, selection_key("audit_queue", display, "domain")


context = (workspace.own_domain, workspace.brand_terms, workspace.target_keywords,
           home_countries(workspace.id, state.data_root()))
backlinks_id = backlinks_snapshot.id if backlinks_snapshot else None
refdomains_id = refdomains_snapshot.id if refdomains_snapshot else None
version = decisions.decisions_version(workspace.id, state.data_root())
queue, progress, decided, bands_chart = review(root, workspace.id, backlinks_id, refdomains_id, context, version)

components.metric_row([
    components.Metric("Domains decided", f"{progress.decided:,} of {progress.domains:,}",
                      help="Keep, remove or disavow. Undecided domains stay in the queue."),
    components.Metric("Undecided", f"{progress.undecided:,}"),
    components.Metric("Risky domains", f"{progress.risky_domains:,}",
                      help=f"Risk score {RISKY_SCORE} or more; {progress.risky_decided:,} of them decided."),
    components.Metric("Risky links reviewed", "<1%" if 0 < progress.risky_links_share < 0.01 else
                      f"{progress.risky_links_share:.0%}",
                      help=f"{progress.risky_links_reviewed:,} of {progress.risky_links:,} backlinks from risky "
                           "domains: their domain or their own URL has a decision."),
    components.Metric("Disavow decisions", f"{progress.by_decision['disavow']:,}",
                      help=f"Domains; plus {progress.url_decisions:,} decisions on single URLs."),
])

with st.expander("How the risk score works: markers and weights"):
    st.markdown("The score is the sum of the weights of the markers that fire, capped at 100. Every point has a "
                "named reason. A high Authority Score never adds risk, and a free-hosting subdomain (blogspot, "
                f"wordpress.com) is no marker by itself. A domain at **{RISKY_SCORE}** or more counts as risky.")
    weights_col, bands_col = st.columns([5, 2])
    weights = weights_table()
    weights_col.dataframe(weights, hide_index=True, width="stretch", height=38 + 35 * len(weights),
                          column_config={"marker": "Marker", "applies to": "Applies to",
                                         "weight": st.column_config.NumberColumn("Weight", format="%d"),
                                         "why it matters": st.column_config.TextColumn("Why it matters",
                                                                                       width="large")})
    with bands_col:
        show(bands_chart, key="audit_risk_bands")

tab_queue, tab_semrush, tab_disavow, tab_reclaim = st.tabs(
    ["Review queue", "Semrush comparison", "Disavow file", "Broken and lost"])

LABELS = decisions.DECISION_LABELS


def _decision_form(key: str, items: list[str], scope: str, current: pd.DataFrame) -> None:
    """Decision radio, note and save button for the chosen domains or URLs (bulk when several)."""
    what = "domain" if scope == "domain" else "URL"
    first = str(current["decision"].iloc[0]) if len(current) and len(items) == 1 else "undecided"
    with st.form(key):
        choice = st.radio("Decision", decisions.DECISIONS, index=decisions.DECISIONS.index(first), horizontal=True,
                          format_func=LABELS.get, key=f"{key}_decision",
                          help="Remove: ask the site owner to take the link down. Disavow only what you could not "
                               "get removed.")
        note, private = None, True  # None: each item keeps its note
        if presenting:
            presentation.hidden("Your notes")
        else:
            old = str(current["note"].iloc[0]) if len(current) and len(items) == 1 else ""
            note = st.text_input("Note", value=old, key=f"{key}_note", max_chars=decisions.MAX_NOTE,
                                 placeholder="e.g. paid link network, asked for removal on 3 May")
            private = presentation.private_note_toggle(f"{key}_private", current.get("note_private"))
        label = f"Save for {len(items):,} {what}{'s' if len(items) != 1 else ''}"
        if st.form_submit_button(label, type="primary", icon=":material/gavel:"):
            changed = decisions.set_decisions(workspace.id, items, choice, note, scope=scope, private=private,
                                              root=state.data_root())
            st.toast(f"{LABELS[choice]}: {changed:,} {what}(s) changed.", icon=":material/check:")
            st.rerun()


with tab_queue:
    with st.container(border=True):
        top = st.columns([2, 1.5, 1.5])
        text = filters.search("audit_search", "Search domains, markers, anchors, notes", container=top[0])
        chosen = filters.labelled_choices("Decision", LABELS, "audit_decision_filter", container=top[1])
        minimum = top[2].slider("Minimum risk score", 0, 100, 0, key="audit_min_risk")
    display, table_key = queue_view(root, workspace.id, backlinks_id, refdomains_id, context, version, minimum,
                                    tuple(chosen), text, presenting)
    display = components.with_marks(display, workspace_id=workspace.id)
    selected = data_table(
        display, key=table_key, sort_by=["risk_score", "backlinks"],
        what="referring domains", file_stem=f"{workspace.own_domain}-audit-queue", select=True,
        height=420 if len(display) > 10 else "auto",
        columns=["domain", "risk_score", "decision", components.MARK_COLUMN, "markers", "backlinks", "anchors",
                 "reasons", "note", "decided_at"],
        overrides={
            **components.mark_column_config(),
            "domain": st.column_config.TextColumn("Domain", pinned=True),
            "risk_score": st.column_config.ProgressColumn("Risk", min_value=0, max_value=100, format="%d"),
            "markers": st.column_config.TextColumn("Markers", width="medium"),
            "anchors": st.column_config.TextColumn("Top anchors", width="medium"),
            "reasons": st.column_config.TextColumn("Why", width="large"),
            "note": st.column_config.TextColumn("Note", width="medium"),
            "decided_at": st.column_config.DatetimeColumn("Decided", format="YYYY-MM-DD"),
        },
    )
    if presenting:
        presentation.hidden("Private notes")
    options = queue["domain"].head(MAX_PICK_OPTIONS).tolist()
    picked = st.multiselect("Tick rows above, or pick domains by name", options, key="audit_pick",
                            placeholder="Type a domain…")
    chosen_domains = list(dict.fromkeys([*(selected["domain"] if selected is not None else []), *picked]))
    if not chosen_domains:
        st.caption("Choose one or more domains to decide about them (keep, remove, disavow) and see their backlinks.")
    else:
        names = ", ".join(chosen_domains[:5]) + (f" and {len(chosen_domains) - 5:,} more"
                                                 if len(chosen_domains) > 5 else "")
        st.subheader(f"{len(chosen_domains):,} domain{'s' if len(chosen_domains) != 1 else ''} chosen")
        st.caption(components.md_escape(names))
        current = queue.set_index("domain").reindex(chosen_domains)
        _decision_form("audit_domain_form", chosen_domains, "domain", current)
        if backlinks_id is not None:
            links = links_of(root, backlinks_id, refdomains_id, context, tuple(chosen_domains))
            st.markdown("**Their backlinks**, each with its own risk score; tick links to decide about single URLs")
            url_rows = decided[decided["scope"] == "url"].set_index("item")
            links = links.assign(decision=links["source_url"].map(
                lambda u: LABELS[url_rows["decision"].get(decisions.url_key(u), "undecided")]))
            picked_links = data_table(
                links, key=selection_key("audit_links", links, "source_url"), sort_by="risk_score",
                what="backlinks", file_stem=f"{workspace.own_domain}-audit-backlinks", select=True,
                columns=["source_url", "risk_score", "decision", "anchor", "target_url", "markers", "page_ascore",
                         "nofollow", "sitewide", "external_links", "first_seen", "last_seen", "source_title"],
                overrides={"risk_score": st.column_config.ProgressColumn("Risk", min_value=0, max_value=100,
                                                                         format="%d"),
                           "decision": st.column_config.TextColumn("URL decision")})
            if picked_links is not None and len(picked_links):
                urls = [decisions.url_key(u) for u in picked_links["source_url"]
                        if str(u).lower().startswith(("http://", "https://"))]
                if len(urls) < len(picked_links):
                    st.caption("Links whose page address is not an http(s) URL cannot go into a disavow file "
                               "one by one; decide about their domain.")
                _decision_form("audit_url_form", urls, "url", url_rows.reindex(urls).fillna(
                    {"decision": "undecided", "note": "", "note_private": True}))
        if not presenting:
            history = decisions.decision_history(workspace.id, root=state.data_root())
            history = history[history["item"].isin(chosen_domains)]
            with st.expander(f"History of these decisions ({len(history):,} changes)"):
                st.dataframe(history.assign(previous=history["previous"].map(LABELS),
                                            decision=history["decision"].map(LABELS)),
                             hide_index=True, width="stretch",
                             column_config={"decided_at": st.column_config.DatetimeColumn(
                                 "When (UTC)", format="YYYY-MM-DD HH:mm")})


@st.cache_data(show_spinner="Comparing with Semrush's audit…", max_entries=8)
def comparison(root: str, audit_id: int, backlinks_id: int | None, refdomains_id: int | None,
               context: ContextKey) -> audit_compare.AuditComparison:
    return audit_compare.compare_with_semrush(risk_table(root, backlinks_id, refdomains_id, context),
                                              state.frame_by_id(audit_id))


SEMRUSH_CONFIRM = "audit_semrush_confirm"


def _use_semrush_actions(domains: pd.DataFrame, ticked: pd.DataFrame | None, audit_date: date) -> None:
    """Semrush's remove / disavow / whitelist as decisions for the domains the user chooses, once confirmed."""
    st.markdown("**Use Semrush's actions as my decisions** · only for the domains you choose: remove → Remove, "
                "disavow → Disavow, whitelist → Keep. A decision you already made stays as it is.")
    usable = domains[domains["status"].map(audit_compare.semrush_decision).notna()]
    picked = st.multiselect("Tick rows above, or pick audited domains with a Semrush action by name",
                            usable["domain"].head(MAX_PICK_OPTIONS).tolist(), key="audit_semrush_pick",
                            placeholder="Type an audited domain…")
    chosen = list(dict.fromkeys([*(ticked["domain"] if ticked is not None else []), *picked]))
    if not chosen:
        st.caption(f"{len(usable):,} compared domains carry a Semrush action. Nothing is decided until you choose "
                   "domains and confirm.")
        return
    plan = audit_compare.semrush_decisions(domains, chosen)
    done = set(decided.loc[(decided["scope"] == "domain") & (decided["decision"] != "undecided"), "item"])
    writes = {d: [x for x in items if x not in done] for d, items in plan.items()}
    writes = {d: items for d, items in writes.items() if items}
    kept = sum(x in done for items in plan.values() for x in items)
    silent = len(chosen) - sum(len(items) for items in plan.values())
    parts = [f"{len(items):,} → {LABELS[d]}" for d, items in writes.items()]
    st.caption(f"{len(chosen):,} domain{'s' if len(chosen) != 1 else ''} chosen: "
               + ("; ".join(parts) or "nothing to write")
               + (f"; {kept:,} keep the decision already made" if kept else "")
               + (f"; {silent:,} without a remove, disavow or whitelist action" if silent else "") + ".")
    total = sum(len(items) for items in writes.values())
    if st.button(f"Use Semrush's actions for {total:,} domain{'s' if total != 1 else ''}…", disabled=not total,
                 key="audit_semrush_use", icon=":material/playlist_add_check:"):
        st.session_state[SEMRUSH_CONFIRM] = writes
    if st.session_state.get(SEMRUSH_CONFIRM) == writes and total:
        st.warning(f"Save these decisions ({'; '.join(parts)})? Semrush flags links by its own rules, and Google "
                   "ignores most spammy links anyway: disavow only what you checked yourself.",
                   icon=":material/warning:")
        yes, no, _ = st.columns([1.4, 1, 3])
        if yes.button("Yes, use them", type="primary", key="audit_semrush_yes"):
            note = f"Semrush Backlink Audit action ({audit_date:%d %b %Y})"
            written = sum(decisions.set_decisions(workspace.id, items, decision, note, overwrite=False,
                                                  source=audit_compare.SEMRUSH_SOURCE, root=state.data_root())
                          for decision, items in writes.items())
            st.session_state.pop(SEMRUSH_CONFIRM)
            st.toast(f"{written:,} domains decided from Semrush's actions.", icon=":material/check:")
            st.rerun()
        if no.button("Cancel", key="audit_semrush_cancel"):
            st.session_state.pop(SEMRUSH_CONFIRM)
            st.rerun()


with tab_semrush:
    audit_snapshot = state.latest(workspace, "audit")
    if audit_snapshot is None:
        components.needs_data("audit", why="To show Semrush's Toxicity Score beside Linkscope's risk score,")
    else:
        result = comparison(root, audit_snapshot.id, backlinks_id, refdomains_id, context)
        compared = int(result.agreement["domains"].sum())
        st.markdown(f"Semrush's Backlink Audit of {audit_snapshot.data_date:%d %b %Y} calls a link toxic at a "
                    f"Toxicity Score of **{audit_compare.SEMRUSH_TOXIC}** or more (a domain takes its worst link); "
                    f"Linkscope calls a domain risky at **{RISKY_SCORE}** or more. "
                    f"**{compared:,}** domains were scored by both.")
        if result.only_in_audit:
            st.caption(f"{result.only_in_audit:,} audited domains are not in the Linkscope data (an older or "
                       "partial backlinks export) and are left out of the comparison.")
        left, right = st.columns([1.2, 1])
        with left:
            st.dataframe(result.agreement, hide_index=True, width="stretch", column_config={
                "agreement": "Agreement", "domains": st.column_config.NumberColumn("Domains", format="%d"),
                "share": st.column_config.NumberColumn("Share", format="percent"),
                "meaning": st.column_config.TextColumn("What it means", width="large")})
        with right:
            show(audit_charts.agreement(result.agreement), key="audit_agreement_chart")
        wanted = filters.choices("Agreement", audit_compare.AGREEMENT, "audit_agreement_filter")
        rows = result.domains if not wanted else result.domains[result.domains["agreement"].isin(wanted)]
        ticked = data_table(rows, key=selection_key("audit_semrush_table", rows, "domain"), select=not presenting,
                            sort_by=["semrush_score", "risk_score"], what="audited domains",
                            file_stem=f"{workspace.own_domain}-semrush-vs-linkscope",
                            columns=["domain", "semrush_score", "risk_score", "agreement", "semrush_markers",
                                     "markers", "audited_links", "status"],
                            overrides={
                                "semrush_score": st.column_config.ProgressColumn("Semrush toxicity", min_value=0,
                                                                                 max_value=100, format="%d"),
                                "risk_score": st.column_config.ProgressColumn("Linkscope risk", min_value=0,
                                                                              max_value=100, format="%d"),
                                "semrush_markers": st.column_config.TextColumn("Semrush markers", width="medium"),
                                "markers": st.column_config.TextColumn("Linkscope markers", width="medium"),
                                "status": st.column_config.TextColumn("Semrush action"),
                            })
        if presenting:
            presentation.hidden("Using Semrush's actions as decisions")
        else:
            _use_semrush_actions(result.domains, ticked, audit_snapshot.data_date)

MAX_IMPORT_BYTES = 10_000_000  # Google takes 2 MB; anything far beyond is not a disavow file


def _reasons() -> dict[str, str]:
    """A comment for each disavowed domain: its risk score and markers when it has any."""
    chosen = queue[(queue["decision"] == "disavow") & (queue["markers"] != "")]
    return {d: f"risk {s}: {m}" for d, s, m in zip(chosen["domain"], chosen["risk_score"], chosen["markers"])}


with tab_disavow:
    st.markdown("The file holds only the domains and URLs **you** decided to disavow; nothing gets in because of a "
                "score. Upload it in Google Search Console's disavow links tool only for links you could not get "
                "removed. Each entry carries a comment with the date and the reason (your note and the risk "
                "markers).")
    today = date.today()
    new_file: disavow.ParsedDisavow | None = None
    try:
        data = disavow.disavow_bytes(decided, today, _reasons())
    except disavow.DisavowError as error:
        st.error(components.md_message(str(error)), icon=":material/error:")  # quotes URLs from the data
        data = None
    if data is not None:
        new_file = disavow.parse_disavow(data)
        domains_n, urls_n = len(new_file.domains), len(new_file.urls)
        line_count = data.count(b"\n")
        left, right = st.columns([2, 3], vertical_alignment="center")
        if presenting:
            # Its comments carry your review notes: the file is for Google, not for a shared screen.
            with left:
                presentation.hidden("The file's download")
        else:
            left.download_button("Download disavow file", data=data, file_name=f"{workspace.own_domain}-disavow-"
                                 f"{today.isoformat()}.txt", mime="text/plain", key="audit_disavow_download",
                                 icon=":material/download:", type="primary", disabled=not new_file.entries)
        right.caption(f"{domains_n:,} domain{'s' if domains_n != 1 else ''} and {urls_n:,} single "
                      f"URL{'s' if urls_n != 1 else ''}; {len(data) / 1000:,.1f} kB of Google's "
                      f"2 MB, {line_count:,} of its 100,000 lines." if new_file.entries else
                      "No disavow decisions yet, so there is no file to download. Decide in the review queue.")
        if new_file.entries:
            with st.expander("Preview of the file"):
                lines = data.decode("utf-8").splitlines()
                if presenting:
                    lines = [line for line in lines if not line.startswith("#")]  # comments hold your notes
                st.code("\n".join(lines[:MAX_PREVIEW_LINES]) + (f"\n# … {len(lines) - MAX_PREVIEW_LINES:,} more "
                                                                "lines in the download" if len(lines) >
                                                                MAX_PREVIEW_LINES else ""), language=None)

    st.subheader("An existing disavow file")
    if presenting:
        presentation.hidden("Importing a disavow file")
    else:
        upload = st.file_uploader("Import the disavow file you uploaded to Google before (.txt)", type=["txt"],
                                  key="audit_import",
                                  help="Its entries become disavow decisions (a decision you already made by hand "
                                       "stays), and this page shows what your new file adds and removes.")
        if upload is not None:
            raw = upload.getvalue()
            if len(raw) > MAX_IMPORT_BYTES:
                st.error(f"{components.md_message(upload.name)} is {len(raw) / 1_000_000:,.1f} MB; a disavow file "
                         "is at most 2 MB. Nothing was imported.", icon=":material/error:")
            else:
                parsed = disavow.parse_disavow(raw)
                st.write(f"{components.md_message(upload.name)}: {len(parsed.domains):,} domains, "
                         f"{len(parsed.urls):,} URLs, {parsed.comments:,} comment lines"
                         + (f", {parsed.duplicates:,} repeated entries" if parsed.duplicates else "") + ".")
                if parsed.problems:
                    st.warning(f"{len(parsed.problems):,} lines could not be read as entries and are left out.",
                               icon=":material/warning:")
                    st.dataframe(pd.DataFrame(parsed.problems[:1000], columns=["line", "problem"]),
                                 hide_index=True, width="stretch")
                if parsed.entries and st.button(f"Make its {len(parsed.entries):,} entries disavow decisions",
                                                key="audit_import_button", icon=":material/playlist_add:"):
                    written = disavow.import_decisions(workspace.id, parsed, today, file_name=upload.name,
                                                       root=state.data_root())
                    set_setting(workspace.id, EXISTING_SETTING,
                                {"name": upload.name, "imported": today.isoformat(),
                                 "entries": sorted(parsed.texts)}, state.data_root())
                    st.toast(f"{written['domain']:,} domains and {written['url']:,} URLs are now disavow "
                             "decisions.", icon=":material/check:")
                    st.rerun()

    existing = get_setting(workspace.id, EXISTING_SETTING, None, state.data_root())
    if existing and new_file is not None:
        diff = disavow.compare_disavow(existing.get("entries", []), new_file)
        where = "" if presenting else f" ({components.md_message(existing.get('name', ''))})"
        st.markdown(f"Compared with the file imported on {existing.get('imported', '')}{where}, the new file "
                    f"**adds {len(diff.added):,}** entries and **removes {len(diff.removed):,}**; "
                    f"{len(diff.unchanged):,} stay.")
        left, right = st.columns(2)
        with left:
            st.dataframe(pd.DataFrame({"added": diff.added}, dtype="str"), hide_index=True, width="stretch",
                         height=min(320, 38 + 35 * max(1, len(diff.added))))
        with right:
            st.dataframe(pd.DataFrame({"removed": diff.removed}, dtype="str"), hide_index=True, width="stretch",
                         height=min(320, 38 + 35 * max(1, len(diff.removed))))
    elif not existing:
        st.caption("No existing file imported: the whole new file is new to Google.")

BROKEN_KEY = "audit_broken_pages"
BROKEN_SEEN = "audit_broken_seen"
MAX_TARGET_OPTIONS = 2_000


@st.cache_resource(show_spinner=False, max_entries=8)
def reclaim(root: str, snapshot_ids: tuple[int, ...], refdomains_id: int | None, as_of: date,
            broken: tuple[str, ...]) -> tuple[pd.DataFrame, list[str], int, int]:
    """Links to reclaim for the pages marked broken, the most linked targets, and the lost / broken counts."""
    events = state.link_events(root, snapshot_ids, refdomains_id, as_of)
    targets = events["target_url"].value_counts().index[:MAX_TARGET_OPTIONS].astype("str").tolist()
    found = audit_compare.reclaim_links(events, list(broken))
    return (found, targets, int(found["why"].str.contains("lost").sum()),
            int(found["why"].str.contains("broken").sum()))


def _save_broken() -> None:
    # Only what this tab changed is written, row by row: another tab's marks stay.
    before = set(st.session_state.get(BROKEN_SEEN, []))
    after = set(st.session_state.get(BROKEN_KEY, []))
    decisions.BROKEN.apply_change(workspace.id, before, after, state.data_root())
    st.session_state[BROKEN_SEEN] = sorted(after)


with tab_reclaim:
    st.markdown("Links you lost, and links pointing at pages of yours that are broken, are worth reclaiming: fix or "
                "redirect the page, or ask the linking site for a new link.")
    backlink_history = state.history(workspace, "backlinks")
    if not backlink_history:
        components.needs_data("backlinks", why="To list lost links and links to broken pages,")
    else:
        ids = tuple(s.id for s in backlink_history)
        broken = decisions.broken_pages(workspace.id, state.data_root())
        candidates = audit_compare.broken_candidates(state.latest_frame(workspace, "indexed_pages"))
        unmarked = candidates[~candidates["target_url"].isin(broken)]
        if len(unmarked):
            st.warning(f"{len(unmarked):,} of your pages answer with an error in the Indexed Pages export and still "
                       f"get {int(unmarked['backlinks'].fillna(0).sum()):,} backlinks.", icon=":material/link_off:")
            st.dataframe(unmarked, hide_index=True, width="stretch", column_config={
                "target_url": st.column_config.TextColumn("Page", width="large"),
                "response_code": st.column_config.NumberColumn("HTTP status", format="%d"),
                "backlinks": st.column_config.NumberColumn("Backlinks", format="%d"),
                "domains": st.column_config.NumberColumn("Referring domains", format="%d")})
            if not presenting and st.button(f"Mark {'it' if len(unmarked) == 1 else f'these {len(unmarked):,}'} "
                                            "as broken", key="audit_mark_candidates", icon=":material/link_off:"):
                decisions.set_broken(workspace.id, unmarked["target_url"].tolist(), True, state.data_root())
                broken = decisions.broken_pages(workspace.id, state.data_root())
        if st.session_state.get(BROKEN_SEEN) != broken:
            # Stored marks changed (another tab, the button above): show them, before the widget is drawn.
            st.session_state[BROKEN_KEY] = broken
            st.session_state[BROKEN_SEEN] = broken
        found, targets, lost_n, broken_n = reclaim(root, ids, refdomains_id, backlink_history[-1].data_date,
                                                   tuple(broken))
        options = list(dict.fromkeys([*broken, *candidates["target_url"], *targets]))
        st.multiselect("Your pages marked as broken", options, key=BROKEN_KEY, on_change=_save_broken,
                       disabled=presenting, placeholder="Pick pages of yours that no longer work…",
                       help="Links to these pages are listed below. Saved for this workspace.")
        components.metric_row([
            components.Metric("Links to reclaim", f"{len(found):,}"),
            components.Metric("Lost links", f"{lost_n:,}", help="Flagged lost by Semrush, or gone from a later "
                                                               "backlinks snapshot."),
            components.Metric("Links to broken pages", f"{broken_n:,}"),
        ])
        data_table(found, key="audit_reclaim", sort_by=None, what="links to reclaim",
                   file_stem=f"{workspace.own_domain}-links-to-reclaim",
                   overrides={"why": st.column_config.TextColumn("Why", width="medium"),
                              "authority": st.column_config.ProgressColumn("Authority", min_value=0, max_value=100,
                                                                           format="%d"),
                              "lost_date": st.column_config.DateColumn("Lost", format="YYYY-MM-DD")})
