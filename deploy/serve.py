"""Several `streamlit run serve.py` processes behind nginx on this machine, started and stopped by one command.

    .venv/bin/python deploy/serve.py start      # one process per core behind nginx on port 8080
    .venv/bin/python deploy/serve.py stop
    .venv/bin/python deploy/serve.py status
    .venv/bin/python deploy/serve.py run        # the same in the foreground (systemd, a terminal); Ctrl-C stops it

``start`` runs ``run`` in the background and returns once the dashboard answers through nginx.
``run`` is the supervisor: it starts N processes on free local ports (127.0.0.1 only), waits until
each answers ``/_stcore/health``, writes nginx's configuration from ``deploy/nginx.conf.template``
into its run folder and starts nginx (Debian package ``nginx``; no root needed on a port above 1023),
then polls every process's health: a process that exits, or fails three checks in a row, is stopped
and started again on its port (nginx meanwhile sends its visitors to the others). Its state (ports,
process ids, restarts) is ``state.json`` in the run folder, beside nginx's access log, which names
the process that answered each request. Standard library only; why nginx routes by cookie:
deploy/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().with_name("nginx.conf.template")
DEFAULT_RUN_DIR = ROOT / ".run" / "deploy"
# NOTE: passive health, the same words in deploy/compose.yaml (tests/test_deploy.py compares them)
SERVER_PARAMS = "max_fails=1 fail_timeout=10s"
HEALTH = "/_stcore/health"
HEALTH_FAILS = 3  # checks in a row before a process that still runs is restarted
START_TIMEOUT = 180.0  # seconds for a process (or the whole deployment) to answer its health check
PLACEHOLDER = re.compile(r"\$\{(MB_[A-Z_]+)\}")


class DeployError(Exception):
    """A problem to report in one line (what went wrong and what to do), never a traceback."""


def cores() -> int:
    """The cores this process may run on (a container's or a taskset's share, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # NOTE: not Linux
        return max(1, os.cpu_count() or 1)


def find_nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                           if os.access(p, os.X_OK)), None)
    if not found:
        raise DeployError("nginx is not installed: on Debian or Ubuntu, apt-get install nginx")
    return found


def render(template: str, values: dict[str, str]) -> str:
    """The template with each ``${MB_NAME}`` replaced; an unknown or missing name is an error."""
    names = set(PLACEHOLDER.findall(template))
    if names != set(values):
        raise DeployError(f"{TEMPLATE.name}: placeholders {sorted(names)} but values for {sorted(values)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def nginx_config(run_dir: Path, listen: str, ports: list[int]) -> str:
    """nginx's whole configuration for processes on 127.0.0.1 ``ports``: a main block of its own
    (pid, error log and every temporary folder in ``run_dir``, so nginx needs no root) around the
    template's http block."""
    site = render(TEMPLATE.read_text(encoding="utf-8"), {
        "MB_LISTEN": listen,
        "MB_ACCESS_LOG": str(run_dir / "access.log"),
        "MB_UPSTREAM_SERVERS": "\n    ".join(f"server 127.0.0.1:{port} {SERVER_PARAMS};" for port in ports),
    })
    temp = "\n".join(f"    {name}_temp_path {run_dir / 'tmp' / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"# Written by deploy/serve.py from deploy/nginx.conf.template: edit those, not this file.\n"
            f"worker_processes 1;\nworker_rlimit_nofile 8192;\npid {run_dir / 'nginx.pid'};\n"
            f"error_log {run_dir / 'error.log'} warn;\n"
            f"events {{\n    worker_connections 4096;\n}}\n"
            f"http {{\n    default_type application/octet-stream;\n{temp}\n\n{site}}}\n")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH, timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


def log(message: str) -> None:
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}", flush=True)


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # NOTE: a zombie (exited, not yet reaped by its parent) is not running
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # NOTE: a reader sees the old state or the new, never half


