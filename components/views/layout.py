"""The pixel layout engine for chart images: text blocks (title, subtitle, footnote) keep their
size on any canvas and the panels share what is left, so a chart fits a screen, a 16:9 or a 4:3
slide without clipping. Pure plotly, no streamlit; components/views/charts.py builds the figures."""

from __future__ import annotations

import copy

import plotly.graph_objects as go
import plotly.io as pio

from components.views.theme import MUTED, TEMPLATE_JSON, TEMPLATE_NAME

# preset -> (width, height, scale): 16:9 gives a 3840x2160 PNG, 4:3 a 3200x2400 PNG.
PRESETS = {"16:9": (1920, 1080, 2), "4:3": (1600, 1200, 2)}

# Layout in pixels: text blocks keep their size whatever the canvas, the panels share the rest.
EDGE = 20               # blank border around the image
BAR_PITCH = 46          # natural height per bar on screen
PANEL_GAP = 84          # between panels: x tick labels of one, the title of the next
PANEL_TITLE = 36        # above the first panel, for its title
TICKS = 34              # under the last panel, for its x tick labels
MAX_HEIGHT = 1080       # NOTE: never taller than a 16:9 slide, so that the modebar's 1920x1080
                        # export keeps the screen layout (the panels are never squeezed)
SCREEN_WIDTH = 1100     # width assumed when wrapping text for the responsive on-screen chart
TITLE_SIZE, SUBTITLE_SIZE, PANEL_TITLE_SIZE, FOOT_SIZE = 28, 17, 19, 14
NAME_SIZE, LABEL_SIZE = 18, 17
LINE = 1.3              # line height, in font sizes
MAX_BAR = 56            # thickest bar, px
# NOTE: the text blocks never take the plot's room: beyond these many lines a block is cut, its
# last line ending in "…" (a title or footnote from data can be any length)
MAX_TITLE_LINES, MAX_SUBTITLE_LINES, MAX_FOOT_LINES = 3, 4, 12
MAX_NAME_CHARS = 40     # an entity name longer than this is cut on the axis, with "…" (the longest now: 40)
MORE = "…"


def chart_text(text: object) -> str:
    """Text from a data file made inert for plotly, which reads a subset of HTML (<a>, <b>, ...)
    in every label: names, captions, notes and citations are shown as written, never as markup."""
    # NOTE: only "&" and "<" can start markup; "> 6,000" keeps its plain ">".
    return str(text).replace("&", "&amp;").replace("<", "&lt;")


