"""Paths that always reach a page: answered at once with a redirect, the link's query kept.

Streamlit answers any path it does not know with the app's HTML page, and its front end then
shows a "Page not found" dialog over the default page; under a page (``/data-health/x``), that
page's relative asset paths resolve under the unknown path too, and the page never loads. And the
default page is served at ``/`` only: its own name (``/compare``) is "not found".

``PagePaths`` is an ASGI middleware (``serve.py`` puts it in front of the app) that sends a
``GET``/``HEAD`` opening a page (a browser asks for HTML) a 302 redirect:

- the default page's name (``/compare``) to ``/``;
- a page's menu name in any spelling (``/Profile``, ``/sources-and-methods``,
  ``/Sources%20and%20methods``, ``/data_health``) to the page's path (``/profile``, ``/sources``);
- a path under a page (``/compare/x``, ``/data-health/x/y``) to the page;
- any other path (``/foo``) to ``/`` (the compare page), with ``nopage=<the path>`` added, which
  the app shows as a short inert notice and then drops from the link (``NO_PAGE_PARAM``).

The query is kept (``/compare?c=USA,CHN,RUS`` -> ``/?c=USA,CHN,RUS``). The location is built
from the pages' own paths, never from the request's path (which only enters the query,
percent-encoded), so no redirect can point anywhere else. Streamlit's own routes (``/_stcore/``,
``/static/``, ``/app/static/``, ``/media/``, ``/component/``, ``/auth/``, its top-level files such
as ``/favicon.png``), the pages themselves and every request that is not a page being opened go
to the app unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping
from urllib.parse import quote, unquote

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

# NOTE: the title and url_path of every st.Page in dashboard.py, the default page first
# (tests/test_routes.py checks they agree)
PAGES = {"Compare": "compare", "Profile": "profile", "Trends": "trends", "Map": "map",
         "Sources and methods": "sources", "Data health": "data-health"}
DEFAULT_PAGE = "compare"
PAGE_PATHS = tuple(PAGES.values())
NO_PAGE_PARAM = "nopage"  # NOTE: the unknown path, for the app's notice (dashboard.py)
MAX_NOTED_CHARS = 60  # NOTE: the path is cut before it goes into the link
# Streamlit's own first path segments (its routes), never a page
STREAMLIT_ROUTES = frozenset({"_stcore", "static", "app", "media", "component", "auth", "oauth2callback"})


def _streamlit_files() -> frozenset[str]:
    """The files Streamlit serves at the top level (favicon.png, manifest.json, ...); index.html
    is the page itself, so a browser opening it is sent to the compare page."""
    try:
        import streamlit

        folder = Path(streamlit.__file__).parent / "static"
        return frozenset(p.name for p in folder.iterdir() if p.is_file() and p.name != "index.html")
    except (ImportError, OSError):
        return frozenset({"favicon.png", "manifest.json"})


def slug(text: str) -> str:
    """A page name as typed in a path, reduced for matching: 'Sources%20and%20methods',
    'sources_and_methods' and 'Sources-And-Methods' all read 'sources-and-methods'."""
    return re.sub(r"[\s_\-]+", "-", unquote(text).strip().lower()).strip("-")


class PagePaths:
    """ASGI middleware: every path opened in a browser reaches a page (see the module docstring).

    Args:
        app: the ASGI app every other request goes to.
        pages: menu title -> url path of every page (default: ``PAGES``).
        default: the url path of the default page, served at ``/`` (default: ``DEFAULT_PAGE``).
        base_url: the server's ``server.baseUrlPath`` (default: read from Streamlit's config).
    """

    def __init__(self, app: ASGIApp, pages: Mapping[str, str] = PAGES, default: str = DEFAULT_PAGE,
                 base_url: str | None = None) -> None:
        self.app = app
        if base_url is None:
            from streamlit import config

            base_url = config.get_option("server.baseUrlPath") or ""
        self.prefix = "/" + base_url.strip("/") if base_url.strip("/") else ""
        self.default = default
        self.paths = frozenset(pages.values())
        # every spelling a page is reached by: its path and its menu name, slugged
        self.names = {slug(name): path for name, path in pages.items()} | {slug(path): path for path in pages.values()}
        self.files = _streamlit_files()

    def target(self, path: str) -> tuple[str, str | None] | None:
        """Where a page being opened at ``path`` is sent: (the page's path, the unknown path for
        the notice or None), or None when Streamlit answers it as it is."""
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                return None
            path = path[len(self.prefix):]
        rest = path[1:] if path.startswith("/") else path
        first, slash, under = rest.partition("/")
        if not first or first in STREAMLIT_ROUTES or first in self.files:
            return None
        if under.startswith("_stcore"):  # NOTE: the front end probing for its base path (/profile/_stcore/health)
            return None
        page = self.names.get(slug(first))
        if page is None:
            return "", rest
        here = "" if page == self.default else page
        if first == here and not under.strip("/"):
            return None  # the page itself (Streamlit redirects its own trailing slash)
        return here, None

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        # NOTE: only a page being opened (a browser asks for HTML): the front end's own requests
        # under the page's path are left to Streamlit
        found = (self.target(scope.get("path", ""))
                 if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD") and wants_html(scope)
                 else None)
        if found is None:
            await self.app(scope, receive, send)
            return
        page, unknown = found
        query = scope.get("query_string", b"")
        if unknown is not None:
            noted = f"{NO_PAGE_PARAM}={quote(unquote(unknown)[:MAX_NOTED_CHARS], safe='')}".encode()
            query = query + b"&" + noted if query else noted
        location = f"{self.prefix}/{page}".encode() + (b"?" + query if query else b"")
        await send({"type": "http.response.start", "status": 302,
                    "headers": [(b"location", location), (b"content-length", b"0"),
                                (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b""})


def wants_html(scope: Scope) -> bool:
    """True for a page being opened: its ``Accept`` header names text/html (a browser's
    navigation does; its scripts' and the front end's requests do not)."""
    return any(name.lower() == b"accept" and b"text/html" in value.lower() for name, value in scope.get("headers", ()))

