"""Showing Plotly figures the same way everywhere."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def show(fig: go.Figure, key: str) -> None:
    # theme="streamlit" adapts fonts and text colours to the viewer's light or dark theme.
    st.plotly_chart(fig, key=key, theme="streamlit", config=CONFIG, width="stretch")
