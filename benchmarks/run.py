"""Performance benchmarks P1–P7 (issue 10) and P2n, P6d, P6w (issue 18): each a ratio measured side by side in one run.

    python benchmarks/run.py           # the full run (25 sessions at once for P6, 20 loads for P7)
    python benchmarks/run.py --quick   # a short pass (fewer repeats, 8 sessions, 5 loads)
    python benchmarks/run.py --only P1,P4

Prints one line per benchmark: ``P1 full validated load ÷ bare CSafeLoader parse  1.23x (target 1.5x)``.
Every server it starts binds 127.0.0.1 on a free port and is stopped at the end; every loop and
wait is bounded. Browser benchmarks (P3, P6, P6d, P7) need Debian's /usr/bin/chromium; P6w needs
Debian's nginx (it runs deploy/serve.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
CHART = ".js-plotly-plot svg.main-svg"
RESULTS: list[str] = []


def report(pid: str, what: str, ratio: float, target: float, detail: str = "", unit: str = "x",
           at_least: bool = False) -> None:
    met = ratio >= target if at_least else ratio <= target
    ok = "ok " if met else "NOT MET"
    line = f"{pid} {what}  {ratio:.2f}{unit} (target {target:g}{unit})  {ok}  {detail}".rstrip()
    RESULTS.append(line)
    print(line, flush=True)


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# --- P1: validated load vs bare parse ---------------------------------------------------------

def bare_parse(data_dir: Path) -> None:
    import yaml

    for path in [data_dir / "sources.yaml", data_dir / "metrics.yaml", *sorted((data_dir / "forces").glob("*.yaml"))]:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def p1(repeats: int) -> None:
    from forcedata.load import load_dataset

    data = ROOT / "data"
    with tempfile.TemporaryDirectory() as cache:
        os.environ["FORCEDATA_CACHE_DIR"] = "off"
        # NOTE: interleaved, so both see the same machine (this one's speed drifts after heavy runs)
        colds, bares = [], []
        for _ in range(repeats):
            colds.append(median_time(lambda: load_dataset(data), 1))
            bares.append(median_time(lambda: bare_parse(data), 1))
        cold, bare = statistics.median(colds), statistics.median(bares)
        os.environ["FORCEDATA_CACHE_DIR"] = cache
        load_dataset(data)  # fills the compiled cache
        warm = median_time(lambda: load_dataset(data), repeats)
        os.environ.pop("FORCEDATA_CACHE_DIR")
    report("P1", "full validated load ÷ bare CSafeLoader parse (no cache)", cold / bare, 1.5,
           f"load {cold:.2f}s, bare parse {bare:.2f}s")
    report("P1c", "load through the compiled cache ÷ bare parse (informational)", warm / bare, 1.5,
           f"cached load {warm:.3f}s")


# --- P5: 10x synthetic data -------------------------------------------------------------------

def synthetic_dir(target: Path, scale: int) -> Path:
    """The real registry and catalogue with every entity file repeated ``scale`` times under new ids."""
    (target / "forces").mkdir(parents=True)
    for name in ("sources.yaml", "metrics.yaml"):
        shutil.copy(ROOT / "data" / name, target / name)
    for path in sorted((ROOT / "data" / "forces").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for k in range(scale):
            new_id = path.stem if k == 0 else f"x-s{k}-{path.stem.lower().removeprefix('x-')}"
            out = text if k == 0 else text.replace(f"\nid: {path.stem}\n", f"\nid: {new_id}\n", 1)
            (target / "forces" / f"{new_id}.yaml").write_text(out, encoding="utf-8")
    return target


LOAD_PROBE = """
import sys, time
sys.path.insert(0, {root!r})
from collections.abc import Sequence
from pathlib import Path
from forcedata.load import load_dataset
def kb(field):
    for line in open('/proc/self/status'):
        if line.startswith(field):
            return int(line.split()[1])
