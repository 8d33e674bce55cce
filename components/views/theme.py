"""The one plotly look: slide-legible type, a colour-blind-safe palette, colours per comparison."""

from __future__ import annotations

import hashlib
from typing import Sequence

import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito, colour-blind safe (yellow left out: too pale on white).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999933"]

# NOTE: fixed colours for the focus entities, chosen so that the usual pairings differ; any other
# entity gets a colour from its id's hash, so it too is the same on every page and export.
ENTITY_COLOURS = {
    "PAK": "#009E73", "AFG": "#D55E00", "IND": "#E69F00", "CHN": "#CC79A7", "USA": "#0072B2",
    "RUS": "#D55E00", "UKR": "#56B4E9", "ISR": "#0072B2", "IRN": "#009E73", "TUR": "#CC79A7",
    "SAU": "#999933", "GBR": "#56B4E9", "FRA": "#E69F00", "PRK": "#000000", "KOR": "#56B4E9",
    "JPN": "#D55E00", "TWN": "#009E73", "x-ttp": "#000000", "x-iskp": "#999933",
    "x-baloch": "#CC79A7",
}
TEXT = "#1a1a1a"
MUTED = "#6b6b6b"
GRID = "#e3e3e3"
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
BASE_FONT_SIZE = 18


def entity_colour(entity_id: str) -> str:
    """The entity's colour, identical in every chart and export."""
    if entity_id in ENTITY_COLOURS:
        return ENTITY_COLOURS[entity_id]
    digest = int(hashlib.sha1(entity_id.encode()).hexdigest(), 16)
    return PALETTE[digest % len(PALETTE)]


def comparison_colours(entity_ids: Sequence[str]) -> dict[str, str]:
    """Colours for one comparison, by position in the selection: the first entity gets the
    palette's first colour, and so on, so no two of up to ``len(PALETTE)`` entities share one.

    Pass the result to every chart of a page (and its exports) so an entity keeps its colour
    across them; a repeated id keeps its first colour.
    """
    out: dict[str, str] = {}
    for entity_id in entity_ids:
        if entity_id not in out:
            out[entity_id] = PALETTE[len(out) % len(PALETTE)]
    return out


def _template() -> go.layout.Template:
    return go.layout.Template(layout=go.Layout(
        font=dict(family=FONT, size=BASE_FONT_SIZE, color=TEXT),
        title=dict(font=dict(size=28, color=TEXT), x=0, xanchor="left", xref="paper"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=PALETTE,
        xaxis=dict(gridcolor=GRID, zeroline=True, zerolinecolor="#9a9a9a", ticks="", showline=False,
                   tickfont=dict(size=15, color=MUTED)),
        yaxis=dict(gridcolor=GRID, showgrid=False, ticks="", automargin=True,
                   tickfont=dict(size=BASE_FONT_SIZE, color=TEXT)),
        hoverlabel=dict(font=dict(family=FONT, size=15), bgcolor="white", align="left"),
        showlegend=False,
    ))


TEMPLATE_NAME = "forcedata"
pio.templates[TEMPLATE_NAME] = _template()
TEMPLATE_JSON = pio.templates[TEMPLATE_NAME].to_plotly_json()  # NOTE: what a validated figure carries for the name
