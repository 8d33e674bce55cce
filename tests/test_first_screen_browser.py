"""The first screen answers the student's question (issue 22), as a browser at 1600x1000 shows it: the
compare page's sentences and first chart (USA,CHN,RUS here; PAK,AFG in tests/test_browser.py, which
opens that page anyway) and the profile's tiles, without scrolling; the compare page's own name as a
path, with its link, and no "Page not found" dialog; an unknown path's notice."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, CHART

WIDTH, HEIGHT = 1600, 1000
RUN_DONE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def inside_first_screen(locator) -> bool:
    """The element lies wholly inside the first viewport, the page not scrolled."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT and box["x"] + box["width"] <= WIDTH


def assert_compare_first_screen(page, name: str) -> None:
    """On the compare page as opened (not scrolled), once its first chart is drawn: a sentence per
    headline card, and the first chart's title and first bars, all inside the first 1600x1000
    screen; a screenshot of it in artifacts/. (tests/test_browser.py checks PAK,AFG with it.)"""
    page.wait_for_selector(CHART)
    expect(page.locator(RUN_DONE)).to_have_count(1)
    summary = page.locator(".st-key-compare_summary li")
    expect(summary).to_have_count(3)  # a sentence per headline card
    assert all(inside_first_screen(summary.nth(i)) for i in range(3)), name
    chart = page.locator(".js-plotly-plot").first
    assert inside_first_screen(chart.locator(".gtitle").first), name
    assert inside_first_screen(chart.locator(".point path").first), name
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"first_screen_{name}.png"))


def test_the_first_screen_answers_the_question(browser, start_app):
    """USA,CHN,RUS opened by the compare page's menu name (PAK,AFG: tests/test_browser.py), and
    Pakistan's profile opened by its menu name."""
    url = start_app()
    # NOTE: the pages are opened at once, each in its own tab (its own session), then checked one
    # by one: their waits overlap
    pages = {}
    for name, path in (("compare_usa_chn_rus", "/compare?c=USA,CHN,RUS"), ("profile_pak", "/Profile?e=PAK")):
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(url + path, wait_until="commit")
        pages[name] = page

    page = pages["compare_usa_chn_rus"]
    assert_compare_first_screen(page, "compare_usa_chn_rus")
    assert page.url.startswith(url + "/?c=USA")  # sent to the page itself, the link's selection kept
    chips = page.locator("[aria-label='Selected values'] [data-tag]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))")
    assert chips == ["United States", "China", "Russia"]
    assert page.get_by_role("dialog").count() == 0 and page.get_by_text("Page not found").count() == 0

    page = pages["profile_pak"]
    tiles = page.locator("[class*='st-key-profile_tile_']")
    expect(tiles).to_have_count(12)
    expect(page.locator(RUN_DONE)).to_have_count(1)
    expect(page.get_by_role("heading", name="Profile: Pakistan")).to_be_visible()
    assert page.url == url + "/profile?e=PAK"
    assert [inside_first_screen(tiles.nth(i)) for i in range(12)] == [True] * 12
    expect(tiles.first).to_contain_text(re.compile(r"\d+(st|nd|rd|th) of \d+ reporting"))
    page.screenshot(path=str(ARTIFACTS / "first_screen_profile_pak.png"))
    for page in pages.values():
        page.close()


def test_an_unknown_path_lands_on_the_compare_page_with_a_notice(browser, start_app):
    url = start_app()
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(f"{url}/no/such/page?c=x-ttp")
    page.wait_for_selector(CHART)
    expect(page.get_by_text("There is no page “no/such/page”: this is the compare page")).to_be_visible()
    assert page.get_by_role("dialog").count() == 0
    expect(page.locator(RUN_DONE)).to_have_count(1)
    assert page.url.startswith(f"{url}/?c=x-ttp") and "nopage" not in page.url  # the notice's parameter is gone
    page.close()
