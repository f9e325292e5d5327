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
    """
    return """
async () => {
  const month = () => +document.querySelector('.kpi-month').innerText.trim();
  const pixels = () => document.querySelector('.chart-flags canvas').toDataURL();
  const cur = month();
  const before = pixels();
  const t0 = performance.now();
  let shown = -1;
  document.querySelector('.btn-step').click();
  while (true) {
    await new Promise(r => requestAnimationFrame(r));
    if (shown < 0 && month() > cur) shown = performance.now() - t0;
    if (shown >= 0 && pixels() !== before) return [performance.now() - t0, shown];
    if (performance.now() - t0 > TIMEOUT) return [-1, shown];
  }
}
""".replace("TIMEOUT", str(int(timeout_ms)))
