"""Pure chart builders (plotly only, no streamlit): frame rows in, a self-explaining figure out."""

from __future__ import annotations

from typing import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.theme import MUTED, TEMPLATE_NAME, entity_colour
from forcedata.display import (
    NOT_REPORTED, format_date, qualifier_legend, qualifier_text, source_label, sources_line,
    value_label,
)

BAR_HEIGHT = 46
PANEL_PAD = 86
TOP = 130
FOOT_LINE = 24
OPEN_ENDED = {"more_than", "at_least"}
WRAP = 150


def fig_family(rows: pd.DataFrame, *, entities: Mapping[str, str], title: str,
               subtitle: str = "", data_version: str = "") -> go.Figure:
    """One panel per metric (horizontal bars, one per entity), qualifiers drawn and written.

    Args:
        rows: the default frame rows to draw (one per entity and metric) for one family.
        entities: entity id -> display name, in the order to draw them (top to bottom).
        title: what is compared, e.g. "Personnel: Pakistan vs Afghanistan".
        subtitle: units, as-of and caveats, printed under the title.
        data_version: the data's version stamp, printed in the footnote.

    Returns:
        A figure whose title, subtitle and footnote (sources, qualifier legend, version) are
        part of the image, so a screenshot or export stands alone.
    """
    metrics = rows.drop_duplicates("metric").sort_values("metric_order")
    names = list(entities.values())
    fig = make_subplots(
        rows=max(len(metrics), 1), cols=1,
        subplot_titles=[f"<b>{m.metric_label}</b> ({m.unit})" for m in metrics.itertuples()],
        vertical_spacing=min(0.5 / max(len(metrics), 1), 0.12),
    )
    for i, metric in enumerate(metrics.itertuples(), start=1):
        panel = rows[rows["metric"] == metric.metric].set_index("entity")
        _draw_panel(fig, panel, entities, i)
    fig.update_annotations(selector=dict(text=None), font_size=19)
    for ann in fig.layout.annotations:  # subplot titles: left-aligned above each panel
        ann.update(x=0, xanchor="left", font=dict(size=19))
    footer = footnote_lines(rows, data_version)
    panel_px = len(names) * BAR_HEIGHT + PANEL_PAD
    bottom = 40 + FOOT_LINE * len(footer)
    height = TOP + panel_px * max(len(metrics), 1) + bottom
    fig.update_layout(
        template=TEMPLATE_NAME,
        title=dict(text=f"<b>{title}</b>", subtitle=dict(text=_wrap(subtitle, WRAP), font=dict(size=17, color=MUTED)),
                   y=1 - 24 / height, yanchor="top", yref="container"),
        height=height,
        margin=dict(l=20, r=40, t=TOP, b=bottom),
        bargap=0.3,
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], automargin=True)
    fig.add_annotation(
        text="<br>".join(footer), xref="paper", yref="paper", x=0, y=0, yshift=-30,
        xanchor="left", yanchor="top", align="left", showarrow=False,
        font=dict(size=14, color=MUTED),
    )
    return fig


def family_title(rows: pd.DataFrame, names: list[str]) -> str:
    """'Personnel: Pakistan vs Afghanistan'."""
    return f"{rows['family_label'].iloc[0]}: {' vs '.join(names)}"


def family_subtitle(rows: pd.DataFrame) -> str:
    """As-of years and the caveats of the metrics drawn."""
    years = sorted(rows["year"].unique())
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    caveats = list(dict.fromkeys(rows["metric_caveat"].dropna()))
    return " ".join([f"Figures as of {span}; newest, most precise report per entity.", *caveats])


def _draw_panel(fig: go.Figure, panel: pd.DataFrame, entities: Mapping[str, str], i: int) -> None:
    drawn = [e for e in entities if e in panel.index and _has_number(panel.loc[e])]
    rows = [panel.loc[e] for e in drawn]
    y = [entities[e] for e in drawn]
    is_range = [pd.isna(r["value"]) for r in rows]
    x = [r["high"] - r["low"] if rng else r["value"] for r, rng in zip(rows, is_range)]
    base = [r["low"] if rng else 0 for r, rng in zip(rows, is_range)]
    faded = [pd.notna(r["condition"]) or bool(r["uncertain"]) or rng for r, rng in zip(rows, is_range)]
    fig.add_trace(go.Bar(
        x=x, y=y, base=base, orientation="h",
        marker=dict(
            color=[entity_colour(e) for e in drawn],
            opacity=[0.45 if f else 1.0 for f in faded],
            pattern=dict(shape=["/" if r["qualifier"] == "estimate" or r["uncertain"] else "" for r in rows],
                         fillmode="overlay", solidity=0.35, fgcolor="white"),
            line=dict(width=0),
        ),
        # NOTE: an en space keeps the label clear of the open-ended arrow head at the bar's end.
        text=[("\u2002" if r["qualifier"] in OPEN_ENDED else "") + value_label(r) for r in rows],
        textposition="outside", cliponaxis=False,
        textfont=dict(size=17), customdata=[_hover(r) for r in rows],
        hovertemplate="<b>%{y}</b>: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
    ), row=i, col=1)
    open_ended = [(r, n) for r, n, e in zip(rows, y, drawn) if r["qualifier"] in OPEN_ENDED]
    if open_ended:  # an arrow head at the bar's end: the true figure lies beyond it
        fig.add_trace(go.Scatter(
            x=[r["value"] for r, _ in open_ended], y=[n for _, n in open_ended], mode="markers",
            marker=dict(symbol="triangle-right", size=16, color=[entity_colour(r.name) for r, _ in open_ended]),
            hoverinfo="skip",
        ), row=i, col=1)
    top = max([r["high"] if pd.isna(r["value"]) else r["value"] for r in rows], default=0)
    fig.update_xaxes(range=[0, (top or 1) * 1.45], row=i, col=1, showticklabels=bool(top),
                     tickformat="~s" if top >= 10_000 else ",")
    axis = "" if i == 1 else str(i)
    for e, name in entities.items():  # not reported / not known: written, never a bar of 0
        if e in drawn:
            continue
        text = value_label(panel.loc[e]) if e in panel.index else NOT_REPORTED
        fig.add_trace(go.Bar(x=[0], y=[name], orientation="h", marker_color="rgba(0,0,0,0)",
                             hoverinfo="skip", showlegend=False), row=i, col=1)
        fig.add_annotation(x=0, y=name, xref=f"x{axis}", yref=f"y{axis}", text=f"<i>{text}</i>",
                           showarrow=False, xanchor="left", xshift=6, font=dict(size=16, color=MUTED))


def _has_number(row: pd.Series) -> bool:
    return row["status"] == "reported" and (pd.notna(row["value"]) or pd.notna(row["low"]))


def _hover(row: pd.Series) -> list[str]:
    source = source_label(row["source_short"], row["source_title"])
    lines = [f"{qualifier_text(row)} · as of {row['as_of']}", f"Source: {source}"]
    if isinstance(row["via"], str):
        lines.append(f"Read in: {row['via_short']}, {format_date(row['via_published'])}")
    if isinstance(row["note"], str):
        lines.append(_wrap(row["note"], 70))
    return [value_label(row), "<br>".join(lines)]


def footnote_lines(rows: pd.DataFrame, data_version: str = "") -> list[str]:
    """Footnote lines: the sources drawn, the marks that appear, access date and data version."""
    lines = _wrap(sources_line(rows), WRAP).split("<br>")
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
    return lines


def _wrap(text: str, width: int) -> str:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(out + [line])
