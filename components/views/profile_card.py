"""An entity's profile card (pure: plotly and pandas): a tile per profile field with its rank, the
small spending and personnel histories, and the nuclear status; built once per (entity, data
version) and drawn by components/ui/profile_widgets.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components.views.layout import chart_text
from components.views.theme import MUTED, PALETTE, TEMPLATE_NAME
from components.views.trend_charts import DEFINITION_NOTES
from forcedata import display
from forcedata.coverage import PROFILE_METRICS
from forcedata.dataset import Dataset
from forcedata.profile import Tile, history_rows, profile_tiles

# The yearly series drawn small on the card: SIPRI's spending (current US$) and COW's personnel
HISTORY_METRICS = ("spending.milex_usd", "personnel.active")
HISTORY_HEIGHT = 190


@dataclass(frozen=True)
class History:
    """One small history: its title, the figure (None: no series held) and the figure in words."""

    metric: str
    title: str  # 'Military expenditure (US$ m (current)), SIPRI'
    fig: go.Figure | None
    words: str  # the chart in a sentence (its text alternative), or why there is none


@dataclass(frozen=True)
class ProfileCard:
    entity: str
    name: str
    tiles: tuple[Tile, ...]
    histories: tuple[History, ...]
    nuclear: str  # display.nuclear_status: 'Nuclear-armed: 170 est. warheads (Jan 2025)'


def build_profile_card(ds: Dataset, entity: str) -> ProfileCard:
    """The card of ``entity``: ``forcedata.profile.profile_tiles`` of the twelve profile fields
    (``coverage.PROFILE_METRICS``), the histories of ``HISTORY_METRICS`` and the nuclear status."""
    labels = {m.id: m.label for m in ds.metrics.values()}
    units = {m.id: m.unit for m in ds.metrics.values()}
    parts = {m.id: m.part_of for m in ds.metrics.values() if m.part_of}
    frame = ds.frame
    tiles = tuple(profile_tiles(frame, entity, PROFILE_METRICS, labels, units, parts))
    histories = tuple(_history(history_rows(frame, entity, m), labels.get(m, m), units.get(m, ""), m)
                      for m in HISTORY_METRICS if m in labels)
    nuclear = frame[(frame["entity"] == entity) & (frame["metric"] == "nuclear.warheads") & frame["is_default"]]
    return ProfileCard(entity, ds.entities[entity].header.name, tiles, histories,
                       display.nuclear_status(nuclear.iloc[0].to_dict() if len(nuclear) else None))


def _history(rows: pd.DataFrame, label: str, unit: str, metric: str) -> History:
    if rows.empty:
        return History(metric, f"{label} ({unit})", None, f"{label}: no yearly series held.")
    first = rows.iloc[0]
    words = history_words(rows)
    note = DEFINITION_NOTES.get((metric, first["source_database"]))  # NOTE: COW's personnel is not IISS's "active"
    return History(metric, f"{label} ({unit}), {first['source_short']}", history_chart(rows),
                   f"{words} {note}" if note else words)


def history_chart(rows: pd.DataFrame, *, colour: str = PALETTE[0]) -> go.Figure | None:
    """A small line of one yearly series: a point per year with a reported number, a gap for a
    year without one (nothing interpolated); hovers give the year and the value as labelled.

    Args:
        rows: one series of one entity and metric (``forcedata.profile.history_rows``).
        colour: the line's colour.

    Returns:
        The figure (no title: the page says what it is), or None when no year has a number.
    """
    drawable = rows[(rows["status"] == "reported") & rows["value"].notna()]
    if drawable.empty:
        return None
    first, last = int(rows["year"].min()), int(rows["year"].max())
    by_year = {int(r["year"]): r for r in drawable.to_dict("records")}
    years = list(range(first, last + 1))
    fig = go.Figure(go.Scatter(
        x=years, y=[by_year[y]["value"] if y in by_year else None for y in years], mode="lines",
        line=dict(color=colour, width=2), connectgaps=False,
        text=[chart_text(display.value_label(by_year[y])) if y in by_year else "" for y in years],
        hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_layout(template=TEMPLATE_NAME, height=HISTORY_HEIGHT, margin=dict(l=10, r=10, t=10, b=10),
                      hovermode="x", meta=dict(years=[first, last]))
    fig.update_xaxes(range=[first - 0.5, last + 0.5], tickformat="d", showgrid=False, zeroline=False,
                     tickfont=dict(size=12, color=MUTED), nticks=6)
    fig.update_yaxes(rangemode="tozero", showgrid=True, tickformat="~s", tickfont=dict(size=12, color=MUTED),
                     nticks=4)
    return fig


def history_words(rows: pd.DataFrame) -> str:
    """The series in a sentence, written from its rows: 'Military expenditure, SIPRI Military
    Expenditure Database: 1949 to 2024, figures for 74 of 76 years; 30 in 1949, 10,166 in 2024;
    highest 10,166 (2024).'"""
    reported = rows[(rows["status"] == "reported") & rows["value"].notna()].sort_values("year")
    first_row = rows.iloc[0]
    source = display.source_label(str(first_row["source_short"]), str(first_row["source_title"]))
    head = f"{first_row['metric_label']}, {source}"
    if reported.empty:
        return f"{head}: no year with a figure."
    first, last = int(rows["year"].min()), int(rows["year"].max())
    span = last - first + 1
    top = reported.loc[reported["value"].idxmax()]
    oldest, newest = reported.iloc[0], reported.iloc[-1]
    return (f"{head}: {first} to {last}, figures for {len(reported)} of {span} years; "
            f"{display.value_label(oldest)} in {int(oldest['year'])}, {display.value_label(newest)} in "
            f"{int(newest['year'])}; highest {display.value_label(top)} ({int(top['year'])}).")
