"""Paths under a page (components/serving/routes.py): answered at once with a redirect to the page, query
kept; Streamlit's own routes and every other request pass untouched."""

from __future__ import annotations

import asyncio
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from components.serving.routes import PAGE_PATHS, NestedPagePaths
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
    """PAGE_PATHS lists the url_path of every st.Page in dashboard.py, no more, no less."""
    pages = re.findall(r'url_path="([^"]+)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))
    assert sorted(pages) == sorted(PAGE_PATHS) and len(pages) == 6


@pytest.mark.parametrize("path, query, location", [
    ("/data-health/x", b"", "/data-health"),
    ("/compare/a/b/c", b"c=PAK,AFG&v=0123456789", "/compare?c=PAK,AFG&v=0123456789"),
    ("/profile/x/", b"e=AFG", "/profile?e=AFG"),
])
def test_a_path_under_a_page_is_redirected_to_the_page(path, query, location):
    inner = Inner()
    status, headers = call(NestedPagePaths(inner, base_url=""), path, query=query)
    assert (status, headers["location"]) == (302, location) and inner.paths == []


@pytest.mark.parametrize("path, method, headers", [
    ("/data-health", "GET", (BROWSER,)),                  # the page itself
    ("/", "GET", (BROWSER,)),
    ("/foo/bar", "GET", (BROWSER,)),                      # not under a page: Streamlit's notice
    ("/data-health/", "GET", (BROWSER,)),                 # Streamlit's own trailing-slash redirect
    ("/data-health/_stcore/health", "GET", (BROWSER,)),   # the front end probing for its base path
    ("/data-health/x", "GET", (("Accept", "*/*"),)),      # not a page being opened
    ("/data-health/x", "POST", (BROWSER,)),
    ("//data-health/x", "GET", (BROWSER,)),
])
def test_every_other_request_goes_to_streamlit(path, method, headers):
    inner = Inner()
    status, _ = call(NestedPagePaths(inner, base_url=""), path, method=method, headers=headers)
    assert status == 299 and inner.paths == [path]


def test_a_base_url_path_prefixes_the_redirect():
    inner = Inner()
    middleware = NestedPagePaths(inner, base_url="/dash/")
    assert call(middleware, "/dash/map/x", query=b"m=land.mbt") == (
        302, {"location": "/dash/map?m=land.mbt", "content-length": "0", "cache-control": "no-store"})
    assert call(middleware, "/map/x")[0] == 299 and inner.paths == ["/map/x"]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_served_app_answers_a_path_under_a_page_at_once(start_app):
    """serve.py puts the middleware in front of the app (the shared test server)."""
    url = start_app()
    request = urllib.request.Request(f"{url}/data-health/x/y?focus=1", headers=dict([BROWSER]))
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirects).open(request, timeout=30)
    assert answer.value.code == 302 and answer.value.headers["location"] == "/data-health?focus=1"
