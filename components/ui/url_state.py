"""A widget kept in the URL: the one helper every page uses (st.*).

A link reproduces a view: each widget is seeded from its URL parameter on a session's first run
and written back on every run. The README's promises live here, once:

- A value in the link is data, never markup: what is not understood is named in a short, inert
  note (at most ``MAX_SHOWN_IDS`` values, each cut to ``MAX_ID_CHARS`` characters, "and N more")
  and ignored; the page never fails on a link.
- A repeated list key (``?c=PAK&c=AFG``) reads as one list; a repeated single key keeps its last
  value (Streamlit's rule). Matching is case-insensitive.
- A default is kept out of the link (a short link), unless ``keep_default``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from components.views.markup import plain

MAX_SHOWN_IDS, MAX_ID_CHARS = 10, 20
MAX_PARAM_CHARS = 2000  # NOTE: longer URL values are cut before they are parsed at all


def url_value(param: str) -> str | None:
    """One text value from the URL (the LAST of repeats, as Streamlit keeps), or None when absent.
    The value is data, never markup: show it only through ``plain`` or a code/text element."""
    values = st.query_params.get_all(param)
    return values[-1][:MAX_PARAM_CHARS] if values else None


def url_list(param: str, known: list[str]) -> tuple[list[str], list[str]]:
    """Ids from ``?param=PAK,AFG``: (known ids in URL order, unknown ones as written). Repeated
    keys are merged in order (``?c=PAK&c=AFG`` reads as ``?c=PAK,AFG``); ids are matched
    case-insensitively; duplicates are dropped."""
    raw = ",".join(v[:MAX_PARAM_CHARS] for v in st.query_params.get_all(param))
    by_key = {k.lower(): k for k in known}
    found, unknown = [], []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        if part.lower() in by_key:
            if by_key[part.lower()] not in found:
                found.append(by_key[part.lower()])
        else:
            unknown.append(part)
    return found, unknown


def shorten(values: list[str], *, limit: int = MAX_SHOWN_IDS, width: int = MAX_ID_CHARS) -> str:
    """'“a”, “b”, “c” and 12 more', each item cut to ``width`` characters, as inert markdown."""
    shown = [plain(v if len(v) <= width else v[: width - 1] + "…") for v in values[:limit]]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(f"“{v}”" for v in shown) + more


def render_url_note(param: str, bad: list[str], *, what: str = "id", hint: str = "") -> None:
    """A short, inert note about values in the link that were not understood (and ignored)."""
    if not bad:
        return
    text = f"Ignored {what}(s) in the link (`?{param}=`): {shorten(bad)}."
    st.warning(text + (f" {plain(hint)}" if hint else ""), icon=":material/warning:")


def url_choice(widget: Callable[..., Any], label: str, options: Mapping[str, str], *, key: str, param: str,
               default: str, what: str = "value", hint: str = "", keep_default: bool = False,
               from_url: Callable[[str], str | None] | None = None, **widget_args: Any) -> str:
    """One choice among ``options`` (id -> label) drawn by ``widget`` (st.selectbox, st.radio,
    st.segmented_control), kept in ``?param=``.

    Args:
        widget: the Streamlit widget, called with ``label, options=..., format_func=..., key=...``.
        options: id -> label, in display order.
        key, param: the widget's session key and its URL parameter.
        default: the id chosen without (or with a bad) URL value; kept out of the link unless
            ``keep_default``.
        what, hint: how the note names a value it did not understand, and what to write instead.
        from_url: reads a raw URL value as an option id (None: not understood); by default, the
            option whose id matches case-insensitively.
    """
    if key not in st.session_state:
        raw = url_value(param)
        by_lower = {k.lower(): k for k in options}
        read = from_url or (lambda text: by_lower.get(text.strip().lower()))
        chosen = read(raw) if raw is not None else None
        if raw is not None and chosen not in options:
            render_url_note(param, [raw], what=what, hint=hint)
        st.session_state[key] = chosen if chosen in options else default
    value = widget(label, options=list(options), format_func=options.get, key=key, **widget_args)
    _write(param, value, default, keep_default)
    return value


def url_choices(label: str, options: Mapping[str, str], *, key: str, param: str, default: list[str],
                what: str = "id", hint: str = "", keep_default: bool = False, limit: int | None = None,
                screen: Callable[[list[str]], list[str]] | None = None, items: str = "values",
                shown_as: str = "at most {limit} are shown", **widget_args: Any) -> list[str]:
    """Several of ``options`` (id -> label) in a multiselect, kept in ``?param=a,b``.

    Args:
        limit: at most this many; the link's extra ones are named in a note and left out ("The link
            names 8 {items}; {shown_as}, so “Russia”, “Ukraine” were left out.").
        screen: called once with the link's unknown values; returns those it did not explain
            itself (the compare page warns of an id whose data file is broken), which the note
            names.
        Other arguments: as ``url_choice``.
    """
    if key not in st.session_state:
        known, unknown = url_list(param, list(options))
        render_url_note(param, screen(unknown) if screen else unknown, what=what, hint=hint)
        if limit is not None and (dropped := known[limit:]):
            st.warning(f"The link names {len(known)} {items}; {shown_as.format(limit=limit)}, so "
                       f"{shorten([options[e] for e in dropped])} {'was' if len(dropped) == 1 else 'were'} "
                       "left out.", icon=":material/warning:")
        st.session_state[key] = (known or [d for d in default if d in options])[:limit]
    value = st.multiselect(label, options=list(options), format_func=options.get, key=key,
                           max_selections=limit, **widget_args)
    _write(param, ",".join(value), ",".join(default), keep_default, empty_is_default=not keep_default)
    return value


def url_flag(label: str, *, key: str, param: str, default: bool = False, **widget_args: Any) -> bool:
    """An on/off toggle kept in ``?param=1`` or ``?param=0`` (anything else: a note and the default)."""
    if key not in st.session_state:
        raw = url_value(param)
        if raw is not None and raw not in ("0", "1"):
            render_url_note(param, [raw], what="value", hint=f"Use {param}=1 or {param}=0.")
        st.session_state[key] = raw == "1" if raw in ("0", "1") else default
    on = st.toggle(label, key=key, **widget_args)
    _write(param, "1" if on else "0", "1" if default else "0", keep_default=False)
    return on


def _write(param: str, value: str, default: str, keep_default: bool, empty_is_default: bool = False) -> None:
    if (value == default and not keep_default) or (empty_is_default and not value):
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value
