"""Filters whose state lives in the URL, and the metric glossary at the point of use (st.*)."""

from __future__ import annotations

from typing import Callable, Iterable

import streamlit as st

from components.ui.state import ids_from_url, write_ids_to_url
from components.ui.widgets import plain, render_url_note
from forcedata.schema import Metric


def metric_help(metrics: Iterable[Metric], intro: str = "") -> str:
    """Tooltip text: each metric's label, unit and catalogue definition (inert markdown)."""
    lines = [f"- **{plain(m.label)}** ({plain(m.unit)}): {plain(m.definition)}" for m in metrics]
    return "\n".join([intro, "", *lines] if intro else lines)


def url_multiselect(label: str, options: list[str], *, key: str, param: str,
                    format_func: Callable[[str], str], help: str = "", what: str = "id",
                    placeholder: str = "All") -> list[str]:
    """A multiselect seeded from ``?param=a,b`` (unknown values get a visible note) and written
    back to it, so a link reproduces the filter."""
    if key not in st.session_state:
        known, unknown = ids_from_url(param, options)
        render_url_note(param, unknown, what=what)
        st.session_state[key] = known
    selected = st.multiselect(label, options=options, format_func=format_func, key=key, help=help or None,
                              placeholder=placeholder)
    if selected:
        write_ids_to_url(param, selected)
    elif param in st.query_params:
        del st.query_params[param]
    return selected
