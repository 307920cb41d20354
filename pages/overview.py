"""Overview: the site's key figures, growth, where its links come from, and what the workspace holds."""

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import snapshots
from lib.analysis import overview as ov
from lib.charts import overview as charts
from lib.demo import DEMO_SITE_ASCORE
from lib.schema import KINDS
from lib.semrush.site_scores import BACKLINKS_HISTORY
from lib.workspaces import get_setting, set_setting
from ui import components, presentation, state
from ui.charts import show

SITE_ASCORE = "site_ascore"
GROWTH_MONTHS = 24

workspace = state.current_workspace()
st.title("Overview")
st.caption(f"{workspace.name} · {workspace.own_domain}")



@st.cache_data(show_spinner=False, max_entries=64)
def summary_of(root: str, snapshot_id: int, data_date: date) -> ov.Summary:
    return ov.summarize(state.frame_by_id(snapshot_id), data_date)


@st.cache_resource(show_spinner="Analysing backlinks…", max_entries=16)  # shared read-only: no unpickling
def analyses(root: str, backlinks_ids: tuple[tuple[int, date], ...], refdomains_id: int | None,
             data_date: date) -> dict:
    """Everything the page charts; `backlinks_ids` is the site's Backlinks history, oldest first."""
    backlinks = state.frame_by_id(backlinks_ids[-1][0]) if backlinks_ids else None
    return ov.chart_data(backlinks, state.frame_by_id(refdomains_id), data_date, lambda: state.vanished_links(
        root, tuple(snapshot_id for snapshot_id, _ in backlinks_ids)))


@st.cache_resource(show_spinner=False, max_entries=16)
def figures(root: str, backlinks_ids: tuple[tuple[int, date], ...], refdomains_id: int | None,
            data_date: date) -> dict:
    """The page's Plotly figures, built once per data: building and styling nine figures costs more than a
    whole cached rerun should. Shared read-only (st.plotly_chart only reads them)."""
    found = analyses(root, backlinks_ids, refdomains_id, data_date)
    built = {"ascore": charts.ascore_bands(found["ascore"]), "tlds": charts.top_tlds(found["tlds"]),
             "countries": charts.top_countries(found["countries"])}
    if "concentration" in found:
        growth = found["growth"].tail(GROWTH_MONTHS)
        built.update(
            concentration=charts.concentration(found["steps"], found["concentration"].total_backlinks),
            growth_domains=charts.growth(growth, "domains", "Referring domains gained and lost per month"),
            growth_backlinks=charts.growth(growth, "backlinks", "Backlinks gained and lost per month"))
    if "link_types" in found:
        built.update(link_types=charts.link_types(found["link_types"]), rel=charts.rel_attributes(found["rel"]))
    if "pages" in found:
        built["pages"] = charts.top_pages(found["pages"])
    return built


def _delta(now: float, before: float | None, fmt: str = "{:+,}") -> str | None:
    if before is None:
        return None
    return "±0" if now == before else fmt.format(now - before)


def _color(delta: str | None, direction: str = "normal") -> str:
    return "off" if delta == "±0" else direction


def site_ascore_history() -> dict:
    history = get_setting(workspace.id, SITE_ASCORE, {}, state.data_root()) or {}
    if not history and workspace.is_demo:
        # Exports do not carry the site's own score; the demo gets a plausible history at its snapshot dates.
        dates = [s.data_date for s in state.history(workspace, "backlinks")]
        if dates:
            history = ov.demo_site_ascore(dates, DEMO_SITE_ASCORE)
            set_setting(workspace.id, SITE_ASCORE, history, state.data_root())
    return history