before = kb('VmRSS:')
t = time.perf_counter()
ds = load_dataset(Path({data!r}))
print(time.perf_counter() - t, kb('VmHWM:') - before, len(ds.frame), len(ds.problems))
"""


def load_probe(data: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS growth in MB, rows) of one uncached load in a fresh process."""
    env = os.environ | {"FORCEDATA_CACHE_DIR": "off"}
    out = subprocess.run([PY, "-c", LOAD_PROBE.format(root=str(ROOT), data=str(data))], env=env,
                         capture_output=True, text=True, timeout=900, check=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def p5(scale: int = 10, rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one = synthetic_dir(Path(tmp) / "x1", 1)
        many = synthetic_dir(Path(tmp) / f"x{scale}", scale)
        # NOTE: interleaved rounds, each size's best kept (as timeit does): one round swung
        # between 8.6x and 11.7x with the machine's state, and two between 8.9x and 11.1x
        ones, manys = [], []
        for _ in range(rounds):
            ones.append(load_probe(one))
            manys.append(load_probe(many))
        (t1, m1, r1), (tn, mn, rn) = min(ones), min(manys)
    report("P5", f"load time at {scale}x data ÷ at 1x", tn / t1, scale, f"{t1:.2f}s -> {tn:.2f}s, rows {r1} -> {rn}")
    report("P5m", f"peak memory growth at {scale}x data ÷ at 1x", mn / m1, scale, f"{m1:.0f} MB -> {mn:.0f} MB")


# --- P2: compare-page rerun vs bare page, in AppTest ------------------------------------------

def p2(repeats: int) -> None:
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=300)
    page.run()
    assert not page.exception, page.exception
    charts = len(page.get("plotly_chart"))
    page.run()  # warm
    compare = median_time(page.run, repeats)
    os.environ["BENCH_CHARTS"] = str(charts)
    bare = AppTest.from_file(str(HERE / "bare_page.py"), default_timeout=300)
    bare.run()
    assert len(bare.get("plotly_chart")) == charts
    base = median_time(bare.run, repeats)
    os.environ.pop("BENCH_CHARTS")
    report("P2", f"compare-page rerun ÷ bare page with {charts} charts (AppTest, warm)", compare / base, 2,
           f"{compare * 1000:.0f} ms vs {base * 1000:.0f} ms")


# --- P4: PNG export with footnote vs plain kaleido --------------------------------------------

def p4(repeats: int) -> None:
    import kaleido

    from components.views.charts import family_chart
    from components.exports.image import export_image
    from components.views.layout import PRESETS
    from forcedata.frame import default_values
    from forcedata.load import load_dataset

    ds = load_dataset()
    ids = ["PAK", "AFG"]
    fig = family_chart(default_values(ds.frame, ids), {e: ds.entities[e].header.name for e in ids},
                       "personnel", ds.version)
    width, height, scale = PRESETS["16:9"]
    opts = dict(format="png", width=width, height=height, scale=scale)
    kaleido.start_sync_server(silence_warnings=True)
    export_image(fig, "png", "16:9")
    kaleido.calc_fig_sync(fig, opts=opts)
    ours = median_time(lambda: export_image(fig, "png", "16:9"), repeats)
    plain = median_time(lambda: kaleido.calc_fig_sync(fig, opts=opts), repeats)
    with contextlib.suppress(Exception):
        kaleido.stop_sync_server(silence_warnings=True)
    report("P4", "warm PNG export with footnote ÷ plain kaleido export", ours / plain, 1.2,
           f"{ours * 1000:.0f} ms vs {plain * 1000:.0f} ms")


# --- servers and browsers ---------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(script: Path, env: dict | None = None):
    """`streamlit run script` on 127.0.0.1 with the project's .streamlit/config.toml (as served);
    yields (url, pid); always stopped."""
    port = free_port()
    proc = subprocess.Popen(
        [PY, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)} | (env or {}),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"streamlit did not start: {script}") from None
                time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (every core, every process), from /proc/stat:
    beside a benchmark's own processes, it says how much other work shared the cores."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (and its waited-for children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


