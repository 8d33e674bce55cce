"""The briefing pack: the deck read back with python-pptx, brief files refused with their line,
the SVG's <title>/<desc>, and the compare page's words, table and deck button."""

from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from components.exports.brief import Brief, BriefError, load_brief
from components.views.charts import family_chart
from components.exports.deck import Comparison, build_deck, comparison_caveats, plan_charts
from components.views.comparison import FamilyView
from components.exports.image import export_image, svg_with_text
from forcedata.frame import default_values
from tests.conftest import ROOT, markdown_tables, require_chromium, run_export

SVG_NS = "{http://www.w3.org/2000/svg}"
PAK_AFG = Comparison(("PAK", "AFG"))


@pytest.fixture(scope="module")
def ds(real_dataset):
    return real_dataset


def tiny_png(fig) -> bytes:
    """A stand-in for kaleido where the image itself is not under test."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def deck(ds):
    """The PAK vs AFG deck, every family (built once; the pictures are stand-ins: kaleido's
    images are tested on a one-chart deck below)."""
    progress = []
    data = build_deck(ds, [PAK_AFG], base_url="https://dash.example/compare", render=tiny_png,
                      progress=lambda done, total, label: progress.append((done, total, label)))
    return Presentation(io.BytesIO(data)), progress


def pictures(slide):
    return [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def chart_slides(prs):
    return [s for s in prs.slides if pictures(s)]


def slide_text(slide) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def squash(text: object) -> str:
    return " ".join(str(text).split())


# 1/ THE DECK ---------------------------------------------------------------------------------

def test_slides_are_16_by_9(deck):
    prs, _ = deck
    assert prs.slide_width * 9 == pytest.approx(prs.slide_height * 16, rel=1e-3)


def test_one_chart_slide_per_family_shown_in_catalogue_order(ds, deck):
    prs, progress = deck
    expected = [c.title for c in plan_charts(ds, PAK_AFG)]
    assert len(expected) == 7  # PAK vs AFG: every family has a figure (Afghanistan: no navy)
    assert [pictures(s)[0].name for s in chart_slides(prs)] == expected
    assert [p[:2] for p in progress] == [(i, 7) for i in range(1, 8)]


def test_pictures_are_drawn_by_kaleido_at_slide_resolution(ds):
    require_chromium()
    prs = Presentation(io.BytesIO(build_deck(ds, [Comparison(("PAK", "AFG"), ("personnel",))])))
    [slide] = chart_slides(prs)
    assert pictures(slide)[0].image.size == (3840, 2160)


def test_pictures_carry_the_description_as_alt_text(ds, deck):
    prs, _ = deck
    for slide, chart in zip(chart_slides(prs), plan_charts(ds, PAK_AFG)):
        pic = pictures(slide)[0]
        alt = pic._element.nvPicPr.cNvPr.get("descr")
        assert alt and alt == squash(chart.fig.layout.meta["description"])
    personnel = pictures(chart_slides(prs)[0])[0]._element.nvPicPr.cNvPr.get("descr")
    assert "Pakistan 660,000; Afghanistan 172,000" in personnel
    assert "Pakistan has 3.8 times as many as Afghanistan." in personnel


def test_footnote_with_sources_and_marks_is_on_the_slide(deck):
    prs, _ = deck
    air = next(s for s in chart_slides(prs) if pictures(s)[0].name.startswith("Air forces"))
    footnote = next(s for s in air.shapes if s.name == "Footnote").text_frame.text
    assert footnote.startswith("Sources: ") and "IISS, The Military Balance 2025 (via Reuters" in footnote
    assert "Global Firepower 2026 Military Strength Ranking (alternative index)" in footnote
    assert "Counted differently from the definition: fixed-wing aircraft (all types): includes helicopters" in footnote
    assert "> more than" in footnote and "≥ at least" in footnote and "†" in footnote


def test_notes_cite_every_value_drawn(ds, deck):
    prs, _ = deck
    for slide, chart in zip(chart_slides(prs), plan_charts(ds, PAK_AFG)):
        notes = squash(slide.notes_slide.notes_text_frame.text)
        for row in chart.rows.itertuples():
            assert squash(row.source_citation) in notes
            if isinstance(row.via_citation, str):
                assert squash(row.via_citation) in notes
    air_notes = chart_slides(prs)[2].notes_slide.notes_text_frame.text
    assert "Afghanistan, Helicopters (all types): ≥ 23 † (at least, condition unknown), as of 2025" in air_notes


def test_title_caveats_and_closing_sources_slides(ds, deck):
    prs, _ = deck
    slides = list(prs.slides)
    title = slide_text(slides[0])
    assert "Pakistan vs Afghanistan" in title and ds.version in title
    assert f"https://dash.example/compare?c=PAK,AFG&v={ds.version}" in title
    caveats = slide_text(slides[-2])
    assert caveats.startswith("Caveats") and "de facto authority" in caveats
    sources = squash(slide_text(slides[-1]))
    assert sources.startswith("Sources")
    charts = plan_charts(ds, PAK_AFG)
    for citation in default_values(ds.frame, ["PAK", "AFG"])["source_citation"].dropna().unique():
        if any(c.rows["source_citation"].eq(citation).any() for c in charts):
            assert squash(citation) in sources


def test_no_caveats_slide_without_caveats(ds):
    prs = Presentation(io.BytesIO(build_deck(ds, [Comparison(("PAK",), ("nuclear",))], render=tiny_png)))
    titles = [slide_text(s).split(" ")[0] for s in prs.slides]
    assert "Caveats" not in titles and titles[-1] == "Sources"
    assert len(chart_slides(prs)) == 1


def test_caveats_name_non_state_mixed_sources_and_old_figures(ds):
    pak_ttp = Comparison(("PAK", "x-ttp"), ("personnel",))
    caveats = " ".join(comparison_caveats(ds, pak_ttp, plan_charts(ds, pak_ttp)))
    assert "Tehreek-e-Taliban Pakistan (TTP) is a non-state armed group" in caveats
    assert "Personnel: Pakistan vs Tehreek-e-Taliban Pakistan (TTP): the figures come from different sources" in caveats
    rows = pd.DataFrame([
        {"entity": "PAK", "entity_name": "P", "metric_label": "Active personnel", "as_of": "2025", "year": 2025,
         "source": "a", "source_short": "A", "source_title": "T"},
        {"entity": "AFG", "entity_name": "A", "metric_label": "Active personnel", "as_of": "2019", "year": 2019,
         "source": "a", "source_short": "A", "source_title": "T"},
    ])
    chart = FamilyView("personnel", "Personnel", None, rows, "", "", pd.DataFrame(), (), title="Personnel: P vs A")
    old = comparison_caveats(ds, Comparison(("PAK",)), [chart])
    assert old == [("Personnel: P vs A: A's active personnel figure is as of 2019, more than 5 years "
                    "older than the newest in the chart (2025).")]
    rows.loc[1, ["as_of", "year"]] = ["2020", 2020]  # exactly 5 years older: no caveat
    assert comparison_caveats(ds, Comparison(("PAK",)), [dataclasses.replace(chart, rows=rows)]) == []


def test_a_brief_is_one_deck_with_a_cover(ds):
    comparisons = [Comparison(("PAK", "AFG"), ("personnel",)), Comparison(("PAK", "x-ttp"), ("personnel", "air"))]
    prs = Presentation(io.BytesIO(build_deck(ds, comparisons, title="Border brief", render=tiny_png)))
    assert slide_text(prs.slides[0]).startswith("Border brief")
    assert len(chart_slides(prs)) == 3
    assert slide_text(list(prs.slides)[-1]).startswith("Sources")


# 2/ BRIEF FILES ------------------------------------------------------------------------------

BAD_BRIEF = """\
title: Border brief
comparisons:
  - entities: [PAK, AFG]
    families: [personnel]
  - entities:
      - PAK
      - PAKK
  - entities: 12
    families: [navy]
