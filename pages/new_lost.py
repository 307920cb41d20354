"""New & lost: backlinks and referring domains gained and lost in a date range, strong losses first."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from lib import important_pages, outreach
from lib.analysis import new_lost
from lib.charts import new_lost as charts
from lib.charts.base import BAD, GOOD
from lib.workspaces import get_setting, set_setting
from ui import components, filters, presentation, state
from ui.charts import show
from ui.tables import data_table

THRESHOLD_SETTING = "new_lost_strong_ascore"
DEFAULT_THRESHOLD = 40
RANGES = {"Last 30 days": 30, "Last 3 months": 91, "Last 6 months": 182, "Last 12 months": 365, "Custom": None}
MAX_PAGE_OPTIONS = 1_000

workspace = state.current_workspace()
st.title("New & lost")
st.caption(f"{workspace.name} · {workspace.own_domain} · links gained and lost over time")

history = state.history(workspace, "backlinks")
if not history:
    components.needs_data("backlinks")
    st.stop()
latest = history[-1]
refdomains_snapshot = state.latest(workspace, "referring_domains")
root = str(state.data_root())



@st.cache_resource(show_spinner="Counting new and lost links…", max_entries=16)
def report(root: str, snapshot_ids: tuple[int, ...], refdomains_id: int | None, as_of: date, start: date,
           end: date, freq: str, threshold: int) -> new_lost.NewLostReport:
    links = state.link_events(root, snapshot_ids, refdomains_id, as_of)
    return new_lost.new_lost_report(links, start, end, freq, threshold)


@st.cache_data(show_spinner=False, max_entries=8)
def page_options(root: str, snapshot_ids: tuple[int, ...], refdomains_id: int | None, as_of: date) -> list[str]:
    counts = state.link_events(root, snapshot_ids, refdomains_id, as_of)["target_url"].value_counts()
    return counts.index[:MAX_PAGE_OPTIONS].astype("str").tolist()


@st.cache_data(show_spinner=False, max_entries=8)
def earliest_seen(root: str, snapshot_ids: tuple[int, ...], refdomains_id: int | None, as_of: date) -> date | None:
    seen = state.link_events(root, snapshot_ids, refdomains_id, as_of)["first_seen"].dropna()
    return None if seen.empty else seen.min().date()


@st.cache_resource(show_spinner=False, max_entries=16)
def report_extras(root: str, snapshot_ids: tuple[int, ...], refdomains_id: int | None, as_of: date, start: date,
                  end: date, freq: str, threshold: int) -> dict:
    """The report's four figures and its strong lost domains, built once per report, not on every rerun."""
    result = report(root, snapshot_ids, refdomains_id, as_of, start, end, freq, threshold)
    return {
        "domains": charts.new_lost_timeline(result.timeline, "domains", freq),
        "backlinks": charts.new_lost_timeline(result.timeline, "backlinks", freq),
        "pages_losing": charts.top_pages(result.pages_losing, "lost_backlinks", "Pages that lost the most backlinks",
                                         color=BAD, noun="lost backlinks"),
        "pages_attracting": charts.top_pages(result.pages_attracting, "new_domains",
                                             "Content attracting new referring domains", color=GOOD,
                                             noun="new referring domains"),
        "strong_lost": (result.lost_links[result.lost_links["strong"]].drop_duplicates("source_domain")
                        if not result.lost_links.empty else result.lost_links),
    }


snapshot_ids = tuple(s.id for s in history)
refdomains_id = refdomains_snapshot.id if refdomains_snapshot else None
last_day = latest.data_date
seen_from = earliest_seen(root, snapshot_ids, refdomains_id, last_day)
first_day = min(seen_from, last_day) if seen_from is not None else last_day - timedelta(days=365)

with st.expander("How new and lost are counted", icon=":material/help:"):
    st.markdown(
        "- A backlink is **new** in a period when Semrush first saw it (*first seen*) in that period.\n"
        "- A backlink is **lost** when Semrush flags it lost and last saw it in the period, or when it was in "
        "an earlier snapshot and is missing from every later one: it **disappeared**, dated by the first "
        "snapshot without it.\n"
        "- A referring domain is **new** when its first backlink was first seen in the period, and **lost** "
        "when all of its backlinks are lost, the last of them in the period.\n"
        "- **Authority Score** is the domain's score from the Referring Domains export when it lists the "
        "domain, else the linking page's score. A **strong** domain scores at least the threshold you set.\n"
        f"- Based on {len(history)} Backlinks snapshot{'s' if len(history) != 1 else ''}, the latest of "
        f"{last_day:%d %b %Y}" + ("; domain scores from the Referring Domains export of "
                                   f"{refdomains_snapshot.data_date:%d %b %Y}." if refdomains_snapshot else
                                   "; no Referring Domains export, so page scores are used."))

