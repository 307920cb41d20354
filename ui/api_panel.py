"""Fetching a workspace's data from the Semrush API: key, cost estimate, confirmation, progress.

The key is read from st.secrets or $SEMRUSH_API_KEY, or typed into a password field that lives
in this browser session only. It is never shown, written to disk, or put into a message.
"""

from __future__ import annotations

import hashlib
import os

import streamlit as st

from lib import importer, snapshots
from lib.semrush import fetch, site_scores, usage
from lib.semrush.cache import ResponseCache
from lib.semrush.client import FetchResult, SemrushClient
from lib.semrush.errors import SemrushError
from lib.semrush.reports import TARGET_TYPES, get_report
from lib.workspaces import Workspace, get_setting, set_setting
from ui import components, state

KEY_NAME = "SEMRUSH_API_KEY"
SESSION_KEY = "semrush_api_key"
# Every report a page can use. The overview fills the site's Authority Score, the history its score per
# month (and the monthly counts); the gap is stored as a Backlink Gap snapshot for the Gap page.
REPORT_CHOICES = ("backlinks_overview", "backlinks", "backlinks_refdomains", "backlinks_anchors", "backlinks_pages",
                  "backlinks_tld", "backlinks_geo", "backlinks_refips", "backlinks_historical", "backlinks_matrix")
# Checked by default: what the pages need most, and the overview (one request, 40 units).
DEFAULT_CHOICES = ("backlinks_overview", "backlinks", "backlinks_refdomains", "backlinks_anchors", "backlinks_pages")
TARGET_TYPE_LABELS = {"root_domain": "Root domain (with all subdomains)", "domain": "This domain only",
                      "url": "One URL"}


def _configured_key() -> tuple[str, str]:
    """(key, where it came from) from secrets or the environment; ('', '') when neither has one."""
    try:
        secret = st.secrets.get(KEY_NAME, "")
    except Exception:  # noqa: BLE001 - no secrets.toml is the normal case, whatever Streamlit raises for it
        secret = ""
    if secret:
        return str(secret), "Streamlit secrets"
    if os.environ.get(KEY_NAME):
        return os.environ[KEY_NAME], f"the {KEY_NAME} environment variable"
    return "", ""


def api_key() -> str:
    key, _ = _configured_key()
    return key or st.session_state.get(SESSION_KEY, "")


@st.cache_resource(show_spinner=False, max_entries=4)
def _client(key_fingerprint: str, base_url: str, _key: str) -> SemrushClient:
    # Keyed by a fingerprint: the key itself is excluded from the cache key (leading underscore).
    return SemrushClient(_key, base_url=base_url or None, cache=ResponseCache())


def client_for(key: str) -> SemrushClient:
    fingerprint = hashlib.sha256(key.encode()).hexdigest()[:16]
    return _client(fingerprint, os.environ.get("SEMRUSH_API_URL", ""), key)


def render(workspace: Workspace) -> None:
    st.markdown("Fetch this workspace's data with **your own Semrush API key** (Business plan with API units). "
                "Answers are cached on disk for 7 days without the key, so fetching again costs nothing.")
    key, source = _configured_key()
    if key:
        st.success(f"Using the API key from {source}.", icon=":material/key:")
    else:
        typed = st.text_input("Semrush API key", type="password", key="semrush_key_input",
                              help="Kept in this browser session only; never saved or shown.")
        if typed:
            st.session_state[SESSION_KEY] = typed.strip()
    key = api_key()
    if os.environ.get("SEMRUSH_API_URL"):
        st.caption("Talking to the API address set in SEMRUSH_API_URL (for example the local fake Semrush server).")

    reports = st.multiselect("Reports for your site", REPORT_CHOICES, default=list(DEFAULT_CHOICES),
                             format_func=lambda r: get_report(r).label, key="api_reports",
                             help="Backlinks overview fills in your site's Authority Score; Backlinks history "
                                  "its score month by month; Backlink gap compares you with the competitors.")
    target_type, target = _target(workspace)
    if target is None:
        return
    with_competitors = st.checkbox(f"Referring domains of the {len(workspace.competitors)} competitors (for the gap)",
                                   value=bool(workspace.competitors), disabled=not workspace.competitors)
    left, right = st.columns(2)
    max_rows = left.number_input("At most rows per report", 100, 1_000_000, 10_000, step=1_000, key="api_max_rows",
                                 help="Every row costs API units: keep this as low as your analysis allows.")
    refresh = right.checkbox("Ignore the cache (fetch fresh data)", key="api_refresh")
    _budget(workspace)

    if not key:
        st.info("Enter an API key to estimate and fetch.", icon=":material/info:")
        return
    competitor_reports = fetch.DEFAULT_COMPETITOR_REPORTS if with_competitors else ()
    jobs = fetch.plan(workspace.own_domain, workspace.competitors, reports, competitor_reports,
                      target_type=target_type, target=target)
    if "backlinks_matrix" in reports and not workspace.competitors:
        st.caption("The backlink gap needs competitors: add them under Workspace settings.")
    if not jobs:
        return
    client = client_for(key)
    units = fetch.estimate(client, jobs, int(max_rows), refresh=refresh)
    st.markdown(f"**Estimated cost: {units:,} API units** at most, for {len(jobs)} report(s): "
                + ", ".join(components.md_escape(job.label) for job in jobs) + ". Reports already cached cost nothing.")
    if st.button(f"Fetch now ({units:,} units)", type="primary", icon=":material/cloud_download:"):
        _run(workspace, client, jobs, int(max_rows), refresh)
    for line in st.session_state.get("api_results", []):
        st.write(line)