"""


def test_brief_with_a_wrong_entity_id_is_refused_naming_its_line(ds, tmp_path):
    path = tmp_path / "brief.yaml"
    path.write_text(BAD_BRIEF, encoding="utf-8")
    with pytest.raises(BriefError) as err:
        load_brief(path, ds)
    lines = [str(p) for p in err.value.problems]
    assert any(line.endswith("brief.yaml:7: comparisons[1].entities[1]: unknown entity id 'PAKK' — use an id "
                             "from data/forces/ (ISO 3166-1 alpha-3 such as PAK, or x-ttp); the Sources page "
                             "lists them") for line in lines)
    assert any("brief.yaml:8: comparisons[2].entities: must be a list, not a number" in line for line in lines)
    assert any("brief.yaml:9: comparisons[2].families[0]: unknown family 'navy' — use one of personnel" in line
               for line in lines)


@pytest.mark.parametrize("text, message", [
    ("- PAK\n", "brief.yaml:1: a brief is a mapping, not a list"),
    ("title: [a]\ncomparisons:\n  - entities: [PAK]\n", "brief.yaml:1: title: must be text, not a list"),
    ("title: x\n", "brief.yaml:1: comparisons: missing or empty"),
    ("comparisons:\n  - entities: [PAK]\n    colour: red\n", "brief.yaml:3: comparisons[0].colour: unknown field"),
    ("comparisons:\n  - entities: [PAK, AFG, IND, CHN, USA, RUS, GBR]\n", "brief.yaml:2: comparisons[0].entities: 7 entities"),
    ("comparisons:\n  - entities: [" + "A" * 3000 + "]\n",
     "brief.yaml:2: comparisons[0].entities[0]: unknown entity id '" + "A" * 39 + "…' — use an id"),
    ("comparisons:\n  - entities: [PAK]\n  - entities: [PAK]\n  - entities: [PAK]\n comparisons: x\n",
     "brief.yaml:5: "),  # the indentation break, named on its line
])
def test_bad_briefs_are_refused_with_a_located_message(ds, tmp_path, text, message):
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError) as err:
        load_brief(path, ds)
    assert any(message in str(p) for p in err.value.problems), err.value.problems


def test_a_good_brief_reads_ids_as_text(ds, tmp_path):
    path = tmp_path / "brief.yaml"
    path.write_text("title: T\ncomparisons:\n  - entities: [pak, afg]\n  - entities: PAK,x-ttp\n"
                    "    families: [air]\n", encoding="utf-8")
    brief = load_brief(path, ds)
    assert brief == Brief("T", [Comparison(("PAK", "AFG")), Comparison(("PAK", "x-ttp"), ("air",))])
    path.write_text("comparisons:\n  - entities: [PAK, NO]\n", encoding="utf-8")
    with pytest.raises(BriefError) as err:  # NO (Norway's alpha-2) stays text, never false
        load_brief(path, ds)
    assert "unknown entity id 'NO'" in str(err.value)


def test_cli_refuses_a_bad_brief_with_its_line(tmp_path):
    path = tmp_path / "brief.yaml"
    path.write_text(BAD_BRIEF, encoding="utf-8")
    result = run_export("--brief", str(path), "--out", str(tmp_path / "x.pptx"))
    assert result.returncode == 2
    assert "brief.yaml:7: comparisons[1].entities[1]: unknown entity id 'PAKK'" in result.stderr
    assert not (tmp_path / "x.pptx").exists()


def test_cli_writes_one_deck_from_a_brief_with_a_progress_bar(tmp_path):
    require_chromium()
    path = tmp_path / "brief.yaml"
    path.write_text("title: Border brief\ncomparisons:\n  - entities: [PAK, AFG]\n    families: [personnel]\n"
                    "  - entities: [PAK, x-ttp]\n    families: [personnel]\n", encoding="utf-8")
    out = tmp_path / "brief.pptx"
    result = run_export("--brief", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "] 2/2 Personnel: Pakistan vs Tehreek-e-Taliban Pakistan (TTP)" in result.stderr
    prs = Presentation(str(out))
    assert len(chart_slides(prs)) == 2
    assert slide_text(prs.slides[0]).startswith("Border brief")


def test_cli_pptx_for_entities(tmp_path, ds):
    require_chromium()
    out = tmp_path / "deck.pptx"
    result = run_export("--entities", "PAK,AFG", "--family", "personnel,air", "--format", "pptx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert [pictures(s)[0].name for s in chart_slides(Presentation(str(out)))] == [
        "Personnel: Pakistan vs Afghanistan", "Air forces: Pakistan vs Afghanistan"]
    assert run_export("--entities", "PAK,AFG", "--format", "png").returncode == 2  # one chart needs one family


# 3/ SVG --------------------------------------------------------------------------------------

def test_svg_carries_title_and_description(ds):
    require_chromium()
    names = {"PAK": "Pakistan", "AFG": "Afghanistan"}
    fig = family_chart(default_values(ds.frame, list(names)), names, "air", ds.version)
    root = ET.fromstring(export_image(fig, "svg"))
    first, second = list(root)[:2]
    assert (first.tag, first.text) == (f"{SVG_NS}title", "Air forces: Pakistan vs Afghanistan")
    assert second.tag == f"{SVG_NS}desc" and second.text == fig.layout.meta["description"]
    assert "Afghanistan at least 23 (condition unknown)" in second.text  # IISS's helicopters, in words


def test_svg_text_is_escaped():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10"><rect/></svg>'
    out = svg_with_text(svg, title="A & B", description='</desc><script>alert(1)</script>\x07 "x"')
    root = ET.fromstring(out)
    assert [c.tag for c in root] == [f"{SVG_NS}title", f"{SVG_NS}desc", f"{SVG_NS}rect"]
    assert root[0].text == "A & B"
    assert root[1].text == '</desc><script>alert(1)</script> "x"'
    assert root.get("role") == "img"


# 4/ THE PAGE ---------------------------------------------------------------------------------

def test_compare_page_describes_each_chart_and_offers_the_deck(ds):
    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=60)
    at.query_params["c"] = "PAK,AFG"
    at.run()
    assert not at.exception
    expanders = [e for e in at.expander if e.label.startswith("Describe this chart")]
    assert len(expanders) == 7
    assert not at.text and len(markdown_tables(at)) == 1  # the relative measures: descriptions are built once opened
    for family in ds.families:
        at.session_state[f"compare_words_{family}"] = True
    at.run()
    texts = [t.value for t in at.text]
    assert any(t.startswith("Personnel: Pakistan vs Afghanistan") and "Pakistan 660,000; Afghanistan 172,000" in t
               for t in texts)
    tables = [t for t in markdown_tables(at) if list(t.columns)[:3] == ["Metric", "Entity", "Value"]]
    assert len(tables) == 7
    # NOTE: cells are Markdown: "> 260" is sent escaped, else it would show as a quote block
    assert ["Pakistan", "\\> 260"] in tables[2][["Entity", "Value"]].values.tolist()
    buttons = [b for b in at.get("download_button") if "slide deck" in b.proto.label]
    assert len(buttons) == 1 and buttons[0].proto.label == "Download slide deck (PPTX)"


def test_hostile_names_stay_inert_in_the_description(data_dir, write_entity, monkeypatch):
    name = "<script>alert(1)</script> [x](https://evil.example) " + "A" * 60  # NOTE: names are cut at 120 characters
    write_entity("ABC", f"id: ABC\nname: '{name}'\nkind: state\nobservations:\n  personnel:\n    active:\n"
                        "      - value: 1000\n        as_of: 2025\n        source: iiss-mb-2025\n")
    monkeypatch.setenv("FORCEDATA_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=60)
    at.query_params["c"] = "ABC"
    at.session_state["compare_words_personnel"] = True  # "Describe this chart" opened
    at.run()
    assert not at.exception
    assert any("<script>alert(1)</script>" in t.value for t in at.text)  # shown as text, not markup
    # in markdown the name is inert: brackets escaped, so no link can form
    assert not any("[x](" in m.value or "<script>" in m.value for m in at.markdown)


def test_the_deck_is_made_only_on_click(ds, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("build_deck ran while the page was drawn")

    monkeypatch.setattr("components.ui.widgets.build_deck", refuse)
    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=60)
    at.query_params["c"] = "PAK,AFG"
    at.run()
    assert not at.exception


def test_a_briefer_downloads_the_deck_from_the_page(browser, start_app, tmp_path, ds):
    """The page's button gives the deck of its selection (one with a single chart slide, so that
    the server's kaleido draws one 3840x2160 image, not seven)."""
    from playwright.sync_api import expect

    url = start_app()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/?c=x-ttp")
    button = page.get_by_role("button", name="Download slide deck (PPTX)")
    expect(button).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"x-ttp_brief_{int(default_values(ds.frame, ['x-ttp'])['year'].max())}.pptx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    page.close()
    prs = Presentation(str(path))
    assert [pictures(s)[0].name for s in chart_slides(prs)] == [c.title for c in plan_charts(ds, Comparison(("x-ttp",)))]
    assert f"{url}/?c=x-ttp" in slide_text(prs.slides[0])
