"""The one producer of a comparison's views (pure: plotly and pandas, never streamlit).

From the dataset, the selection and the page's options (``basis``), ``build_comparison`` makes
everything a comparison shows: each family's figure, its words (the chart in a sentence), its
data table, footnote, file stem and colours, and the headline cards. The compare page caches
this one object and draws it (components/ui/cached.py); the PNG/SVG exports, the slide deck and
the export command line take the same objects (components/exports/), so a slide can never say
something the page does not.

May import components.views and forcedata; never components.ui, components.exports or
streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from components.views.charts import family_chart
from components.views.files import chart_year, export_filename
from components.views.markup import inert_table
from components.views.summary import Measure, headline_sentences
from components.views.theme import comparison_colours
from forcedata import display
from forcedata.dataset import Dataset
from forcedata.frame import BASES, default_values


class SharedFigure(go.Figure):
    """A figure shared by every session (read-only): its dict form, which ``st.plotly_chart``
    asks for on every run of every session (a deep copy and a walk over every array), is made
    once. Copies (``go.Figure(fig)``, the exports) deep-copy that dict as any figure's would."""

    def to_dict(self) -> dict:
        memo = self.__dict__.get("_shared_dict")
        if memo is None:
            memo = self.__dict__["_shared_dict"] = super().to_dict()
        return memo


@dataclass(frozen=True)
class FamilyView:
    """One family (one chart) of a comparison: read-only, shared."""

    id: str
    label: str
    fig: go.Figure | None  # None: no figure reported for the selection
    rows: pd.DataFrame  # the default rows the chart draws
    stem: str  # export file name without extension, e.g. pak-vs-afg_land_2025
    description: str  # display.describe_family: the chart in words (alt text, SVG <desc>, notes)
    table: pd.DataFrame  # display.chart_table, inert (markup.inert_table): the values it draws
    unreported: tuple[str, ...]  # labels of the family's metrics no selected entity reports
    footnote: tuple[str, ...] = ()  # the footnote's paragraphs, unwrapped (sources, marks, stamp)
    title: str = ""  # 'Land forces: Pakistan vs Afghanistan' ("" without a figure)


@dataclass(frozen=True)
class HeadlineCard:
    """A headline card: 'Active personnel (people)' — '660,000 vs 172,000' — the ratio."""

    label: str
    unit: str
    definition: str
    parts: tuple[str, ...]  # one figure per entity (display.headline_parts)
    ratio: str  # display.ratio_text for two like-for-like figures; "" otherwise
    unlike: str = ""  # display.unlike_values: "different sources and years: see the chart", or ""
    basis: str = ""  # display.headline_basis for like-for-like figures: "IISS, ... · as of 2025"


@dataclass(frozen=True)
class ComparisonView:
    """Everything one comparison shows, built once (``build_comparison``)."""

    entities: tuple[str, ...]
    names: dict[str, str]  # entity id -> display name, in the selection's order
    colours: dict[str, str]  # entity id -> colour, the same on every chart, image and slide
    basis: str  # "best" available per entity, or "one" source for all
    version: str  # the data version the view was built from
    shown: pd.DataFrame  # every default row of the selection (the CSV of the values shown)
    families: tuple[FamilyView, ...] = field(default=())
    headline: tuple[HeadlineCard, ...] = field(default=())
    summary: tuple[str, ...] = field(default=())  # one sentence per headline measure (views/summary.py)

    def family(self, family_id: str) -> FamilyView:
        return next(v for v in self.families if v.id == family_id)


