"""Shared test fixtures: a throwaway data directory built by each test from the project's
registry and catalogue (never from ../shared)."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# NOTE: the compiled dataset cache (forcedata.load.cache_dir) lives in a folder of this test
# session, inherited by every server the tests start: the real data is validated once per session,
# and nothing a test writes outlives it.
if "FORCEDATA_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="forcedata-cache-")
    os.environ["FORCEDATA_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config):
    cache = globals().get("_CACHE")
    if cache:
        shutil.rmtree(cache, ignore_errors=True)

GOOD_ENTITY = """\
id: {id}
name: Testland
kind: state
observations:
  personnel:
    active:
      - value: 1000
        as_of: 2025
        source: iiss-mb-2025
"""


@functools.cache
def bundled_dataset():
    """The bundled dataset, loaded once per test process; read-only like the app's (an in-place
    assignment raises), so no test can change what the next one sees."""
    from components.ui.state import read_only
    from forcedata.load import load_dataset

    return read_only(load_dataset(ROOT / "data"))


@pytest.fixture(scope="session")
def real_dataset():
    """The bundled dataset (``bundled_dataset``)."""
    return bundled_dataset()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir with the real sources.yaml and metrics.yaml and an empty forces/."""
    for name in ("sources.yaml", "metrics.yaml"):
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    (tmp_path / "forces").mkdir()
    return tmp_path


@pytest.fixture
def write_entity(data_dir: Path):
    """Write data/forces/<ID>.yaml (text or bytes) and return its path."""
    def write(entity_id: str, content: str | bytes) -> Path:
        path = data_dir / "forces" / f"{entity_id}.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path
    return write


@dataclass
class Ran:
    returncode: int
    stderr: str
    stdout: str = ""


