"""Referring domains: every website linking to you, what kind of site it is, and your verdict on it."""

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import marks, outreach
from lib.analysis import referring_domains as rd
from lib.analysis.categories import CATEGORIES, CATEGORY_LABELS
from lib.analysis.overview import ascore_distribution
from lib.charts import overview as overview_charts
from lib.charts import referring_domains as charts
from ui import components, filters, presentation, state
from ui.charts import show
from ui.tables import data_table, selection_key

MARK_OPTIONS = {"good": "Good", "review": "Review", "": "Not marked"}
KEEP_RULE = "rules"

workspace = state.current_workspace()
st.title("Referring domains")
st.caption(f"{workspace.name} · {workspace.own_domain} · every website that links to you")

backlinks_snapshot = state.latest(workspace, "backlinks")
refdomains_snapshot = state.latest(workspace, "referring_domains")
if backlinks_snapshot is None and refdomains_snapshot is None:
    components.needs_data("referring_domains", "backlinks")
    st.stop()



# Large results are shared read-only (cache_resource: nothing below mutates them) instead of cache_data's
# unpickled copy of ~98,000 rows on every rerun.
@st.cache_resource(show_spinner="Sorting the linking sites…", max_entries=8)
def domain_table(root: str, backlinks_id: int | None, refdomains_id: int | None, data_date: date,
                 keywords: tuple[str, ...], overrides: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    backlinks, refdomains = state.frame_by_id(backlinks_id), state.frame_by_id(refdomains_id)
    return rd.categorized_table(backlinks, refdomains, data_date, keywords, dict(overrides))


@st.cache_data(show_spinner=False, max_entries=32)
def backlinks_from(root: str, backlinks_id: int, domains: tuple[str, ...]) -> pd.DataFrame:
    return rd.backlinks_of(state.frame_by_id(backlinks_id), domains)


@st.cache_resource(show_spinner=False, max_entries=8)
def marked_table(root: str, workspace_id: str, backlinks_id: int | None, refdomains_id: int | None, data_date: date,
                 keywords: tuple[str, ...], overrides: tuple[tuple[str, str], ...],
                 version: str) -> tuple[pd.DataFrame, dict]:
    """The table with the user's marks, and the filters' options; keyed by the marks' version stamp
    (lib.marks.marks_version), so a mark saved here or in another tab shows on the next rerun."""
    table = rd.with_marks(domain_table(root, backlinks_id, refdomains_id, data_date, keywords, overrides),
                          marks.marks_for(workspace_id, Path(root)))
    seen = table["first_seen"].dropna()
    return table, {"countries": table["country"].unique(), "tlds": table["tld"].unique(),
                   "seen": None if seen.empty else (seen.min().date(), seen.max().date())}


@st.cache_resource(show_spinner=False, max_entries=16)
def filtered(table_key: tuple, chosen: rd.DomainFilter, scored: bool, presenting: bool = False) -> dict:
    """The rows one set of filters keeps, ready to show, with both charts and the table key: a rerun with
    the same filters recomputes nothing; `scored` = a Referring Domains export gives domain scores. When
    presenting, private notes are blanked before the search, so a search cannot find them either."""
    table = marked_table(*table_key)[0]
    shown = rd.filter_domains(presentation.shareable_notes(table) if presenting else table, chosen)
    if scored:
        right = charts.ascore_vs_backlinks(shown)
    else:
        # Without a Referring Domains export there is no domain score: show the best linking page's.
        pages = pd.DataFrame({"source_domain": shown["domain"], "page_ascore": shown["best_page_ascore"]})
        right = overview_charts.ascore_bands(ascore_distribution(None, pages))
    display = shown.assign(
        category=shown["category"].map(CATEGORY_LABELS).fillna(shown["category"]),
        mark=shown["mark"].map({"good": "Good", "review": "Review"}).fillna(""),
        follow_share=(shown["follow_share"] * 100).round(),
    )
    return {"categories": charts.categories(rd.category_counts(shown)), "right": right, "display": display,
            "key": selection_key("rd_table", display, "domain")}


data_date = max(s.data_date for s in (backlinks_snapshot, refdomains_snapshot) if s is not None)
root = str(state.data_root())
overrides = marks.category_overrides(workspace.id, state.data_root())
table_key = (root, workspace.id, backlinks_snapshot.id if backlinks_snapshot else None,
             refdomains_snapshot.id if refdomains_snapshot else None, data_date, workspace.target_keywords,
             tuple(sorted(overrides.items())), marks.marks_version(workspace.id, state.data_root()))
table, options = marked_table(*table_key)

if not workspace.target_keywords:
    st.info("Set your target keywords on the Anchors page: the categories use them to tell sites of your "
            "industry from unrelated ones.", icon=":material/lightbulb:")

# Filters, above the table they narrow.
with st.container(border=True):
    top = st.columns([2, 2, 1.3, 1.3])
    text = filters.search("rd_search", "Search domains, notes, rules, IPs", container=top[0])
    chosen_categories = filters.labelled_choices("Category", CATEGORY_LABELS, "rd_categories", container=top[1])
    chosen_marks = filters.labelled_choices("Your mark", MARK_OPTIONS, "rd_marks", container=top[2])
    with top[3]:
        follow_only = st.toggle("Only with follow links", key="rd_follow_only")
        hide_lost = st.toggle("Hide lost domains", value=True, key="rd_hide_lost",
                              help="Domains whose links are all gone (flagged lost or unseen for 30+ days).")
    bottom = st.columns([2, 1.3, 1.3, 2])
    ascore = filters.ascore_range("rd_ascore", "Authority Score", container=bottom[0])
    countries = filters.choices("Country", options["countries"], "rd_countries", container=bottom[1])
    tlds = filters.choices("TLD", options["tlds"], "rd_tlds", container=bottom[2])
    seen = options["seen"]
    first_seen = None
    if seen is not None and seen[0] < seen[1]:
        picked = filters.date_range("First seen", seen[0], seen[1], "rd_first_seen", container=bottom[3])
        if picked != seen:
            first_seen = picked

chosen = rd.DomainFilter(ascore=ascore, follow_only=follow_only, categories=tuple(chosen_categories),
                         countries=tuple(countries), tlds=tuple(tlds), marks=tuple(chosen_marks),
                         first_seen=first_seen, text=text, include_lost=not hide_lost)
presenting = presentation.is_presenting()
view = filtered(table_key, chosen, refdomains_snapshot is not None, presenting)

left, right = st.columns(2)
with left:
    show(view["categories"], key="rd_categories_chart")
with right:
    show(view["right"], key="rd_scatter" if refdomains_snapshot is not None else "rd_ascore_bands")

display = view["display"]
selected = data_table(
    display, key=view["key"], sort_by=["domain_ascore", "backlinks"],
    what="referring domains",
    columns=["domain", "domain_ascore", "backlinks", "follow_share", "category", "mark", "note", "first_seen",
             "last_seen", "country", "ip", "tld", "category_reason", "live_backlinks", "best_page_ascore", "lost"],
    overrides={
        "domain": st.column_config.TextColumn("Domain", pinned=True),
        "domain_ascore": st.column_config.ProgressColumn("Authority Score", min_value=0, max_value=100, format="%d"),
        "follow_share": st.column_config.NumberColumn("Follow %", format="%d%%",
                                                      help="Share of its backlinks without nofollow, sponsored, UGC"),
        "category_reason": st.column_config.TextColumn("Why this category", width="large"),
        "note": st.column_config.TextColumn("Note", width="medium"),
        "ip": st.column_config.TextColumn("IP"),
        "tld": st.column_config.TextColumn("TLD"),
        "live_backlinks": st.column_config.NumberColumn("Live backlinks (Backlinks export)"),
        "best_page_ascore": st.column_config.ProgressColumn("Best page AS", min_value=0, max_value=100,
                                                            format="%d"),
    },
    file_stem=f"{workspace.own_domain}-referring-domains", select=True,
    height=460 if len(display) > 12 else "auto",
)
st.caption("Select rows (tick the boxes on the left) to mark them, change their category or see their backlinks.")
if presenting:
    presentation.hidden("Private notes")

if selected is not None and len(selected):
    domains = tuple(selected["domain"])
    names = ", ".join(domains[:5]) + (f" and {len(domains) - 5:,} more" if len(domains) > 5 else "")
    st.subheader(f"{len(domains):,} selected")
    st.caption(components.md_escape(names))
    mark_col, category_col = st.columns(2)
    with mark_col, st.form("rd_mark_form"):
        current = table.set_index("domain").loc[list(domains)]
        first_mark = str(current["mark"].iloc[0])
        verdict = st.radio("Your mark", ["good", "review", ""], horizontal=True,
                           index=["good", "review", ""].index(first_mark) if first_mark in MARK_OPTIONS else 2,
                           format_func=lambda m: MARK_OPTIONS[m] if m else "No mark", key="rd_mark_choice")
        note, private = None, True  # None: each domain keeps its note
        if presenting:
            presentation.hidden("Your notes")
        else:
            note = st.text_input("Note", value=str(current["note"].iloc[0]) if len(domains) == 1 else "",
                                 placeholder="e.g. editorial link from a roaster we know", key="rd_mark_note")
            private = presentation.private_note_toggle("rd_mark_private", current["note_private"])
        if st.form_submit_button("Save mark", type="primary", icon=":material/bookmark:"):
            if verdict:
                marks.set_marks(workspace.id, domains, verdict, note, state.data_root(), private=private)
            else:
                marks.clear_marks(workspace.id, domains, state.data_root())
            st.toast(f"Saved for {len(domains):,} domain(s).", icon=":material/check:")
            st.rerun()
    with category_col, st.form("rd_category_form"):
        options = [KEEP_RULE, *CATEGORIES]
        first = overrides.get(domains[0], KEEP_RULE)
        category = st.selectbox("Category", options, index=options.index(first),
                                format_func=lambda c: "Let the rules decide" if c == KEEP_RULE else CATEGORY_LABELS[c],
                                key="rd_category_choice")
        st.caption("Your choice replaces the rule's for these domains, in every later import.")
        if st.form_submit_button("Save category", icon=":material/category:"):
            marks.set_category(workspace.id, domains, None if category == KEEP_RULE else category,
                               state.data_root())
            st.rerun()
    if st.button("Add to outreach", icon=":material/forward_to_inbox:", key="rd_add_outreach",
                 help="Put the selected domains on the Outreach list (status New); domains already on it keep "
                      "their status and notes."):
        added = outreach.add_prospects(workspace.id, domains, "referring domains", state.data_root())
        st.toast(f"{added:,} added to Outreach; {len(domains) - added:,} were already on it.",
                 icon=":material/forward_to_inbox:")
    if backlinks_snapshot is not None:
        links = backlinks_from(root, backlinks_snapshot.id, domains)
        st.markdown(f"**Backlinks from the selected {'domain' if len(domains) == 1 else 'domains'}**")
        data_table(links, key="rd_backlinks", sort_by="page_ascore", what="backlinks",
                   file_stem=f"{workspace.own_domain}-backlinks-from-selected")
    else:
        components.needs_data("backlinks", why="To list a domain's backlinks,")