def layout_for_export(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A copy of a ``fig_family`` figure laid out for a fixed canvas (e.g. 1920x1080).

    Title, subtitle and footnote are re-wrapped for the width and keep their size; the panels
    share whatever height is left, so nothing is clipped at any preset.
    """
    spec = copy.deepcopy(fig.to_plotly_json())
    fit(spec, width, height)
    return from_spec(spec)


def from_spec(spec: dict, figure_class: type[go.Figure] = go.Figure) -> go.Figure:
    """A figure of a spec this package wrote (``{"data": [...], "layout": {...}}``, plain dicts),
    taken as it is (the spec is not copied: the caller hands it over).

    NOTE: plotly's validation of every property was most of the cost of drawing a new comparison
    (twice, when a shared copy was made): our own specs are taken unvalidated, with the template's
    name replaced by the template itself as validation would (plotly.js knows no named template).
    tests/test_charts.py checks that every figure of a comparison validates and serialises the
    same as an unvalidated one.
    """
    layout = spec["layout"]
    if isinstance(layout.get("template"), str):
        layout["template"] = copy.deepcopy(pio.templates[layout["template"]].to_plotly_json()
                                           if layout["template"] != TEMPLATE_NAME else TEMPLATE_JSON)
    return figure_class(spec, _validate=False)


def fit(spec: dict, width: int | None, height: int | None) -> None:
    """Lay out title, panels and footnote of a figure spec (``{"data": [...], "layout": {...}}``,
    plain dicts) for a canvas, in place; ``None`` means the screen's defaults.

    NOTE: the chart is laid out as plain data and made a plotly figure once: setting the same
    properties through plotly's object model (update_traces, update_annotations, make_subplots)
    validated every step and was most of the cost of drawing a new comparison.
    """
    layout, data = spec["layout"], spec["data"]
    meta = layout["meta"]
    n, names = meta["panels"], meta["names"]
    canvas = width or SCREEN_WIDTH
    wrap_width = canvas - 2 * EDGE - 20
    title = [chart_text(t) for t in at_most(wrap_px(meta["title"], TITLE_SIZE, wrap_width, bold=True),
                                            MAX_TITLE_LINES, TITLE_SIZE, wrap_width, bold=True)]
    subtitle = ([chart_text(t) for t in at_most(wrap_px(meta["subtitle"], SUBTITLE_SIZE, wrap_width),
                                                MAX_SUBTITLE_LINES, SUBTITLE_SIZE, wrap_width)]
                if meta["subtitle"] else [])
    # NOTE: the last paragraph (access date and data version) is always kept whole
    *notes, stamp = [wrap_px(line, FOOT_SIZE, wrap_width) for line in meta["footer"]] or [[]]
    stamp = stamp[:MAX_FOOT_LINES // 2]
    footer = [chart_text(t) for t in at_most([part for lines in notes for part in lines],
                                             MAX_FOOT_LINES - len(stamp), FOOT_SIZE, wrap_width) + stamp]
    shown_names = [shorten_name(name) for name in names]
    # NOTE: plotly sets a multi-line title's first baseline at the anchor itself (a one-line
    # title gets 0.7 em below it), so a wrapped title is pushed down by that much.
    title_pad = EDGE + (0.7 * TITLE_SIZE if len(title) > 1 else 0)
    top = (title_pad + len(title) * TITLE_SIZE * LINE + (8 + len(subtitle) * SUBTITLE_SIZE * LINE)
           + 12 + PANEL_TITLE)
    bottom = TICKS + 10 + len(footer) * FOOT_SIZE * LINE + EDGE
    if height is None:
        natural = top + bottom + n * len(names) * BAR_PITCH + (n - 1) * PANEL_GAP
        height = int(min(max(natural, 360), MAX_HEIGHT))
    plot = max(height - top - bottom, 40.0)
    gap = min(PANEL_GAP, plot * 0.35 / max(n - 1, 1)) if n > 1 else 0
    panel = (plot - (n - 1) * gap) / n
    pitch = panel / max(len(names), 1)
    name_size = int(max(11, min(NAME_SIZE, pitch * 0.7)))
    label_size = int(max(11, min(LABEL_SIZE, pitch * 0.66)))
    # NOTE: an estimate of the widest name: the left margin is at least that, and automargin
    # only ever widens it, so the footnote shifted back by this much never leaves the image.
    left = EDGE + 12 + int(max((text_px(name, name_size) for name in shown_names), default=0))
    for k in range(n):
        hi = 1 - k * (panel + gap) / plot
        axis = layout.setdefault(f"yaxis{k + 1 if k else ''}", {})
        axis["domain"] = [max(hi - panel / plot, 0), hi]
    annotations = layout.get("annotations", [])
    for k, ann in enumerate(a for a in annotations if a.get("name") == "panel title"):
        ann.update(y=1 - k * (panel + gap) / plot, yshift=4)
    for key, axis in layout.items():
        if key.startswith("yaxis"):
            axis.setdefault("tickfont", {})["size"] = name_size
            if shown_names != names:  # NOTE: the bars keep the full name (hover, categories); the axis a short one
                axis.update(tickmode="array", tickvals=names, ticktext=shown_names)
    # NOTE: a bar is never thicker than MAX_BAR px: two entities on a slide get white space
    # between their bars, not slabs.
    layout["bargap"] = max(0.3, 1 - MAX_BAR / pitch)
    for trace in data:
        if trace.get("name") == "range":
            trace.setdefault("marker", {})["size"] = int(min(MAX_BAR, pitch * 0.7) * 0.6)
        if trace.get("type") == "bar":
            trace.setdefault("textfont", {})["size"] = label_size
    for ann in annotations:
        if ann.get("name") == "status":
            ann.setdefault("font", {})["size"] = max(11, label_size - 1)
        elif ann.get("name") == "footnote":
            ann.update(text="<br>".join(footer), yshift=-TICKS, xshift=EDGE - left)
    # NOTE: the footnote stays the last annotation (tests and readers find it there).
    layout["annotations"] = ([a for a in annotations if a.get("name") != "footnote"]
                             + [a for a in annotations if a.get("name") == "footnote"])
    layout["title"] = dict(
        text="<br>".join(f"<b>{t}</b>" for t in title) if len(title) > 1 else f"<b>{title[0]}</b>",
        subtitle=dict(text="<br>".join(subtitle), font=dict(size=SUBTITLE_SIZE, color=MUTED)),
        x=0, xref="container", xanchor="left", y=1, yref="container", yanchor="top",
        pad=dict(l=EDGE, t=title_pad), automargin=False)
    layout["height"] = height
    if width is not None:
        layout["width"] = width
    else:
        layout.pop("width", None)
    layout["margin"] = dict(l=left, r=EDGE + 20, t=int(top), b=int(bottom), autoexpand=True)


def at_most(lines: list[str], count: int, size: float, width: float, bold: bool = False) -> list[str]:
    """``lines`` cut to ``count`` lines, the last one then ending in "…" within ``width`` pixels."""
    if len(lines) <= count:
        return lines
    words = lines[count - 1].split()
    while words and text_px(" ".join(words) + " " + MORE, size, bold) > width:
        words.pop()
    return lines[: count - 1] + [" ".join([*words, MORE])]


def shorten_name(name: str, limit: int = MAX_NAME_CHARS) -> str:
    """An entity name (already escaped by ``chart_text``) cut to at most ``limit`` characters with
    "…", at a word's end where one is near, never inside an escape such as ``&amp;``."""
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    if " " in cut[-12:]:  # NOTE: at a word's end when one is near
        cut = cut[: cut.rfind(" ")]
    amp = cut.rfind("&")
    if amp >= 0 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + MORE


# Approximate advance widths of DejaVu Sans (the template's first font), in ems; rounded up so
# that a line estimated to fit does fit (Arial, the fallback, is narrower).
_NARROW, _WIDE = set("iljft.,;:'|!()[] rI"), set("mwMW@%")


def _char_em(ch: str) -> int:
    """A character's width in hundredths of an em (whole numbers: a line's width is exactly the
    sum of its words', whatever the order of adding)."""
    if ch in _NARROW:
        return 36
    if ch in _WIDE:
        return 98
    if ch.isupper():
        return 74
    if ch.isdigit() or ch.islower():
        return 64
    return 80


_EMS: dict[str, int] = {}  # NOTE: a word's width, measured once (a bounded set of words)
_EMS_KEPT = 50_000


def _ems(word: str) -> int:
    em = _EMS.get(word)
    if em is None:
        em = sum(_char_em(ch) for ch in word)
        if len(_EMS) < _EMS_KEPT:
            _EMS[word] = em
    return em


def text_px(text: str, size: float, bold: bool = False) -> float:
    """Estimated rendered width of ``text`` in pixels."""
    return sum(_char_em(ch) for ch in text) * size * (1.12 if bold else 1.0) / 100


def wrap_px(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` to lines of at most ``width`` pixels.

    NOTE: a line's width is the sum of its words' and spaces' (``text_px`` adds character
    widths), so each word is measured once rather than the whole line again for every word.
    """
    space = _char_em(" ")
    out, line, line_em = [], "", 0
    for word in text.split():
        em = _ems(word)
        if line and (line_em + space + em) * size * (1.12 if bold else 1.0) / 100 > width:
            out.append(line)
            line, line_em = word, em
        elif line:
            line, line_em = f"{line} {word}", line_em + space + em
        else:
            line, line_em = word, em
    return out + [line] if line or not out else out
