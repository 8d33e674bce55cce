"""Work done once per (selection, data version), not once per rerun or per visitor.

Everything the compare page shows that depends only on the selection and the data (the default
rows, each family's chart, its description and data table, the headline cards, the relative
measures, a group's total) is built once and cached on plain keys: the data version (a content
fingerprint of every data file, ``Dataset.version``) and the selection. Nothing is keyed on a
frame's content, so a rerun (any widget change) and every other visitor with the same selection
pay a dictionary lookup, not a hash of the rows.

- ``shown_values`` and ``cite_texts`` (which also depend on the link and the day) go through
  ``st.cache_data``: each caller gets its own copy.
- The views (``family_views``, ``headline_cards``, ``relative_view``, ``group_side``) go through
  ``st.cache_resource``: one object is shared by every session, so they are frozen dataclasses
  and callers must treat their figures and frames as read-only (``layout_for_export`` and the
  exports copy a figure before changing anything). Their tables are already inert (markup.inert_table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import family_chart
from components.export import chart_year, export_filename
from components.markup import inert_table, plain
from forcedata import display, groups
from forcedata.frame import default_values
from forcedata.load import Dataset
from forcedata.relative import MEASURES, POPULATION, relative_measures

MAX_SELECTIONS = 256  # NOTE: bounded: a crawler walking every selection cannot grow memory without end


@st.cache_data(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _values(version: str, entities: tuple[str, ...], metrics: tuple[str, ...] | None,
            _frame: pd.DataFrame, basis: str = "best") -> pd.DataFrame:
    return default_values(_frame, list(entities), list(metrics) if metrics is not None else None, basis)


def shown_values(ds: Dataset, entities: list[str], metrics: list[str] | None = None,
                 basis: str = "best") -> pd.DataFrame:
    """``default_values(ds.frame, entities, metrics, basis)``, computed once per data version."""
    return _values(ds.version, tuple(entities), tuple(metrics) if metrics is not None else None, ds.frame, basis)


@dataclass(frozen=True)
class FamilyView:
    """One family of the compare page for one selection: shared by every session, read-only."""

    id: str
    label: str
    fig: go.Figure | None  # None: no figure reported for the selection
    rows: pd.DataFrame  # the default rows the chart draws
    stem: str  # export file name without extension, e.g. pak-vs-afg_land_2025
    description: str  # display.describe_family: the chart in words
    table: pd.DataFrame  # display.chart_table, inert (markup.inert_table): the values it draws
    unreported: tuple[str, ...]  # labels of the family's metrics no selected entity reports


def _family_view(version: str, entities: tuple[str, ...], family: str, colours: tuple, ds: Dataset,
                 basis: str = "best") -> FamilyView:
    names = {e: ds.entities[e].header.name for e in entities}
    definitions = {m.id: m.definition for m in ds.metrics.values()}
    shown = _values(version, entities, None, ds.frame, basis)
    rows = shown[shown["family"] == family]
    fig = family_chart(shown, names, family, version, colours=dict(colours), definitions=definitions)
    reported = set(rows["metric"])
    unreported = tuple(m.label for m in ds.metrics.values() if m.family == family and m.id not in reported)
    if fig is None:
        return FamilyView(family, ds.families[family].label, None, rows, "", "", pd.DataFrame(), unreported)
    stem = export_filename(entities, family, chart_year(rows), "png").removesuffix(".png")
    return FamilyView(family, ds.families[family].label, SharedFigure(fig), rows, stem,
                      display.describe_family(rows, names), inert_table(display.chart_table(rows, names)),
                      unreported)


@st.cache_resource(max_entries=MAX_SELECTIONS * 2, show_spinner=False)
def _family_views(version: str, entities: tuple[str, ...], colours: tuple, _ds: Dataset,
                  basis: str = "best") -> tuple[FamilyView, ...]:
    return tuple(_family_view(version, entities, f.id, colours, _ds, basis)
                 for f in sorted(_ds.families.values(), key=lambda f: f.order))


def family_views(ds: Dataset, entities: list[str], colours: Mapping[str, str] | None = None,
                 basis: str = "best") -> tuple[FamilyView, ...]:
    """Every family in catalogue order: its chart (``charts.family_chart`` with the catalogue's
    definitions in the hovers), words and table for ``entities``, built once per (selection,
    colours, basis, data version): one cache lookup per run."""
    return _family_views(ds.version, tuple(entities), tuple(sorted((colours or {}).items())), ds, basis)


def family_view(ds: Dataset, entities: list[str], family: str,
                colours: Mapping[str, str] | None = None, basis: str = "best") -> FamilyView:
    """One family's view (see ``family_views``)."""
    return next(v for v in family_views(ds, entities, colours, basis) if v.id == family)