def site_ascore_editor(authority: ov.SiteAuthority) -> None:
    with st.expander("Set your site's Authority Score", icon=":material/edit:"):
        st.caption("Semrush shows it at the top of Backlink Analytics → Overview. Exports do not include it, so "
                   "type it here, or fetch the Backlinks overview with the Semrush API on Data & settings, "
                   "which fills it in. Each date keeps its own value.")
        with st.form("site_ascore_form", border=False):
            left, right = st.columns(2)
            value = left.number_input("Authority Score", 0, 100, authority.value or 0, key="site_ascore_value")
            as_of = right.date_input("As of", date.today(), key="site_ascore_date")
            if st.form_submit_button("Save", type="primary"):
                history = dict(get_setting(workspace.id, SITE_ASCORE, {}, state.data_root()) or {})
                history[as_of.isoformat()] = int(value)
                set_setting(workspace.id, SITE_ASCORE, history, state.data_root())
                st.rerun()


@st.cache_data(show_spinner=False, max_entries=16)
def history_figures(counts: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]) -> tuple[go.Figure, go.Figure, int]:
    growth = ov.growth_from_history({day: dict(values) for day, values in counts})
    shown = growth.tail(GROWTH_MONTHS)
    return (charts.growth(shown, "domains", "Referring domains gained and lost per month"),
            charts.growth(shown, "backlinks", "Backlinks gained and lost per month"), len(growth))


FROM_LINKS, FROM_HISTORY = "Your backlinks' first and last seen dates", "Semrush's monthly history (API)"


def growth_section(figure: dict, growth_from_links: pd.DataFrame | None) -> None:
    """Gained, lost and live per month: from the backlinks' dates, or from the Semrush Backlinks history
    fetched with the API, or both to choose from."""
    history = get_setting(workspace.id, BACKLINKS_HISTORY, {}, state.data_root()) or {}
    sources = ([FROM_LINKS] if "growth_domains" in figure else []) + ([FROM_HISTORY] if history else [])
    if not sources:
        return
    st.subheader("Growth")
    source = sources[0] if len(sources) == 1 else st.radio("Counted from", sources, horizontal=True,
                                                            key="overview_growth_source")
    if source == FROM_HISTORY:
        counts = tuple(sorted((str(day), tuple(sorted((str(k), int(v)) for k, v in dict(values).items())))
                              for day, values in history.items()))
        domains_figure, links_figure, months = history_figures(counts)
        caption = ("From Semrush's Backlinks history, fetched with the API on Data & settings: the line is each "
                   "month's total; gained and lost are Semrush's new and lost counts where its answer has them, "
                   "otherwise the month's net change of the total.")
    else:
        domains_figure, links_figure, months = figure["growth_domains"], figure["growth_backlinks"], \
            len(growth_from_links)
        caption = ("Gained: first seen that month. Lost: flagged lost by Semrush or unseen for over "
                   f"{ov.LOST_AFTER_DAYS} days (dated by its last sighting), or gone from a later snapshot. The line "
                   "is what was live at each month's end; links lost before your first snapshot are not known.")
    domains_tab, links_tab = st.tabs(["Referring domains", "Backlinks"])
    with domains_tab:
        show(domains_figure, key="overview_growth_domains")
    with links_tab:
        show(links_figure, key="overview_growth_backlinks")
    st.caption(caption + (f" Last {GROWTH_MONTHS} months." if months > GROWTH_MONTHS else ""))


backlinks_history = state.history(workspace, "backlinks")
backlinks_snapshot = backlinks_history[-1] if backlinks_history else None
refdomains_snapshot = state.latest(workspace, "referring_domains")
authority = ov.site_authority(site_ascore_history())

if backlinks_snapshot is None and refdomains_snapshot is None:
    components.needs_data("backlinks", why="Nothing to show yet.")
    growth_section({}, None)
