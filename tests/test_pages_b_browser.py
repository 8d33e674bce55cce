"""What only a browser shows on the profile, sources and group views: they draw, links to
compare work, and no script from a data file runs."""

from __future__ import annotations


from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, open_page

TABLE = "[data-testid='stDataFrame']"
TILE = "[class*='st-key-profile_tile_']"  # a tile of the profile's card


def test_profile_page_draws_and_links_to_compare(browser, start_app):

    url = start_app()
    page = open_page(browser, f"{url}/profile?e=AFG", wait_for=TILE)
    expect(page.get_by_text("de facto authority", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="How the figures changed between editions")).to_be_attached()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "profile_afg.png"))  # the first screen, 1600x1000
    page.get_by_text("Compare with its neighbours").scroll_into_view_if_needed()
    link = page.get_by_role("link", name="Afghanistan vs Pakistan")
    expect(link).to_be_visible()
    href = link.evaluate("a => a.href")
    assert href == f"{url}/?c=AFG,PAK"
    page.goto(href)  # NOTE: markdown links open a new tab; follow it in this one
    page.wait_for_selector(".js-plotly-plot svg.main-svg", timeout=60_000)
    # the link reproduces the view: the selection, in its order, and the address keeps it
    chips = page.locator("[aria-label='Selected values'] [data-tag]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))")
    assert chips == ["Afghanistan", "Pakistan"]
    assert "c=AFG%2CPAK" in page.url or "c=AFG,PAK" in page.url
    page.close()


def test_sources_page_disagreements_and_compare_groups(browser, start_app):

    url = start_app()
    page = open_page(browser, f"{url}/sources?de=PAK", wait_for=TABLE, height=1200)
    expect(page.get_by_role("heading", name="Where reports disagree")).to_be_visible()
    page.get_by_role("heading", name="Where reports disagree").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "sources_disagreements_pak.png"), full_page=True)
    page.close()
    # NOTE: a one-chart selection: the groups box is under test, and it does not depend on it
    page = open_page(browser, f"{url}/?c=x-ttp&ga=south-asia&gb=nato&gm=personnel.active", height=1200)
    heading = page.get_by_role("heading", name="Groups and coalitions")
    heading.scroll_into_view_if_needed()
    expect(page.get_by_text("reported for 9 of 9 members", exact=False)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "compare_groups.png"), full_page=True)
    page.close()