def run_main(main, *args: str, cwd: Path | None = None) -> Ran:
    """A command line's ``main(ARGS)`` run in this process from ``cwd``: its exit code, standard
    output and standard error, as the shell would see them, without an interpreter start and
    imports per call (the test files each run their real module once as a subprocess)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(cwd or ROOT):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Ran(code, err.getvalue(), out.getvalue())


def run_export(*args: str, cwd: Path | None = None) -> Ran:
    """``python -m components.exports ARGS`` in this process (``run_main``): the process's one
    kaleido server is reused."""
    from components.exports.cli import main

    return run_main(main, *args, cwd=cwd)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]


def require_chromium() -> None:
    """Browser tests need Debian's Chromium: under CI its absence is a failure, never a skip."""
    import os

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must apt-get install chromium")
        pytest.skip("Debian chromium not installed (apt-get install chromium)")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def start_app():
    """Start `streamlit run serve.py`, the dashboard as served (optionally on another data dir), and
    return its URL; every server is stopped at the end of the session."""
    import os
    import subprocess
    import time
    import urllib.request

    procs = []
    shared: dict[None, str] = {}

    def start(data_dir: Path | None = None) -> str:
        # NOTE: one server on the bundled data serves every test that reads it (each test opens
        # its own page, so its own Streamlit session); a test with its own data gets its own.
        if data_dir is None and None in shared:
            return shared[None]
        port = _free_port()
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        if data_dir is not None:
            env["FORCEDATA_DATA_DIR"] = str(data_dir)
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.headless", "true",
             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    if data_dir is None:
                        shared[None] = url
                    return url
            except OSError:
                time.sleep(0.3)  # NOTE: the poll interval of a wait on a condition (health answers), bounded at 60 s
        raise RuntimeError("streamlit did not start within 60 s")

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>[x](https://evil.example)'
# NOTE: markup of every kind the app's renderers read (HTML, Markdown emphasis, links and images,
# Streamlit's colour directive); each would create an element around "pwn" or fetch from x.invalid
MARK = "<img src=//x.invalid/i data-pwn>**pwn**[pwn](//x.invalid)![i](//x.invalid/m)<a href=//x.invalid>pwn</a>:red[pwn]"
MARKED_ENTITIES = ("AFG", "PAK")  # NOTE: every text field of these files carries MARK
BROKEN_GROUP = "- {id: broken, name: Broken, full_name: A group whose members are a number, kind: alliance, " \
               "source: nato-member-countries, date_means: joined, members: 5}\n"


def _marked(text: object, limit: int | None = None) -> str:
    """``text`` with MARK after it, cut to fit a field's limit (forcedata.schema)."""
    text = "" if text is None else str(text)
    room = len(text) if limit is None else max(limit - len(MARK) - 1, 0)
    return f"{text[:room]} {MARK}".strip()


def plant_markup(data: Path) -> None:
    """MARK in every text field of the registry, the catalogue, the groups and the entities
    MARKED_ENTITIES of the data folder ``data`` (ids and references are left alone; unit ids are
    renamed with their metrics), each within its field's length limit."""
    import yaml

    from forcedata.schema import LABEL_CHARS, TITLE_CHARS
    from forcedata.yamlio import load_yaml

    def rewrite(path: Path, change) -> None:
        doc, _ = load_yaml(path)
        change(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")

    def sources(doc):
        for s in doc["sources"]:
            for key, limit in (("producer", TITLE_CHARS), ("title", TITLE_CHARS), ("edition", LABEL_CHARS),
                               ("attribution_short", LABEL_CHARS), ("citation_full", None), ("terms", None),
                               ("note", None)):
                s[key] = _marked(s.get(key), limit)

    def catalogue(doc):
        # NOTE: 7 characters of room beside MARK: a unit's first five and its position keep ids apart
        units = {u["id"]: _marked(f"{u['id'][:5]}{i}", LABEL_CHARS) for i, u in enumerate(doc["units"])}
        for u in doc["units"]:
            u["id"] = units[u["id"]]
        for f in doc["families"]:
            f["label"] = _marked(f["label"], LABEL_CHARS)
        for m in doc["metrics"]:
            m.update(label=_marked(m["label"], LABEL_CHARS), definition=_marked(m["definition"]),
                     caveat=_marked(m.get("caveat")), unit=units[m["unit"]])
        for sc in doc.get("scopes", []):
            sc.update(label=_marked(sc["label"], LABEL_CHARS), definition=_marked(sc["definition"]))

    def groups(doc):
        for g in doc["groups"]:
            g.update(name=_marked(g["name"], LABEL_CHARS), full_name=_marked(g["full_name"], TITLE_CHARS),
                     note=_marked(g.get("note")))
            g["members"][0]["note"] = _marked(g["members"][0].get("note"))

    def entity(doc):
        if doc["id"] != "AFG":  # NOTE: Afghanistan's name is EVIL already (its script tags)
            doc["name"] = _marked(doc["name"], LABEL_CHARS)
        doc["notes"] = _marked(doc.get("notes"))
        for family in doc.get("observations", {}).values():
            for values in family.values():
                for v in values:
                    v.update(locator=_marked(v.get("locator")), quote=_marked(v.get("quote")),
                             caption=_marked(v.get("caption"), TITLE_CHARS), note=_marked(v.get("note")))
        for family in doc.get("series", {}).values():
            for blocks in family.values():
                for b in blocks:
                    b.update(locator=_marked(b.get("locator")), note=_marked(b.get("note")))

    rewrite(data / "sources.yaml", sources)
    rewrite(data / "metrics.yaml", catalogue)
    rewrite(data / "groups.yaml", groups)
    for eid in MARKED_ENTITIES:
        rewrite(data / "forces" / f"{eid}.yaml", entity)


@pytest.fixture(scope="session")
def hostile_app(start_app, tmp_path_factory):
    """A server on a copy of the data with hostile text in Afghanistan's name, a caption and its
    notes, markup (MARK) in every text field of the registry, the catalogue, the groups and the
    MARKED_ENTITIES, a form feed in Norway's file (which is refused: one banner, the rest served)
    and a group in groups.yaml whose members are a number (refused: a banner, the rest served).
    One server for the browser tests that need hostile data; returns its URL."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data)
    afg = data / "forces" / "AFG.yaml"
    text = afg.read_text(encoding="utf-8")
    for old, new in (("name: Afghanistan", f"name: '{EVIL}'"), ("caption: no fighter jets", f"caption: '{EVIL}'"),
                     ("  August 2021. As IISS states", f"  August 2021. {EVIL} As IISS states")):
        assert old in text, old
        text = text.replace(old, new)
    afg.write_text(text, encoding="utf-8")
    plant_markup(data)
    with open(data / "groups.yaml", "a", encoding="utf-8") as groups:  # NOTE: after plant_markup's dump: its indentation
        groups.write(BROKEN_GROUP)
    nor = data / "forces" / "NOR.yaml"
    nor.write_bytes(nor.read_bytes().replace(b"name: Norway", b"name: Nor\x0cway"))
    return start_app(data)


# NOTE: what markup from a data file would leave in a page: an element it made (tagged data-pwn,
# or a leaf element holding just "pwn": bold, a link's text, a coloured span), or a link or
# picture pointing at x.invalid (href, xlink:href or src)
MARKUP_LEFT = """() => {
  const at = (e, name) => (e.getAttribute(name) || '').includes('x.invalid');
  const out = [];
  for (const e of document.querySelectorAll('*')) {
    if (e.hasAttribute('data-pwn') || at(e, 'href') || at(e, 'xlink:href') || at(e, 'src')
        || (e.children.length === 0 && e.textContent.trim() === 'pwn'))
      out.push(e.outerHTML.slice(0, 120));
  }
  return out;
}"""


def assert_inert(page, away: list[str]) -> None:
    """Nothing planted in a data file became an element of ``page``, and nothing was fetched from
    anywhere but the server (``away``: ``watch_requests``)."""
    assert page.evaluate(MARKUP_LEFT) == [], page.url
    assert away == [], page.url


def watch_requests(page, url: str) -> list[str]:
    """The list (filled as the page runs) of every request the page makes to anywhere but ``url``'s
    server (data: and blob: addresses are the page's own)."""
    from urllib.parse import urlsplit

    home = urlsplit(url).netloc
    away: list[str] = []
    page.on("request", lambda r: away.append(r.url) if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).netloc != home else None)
    return away


class SharedCacheBrowser:
    """Chromium whose pages share one context, so the front end's scripts are fetched and compiled
    once per test session (as by a returning visitor's browser), not once per test: 0.6–0.8 s of
    every page opened. Each page is still its own tab, so its own Streamlit session."""

    def __init__(self, context):
        self.context = context

    def new_page(self, *, viewport: dict | None = None):
        page = self.context.new_page()
        page.set_default_timeout(60_000)  # NOTE: a bound on every wait, for CI's busy machine
        if viewport:
            page.set_viewport_size(viewport)
        return page


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    from playwright.sync_api import expect

    # NOTE: expect() waits on its condition up to this bound (Playwright's default, 5 s, is
    # short for a page rerun on CI's busy 2 cores); a passing check returns as soon as it holds
    expect.set_options(timeout=30_000)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = b.new_context(accept_downloads=True)
        yield SharedCacheBrowser(context)
        context.close()
        b.close()


CHART = ".js-plotly-plot svg.main-svg"
NAV = ["Compare", "Profile", "Trends", "Map", "Sources and methods", "Data health"]  # the app's pages, in order


def open_page(browser, url: str, *, wait_for: str = CHART, width: int = 1600, height: int = 1000):
    """A new page at ``url``, once ``wait_for`` (by default the first chart drawn) is in it."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector(wait_for, timeout=60_000)
    return page


@functools.cache
def _planned_charts(ids: tuple[str, ...]) -> int:
    from components.exports.deck import Comparison, plan_charts

    return len(plan_charts(bundled_dataset(), Comparison(ids)))


def wait_for_every_chart(page, ids: list[str]) -> None:
    """Wait (on conditions, never a fixed sleep) until plotly has drawn every chart the compare
    page has for ``ids`` (as many as the deck plans: one per family with a figure). Neither the
    last section being in the page nor the number of chart containers so far says that: the
    front end mounts the elements of one run in several passes."""
    from playwright.sync_api import expect

    expected = _planned_charts(tuple(ids))
    expect(page.get_by_text("Provenance: every value for this selection")).to_be_attached(timeout=60_000)
    expect(page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot")).to_have_count(expected, timeout=60_000)


ARTIFACTS = ROOT / "artifacts"


def markdown_tables(at) -> list:
    """The tables an AppTest run drew (``widgets.render_table``: Markdown tables), each as a
    DataFrame of the cells' text as sent (still escaped: ``\\>`` for ``>``)."""
    import re

    import pandas as pd

    def cells(line: str) -> list[str]:
        return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]

    tables = []
    for md in at.markdown:
        lines = md.value.split("\n")
        if len(lines) >= 2 and lines[0].startswith("| ") and set(lines[1]) <= set("|- "):
            tables.append(pd.DataFrame([cells(line) for line in lines[2:]], columns=cells(lines[0])))
    return tables


def run_page(script: str, *, timeout: int = 60, **params):
    """Run one app script under AppTest with ``params`` as its URL query (AppTest and browser
    tests share the hostile values below)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / script), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def chart_spec(at, index: int = 0) -> dict:
    """The plotly figure an AppTest run drew (numbers are base64 in it: test builders for those)."""
    import json

    return json.loads(at.get("plotly_chart")[index].proto.spec)
