"""The app under load: several browser sessions at once, then many sessions opened and closed.

Issue 13 asks: 10 sessions at once, each stepping Explore at 10,000 people and
running a Compare, for 2 minutes; every session keeps responding (step +
redraw p95 <= 1 s), sessions do not see each other's state, no error in any
page or the server log; and opening and closing 100 sessions leaves the
server's memory (RSS) within 20% of where it started.

  .venv/bin/python benchmarks/bench_app_load.py                       # small: 3 sessions, 30 s, 20 cycles
  .venv/bin/python benchmarks/bench_app_load.py --sessions 10 --seconds 120 --cycles 100   # the issue's

Serves the app as `fatal-remedies ui` does (`viz.serve.start`) and drives one
headless Debian Chromium with Playwright, one browser context (own cookie, own
Solara session) per session. Everything runs on this machine: the browser's
rendering competes with the server for the same cores, so the figures are an
upper bound on what a user on their own computer sees.

Load phase: each session opens Explore at `--clients` people with its own seed,
then clicks Step again and again (a pause of `--think` seconds between steps,
the play loop's tick) and measures each step + redraw in the page, from the click
to the month counter showing the next month and the flags chart holding new
pixels (as `bench_ui.py`). At its turn (staggered over the first half of the
run) it opens Compare, presses Run comparison, waits for the summary table
(its compare latency) and goes back to stepping, so comparisons overlap the
other sessions' steps. At the end every page must show its own seed and its own
month (12 + its own steps: a session that saw another's steps would be ahead).

Cycle phase: open a session (Explore at `--clients`, two steps, Play for a
moment), close it; every other one closes without Solara's close beacon, like a
crashed browser, and is freed only by the kernel cull (viz.serve.KERNEL_CULL_TIMEOUT,
shortened here by `--cull`). Server RSS is read from /proc after `--warmup`
cycles and again after the last one, once the culled kernels are gone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_browser, when imported from the tests

from bench_browser import ARGS, CHROMIUM, step_js  # noqa: E402

STEP_TARGET_P95_MS = 1000.0
RSS_TARGET = 0.20
IGNORED_CONSOLE = re.compile(r"^Failed to evaluate Vue script and find module\.exports, falling back")

STEP_JS = step_js(30000)
"""Returns [ms to the redrawn chart, ms to the new month on screen]: the second is the round trip
to the server and back into the page, the first adds drawing the charts."""


PLAY_JS = """
() => {
  // every month the page shows while playing, with the time it showed it (a MutationObserver,
  // so the page is not polled); installed once per page, read and emptied by `played`
  if (window.__frPlay) return;
  const rec = window.__frPlay = {shown: [], last: NaN};
  const note = () => {
    const e = document.querySelector('.kpi-month');
    const m = e ? +e.innerText.trim() : NaN;
    if (!Number.isNaN(m) && m !== rec.last) { rec.last = m; rec.shown.push([performance.now(), m]); }
  };
  new MutationObserver(note).observe(document.body, {childList: true, subtree: true, characterData: true});
  note();
}
"""
PAUSE_JS = """
async () => {
  // ms from the click on Pause to the controls answering: the button reads Play again and Step
  // can be clicked (the two come in separate messages)
  const t0 = performance.now();
  const label = () => document.querySelector('.btn-play').innerText.trim().toLowerCase();
  const stepOff = () => document.querySelector('.btn-step').disabled;
  const was = label();
  document.querySelector('.btn-play').click();
  while (label() === was || stepOff()) await new Promise(r => setTimeout(r, 10));
  return performance.now() - t0;
}
"""


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds used by process `pid` itself, and by its children that ended (the comparisons' workers)."""
    import os

    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(f[11]) + int(f[12])) / tick, (int(f[13]) + int(f[14])) / tick


