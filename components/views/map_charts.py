"""Pure map builder (plotly only, no streamlit): a choropleth of one metric, each country's
newest figure; "not reported" is its own grey layer, never a colour of the scale.

The world geometry is Natural Earth 110m (static/geo/world_110m.json, public domain), served by
Streamlit at app/static/geo/ so that the map draws with no internet: pass ``PLOTLY_CONFIG`` (or
``TOPOJSON_URL`` as plotly's ``topojsonURL``) with the figure.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from components.views.charts import footnote_lines
from components.views.layout import chart_text
from components.views.theme import MUTED, TEMPLATE_NAME
from forcedata.display import (
    format_date,
    format_number,
    qualifier_text,
    source_label,
    value_label,
)

WORLD_110M = Path(__file__).resolve().parents[2] / "static" / "geo" / "world_110m.json"
# NOTE: plotly.js fetches topojsonURL + "world_110m.json" (scope "world", resolution 110); a
# relative URL resolves against the page (http://host/map -> http://host/app/static/geo/).
TOPOJSON_URL = "app/static/geo/"
# NOTE: no scroll zoom: scrolling the page over the map must scroll the page.
PLOTLY_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False, "responsive": True, "scrollZoom": False}

NOT_REPORTED_COLOUR = "#cfcfcf"   # no figure in any source held
NOT_KNOWN_COLOUR = "#8c8c8c"      # a source says the figure is not known (or not applicable)
ZERO_COLOUR = "#F0E442"           # reported as 0 (Okabe-Ito yellow: not on the blue scale)
SCALE = [[0.0, "#c6dbef"], [0.5, "#4292c6"], [1.0, "#08306b"]]
WIDE_RANGE = 1000                 # max/min of positive values beyond which log colours help
FOOT_WRAP = 160

# Areas the map can zoom to (?r=): label, longitude range, latitude range. The geometry stays the
# world file, so zooming needs nothing more from the network.
REGIONS = {
    "world": ("World", None, None),
    "south-asia": ("South Asia", [42, 112], [2, 42]),
    "middle-east": ("Middle East and North Africa", [-18, 64], [10, 43]),
    "europe": ("Europe", [-25, 50], [34, 72]),
    "east-asia": ("East and South-East Asia", [90, 150], [-12, 55]),
    "africa": ("Africa", [-20, 55], [-36, 38]),
    "americas": ("Americas", [-170, -30], [-56, 75]),
}


@lru_cache(maxsize=1)
def country_ids(path: Path = WORLD_110M) -> frozenset[str]:
    """ISO 3166-1 alpha-3 ids that have a shape in the world geometry file."""
    # NOTE: a static asset, not data: read once per process.
    topo = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(g["id"] for g in topo["objects"]["countries"]["geometries"] if g.get("id"))


def map_rows(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each entity's default (newest, most precise) row for ``metric``."""
    return frame[frame["is_default"] & (frame["metric"] == metric)]


def wants_log(rows: pd.DataFrame) -> bool:
    """Do the positive values span more than WIDE_RANGE (spending: USA vs Malta)?"""
    pos = _colour_value(rows)
    pos = pos[pos > 0]
    return bool(len(pos) > 1 and pos.max() / pos.min() > WIDE_RANGE)


