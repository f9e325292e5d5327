"""What the browser benchmarks share: Debian's Chromium, its flags, and the timed Step.

`bench_ui.py` and `bench_app_load.py` (and `tests/browser/test_load.py`) drive the same
Chromium the same way and time a Step the same way, so both live here once.
"""

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


def step_js(timeout_ms: int) -> str:
    """Page script: press Step and return [ms to the redrawn chart, ms to the new month on screen].

    -1 for the first when the chart has not changed within `timeout_ms`.

    The page is watched, not polled every frame: the month by a MutationObserver, the flags
    chart by ECharts' `finished` event (its canvas is compared with the one before the click
    when a drawing ends); a check every 250 ms covers a chart made anew. An earlier version
    read both at every animation frame until they changed, which made the page produce 60
    frames a second while it waited for the server: a few percent of a core per page, work a
    person looking at the app does not cause, and with ten pages on two cores it slowed what
    it measured. The result is taken at the first animation frame after both changed, the
    frame that shows them.
    """
    return """
async () => {
  const month = () => { const e = document.querySelector('.kpi-month'); return e ? +e.innerText.trim() : NaN; };
  const flags = () => document.querySelector('.chart-flags canvas');
  const pixels = () => { const c = flags(); return c ? c.toDataURL() : ''; };
  const cur = month();
  const before = pixels();
  const t0 = performance.now();
  let shown = -1, drawn = -1;
  return await new Promise(resolve => {
    let observer = null, timer = null, chart = null, done = false;
    const finish = result => {
      if (done) return;
      done = true;
      if (observer) observer.disconnect();
      if (timer) clearInterval(timer);
      if (chart) chart.off('finished', check);
      requestAnimationFrame(() => resolve(result()));
    };
    function check() {
      if (done) return;
      if (shown < 0 && month() > cur) shown = performance.now() - t0;
      if (shown >= 0 && drawn < 0 && pixels() !== before) drawn = performance.now() - t0;
      if (shown >= 0 && drawn >= 0) finish(() => [performance.now() - t0, shown]);
      else if (performance.now() - t0 > TIMEOUT) finish(() => [-1, shown]);
    }
    const el = document.querySelector('.chart-flags');
    chart = el && el.__vue__ && el.__vue__.chart;
    if (chart) chart.on('finished', check);
    observer = new MutationObserver(() => { if (shown < 0) check(); });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
    timer = setInterval(check, 250);
    document.querySelector('.btn-step').click();
  });
}
""".replace("TIMEOUT", str(int(timeout_ms)))
