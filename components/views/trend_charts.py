"""Pure trend-chart builder (plotly only, no streamlit): one metric over time, one line per
entity and publisher; gaps stay gaps, estimates and uncertain years get their own marks."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from components.views.charts import footnote_lines
from components.views.theme import MUTED, TEMPLATE_NAME, entity_colour
from forcedata import figure
from forcedata.display import format_date, qualifier_text, source_label, value_label

# current <-> constant prices: the same SIPRI series at two price bases.
PRICE_PAIRS = {"spending.milex_usd": "spending.milex_constant_usd"}

# (metric, database) -> what a reader must know when a line of that database (any of its editions:
# the registry's `database:`) appears beside others.
DEFINITION_NOTES = {
    ("personnel.active", "cow-nmc"): (
        "Correlates of War's military personnel (milper) is not IISS's \"active\" definition: "
        "COW counts troops under the command of the national government, with its own estimates "
        "and rounding to thousands. Read the lines as separate series, not one history."),
}

# point marks, by what the qualifier means (forcedata/figure.py): filled = as reported; the
# others say how the source qualifies the figure.
BOUND_SYMBOLS = {"lower": "triangle-up", "upper": "triangle-down"}
APPROXIMATE_SYMBOL, EXACT_SYMBOL = "circle-open", "circle"
UNCERTAIN_SYMBOL = "x-thin-open"
MARK_LEGEND = {"circle-open": "estimate or approximate", "x-thin-open": "highly uncertain (source's flag)",
               "triangle-up": "at least / more than", "triangle-down": "up to"}
DASHES = ["solid", "dot", "dash", "dashdot"]
FOOT_SIZE, FOOT_WRAP = 13, 150


def trend_rows(frame: pd.DataFrame, metric: str, entities: list[str]) -> pd.DataFrame:
    """The tidy rows of one metric for the given entities (every source, every year)."""
    return frame[(frame["metric"] == metric) & frame["entity"].isin(entities)]


def fig_trend(rows: pd.DataFrame, *, entities: Mapping[str, str], definition: str = "",
              log: bool = False, data_version: str = "",
              colours: Mapping[str, str] | None = None) -> go.Figure | None:
    """One metric over time: a line per entity and publisher, never interpolated.

    Args:
        rows: tidy-frame rows of ONE metric (``trend_rows``), any number of sources and years.
        entities: entity id -> display name, in the order to draw them.
        definition: the metric's catalogue definition, printed in the footnote.
        log: a logarithmic y axis (values of 0 cannot be drawn on it and are left out, said so).
        data_version: the data's version stamp, printed in the footnote.
        colours: entity id -> colour (a comparison's own palette); by default each entity's
            fixed colour from theme.entity_colour.

    Returns:
        The figure, or None when no entity has a number to draw. A year with no figure (or a
        figure the source calls not known) is a gap in the line: the trace holds None there.
        Title, subtitle (definitional warnings) and footnote (definition, sources, marks,
        version) are part of the image. ``layout.meta`` holds the years drawn.
    """
    rows = rows[rows["entity"].isin(list(entities))]
    drawable = rows[(rows["status"] == "reported") & (rows["value"].notna() | rows["low"].notna())]
    if log:
        drawable = drawable[(drawable["value"] > 0) | drawable["value"].isna()]
    if drawable.empty:
        return None
    first, last = int(drawable["year"].min()), int(drawable["year"].max())
    label, unit = rows["metric_label"].iloc[0], rows["unit"].iloc[0]
    # NOTE: one line per publisher (attribution_short), not per registry entry: the editions of
    # The Military Balance, or a run of UN Monitoring Team reports, are one publisher's series;
    # each point's hover names the report it comes from.
    publishers_per_entity = drawable.groupby("entity")["source_short"].nunique()
    several = bool((publishers_per_entity > 1).any())
    fig = go.Figure()
    symbols_used: set[str] = set()
    for e, name in entities.items():
        mine = drawable[drawable["entity"] == e]
        by_size = mine.groupby("source_short", sort=False).size().sort_values(ascending=False, kind="stable")
        for k, short in enumerate(by_size.index):
            group = mine[mine["source_short"] == short]
            trace_name = html.escape(f"{name} · {short}" if several else name)
            colour = (colours or {}).get(e) or entity_colour(e)
            symbols_used |= _add_line(fig, group, colour, trace_name, DASHES[k % len(DASHES)])
    for symbol in [s for s in MARK_LEGEND if s in symbols_used]:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=MARK_LEGEND[symbol],
                                 marker=dict(symbol=symbol, size=10, color=MUTED, line=dict(width=2)),
                                 hoverinfo="skip", legendgroup="marks"))
    notes = trend_notes(drawable, log=log, dropped_zero=bool(log and (rows["value"] == 0).any()))
    names = [entities[e] for e in entities if e in set(drawable["entity"])]
    title = f"{label}: {' vs '.join(names)}, {first}–{last}"
    subtitle = " ".join([f"Unit: {unit}{', log scale' if log else ''}. Gaps are years with no figure: "
                         "nothing is interpolated.", *notes])
    foot = ([f"Definition: {definition}"] if definition else []) + footnote_lines(drawable, data_version)
    foot_lines = [part for line in foot for part in textwrap.wrap(line, FOOT_WRAP)]
    title_lines = textwrap.wrap(title, 50)
    sub_lines = textwrap.wrap(subtitle, 110)
    top = 50 + 36 * len(title_lines) + 22 * len(sub_lines) + (20 if len(title_lines) > 1 else 0)
    bottom = 60 + 18 * len(foot_lines)
    fig.add_annotation(name="footnote", text="<br>".join(html.escape(t, quote=False) for t in foot_lines),
                       xref="paper", yref="paper", x=0, y=0, yshift=-40, xanchor="left", yanchor="top", align="left",
                       showarrow=False, font=dict(size=FOOT_SIZE, color=MUTED))
    fig.update_layout(
        template=TEMPLATE_NAME, showlegend=True, hovermode="closest",
        title=dict(text="<br>".join(f"<b>{html.escape(t, quote=False)}</b>" for t in title_lines),
                   subtitle=dict(text="<br>".join(html.escape(t, quote=False) for t in sub_lines),
                                 font=dict(size=15, color=MUTED)),
                   # NOTE: plotly puts a multi-line title's first baseline at the anchor (one line
                   # gets 0.7 em below it): a wrapped title is pushed down by that much.
                   x=0, xref="paper", y=1, yref="container", yanchor="top",
                   pad=dict(t=16 + (20 if len(title_lines) > 1 else 0))),
        # NOTE: a vertical legend at the right never runs into the footnote, however many lines.
        legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top", font=dict(size=14)),
        height=500 + top + bottom,
        margin=dict(l=70, r=20, t=top, b=bottom),
        meta=dict(title=title, years=[first, last], metric=rows["metric"].iloc[0]),
    )
    fig.update_xaxes(range=[first - 1, last + 1], tickformat="d", showgrid=True, zeroline=False)
    fig.update_yaxes(type="log" if log else "linear", showgrid=True, gridcolor="#e3e3e3",
                     rangemode="tozero" if not log else "normal", tickformat="~s",
                     tickfont=dict(size=14, color=MUTED))
    return fig


def trend_notes(rows: pd.DataFrame, *, log: bool = False, dropped_zero: bool = False) -> list[str]:
    """Warnings printed on the chart: definitional differences between the sources drawn."""
    notes = []
    sources = set(rows["source"])
    databases = set(rows["source_database"].dropna()) if "source_database" in rows else set()
    for (metric, database), text in DEFINITION_NOTES.items():
        if database in databases and len(sources) > 1 and metric in set(rows["metric"]):
            notes.append(text)
    if dropped_zero:
        notes.append("Values of 0 cannot be drawn on a log scale and are left out.")
    return notes


def _one_per_year(group: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, int]]:
    """One row per year (the default figure first, then the most precise), and how many other
    reports of the same source each year has."""
    ranked = group.assign(
        _d=~group["is_default"].astype(bool),
        _p=figure.precision_ranks(group["qualifier"]),
        _pub=group["source_published"].fillna(""),
    ).sort_values(["year", "_d", "_p", "_pub"], ascending=[True, True, True, False], kind="stable")
    counts = ranked.groupby("year").size()
    return ranked.drop_duplicates("year"), {int(y): int(n) - 1 for y, n in counts.items() if n > 1}


def _add_line(fig: go.Figure, group: pd.DataFrame, colour: str, name: str, dash: str) -> set[str]:
    """Add one source's line for one entity; return the point symbols used."""
    picked, others = _one_per_year(group)
    points = picked[picked["value"].notna()].set_index("year")
    ranges = picked[picked["value"].isna()]
    years = list(range(int(picked["year"].min()), int(picked["year"].max()) + 1))
    x, y, symbols, hover = [], [], [], []
    for year in years:
        x.append(year)
        if year not in points.index:
            y.append(None)  # a gap: no figure this year; the line breaks here
            symbols.append("circle")
            hover.append("")
            continue
        row = points.loc[year]
        y.append(float(row["value"]))
        symbols.append(UNCERTAIN_SYMBOL if row["uncertain"] else point_symbol(row["qualifier"]))
        hover.append(_hover(row, others.get(year, 0)))
    n_points = len(points)
    fig.add_trace(go.Scatter(
        name=name, x=x, y=y, mode="lines+markers" if n_points > 1 else "markers",
        connectgaps=False, line=dict(color=colour, width=2.5, dash=dash),
        marker=dict(symbol=symbols, color=colour, size=7 if n_points > 1 else 11, line=dict(width=2, color=colour)),
        text=hover, hovertemplate="%{text}<extra></extra>", legendgroup=name,
    ))
    if len(ranges):
        fig.add_trace(go.Scatter(
            name=f"{name} (range)", legendgroup=name, showlegend=False, mode="lines+markers",
            x=[v for yr in ranges["year"] for v in (yr, yr, None)],
            y=[v for r in ranges.itertuples() for v in (r.low, r.high, None)],
            line=dict(color=colour, width=4), marker=dict(symbol="line-ew-open", size=14, color=colour),
            text=[t for _, r in ranges.iterrows() for t in [_hover(r, others.get(int(r["year"]), 0))] * 2 + [""]],
            hovertemplate="%{text}<extra></extra>",
        ))
    return {s for s, v in zip(symbols, y) if v is not None}


def point_symbol(qualifier: str) -> str:
    """A point's mark: a triangle for a bound (up: at least / more than), an open circle for an
    approximate figure, a filled one for a figure as reported."""
    spec = figure.qualifier(qualifier)
    if spec.bound != "point":
        return BOUND_SYMBOLS[spec.bound]
    return APPROXIMATE_SYMBOL if spec.approximate else EXACT_SYMBOL


def _hover(row: pd.Series, other_reports: int) -> str:
    # NOTE: plotly reads <b>, <a href=...> and friends in hover text: data text is escaped.
    esc = html.escape
    lines = [f"<b>{esc(str(row['entity_name']))}</b> · {esc(str(row['as_of']))}",
             esc(f"{value_label(row)} ({qualifier_text(row)})"),
             "Source: " + esc(source_label(row["source_short"], row["source_title"]))]
    if isinstance(row.get("via"), str):
        lines.append("Read in: " + esc(f"{row['via_short']}, {format_date(row['via_published'])}"))
    if other_reports:
        lines.append(f"+{other_reports} other report(s) this year from the same publisher")
    return "<br>".join(lines)