with st.container(border=True):
    left, middle, right, far = st.columns([1.2, 1.6, 1, 1.6])
    preset = left.selectbox("Date range", list(RANGES), index=2, key="nl_range")
    freq = right.radio("Per", ["week", "month"], index=1, horizontal=True, key="nl_freq",
                       format_func=str.capitalize)
    if RANGES[preset] is None:
        start, end = filters.date_range("From – to", first_day, last_day, "nl_dates", container=middle)
    else:
        start, end = new_lost.range_ending(last_day, RANGES[preset], freq)
        middle.text_input("From – to", f"{start:%d %b %Y} – {end:%d %b %Y}", disabled=True,
                          help=f"Starts on the first day of its {freq}, so every {freq} in the chart is whole.")
    stored_threshold = int(get_setting(workspace.id, THRESHOLD_SETTING, DEFAULT_THRESHOLD, state.data_root()))
    threshold = far.slider("Strong domain: Authority Score at least", 0, 100, stored_threshold, key="nl_threshold",
                           help="Lost links from domains at or above this score are listed first. "
                                "Saved for this workspace.")
    if threshold != stored_threshold:
        set_setting(workspace.id, THRESHOLD_SETTING, int(threshold), state.data_root())

result = report(root, snapshot_ids, refdomains_id, last_day, start, end, freq, int(threshold))
extras = report_extras(root, snapshot_ids, refdomains_id, last_day, start, end, freq, int(threshold))
lost, gained = result.lost_links, result.new_links
components.metric_row([
    components.Metric("New backlinks", f"{len(gained):,}"),
    components.Metric("Lost backlinks", f"{len(lost):,}"),
    components.Metric("New referring domains", f"{len(result.new_domains):,}"),
    components.Metric("Lost referring domains", f"{len(result.lost_domains):,}"),
    components.Metric("Strong links lost", f"{result.strong_lost:,}",
                      help=f"Lost backlinks from domains with Authority Score {threshold} or more."),
])

chart_left, chart_right = st.columns(2)
with chart_left:
    show(extras["domains"], key="nl_domains_chart")
with chart_right:
    show(extras["backlinks"], key="nl_backlinks_chart")

LINK_COLUMNS = {
    "strong": st.column_config.CheckboxColumn("Strong", help="Authority Score at or above your threshold"),
    "authority": st.column_config.ProgressColumn("Authority Score", min_value=0, max_value=100, format="%d"),
    "source_domain": st.column_config.TextColumn("Domain"),
    "lost_date": st.column_config.DateColumn("Lost on", format="YYYY-MM-DD"),
    "lost_how": st.column_config.TextColumn("How"),
    "target_url": st.column_config.LinkColumn("Pointed to"),
    "source_url": st.column_config.LinkColumn("Linking page"),
    **components.mark_column_config(),
}
LOST_SHOWN = ["strong", "authority", "source_domain", components.MARK_COLUMN, "target_url", "lost_date", "lost_how",
              "source_url", "anchor", "nofollow", "first_seen"]


def marked(links: pd.DataFrame) -> pd.DataFrame:
    return components.with_marks(links, workspace_id=workspace.id, domain_column="source_domain")


lost_tab, important_tab, new_tab, domains_tab = st.tabs(
    ["Lost links", "Important pages", "New links", "Referring domains"])

with lost_tab:
    if lost.empty:
        st.success(f"No backlinks were lost between {start:%d %b %Y} and {end:%d %b %Y}.",
                   icon=":material/check_circle:")
    else:
        st.markdown(f"**Lost backlinks**, those from domains with Authority Score {threshold}+ first, "
                    "with the page each one pointed to.")
        data_table(marked(lost), key="nl_lost_table", columns=LOST_SHOWN, overrides=LINK_COLUMNS,
                   what="lost backlinks",
                   file_stem=f"{workspace.own_domain}-lost-backlinks-{start}-{end}", height=420)
        strong_lost = extras["strong_lost"]
        if not strong_lost.empty and st.button(
                f"Add the {len(strong_lost):,} strong domains to outreach", icon=":material/forward_to_inbox:",
                key="nl_add_outreach", help="Ask them for the link back: they go on the Outreach list (status New) "
                                            "with the lost link in the note; domains already there keep theirs."):
            notes = {row.source_domain: f"Lost link to {row.target_url}"
                                        + (f" on {row.lost_date:%Y-%m-%d}" if pd.notna(row.lost_date) else "")
                     for row in strong_lost.itertuples()}
            added = outreach.add_prospects(workspace.id, strong_lost["source_domain"], "lost links",
                                           state.data_root(), notes=notes)
            st.toast(f"{added:,} added to Outreach; {len(strong_lost) - added:,} were already on it.",
                     icon=":material/forward_to_inbox:")
        show(extras["pages_losing"], key="nl_pages_losing_chart")
        data_table(result.pages_losing, key="nl_pages_losing", what="pages", overrides={
            "target_url": st.column_config.LinkColumn("Page", width="large"),
            "lost_backlinks": st.column_config.NumberColumn("Lost backlinks"),
            "lost_domains": st.column_config.NumberColumn("From domains"),
            "strong_lost": st.column_config.NumberColumn("From strong domains")},
            file_stem=f"{workspace.own_domain}-pages-losing-links", height=300)