def cpu_table() -> dict[int, tuple[str, float, float]]:
    """Every process on the machine: pid -> (program, CPU seconds of its own, of its children that ended)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        f = stat.rsplit(")", 1)[1].split()
        out[int(d.name)] = ("chromium" if name.startswith("chrom") else name,
                            (int(f[11]) + int(f[12])) / tick, (int(f[13]) + int(f[14])) / tick)
    return out


def cpu_by_program(before: dict, after: dict, names: dict[int, str] | None = None) -> dict[str, float]:
    """CPU seconds used between two `cpu_table`s, summed by program (Chromium, the Playwright driver,
    Python...): where the machine's CPU went. A process that ended in between counts in its parent's
    children's time (a closed browser context's renderer in Chromium's, a comparison worker in the
    server's), with all its time, also what it used before the first table. `names` names some
    processes by pid (the server, this benchmark); any other python or bash is someone else's."""
    out: dict[str, float] = {}
    for pid, (name, own, kids) in after.items():
        was = before.get(pid)
        used = own + kids - ((was[1] + was[2]) if was is not None and was[0] == name else 0.0)
        label = (names or {}).get(pid, name)
        out[label] = out.get(label, 0.0) + used
    return out


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (the comparisons' worker processes)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def quantile(xs: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of xs."""
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, math.ceil(q * len(s)) - 1))] if s else float("nan")


def server_errors(log_path: Path, offset: int = 0) -> str:
    text = log_path.read_text(errors="replace")[offset:]
    return text if ("Traceback" in text or "raised exception" in text) else ""


@dataclass
class Session:
    index: int
    seed: int
    steps_ms: list[float] = field(default_factory=list)
    month_ms: list[float] = field(default_factory=list)
    compare_s: float | None = None
    errors: list[str] = field(default_factory=list)
    final_month: int | None = None
    shown_seed: str | None = None
    gaps_ms: list[float] = field(default_factory=list)
    """Play mode: ms between two months shown on the page."""
    skipped: int = 0
    """Play mode: months the page never showed (the month counter jumped over them)."""
    pause_ms: list[float] = field(default_factory=list)


def watch(page, errors: list[str]) -> None:
    """Collect what would fail a browser test: console errors and warnings, page errors, HTTP errors."""
    def console(msg):
        if msg.type in ("error", "warning") and not IGNORED_CONSOLE.search(msg.text):
            errors.append(f"{msg.type}: {msg.text}")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)


async def open_explore(context, base: str, clients: int, seed: int, errors: list[str], extra: str = ""):
    page = await context.new_page()
    page.set_default_timeout(120_000)
    watch(page, errors)
    await page.goto(f"{base}/?clients={clients}&seed={seed}{extra}")
    await page.wait_for_selector(".chart-flags canvas")
    await page.wait_for_timeout(300)
    return page


async def step(page, s: Session | None = None) -> float:
    ms, shown = await page.evaluate(STEP_JS)
    if ms < 0:
        raise RuntimeError("a step did not redraw within 30 s")
    if s is not None:
        s.month_ms.append(shown)
    return ms


async def run_compare(page) -> float:
    """Open Compare, run the comparison, wait for its table, go back to Explore; seconds to the table."""
    await page.click(".nav-compare")
    await page.wait_for_selector(".btn-compare")
    t0 = time.monotonic()
    await page.click(".btn-compare")
    await page.wait_for_selector(".cmp-table", timeout=600_000)
    took = time.monotonic() - t0
    await page.click(".nav-explore")
    await page.wait_for_selector(".chart-flags canvas")
    await page.wait_for_timeout(300)
    return took


async def session_open(browser, base: str, s: Session, a):
    """A context (own cookie, own Solara session) and its Explore page, or None if it failed."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        return context, await open_explore(context, base, a.clients, s.seed, s.errors)
    except Exception as exc:  # noqa: BLE001 - reported with the session
        s.errors.append(f"opening: {type(exc).__name__}: {exc}")
        return context, None


async def stepping(page, s: Session, a, t_end: float, compare_at: float) -> None:
    """Step mode: click Step again and again until `t_end`, with the session's Compare at `compare_at`."""
    compared = not a.compare
    while time.monotonic() < t_end:
        if not compared and time.monotonic() >= compare_at:
            s.compare_s = await run_compare(page)
            compared = True
            continue
        s.steps_ms.append(await step(page, s))
        await asyncio.sleep(a.think)


async def played(page, s: Session) -> None:
    """Take the months the page showed since the last call: the gaps between them, and months skipped."""
    shown = await page.evaluate("() => { const r = window.__frPlay.shown; window.__frPlay.shown = []; return r; }")
    for (t0, m0), (t1, m1) in zip(shown, shown[1:]):
        if m1 > m0:  # a Reset or another page (m1 < m0) is no step
            s.gaps_ms.append(t1 - t0)
            s.skipped += m1 - m0 - 1


