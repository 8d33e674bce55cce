"""Paths under a page (``/data-health/x``) answered at once with a redirect to the page itself.

Streamlit answers any path it does not know with the app's HTML page (for its client-side
routing); under a page, that page's relative asset paths (``./static/js/...``) then resolve under
the unknown path too and are answered with HTML again: a blank page that never loads.
``NestedPagePaths`` is an ASGI middleware (``serve.py`` puts it in front of the app) that sends a
``GET``/``HEAD`` for ``/<page>/<anything>`` a redirect to ``/<page>``, keeping the query
(``/compare/x?c=PAK,AFG`` -> ``/compare?c=PAK,AFG``). The location is built from the page's own
name only, never from the request's text, so no redirect can point anywhere else. Every other
request (the pages themselves, Streamlit's own routes, unknown top-level paths, which Streamlit
answers with its "page not found" notice) goes to the app unchanged.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Iterable

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

# NOTE: the url_path of every st.Page in dashboard.py (tests/test_routes.py checks they agree)
PAGE_PATHS = ("compare", "profile", "trends", "map", "sources", "data-health")


class NestedPagePaths:
    """ASGI middleware: ``/<page>/...`` redirects (302) to ``/<page>``, query kept.

    Args:
        app: the ASGI app every other request goes to.
        pages: the pages' url paths (default: ``PAGE_PATHS``).
        base_url: the server's ``server.baseUrlPath`` (default: read from Streamlit's config).
    """

    def __init__(self, app: ASGIApp, pages: Iterable[str] = PAGE_PATHS, base_url: str | None = None) -> None:
        self.app = app
        if base_url is None:
            from streamlit import config

            base_url = config.get_option("server.baseUrlPath") or ""
        self.prefix = "/" + base_url.strip("/") if base_url.strip("/") else ""
        self.pages = frozenset(pages)

    def page_of(self, path: str) -> str | None:
        """The page a nested path lies under (``/data-health/x`` -> ``data-health``), else None.
        Streamlit's own routes under a page (``/data-health/_stcore/health``, which its front end
        probes to find the server's base path) are never a page's."""
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                return None
            path = path[len(self.prefix):]
        first, slash, rest = path.lstrip("/").partition("/")
        if not (slash and rest.strip("/") and first in self.pages and path.startswith("/" + first)):
            return None
        return None if rest.startswith("_stcore") else first

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        # NOTE: only a page being opened (a browser asks for HTML): the front end's own requests
        # under the page's path are left to Streamlit
        page = (self.page_of(scope.get("path", ""))
                if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD") and wants_html(scope)
                else None)
        if page is None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        location = f"{self.prefix}/{page}".encode() + (b"?" + query if query else b"")
        await send({"type": "http.response.start", "status": 302,
                    "headers": [(b"location", location), (b"content-length", b"0"),
                                (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b""})


def wants_html(scope: Scope) -> bool:
    """True for a page being opened: its ``Accept`` header names text/html (a browser's
    navigation does; its scripts' and the front end's requests do not)."""
    return any(name.lower() == b"accept" and b"text/html" in value.lower() for name, value in scope.get("headers", ()))
