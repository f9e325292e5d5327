"""The app under load (issue 13, item 5), small enough for the test suite.

Two promises are checked on a server of their own, started as `fatal-remedies ui`
starts it, with a census thread added that counts, when asked, the server's open
Solara kernels, its live models and its play loops:

* A comparison runs in a worker process, not in the server (whose threads share one
  interpreter lock, so a comparison there stalls every session): while one session
  compares, another keeps stepping, and closing the comparing session ends its
  worker process.
* A closed session frees its kernel, its model and its play loop, also when the page
  vanished without closing (no close beacon: a crashed browser), after the kernel cull
  timeout; the server's memory returns to within 20% of where it was.

`benchmarks/bench_app_load.py` runs the full load (10 sessions, 100 cycles).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
from bench_app_load import STEP_JS, rss_mb, server_errors  # noqa: E402
from proctools import children_running  # noqa: E402

CULL_S = 3
"""Kernel cull timeout of this server (the app's is viz.serve.KERNEL_CULL_TIMEOUT)."""
CLIENTS = 10_000
CYCLES = 4
"""Sessions opened and closed after the warm-up: two close their page, two vanish."""
RSS_TARGET = 0.20

CENSUS = r"""
import gc, json, os, runpy, sys, threading, time
from pathlib import Path

def census():
    ask = Path(os.environ["FR_CENSUS"] + ".ask")
    while True:
        time.sleep(0.2)
        if not ask.exists():
            continue
        ask.unlink()
        from solara.server import kernel_context
        from fatal_remedies.model.model import BenefitModel
        gc.collect()
        models = sum(isinstance(o, BenefitModel) for o in gc.get_objects())
        out = {"kernels": len(kernel_context.contexts), "models": models,
               "play_loops": sum(t.name == "fatal-remedies-play" for t in threading.enumerate())}
        Path(os.environ["FR_CENSUS"] + ".tmp").write_text(json.dumps(out))
        os.replace(os.environ["FR_CENSUS"] + ".tmp", os.environ["FR_CENSUS"])

threading.Thread(target=census, name="census", daemon=True).start()
sys.argv = ["solara"] + sys.argv[1:]
runpy.run_module("solara", run_name="__main__", alter_sys=True)
"""


@pytest.fixture(scope="module")
def load_server(tmp_path_factory, app_server):
    """The app server with a short kernel cull and the census thread."""
    from fatal_remedies.viz import serve

    tmp = tmp_path_factory.mktemp("load")
    census = tmp / "census.json"
    log_path = tmp / "server.log"
    plain = serve.command
    env = {"SOLARA_KERNEL_CULL_TIMEOUT": f"{CULL_S}s", "FR_CENSUS": str(census)}
    with app_server(log_path, env,
                        command=lambda host, port: [sys.executable, "-c", CENSUS] + plain(host, port)[3:]) \
            as (proc, port):
        yield {"url": f"http://127.0.0.1:{port}", "proc": proc, "log": log_path, "census": census}
    tb = server_errors(log_path)
    assert not tb, "server error:\n" + tb[-3000:]


def ask_census(server, timeout: float = 20) -> dict:
    census: Path = server["census"]
    census.unlink(missing_ok=True)
    Path(str(census) + ".ask").touch()
    t_end = time.monotonic() + timeout
    while not census.exists():
        assert time.monotonic() < t_end, "the server's census did not answer"
        time.sleep(0.1)
    return json.loads(census.read_text())


def wait_census(server, want: dict, timeout: float) -> dict:
    """Ask until the census shows `want` (or the time is up); return the last answer."""
    t_end = time.monotonic() + timeout
    while True:
        got = ask_census(server)
        if all(got[k] == v for k, v in want.items()) or time.monotonic() > t_end:
            return got
        time.sleep(0.5)


def comparison_workers(server) -> list[int]:
    return children_running(server["proc"].pid, b"_comparison_child")


def wait_for(cond, timeout: float, what: str):
    t_end = time.monotonic() + timeout
    while True:
        got = cond()
        if got:
            return got
        assert time.monotonic() < t_end, what
        time.sleep(0.1)


def open_page(browser, browser_context_args, watched, server, path: str):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    app = watched(page, server["url"])
    app.goto(path)
    return context, page


def step(page) -> float:
    ms, _ = page.evaluate(STEP_JS)
    assert ms >= 0, "a step did not redraw within 30 s"
    return ms


def test_a_comparison_runs_in_its_own_process_and_ends_with_its_session(
        browser, browser_context_args, watched, load_server):
    ctx_b, explore = open_page(browser, browser_context_args, watched, load_server,
                               f"/?clients={CLIENTS}&seed=2")
    explore.wait_for_selector(".chart-flags canvas")
    ctx_a, compare = open_page(browser, browser_context_args, watched, load_server,
                               f"/compare?clients={CLIENTS}&reps=6&months=60&seed=1")
    compare.click(".btn-compare")
    wait_for(lambda: comparison_workers(load_server), 20, "no worker process runs the comparison")

    # the other session steps while the comparison runs
    times = []
    while not compare.locator(".cmp-table").count() and len(times) < 8:
        times.append(step(explore))
    assert len(times) >= 3, f"the comparison ended after {len(times)} steps of the other session: too small to tell"
    assert statistics.median(times) <= 1000, f"step + redraw during another session's comparison: {times} ms"
    compare.wait_for_selector(".cmp-table", timeout=180_000)
    assert explore.locator(".kpi-month").inner_text().strip() == str(12 + len(times)), \
        "a session's month moved by more than its own steps"
    assert explore.locator(".typed-seed input").input_value() == "2"
    assert wait_for(lambda: not comparison_workers(load_server) or None, 10,
                    "the worker process outlived its comparison")

    # a session that closes while it compares takes its worker process with it
    compare.click(".btn-compare")
    wait_for(lambda: comparison_workers(load_server), 20, "no worker process runs the second comparison")
    compare.close()
    wait_for(lambda: not comparison_workers(load_server) or None, 5 + CULL_S,
             "the worker process of a closed session still runs")
    ctx_a.close()
    explore.close()
    ctx_b.close()


def cycle(browser, browser_context_args, watched, server, i: int) -> None:
    """Open Explore at CLIENTS people, step twice, press Play, close; every other page closes
    without Solara's close beacon, as a crashed browser would."""
    extra = "&solara-no-close-beacon" if i % 2 else ""
    context, page = open_page(browser, browser_context_args, watched, server,
                              f"/?clients={CLIENTS}&seed={50 + i}{extra}")
    page.wait_for_selector(".chart-flags canvas")
    step(page)
    step(page)
    page.click(".btn-play")
    page.wait_for_timeout(300)
    page.close()
    context.close()


def test_closed_sessions_free_their_kernel_model_and_memory(
        browser, browser_context_args, watched, load_server):
    from solara.util import parse_timedelta

    from fatal_remedies.viz import serve

    cull = parse_timedelta(serve.server_env({})["SOLARA_KERNEL_CULL_TIMEOUT"])
    assert cull <= 120, f"the app keeps a vanished page's kernel (and model) for {cull:.0f} s"
    all_gone = {"kernels": 0, "models": 0, "play_loops": 0}
    for i in range(2):  # warm-up: the first sessions load what every later one shares
        cycle(browser, browser_context_args, watched, load_server, i)
    wait_census(load_server, all_gone, CULL_S + 15)
    time.sleep(1.5)  # Solara's collection after the last close
    before = rss_mb(load_server["proc"].pid)
    for i in range(2, 2 + CYCLES):
        cycle(browser, browser_context_args, watched, load_server, i)
    got = wait_census(load_server, all_gone, CULL_S + 15)
    assert got == all_gone, f"closed sessions left behind: {got}"
    time.sleep(1.5)
    after = rss_mb(load_server["proc"].pid)
    assert after <= (1 + RSS_TARGET) * before, \
        f"server memory {before:.0f} MB -> {after:.0f} MB after {CYCLES} sessions opened and closed"