class SharedFigure(go.Figure):
    """A figure shared by every session (read-only): its dict form, which ``st.plotly_chart``
    asks for on every run of every session (a deep copy and a walk over every array), is made
    once. Copies (``go.Figure(fig)``, the exports) deep-copy that dict as any figure's would."""

    def to_dict(self) -> dict:
        memo = self.__dict__.get("_shared_dict")
        if memo is None:
            memo = self.__dict__["_shared_dict"] = super().to_dict()
        return memo


@st.cache_data(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _cites(version: str, entities: tuple[str, ...], colours: tuple, permalink: str, accessed: str,
           _ds: Dataset, basis: str = "best") -> dict[str, str]:
    return {v.id: display.cite_text(v.rows, title=v.fig.layout.meta["title"], data_version=version,
                                    permalink=permalink, accessed=accessed)
            for v in _family_views(version, entities, colours, _ds, basis) if v.fig is not None}


def cite_texts(ds: Dataset, entities: list[str], colours: Mapping[str, str] | None, *, permalink: str,
               accessed: str, basis: str = "best") -> dict[str, str]:
    """``display.cite_text`` of every drawn family by id, once per (selection, link, day, basis,
    data version)."""
    return _cites(ds.version, tuple(entities), tuple(sorted((colours or {}).items())), permalink, accessed, ds, basis)


@dataclass(frozen=True)
class HeadlineCard:
    """A headline card: 'Active personnel (personnel)' — '660,000 vs 172,000' — the ratio."""

    label: str
    unit: str
    definition: str
    parts: tuple[str, ...]  # one figure per entity (display.headline_parts)
    ratio: str  # display.ratio_text for two like-for-like figures; "" otherwise
    unlike: str = ""  # display.unlike_values: "different sources and years: see the chart", or ""
    basis: str = ""  # display.headline_basis for like-for-like figures: "IISS, ... · as of 2025"


@st.cache_resource(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _headline(version: str, entities: tuple[str, ...], _ds: Dataset, basis: str = "best") -> tuple[HeadlineCard, ...]:
    rows = _values(version, entities, None, _ds.frame, basis)
    metrics = _ds.metrics
    narrower = {m.id: m.part_of for m in metrics.values() if m.part_of}
    labels = {m.id: m.label for m in metrics.values()}
    cards = []
    for m in sorted(metrics.values(), key=lambda m: m.order):
        if not m.headline:
            continue
        values = rows[rows["metric"] == m.id].set_index("entity")
        unlike = display.unlike_values(rows, m.id, list(entities), narrower)
        ratio = ""
        if not unlike and len(entities) == 2 and all(e in values.index for e in entities):
            ratio = display.ratio_text(values.loc[entities[0]], values.loc[entities[1]])
        cards.append(HeadlineCard(m.label, m.unit, m.definition,
                                  tuple(display.headline_parts(rows, m.id, list(entities), narrower, labels)), ratio,
                                  unlike, "" if unlike else display.headline_basis(rows, m.id, list(entities))))
    return tuple(cards)


def headline_cards(ds: Dataset, entities: list[str], basis: str = "best") -> tuple[HeadlineCard, ...]:
    """The headline metrics' cards for ``entities``, once per (selection, basis, data version):
    a card whose figures are not like for like says so and gives no ratio."""
    return _headline(ds.version, tuple(entities), ds, basis)


@st.cache_resource(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _badges(version: str, entities: tuple[str, ...], _ds: Dataset) -> tuple[tuple[str, str], ...]:
    rows = _values(version, entities, ("nuclear.warheads",), _ds.frame).set_index("entity")
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
    table: pd.DataFrame  # forcedata.relative.relative_measures' table as shown (inert: markup.inert_table)
    notes: tuple[str, ...]


@st.cache_resource(max_entries=MAX_SELECTIONS * 4, show_spinner=False)
def _relative(version: str, entities: tuple[str, ...], _ds: Dataset) -> RelativeView:
    metrics = (POPULATION, *(m.numerator for m in MEASURES))
    shown = _values(version, entities, metrics, _ds.frame)
    if not (shown["metric"] == POPULATION).any():
        return RelativeView(False, pd.DataFrame(), ())
    table, notes = relative_measures(shown, list(entities))
    return RelativeView(True, inert_table(table.drop(columns=["entity", "measure"])), tuple(notes))


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
