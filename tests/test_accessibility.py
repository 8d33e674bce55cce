"""Accessibility: axe-core (bundled by axe-playwright-python) on every page of the app, in the
browser; no violation of impact serious or critical."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, ROOT

SERIOUS = {"serious", "critical"}


def app_pages() -> list[str]:
    """Every url_path routed in dashboard.py (pages added later are checked too); the default
    page is served at the root ("/compare" is sent there: components/serving/routes.py)."""
    text = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    paths = ["" if "default=True" in call else path
             for call, path in re.findall(r"(st\.Page\([^)]*url_path=\"([^\"]+)\"[^)]*\))", text)]
    assert {"", "profile", "sources", "data-health"} <= set(paths)
    return paths


def serious_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"] if v["impact"] in SERIOUS
    ]


@pytest.fixture(scope="module")
def app_url(start_app) -> str:
    return start_app()


# NOTE: the compare page is audited on a one-chart selection: every kind of element it has (headline
# sentences and cards, tables, the chart with its description, downloads, groups) at a seventh of the
# audit's time, opened through an unknown path so that the notice it then shows is audited too. The
# profile is Pakistan's: a tile of every kind (a figure, a bound, a rank, "not reported").
URLS = {"": "/no-such-page?c=x-ttp", "profile": "/profile?e=PAK"}


@pytest.mark.parametrize("path", app_pages())
def test_no_serious_accessibility_violation(browser, app_url, path):
    url = app_url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url + URLS.get(path, f"/{path}?c=PAK,AFG"))
    # the page as routed by dashboard.py (its sidebar caption), fully run
    expect(page.get_by_text("sourced values")).to_be_visible(timeout=60_000)
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_have_count(1, timeout=60_000)
    # NOTE: Streamlit sometimes greets a deep link opened first in a fresh server with a "Page
    # not found" dialog although it then runs the page (streamlit#9624): close it, audit the page.
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
    if path == "":
        expect(page.locator(".js-plotly-plot svg.main-svg").first).to_be_visible(timeout=60_000)
        # the chart descriptions and their tables are audited too: open every one
        summaries = page.locator("summary", has_text="Describe this chart")
        for i in range(summaries.count()):
            summaries.nth(i).click()
        described = page.locator("[data-testid='stExpander']", has=page.locator("summary", has_text="Describe this chart"))
        expect(described.locator("table")).to_have_count(summaries.count())
        # and the chart's "Download or cite" menu, open
        page.get_by_role("button", name="Download or cite").first.click()
        expect(page.get_by_role("button", name="PNG 16:9")).to_be_visible()
        expect(page.get_by_text("There is no page “no-such-page”")).to_be_visible()
    if path == "profile":
        expect(page.locator("[class*='st-key-profile_tile_']")).to_have_count(12)
        expect(page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot")).to_have_count(2)  # two small histories
        # the other reports, behind each family's table, are audited too: open every one
        others = page.locator("summary", has_text="Other reports of")
        for i in range(others.count()):
            others.nth(i).click()
        expect(page.locator("[data-testid='stExpander']", has=page.locator("summary", has_text="Other reports of"))
               .locator("table")).to_have_count(others.count())
    # NOTE: no tooltip half-way through its fade-in is audited (on a busy machine the pointer left on
    # the button raised one, and axe read its transparent text as too little contrast)
    page.mouse.move(0, 0)
    expect(page.locator("[data-testid='stTooltipContent'], [role='tooltip']")).to_have_count(0, timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"axe_{path or 'compare'}.png"), full_page=True)
    found = serious_violations(page)
    page.close()
    assert not found, json.dumps(found, indent=1)


def test_the_check_catches_a_violation(browser):
    """Guard the guard: an image without alt text and an unlabelled input are reported."""
    page = browser.new_page()
    page.set_content("<html lang='en'><title>t</title><main><img src='x.png'><input type='text'></main></html>")
    found = {v["id"] for v in serious_violations(page)}
    page.close()
    assert {"image-alt", "label"} <= found
