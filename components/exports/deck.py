"""The briefing pack (pure, python-pptx; no streamlit): comparisons in, one 16:9 slide deck out,
with sources on every chart slide, the full citation of every value in the speaker notes, and
each chart's text description as its picture's alt text. Each slide draws the comparison's own
views (components/views/comparison.py): the same figure, words and footnote as the page.
May import components.views, components.exports.image and forcedata.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from components.exports.image import export_image
from components.views.comparison import ComparisonView, FamilyView, build_comparison
from components.views.files import permalink
from forcedata.dataset import Dataset
from forcedata.display import format_date, qualifier_text, scope_line, source_label, value_label

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)   # 16:9, PowerPoint's default widescreen
MARGIN = Inches(0.4)
PICTURE_H = Inches(5.95)                          # the 16:9 chart image; the footnote below it
INK, MUTED_INK = RGBColor(0x1F, 0x29, 0x37), RGBColor(0x55, 0x5F, 0x6D)
OLD_YEARS = 5            # a figure this many years older than its chart's newest is a caveat
LINES_PER_SLIDE = 24     # of citations on a sources or caveats slide
CHARS_PER_LINE = 150     # at 12 pt across the slide

Render = Callable[[object], bytes]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Comparison:
    """One comparison in a deck: entity ids in order, the families (None: all of them), and how
    figures are chosen (``"best"`` available per entity, or ``"one"`` source for all)."""

    entities: tuple[str, ...]
    families: tuple[str, ...] | None = None
    basis: str = "best"


def build_deck(ds: Dataset, comparisons: Iterable[Comparison], *, title: str = "",
               base_url: str = "", today: dt.date | None = None,
               render: Render | None = None, progress: Progress | None = None,
               plans: list[tuple[Comparison, list[FamilyView]]] | None = None,
               views: dict[Comparison, ComparisonView] | None = None) -> bytes:
    """The slide deck for one or more comparisons, as .pptx bytes.

    Args:
        ds: the dataset.
        comparisons: what to compare; families default to every family with a figure.
        title: the deck's title (default: "Military balance: A vs B" for one comparison).
        base_url: the dashboard's address, for the permalinks ("" gives a relative link).
        today: the date printed on the title slide.
        render: figure -> PNG bytes (default: kaleido at the 16:9 preset, 3840x2160; one
            kaleido server serves the whole deck).
        progress: called as ``progress(done, total, label)`` after each chart slide.
        plans: ``plan_charts`` of each comparison, when the caller planned them already (the
            command line, which shows its planning as progress too).
        views: a comparison's view already built (the compare page's cached one): its slides draw
            those very objects.

    Returns:
        A 16:9 deck: title slide(s), one slide per family shown (chart image with alt text,
        footnote on the slide, citations in the notes), a caveats slide when there are any, and
        a closing sources slide.
    """
    render = render or (lambda fig: export_image(fig, "png", "16:9"))
    today = today or dt.date.today()
    plans = plans if plans is not None else [(c, plan_charts(ds, c, (views or {}).get(c))) for c in comparisons]
    total = sum(len(charts) for _, charts in plans)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    if len(plans) > 1:
        _cover_slide(prs.slides.add_slide(blank), title or "Military balance briefing",
                     [comparison_title(ds, c) for c, _ in plans], ds.version, today)
    done = 0
    drawn = []
    for comparison, charts in plans:
        heading = title if len(plans) == 1 and title else comparison_title(ds, comparison)
        _title_slide(prs.slides.add_slide(blank), ds, comparison, charts, heading=heading,
                     link=permalink(base_url, comparison_params(comparison, ds.version)),
                     today=today)
        for chart in charts:
            _chart_slide(prs.slides.add_slide(blank), chart, render(chart.fig))
            drawn.append(chart)
            done += 1
            if progress:
                progress(done, total, chart.title)
    caveats = list(dict.fromkeys(c for comparison, charts in plans for c in comparison_caveats(ds, comparison, charts)))
    for i, chunk in enumerate(_chunks(caveats)):
        _list_slide(prs.slides.add_slide(blank), "Caveats" + (f" ({i + 1})" if i else ""), chunk)
    rows = pd.concat([c.rows for c in drawn]) if drawn else pd.DataFrame()
    citations = source_citations(rows) or ["No figures were drawn."]
    for i, chunk in enumerate(_chunks(citations)):
        _list_slide(prs.slides.add_slide(blank), "Sources" + (f" ({i + 1})" if i else ""), chunk)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def plan_charts(ds: Dataset, comparison: Comparison, view: ComparisonView | None = None) -> list[FamilyView]:
    """The chart slides of a comparison: its view's families (``build_comparison``, or ``view``
    when given) that were asked for and have a figure, in catalogue order (a family with no
    figure for the selection has no slide)."""
    view = view or build_comparison(ds, comparison.entities, basis=comparison.basis)
    wanted = set(comparison.families or ds.families)
    return [v for v in view.families if v.id in wanted and v.fig is not None]


def comparison_params(comparison: Comparison, version: str) -> dict[str, str]:
    """The link parameters that reproduce a comparison on the compare page."""
    params = {"c": ",".join(comparison.entities), "v": version}
    if comparison.basis != "best":
        params["basis"] = comparison.basis
    return params


def comparison_title(ds: Dataset, comparison: Comparison) -> str:
    """'Military balance: Pakistan vs Afghanistan'."""
    return "Military balance: " + " vs ".join(ds.entities[e].header.name for e in comparison.entities)


def comparison_caveats(ds: Dataset, comparison: Comparison, charts: list[FamilyView]) -> list[str]:
    """What a reader of the comparison must know: non-state actors, entity notes (such as a de
    facto authority), charts mixing sources, and figures much older than their chart's newest."""
    out = []
    for e in comparison.entities:
        header = ds.entities[e].header
        if header.kind == "non_state":
            out.append(f"{header.name} is a non-state armed group: its figures are estimates "
                       "reported by others, not official returns.")
        if header.notes:
            out.append(f"{header.name}: {' '.join(header.notes.split())}")
    for chart in charts:
        sources = chart.rows.dropna(subset=["source"]).drop_duplicates("source")
        scoped = scope_line(chart.rows)
        if scoped:
            out.append(f"{chart.title}: {scoped}")
        if len(sources) > 1:
            labels = "; ".join(source_label(str(s.source_short), str(s.source_title)) for s in sources.itertuples())
            out.append(f"{chart.title}: the figures come from different sources ({labels}); "
                       "their definitions and dates may differ.")
        years = chart.rows["year"].dropna()
        if len(years):
            newest = int(years.max())
            for r in chart.rows[chart.rows["year"] < newest - OLD_YEARS].itertuples():
                out.append(f"{chart.title}: {r.entity_name}'s "
                           f"{r.metric_label.lower()} figure is as of {r.as_of}, more than "
                           f"{OLD_YEARS} years older than the newest in the chart ({newest}).")
    return out