else:
    data_date = (backlinks_snapshot or refdomains_snapshot).data_date
    root = str(state.data_root())
    keys = (root, tuple((s.id, s.data_date) for s in backlinks_history),
            refdomains_snapshot.id if refdomains_snapshot else None, data_date)
    found, figure = analyses(*keys), figures(*keys)
    ascore_delta = _delta(authority.value, authority.previous) if authority.value is not None else None
    # "Authority": six cards side by side cut "Authority Score" to "Authority Sc…"; the help says what it is.
    ascore_metric = components.Metric(
        "Authority", str(authority.value) if authority.value is not None else "—", ascore_delta,
        help=(f"Your site's Semrush Authority Score as of {authority.as_of:%d %b %Y}." if authority.as_of else
              "Unknown: Semrush exports do not include your site's own Authority Score. "
              "Set it below, or fetch the Backlinks overview with the Semrush API on Data & settings."),
        delta_color=_color(ascore_delta))
    if backlinks_snapshot is not None:
        now = summary_of(root, backlinks_snapshot.id, data_date)
        before = (summary_of(root, backlinks_history[-2].id, backlinks_history[-2].data_date)
                  if len(backlinks_history) > 1 else None)
        since = f" since the previous snapshot ({before.data_date:%d %b %Y})" if before else ""
        window = ov.recent_window(data_date)

        def counted(label: str, field: str, help: str, direction: str = "normal") -> components.Metric:
            delta = _delta(getattr(now, field), getattr(before, field) if before else None)
            return components.Metric(label, f"{getattr(now, field):,}", delta, help=help,
                                     delta_color=_color(delta, direction))

        follow_delta = (None if before is None or pd.isna(before.follow_share) or pd.isna(now.follow_share)
                        else f"{(now.follow_share - before.follow_share) * 100:+.1f} pts")
        components.metric_row([
            counted("Backlinks", "backlinks", f"Backlinks still live on {data_date:%d %b %Y}."),
            counted("Ref. domains", "referring_domains", "Referring domains: websites with at least one live "
                                                         "backlink to you."),
            ascore_metric,
            components.Metric("Follow", "—" if pd.isna(now.follow_share) else f"{now.follow_share:.0%}",
                              follow_delta, help="Share of live backlinks without nofollow, sponsored or UGC: "
                                                 "the ones that pass authority."),
            counted("New · 30 days", "new_recent",
                    f"Backlinks first seen {window[0]:%d %b} – {window[1]:%d %b %Y}."),
            counted("Lost · 30 days", "lost_recent", f"Backlinks lost {window[0]:%d %b} – {window[1]:%d %b %Y} "
                                                     f"(flagged lost by Semrush, or unseen for over "
                                                     f"{ov.LOST_AFTER_DAYS} days).", "inverse"),
        ])
        st.caption(f"Data of {data_date:%d %b %Y}" + (f"; changes{since}." if before else
                                                      "; import another month to see changes."))
    else:
        components.metric_row([ascore_metric])
        components.needs_data("backlinks", why="Growth, link types and concentration need the backlinks.")
    if not presentation.is_presenting():
        site_ascore_editor(authority)

    if "concentration" in found:
        st.subheader("Where your links come from")
        headline: ov.Concentration = found["concentration"]
        st.markdown(f"#### {headline.sentence()}")
        if headline.total_backlinks and headline.half_domains < headline.total_domains:
            st.caption(f"Half of your backlinks come from {headline.half_domains:,} "
                       f"{'website' if headline.half_domains == 1 else 'websites'}. A profile held by a few sites is "
                       "fragile: losing one of them loses many links at once.")
        show(figure["concentration"], key="overview_concentration")
    growth_section(figure, found.get("growth"))

    st.subheader("Link profile")
    left, middle, right = st.columns(3)
    with left:
        show(figure["ascore"], key="overview_ascore")
    if "link_types" in found:
        with middle:
            show(figure["link_types"], key="overview_link_types")
        with right:
            show(figure["rel"], key="overview_rel")
    left, right = st.columns(2)
    with left:
        show(figure["tlds"], key="overview_tlds")
    with right:
        show(figure["countries"], key="overview_countries")
    if "pages" in found:
        show(figure["pages"], key="overview_pages")

st.subheader("Data loaded")
held = snapshots.list_snapshots(workspace.id, root=state.data_root())
latest = {(s.kind, s.target_domain): s for s in held}
st.dataframe(
    [{"Kind": KINDS[kind].label, "About": target, "Rows": snap.rows, "Data date": snap.data_date,
      "Snapshots": sum(1 for s in held if (s.kind, s.target_domain) == (kind, target))}
     for (kind, target), snap in sorted(latest.items())],
    hide_index=True,
)
