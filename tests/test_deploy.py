"""deploy/: Streamlit processes behind nginx, as deploy/README.md promises. Two processes started by
the documented command; every request of a visitor reaches one process, different visitors from
one address are spread over both; a killed process's visitor reconnects to the other, and the
supervisor starts the killed one again; the container files use the same nginx template.

nginx comes from Debian (``.ci/run`` installs it, like Chromium): the tests skip without it
locally and fail under CI (``CI=true``)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from deploy import serve as deploy_serve
from tests.conftest import CHART, ROOT, _free_port

SCRIPT = ROOT / "deploy" / "serve.py"
LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ upstream=(?P<upstream>.+?) '
                  r'route=(?P<route>\S+) ')


def require_nginx() -> None:
    if shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK):
        return
    if os.environ.get("CI"):
        pytest.fail("CI=true but nginx is missing: .ci/run must apt-get install nginx")
    pytest.skip("nginx not installed (apt-get install nginx)")


def deploy(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)


def access_log(run_dir: Path) -> list[dict]:
    """nginx's access log, one dict per request; ``upstream`` is the process that answered last
    (nginx lists every process it tried, comma-separated)."""
    try:
        text = (run_dir / "access.log").read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = [m.groupdict() for m in map(LINE.search, text.splitlines()) if m]
    for line in lines:
        line["upstream"] = line["upstream"].split(",")[-1].strip()
    return lines


def wait_for(condition, what: str, timeout: float = 60, page=None):
    """Wait until ``condition()`` is truthy (bounded), and return it. With a page, Playwright's own
    wait lets the page's events arrive meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        if page is not None:
            page.wait_for_timeout(100)  # NOTE: the poll interval of a bounded wait on a condition
        else:
            time.sleep(0.1)  # NOTE: the poll interval of a bounded wait on a condition


def get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": f"mb_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
        return answer


def alive(pid: int) -> bool:
    return deploy_serve.alive(pid)


def test_nginx_config_has_one_line_per_process_and_passes_nginx_check(tmp_path):
    require_nginx()
    text = deploy_serve.nginx_config(tmp_path, "127.0.0.1:8080", [9001, 9002, 9003])
    servers = re.findall(r"^\s*server (\S+) (.+);$", text, flags=re.M)
    assert servers == [(f"127.0.0.1:{p}", deploy_serve.SERVER_PARAMS) for p in (9001, 9002, 9003)]
    assert deploy_serve.PLACEHOLDER.search(text) is None and "hash $mb_route_key consistent;" in text
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / name).mkdir(parents=True)
    (tmp_path / "nginx.conf").write_text(text, encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                            "-e", str(tmp_path / "error.log")], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    with pytest.raises(deploy_serve.DeployError, match="placeholders"):
        deploy_serve.render("listen ${MB_LISTEN}; ${MB_OTHER}", {"MB_LISTEN": "80"})


def test_bad_options_are_one_line_errors():
    ran = deploy("start", "--processes", "0")
    assert ran.returncode == 2 and "must be at least 1" in ran.stderr and "Traceback" not in ran.stderr
    ran = deploy("stop", "--run-dir", str(ROOT / "no-such-run-folder"))
    assert ran.returncode == 0 and "Not running" in ran.stdout


def test_the_container_files_use_the_same_template_and_ports():
    """compose.yaml's proxy fills the one template the local command fills, with the same passive
    health parameters, in front of the port the Dockerfile serves."""
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    proxy, app = compose["services"]["proxy"], compose["services"]["app"]
    assert proxy["configs"] == [{"source": "nginx_template", "target": "/etc/nginx/templates/default.conf.template"}]
    assert compose["configs"]["nginx_template"] == {"file": "./nginx.conf.template"}
    env = proxy["environment"]
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    assert {k for k in env if k.startswith("MB_")} == set(deploy_serve.PLACEHOLDER.findall(template))
    assert env["NGINX_ENVSUBST_FILTER"] == "^MB_"
    assert re.search(rf"server app:8501 resolve {deploy_serve.SERVER_PARAMS};", env["MB_UPSTREAM_SERVERS"])
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "EXPOSE 8501" in dockerfile and '"--server.port", "8501"' in dockerfile
    assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert app["deploy"]["endpoint_mode"] == "dnsrr"  # NOTE: swarm: each replica's address, not one virtual IP
    copied = [src for line in re.findall(r"^COPY (.+)$", dockerfile, flags=re.M) for src in line.split()[:-1]]
    assert "serve.py" in copied and "data" in copied
    assert [src for src in copied if not (ROOT / src).exists()] == []


