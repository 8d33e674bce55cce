"""Pure chart builders (plotly only, no streamlit): frame rows in, a self-explaining figure out."""

from __future__ import annotations

from typing import Mapping

import pandas as pd
import plotly.graph_objects as go

from components.views.layout import (
    FOOT_SIZE, LABEL_SIZE, PANEL_TITLE_SIZE, chart_text, fit, from_spec, shorten_name, wrap_px,
)
from components.views.theme import MUTED, TEMPLATE_NAME, comparison_colours
from forcedata import figure
from forcedata.frame import records
from forcedata.display import (
    NOT_REPORTED, describe_family, format_date, marked_estimate, qualifier_legend, qualifier_text, scope_line,
    source_label, source_marks, sources_line, value_label,
)


FADED = 0.45            # opacity of a bar whose figure is in doubt, or a range
ESTIMATE_PATTERN = "/"  # marker.pattern.shape of an estimate

def fig_family(rows: pd.DataFrame, *, entities: Mapping[str, str], title: str,
               subtitle: str = "", data_version: str = "", width: int | None = None,
               height: int | None = None, colours: Mapping[str, str] | None = None,
               definitions: Mapping[str, str] | None = None,
               figure_class: type[go.Figure] = go.Figure) -> go.Figure:
    """One panel per metric (horizontal bars, one per entity), qualifiers drawn and written.

    Args:
        rows: the default frame rows to draw (one per entity and metric) for one family.
        entities: entity id -> display name, in the order to draw them (top to bottom).
        title: what is compared, e.g. "Personnel: Pakistan vs Afghanistan".
        subtitle: units, as-of and caveats, printed under the title.
        data_version: the data's version stamp, printed in the footnote.
        width, height: a fixed canvas (an export); by default the chart is laid out for a
            screen: responsive width, height from the number of bars (at most ``MAX_HEIGHT``).
        colours: entity id -> colour, the same for every chart of a page
            (``theme.comparison_colours``); by default, by position in ``entities``.
        definitions: metric id -> catalogue definition, shown in the bars' hover text.
        figure_class: the figure's class (``comparison.SharedFigure`` for a view shared by every
            session).

    Returns:
        A figure whose title, subtitle and footnote (sources, qualifier legend, version) are
        part of the image, so a screenshot or export stands alone.
    """
    metrics = rows.drop_duplicates("metric").sort_values("metric_order")
    n = max(len(metrics), 1)
    entities = {e: chart_text(name) for e, name in entities.items()}
    # NOTE: the figure is written as plain data (one panel's axes, traces and notes at a time)
    # and made a plotly figure once, at the end: see layout.fit
    layout: dict = {"annotations": []}
    data: list[dict] = []
    for i in range(1, n + 1):
        axis = "" if i == 1 else str(i)
        layout[f"xaxis{axis}"] = {"anchor": f"y{axis}", "domain": [0.0, 1.0]}
        layout[f"yaxis{axis}"] = {"anchor": f"x{axis}", "categoryorder": "array",
                                  "categoryarray": list(entities.values())[::-1], "automargin": True}
    metrics = records(metrics, ["metric", "metric_label", "unit"])
    for m in metrics:
        layout["annotations"].append(dict(
            name="panel title", text=f"<b>{chart_text(m['metric_label'])}</b> ({chart_text(m['unit'])})",
            x=0, xref="paper", xanchor="left", y=1.0, yref="paper", yanchor="bottom", showarrow=False,
            font=dict(size=PANEL_TITLE_SIZE)))
    marks = source_marks(rows)
    newest = int(rows.loc[rows["status"] == "reported", "year"].max()) if (rows["status"] == "reported").any() else 0
    colours = colours or comparison_colours(list(entities))
    # NOTE: the rows as plain records, read once: a pandas row per bar (panel.loc[e]) was most of
    # a chart's cost once plotly was out of the way
    panels: dict[str, dict[str, dict]] = {}
    for record in records(rows):
        panels.setdefault(record["metric"], {}).setdefault(record["entity"], record)
    for i, metric in enumerate(metrics, start=1):
        _draw_panel(data, layout, panels[metric["metric"]], entities, i,
                    colours, (definitions or {}).get(metric["metric"], ""), marks, newest)
    layout.update(
        template=TEMPLATE_NAME, bargap=0.3,
        # NOTE: the raw texts travel with the figure so that layout_for_export can re-wrap them
        # for another canvas; plotly keeps layout.meta out of the image.
        meta=dict(title=title, subtitle=subtitle, footer=footnote_lines(rows, data_version),
                  panels=n, names=list(entities.values())),
    )
    layout["annotations"].append(dict(name="footnote", text="", xref="paper", yref="paper", x=0, y=0,
                                      xanchor="left", yanchor="top", align="left", showarrow=False,
                                      font=dict(size=FOOT_SIZE, color=MUTED)))
    spec = {"data": data, "layout": layout}
    fit(spec, width, height)
    return from_spec(spec, figure_class)


