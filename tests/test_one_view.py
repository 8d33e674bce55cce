"""One view of a comparison, built once, for the page, the image, the deck and the command line:
each of them carries the same values, colours, footnote and words as the view object."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from components.exports.deck import Comparison, build_deck, plan_charts
from components.views.comparison import build_comparison
from tests.conftest import require_chromium

SVG = "{http://www.w3.org/2000/svg}"
PAK_AFG = ["PAK", "AFG"]
# NOTE: written out by hand: the first two Okabe-Ito colours, the page's and every export's
BLUE, ORANGE = "#0072B2", "#E69F00"
TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                         "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def view(real_dataset):
    return build_comparison(real_dataset, PAK_AFG)


def bar_texts(spec: dict) -> list[str]:
    return [t for trace in spec["data"] if trace.get("name") == "values" for t in trace["text"]]


def bar_colours(spec: dict) -> list[str]:
    return [c for trace in spec["data"] if trace.get("name") == "values" for c in trace["marker"]["color"]]


def plain_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.replace("<br>", " ")).replace("&lt;", "<").replace("&amp;", "&").split())


def test_every_chart_of_the_view_is_coloured_by_the_selection(view):
    for family in view.families:
        if family.fig is None:
            continue
        colours = bar_colours(family.fig.to_plotly_json())
        assert set(colours) <= {BLUE, ORANGE} and colours, family.id
    assert view.colours == {"PAK": BLUE, "AFG": ORANGE}


def assert_the_page_draws(at: AppTest, view) -> None:
    """The compare page run by ``at`` drew ``view``: the same figures (title, words, footnote, bar
    labels, colours) and headline. NOTE: called by tests/test_app.py's first test, which runs the
    page for Pakistan vs Afghanistan anyway (one page run less)."""
    drawn = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    families = [f for f in view.families if f.fig is not None]
    assert len(drawn) == len(families)
    for spec, family in zip(drawn, families):
        assert spec["layout"]["meta"]["title"] == family.title
        assert spec["layout"]["meta"]["description"] == family.description
        assert tuple(spec["layout"]["meta"]["footer"]) == family.footnote
        assert bar_texts(spec) == bar_texts(family.fig.to_plotly_json())
        assert bar_colours(spec) == bar_colours(family.fig.to_plotly_json())
    # the headline cards are the view's
    cards = [m.value for m in at.markdown]
    assert any(c.replace("\\", "") == " vs ".join(f"**{p}**" for p in view.headline[0].parts) for c in cards)


def test_the_svg_carries_the_views_title_words_and_footnote(view):
    require_chromium()
    from components.exports.image import export_image

    family = view.family("personnel")
    root = ET.fromstring(export_image(family.fig, "svg"))
    assert root.find(f"{SVG}title").text == family.title
    assert root.find(f"{SVG}desc").text == family.description
    # NOTE: SVG text comes in pieces (a mark is a tspan after a zero-width space): compared without spaces
    text = "".join("".join(root.itertext()).replace("\u200b", "").split())
    assert "".join(family.footnote[-1].split(" · ")[0].split()) in text  # the access line, as the page prints it
    for label in bar_texts(family.fig.to_plotly_json()):
        assert "".join(plain_text(label).split()) in text


def test_the_deck_draws_the_same_views(real_dataset, view):
    comparison = Comparison(tuple(PAK_AFG))
    # the page hands its own view to the deck; the command line builds it with the same producer
    for views in ({comparison: view}, None):
        planned = plan_charts(real_dataset, comparison, (views or {}).get(comparison))
        assert [c.title for c in planned] == [f.title for f in view.families if f.fig is not None]
        prs = Presentation(io.BytesIO(build_deck(real_dataset, [comparison], render=lambda fig: TINY_PNG, views=views)))
        slides = [s for s in prs.slides if any(sh.shape_type == 13 for sh in s.shapes)]
        for slide, family in zip(slides, (f for f in view.families if f.fig is not None)):
            picture = next(sh for sh in slide.shapes if sh.shape_type == 13)
            assert picture.name == family.title
            assert picture._element.nvPicPr.cNvPr.get("descr") == " ".join(family.description.split())
            footnote = next(sh for sh in slide.shapes if sh.name == "Footnote").text_frame
            assert [p.text for p in footnote.paragraphs] == [" ".join(line.split()) for line in family.footnote]
            notes = slide.notes_slide.notes_text_frame.text
            for label in bar_texts(family.fig.to_plotly_json()):
                value = re.sub(r" \(\d{4}\)$", "", plain_text(re.sub(r"<sup>.*?</sup>", "", label)))  # no mark, no year
                assert f": {value} (" in notes


@pytest.mark.parametrize("pair", [("USA", "CHN", "RUS"), ("IND", "PAK"), ("PRK", "KOR")])
def test_one_source_for_all_draws_one_edition_per_chart_and_says_where_it_has_none(real_dataset, pair):
    view = build_comparison(real_dataset, list(pair), basis="one")
    drawn = [f for f in view.families if f.fig is not None]
    assert drawn
    for family in drawn:
        reported = family.rows[family.rows["status"] == "reported"]
        assert reported["source"].nunique() == 1, family.id  # one source edition per chart
        assert set(family.rows["basis_source"]) == set(reported["source"])
        notes = [a["text"] for a in family.fig.to_plotly_json()["layout"]["annotations"] if a.get("name") == "status"]
        # an entity the edition does not cover is said to be "not in" it, never filled from another source
        assert all(n.startswith("<i>not in ") or n in ("<i>not known</i>", "<i>not applicable</i>") for n in notes)
        assert "one source for all: " in family.fig.layout.meta["subtitle"]
