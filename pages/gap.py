"""Backlink gap: sites that link to your competitors but not to you, prioritised, one click to outreach."""

import pandas as pd
import streamlit as st

from lib import outreach
from lib.analysis import gap as g
from lib.analysis import priority as pr
from lib.analysis.risk import RISKY_SCORE, RiskContext
from lib.charts import gap as charts
from lib.countries import home_countries
from ui import components, filters, presentation, state
from ui.charts import show
from ui.tables import data_table, selection_key

EXPORT, REFS = "gap export", "referring domains"

workspace = state.current_workspace()
st.title("Backlink gap")
st.caption(f"{workspace.name} · {workspace.own_domain} against "
           f"{', '.join(workspace.competitors) if workspace.competitors else 'no competitors yet'}")

gap_snapshot = state.latest(workspace, "gap")
ref_snapshots = {d: state.latest(workspace, "referring_domains", d) for d in workspace.domains}
refs_ready = ref_snapshots[workspace.own_domain] is not None and any(
    ref_snapshots[c] is not None for c in workspace.competitors)
sources = ([EXPORT] if gap_snapshot is not None else []) + ([REFS] if refs_ready else [])
if not sources:
    why = ("The gap compares your referring domains with up to four competitors'." if workspace.competitors else
           "Add up to four competitors to this workspace on Data & settings first.")
    components.needs_data("gap", "referring_domains", why=why)
    st.caption("Either one Backlink Gap export (your domain and the competitors in one file), or a Referring "
               "Domains export or API fetch for your domain and for each competitor.")
    st.stop()



# cache_resource: one shared, read-only object per key (nothing below mutates them) instead of cache_data's
# unpickled copy of every row on each rerun.
@st.cache_resource(show_spinner="Comparing the referring domains…", max_entries=8)
def build_gap(root: str, source: str, ids: tuple[tuple[str, int | None], ...], you: str,
              competitors: tuple[str, ...]) -> g.Gap:
    if source == EXPORT:
        return g.gap_from_export(state.frame_by_id(ids[0][1]), you, competitors)
    return g.gap_from_referring_domains({d: state.frame_by_id(i) for d, i in ids}, you, competitors)