async def time_to_chart(browser, url: str, timeout_s: float, charts: int = 1) -> float | None:
    """Seconds from navigation to the ``charts``-th chart drawn in a fresh context (None: timed out)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=timeout_s * 1000)
        await page.locator(CHART).nth(charts - 1).wait_for(state="attached", timeout=timeout_s * 1000)
        return time.perf_counter() - start
    except Exception:
        return None
    finally:
        await context.close()


async def with_browser(fn):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await fn(browser)
        finally:
            await browser.close()


async def sequential(browser, url: str, n: int, charts: int = 1) -> list[float]:
    out = []
    for _ in range(n):
        t = await time_to_chart(browser, url, 90, charts)
        if t is None:
            raise RuntimeError(f"no chart within 90 s at {url}")
        out.append(t)
    return out


def p3(repeats: int) -> None:
    async def run(browser):
        with server(ROOT / "serve.py") as (app, _), server(HERE / "bare_page.py", {"BENCH_CHARTS": "1"}) as (bare, _):
            await sequential(browser, app, 1)  # warm: data loaded, caches filled
            await sequential(browser, bare, 1)
            a, b = [], []
            for _ in range(repeats):  # NOTE: interleaved, so both see the same machine load
                a += await sequential(browser, app, 1)
                b += await sequential(browser, bare, 1)
            return statistics.median(a), statistics.median(b)

    app, bare = asyncio.run(with_browser(run))
    report("P3", "browser time to first chart: compare page ÷ bare one-chart page", app / bare, 1.3,
           f"{app:.2f}s vs {bare:.2f}s")


def p6b(sessions: int) -> None:
    """Informational, no target: every session a Chromium page on this same machine, so the
    browsers compete with the server for its cores (a student's browser runs on their own machine)."""
    async def run(browser):
        with server(ROOT / "serve.py") as (app, pid):
            await sequential(browser, app, 1)  # warm
            cpu, wall = cpu_seconds(pid), time.perf_counter()
            together = await asyncio.gather(*(time_to_chart(browser, app, 30) for _ in range(sessions)))
            return together, cpu_seconds(pid) - cpu, time.perf_counter() - wall

    together, server_cpu, wall = asyncio.run(with_browser(run))
    done = [t for t in together if t is not None]
    line = (f"P6b (informational, no target) {sessions} Chromium pages at once on the server's own {os.cpu_count()} "
            f"cores: {len(done)}/{sessions} with a chart within 30 s; the server used {server_cpu:.1f} s CPU of "
            f"{wall * (os.cpu_count() or 1):.0f} core-seconds in the burst (the browsers the rest)")
    RESULTS.append(line)
    print(line, flush=True)


async def first_visit_files(browser, url: str) -> list[str]:
    """The server's files a browser with an empty cache fetches on a first visit (page, scripts,
    styles, fonts, health and host-config checks), in the order it asked for them."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if r.url.startswith(url) and r.method == "GET" else None)
        await page.goto(url, timeout=90_000)
        await page.locator(CHART).first.wait_for(state="attached", timeout=90_000)
        return asked
    finally:
        await context.close()


def _fetch(url: str) -> None:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # NOTE: as a browser asks
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


async def protocol_time_to_chart(url: str, timeout_s: float, files: Sequence[str] = (), pool=None) -> float | None:
    """Seconds until the server has sent the first chart to one new visitor: first the ``files`` a
    browser fetches on a first visit (six at a time, as a browser does), then a session speaking
    Streamlit's own websocket protocol. This is the server's whole share of a first visit, without
    a browser drawing on this machine. None when the script finished without a chart, a file could
    not be fetched, or the time ran out."""
    visit = await protocol_visit(url, timeout_s, files, pool)
    return None if visit is None else visit[0]


async def protocol_visit(url: str, timeout_s: float, files: Sequence[str] = (), pool=None, *, query: str = "",
                         every_chart: bool = False, cookie: str | None = None) -> tuple[float, int] | None:
    """One first visit without a browser: the ``files`` a browser fetches (six at a time), then a
    session speaking Streamlit's websocket protocol asking for the page with ``query`` (``c=MLT,CYP``).
    Returns (seconds, charts): until the first chart was sent, or with ``every_chart`` until the
    script finished, every chart sent. None when the script finished without a chart (or failed),
    a file could not be fetched, or the time ran out. ``cookie``: nginx's route cookie, as a
    browser would send it after its first page (deploy/nginx.conf.template)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    try:
        async with asyncio.timeout(timeout_s):
            loop, gate = asyncio.get_running_loop(), asyncio.Semaphore(6)

            async def get(file: str) -> None:
                async with gate:
                    await loop.run_in_executor(pool, _fetch, file)

            await asyncio.gather(*(get(f) for f in files))
            headers = {"Cookie": f"mb_route={cookie}"} if cookie else None
            async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", additional_headers=headers,
                                          subprotocols=["streamlit"], max_size=None, close_timeout=2) as ws:
                hello = BackMsg()
                hello.rerun_script.query_string = query
                await ws.send(hello.SerializeToString())
                charts = 0
                while True:
                    msg = ForwardMsg()
                    msg.ParseFromString(await ws.recv())
                    kind = msg.WhichOneof("type")
                    if (kind == "delta" and msg.delta.WhichOneof("type") == "new_element"
                            and msg.delta.new_element.WhichOneof("type") == "plotly_chart"):
                        charts += 1
                        if not every_chart:
                            return time.perf_counter() - start, charts
                    if kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        done = every_chart and charts and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                        return (time.perf_counter() - start, charts) if done else None
    except (TimeoutError, OSError):
        return None