with important_tab:
    st.markdown("Pick the pages you care most about (money pages, cornerstone content). Links they lose are "
                "listed here. The list is saved for this workspace.")
    stored_pages = important_pages.list_pages(workspace.id, state.data_root())
    widget_key = f"nl_important_{workspace.id}"
    # Always show what is stored, so a change made in another tab appears here too.
    st.session_state[widget_key] = stored_pages
    options = list(dict.fromkeys([*stored_pages, *page_options(root, snapshot_ids, refdomains_id, last_day)]))

    def _save_important(before: list[str]) -> None:
        important_pages.apply_change(workspace.id, before, st.session_state[widget_key], state.data_root())

    st.multiselect("Important pages", options, key=widget_key, on_change=_save_important, args=(stored_pages,),
                   accept_new_options=True, placeholder="Choose pages or paste a URL",
                   disabled=presentation.is_presenting(),
                   help="Pages most linked to are offered first; you can also paste any URL of your site.")
    if stored_pages:
        hits = new_lost.losses_on_pages(lost, stored_pages)
        if hits.empty:
            st.success(f"None of your {len(stored_pages)} important pages lost a link in this date range.",
                       icon=":material/check_circle:")
        else:
            st.warning(f"{len(hits):,} lost backlinks pointed to your important pages "
                       f"({int(hits['strong'].sum()):,} from strong domains).", icon=":material/warning:")
            data_table(marked(hits), key="nl_important_table", columns=LOST_SHOWN,
                       overrides=LINK_COLUMNS,
                       what="lost backlinks to important pages",
                       file_stem=f"{workspace.own_domain}-important-pages-lost-links")

with new_tab:
    if gained.empty:
        st.info(f"No new backlinks between {start:%d %b %Y} and {end:%d %b %Y}.", icon=":material/info:")
    else:
        show(extras["pages_attracting"], key="nl_pages_attracting_chart")
        data_table(result.pages_attracting, key="nl_pages_attracting", what="pages", overrides={
            "target_url": st.column_config.LinkColumn("Page", width="large"),
            "new_domains": st.column_config.NumberColumn(
                "New referring domains", help="Domains whose first link to this page is in the range"),
            "new_backlinks": st.column_config.NumberColumn("New backlinks")},
            file_stem=f"{workspace.own_domain}-pages-attracting-links", height=300)
        st.markdown("**New backlinks**, strongest first")
        data_table(gained, key="nl_new_table", what="new backlinks",
                   columns=new_lost.NEW_LINK_COLUMNS,
                   overrides={**LINK_COLUMNS, "lost": st.column_config.CheckboxColumn("Since lost")},
                   file_stem=f"{workspace.own_domain}-new-backlinks-{start}-{end}", height=420)

with domains_tab:
    domain_columns = {
        "domain": st.column_config.TextColumn("Domain"),
        "authority": st.column_config.ProgressColumn("Authority Score", min_value=0, max_value=100, format="%d"),
        "first_seen": st.column_config.DateColumn("First link seen", format="YYYY-MM-DD"),
        "lost_date": st.column_config.DateColumn("Last link lost", format="YYYY-MM-DD"),
        "backlinks": st.column_config.NumberColumn("Backlinks"),
        "lost_backlinks": st.column_config.NumberColumn("Lost backlinks"),
    }
    new_col, lost_col = st.columns(2)
    with new_col:
        st.markdown("**New referring domains**")
        data_table(result.new_domains, key="nl_new_domains", what="new referring domains",
                   columns=["domain", "authority", "first_seen", "backlinks"], overrides=domain_columns,
                   file_stem=f"{workspace.own_domain}-new-referring-domains", height=380)
    with lost_col:
        st.markdown("**Lost referring domains**")
        data_table(result.lost_domains, key="nl_lost_domains", what="lost referring domains",
                   columns=["domain", "authority", "lost_date", "backlinks", "first_seen"],
                   overrides=domain_columns, file_stem=f"{workspace.own_domain}-lost-referring-domains",
                   height=380)
    with st.expander(f"Per {freq}: new and lost counts"):
        data_table(result.timeline, key="nl_timeline_table", what=f"{freq}s", overrides={
            "period": st.column_config.DateColumn(f"{freq.capitalize()} starting", format="YYYY-MM-DD")},
            file_stem=f"{workspace.own_domain}-new-lost-per-{freq}")
