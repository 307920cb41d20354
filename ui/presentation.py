"""Presentation mode: what a client sees when the dashboard is screen-shared.

Turned on by the sidebar toggle or by opening any page with `?present=1`. Pages ask `is_presenting()` and
leave out what a client should not see (API key fields, upload and settings widgets, file names, private
notes). `apply(workspace)` runs once per script run from app.py: larger metric figures, no Streamlit
toolbar or Deploy button, and the client's workspace name (and logo) as the page header.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import logo
from lib.workspaces import Workspace
from ui import components, state

PARAM = "present"
STATE_KEY = "presentation_mode"
_ON_VALUES = frozenset({"1", "true", "yes", "on"})

HIDDEN_NOTE = "Hidden in presentation mode."

# Static CSS written here, never built from data. Toolbar, main menu, Deploy button and the running-man
# status go away; metric figures get bigger; tracebacks (file paths of the server) are not shown to a client.
_STYLE = """
<style>
[data-testid="stToolbar"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"], .stDeployButton,
[data-testid="stStatusWidget"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMetricValue"] { font-size: 2.5rem !important; line-height: 1.15; }
[data-testid="stMetricDelta"] { font-size: 1.05rem !important; }
[data-testid="stMainBlockContainer"] { padding: 2.5rem 2rem 4rem 2rem !important; }
[data-testid="stException"] pre, [data-testid="stExceptionTraceback"] { display: none !important; }
</style>
"""


def _from_url() -> bool:
    return str(st.query_params.get(PARAM, "")).strip().lower() in _ON_VALUES


def is_presenting() -> bool:
    """True when the sidebar toggle is on, or (before the toggle has been drawn) the URL says ?present=1."""
    if STATE_KEY in st.session_state:
        return bool(st.session_state[STATE_KEY])
    return _from_url()


def _sync_url() -> None:
    # The URL follows the toggle, so a reload or a shared link keeps the mode.
    if st.session_state.get(STATE_KEY):
        st.query_params[PARAM] = "1"
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def toggle(container=st.sidebar) -> bool:
    """The sidebar switch; its first value in a browser session comes from the URL."""
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = _from_url()
    container.toggle("Presentation mode", key=STATE_KEY, on_change=_sync_url,
                     help="For client calls: hides API keys, uploads, settings, file names and private notes, "
                          "and shows bigger figures. Or open any page with ?present=1.")
    presenting = bool(st.session_state[STATE_KEY])
    if presenting and not _from_url():
        # Switching pages drops the parameter; put it back so a reload stays in presentation mode.
        st.query_params[PARAM] = "1"
    return presenting


def apply_style() -> None:
    st.html(_STYLE)


def header(workspace: Workspace) -> None:
    """The client's name (and logo) at the top of every page."""
    image = logo.load_logo(workspace.id, state.data_root())
    if image:
        left, right = st.columns([1, 9], vertical_alignment="center")
        left.image(image, width="stretch")
        right.markdown(f"## {components.md_message(workspace.name)}")
    else:
        st.markdown(f"## {components.md_message(workspace.name)}")


def apply(workspace: Workspace) -> None:
    """Called once per run by app.py, after the sidebar: style and header when presenting."""
    if is_presenting():
        apply_style()
        header(workspace)


def hidden(what: str) -> None:
    """The short note a page shows where it left something out."""
    st.caption(f":material/visibility_off: {what}: {HIDDEN_NOTE[0].lower()}{HIDDEN_NOTE[1:]}")


PRIVATE_NOTE_HELP = ("A private note is hidden in presentation mode; untick to show it to a client on a shared "
                     "screen. The client report holds no notes.")


def shareable_notes(frame: pd.DataFrame, note: str = "note", private: str = "note_private") -> pd.DataFrame:
    """`frame` with every private note blanked: what a shared screen may show (and search)."""
    hidden = frame[private].to_numpy(dtype=bool) if private in frame else True
    return frame.assign(**{note: frame[note].where(~pd.Series(hidden, index=frame.index), "")})


def private_note_toggle(key: str, current: pd.Series | None = None) -> bool:
    """The "Private note" checkbox of a note field: ticked unless every chosen item's note is shared."""
    shared = current is not None and len(current) > 0 and not current.fillna(True).astype(bool).any()
    return st.checkbox("Private note", value=not shared, key=key, help=PRIVATE_NOTE_HELP)