def _target(workspace: Workspace) -> tuple[str, str | None]:
    """(target type, target) for the site's reports; target None when the URL typed is not one."""
    target_type = st.selectbox("Fetch your site as", TARGET_TYPES, key="api_target_type",
                               format_func=TARGET_TYPE_LABELS.get,
                               help="Semrush's target type. Backlinks history and the backlink gap always use "
                                    "root domains; the Authority Score is saved from a root-domain overview only.")
    if target_type != "url":
        return target_type, workspace.own_domain
    url = st.text_input("URL", f"https://{workspace.own_domain}/", key="api_target_url").strip()
    if not url.lower().startswith(("http://", "https://")) or len(url.split("//", 1)[1].strip("/")) == 0:
        st.error("Type the full address of one page, starting with https://.", icon=":material/error:")
        return target_type, None
    return target_type, url


def _budget(workspace: Workspace) -> None:
    root = state.data_root()
    budget = usage.get_budget(workspace.id, root=root)
    spent = usage.spent_this_month(workspace.id, root=root)
    with st.expander(f"API units this month: {spent:,} spent" + (f" of a {budget:,} budget" if budget else "")):
        value = st.number_input("Monthly budget in API units (0 = no cap)", 0, 100_000_000, budget or 0,
                                step=10_000, key="api_budget")
        if st.button("Save budget"):
            usage.set_budget(workspace.id, int(value) or None, root=root)
            st.rerun()


def _run(workspace: Workspace, client: SemrushClient, jobs: list[fetch.FetchJob], max_rows: int,
         refresh: bool) -> None:
    bar = st.progress(0.0, text="Starting…")
    root = state.data_root()
    try:
        results = fetch.fetch_jobs(
            client, workspace.id, jobs, max_rows,
            progress=lambda step: bar.progress(min(max(step.fraction, 0.0), 1.0), text=step.text),
            refresh=refresh, root=root)
    except SemrushError as error:
        bar.empty()
        st.error(error.message, icon=":material/error:")
        return
    lines = []
    stored: list[snapshots.Snapshot] = []
    settings: dict[str, object] = {}
    try:
        for job, result in results:
            where = f"from cache, {result.age_text}" if result.from_cache else \
                f"fetched now, {result.units_spent:,} units"
            about = f"{get_report(job.report).label} of {job.target}"
            normalized = result.normalized
            if not len(normalized.frame):
                # An empty snapshot would become the latest of its kind and hide the last good data.
                lines.append(f"{about}: Semrush has no data for it ({where}); nothing was stored.")
                continue
            if job.report == "backlinks_overview":
                lines.append(f"{about}: {_overview_line(workspace, job, result, settings)} ({where}).")
                continue
            if job.report == "backlinks_historical":
                lines.append(f"{about}: {_history_line(workspace, result, settings)} ({where}).")
                continue
            stored.append(importer.store_normalized(workspace, normalized, target_domain=job.domain, source="api",
                                                    source_name=f"API {job.label}", root=root))
            lines.append(f"{about}: {len(normalized.frame):,} rows, {where}.")
        for name, value in settings.items():  # written last: a failed save above leaves them untouched
            set_setting(workspace.id, name, value, root)
    except Exception as error:  # noqa: BLE001 - all or nothing per fetch: undo the snapshots already kept
        for snapshot in stored:
            snapshots.delete_snapshot(snapshot.id, root)
        bar.empty()
        st.error(f"The fetched data could not be saved ({type(error).__name__}); nothing from this fetch was "
                 "kept. The answers received are in the cache, so trying again costs no API units.",
                 icon=":material/error:")
        return
    bar.progress(1.0, text="Done")
    st.session_state["api_results"] = lines
    st.rerun()


def _scores(workspace: Workspace, settings: dict[str, object]) -> dict:
    if site_scores.SITE_ASCORE not in settings:
        settings[site_scores.SITE_ASCORE] = get_setting(workspace.id, site_scores.SITE_ASCORE, {},
                                                        state.data_root()) or {}
    return settings[site_scores.SITE_ASCORE]  # type: ignore[return-value]


def _overview_line(workspace: Workspace, job: fetch.FetchJob, result: FetchResult, settings: dict) -> str:
    score = site_scores.overview_score(result.frame)
    if score is None:
        return "no Authority Score in the answer"
    if job.target_type != "root_domain" or job.target != workspace.own_domain:
        return f"Authority Score {score} (not saved as your site's: only a root-domain overview is)"
    day = result.fetched_at.date()  # the day Semrush answered, also for an answer from the cache
    settings[site_scores.SITE_ASCORE] = site_scores.merge_scores(_scores(workspace, settings), today=(day, score))
    return f"Authority Score {score}, saved as your site's score of {day:%d %b %Y}"


def _history_line(workspace: Workspace, result: FetchResult, settings: dict) -> str:
    monthly = site_scores.history_scores(result.frame)
    before = _scores(workspace, settings)
    merged = site_scores.merge_scores(before, monthly=monthly)
    settings[site_scores.SITE_ASCORE] = merged
    counts = dict(get_setting(workspace.id, site_scores.BACKLINKS_HISTORY, {}, state.data_root()) or {})
    counts.update(site_scores.history_counts(result.frame))
    settings[site_scores.BACKLINKS_HISTORY] = counts
    filled = len(merged) - len(before)
    return (f"{len(result.frame):,} months of backlink counts kept; your site's Authority Score filled in for "
            f"{filled} month(s) that had none")