def family_title(rows: pd.DataFrame, names: list[str]) -> str:
    """'Personnel: Pakistan vs Afghanistan'."""
    return f"{rows['family_label'].iloc[0]}: {' vs '.join(names)}"


def family_subtitle(rows: pd.DataFrame) -> str:
    """As-of years, how the figures were chosen (one source for all, like for like, or sources
    and counting rules that differ: said here, where the reader looks) and the caveats."""
    years = sorted(rows["year"].unique())
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    caveats = list(dict.fromkeys(rows["metric_caveat"].dropna()))
    return " ".join([f"Figures as of {span} ({'; '.join(_choice_words(rows))}).", *caveats])


def _flag(rows: pd.DataFrame, column: str) -> bool:
    return bool(rows.get(column, pd.Series(False, index=rows.index)).fillna(False).astype(bool).any())


def _choice_words(rows: pd.DataFrame) -> list[str]:
    basis = rows.get("basis_source", pd.Series(dtype=object)).dropna()
    if len(basis):
        labels = rows[rows["source"].isin(set(basis))].drop_duplicates("source")
        words = ["one source for all: " + ", ".join(source_label(r.source_short, r.source_title)
                                                    for r in labels.itertuples())]
    elif _flag(rows, "source_mixed"):
        words = ["sources differ between entities: see the marks"]
    else:
        words = ["one source edition for all where it covers them"]
    if _flag(rows, "scope_mixed"):
        words.append("counted differently between entities: see the scope beside each figure")
    return words


def footnote_lines(rows: pd.DataFrame, data_version: str = "") -> list[str]:
    """Footnote paragraphs (unwrapped): the sources drawn, the marks that appear, access date
    and data version."""
    # NOTE: only the columns the footnote reads: grouping the full rows took their long texts along
    rows = rows[[c for c in FOOTNOTE_COLUMNS if c in rows]]
    lines = [sources_line(rows), scope_line(rows)] if len(rows) else []
    if "since_note" in rows:
        notes = [f"{name}: {note}" for name, note in zip(rows["entity_name"], rows["since_note"]) if isinstance(note, str)]
        if notes:
            lines.append("Latest available figure shown with its year — " + "; ".join(dict.fromkeys(notes)) + ".")
    legend = qualifier_legend(rows)
    if legend:
        lines.append(legend)
    stamp = []
    accessed = rows["source_accessed"].dropna()
    if len(accessed):
        stamp.append(f"Accessed {format_date(accessed.max())}")
    if data_version:
        stamp.append(f"data version {data_version}")
    if stamp:
        lines.append(" · ".join(stamp) + " · military-balance dashboard")
    return [line for line in lines if line]


FOOTNOTE_COLUMNS = ["entity", "entity_name", "metric_label", "value", "low", "qualifier", "status", "condition",
                    "uncertain", "scope_label", "source", "source_short", "source_title", "source_tier",
                    "source_accessed", "via", "via_short", "via_published", "source_mixed", "since_note"]

FAR_OLDER = 3  # NOTE: years behind the chart's newest figure that make a figure "far older"


def bar_label(row: pd.Series, marks: Mapping[str, str], newest: int, panel_newest: int | None = None) -> str:
    """The text at a bar's end: the value as written; its year when it is older than another
    figure in its panel, or far older than the chart's newest ("278 (2021)"); and its source mark
    when the chart mixes sources."""
    text = chart_text(value_label(row))
    panel_newest = newest if panel_newest is None else panel_newest
    if row["year"] < panel_newest or newest - row["year"] >= FAR_OLDER:
        text += f" ({row['year']})"
    if row["source"] in marks and row.get("source_mixed"):
        text += f"<sup>{marks[row['source']]}</sup>"
    return text


