"""Fetching a workspace's data from the Semrush API: key, cost estimate, confirmation, progress.

The key is read from st.secrets or $SEMRUSH_API_KEY, or typed into a password field that lives
in this browser session only. It is never shown, written to disk, or put into a message.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date

import streamlit as st

from lib import importer, snapshots
from lib.semrush import fetch, usage
from lib.semrush.cache import ResponseCache
from lib.semrush.client import SemrushClient
from lib.semrush.errors import SemrushError
from lib.semrush.reports import get_report
from lib.workspaces import Workspace, get_setting, set_setting
from ui import state

KEY_NAME = "SEMRUSH_API_KEY"
SESSION_KEY = "semrush_api_key"
REPORT_CHOICES = ("backlinks", "backlinks_refdomains", "backlinks_anchors", "backlinks_pages")


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

    reports = st.multiselect("Reports for your site", REPORT_CHOICES, default=list(REPORT_CHOICES),
                             format_func=lambda r: get_report(r).label, key="api_reports")
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
    if not reports and not with_competitors:
        return
    client = client_for(key)
    competitors = workspace.competitors if with_competitors else ()
    jobs = fetch.plan(workspace.own_domain, competitors, reports)
    units = fetch.estimate(client, jobs, int(max_rows), refresh=refresh)
    st.markdown(f"**Estimated cost: {units:,} API units** at most, for {len(jobs)} report(s): "
                + ", ".join(job.label for job in jobs) + ". Reports already cached cost nothing.")
    if st.button(f"Fetch now ({units:,} units)", type="primary", icon=":material/cloud_download:"):
        _run(workspace, client, reports, competitors, int(max_rows), refresh)
    for line in st.session_state.get("api_results", []):
        st.write(line)


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


def _run(workspace: Workspace, client: SemrushClient, reports, competitors, max_rows: int, refresh: bool) -> None:
    bar = st.progress(0.0, text="Starting…")
    try:
        results = fetch.fetch_workspace_reports(
            client, workspace.id, workspace.own_domain, competitors, reports, max_rows,
            progress=lambda step: bar.progress(min(max(step.fraction, 0.0), 1.0), text=step.text),
            refresh=refresh, root=state.data_root())
    except SemrushError as error:
        bar.empty()
        st.error(error.message, icon=":material/error:")
        return
    lines = []
    stored: list[snapshots.Snapshot] = []
    try:
        for report, target, normalized, result in results:
            where = f"from cache, {result.age_text}" if result.from_cache else \
                f"fetched now, {result.units_spent:,} units"
            label = get_report(report).label
            if normalized.kind.name == "backlinks_overview":
                _remember_site_ascore(workspace, normalized.frame)
                lines.append(f"Overview of {target}: {where}.")
                continue
            if not len(normalized.frame):
                # An empty snapshot would become the latest of its kind and hide the last good data.
                lines.append(f"{label} of {target}: Semrush has no data for it ({where}); nothing was stored.")
                continue
            stored.append(importer.store_normalized(workspace, normalized, target_domain=target, source="api",
                                                    source_name=f"API {label}", root=state.data_root()))
            lines.append(f"{label} of {target}: {len(normalized.frame):,} rows, {where}.")
    except Exception as error:  # noqa: BLE001 - all or nothing per fetch: undo the snapshots already kept
        for snapshot in stored:
            snapshots.delete_snapshot(snapshot.id, state.data_root())
        bar.empty()
        st.error(f"The fetched data could not be saved ({type(error).__name__}); nothing from this fetch was "
                 "kept. The answers received are in the cache, so trying again costs no API units.", icon=":material/error:")
        return
    bar.progress(1.0, text="Done")
    st.session_state["api_results"] = lines
    st.rerun()


def _remember_site_ascore(workspace: Workspace, frame) -> None:
    if "authority_score" in frame and len(frame) and frame["authority_score"].notna().any():
        history = dict(get_setting(workspace.id, "site_ascore", {}, state.data_root()))
        history[date.today().isoformat()] = int(frame["authority_score"].dropna().iloc[0])
        set_setting(workspace.id, "site_ascore", history, state.data_root())