def notes_text(chart: FamilyView) -> str:
    """Speaker notes: the chart's description, then every value drawn with its qualifier, as-of,
    note and full citation (and the report it was read in)."""
    lines = [chart.description, "", "Values drawn, with their sources:"]
    for r in chart.rows.itertuples():
        row = r._asdict()
        qualifier = qualifier_text(row)
        line = (f"- {r.entity_name}, {r.metric_label}: {value_label(row)}"
                f"{f' ({qualifier})' if qualifier else ''}, as of {r.as_of}. "
                f"Source: {_clean(r.source_citation)}")
        if isinstance(r.via_citation, str):
            line += f" Read in: {_clean(r.via_citation)}"
        if isinstance(r.locator, str):
            line += f" Where: {_clean(r.locator)}."
        if isinstance(r.note, str):
            line += f" Note: {_clean(r.note)}"
        lines.append(line)
    return "\n".join(lines)


def source_citations(rows: pd.DataFrame) -> list[str]:
    """Full citations of the sources drawn, each once, with the reports they were read in."""
    out = []
    if rows.empty:
        return out
    for _, group in rows.dropna(subset=["source"]).groupby("source", sort=False):
        line = _clean(group["source_citation"].iloc[0])
        vias = list(dict.fromkeys(_clean(v) for v in group["via_citation"].dropna()))
        if vias:
            line += " Read in: " + " ".join(vias)
        out.append(line)
    return out


