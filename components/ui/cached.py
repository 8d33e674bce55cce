"""Work done once per (selection, data version), not once per rerun or per visitor.

Everything the compare page shows that depends only on the selection and the data is built once
and cached on plain keys: the data version (a content fingerprint of every data file,
``Dataset.version``) and the selection. Nothing is keyed on a frame's content, so a rerun (any
widget change) and every other visitor with the same selection pay a dictionary lookup.

- ``comparison_view``: the comparison's one view object (components/views/comparison.py: the
  charts, their words, tables, footnotes and file names, the headline cards), shared by every
  session through ``st.cache_resource``: read-only.
- The other views (``nuclear_badges``, ``relative_view``, ``group_side``) likewise; their tables
  are already inert (markup.inert_table).
- The badges and the relative measures read the selection's rows from its comparison view
  (``_selection_rows``); ``_values`` (the default rows of one metric for a group's members, for
  the group boxes) and ``cite_texts`` (which also depends on the link and the day) go through
  ``st.cache_data``: each caller gets its own copy.

The st.* side of the house (components/ui/): may import components.views, components.exports
and forcedata.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.views.comparison import ComparisonView, build_comparison
from components.views.markup import inert_table, plain
from components.views.relative_table import compact_relative
from forcedata import display, groups
from forcedata.frame import default_values
from forcedata.dataset import Dataset
from forcedata.relative import MEASURES, POPULATION, relative_measures

MAX_SELECTIONS = 256  # NOTE: bounded: a crawler walking every selection cannot grow memory without end


@st.cache_data(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _values(version: str, entities: tuple[str, ...], metrics: tuple[str, ...], _frame: pd.DataFrame) -> pd.DataFrame:
    """``default_values`` of a few ``metrics``, once per (entities, metrics, data version)."""
    return default_values(_frame, list(entities), list(metrics))


# NOTE: one view built at a time per process: the building is pure Python under one interpreter
# lock, so 25 sessions building at once only add switching between them (P6dc measured a new
# comparison at about twice its lone cost in a burst of 25); one at a time, each is done sooner
_BUILDING = threading.Lock()


@st.cache_resource(max_entries=MAX_SELECTIONS * 2, show_spinner=False)
def _comparison(version: str, entities: tuple[str, ...], basis: str, _ds: Dataset) -> ComparisonView:
    with _BUILDING:
        return build_comparison(_ds, entities, basis=basis)


def _selection_rows(version: str, entities: tuple[str, ...], metrics: tuple[str, ...], _ds: Dataset) -> pd.DataFrame:
    """The default rows of a few ``metrics`` for the selection: those of its comparison view
    (best available per entity), which the page has built already; the rule's picks per metric do
    not depend on which other metrics are asked for."""
    shown = _comparison(version, entities, "best", _ds).shown
    return shown[shown["metric"].isin(metrics)]


def comparison_view(ds: Dataset, entities: list[str], basis: str = "best") -> ComparisonView:
    """``views.comparison.build_comparison`` of the selection, built once per (selection, basis,
    data version) and shared by every session: read-only (the exports copy a figure before
    changing it)."""
    return _comparison(ds.version, tuple(entities), basis, ds)


@st.cache_data(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _cites(version: str, entities: tuple[str, ...], basis: str, permalink: str, accessed: str,
           _ds: Dataset) -> dict[str, str]:
    return {v.id: display.cite_text(v.rows, title=v.title, data_version=version, permalink=permalink,
                                    accessed=accessed)
            for v in _comparison(version, entities, basis, _ds).families if v.fig is not None}


def cite_texts(ds: Dataset, entities: list[str], *, permalink: str, accessed: str,
               basis: str = "best") -> dict[str, str]:
    """``display.cite_text`` of every drawn family by id, once per (selection, link, day, basis,
    data version)."""
    return _cites(ds.version, tuple(entities), basis, permalink, accessed, ds)


@st.cache_resource(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _badges(version: str, entities: tuple[str, ...], _ds: Dataset) -> tuple[tuple[str, str], ...]:
    rows = _selection_rows(version, entities, ("nuclear.warheads",), _ds).set_index("entity")
    badges = []
    for e in entities:
        text = display.nuclear_status(rows.loc[e] if e in rows.index else None)
        label = plain(f"{_ds.entities[e].header.name}: {text}")  # NOTE: names come from data files: inert
        badges.append(("red", f":material/warning: {label}") if text.startswith("Nuclear-armed") else ("gray", label))
    return tuple(badges)


def nuclear_badges(ds: Dataset, entities: list[str]) -> tuple[tuple[str, str], ...]:
    """(colour, inert label) of each entity's nuclear-status badge, once per (selection, data version)."""
    return _badges(ds.version, tuple(entities), ds)


@dataclass(frozen=True)
class RelativeView:
    has_population: bool
    table: pd.DataFrame  # a row per entity, a column per measure (views.relative_table; inert: markup.inert_table)
    notes: tuple[str, ...]
    sources: str = ""  # the figures' sources, said once (plain text)


@st.cache_resource(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _relative(version: str, entities: tuple[str, ...], _ds: Dataset) -> RelativeView:
    metrics = (POPULATION, *(m.numerator for m in MEASURES))
    shown = _selection_rows(version, entities, metrics, _ds)
    if not (shown["metric"] == POPULATION).any():
        return RelativeView(False, pd.DataFrame(), ())
    table, notes = relative_measures(shown, list(entities))
    names = {e: _ds.entities[e].header.name for e in entities}
    compact, sources = compact_relative(table, shown, entities, names)
    return RelativeView(True, inert_table(compact), tuple(notes), sources)


def relative_view(ds: Dataset, entities: list[str]) -> RelativeView:
    """Personnel per 1,000 people and spending per person, once per (selection, data version)."""
    return _relative(ds.version, tuple(entities), ds)


@dataclass(frozen=True)
class GroupSide:
    total: groups.GroupTotal
    members: pd.DataFrame  # forcedata.groups.member_values, inert (markup.inert_table): each member's figure


@st.cache_resource(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _group_side(version: str, members: tuple[str, ...], metric: str, name: str, _ds: Dataset) -> GroupSide:
    shown = _values(version, members, (metric,), _ds.frame)
    names = {e: ent.header.name for e, ent in _ds.entities.items()}
    return GroupSide(groups.group_total(shown, name=name, members=list(members), metric=metric),
                     inert_table(groups.member_values(shown, members=list(members), metric=metric, names=names)))


def group_side(ds: Dataset, members: list[str], metric: str, name: str) -> GroupSide:
    """A group's (or one entity's) total of ``metric`` and its members' figures, once per
    (members, metric, data version)."""
    return _group_side(ds.version, tuple(members), metric, name, ds)
