"""Streamlit's front-end files answered from memory (components/serving/frontend_files.py): exactly those
files, with Streamlit's headers, and every other request passed to Streamlit untouched."""

from __future__ import annotations

import asyncio
import gzip
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from components.serving.frontend_files import CACHE_CONTROL, FrontEndFiles, accepts_gzip

SCRIPT = b"console.log('hello');\n" * 200
FONT = os.urandom(3000)  # NOTE: incompressible, like a woff2 font


@pytest.fixture
def root(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "media").mkdir()
    (tmp_path / "static" / "js" / "index.abc123.js").write_bytes(SCRIPT)
    (tmp_path / "static" / "media" / "font.def456.woff2").write_bytes(FONT)
    (tmp_path / "index.html").write_text("<html></html>")
    (tmp_path / "secret.txt").write_text("not a front-end file")
    return tmp_path


class Inner:
    """The app behind the middleware (Streamlit): records what reached it."""

    def __init__(self):
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send):
        self.paths.append(scope.get("path"))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"from streamlit"})


def call(middleware, path, method="GET", headers=(), kind="http"):
    """(status, headers as a dict of text, body) of one request through ``middleware``."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    # NOTE: ASGI gives header names in lower case
    scope = {"type": kind, "method": method, "path": path,
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}
    # NOTE: in a thread of its own: a worker that ran the sync Playwright tests has a loop running
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_a_front_end_file_is_answered_from_memory_gzipped_for_a_browser(root):
    inner = Inner()
    served = FrontEndFiles(inner, root=root, base_url="")
    status, headers, body = call(served, "/static/js/index.abc123.js", headers=[("Accept-Encoding", "gzip, deflate, br")])
    assert status == 200 and inner.paths == []
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == SCRIPT
    assert len(body) < len(SCRIPT) / 10 and headers["content-length"] == str(len(body))
    assert headers["content-type"] == "application/javascript" or headers["content-type"] == "text/javascript; charset=utf-8"
    assert headers["cache-control"].encode() == CACHE_CONTROL and headers["vary"] == "Accept-Encoding"
    # NOTE: the file is read once: changing it on disk changes nothing until the server restarts
    (root / "static" / "js" / "index.abc123.js").write_bytes(b"changed")
    status, headers, body = call(served, "/static/js/index.abc123.js")
    assert status == 200 and body == SCRIPT and "content-encoding" not in headers and inner.paths == []


def test_head_gives_the_headers_only_and_a_compressed_file_is_not_compressed_again(root):
    inner = Inner()
    served = FrontEndFiles(inner, root=root, base_url="")
    status, headers, body = call(served, "/static/media/font.def456.woff2", method="HEAD",
                                 headers=[("accept-encoding", "gzip")])
    assert (status, body) == (200, b"") and headers["content-length"] == str(len(FONT))
    assert "content-encoding" not in headers and "vary" not in headers and headers["content-type"] == "font/woff2"
    assert call(served, "/static/media/font.def456.woff2")[2] == FONT and inner.paths == []


@pytest.mark.parametrize("path, method, headers, kind", [
    ("/", "GET", (), "http"),  # the page itself (Streamlit marks it no-cache)
    ("/index.html", "GET", (), "http"),
    ("/secret.txt", "GET", (), "http"),  # in the folder but not under static/
    ("/static/js/missing.js", "GET", (), "http"),
    ("/static/js/../../secret.txt", "GET", (), "http"),  # never joined to a folder: Streamlit refuses it
    ("/static/js//index.abc123.js", "GET", (), "http"),
    ("/static/js/INDEX.ABC123.JS", "GET", (), "http"),
    ("/static/js/index.abc123.js/", "GET", (), "http"),
    ("/static/js/index.abc123.js", "POST", (), "http"),
    ("/static/js/index.abc123.js", "GET", [("Range", "bytes=0-10")], "http"),
    ("/static/js/index.abc123.js", "GET", [("If-None-Match", '"x"')], "http"),
    ("/static/js/index.abc123.js", "GET", [("If-Modified-Since", "Wed, 25 Nov 2026 20:34:58 GMT")], "http"),
    ("/_stcore/stream", "GET", (), "websocket"),
    ("/app/static/geo/world.json", "GET", (), "http"),  # the app's own static files
])
def test_every_other_request_goes_to_streamlit_untouched(root, path, method, headers, kind):
    inner = Inner()
    status, _, body = call(FrontEndFiles(inner, root=root, base_url=""), path, method, headers, kind)
    assert (status, body, inner.paths) == (299, b"from streamlit", [path])


def test_a_file_gone_since_the_server_started_is_left_to_streamlit(root):
    inner = Inner()
    served = FrontEndFiles(inner, root=root, base_url="")
    (root / "static" / "js" / "index.abc123.js").unlink()
    assert call(served, "/static/js/index.abc123.js")[0] == 299 and inner.paths == ["/static/js/index.abc123.js"]


def test_a_base_url_path_prefixes_the_files(root):
    inner = Inner()
    served = FrontEndFiles(inner, root=root, base_url="/class/")
    assert call(served, "/class/static/js/index.abc123.js")[2] == SCRIPT and inner.paths == []
    assert call(served, "/static/js/index.abc123.js")[0] == 299


@pytest.mark.parametrize("value, expected", [
    ("gzip, deflate, br", True), ("br;q=1.0, GZIP;q=0.5", True), ("gzip;q=0", False), ("gzip; q=0.000", False),
    ("deflate", False), ("", False), ("identity", False), ("gzip;q=oops", False), ("x-gzip", False),
])
def test_accepts_gzip_reads_the_weights(value, expected):
    assert accepts_gzip([(b"accept-encoding", value.encode())]) is expected
    assert accepts_gzip([(b"user-agent", b"gzip")]) is False


def test_the_installed_streamlit_front_end_is_found(monkeypatch):
    """Without a root, the files are the installed Streamlit's: its entry script is among them."""
    from streamlit import file_util

    served = FrontEndFiles(Inner(), base_url="")
    index = (file_util.get_static_dir() + "/index.html")
    scripts = [line.split('src="./')[1].split('"')[0] for line in open(index, encoding="utf-8") if 'src="./static/js/' in line]
    assert scripts and all(f"/{s}" in served._files for s in scripts)
