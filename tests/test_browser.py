"""What only a browser shows: charts drawn with their footnotes, our navigation only, and no
script from a data file ever runs."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import CHART, NAV, assert_inert, open_page, wait_for_every_chart, watch_requests
from tests.test_first_screen_browser import assert_compare_first_screen

def test_compare_page_renders_charts_with_footnotes_asking_no_other_host(browser, start_app):
    url = start_app()
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.set_default_timeout(60_000)
    asked: dict[str, object] = {}
    page.on("request", lambda r: asked.setdefault(r.url, r))  # NOTE: before anything loads
    page.goto(f"{url}/?c=PAK,AFG")
    page.wait_for_selector(CHART)
    # the first screen (issue 22): the sentences and the first chart, before any scrolling
    assert_compare_first_screen(page, "compare_pak_afg")
    wait_for_every_chart(page, ["PAK", "AFG"])  # NOTE: every chart is in the page before they are counted
    plots = page.locator(".js-plotly-plot")
    assert plots.count() >= 4
    first = plots.first
    assert "Personnel: Pakistan vs Afghanistan" in first.inner_text()
    footnote = first.locator("text", has_text="Sources: ")
    assert footnote.count() == 1 and footnote.is_visible()
    # the footnote lies inside the chart image, not clipped by its edge
    svg, note = first.locator("svg.main-svg").first.bounding_box(), footnote.bounding_box()
    assert note["y"] + note["height"] <= svg["y"] + svg["height"]
    # st.navigation only: the old pages/ auto-navigation must not add its own entries
    nav = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    assert [n.split("\n")[-1] for n in nav] == NAV
    # served by serve.py: Streamlit's own scripts come compressed from memory (frontend_files.py)
    script = page.evaluate("[...document.scripts].map(s => s.src).find(s => s.includes('/static/js/'))")
    answer = page.request.get(script, headers={"Accept-Encoding": "gzip"})
    assert answer.ok and answer.headers.get("content-encoding") == "gzip", answer.headers
    assert "immutable" in answer.headers["cache-control"]
    # everything, the tab icon too, comes from the app's own host (``:material/balance:`` made
    # every browser ask fonts.gstatic.com for it)
    icon = page.locator("link[rel~='icon']")
    expect(icon).to_have_count(1)
    href = icon.evaluate("link => link.href")  # the front end sets it from the page config
    if href not in asked:  # NOTE: a bounded wait for the browser to ask for its tab icon
        page.wait_for_event("request", lambda r: r.url == href)
    assert len(asked) > 50  # the page, Streamlit's scripts, the websocket, the icon
    assert [u for u in asked if not u.startswith((url + "/", url.replace("http", "ws", 1) + "/"))] == []
    assert href == f"{url}/app/static/icon/balance.png"
    icon_answer = asked[href].response()
    assert icon_answer.ok and icon_answer.headers["content-type"] == "image/png"
    page.close()


def test_no_script_execution_from_data(browser, hostile_app):
    dialogs = []
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))  # NOTE: before anything loads
    away = watch_requests(page, hostile_app)
    # NOTE: the hostile name, caption and notes are Afghanistan's; every text field of Pakistan's
    # file, the registry, the catalogue and the groups carries MARK (tests/conftest.py)
    page.goto(f"{hostile_app}/?c=AFG,PAK")
    wait_for_every_chart(page, ["AFG", "PAK"])
    # the chart's words and its "Download or cite" menu are built once opened: open them too
    page.get_by_text("Describe this chart").first.click()
    expect(page.locator("[data-testid='stExpander'] table").first).to_be_visible()
    page.get_by_role("button", name="Download or cite").first.click()
    expect(page.get_by_text("Cite this chart")).to_be_visible()
    expect(page.get_by_text("window.__pwned=1").first).to_be_visible()  # the hostile name, shown as typed
    # a headline card's hover help (Markdown): the catalogue's definition, shown as written
    page.locator("[data-testid='stMarkdown'] [data-testid='stTooltipHoverTarget']").first.hover()
    tooltip = page.locator("[data-testid='stTooltipContent']")
    expect(tooltip).to_contain_text("**pwn**[pwn](//x.invalid)")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator("a[href*='evil.example']").count() == 0
    assert_inert(page, away)
    page.close()


# the last section of each page not covered above (compare: the test above), and whether it draws a chart
LAST_SECTIONS = {
    "/profile?e=PAK": ("How the figures changed between editions", True),  # every text field of PAK carries MARK
    "/trends?c=PAK,AFG&m=personnel.active": ("Every value drawn, with its citation", True),
    "/map": ("Every value on the map, with its citation", True),
    "/sources?de=PAK": ("Countries and actors", False),
    "/data-health": ("Values citing each source", True),
}


def test_markup_in_every_text_field_creates_nothing_on_any_page(browser, hostile_app):
    """MARK in every text field of the registry, the catalogue, the groups and two entity files:
    on each page, once its last section is drawn, no element was made of it and nothing was
    fetched from anywhere else. NOTE: the pages are opened at once, each in its own tab (its own
    session), and then checked one by one: their waits overlap."""
    pages = {}
    for path in LAST_SECTIONS:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        pages[path] = (page, watch_requests(page, hostile_app))
        page.goto(hostile_app + path, wait_until="commit")
    for path, (page, away) in pages.items():
        last, chart = LAST_SECTIONS[path]
        expect(page.get_by_text(last, exact=True).first).to_be_visible()
        if chart:
            page.wait_for_selector(CHART)
        assert page.evaluate("window.__pwned") is None
        assert page.locator("a[href*='evil.example']").count() == 0
        assert_inert(page, away)
        page.close()


def test_a_link_is_data_never_markup(browser, start_app):
    url = start_app()
    link = "[click me](https://evil.example)"
    page = open_page(browser, f"{url}/?c=x-ttp,{link},www.evil.example&v={link}")
    warning = page.get_by_text("Ignored unknown id(s) in the link")
    expect(warning).to_be_visible()
    assert "[click me](https" in warning.inner_text()  # shown as typed, cut to 20 characters
    expect(page.get_by_text("is not a version stamp")).to_be_visible()
    wait_for_every_chart(page, ["x-ttp"])
    assert page.locator("a[href*='evil.example']").count() == 0
    page.close()


def test_a_control_character_in_one_file_gives_a_banner_and_the_rest_is_served(browser, hostile_app, tmp_path_factory):
    page = open_page(browser, f"{hostile_app}/?c=x-ttp,NOR")
    banner = page.get_by_text("problem(s) in forces/NOR.yaml")
    expect(banner).to_be_visible()
    expect(page.get_by_text("NOR: its data file has errors")).to_be_visible()
    # groups.yaml's one planted problem has its own banner; NOR, a NATO member whose file is
    # broken, adds no follow-on error to it
    expect(page.get_by_text("1 problem(s) in groups.yaml: the groups concerned are left out")).to_be_visible()
    wait_for_every_chart(page, ["x-ttp"])  # the charts are drawn beside both banners
    assert str(tmp_path_factory.getbasetemp()) not in page.content() and "Traceback" not in page.content()
    page.close()
