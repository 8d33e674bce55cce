"""Streamlit's own front-end files (its hashed scripts, styles and fonts) answered from memory.

A first visit to the compare page fetches 95 of these files (7.7 MB). Streamlit's server reads
each one from disk through a worker thread on every request, uncompressed: about 0.17 s of server
CPU per first visit, three quarters of what a visitor costs the server (benchmarks/README.md, P6 and P7). In
a classroom, 25 first visits at once queue behind each other for it on one interpreter.

``FrontEndFiles`` is an ASGI middleware (``serve.py`` puts it in front of the app) that answers
``GET``/``HEAD`` for exactly those files: each is read and gzip-compressed once, on its first
request, and then sent from memory, with the same cache headers Streamlit sends (the names are
content hashes, so browsers keep them for a year). Every other request goes to Streamlit
unchanged: the page itself, the websocket, the app's own ``/app/static`` files, conditional and
range requests, and any path that is not, character for character, one of the files found when
the server started (so no path from a request is ever joined to a folder here).
"""

from __future__ import annotations

import gzip
import mimetypes
from pathlib import Path
from typing import Any, Awaitable, Callable

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# NOTE: Streamlit's own header for its hashed assets (starlette_static_routes.py)
CACHE_CONTROL = f"public, immutable, max-age={365 * 24 * 60 * 60}".encode()
# NOTE: with any of these the request is Streamlit's to answer (a 304 or a partial response)
_PASS_HEADERS = {b"range", b"if-none-match", b"if-modified-since", b"if-range"}


class FrontEndFiles:
    """ASGI middleware: Streamlit's front-end files under ``static/`` served from memory.

    Args:
        app: the ASGI app every other request goes to.
        root: the folder Streamlit serves its front end from (default: the installed
            Streamlit's); only files under its ``static/`` folder are answered here.
        base_url: the server's ``server.baseUrlPath`` (default: read from Streamlit's config).
    """

    def __init__(self, app: ASGIApp, root: Path | None = None, base_url: str | None = None) -> None:
        self.app = app
        if root is None:
            from streamlit import file_util

            root = Path(file_util.get_static_dir())
        if base_url is None:
            from streamlit import config

            base_url = config.get_option("server.baseUrlPath") or ""
        prefix = "/" + base_url.strip("/") if base_url.strip("/") else ""
        # NOTE: a closed set, fixed when the server starts: a request's path is only ever looked up
        self._files = {f"{prefix}/{path.relative_to(root).as_posix()}": path
                       for path in sorted(Path(root, "static").rglob("*")) if path.is_file()}
        self._ready: dict[str, tuple[bytes, bytes | None, bytes]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path") if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD") else None
        if path not in self._files or any(name in _PASS_HEADERS for name, _ in scope.get("headers", ())):
            await self.app(scope, receive, send)
            return
        ready = self._ready.get(path)
        if ready is None:
            import anyio.to_thread

            try:
                # NOTE: read and compressed once, off the event loop (zlib releases the GIL)
                ready = self._ready[path] = await anyio.to_thread.run_sync(_prepare, self._files[path])
            except OSError:  # NOTE: gone or unreadable since the server started: Streamlit answers
                await self.app(scope, receive, send)
                return
        raw, packed, content_type = ready
        zipped = packed is not None and accepts_gzip(scope.get("headers", ()))
        body = packed if zipped else raw
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", CACHE_CONTROL)]
        if packed is not None:
            headers.append((b"vary", b"Accept-Encoding"))
        if zipped:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def accepts_gzip(headers) -> bool:
    """True when an ``Accept-Encoding`` header lists gzip, and not with weight ``q=0``."""
    for name, value in headers:
        if name.lower() != b"accept-encoding":
            continue
        for item in value.split(b","):
            coding, _, params = item.partition(b";")
            if coding.strip().lower() == b"gzip":
                weight = params.strip().lower().replace(b" ", b"")
                if not weight.startswith(b"q="):
                    return True
                try:
                    return float(weight[2:]) > 0
                except ValueError:
                    return False
    return False


def _prepare(path: Path) -> tuple[bytes, bytes | None, bytes]:
    """(the file's bytes, the same gzip-compressed or None when that saves under a tenth, as for
    fonts and pictures, which are compressed already; its content type, as Starlette types it)."""
    raw = path.read_bytes()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    packed = gzip.compress(raw, compresslevel=6, mtime=0)
    return raw, packed if len(packed) < 0.9 * len(raw) else None, content_type.encode()
