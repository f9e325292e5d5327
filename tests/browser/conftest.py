"""Browser tests: the app served as `fatal-remedies ui` serves it, driven by Playwright in
Debian's headless Chromium (/usr/bin/chromium; `.ci/install-browser.sh` installs it).

Every test that uses the `app` fixture fails when the page logs a console error or
warning (one known warning of Solara's router aside), throws (e.g. "Initialize failed:
invalid dom"), gets an HTTP error, or makes any request that leaves 127.0.0.1, and when
the server logs a Python traceback while the test runs. On failure a screenshot
of the page and the server log go to `test-artifacts/`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("FR_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
# Solara's router (solara/widgets/vue/navigator.vue) spells `modules.export` for `module.exports`, so
# ipyvue warns once per page and falls back to reading the script the old way. It is Solara's, harmless,
# and the only console warning a test may see; any other warning (a Vue warning included) fails it.
IGNORED_CONSOLE = (re.compile(r"^Failed to evaluate Vue script and find module\.exports, falling back"),)
FAILING_CONSOLE_TYPES = ("error", "warning")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `bash .ci/install-browser.sh` (Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


@pytest.fixture(scope="session")
def results_root(tmp_path_factory) -> Path:
    """A results root holding one small, hand-made 'sweep' for the Sensitivity page."""
    root = tmp_path_factory.mktemp("results")
    d = root / "morris-demo"
    (d / "analysis" / "plots").mkdir(parents=True)
    (d / "manifest.json").write_text(json.dumps({
        "method": "morris", "N": 4, "reps": 1, "clients": 500, "months": 24, "seed": 1,
        "scenario": {"name": "control"},
        "factors": [{"name": "share_carer", "lo": 0.05, "hi": 0.25}],
    }))
    (d / "analysis" / "morris_indices.csv").write_text(
        "outcome,parameter,mu_star,mu_star_conf,sigma\nwrongful_sanctions_total,share_carer,3.25,0.5,1.1\n")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["share_carer"], [3.25])
    fig.savefig(d / "analysis" / "plots" / "morris_wrongful_sanctions_total.png", dpi=60)
    plt.close(fig)
    return root


@contextlib.contextmanager
def running_server(log_path, extra_env, command=None):
    """An app server on a free loopback port, its output in `log_path`, stopped on exit.

    Yields (process, port) once it answers; a server that never comes up is killed.
    `command` replaces `serve.command` for this start only (the load test's census server).
    """
    from fatal_remedies.viz import serve

    with open(log_path, "w") as log:
        plain = serve.command
        if command is not None:
            serve.command = command
        try:
            proc, port = serve.start(log=log, extra_env=extra_env)
        finally:
            serve.command = plain
        try:
            serve.wait_until_up("127.0.0.1", port, timeout=90, proc=proc)
        except Exception:
            proc.kill()
            raise
        try:
            yield proc, port
        finally:
            serve.stop(proc)


@pytest.fixture(scope="session")
def app_server():
    """`running_server`, for test modules that start a server of their own."""
    return running_server


@pytest.fixture(scope="session")
def server(results_root):
    """The app server on a free loopback port, for the whole test session."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "browser-server.log"
    with running_server(log_path, {"FATAL_REMEDIES_RESULTS": str(results_root)}) as (proc, port):
        yield {"url": f"http://127.0.0.1:{port}", "log": log_path, "proc": proc}


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


class App:
    """A page of the app plus everything it did on the network and the console."""

    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.console_errors: list[str] = []
        self.outside: list[str] = []
        self.http_errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("request", self._request)
        page.on("response", lambda r: self.http_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.set_default_timeout(30_000)

    def _console(self, msg):
        """Errors and warnings fail the test (a chart on a vanished element, "invalid dom", is a page
        error, caught by the `pageerror` handler)."""
        if msg.type in FAILING_CONSOLE_TYPES and not any(p.search(msg.text) for p in IGNORED_CONSOLE):
            self.console_errors.append(f"{msg.type}: {msg.text}")

    def _request(self, req):
        u = urlparse(req.url)
        if u.scheme in ("data", "blob", "about"):
            return
        if u.hostname not in LOCAL_HOSTS:
            self.outside.append(req.url)

    def goto(self, path: str = "/"):
        self.page.goto(self.base + path)
        self.page.wait_for_selector(".fr-bar")
        return self.page

    def check(self):
        assert not self.outside, f"requests left 127.0.0.1: {self.outside}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.http_errors, f"HTTP errors: {self.http_errors}"


def _server_tracebacks(log_path: Path, offset: int) -> str:
    text = log_path.read_text(errors="replace")[offset:]
    return text if ("Traceback" in text or "raised exception" in text) else ""


@pytest.fixture()
def app(page, server, request):
    offset = server["log"].stat().st_size
    a = App(page, server["url"])
    yield a
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    problems = []
    try:
        a.check()
    except AssertionError as exc:
        problems.append(str(exc))
    tb = _server_tracebacks(server["log"], offset)
    if tb:
        problems.append("server error:\n" + tb[-3000:])
    if failed or problems:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception:  # noqa: BLE001
            pass
        shutil.copy(server["log"], ARTIFACTS / f"{name}.server.log")
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture()
def watched():
    """Make `App`s of pages a test opens itself (several browser contexts, its own server); on
    leaving, every one must be free of console errors, HTTP errors and outside requests."""
    apps: list[App] = []

    def make(page, base: str) -> App:
        a = App(page, base)
        apps.append(a)
        return a

    yield make
    for a in apps:
        a.check()
