"""Paths that always reach a page (components/serving/routes.py): the default page's name, a menu name,
a path under a page and an unknown path are answered at once with a redirect, query kept (an unknown
path also named for the notice); Streamlit's own routes and every other request pass untouched."""

from __future__ import annotations

import asyncio
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from components.serving.routes import DEFAULT_PAGE, NO_PAGE_PARAM, PAGES, PagePaths
from tests.conftest import ROOT

BROWSER = ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")  # a page being opened


class Inner:
    """The app behind the middleware (Streamlit): records what reached it."""

    def __init__(self):
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send):
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(middleware, path, *, query=b"", method="GET", headers=(BROWSER,)):
    """(status, headers) of one request through ``middleware``."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query,
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}
    with ThreadPoolExecutor(1) as pool:  # NOTE: a loop of its own, beside Playwright's
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    return sent[0]["status"], {k.decode(): v.decode() for k, v in sent[0]["headers"]}


def test_the_middleware_knows_every_page_of_the_app():
    """PAGES lists the menu title and url_path of every st.Page in dashboard.py, no more, no less, and
    DEFAULT_PAGE is the one marked default."""
    text = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\("[^"]+", title="([^"]+)", [^)]*url_path="([^"]+)"', text)
    assert dict(pages) == PAGES and len(pages) == 6
    default = re.findall(r'url_path="([^"]+)", default=True', text)
    assert default == [DEFAULT_PAGE]


@pytest.mark.parametrize("path, query, location", [
    ("/compare", b"c=USA,CHN,RUS", "/?c=USA,CHN,RUS"),                 # the default page's own name
    ("/compare/", b"c=PAK", "/?c=PAK"),
    ("/Compare", b"", "/"),
    ("/data-health/x", b"", "/data-health"),                          # under a page
    ("/compare/a/b/c", b"c=PAK,AFG&v=0123456789", "/?c=PAK,AFG&v=0123456789"),
    ("/profile/x/", b"e=AFG", "/profile?e=AFG"),
    ("/Profile", b"e=PAK", "/profile?e=PAK"),                          # a menu name, in any spelling
    ("/Sources and methods", b"", "/sources"),                         # NOTE: ASGI gives the path decoded
    ("/sources-and-methods", b"de=PAK", "/sources?de=PAK"),
    ("/Data_Health", b"", "/data-health"),
    ("/data health/x", b"", "/data-health"),
])
def test_a_page_by_any_of_its_names_is_redirected_to_the_page(path, query, location):
    inner = Inner()
    status, headers = call(PagePaths(inner, base_url=""), path, query=query)
    assert (status, headers["location"]) == (302, location) and inner.paths == []


@pytest.mark.parametrize("path, query, location", [
    ("/foo", b"c=PAK", f"/?c=PAK&{NO_PAGE_PARAM}=foo"),
    ("/foo/bar", b"", f"/?{NO_PAGE_PARAM}=foo%2Fbar"),
    ("/index.html", b"c=IND", f"/?c=IND&{NO_PAGE_PARAM}=index.html"),
    # the path only ever enters the query, percent-encoded and cut: never the location's path
    ("/https://evil.example", b"", f"/?{NO_PAGE_PARAM}=https%3A%2F%2Fevil.example"),
    ("/<script>", b"", f"/?{NO_PAGE_PARAM}=%3Cscript%3E"),
    ("/" + "a" * 300, b"", f"/?{NO_PAGE_PARAM}=" + "a" * 60),
])
def test_an_unknown_path_lands_on_the_compare_page_named_for_the_notice(path, query, location):
    inner = Inner()
    status, headers = call(PagePaths(inner, base_url=""), path, query=query)
    assert (status, headers["location"]) == (302, location) and inner.paths == []


@pytest.mark.parametrize("path, method, headers", [
    ("/data-health", "GET", (BROWSER,)),                  # the pages themselves
    ("/", "GET", (BROWSER,)),
    ("/profile", "GET", (BROWSER,)),
    ("/data-health/", "GET", (BROWSER,)),                 # Streamlit's own trailing-slash redirect
    ("/data-health/_stcore/health", "GET", (BROWSER,)),   # the front end probing for its base path
    ("/_stcore/health", "GET", (BROWSER,)),               # Streamlit's own routes and files
    ("/static/js/index.js", "GET", (BROWSER,)),
    ("/app/static/icon/balance.png", "GET", (BROWSER,)),
    ("/media/abc.png", "GET", (BROWSER,)),
    ("/favicon.png", "GET", (BROWSER,)),
    ("/data-health/x", "GET", (("Accept", "*/*"),)),      # not a page being opened
    ("/foo", "GET", (("Accept", "*/*"),)),
    ("/data-health/x", "POST", (BROWSER,)),
    ("//data-health/x", "GET", (BROWSER,)),
])
def test_every_other_request_goes_to_streamlit(path, method, headers):
    inner = Inner()
    status, _ = call(PagePaths(inner, base_url=""), path, method=method, headers=headers)
    assert status == 299 and inner.paths == [path]


def test_a_base_url_path_prefixes_the_redirect():
    inner = Inner()
    middleware = PagePaths(inner, base_url="/dash/")
    assert call(middleware, "/dash/map/x", query=b"m=land.mbt") == (
        302, {"location": "/dash/map?m=land.mbt", "content-length": "0", "cache-control": "no-store"})
    assert call(middleware, "/dash/compare", query=b"c=PAK")[1]["location"] == "/dash/?c=PAK"
    assert call(middleware, "/dash/foo")[1]["location"] == f"/dash/?{NO_PAGE_PARAM}=foo"
    assert call(middleware, "/dash")[0] == 299 and call(middleware, "/dash/")[0] == 299
    assert call(middleware, "/map/x")[0] == 299 and inner.paths == ["/dash", "/dash/", "/map/x"]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_served_app_answers_a_path_under_a_page_at_once(start_app):
    """serve.py puts the middleware in front of the app (the shared test server)."""
    url = start_app()
    for path, location in (("/data-health/x/y?focus=1", "/data-health?focus=1"),
                           ("/compare?c=USA,CHN,RUS", "/?c=USA,CHN,RUS")):
        request = urllib.request.Request(url + path, headers=dict([BROWSER]))
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.build_opener(NoRedirects).open(request, timeout=30)
        assert answer.value.code == 302 and answer.value.headers["location"] == location
