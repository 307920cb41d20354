"""Filter widgets shared by the pages. Each returns plain values; lib applies them."""

from __future__ import annotations

from datetime import date

import streamlit as st


def ascore_range(key: str, label: str = "Authority Score", container=st) -> tuple[int, int]:
    low, high = container.slider(label, 0, 100, (0, 100), key=key)
    return int(low), int(high)


def choices(label: str, options, key: str, container=st, help: str | None = None) -> list:
    """A multiselect where nothing chosen means everything."""
    return container.multiselect(label, sorted(o for o in options if o), key=key, placeholder="All", help=help)


def search(key: str, placeholder: str = "Search", container=st) -> str:
    return container.text_input("Search", key=key, placeholder=placeholder, label_visibility="collapsed").strip()


def date_range(label: str, first: date, last: date, key: str, container=st) -> tuple[date, date]:
    picked = container.date_input(label, value=(first, last), min_value=first, max_value=last, key=key)
    if isinstance(picked, tuple) and len(picked) == 2:
        return picked[0], picked[1]
    # While the user has clicked only the start of a range, keep the end open.
    start = picked[0] if isinstance(picked, tuple) and picked else first
    return start, last


def labelled_choices(label: str, options: dict[str, str], key: str, container=st, help: str | None = None) -> list:
    """A multiselect over codes shown by their labels (e.g. categories); nothing chosen means everything."""
    return container.multiselect(label, list(options), format_func=lambda code: options.get(code, code), key=key,
                                 placeholder="All", help=help)