def _draw_panel(data: list[dict], layout: dict, panel: Mapping[str, dict], entities: Mapping[str, str], i: int,
                colours: Mapping[str, str], definition: str, marks: Mapping[str, str], newest: int) -> None:
    """Panel ``i`` of a family chart, written into ``data`` (its traces) and ``layout`` (its
    x axis and the notes of entities without a bar)."""
    axis = "" if i == 1 else str(i)
    on_axes = {"xaxis": f"x{axis}", "yaxis": f"y{axis}"}
    drawn = [e for e in entities if e in panel and _has_number(panel[e])]
    rows = [panel[e] for e in drawn]
    y = [entities[e] for e in drawn]
    is_range = [pd.isna(r["value"]) for r in rows]
    x = [r["high"] - r["low"] if rng else r["value"] for r, rng in zip(rows, is_range)]
    base = [r["low"] if rng else 0 for r, rng in zip(rows, is_range)]
    faded = [pd.notna(r["condition"]) or bool(r["uncertain"]) or rng for r, rng in zip(rows, is_range)]
    data.append(dict(
        type="bar", name="values", x=x, y=y, base=base, orientation="h",
        marker=dict(
            color=[colours[e] for e in drawn],
            opacity=[FADED if f else 1.0 for f in faded],
            pattern=dict(shape=[ESTIMATE_PATTERN if marked_estimate(r) else "" for r in rows],
                         fillmode="overlay", solidity=0.35, fgcolor="white"),
            line=dict(width=0),
        ),
        # NOTE: an en space keeps the label clear of the open-ended arrow head at the bar's end.
        text=[("\u2002" if _open_ended(r) else "")
              + bar_label(r, marks, newest, max((int(q["year"]) for q in rows), default=newest)) for r in rows],
        textposition="outside", cliponaxis=False,
        textfont=dict(size=LABEL_SIZE), customdata=[_hover(r, definition) for r in rows],
        hovertemplate="<b>%{y}</b>: %{customdata[0]}<br>%{customdata[1]}<extra></extra>", **on_axes,
    ))
    open_ended = [(e, r, n) for e, r, n in zip(drawn, rows, y) if _open_ended(r)]
    if open_ended:  # an arrow head at the bar's end: the true figure lies beyond it
        data.append(dict(
            type="scatter", name="open-ended", x=[r["value"] for _, r, _ in open_ended],
            y=[n for _, _, n in open_ended], mode="markers", cliponaxis=False, hoverinfo="skip",
            marker=dict(symbol="triangle-right", size=16, color=[colours[e] for e, _, _ in open_ended]), **on_axes,
        ))
    ranges = [(e, r, n) for e, r, n, rng in zip(drawn, rows, y, is_range) if rng]
    if ranges:  # whiskers at both ends of a range: the source gives low and high, no point
        data.append(dict(
            type="scatter", name="range", x=[v for _, r, _ in ranges for v in (r["low"], r["high"])],
            y=[n for _, _, n in ranges for _ in (0, 1)], mode="markers", cliponaxis=False,
            hoverinfo="skip",
            marker=dict(symbol="line-ns-open", size=24, line=dict(width=3),
                        color=[colours[e] for e, _, _ in ranges for _ in (0, 1)]), **on_axes,
        ))
    top = max([r["high"] if pd.isna(r["value"]) else r["value"] for r in rows], default=0)
    layout[f"xaxis{axis}"].update(range=[0, (top or 1) * _headroom(rows)], showticklabels=bool(top),
                                  tickformat="~s" if top >= 10_000 else ",")
    missing = _missing_words(panel)
    for e, name in entities.items():  # not reported / not known: written, never a bar of 0
        if e in drawn:
            continue
        text = value_label(panel[e]) if e in panel else missing
        data.append(dict(type="bar", name="not drawn", x=[0], y=[name], orientation="h",
                         marker=dict(color="rgba(0,0,0,0)"), hoverinfo="skip", showlegend=False, **on_axes))
        layout["annotations"].append(dict(
            name="status", x=0, y=name, xref=f"x{axis}", yref=f"y{axis}", text=f"<i>{chart_text(text)}</i>",
            showarrow=False, xanchor="left", xshift=6, font=dict(size=16, color=MUTED)))


LABEL_CHAR_SHARE = 0.0105  # NOTE: a bar label's share of a ~1,000 px plot per character (16 px font)


def _headroom(rows: list[pd.Series]) -> float:
    """The x-axis range as a multiple of the largest bar: room for the longest label beside the
    bar ("2,657 · excludes armed trainers (2019)"), at least 1.45, at most 2.5."""
    longest = max((len(value_label(r)) + 7 for r in rows), default=0)  # NOTE: + " (2019)" and a mark
    return min(2.5, max(1.45, 1 / (1 - min(0.6, LABEL_CHAR_SHARE * longest))))