def p6(sessions: int, rounds: int) -> None:
    """A classroom: ``sessions`` first visits to the compare page at once, ``rounds`` times. In each
    burst one is a real Chromium page, timed to its first chart drawn; the others are first visits
    without a browser (every file a browser fetches, then Streamlit's websocket protocol), since
    on this 2-core machine 25 browsers would take the cores from the server they are measuring
    (P6b). Every session counts in the share; the p95 of the browser's bursts ÷ the browser alone
    (20 bursts in the full run, so the p95 lies between the two slowest, not beyond them)."""
    from concurrent.futures import ThreadPoolExecutor

    async def run(browser):
        with server(ROOT / "serve.py") as (app, pid), ThreadPoolExecutor(6 * sessions) as pool:
            await sequential(browser, app, 1)  # warm: data loaded, caches filled
            files = await first_visit_files(browser, app)
            alone = statistics.median(await sequential(browser, app, 3))
            cpu, wall = cpu_seconds(pid), time.perf_counter()
            browsers, visitors = [], []
            for _ in range(rounds):
                first, *rest = await asyncio.gather(
                    time_to_chart(browser, app, 30),
                    *(protocol_time_to_chart(app, 30, files, pool) for _ in range(sessions - 1)))
                browsers.append(first)
                visitors += rest
            return alone, browsers, visitors, len(files), cpu_seconds(pid) - cpu, time.perf_counter() - wall

    alone, browsers, visitors, n_files, server_cpu, wall = asyncio.run(with_browser(run))
    done = [t for t in browsers + visitors if t is not None]
    drawn = [t for t in browsers if t is not None]
    if len(drawn) < len(browsers):  # NOTE: a burst whose browser drew no chart in 30 s: not met
        p95 = float("inf")
    else:  # NOTE: at most the slowest burst (a p95 of few bursts is not extrapolated beyond it)
        p95 = min(statistics.quantiles(drawn, n=20)[-1], max(drawn)) if len(drawn) >= 2 else drawn[0]
    shown = sorted(t for t in visitors if t is not None)
    report("P6", f"{sessions} first visits at once, {rounds} bursts: share with a chart within 30 s",
           len(done) / len(browsers + visitors) * 100, 100,
           f"{len(done)}/{len(browsers + visitors)}; visitors without a browser ({n_files} files + websocket): "
           f"median {statistics.median(shown) if shown else float('nan'):.2f}s, slowest "
           f"{shown[-1] if shown else float('nan'):.2f}s; server CPU {server_cpu:.1f} s in {wall:.0f} s",
           unit="%", at_least=True)
    report("P6p", f"{sessions} first visits at once: p95 of the browser's {rounds} bursts ÷ the browser alone",
           p95 / alone, 3, f"p95 {p95:.2f}s, slowest {max(drawn) if drawn else float('nan'):.2f}s, "
           f"median {statistics.median(drawn) if drawn else float('nan'):.2f}s, alone {alone:.2f}s")
    print(f"    capacity: {sessions} visitors opening at once on {os.cpu_count()} cores -> "
          f"{sessions / (os.cpu_count() or 1):.1f} visitors per core at this load", flush=True)