def test_two_processes_behind_nginx_keep_each_visitor_and_survive_a_killed_one(browser, tmp_path):
    require_nginx()
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    run_dir, port = tmp_path / "run", _free_port()
    started = deploy("start", "--processes", "2", "--host", "127.0.0.1", "--port", str(port),
                     "--run-dir", str(run_dir), "--interval", "1")
    assert started.returncode == 0, started.stdout + started.stderr
    state = deploy_serve.read_json(run_dir / "state.json")
    url = f"http://127.0.0.1:{port}"
    processes = {f"127.0.0.1:{p['port']}": p for p in state["processes"]}
    everything = [state["supervisor"], state["nginx"]]
    context = None
    try:
        assert state["url"] == url and len(processes) == 2

        # 1/ ROUTING: a first answer sets the route cookie; visitors from one address are spread
        first = get(f"{url}/")
        assert re.fullmatch(r"mb_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", first.headers["Set-Cookie"])
        visitors = [f"visitor{i}" for i in range(24)]
        for visitor in visitors:
            get(f"{url}/_stcore/health", visitor)
        seen = wait_for(lambda: [r for r in access_log(run_dir) if r["route"].startswith("visitor")]
                        if sum(r["route"].startswith("visitor") for r in access_log(run_dir)) == 24 else None,
                        "24 visitors' requests in the access log")
        assert {r["upstream"] for r in seen} == set(processes)  # NOTE: all on one: 2 ** -23
        # everything one visitor asks for goes to the process its cookie names
        icon = "/app/static/icon/balance.png"
        for path in ("/", "/_stcore/health", "/_stcore/host-config", icon, "/_stcore/health"):
            assert get(f"{url}{path}", "visitor0").status == 200
        mine = wait_for(lambda: [r for r in access_log(run_dir) if r["route"] == "visitor0"]
                        if sum(r["route"] == "visitor0" for r in access_log(run_dir)) == 6 else None,
                        "visitor0's six requests in the access log")
        assert len({r["upstream"] for r in mine}) == 1, mine

        # 2/ A BROWSER: its websocket is on the process its cookie names
        context = browser.context.browser.new_context()
        page = context.new_page()
        page.set_default_timeout(60_000)
        sockets: list[dict] = []

        def watch(ws):
            record = {"charts": 0, "runs": 0}
            sockets.append(record)

            def frame(payload):
                if isinstance(payload, bytes):
                    msg = ForwardMsg()
                    msg.ParseFromString(payload)
                    if (msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element"
                            and msg.delta.new_element.WhichOneof("type") == "plotly_chart"):
                        record["charts"] += 1
                    record["runs"] += msg.WhichOneof("type") == "script_finished"
            ws.on("framereceived", frame)

        page.on("websocket", watch)
        page.goto(f"{url}/?c=x-ttp")
        page.wait_for_selector(CHART)
        cookie = next(c["value"] for c in context.cookies() if c["name"] == "mb_route")
        asked = wait_for(lambda: [r for r in access_log(run_dir) if r["route"] == cookie and r["path"] == "/_stcore/host-config"],
                         "the browser's host-config request in the access log")
        home = asked[0]["upstream"]
        other = next(p for p in processes if p != home)
        assert len(sockets) == 1 and sockets[0]["charts"] >= 1

        # 3/ ITS PROCESS DIES: the websocket closes and the page reconnects, to the other process.
        # The page stays as it was (Streamlit's front end asks a server it reconnects to for no
        # rerun); the visitor's next action reruns it there, from the selection in its link.
        os.kill(processes[home]["pid"], signal.SIGKILL)
        closed = wait_for(lambda: [r for r in access_log(run_dir) if r["route"] == cookie and r["path"] == "/_stcore/stream"],
                          "the first websocket's line in the access log (written when it closes)", page=page)
        assert [(r["status"], r["upstream"]) for r in closed] == [("101", home)]
        wait_for(lambda: len(sockets) >= 2, "a new websocket", page=page)
        expect(page.locator("[data-test-connection-state='CONNECTED']")).to_have_count(1)
        toggle = page.get_by_role("switch", name="Presentation mode")
        toggle.click(force=True)  # NOTE: force: in presentation mode the switch is transparent until hovered
        wait_for(lambda: any(s["charts"] and s["runs"] for s in sockets[1:]), "a chart over the new websocket", page=page)
        expect(page.get_by_text("Tehreek-e-Taliban Pakistan").first).to_be_visible()
        # and the visitor's session works there: one more action takes effect
        was = toggle.is_checked()
        toggle.click(force=True)
        expect(toggle).to_be_checked(checked=not was)
        expect(page.locator("[data-testid='stSidebar']")).to_be_visible(visible=was)
        expect(page.locator(CHART).first).to_be_visible()
        page.close()
        streams = wait_for(lambda: [r for r in access_log(run_dir) if r["route"] == cookie and r["path"] == "/_stcore/stream"]
                           if len([r for r in access_log(run_dir) if r["route"] == cookie
                                   and r["path"] == "/_stcore/stream" and r["status"] == "101"]) >= 2 else None,
                           "the second websocket's line in the access log")
        assert [r["upstream"] for r in streams if r["status"] == "101"][-1] == other
        # every request of this visitor went to its process until it died, then to the other
        routes = [r["upstream"] for r in access_log(run_dir) if r["route"] == cookie]
        assert routes == [home] * routes.index(other) + [other] * (len(routes) - routes.index(other)), routes

        # 4/ THE SUPERVISOR STARTS THE KILLED PROCESS AGAIN, on its port
        restarted = wait_for(lambda: next((p for p in deploy_serve.read_json(run_dir / "state.json")["processes"]
                                           if f"127.0.0.1:{p['port']}" == home and p["restarts"] == 1), None),
                             "the killed process restarted", timeout=30)
        everything.append(restarted["pid"])
        wait_for(lambda: deploy_serve.healthy(f"http://{home}", timeout=2), "the restarted process healthy", timeout=120)
    finally:
        if context is not None:
            context.close()
        stopped = deploy("stop", "--run-dir", str(run_dir))
    everything += [p["pid"] for p in processes.values()]
    leaked = [pid for pid in everything if alive(pid)]
    for pid in leaked:  # NOTE: a stop that failed leaves nothing of this test running
        os.kill(pid, signal.SIGKILL)
    assert stopped.returncode == 0 and "Stopped." in stopped.stdout, stopped.stdout + stopped.stderr
    assert leaked == []