def fig_map(rows: pd.DataFrame, *, names: Mapping[str, str], mappable: frozenset[str] | set[str],
            title: str, unit: str, definition: str = "", log: bool = False,
            data_version: str = "", region: str = "world") -> go.Figure:
    """A world choropleth of one metric's default rows, with explicit layers for the rest.

    Args:
        rows: default rows of ONE metric (``map_rows``), any entities.
        names: entity id -> display name for every entity in the dataset (hover names).
        mappable: ids that have a shape (``country_ids()``); others are not drawn.
        title: e.g. "Active personnel: each country's newest figure".
        unit: the metric's unit (colour bar title).
        definition: the metric's definition, printed in the footnote.
        log: colour by log10 of the value.
        data_version: the data's version stamp, printed in the footnote.
        region: a key of REGIONS: the area shown (the data drawn are the same).

    Returns:
        A figure with up to four traces, named: "not reported" (grey: every shape with no row),
        "not known" (darker grey: the source says unknown / not applicable), "reported as 0"
        (yellow) and "value" (the colour scale). Hover gives value as written with its
        qualifier, year and source.
    """
    rows = rows[rows["entity"].isin(mappable)]
    colour = _colour_value(rows)
    has_number = colour.notna()
    numbers, statuses = rows[has_number], rows[~has_number & (rows["status"] != "reported")]
    # NOTE: 0 always gets its own layer (yellow), so it can never be mistaken for the grey of
    # "not reported", nor for a small value at the light end of the scale.
    zero = numbers[colour[has_number] == 0]
    scaled = numbers.drop(zero.index)
    nothing = sorted(set(mappable) - set(rows["entity"]))
    fig = go.Figure()
    _layer(fig, "not reported", nothing, NOT_REPORTED_COLOUR,
           [f"<b>{chart_text(names.get(e, e))}</b><br>not reported: no figure in any source held" for e in nothing])
    _layer(fig, "not known", list(statuses["entity"]), NOT_KNOWN_COLOUR,
           [_hover(r) for _, r in statuses.iterrows()])
    _layer(fig, "reported as 0", list(zero["entity"]), ZERO_COLOUR, [_hover(r) for _, r in zero.iterrows()])
    if len(scaled):
        z = colour[scaled.index]
        z = z.map(math.log10) if log else z
        fig.add_trace(go.Choropleth(
            name="value", locations=list(scaled["entity"]), locationmode="ISO-3", z=list(z),
            colorscale=SCALE, zmin=float(z.min()), zmax=float(z.max()) if z.max() > z.min() else float(z.min()) + 1,
            marker=dict(line=dict(color="white", width=0.5)), showlegend=False,
            text=[_hover(r) for _, r in scaled.iterrows()], hovertemplate="%{text}<extra></extra>",
            colorbar=_colorbar(z, unit, log),
        ))
    years = rows.loc[rows["status"] == "reported", "year"] if len(rows) else pd.Series(dtype=int)
    span = (f"{years.min()}–{years.max()}" if years.min() != years.max() else str(years.min())) if len(years) else "–"
    subtitle = (f"Each country's newest, most precise figure (years {span}); colour by "
                f"{'log scale' if log else 'value'}. Grey: not reported (no figure in any source held), "
                "which is not 0." + (" Yellow: reported as 0." if len(zero) else ""))
    drawn = pd.concat([numbers, statuses])
    foot = ([f"Definition: {definition}"] if definition else []) + (
        footnote_lines(drawn, data_version) if len(drawn) else [])
    foot = [part for line in foot for part in textwrap.wrap(line, FOOT_WRAP)]
    fig.add_annotation(name="footnote", text="<br>".join(chart_text(t) for t in foot), xref="paper", yref="paper", x=0, y=0,
                       yshift=-44, xanchor="left", yanchor="top", align="left", showarrow=False,
                       font=dict(size=12, color=MUTED))
    fig.update_geos(projection_type="natural earth", showframe=False, showcoastlines=False,
                    showcountries=False, showland=True, landcolor="#f2f2f2", showocean=False,
                    showlakes=False, lataxis_range=[-58, 85], bgcolor="white")
    _, lon, lat = REGIONS.get(region, REGIONS["world"])
    if lon is not None:
        fig.update_geos(lonaxis_range=lon, lataxis_range=lat, showcountries=True,
                        countrycolor="white", countrywidth=0.5)
    fig.update_layout(
        template=TEMPLATE_NAME, showlegend=True,
        title=dict(text=f"<b>{chart_text(title)}</b>", x=0, xref="paper",
                   subtitle=dict(text="<br>".join(textwrap.wrap(subtitle, 110)), font=dict(size=14, color=MUTED))),
        legend=dict(orientation="h", x=0, y=0, yanchor="top", font=dict(size=14)),
        height=640 + 16 * len(foot), margin=dict(l=10, r=10, t=120, b=60 + 16 * len(foot)),
        meta=dict(title=title, log=log, region=region, counts={"value": len(scaled), "zero": len(zero),
                                                "not known": len(statuses), "not reported": len(nothing)}),
    )
    return fig


