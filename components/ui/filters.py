"""Filters whose state lives in the URL, and the metric glossary at the point of use (st.*)."""

from __future__ import annotations

from typing import Callable, Iterable


from components.ui.url_state import url_choices
from components.views.markup import plain
from forcedata.schema import Metric


def metric_help(metrics: Iterable[Metric], intro: str = "") -> str:
    """Tooltip text: each metric's label, unit and catalogue definition (inert markdown)."""
    lines = [f"- **{plain(m.label)}** ({plain(m.unit)}): {plain(m.definition)}" for m in metrics]
    return "\n".join([intro, "", *lines] if intro else lines)


def url_multiselect(label: str, options: list[str], *, key: str, param: str,
                    format_func: Callable[[str], str], help: str = "", what: str = "id",
                    placeholder: str = "All") -> list[str]:
    """A multiselect of filter values kept in ``?param=a,b`` (none chosen: all, and no parameter)."""
    return url_choices(label, {o: format_func(o) for o in options}, key=key, param=param, default=[],
                       what=what, help=help or None, placeholder=placeholder)
