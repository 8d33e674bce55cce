"""What only a browser shows: charts drawn with their footnotes, our navigation only, and no
script from a data file ever runs."""

from __future__ import annotations

import shutil

from tests.conftest import ARTIFACTS, ROOT

CHART = ".js-plotly-plot svg.main-svg"


def open_page(browser, url: str, width: int = 1600, height: int = 1000):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_timeout(1500)
    return page


def test_compare_page_renders_charts_with_footnotes(browser, start_app):
    url = start_app()
    page = open_page(browser, f"{url}/?c=PAK,AFG")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compare_pak_afg.png"))
    plots = page.locator(".js-plotly-plot")
    assert plots.count() >= 4
    first = plots.first
    assert "Personnel: Pakistan vs Afghanistan" in first.inner_text()
    footnote = first.locator("text", has_text="Sources: IISS, The Military Balance 2025")
    assert footnote.count() == 1 and footnote.is_visible()
    # the footnote lies inside the chart image, not clipped by its edge
    svg, note = first.locator("svg.main-svg").first.bounding_box(), footnote.bounding_box()
    assert note["y"] + note["height"] <= svg["y"] + svg["height"]
    # st.navigation only: the old pages/ auto-navigation must not add its own entries
    nav = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    assert [n.split("\n")[-1] for n in nav] == ["Compare", "Profile", "Trends", "Map", "Sources and methods", "Data health"]
    page.close()


def test_permalink_reproduces_the_view(browser, start_app):
    url = start_app()
    page = open_page(browser, f"{url}/?c=IND,PAK")
    chips = page.locator("[aria-label='Selected values'] [data-tag]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))")
    assert chips == ["India", "Pakistan"]
    assert "c=IND%2CPAK" in page.url or "c=IND,PAK" in page.url
    page.close()


def test_no_script_execution_from_data(browser, start_app, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    text = (data / "forces" / "AFG.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Afghanistan", f"name: '{evil}'").replace(
        "caption: no fighter jets", f"caption: '{evil}'")
    (data / "forces" / "AFG.yaml").write_text(text, encoding="utf-8")
    url = start_app(data)
    page = open_page(browser, f"{url}/?c=PAK,AFG")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    page.close()