def not_mappable(rows: pd.DataFrame, *, names: Mapping[str, str], kinds: Mapping[str, str],
                 mappable: frozenset[str] | set[str]) -> pd.DataFrame:
    """Entities with no shape on the map (non-state actors, former states, states too small for
    1:110m), with their figure for the metric if any.

    Returns:
        Columns Entity, Why not on the map, Figure, As of, Source; one row per entity, non-state
        actors first.
    """
    by_entity = rows.set_index("entity")
    out = []
    for e, name in names.items():
        if e in mappable:
            continue
        if kinds.get(e) == "non_state":
            why, rank = "non-state actor: no territory to draw", 0
        elif not e.isupper() or len(e) != 3 or e in {"SUN", "YUG", "CSK", "DDR", "YMD", "YAR", "VDR"}:
            why, rank = "former state", 2
        else:
            why, rank = "no shape at 1:110m (small state or island)", 1
        r = by_entity.loc[e] if e in by_entity.index else None
        if isinstance(r, pd.DataFrame):
            r = r.iloc[0]
        out.append({"_rank": rank, "Entity": name, "Why not on the map": why,
                    "Figure": value_label(r) if r is not None else "not reported",
                    "As of": r["as_of"] if r is not None else "",
                    "Source": source_label(r["source_short"], r["source_title"]) if r is not None else ""})
    table = pd.DataFrame(out, columns=["_rank", "Entity", "Why not on the map", "Figure", "As of", "Source"])
    return table.sort_values(["_rank", "Entity"], kind="stable").drop(columns="_rank").reset_index(drop=True)


def _colour_value(rows: pd.DataFrame) -> pd.Series:
    """The number a country is coloured by: its value, or the lower bound of a range (said in
    the hover); NaN when the source gives no number."""
    reported = rows["status"] == "reported"
    return rows["value"].where(reported).fillna(rows["low"].where(reported))


def _layer(fig: go.Figure, name: str, ids: list[str], colour: str, text: list[str]) -> None:
    if not ids:
        return
    fig.add_trace(go.Choropleth(
        name=name, locations=ids, locationmode="ISO-3", z=[0] * len(ids),
        colorscale=[[0, colour], [1, colour]], showscale=False, showlegend=True,
        marker=dict(line=dict(color="white", width=0.5)),
        text=text, hovertemplate="%{text}<extra></extra>",
    ))


def _colorbar(z: pd.Series, unit: str, log: bool) -> dict:
    bar = dict(title=dict(text=chart_text(unit), side="right"), thickness=14, len=0.6)
    if log:
        lo, hi = math.floor(z.min()), math.ceil(z.max())
        ticks = list(range(lo, hi + 1))
        bar.update(tickvals=ticks, ticktext=[format_number(10 ** t) for t in ticks])
    return bar


def _hover(row: pd.Series) -> str:
    # NOTE: plotly reads <b>, <a href=...> in hover text: everything from data is escaped.
    lines = [f"<b>{chart_text(row['entity_name'])}</b>",
             f"{chart_text(value_label(row))} ({chart_text(qualifier_text(row))})", f"as of {chart_text(row['as_of'])}",
             "Source: " + chart_text(source_label(row["source_short"], row["source_title"]))]
    if pd.isna(row["value"]) and pd.notna(row["low"]):
        lines.append("a range: coloured at its lower bound")
    if isinstance(row.get("via"), str):
        lines.append("Read in: " + chart_text(f"{row['via_short']}, {format_date(row['via_published'])}"))
    return "<br>".join(lines)