def p7(loads: int) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app_pages" / "compare.py"), default_timeout=300)
    at.run()
    charts = len(at.get("plotly_chart"))

    async def run(browser):
        with server(ROOT / "serve.py") as (app, pid):
            await sequential(browser, app, 1, charts)  # warm: a fresh server loads the data once
            before = cpu_seconds(pid)
            await sequential(browser, app, loads, charts)
            return (cpu_seconds(pid) - before) / loads

    per_load = asyncio.run(with_browser(run))
    report("P7", f"server CPU seconds per compare-page load ({loads} loads, all {charts} charts drawn)",
           per_load, 0.3, unit=" s")


# --- issue 18: comparisons never drawn before ------------------------------------------------

SEED = 18  # NOTE: the same draws in every run, so runs compare like with like
PLOTS = "[data-testid='stPlotlyChart'] .js-plotly-plot"


def new_comparisons(count: int, salt: str = "") -> list[list[str]]:
    """``count`` different comparisons of two to four entities drawn at random (seeded) from every
    entity in data/, none of them the default PAK,AFG (which the warm-up draws)."""
    from forcedata.load import load_dataset

    ids = sorted(load_dataset(ROOT / "data").entities)
    rng, seen, out = random.Random(f"{SEED}{salt}"), {frozenset(("PAK", "AFG"))}, []
    while len(out) < count:
        pick = rng.sample(ids, rng.randint(2, 4))
        if frozenset(pick) not in seen:
            seen.add(frozenset(pick))
            out.append(pick)
    return out


def expected_charts(selections: list[list[str]]) -> list[int]:
    """How many charts the compare page draws for each selection (one per family with a figure,
    as the slide deck plans them; tests/conftest.py counts them the same way)."""
    from components.exports.deck import Comparison, plan_charts
    from forcedata.load import load_dataset

    ds = load_dataset(ROOT / "data")
    return [len(plan_charts(ds, Comparison(tuple(ids)))) for ids in selections]


def p2n(count: int) -> None:
    """A comparison never drawn before, on the served app: one visit at a time over Streamlit's
    websocket (no front-end files), each a new comparison, timed to its last chart; against the
    bare page served the same way drawing as many charts. The ratio is of server CPU (each
    server's own, from /proc), which other work on the machine moves less than the clock."""
    picks = new_comparisons(count, "p2n")

    async def visit(url: str, pid: int, query: str) -> tuple[float, int, float]:
        cpu = cpu_seconds(pid)
        result = await protocol_visit(url, 300, query=query, every_chart=True)
        if result is None:
            raise RuntimeError(f"no chart within 300 s for ?{query}")
        return result[0], result[1], cpu_seconds(pid) - cpu

    async def run() -> tuple[list, list]:
        new, bare = [], []
        with server(ROOT / "serve.py") as (app, app_pid), server(HERE / "bare_page.py") as (base, base_pid):
            await visit(app, app_pid, "")  # NOTE: warm: data loaded, the page's code run once
            for ids in picks:  # NOTE: interleaved, so both see the same machine
                new.append(await visit(app, app_pid, "c=" + ",".join(ids)))
                await visit(base, base_pid, f"charts={new[-1][1]}")  # warm at this many charts
                # NOTE: three, as /proc counts CPU in hundredths of a second and one costs about one
                bare += [await visit(base, base_pid, f"charts={new[-1][1]}") for _ in range(3)]
        return new, bare

    new, bare = asyncio.run(run())
    new_cpu, bare_cpu = sum(v[2] for v in new), sum(v[2] for v in bare) / 3
    report("P2n", f"{count} comparisons never drawn before ÷ bare page with as many charts (server CPU, websocket)",
           new_cpu / bare_cpu, 3, f"CPU per visit {new_cpu / count:.2f}s vs {bare_cpu / count:.3f}s; time to the "
           f"last chart median {statistics.median(v[0] for v in new):.2f}s (slowest {max(v[0] for v in new):.2f}s, "
           f"{min(v[1] for v in new)}-{max(v[1] for v in new)} charts) vs {statistics.median(v[0] for v in bare):.2f}s")