async def play(page, s: Session, until: float) -> None:
    """Press Play, let it play until `until` (monotonic), press Pause; record what the page showed."""
    await page.evaluate(PLAY_JS)
    await page.evaluate("() => { window.__frPlay.shown = []; window.__frPlay.last = NaN; }")
    await page.click(".btn-play")
    while time.monotonic() < until:
        await asyncio.sleep(min(1.0, max(0.0, until - time.monotonic())))
    s.pause_ms.append(await page.evaluate(PAUSE_JS))
    await played(page, s)


async def playing(page, s: Session, a, t_end: float, compare_at: float) -> None:
    """Play mode: Play until the session's Compare, compare, Play again until the end; then Step a few times."""
    if a.compare and compare_at < t_end:
        await play(page, s, compare_at)
        s.compare_s = await run_compare(page)  # leaving Explore stops Play (pages.explore)
    await play(page, s, t_end)
    for _ in range(3):  # paused: a click on Step still answers
        s.steps_ms.append(await step(page, s))


async def session_run(context, page, s: Session, a, t_end: float, compare_at: float) -> None:
    """One session's load (`playing` or `stepping`), then what its page shows at the end; errors are the session's."""
    try:
        if page is None:
            return
        await (playing if a.play else stepping)(page, s, a, t_end, compare_at)
        s.final_month = int((await page.inner_text(".kpi-month")).strip())
        s.shown_seed = await page.input_value(".typed-seed input")
        await page.close()
    except Exception as exc:  # noqa: BLE001 - reported with the session, the others go on
        s.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await context.close()


async def load_phase(browser, base: str, a) -> list[Session]:
    """Open every session, then start the clock: all step at once; the comparisons start one
    after another over the first half of the run, each while the others step."""
    sessions = [Session(i, seed=100 + i) for i in range(a.sessions)]
    opened = await asyncio.gather(*(session_open(browser, base, s, a) for s in sessions))
    t0 = time.monotonic()
    t_end = t0 + a.seconds
    await asyncio.gather(*(session_run(ctx, page, s, a, t_end, t0 + (a.seconds / 2) * (i + 0.5) / a.sessions)
                           for i, (s, (ctx, page)) in enumerate(zip(sessions, opened))))
    return sessions