@st.cache_resource(show_spinner="Scoring the opportunities…", max_entries=8)
def score_parts(root: str, source: str, ids: tuple[tuple[str, int | None], ...], you: str,
                competitors: tuple[str, ...], ref_ids: tuple[int, ...], backlink_ids: tuple[int, ...],
                keywords: tuple[str, ...], brand_terms: tuple[str, ...],
                countries: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(priority parts, risk per registrable domain, the gap's rows with their risk scores)."""
    gap = build_gap(root, source, ids, you, competitors)
    links = [state.frame_by_id(i) for i in backlink_ids]
    backlinks = pd.concat(links, ignore_index=True) if links else None
    scored = pr.score_gap(gap.frame, len(gap.competitors), RiskContext(you, brand_terms, keywords, countries),
                          [state.frame_by_id(i) for i in ref_ids], backlinks, keywords=keywords,
                          brand_terms=brand_terms, list_facts=gap.list_facts)
    return scored.parts, scored.risk, scored.frame


@st.cache_resource(show_spinner=False, max_entries=8)
def gap_summary(root: str, source: str, ids: tuple[tuple[str, int | None], ...], you: str,
                competitors: tuple[str, ...]) -> tuple[dict, object, object]:
    """Category counts and the two overlap charts of one comparison: built once, not on every rerun."""
    gap = build_gap(root, source, ids, you, competitors)
    return (g.category_counts(gap.frame), charts.overlap_heatmap(g.pairwise_overlap(gap), gap.you),
            charts.combinations_bar(g.combinations(gap), gap.you))


@st.cache_resource(show_spinner=False, max_entries=16)
def ranked_view(score_key: tuple, gap_filter: g.GapFilter, weights: tuple[tuple[str, int], ...],
                labels: tuple[tuple[str, str], ...]) -> tuple[pd.DataFrame, str]:
    """The table for one set of filters and weights, ready to show, and its selection key."""
    parts, _, scored = score_parts(*score_key)
    ranked = pr.prioritise(g.filter_gap(scored, gap_filter), parts, dict(weights))
    display = ranked.rename(columns={**dict(labels), **pr.PART_LABELS})
    return display, selection_key("gap_table", display, "domain")


if len(sources) > 1:
    source = st.radio("Compare using", sources, horizontal=True, key="gap_source",
                      format_func=lambda s: (f"Backlink Gap export ({gap_snapshot.data_date:%d %b %Y})" if s == EXPORT
                                             else "Referring Domains of each domain"))
else:
    source = sources[0]
if source == EXPORT:
    ids: tuple = (("gap", gap_snapshot.id),)
else:
    ids = tuple((d, s.id if s else None) for d, s in ref_snapshots.items())
root = str(state.data_root())
try:
    gap = build_gap(root, source, ids, workspace.own_domain, workspace.competitors)
except g.GapError as error:
    st.error(components.md_message(str(error)), icon=":material/error:")
    st.stop()
for note in gap.notes:
    st.caption(f":material/info: {components.md_message(note)}")

backlink_ids = tuple(s.id for s in (state.latest(workspace, "backlinks", d) for d in gap.domains) if s)
ref_ids = tuple(s.id for s in ref_snapshots.values() if s)
score_key = (root, source, ids, workspace.own_domain, workspace.competitors, ref_ids, backlink_ids,
             workspace.target_keywords, workspace.brand_terms, home_countries(workspace.id, state.data_root()))
counts, overlap_chart, combinations_chart = gap_summary(root, source, ids, workspace.own_domain,
                                                        workspace.competitors)

components.metric_row([
    components.Metric("Opportunities" if code == "opportunity" else g.CATEGORY_LABELS[code], f"{counts[code]:,}",
                      help=next(c.definition for c in g.CATEGORIES if c.code == code))
    for code in ("opportunity", "best", "weak", "strong", "shared", "unique")
])
with st.expander("What the categories mean", icon=":material/help:"):
    st.dataframe(g.definitions_table(), hide_index=True, width="stretch")
    st.caption("As in Semrush's Backlink Gap tabs the categories overlap: a domain linking only to you is both "
               "Strong and Unique. Counts are of referring domains.")

left, right = st.columns(2)
with left:
    show(overlap_chart, key="gap_overlap")
with right:
    show(combinations_chart, key="gap_combinations")
    st.caption(charts.COMBINATION_LEGEND)

# Scored after the comparison is on screen: on a million backlinks scoring takes seconds, the comparison well
# under one, and Streamlit shows what ran so far while the spinner turns.
parts, risk, _ = score_parts(*score_key)

# Weights first (they decide the order), stored for the workspace so they survive a restart.
stored = pr.load_weights(workspace.id, state.data_root())
available = pr.available(parts)
if presentation.is_presenting():
    weights = stored
    presentation.hidden("Priority weights")
else:
    with st.expander("Priority weights", icon=":material/tune:"):
        st.caption("How much each part counts towards the priority (0 = ignore). Saved for this workspace.")
        columns = st.columns(3)
        weights = {}
        for i, part in enumerate(pr.PARTS):
            missing = "" if part.code in available else " (no data: not counted)"
            weights[part.code] = columns[i % 3].slider(
                part.label + missing, 0, pr.MAX_WEIGHT, stored[part.code], key=f"gap_w_{part.code}",
                help=part.explanation)
        if weights != stored:
            pr.save_weights(workspace.id, weights, state.data_root())
        st.dataframe(pr.parts_table(), hide_index=True, width="stretch")

with st.container(border=True):
    top = st.columns([2.1, 1.9, 1.9, 1.6])
    chosen = top[0].multiselect("Category", list(g.CATEGORY_LABELS), default=["opportunity"], key="gap_categories",
                                format_func=g.CATEGORY_LABELS.get, placeholder="All",
                                help="Rows in any of the chosen categories; none chosen = every row.")
    ascore = filters.ascore_range("gap_ascore", "Authority Score", container=top[1])
    n = len(gap.competitors)
    linked = top[2].slider("Competitors linked", 0, n, (0, n), key="gap_competitors") if n > 1 else (0, n)
    with top[3]:
        exclude_risky = st.toggle("Exclude risky", key="gap_exclude_risky",
                                  help=f"Leave out domains whose risk score is {RISKY_SCORE} or more (the audit's "
                                       "score; see the note under these filters for what it rests on).")

by_links = int((risk["basis"] == "links").sum())
st.caption(f"Risk scores: from backlinks for {by_links:,} domains, from domain facts only (Authority Score, name, "
           f"TLD, IP range) for {len(risk) - by_links:,}: link-level markers cannot be computed for those without "
           "a Backlinks export of the compared domains.")

labels = gap.column_labels
display, table_key = ranked_view(score_key, g.GapFilter(tuple(chosen), ascore, tuple(linked), exclude_risky),
                                 tuple(weights.items()), tuple(labels.items()))
display = components.with_marks(display, workspace_id=workspace.id)
part_config = {pr.PART_LABELS[c]: st.column_config.NumberColumn(pr.PART_LABELS[c], format="%.2f",
                                                                help=p.explanation)
               for c, p in zip(pr.PART_CODES, pr.PARTS)}
selected = data_table(
    display, key=table_key, what="referring domains",
    columns=["domain", "priority", components.MARK_COLUMN, "categories", "domain_ascore", "competitors_linked",
             *labels.values(),
             *[pr.PART_LABELS[c] for c in pr.PART_CODES], "risk_score"],
    overrides={
        **components.mark_column_config(),
        "domain": st.column_config.TextColumn("Domain", pinned=True),
        "priority": st.column_config.ProgressColumn("Priority", min_value=0, max_value=100, format="%d"),
        "domain_ascore": st.column_config.ProgressColumn("Authority Score", min_value=0, max_value=100,
                                                         format="%d"),
        "competitors_linked": st.column_config.NumberColumn("Competitors linked"),
        **{label: st.column_config.NumberColumn(label, help=f"Backlinks to {label}") for label in labels.values()},
        **part_config,
    },
    file_stem=f"{workspace.own_domain}-backlink-gap", select=True, height=460 if len(display) > 12 else "auto",
)
st.caption("Tick rows on the left to add them to the outreach list.")

if selected is not None and len(selected):
    domains = list(selected["domain"])
    names = ", ".join(domains[:5]) + (f" and {len(domains) - 5:,} more" if len(domains) > 5 else "")
    st.caption(f"{len(domains):,} selected: {components.md_escape(names)}")
    if st.button(f"Add {len(domains):,} to outreach", type="primary", icon=":material/forward_to_inbox:",
                 key="gap_add_outreach"):
        notes = {d: f"Gap: {c or 'no category'}; priority {p}" for d, c, p in
                 zip(selected["domain"], selected["categories"], selected["priority"])}
        added = outreach.add_prospects(workspace.id, domains, source="gap", root=state.data_root(), notes=notes)
        kept = len(domains) - added
        st.success(f"Added {added:,} to the outreach list" + (f"; {kept:,} already on it, left as they were."
                                                              if kept else "."), icon=":material/check_circle:")
