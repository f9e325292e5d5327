"""Start the Solara server for the app, with its front end served from this machine.

Solara's browser code (Vue, Vuetify, ECharts, RequireJS, fonts) normally comes
from a CDN; many municipal networks block that. The `solara-assets` package
puts those files in `<venv>/share/solara/cdn`, and Solara's asset proxy serves
them from there under `/_solara/cdn/`. We additionally point Solara's CDN
setting at an address on this machine that answers nothing, so if a file were
ever missing, the server could not fetch it from outside either: the app never
makes a request that leaves the machine. Telemetry is switched off.

The server is a child process; it ends when the `ui` command ends, however
that ends (Ctrl-C, SIGTERM, or kill -9 through the kernel's parent-death
signal on Linux). Before printing the app's address, `run` checks that the
port is free, and it warns when the app will be reachable from the network
(docs/SECURITY.md).
"""

from __future__ import annotations

import errno
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from fatal_remedies.model.errors import UserError

APP_MODULE = "fatal_remedies.viz.app"
OFFLINE_CDN = "http://127.0.0.1:9/npm/"
"""Port 9 (discard) on loopback: nothing listens, so a missing asset fails at once, locally."""

KERNEL_CULL_TIMEOUT = "60s"
"""How long Solara keeps the kernel of a page that disconnected without closing (a browser that
crashed or lost the network, a laptop put to sleep) before it frees it, with the session's model
and play loop. Solara's default is 24 hours: every such page would hold its model (tens of MB at
10,000 people) for a day. A page that comes back within the minute finds its session; later, it
loads afresh from its URL, which holds the view (not the run). A closed tab frees its kernel at
once (Solara's close beacon). SOLARA_KERNEL_CULL_TIMEOUT in the environment overrides it."""

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Addresses only this machine can reach; on any other, `ui` warns that the app is on the network."""
PR_SET_PDEATHSIG = 1
"""Linux prctl option (<linux/prctl.h>): the signal a process gets when its parent dies."""

# Front-end files the app's components load besides the page template's own (checked at start).
COMPONENT_ASSETS = (
    "echarts@5.4.0/dist/echarts.js",          # viz.widgets.FigureEcharts (a guarded solara.FigureEcharts)
    "font-awesome@4.5.0/css/font-awesome.min.css",
)


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a Solara server that stays on this machine."""
    env = dict(os.environ if base is None else base)
    env.update({
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_ASSETS_PROXY": "true",
        "SOLARA_ASSETS_CDN": OFFLINE_CDN,
        # plain http on loopback: Solara's advice about https cookies is noise here
        "PYTHONWARNINGS": "ignore:Cookies with samesite:UserWarning",
        # the app reads no .env file a user might leave in the working directory
        "SOLARA_SESSION_SECRET_KEY": env.get("SOLARA_SESSION_SECRET_KEY", os.urandom(16).hex()),
        "SOLARA_KERNEL_CULL_TIMEOUT": env.get("SOLARA_KERNEL_CULL_TIMEOUT", KERNEL_CULL_TIMEOUT),
        # glibc gives each thread that allocates its own memory arena (up to 8 per core); the
        # server's many short-lived threads then leave freed sessions' memory scattered over
        # arenas that are never given back. Two arenas keep the RSS near what is in use.
        "MALLOC_ARENA_MAX": env.get("MALLOC_ARENA_MAX", "2"),
    })
    return env


def asset_dir() -> Path:
    return Path(sys.prefix) / "share" / "solara" / "cdn"


def required_assets() -> list[str]:
    """Every front-end file the page needs: those Solara's page template names, for the
    Vuetify generation in use, and those of the components the app uses.

    Read from the installed Solara, so a Solara upgrade that wants files solara-assets does
    not ship is caught before a browser ever asks for them.
    """
    import re

    import solara

    tpl = Path(solara.__file__).parent / "server" / "templates" / "solara.html.j2"
    found = set(re.findall(r"\{\{\s*cdn\s*\}\}/([^\"' >]+)", tpl.read_text(encoding="utf-8")))
    try:
        from importlib.metadata import version

        vuetify3 = int(version("ipyvuetify").split(".")[0]) >= 3
    except Exception:  # noqa: BLE001
        vuetify3 = False
    out = []
    for path in sorted(found):
        if ("solara-vuetify3-app" in path) != vuetify3:
            continue
        out.append(path.replace("{{ipywidget_major_version}}", "8"))
    return out + list(COMPONENT_ASSETS)