async def cycle(browser, base: str, a, i: int, errors: list[str]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        # every other session "crashes": no close beacon, so only the kernel cull frees it
        extra = "&solara-no-close-beacon" if i % 2 else ""
        page = await open_explore(context, base, a.clients, 1000 + i, errors, extra)
        await step(page)
        await step(page)
        await page.click(".btn-play")
        await page.wait_for_timeout(500)
        await page.close()
    finally:
        await context.close()


async def settle(pid: int, seconds: float) -> float:
    """The server's RSS after `seconds`: long enough for the kernel cull and Solara's collection after it."""
    await asyncio.sleep(seconds)
    return rss_mb(pid)


async def main_async(a) -> int:
    from playwright.async_api import async_playwright

    from fatal_remedies.viz import serve

    log_path = Path(a.log)
    log = open(log_path, "w")
    proc, port = serve.start(log=log, extra_env={"SOLARA_KERNEL_CULL_TIMEOUT": f"{a.cull}s"})
    base = f"http://127.0.0.1:{port}"
    ok = True
    report: dict = {"sessions": a.sessions, "seconds": a.seconds, "clients": a.clients, "cycles": a.cycles}
    try:
        up = serve.wait_until_up("127.0.0.1", port, timeout=120, proc=proc)
        rss_start = rss_mb(proc.pid)
        print(f"server up in {up:.1f} s, RSS {rss_start:.0f} MB; machine load average before: "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            if a.sessions:
                print(f"load: {a.sessions} sessions {'playing' if a.play else 'stepping'} for {a.seconds:.0f} s, "
                      f"Explore at {a.clients:,} people, "
                      f"{'one Compare each' if a.compare else 'no Compare'} ...", flush=True)
                cpu0, kids0 = cpu_seconds(proc.pid)
                progs0 = cpu_table()
                t_load = time.monotonic()
                sessions = await load_phase(browser, base, a)
                t_load = time.monotonic() - t_load
                cpu1, kids1 = cpu_seconds(proc.pid)
                progs1 = cpu_by_program(progs0, cpu_table(), {proc.pid: "server and its workers", os.getpid(): "benchmark"})
                all_ms, all_month = [], []
                for s in sessions:
                    all_ms += s.steps_ms
                    all_month += s.month_ms
                    cmp_txt = f"{s.compare_s:.1f} s" if s.compare_s is not None else "-"
                    p50 = median(s.steps_ms)
                    if a.play:
                        print(f"  session {s.index}: {len(s.gaps_ms)} months shown while playing, a new month every "
                              f"p50 {median(s.gaps_ms):.0f} ms, p95 {quantile(s.gaps_ms, 0.95):.0f} ms, max "
                              f"{max(s.gaps_ms, default=float('nan')):.0f} ms; {s.skipped} months skipped; Pause "
                              + ", ".join(f"{x:.0f}" for x in s.pause_ms) + f" ms; then {len(s.steps_ms)} steps, "
                              f"max {max(s.steps_ms, default=float('nan')):.0f} ms; compare {cmp_txt}; month {s.final_month}")
                    else:
                        print(f"  session {s.index}: {len(s.steps_ms)} steps, step + redraw p50 {p50:.0f} ms, "
                              f"p95 {quantile(s.steps_ms, 0.95):.0f} ms, max {max(s.steps_ms, default=float('nan')):.0f}"
                              f" ms; compare {cmp_txt}; month {s.final_month}")
                    want_month = 12 + len(s.steps_ms)
                    if not a.play and s.final_month is not None and s.final_month != want_month:
                        s.errors.append(f"shows month {s.final_month}, but made {len(s.steps_ms)} steps after "
                                        f"month 12: it saw another session's steps")
                    if s.shown_seed is not None and s.shown_seed != str(s.seed):
                        s.errors.append(f"shows seed {s.shown_seed}, not its own {s.seed}")
                    for e in s.errors[:5]:
                        print(f"    ERROR {e}")
                    ok &= not s.errors
                if a.play:
                    gaps = [g for s in sessions for g in s.gaps_ms]
                    pauses = [x for s in sessions for x in s.pause_ms]
                    worst_gap = max((quantile(s.gaps_ms, 0.95) for s in sessions if s.gaps_ms), default=float("nan"))
                    print(f"playing: {len(gaps)} months shown, a new month every p50 {median(gaps):.0f} ms, p95 "
                          f"{quantile(gaps, 0.95):.0f} ms; worst session's p95 {worst_gap:.0f} ms (target <= "
                          f"{STEP_TARGET_P95_MS:.0f} ms); {sum(s.skipped for s in sessions)} months skipped; Pause "
                          f"answered p50 {median(pauses):.0f} ms, p95 {quantile(pauses, 0.95):.0f} ms (target <= "
                          f"{STEP_TARGET_P95_MS:.0f} ms), max {max(pauses, default=float('nan')):.0f} ms")
                    report.update(play_months=len(gaps), play_gap_p50_ms=median(gaps), play_gap_p95_ms=quantile(gaps, 0.95),
                                  play_worst_session_gap_p95_ms=worst_gap, play_skipped=sum(s.skipped for s in sessions),
                                  pause_p50_ms=median(pauses), pause_p95_ms=quantile(pauses, 0.95),
                                  pause_max_ms=max(pauses, default=None))
                    ok &= bool(gaps) and worst_gap <= STEP_TARGET_P95_MS and quantile(pauses, 0.95) <= STEP_TARGET_P95_MS
                worst = max((quantile(s.steps_ms, 0.95) for s in sessions if s.steps_ms), default=float("nan"))
                cmps = [s.compare_s for s in sessions if s.compare_s is not None]
                print(f"{'after Pause, ' if a.play else ''}all sessions: {len(all_ms)} steps, step + redraw p50 {median(all_ms):.0f} ms, "
                      f"p95 {quantile(all_ms, 0.95):.0f} ms; worst session's p95 {worst:.0f} ms "
                      f"(target <= {STEP_TARGET_P95_MS:.0f} ms); the new month alone on screen: "
                      f"p50 {median(all_month):.0f} ms, p95 {quantile(all_month, 0.95):.0f} ms")
                print(f"CPU over the {t_load:.0f} s: server {cpu1 - cpu0:.0f} s ({(cpu1 - cpu0) / t_load:.0%} of one core), "
                      f"comparison workers {kids1 - kids0:.0f} s; the rest of the machine's went to the browsers "
                      f"and whatever else runs here")
                used = sorted(((v, k) for k, v in progs1.items()), reverse=True)
                print("  CPU by program (another python, bash or the like is not ours: someone else's work on the machine): "
                      + ", ".join(f"{k} {v:.0f} s" for v, k in used[:6] if v >= 0.5))
                report.update(load_seconds=t_load, server_cpu_s=cpu1 - cpu0, workers_cpu_s=kids1 - kids0,
                              cpu_by_program={k: round(v, 1) for v, k in used if v >= 0.5})
                if cmps:
                    print(f"compare ({len(cmps)} runs of 2 scenarios x 3 replications x 60 months): "
                          f"median {statistics.median(cmps):.1f} s, max {max(cmps):.1f} s")
                report.update(step_p50_ms=median(all_ms), step_p95_ms=quantile(all_ms, 0.95),
                              month_p50_ms=median(all_month), month_p95_ms=quantile(all_month, 0.95),
                              worst_session_p95_ms=worst, compare_median_s=statistics.median(cmps) if cmps else None,
                              compare_max_s=max(cmps) if cmps else None)
                ok &= bool(all_ms) and worst <= STEP_TARGET_P95_MS
                await asyncio.sleep(3)
                left = children(proc.pid)
                if left:
                    print(f"  ERROR worker processes still running after the sessions closed: {left}")
                    ok = False
            if a.cycles:
                errors: list[str] = []
                print(f"cycles: {a.warmup} warm-up, then {a.cycles} sessions opened and closed one by one ...",
                      flush=True)
                for i in range(a.warmup):
                    await cycle(browser, base, a, i, errors)
                rss_before = await settle(proc.pid, a.cull + 8)
                thr_before = threads(proc.pid)
                t0 = time.monotonic()
                peak = rss_before
                for i in range(a.cycles):
                    await cycle(browser, base, a, a.warmup + i, errors)
                    peak = max(peak, rss_mb(proc.pid))
                took = time.monotonic() - t0
                rss_after = await settle(proc.pid, a.cull + 8)
                thr_after = threads(proc.pid)
                growth = rss_after / rss_before - 1
                print(f"RSS: {rss_start:.0f} MB at start, {rss_before:.0f} MB after {a.warmup} warm-up sessions, "
                      f"peak {peak:.0f} MB, {rss_after:.0f} MB after {a.cycles} more sessions opened and closed "
                      f"({growth:+.1%}; target within {RSS_TARGET:.0%}); threads {thr_before} -> {thr_after}; "
                      f"{took:.0f} s")
                for e in errors[:5]:
                    print(f"  ERROR {e}")
                ok &= not errors and abs(growth) <= RSS_TARGET
                report.update(rss_start_mb=rss_start, rss_before_mb=rss_before, rss_peak_mb=peak,
                              rss_after_mb=rss_after, rss_growth=growth)
            await browser.close()
        print("machine load average after: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        tb = server_errors(log_path)
        if tb:
            print("ERROR in the server log:\n" + tb[-3000:])
            ok = False
    finally:
        serve.stop(proc)
        log.close()
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=1))
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=3, help="sessions at once in the load phase (0: skip it)")
    ap.add_argument("--seconds", type=float, default=30, help="length of the load phase")
    ap.add_argument("--cycles", type=int, default=20, help="sessions opened and closed (0: skip)")
    ap.add_argument("--warmup", type=int, default=3, help="sessions opened and closed before the first RSS")
    ap.add_argument("--clients", type=int, default=10_000)
    ap.add_argument("--think", type=float, default=0.1, help="seconds between a redraw and the next Step")
    ap.add_argument("--no-compare", dest="compare", action="store_false", help="sessions only step")
    ap.add_argument("--play", action="store_true",
                    help="sessions press Play instead of clicking Step (and Pause before and after their Compare)")
    ap.add_argument("--cull", type=float, default=10, help="kernel cull timeout for the server, seconds")
    ap.add_argument("--log", default="/tmp/fatal-remedies-bench-load.log", help="the server's log")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    return asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