async def time_to_every_chart(browser, url: str, timeout_s: float, charts: int) -> float | None:
    """Seconds from navigation until plotly has drawn ``charts`` charts in a fresh context (None:
    timed out)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=timeout_s * 1000)
        await page.wait_for_function(
            "n => [...document.querySelectorAll(\"" + PLOTS + "\")].filter(p => p.querySelector('svg.main-svg')).length >= n",
            arg=charts, timeout=timeout_s * 1000)
        return time.perf_counter() - start
    except Exception:
        return None
    finally:
        await context.close()


def p6d(sessions: int, rounds: int, within: float = 15.0, bound: float = 120.0) -> None:
    """A class where everyone picks their own comparison: ``sessions`` first visits at once, each a
    different comparison never drawn before, ``rounds`` times, on one server (P6's protocol: one
    visit is a Chromium page, the others fetch every file a browser fetches, then speak Streamlit's
    websocket protocol; here each is timed to EVERY chart of its comparison). Between them, bursts
    of the same size opening a comparison already drawn (P6's burst) give the server CPU of a
    repeated visit. Visits are waited for up to ``bound`` seconds, so times past the target are
    measured, not cut."""
    from concurrent.futures import ThreadPoolExecutor

    picks = new_comparisons(sessions * rounds + 6, "p6d")
    lone, bursts = picks[:6], [picks[6 + r * sessions: 6 + (r + 1) * sessions] for r in range(rounds)]
    default_charts, *browser_charts = expected_charts([["PAK", "AFG"], lone[5]] + [b[0] for b in bursts])

    def query(ids: list[str]) -> str:
        return "c=" + ",".join(ids)

    async def run(browser):
        with server(ROOT / "serve.py") as (app, pid), ThreadPoolExecutor(6 * sessions) as pool:
            await sequential(browser, app, 1)  # warm: data loaded, the default comparison drawn
            files = await first_visit_files(browser, app)
            # alone: three new comparisons and three repeated ones without a browser, one new in Chromium
            alone_new, alone_cpu = [], []
            for ids in lone[:3]:
                cpu = cpu_seconds(pid)
                alone_new.append(await protocol_visit(app, bound, files, pool, query=query(ids), every_chart=True))
                alone_cpu.append(cpu_seconds(pid) - cpu)
            cpu = cpu_seconds(pid)
            for _ in range(3):
                await protocol_visit(app, bound, files, pool, every_chart=True)
            repeated_alone_cpu = (cpu_seconds(pid) - cpu) / 3
            browser_alone = await time_to_every_chart(browser, f"{app}/?{query(lone[5])}", bound, browser_charts[0])
            new_cpu = repeated_cpu = 0.0
            browsers, visitors = [], []
            for r, burst in enumerate(bursts):
                cpu = cpu_seconds(pid)  # NOTE: every chart here too, so no script still runs when CPU is read
                await asyncio.gather(time_to_every_chart(browser, app, bound, default_charts),
                                     *(protocol_visit(app, bound, files, pool, every_chart=True) for _ in range(sessions - 1)))
                repeated_cpu += cpu_seconds(pid) - cpu
                cpu = cpu_seconds(pid)
                first, *rest = await asyncio.gather(
                    time_to_every_chart(browser, f"{app}/?{query(burst[0])}", bound, browser_charts[r + 1]),
                    *(protocol_visit(app, bound, files, pool, query=query(ids), every_chart=True) for ids in burst[1:]))
                new_cpu += cpu_seconds(pid) - cpu
                browsers.append(first)
                visitors += rest
            return (alone_new, alone_cpu, repeated_alone_cpu, browser_alone, browsers, visitors,
                    new_cpu / (rounds * sessions), repeated_cpu / (rounds * sessions))

    (alone_new, alone_cpu, repeated_alone_cpu, browser_alone, browsers, visitors, new_cpu,
     repeated_cpu) = asyncio.run(with_browser(run))
    drawn = sorted(v[0] for v in visitors if v is not None)
    times = drawn + [b for b in browsers if b is not None]
    total = len(visitors) + len(browsers)
    met = [t for t in times if t <= within]
    report("P6d", f"{sessions} first visits at once, each a new comparison, {rounds} bursts: share with every "
           f"chart within {within:g} s", len(met) / total * 100, 100,
           f"{len(met)}/{total} (all drawn within {bound:g} s: {len(times)}/{total}); visitors without a browser: "
           f"median {statistics.median(drawn) if drawn else float('nan'):.1f}s, slowest "
           f"{max(drawn) if drawn else float('nan'):.1f}s; the browser's bursts "
           + ", ".join("-" if b is None else f"{b:.1f}s" for b in browsers)
           + f" (alone {browser_alone or float('nan'):.1f}s)", unit="%", at_least=True)
    report("P6dc", "server CPU per first visit: a new comparison ÷ one already drawn (in bursts, files included)",
           new_cpu / repeated_cpu, 4, f"{new_cpu:.2f}s vs {repeated_cpu:.2f}s; alone: new "
           f"{statistics.median(alone_cpu):.2f}s, repeated {repeated_alone_cpu:.2f}s")
    lone_time = statistics.median(v[0] for v in alone_new if v is not None) if any(alone_new) else float("nan")
    if len(drawn) < len(visitors):  # NOTE: a visit with no chart within the bound: not met
        p95 = float("inf")
    else:
        p95 = statistics.quantiles(drawn, n=20)[-1] if len(drawn) >= 2 else drawn[0]
    report("P6dp", f"p95 of the {len(visitors)} visits without a browser (every chart) ÷ one such visit alone",
           p95 / lone_time, 3, f"p95 {p95:.1f}s, alone {lone_time:.2f}s (three new comparisons, median)")


@contextlib.contextmanager
def deployed(processes: int):
    """``deploy/serve.py start`` with ``processes`` behind nginx on a free port; yields its run
    folder (its state.json: ports, process ids, restarts); always stopped."""
    with tempfile.TemporaryDirectory(prefix="bench-deploy-") as tmp:
        port, run_dir = free_port(), Path(tmp) / "run"
        cmd = [PY, str(ROOT / "deploy" / "serve.py")]
        subprocess.run(cmd + ["start", "--processes", str(processes), "--host", "127.0.0.1", "--port", str(port),
                              "--run-dir", str(run_dir)], cwd=ROOT, check=True, timeout=400, stdout=subprocess.DEVNULL)
        try:
            yield run_dir
        finally:
            subprocess.run(cmd + ["stop", "--run-dir", str(run_dir)], cwd=ROOT, check=False, timeout=120,
                           stdout=subprocess.DEVNULL)


async def closed_loop(url: str, picks: list[list[str]], clients: int) -> list:
    """Every comparison in ``picks`` over the websocket, ``clients`` at a time (each client asks for
    the next as soon as its last finished), each visit with a route cookie of its own."""
    queue, results = list(picks), []

    async def client() -> None:
        while queue:
            ids = queue.pop()
            results.append(await protocol_visit(url, 600, query="c=" + ",".join(ids), every_chart=True,
                                                cookie=uuid.uuid4().hex))

    await asyncio.gather(*(client() for _ in range(clients)))
    return results


def p6w(visits: int, clients: int) -> None:
    """Visits per second where the server is the limit: ``visits`` new comparisons over Streamlit's
    websocket only (no front-end files), ``clients`` at a time as fast as the server takes them,
    each with its own route cookie as a browser has, through nginx (deploy/serve.py) with one
    process and then with two; the same comparisons, each deployment started fresh."""
    picks = new_comparisons(visits, "p6w")
    rates, per_visit = {}, {}
    for processes in (1, 2):
        with deployed(processes) as run_dir:
            state = json.loads((run_dir / "state.json").read_text())
            for proc in state["processes"]:  # NOTE: warm each process: data loaded, default comparison drawn
                if asyncio.run(protocol_visit(f"http://127.0.0.1:{proc['port']}", 300, every_chart=True)) is None:
                    raise RuntimeError(f"no chart from the process on port {proc['port']}")
            pids = [p["pid"] for p in state["processes"]] + [state["nginx"]]
            cpu, own, wall = sum(cpu_seconds(p) for p in pids), os.times(), time.perf_counter()
            machine = machine_cpu_seconds()
            results = asyncio.run(closed_loop(state["url"], picks, clients))
            wall = time.perf_counter() - wall
            cpu = sum(cpu_seconds(p) for p in pids) - cpu
            own = (os.times().user + os.times().system) - (own.user + own.system)
            others = machine_cpu_seconds() - machine - cpu - own
            done = [r for r in results if r is not None]
            restarts = sum(p["restarts"] for p in json.loads((run_dir / "state.json").read_text())["processes"])
            rates[processes], per_visit[processes] = len(done) / wall, cpu / max(len(done), 1)
            line = (f"    P6w {processes} process(es): {len(done)}/{visits} visits drawn in {wall:.1f} s = "
                    f"{rates[processes]:.2f} visits/s; server CPU {cpu / max(len(done), 1):.2f} s per visit "
                    f"({cpu / wall:.2f} cores busy), load generator {own / wall:.2f} cores, other work on the machine "
                    f"{others / wall:.2f} cores; restarts {restarts}")
            RESULTS.append(line)
            print(line, flush=True)
    # NOTE: capacity per core from the server's own CPU per visit: other work on the machine
    # lowers the visits per second, not the work one visit takes
    report("P6w", f"{visits} new comparisons over the websocket through nginx: visits/s, two processes ÷ one",
           rates[2] / rates[1], 1.6, f"{rates[1]:.2f} vs {rates[2]:.2f} visits/s; capacity "
           f"{1 / per_visit[2]:.2f} new comparisons per second per core the server gets (1 ÷ its CPU per visit)",
           at_least=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short pass: fewer repeats, sessions and loads")
    parser.add_argument("--only", default="", help="comma-separated ids, e.g. P1,P4")
    args = parser.parse_args(argv)
    quick = args.quick
    wanted = {p.strip().upper() for p in args.only.split(",") if p.strip()}
    plan = [
        ("P1", lambda: p1(1 if quick else 5)),
        ("P2", lambda: p2(3 if quick else 7)),
        ("P4", lambda: p4(3 if quick else 7)),
        ("P5", lambda: p5(10, 1 if quick else 3)),
        ("P3", lambda: p3(2 if quick else 5)),
        ("P7", lambda: p7(5 if quick else 20)),
        ("P6", lambda: p6(8 if quick else 25, 3 if quick else 20)),
        ("P6B", lambda: p6b(8 if quick else 25)),
        ("P2N", lambda: p2n(4 if quick else 12)),
        ("P6D", lambda: p6d(8 if quick else 25, 2 if quick else 4)),
        ("P6W", lambda: p6w(20 if quick else 100, 8)),
    ]
    started = time.perf_counter()
    # NOTE: the load average says whether other work shared the cores (these figures assume none)
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}{', quick' if quick else ''}; load average {os.getloadavg()[0]:.1f}",
          flush=True)
    for pid, fn in plan:
        if wanted and pid not in wanted:
            continue
        try:
            fn()
        except Exception as err:  # NOTE: one failing benchmark never hides the others
            line = f"{pid} failed: {type(err).__name__}: {err}"
            RESULTS.append(line)
            print(line, flush=True)
    print(f"# done in {(time.perf_counter() - started) / 60:.1f} min; load average {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
