"""Browser benchmark of the app: first paint, and one step plus redraw at 10,000 clients.

Targets (issue 12, tighter than issue 4's 3 s and 250 ms): first useful chart
<= 2 s after the server is up (the first screen includes its first year, run
before it is shown); one step plus redraw, median <= 100 ms in the browser at
10,000 clients.

  /work/venv/bin/python benchmarks/bench_ui.py [--clients 10000] [--steps 20]

Serves the app as `fatal-remedies ui` does, drives headless Debian Chromium
with Playwright and prints:
  * server start: seconds until the server answers HTTP;
  * first paint: from navigation to the app bar on screen, and to the first
    chart drawn (this includes making the 10,000-person model);
  * step + redraw: from the click on Step to the month counter showing the
    next month *and* the flags chart's canvas holding new pixels, measured in
    the page (performance.now, requestAnimationFrame); median, p90 and max.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_browser, when imported from the tests

from bench_browser import ARGS, CHROMIUM, step_js  # noqa: E402

FIRST_CHART_TARGET_S = 2.0
STEP_TARGET_MS = 100.0

STEP_JS = step_js(20000)

FIRST_JS = """
() => {
  // what the first screen waited for: the page's own files, and the ECharts file the charts load
  const ms = x => Math.round(x);
  const nav = performance.getEntriesByType('navigation')[0];
  const echarts = performance.getEntriesByType('resource').filter(r => r.name.includes('/echarts@'));
  return {dom_ready: ms(nav.domContentLoadedEventEnd),
          echarts: echarts.map(r => [r.name.split('/').pop(), ms(r.startTime), ms(r.responseEnd),
                                     Math.round(r.encodedBodySize / 1024)])};
}
"""


def server_cpu_s(pid: int) -> float:
    """CPU seconds the server process has used so far (user + system, all its threads; Linux /proc).

    Beside the wall-clock figures, which a busy machine stretches, this is
    the work the server did, and it hardly changes with the machine's load.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def page_cpu_s(cdp) -> float:
    """Seconds the page's main thread spent in tasks so far (Chromium's TaskDuration): the browser's work."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return float(metrics.get("TaskDuration", float("nan")))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from fatal_remedies.viz import serve

    log = open("/tmp/fatal-remedies-bench-ui.log", "w")
    t0 = time.monotonic()
    proc, port = serve.start(log=log)
    try:
        up = serve.wait_until_up("127.0.0.1", port, timeout=90, proc=proc)
        print(f"server start: {up:.2f} s until it answers HTTP")
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            cpu0 = server_cpu_s(proc.pid)
            t = time.monotonic()
            page.goto(f"{base}/?clients={a.clients}")
            page.wait_for_selector(".fr-bar", timeout=60_000)
            bar = time.monotonic() - t
            page.wait_for_selector(".chart-flags", state="attached", timeout=60_000)
            element = time.monotonic() - t
            page.wait_for_selector(".chart-flags canvas", timeout=60_000)
            chart = time.monotonic() - t
            print(f"first paint: {bar:.2f} s to the app bar, {chart:.2f} s to the first chart "
                  f"({a.clients:,} clients; target <= {FIRST_CHART_TARGET_S:g} s)")
            first = page.evaluate(FIRST_JS)
            files = "; ".join(f"{name} {kb:,} kB from {s0 / 1000:.2f} to {s1 / 1000:.2f} s"
                              for name, s0, s1, kb in first["echarts"])
            print(f"  of which: page loaded {first['dom_ready'] / 1000:.2f} s; chart element on the page "
                  f"{element:.2f} s; ECharts file: {files or 'none'}; chart drawn {chart:.2f} s")
            print(f"  work for the first chart: server CPU {server_cpu_s(proc.pid) - cpu0:.2f} s, "
                  f"page main thread {page_cpu_s(cdp):.2f} s")
            page.wait_for_timeout(500)
            times, texts, server_work, page_work = [], [], [], []
            for i in range(a.warmup + a.steps):
                c0, p0 = server_cpu_s(proc.pid), page_cpu_s(cdp)
                ms, text_ms = page.evaluate(STEP_JS)
                if ms < 0:
                    print("a step did not redraw within 20 s", file=sys.stderr)
                    return 1
                if i >= a.warmup:
                    times.append(ms)
                    texts.append(text_ms)
                    server_work.append(1000 * (server_cpu_s(proc.pid) - c0))
                    page_work.append(1000 * (page_cpu_s(cdp) - p0))
            times.sort()
            p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
            print(f"step + redraw at {a.clients:,} clients: median {statistics.median(times):.0f} ms, "
                  f"p90 {p90:.0f} ms, max {times[-1]:.0f} ms over {len(times)} steps (target: median <= {STEP_TARGET_MS:g} ms)")
            print(f"  of which until the month shows the step (server and page update): median "
                  f"{statistics.median(texts):.0f} ms")
            print(f"  work per step: server CPU median {statistics.median(server_work):.0f} ms, page main thread "
                  f"median {statistics.median(page_work):.0f} ms")
            server_ms = page.locator(".step-ms").inner_text()
            print(f"of which the model step on the server: {server_ms}")
            browser.close()
    finally:
        serve.stop(proc)
        log.close()
    print(f"total {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
