"""The map draws country shapes with every non-local request blocked (no internet), and the
trends page draws its chart; screenshots go to artifacts/."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, NAV

SHAPES = ".js-plotly-plot .choroplethlayer path"
LOCAL = {"127.0.0.1", "localhost"}


def offline_page(browser, blocked: list[str], requested: list[str]):
    """A page on which any request to a host other than this machine is aborted (and listed)."""
    page = browser.new_page(viewport={"width": 1500, "height": 1100})

    def route(r):
        url = r.request.url
        requested.append(url)
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOCAL:
            blocked.append(url)
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    return page


def test_map_draws_country_shapes_offline(browser, start_app):
    url = start_app()
    blocked: list[str] = []
    requested: list[str] = []
    page = offline_page(browser, blocked, requested)
    page.goto(f"{url}/map?m=personnel.active")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    page.wait_for_function(f"document.querySelectorAll('{SHAPES}').length > 100", timeout=60_000)
    assert page.locator(SHAPES).count() > 100
    assert any(u.endswith("/app/static/geo/world_110m.json") for u in requested)
    assert not [u for u in blocked if "plot.ly" in u], blocked  # the geometry never came from a CDN
    # "not reported" is its own legend entry, and the figure's title is drawn
    expect(page.locator(".js-plotly-plot .legend").get_by_text("not reported")).to_be_visible()
    expect(page.get_by_text("Not on the map", exact=True)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-offline.png"), full_page=True)
    page.goto(f"{url}/map?m=spending.milex_usd&r=south-asia")
    expect(page.locator(".js-plotly-plot").first.get_by_text("(South Asia)")).to_be_visible(timeout=60_000)
    page.wait_for_function(f"document.querySelectorAll('{SHAPES}').length > 100", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "map-south-asia-offline.png"))
    assert not [u for u in blocked if "plot.ly" in u], blocked
    page.close()


def test_trends_page_draws_pakistan_and_india_spending(browser, start_app):
    """A shared link to the trends page draws its chart, inside the app: the link runs the page
    with the app's navigation and sidebar, never on its own."""
    url = start_app()
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{url}/trends?m=spending.milex_usd&c=PAK,IND")
    plot = page.locator(".js-plotly-plot").first
    expect(plot).to_be_visible(timeout=60_000)
    expect(plot.get_by_text("Military expenditure: Pakistan vs India")).to_be_visible()
    expect(plot.locator(".scatterlayer .trace").first).to_be_visible()
    nav = page.locator("[data-testid='stSidebarNav'] a")
    expect(nav).to_have_count(len(NAV))
    assert [n.split("\n")[-1] for n in nav.all_inner_texts()] == NAV
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trends-pak-ind.png"), full_page=True)
    page.close()