def build_comparison(ds: Dataset, entities: list[str] | tuple[str, ...], *, basis: str = "best") -> ComparisonView:
    """Every view of a comparison of ``entities`` (1 to 6 ids, in order), pure and deterministic.

    Args:
        ds: the dataset.
        entities: the selection, in the order the charts draw it (first entity blue, ...).
        basis: ``"best"`` (the best available figure per entity, like for like where one source
            edition covers them all) or ``"one"`` (one source edition per chart).

    Returns:
        The ``ComparisonView``: its families in catalogue order (a family without a figure has
        ``fig`` None and says which metrics nobody reports), its headline cards and their
        sentences.
    """
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}: expected one of {', '.join(BASES)}")
    ids = tuple(entities)
    names = {e: ds.entities[e].header.name for e in ids}
    colours = comparison_colours(list(ids))
    shown = _plain(default_values(ds.frame, list(ids), basis=basis))
    definitions = {m.id: m.definition for m in ds.metrics.values()}
    families = tuple(_family(ds, ids, names, colours, shown, definitions, family.id)
                     for family in sorted(ds.families.values(), key=lambda f: f.order))
    return ComparisonView(ids, names, colours, basis, ds.version, shown, families, _headline(ds, ids, shown),
                          _summary(ds, names, shown))


def _plain(rows: pd.DataFrame) -> pd.DataFrame:
    """The selection's few dozen rows with text columns as plain Python objects.

    NOTE: every view filters these rows many times (by family, by metric); a filter takes every
    column, and an Arrow-backed or categorical column costs far more to take than a NumPy one of
    the same strings: this was the largest share of drawing a new comparison after plotly's
    validation (P2n). Values and missing values are unchanged.
    """
    return rows.astype({c: object for c, dtype in rows.dtypes.items()
                        if isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))})


def _family(ds: Dataset, ids: tuple[str, ...], names: dict[str, str], colours: dict[str, str],
            shown: pd.DataFrame, definitions: dict[str, str], family: str) -> FamilyView:
    rows = shown[shown["family"] == family]
    reported = set(rows["metric"])
    unreported = tuple(m.label for m in ds.metrics.values() if m.family == family and m.id not in reported)
    label = ds.families[family].label
    fig = family_chart(rows, names, family, ds.version, colours=colours, definitions=definitions,
                       figure_class=SharedFigure)
    if fig is None:
        return FamilyView(family, label, None, rows, "", "", pd.DataFrame(), unreported)
    stem = export_filename(ids, family, chart_year(rows), "png").removesuffix(".png")
    return FamilyView(family, label, fig, rows, stem, fig.layout.meta["description"],
                      inert_table(display.chart_table(rows, names)), unreported, tuple(fig.layout.meta["footer"]),
                      fig.layout.meta["title"])


def _headline(ds: Dataset, ids: tuple[str, ...], rows: pd.DataFrame) -> tuple[HeadlineCard, ...]:
    narrower = {m.id: m.part_of for m in ds.metrics.values() if m.part_of}
    labels = {m.id: m.label for m in ds.metrics.values()}
    cards = []
    for m in sorted(ds.metrics.values(), key=lambda m: m.order):
        if not m.headline:
            continue
        values = rows[rows["metric"] == m.id].set_index("entity")
        unlike = display.unlike_values(rows, m.id, list(ids), narrower)
        ratio = ""
        if not unlike and len(ids) == 2 and all(e in values.index for e in ids):
            ratio = display.ratio_text(values.loc[ids[0]], values.loc[ids[1]])
        cards.append(HeadlineCard(m.label, m.unit, m.definition,
                                  tuple(display.headline_parts(rows, m.id, list(ids), narrower, labels)), ratio,
                                  unlike, "" if unlike else display.headline_basis(rows, m.id, list(ids))))
    return tuple(cards)


def _summary(ds: Dataset, names: dict[str, str], rows: pd.DataFrame) -> tuple[str, ...]:
    measures = [Measure(m.id, m.label, m.unit) for m in sorted(ds.metrics.values(), key=lambda m: m.order) if m.headline]
    narrower = {m.id: m.part_of for m in ds.metrics.values() if m.part_of}
    return headline_sentences(rows, measures, names, narrower, {m.id: m.label for m in ds.metrics.values()})