def _missing_words(panel: Mapping[str, dict]) -> str:
    """'not reported', or with one source for all 'not in Global Firepower, 2026 ...': the
    source drawn publishes no figure for that entity (another may)."""
    basis = next((r for r in panel.values() if isinstance(r.get("basis_source"), str)), None)
    if basis is None:
        return NOT_REPORTED
    return f"not in {source_label(basis['source_short'], basis['source_title'])}"


def _open_ended(row: Mapping) -> bool:
    """A lower bound ("> 6,000", "≥ 6"): the true figure lies beyond the bar's end."""
    return figure.qualifier(row["qualifier"]).bound == "lower"


def _has_number(row: pd.Series) -> bool:
    return row["status"] == "reported" and (pd.notna(row["value"]) or pd.notna(row["low"]))


def _hover(row: pd.Series, definition: str = "") -> list[str]:
    source = source_label(row["source_short"], row["source_title"])
    lines = [f"{qualifier_text(row)} · as of {row['as_of']}", f"Source: {source}"]
    if isinstance(row["via"], str):
        lines.append(f"Read in: {row['via_short']}, {format_date(row['via_published'])}")
    if isinstance(row["note"], str):
        lines.extend(wrap_px(row["note"], 15, 520))
    out = "<br>".join(map(chart_text, lines))
    if definition:
        out += "<br><i>" + "<br>".join(chart_text(t) for t in wrap_px(f"{row['metric_label']}: {definition}", 15, 520)) + "</i>"
    return [chart_text(value_label(row)), out]


def fig_coverage(years: pd.DataFrame, *, names: Mapping[str, str], families: Mapping[str, str]) -> go.Figure:
    """Heatmap: entities x families, coloured by the newest sourced year (blank = nothing sourced).

    Args:
        years: entity x family frame of newest years (NaN where nothing is sourced).
        names: entity id -> display name (row labels, in order).
        families: family id -> label (column labels, in order).
    """
    z = years.reindex(index=list(names), columns=list(families))
    text = z.map(lambda y: "" if pd.isna(y) else str(int(y)))
    fig = go.Figure(go.Heatmap(
        # NOTE: names and family labels come from data files: inert, like every chart's text, and
        # cut to a length that leaves the grid its room
        z=z.values, x=[shorten_name(chart_text(f), 30) for f in families.values()],
        y=[shorten_name(chart_text(n)) for n in names.values()], text=text.values,
        texttemplate="%{text}", colorscale="Blues", zmin=2015, zmax=max(2026, float(z.max().max() or 2026)),
        hovertemplate="%{y} · %{x}: newest figure %{text}<extra></extra>", xgap=2, ygap=2,
        colorbar=dict(title="newest year"),
    ))
    fig.update_layout(template=TEMPLATE_NAME, height=140 + 34 * len(names), margin=dict(l=20, r=20, t=70, b=20),
                      yaxis=dict(autorange="reversed"), xaxis=dict(side="top", tickangle=0, automargin=True))
    return fig


def family_chart(shown: pd.DataFrame, names: Mapping[str, str], family: str,
                 data_version: str = "", *, colours: Mapping[str, str] | None = None,
                 definitions: Mapping[str, str] | None = None,
                 figure_class: type[go.Figure] = go.Figure) -> go.Figure | None:
    """The chart of one family for a selection, as the compare page and the command line draw it.

    Args:
        shown: the default rows for the selection (``forcedata.frame.default_values``).
        names: entity id -> display name, in the selection's order.
        family: family id, e.g. "personnel".
        data_version: the data's version stamp.
        colours: entity id -> colour for the whole page (``theme.comparison_colours``);
            by default, by position in ``names``.
        definitions: metric id -> catalogue definition, for the hover text.
        figure_class: the figure's class (as ``fig_family``).

    Returns:
        The figure, or None when no selected entity has a figure in that family.
    """
    rows = shown[shown["family"] == family]
    if rows.empty:
        return None
    fig = fig_family(rows, entities=names, title=family_title(rows, list(names.values())),
                     subtitle=family_subtitle(rows), data_version=data_version, colours=colours,
                     definitions=definitions, figure_class=figure_class)
    # NOTE: the words travel with the figure (layout.meta stays out of the image): the SVG's
    # <desc>, the deck's alt text and the page's description all read them from here.
    fig.layout.meta = {**fig.layout.meta, "description": describe_family(rows, names)}
    return fig