# Slides ------------------------------------------------------------------------------------

def _cover_slide(slide, title: str, parts: list[str], version: str, today: dt.date) -> None:
    _text(slide, MARGIN, Inches(1.6), SLIDE_W - 2 * MARGIN, Inches(1.4), [(title, 40, True, INK)])
    body = [(p.removeprefix("Military balance: "), 20, False, INK) for p in parts]
    body.append((f"Prepared {format_date(today.isoformat())} · data version {version}", 14, False, MUTED_INK))
    _text(slide, MARGIN, Inches(3.1), SLIDE_W - 2 * MARGIN, Inches(3.8), body)


def _title_slide(slide, ds: Dataset, comparison: Comparison, charts: list[FamilyView], *,
                 heading: str, link: str, today: dt.date) -> None:
    families = sorted(ds.families.values(), key=lambda f: f.order)
    wanted = [f for f in families if f.id in set(comparison.families or ds.families)]
    shown = {c.id for c in charts}
    _text(slide, MARGIN, Inches(1.4), SLIDE_W - 2 * MARGIN, Inches(1.6), [(heading, 40, True, INK)])
    body = [("Compared: " + ", ".join(f.label.lower() if i else f.label
                                       for i, f in enumerate(f for f in wanted if f.id in shown)), 20, False, INK)]
    missing = [f.label.lower() for f in wanted if f.id not in shown]
    if missing:
        body.append(("No figures reported for the selection: " + ", ".join(missing) + ".", 16, False, MUTED_INK))
    body += [
        (f"Prepared {format_date(today.isoformat())} · data version {ds.version}", 16, False, MUTED_INK),
        (f"Link: {link}", 14, False, MUTED_INK),
        (("Every chart names its sources on the slide; the speaker notes give the full citation "
          "of each value."), 14, False, MUTED_INK),
    ]
    _text(slide, MARGIN, Inches(3.1), SLIDE_W - 2 * MARGIN, Inches(3.9), body)


def _chart_slide(slide, chart: FamilyView, png: bytes) -> None:
    width = int(PICTURE_H * 16 / 9)
    pic = slide.shapes.add_picture(io.BytesIO(png), Emu((SLIDE_W - width) // 2), Inches(0.15),
                                   width=width, height=PICTURE_H)
    pic.name = chart.title
    # NOTE: python-pptx has no alt-text API: the description is cNvPr's descr attribute, what
    # PowerPoint shows as "Alt Text" and screen readers read.
    pic._element.nvPicPr.cNvPr.set("descr", _clean(chart.description))
    top = Inches(0.15) + PICTURE_H + Inches(0.05)
    box = _text(slide, MARGIN, top, SLIDE_W - 2 * MARGIN, SLIDE_H - top - Inches(0.1),
                [(line, 10, False, MUTED_INK) for line in chart.footnote])
    box.name = "Footnote"
    slide.notes_slide.notes_text_frame.text = notes_text(chart)


def _list_slide(slide, title: str, items: list[str]) -> None:
    _text(slide, MARGIN, Inches(0.3), SLIDE_W - 2 * MARGIN, Inches(0.9), [(title, 32, True, INK)])
    _text(slide, MARGIN, Inches(1.2), SLIDE_W - 2 * MARGIN, SLIDE_H - Inches(1.5),
          [(f"• {item}", 12, False, INK) for item in items])


def _text(slide, left, top, width, height, paragraphs: list[tuple[str, int, bool, RGBColor]]):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for i, (text, size, bold, colour) in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.space_after = Pt(size * 0.4)
        run = para.add_run()
        run.text = _clean(text)
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return box


def _chunks(items: list[str]) -> list[list[str]]:
    """Items split into slides of at most ``LINES_PER_SLIDE`` estimated lines each."""
    out, current, used = [], [], 0
    for item in items:
        lines = max(1, math.ceil(len(item) / CHARS_PER_LINE))
        if current and used + lines > LINES_PER_SLIDE:
            out.append(current)
            current, used = [], 0
        current.append(item)
        used += lines
    return out + [current] if current else out


def _clean(text: object) -> str:
    """One line of text, without the control characters XML (and so .pptx) cannot hold."""
    return " ".join("".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in str(text)).split())