@dataclass
class App:
    """One `streamlit run serve.py` process on 127.0.0.1:port."""

    port: int
    log_path: Path
    proc: subprocess.Popen | None = None
    started: float = 0.0
    up: bool = False  # answered its health check since it was (re)started
    fails: int = 0
    restarts: int = 0
    history: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        out = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.headless", "true",
                 "--server.address", "127.0.0.1", "--server.port", str(self.port),
                 "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT)
        finally:
            out.close()
        self.started, self.up, self.fails = time.monotonic(), False, 0
        self.history.append(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Supervisor:
    """N processes and nginx: started, watched, and stopped together (``run``)."""

    def __init__(self, run_dir: Path, processes: int, host: str, port: int, interval: float) -> None:
        self.run_dir, self.host, self.port, self.interval = run_dir, host, port, interval
        self.apps = [App(p, run_dir / f"app-{p}.log") for p in (free_port() for _ in range(processes))]
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{shown}:{self.port}"

    def save(self, ready: bool) -> None:
        write_json(self.run_dir / "state.json", {
            "url": self.url, "supervisor": os.getpid(), "ready": ready,
            "nginx": self.nginx.pid if self.nginx else None,
            "processes": [{"port": a.port, "pid": a.proc.pid if a.proc else None, "restarts": a.restarts,
                           "pids": a.history, "log": str(a.log_path)} for a in self.apps],
        })

    def wait_up(self, apps: list[App]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        waiting = list(apps)
        while waiting:
            for app in list(waiting):
                if app.proc.poll() is not None:
                    raise DeployError(f"the process on port {app.port} exited at start (code "
                                      f"{app.proc.returncode}); its log, {app.log_path}:\n{tail(app.log_path)}")
                if healthy(app.url, timeout=2):
                    app.up = True
                    waiting.remove(app)
            if waiting and time.monotonic() > deadline:
                raise DeployError(f"no answer from {HEALTH} within {START_TIMEOUT:.0f} s on port(s) "
                                  f"{', '.join(str(a.port) for a in waiting)}; see {self.run_dir}/app-*.log")
            if waiting:
                time.sleep(0.5)  # NOTE: the poll interval of a bounded wait on a condition

    def start_nginx(self, binary: str) -> None:
        conf = self.run_dir / "nginx.conf"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
        listen = f"{self.host}:{self.port}" if self.host else str(self.port)
        conf.write_text(nginx_config(self.run_dir, listen, [a.port for a in self.apps]), encoding="utf-8")
        base = [binary, "-p", str(self.run_dir), "-c", str(conf), "-e", str(self.run_dir / "error.log")]
        check = subprocess.run(base + ["-t", "-q"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise DeployError(f"nginx refused its configuration {conf}:\n{check.stderr.strip()}")
        self.nginx = subprocess.Popen(base + ["-g", "daemon off;"], stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not healthy(self.url, timeout=2) or self.nginx.poll() is not None:
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise DeployError(f"nginx did not start on port {self.port} (in use?); its log, "
                                  f"{self.run_dir / 'error.log'}:\n{tail(self.run_dir / 'error.log')}")
            time.sleep(0.2)  # NOTE: the poll interval of a bounded wait on a condition

    def check(self, restart: bool) -> None:
        """One round of health checks; a process that exited or failed HEALTH_FAILS in a row restarts."""
        for app in self.apps:
            exited = app.proc.poll() is not None
            if not exited and healthy(app.url):
                app.up, app.fails = True, 0
                continue
            if not exited and not app.up and time.monotonic() - app.started < START_TIMEOUT:
                continue  # NOTE: still starting
            app.fails += 1
            if not exited and app.fails < HEALTH_FAILS:
                continue
            why = f"exited (code {app.proc.returncode})" if exited else f"failed {app.fails} health checks"
            if not restart:
                if app.up:  # NOTE: said once
                    log(f"process on port {app.port} (pid {app.proc.pid}) {why}; not restarted (--no-restart)")
                    app.up = False
                continue
            log(f"process on port {app.port} (pid {app.proc.pid}) {why}: restarting it")
            app.stop()
            app.start()
            app.restarts += 1
            self.save(ready=True)

    def shutdown(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()  # NOTE: SIGTERM: nginx's fast shutdown (open websockets close)
        for app in self.apps:
            if app.proc is not None and app.proc.poll() is None:
                app.proc.terminate()
        if self.nginx is not None:
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for app in self.apps:
            app.stop()

    def run(self, restart: bool) -> int:
        binary = find_nginx()

        def stop(signum, _frame):
            raise KeyboardInterrupt

        for signum in (signal.SIGTERM, signal.SIGINT):  # NOTE: SIGINT too: a background job inherits it ignored
            signal.signal(signum, stop)
        try:
            log(f"starting {len(self.apps)} process(es) on 127.0.0.1 port(s) "
                f"{', '.join(str(a.port) for a in self.apps)}")
            for app in self.apps:
                app.start()
            self.save(ready=False)
            self.wait_up(self.apps)
            self.start_nginx(binary)
            self.save(ready=True)
            log(f"serving {self.url} with {len(self.apps)} process(es) behind nginx "
                f"(access log {self.run_dir / 'access.log'})")
            while True:
                time.sleep(self.interval)  # NOTE: the health-check period, not a wait for a result
                if self.nginx.poll() is not None:
                    raise DeployError(f"nginx exited (code {self.nginx.returncode}); its log:\n"
                                      f"{tail(self.run_dir / 'error.log')}")
                self.check(restart)
        except KeyboardInterrupt:
            log("stopping")
            return 0
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT):  # NOTE: one stop at a time, carried through
                signal.signal(signum, signal.SIG_IGN)
            self.shutdown()
            (self.run_dir / "state.json").unlink(missing_ok=True)
            (self.run_dir / "supervisor.pid").unlink(missing_ok=True)


def running(run_dir: Path) -> int | None:
    """The process id of the supervisor serving from ``run_dir``, if one runs."""
    try:
        pid = int((run_dir / "supervisor.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def check_free(run_dir: Path) -> None:
    """Refuse to start over a deployment that runs from ``run_dir``, or over what one left running."""
    state = read_json(run_dir / "state.json")
    if running(run_dir):
        raise DeployError(f"already running from {run_dir} ({state.get('url', '?')}); "
                          f"stop it first: python deploy/serve.py stop")
    orphans = leftovers(state)
    if orphans:
        raise DeployError(f"process(es) {', '.join(map(str, orphans))} left by a supervisor that died still run "
                          f"from {run_dir}; stop them first: python deploy/serve.py stop")


def cmd_run(args) -> int:
    run_dir = args.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    check_free(run_dir)
    find_nginx()
    (run_dir / "supervisor.pid").write_text(f"{os.getpid()}\n")
    supervisor = Supervisor(run_dir, args.processes, args.host, args.port, args.interval)
    return supervisor.run(restart=not args.no_restart)


def cmd_start(args) -> int:
    run_dir = args.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    check_free(run_dir)
    find_nginx()
    (run_dir / "state.json").unlink(missing_ok=True)
    out = run_dir / "supervisor.log"
    with open(out, "ab") as fh:
        cmd = [sys.executable, str(Path(__file__).resolve()), "run", "--processes", str(args.processes),
               "--host", args.host, "--port", str(args.port), "--run-dir", str(run_dir),
               "--interval", str(args.interval)] + (["--no-restart"] if args.no_restart else [])
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)  # NOTE: outlives this command and its terminal
    deadline = time.monotonic() + START_TIMEOUT + 60
    while True:
        state = read_json(run_dir / "state.json")
        if state.get("ready") and state.get("supervisor") == proc.pid:
            print(f"Serving {state['url']} with {len(state['processes'])} process(es) behind nginx.\n"
                  f"Logs: {run_dir}. Stop: python deploy/serve.py stop"
                  + (f" --run-dir {run_dir}" if run_dir != DEFAULT_RUN_DIR else ""))
            return 0
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                proc.terminate()
            raise DeployError(f"the deployment did not start; {out}:\n{tail(out)}")
        time.sleep(0.3)  # NOTE: the poll interval of a bounded wait on a condition


def leftovers(state: dict) -> list[int]:
    """Processes a supervisor that was killed left running: its nginx and Streamlit processes (each
    checked by its command line, so a process id reused since is never touched)."""
    pids = [state.get("nginx")] + [p.get("pid") for p in state.get("processes", [])]
    found = []
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{int(pid)}/cmdline").read_bytes()
        except (OSError, TypeError, ValueError):
            continue
        if alive(int(pid)) and (b"nginx" in cmdline or b"streamlit" in cmdline):
            found.append(int(pid))
    return found


def cmd_stop(args) -> int:
    run_dir = args.run_dir
    pid = running(run_dir)
    if pid is None:
        orphans = leftovers(read_json(run_dir / "state.json"))
        for orphan in orphans:
            os.kill(orphan, signal.SIGTERM)
        (run_dir / "state.json").unlink(missing_ok=True)
        print(f"Stopped {len(orphans)} process(es) left by a supervisor that died." if orphans
              else f"Not running (nothing to stop in {run_dir}).")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 40
    while alive(pid):
        if time.monotonic() > deadline:
            raise DeployError(f"the supervisor (pid {pid}) did not stop within 40 s; its log: "
                              f"{run_dir / 'supervisor.log'}")
        time.sleep(0.2)  # NOTE: the poll interval of a bounded wait on a condition
    print("Stopped.")
    return 0


def cmd_status(args) -> int:
    state = read_json(args.run_dir / "state.json")
    if running(args.run_dir) is None or not state:
        print(f"Not running (from {args.run_dir}).")
        return 3
    up = healthy(state["url"])
    print(f"{state['url']}: {'answering' if up else 'NOT answering'} through nginx (pid {state['nginx']})")
    all_up = up
    for p in state["processes"]:
        ok = healthy(f"http://127.0.0.1:{p['port']}")
        all_up &= ok
        print(f"  process on 127.0.0.1:{p['port']} (pid {p['pid']}): {'healthy' if ok else 'NOT healthy'}, "
              f"restarted {p['restarts']} time(s)")
    return 0 if all_up else 1


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def port_number(text: str) -> int:
    value = positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a port (1-65535): {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/serve.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, what in (("start", "start in the background; returns once the dashboard answers"),
                       ("run", "the same in the foreground: Ctrl-C or SIGTERM stops everything")):
        sub = commands.add_parser(name, help=what)
        sub.add_argument("--processes", type=positive, default=cores(),
                         help=f"Streamlit processes (default: one per core, here {cores()})")
        sub.add_argument("--host", default="0.0.0.0", help="address nginx listens on (default: every one)")
        sub.add_argument("--port", type=port_number, default=8080, help="port nginx listens on (default 8080)")
        sub.add_argument("--interval", type=float, default=5.0, help="seconds between health checks (default 5)")
        sub.add_argument("--no-restart", action="store_true", help="report a dead process, do not restart it")
    commands.add_parser("stop", help="stop nginx and every process")
    commands.add_parser("status", help="is each process healthy (exit 0 when every one is)")
    for sub in commands.choices.values():
        sub.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR,
                         help="state, logs and nginx's files (default .run/deploy in the project)")
    args = parser.parse_args(argv)
    args.run_dir = args.run_dir.resolve()
    try:
        return {"start": cmd_start, "run": cmd_run, "stop": cmd_stop, "status": cmd_status}[args.command](args)
    except DeployError as err:
        print(f"deploy/serve.py {args.command}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