def missing_assets() -> list[str]:
    """Front-end files the app needs that are not on this machine (empty when all is well)."""
    base = asset_dir()
    return [a for a in required_assets() if not (base / a).is_file()]


def command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", host, "--port", str(port),
            "--production", "--no-open", "--log-level", "warning", "--log-level-uvicorn", "warning",
            "--theme-loader", "plain"]


def is_local(host: str) -> bool:
    """True for an address only this machine can reach (LOCAL_HOSTS or another loopback)."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Refuse a host that is not an address here, or a port in use, with one line (UserError).

    Binds a socket the way the server will (SO_REUSEADDR, as uvicorn) and lets
    it go again, so `ui` says so before it prints an address nothing answers
    on. Another program could still take the port in the moment between; the
    server then exits with its own error.
    """
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise UserError(f"--host '{host}' is not an address this machine can listen on "
                        f"({getattr(exc, 'strerror', None) or exc})") from None
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(f"port {port} on {host} is already in use (another app server?); "
                                "choose another with --port") from None
            raise UserError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None


def exposure_warning(host: str) -> str | None:
    """The one-line warning `ui` prints when the app will be reachable from other machines."""
    if is_local(host):
        return None
    return (f"fatal-remedies: warning: listening on {host}, so anyone who can reach this machine "
            "over the network can use the app (no login, no encryption); read docs/SECURITY.md "
            "before doing so on a municipal network")


def _die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that makes the server end when the process that started it dies.

    On Linux the kernel then sends the child SIGTERM, even after kill -9 of
    the parent, which no signal handler of ours could catch. The kernel ties
    this to the starting thread, so it is used only from the main thread
    (a helper thread that starts a server and ends would take the server
    along). Elsewhere (other systems, other threads): None, no preexec.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the parent died before prctl took hold
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(host: str, port: int, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> float:
    """Block until the server answers HTTP; return the seconds waited."""
    import urllib.request

    t0 = time.monotonic()
    url = f"http://{host}:{port}/"
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the app server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except OSError:
            pass
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"the app server did not answer on {url} within {timeout:.0f} s")
        time.sleep(0.2)


def start(host: str = "127.0.0.1", port: int = 0, log=None,
          extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    """Start the server in a child process (tests, benchmark); return it and its port."""
    port = port or free_port()
    root = Path(__file__).resolve().parent.parent
    env = server_env()
    env.update(extra_env or {})
    proc = subprocess.Popen(command(host, port), env=env, cwd=root,
                            stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            preexec_fn=_die_with_parent())
    return proc, port


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server started by `start` (or `run`): terminate, and kill if it lingers."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def run(host: str, port: int, open_browser: bool = False) -> int:
    """Serve the app in the foreground until interrupted (the `ui` command).

    Raises:
        UserError: Front-end files missing, or the host or port unusable (checked
            before the address is printed).
    """
    missing = missing_assets()
    if missing:
        raise UserError(f"the app's front-end files are missing ({missing[0]}); "
                        "reinstall with `pip install solara-assets`")
    check_port(host, port)
    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    url = f"http://{host}:{port}/"
    print(f"fatal-remedies: the app is at {url}  (Ctrl-C stops it)", flush=True)
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(command(host, port), env=server_env(), cwd=root,
                            preexec_fn=_die_with_parent())

    def on_signal(signum, frame):  # a terminated `ui` command takes its server with it
        proc.terminate()
        raise SystemExit(0)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, on_signal)
    if open_browser:
        try:
            wait_until_up(host, port, proc=proc)
            import webbrowser

            webbrowser.open(url)
        except (RuntimeError, TimeoutError) as exc:
            print(f"error: {exc}", file=sys.stderr)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        stop(proc, timeout=10)
        return 0
