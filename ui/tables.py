"""One way to show a table: bounded rows in the browser, typed columns, safe links, full downloads."""

from __future__ import annotations

import hashlib
import re
import threading
import weakref

import pandas as pd
import streamlit as st

from lib import export

MAX_ROWS = 5_000
_SAFE_URL = re.compile(r"^https?://", re.I)


def column_label(name: str, overrides: dict | None = None) -> str:
    """The header a column shows: the page's label for it, else its name in words."""
    override = (overrides or {}).get(name)
    if isinstance(override, str):
        return override
    if isinstance(override, dict) and override.get("label"):
        return str(override["label"])
    return str(name).replace("_", " ").capitalize()


def column_config(frame: pd.DataFrame, overrides: dict | None = None) -> dict:
    """Column types from names and dtypes: links (http/https only), Authority Score bars, dates."""
    config: dict = {}
    for name in frame.columns:
        label = column_label(name)
        series = frame[name]
        if "ascore" in name or name in ("authority_score", "toxicity_score", "risk_score", "priority"):
            config[name] = st.column_config.ProgressColumn(label, min_value=0, max_value=100, format="%d")
        elif name.endswith("url") and pd.api.types.is_string_dtype(series):
            config[name] = (st.column_config.LinkColumn(label) if _web_links(frame, name)
                            else st.column_config.TextColumn(label))
        elif pd.api.types.is_datetime64_any_dtype(series):
            config[name] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        else:
            config[name] = label
    for name, override in (overrides or {}).items():
        if _is_link(override) and name in frame.columns and not _web_links(frame, name):
            # A page asking for links does not get them where a value is not http(s): text instead.
            override = st.column_config.TextColumn(override.get("label"), width=override.get("width"),
                                                   help=override.get("help"), pinned=override.get("pinned"))
        config[name] = override
    return config


def _web_links(frame: pd.DataFrame, name: str) -> bool:
    # Checked once per shown frame (the same object on every rerun of a cached page), not on each rerun.
    return remembered(frame, ("web_links", name), lambda: _all_web_links(frame[name]))


def _all_web_links(series: pd.Series) -> bool:
    """True when every value is an http(s) URL: a javascript: or data: value must never become a link."""
    values = series.dropna().astype("str")
    return values.empty or bool(values.str.match(_SAFE_URL).all())


def _is_link(column: object) -> bool:
    return isinstance(column, dict) and (column.get("type_config") or {}).get("type") == "link"


# Pages hand the same cached (st.cache_resource, read-only) frame to a table on every rerun; sorting its
# 98,000 rows or hashing its keys again each time is most of a rerun. Results are remembered per frame object
# and forgotten when that object is freed (weakref.finalize), so a recycled id() never finds a stale entry.
_memo: dict[int, dict] = {}
_memo_lock = threading.Lock()


def remembered(frame: pd.DataFrame, key: tuple, compute):
    """compute(), remembered for this frame object under `key` until the frame is freed."""
    with _memo_lock:
        entries = _memo.get(id(frame))
        if entries is not None and key in entries:
            return entries[key]
    value = compute()
    with _memo_lock:
        if id(frame) not in _memo:
            _memo[id(frame)] = {}
            weakref.finalize(frame, _memo.pop, id(frame), None)
        _memo[id(frame)][key] = value
    return value


def _spec(value):
    return tuple(value) if isinstance(value, list) else value


def bounded(frame: pd.DataFrame, sort_by: str | list[str] | None, ascending: bool | list[bool] = False,
            limit: int = MAX_ROWS) -> pd.DataFrame:
    """The rows a browser gets: at most `limit`, the most important first."""
    return remembered(frame, ("bounded", _spec(sort_by), _spec(ascending), limit),
                       lambda: _bounded(frame, sort_by, ascending, limit))


def _bounded(frame: pd.DataFrame, sort_by: str | list[str] | None, ascending: bool | list[bool],
             limit: int) -> pd.DataFrame:
    if sort_by is not None and len(frame) > limit:
        return frame.sort_values(sort_by, ascending=ascending, kind="stable").head(limit)
    if sort_by is not None:
        return frame.sort_values(sort_by, ascending=ascending, kind="stable")
    return frame.head(limit)


def data_table(frame: pd.DataFrame, *, key: str, sort_by: str | list[str] | None = None,
               ascending: bool | list[bool] = False, columns: list[str] | None = None,
               overrides: dict | None = None, file_stem: str = "linkscope", select: bool = False,
               height: int | str = "auto", what: str = "rows"):
    """Show a table and offer all of its rows as CSV and XLSX; returns the selected rows' frame if `select`."""
    shown = bounded(frame, sort_by, ascending)
    if columns:
        shown = shown[[c for c in columns if c in shown.columns]]
    if len(frame) > len(shown):
        keys = [sort_by] if isinstance(sort_by, str) else list(sort_by or [])
        order = f", sorted by {', '.join(column_label(k, overrides) for k in keys)}" if keys else ""
        st.caption(f"Showing the first {len(shown):,} of {len(frame):,} {what}{order}. "
                   f"The downloads hold all {len(frame):,}.")
    else:
        st.caption(f"{len(frame):,} {what}")
    event = st.dataframe(
        shown, key=key, hide_index=True, column_config=column_config(shown, overrides), height=height,
        on_select="rerun" if select else "ignore", selection_mode="multi-row" if select else "multi-row",
    )
    download_buttons(frame if not columns else frame[[c for c in columns if c in frame.columns]],
                     key=key, file_stem=file_stem)
    if select:
        rows = event.selection.rows if event is not None else []
        # A selection outlives a rerun whose rows changed (a filter narrowed them): drop positions now gone.
        return shown.iloc[[r for r in rows if 0 <= r < len(shown)]]
    return None


def download_buttons(frame: pd.DataFrame, *, key: str, file_stem: str) -> None:
    left, right, _ = st.columns([1, 1, 4])
    # Callables: the files are built only when clicked, not on every rerun.
    left.download_button("Download CSV", data=lambda: export.csv_bytes(frame), file_name=f"{file_stem}.csv",
                         mime="text/csv", key=f"{key}_csv", icon=":material/download:")
    if len(frame) <= export.XLSX_MAX_ROWS:
        right.download_button(
            "Download XLSX", data=lambda: export.xlsx_bytes(frame), file_name=f"{file_stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
            icon=":material/table_view:",
        )


def selection_key(base: str, frame: pd.DataFrame, identity: str) -> str:
    """A table key that changes whenever the rows (by their `identity` column, in order) change.

    Streamlit remembers a selection by row position: after a filter changes the rows, position 0 would be
    another domain or anchor. A new key starts a new, empty selection instead.
    """
    def digest() -> str:
        hashed = pd.util.hash_pandas_object(frame[identity], index=False).to_numpy()
        return hashlib.sha1(hashed.tobytes()).hexdigest()[:12]

    return f"{base}_{remembered(frame, ('selection_key', identity), digest)}"
