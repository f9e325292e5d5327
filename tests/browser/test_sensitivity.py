"""The Sensitivity page read without the command line (issue 11, item 6): the verdict sentence carries
verdict.csv's numbers, the indices are sorted bars with their intervals, the flip boxes are sentences,
a point of the Pareto front opens Explore with its lever values, and a screening started in the page
shows its progress and its result, and a cancel ends its worker process and leaves the page usable.

The result directories are written by hand per the file contract (`tests/sensfixtures.py`); the
screening runs the real model, small.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from proctools import alive, children_running  # noqa: E402
from sensfixtures import BOX_QUALITY, MORRIS, PARETO, VERDICT, optimize_result, paired_sweep  # noqa: E402
from test_plain_language import assert_plain  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sens_server(tmp_path_factory, app_server):
    root = tmp_path_factory.mktemp("sensresults")
    paired_sweep(root)
    optimize_result(root)
    log_path = root.parent / "sens-server.log"
    tmp = tmp_path_factory.mktemp("senstmp")  # the server's temporary directory: where screenings go
    with app_server(log_path, {"FATAL_REMEDIES_RESULTS": str(root), "TMPDIR": str(tmp)}) as (proc, port):
        yield {"url": f"http://127.0.0.1:{port}", "proc": proc, "log": log_path, "root": root.name, "tmp": tmp}
    text = log_path.read_text(errors="replace")
    assert "Traceback" not in text, "server error:\n" + text[-3000:]


@pytest.fixture()
def sens(page, sens_server, watched):
    app = watched(page, sens_server["url"])
    return app, sens_server


def choose(page, cls: str, text: str):
    """Pick the item showing `text` in the Vuetify select with class `cls`."""
    page.click(f".{cls}")
    item = page.locator(".menuable__content__active .v-list-item", has_text=text).first
    item.click()
    expect(page.locator(".menuable__content__active")).to_have_count(0)


def chart_option(page, cls: str) -> dict:
    page.wait_for_function(f"() => {{ const e = document.querySelector('.{cls}'); "
                           "return e && e.__vue__ && e.__vue__.chart; }")
    return page.evaluate(f"() => document.querySelector('.{cls}').__vue__.chart.getOption()")


def pct(x: float) -> str:
    return f"{round(x * 100)}%"


def test_verdict_bars_and_flip_boxes_of_a_paired_sweep(sens):
    app, srv = sens
    page = app.goto("/sensitivity")
    choose(page, "sens-select", "paired-demo")
    verdict = page.locator(".sens-verdict li")
    expect(verdict).to_have_count(len(VERDICT))
    # the headline outcomes first; the others behind "1 more outcomes", opened by a click
    expect(verdict.nth(2)).to_be_hidden()
    page.click(".sens-verdict-more summary")
    expect(verdict.nth(2)).to_contain_text("service better than control on gave up in 40% of")
    _, _, _, sc, vs, _, _, share, lo, hi, _, _ = VERDICT[0]
    expect(verdict.nth(0)).to_have_text(
        f"{vs} better than {sc} on wrongful sanctions in {pct(share)} of the uncertainty space "
        f"(95% interval {pct(lo)}–{pct(hi)}); on average -12.34 count")
    # the outcome shown first is the paired difference, named in words
    expect(page.locator(".sens-outcome")).to_contain_text("difference service − control in wrongful sanctions")
    opt = chart_option(page, "sens-bars-morris")
    want = sorted(MORRIS, key=lambda r: -r[1])
    bars, whiskers = opt["series"]
    assert [b["value"] for b in bars["data"]] == [r[1] for r in want], "bars not sorted, largest first"
    assert opt["yAxis"][0]["inverse"] is True
    ends = [x for w in whiskers["data"] for x in (w[0], w[4])]
    assert ends == pytest.approx([x for r in want for x in (r[1] - r[2], r[1] + r[2])]), "intervals"
    # the numbers beside the chart, in the same order, by the parameters' labels
    rows = page.locator(".sens-index-morris .sens-table tr")
    expect(rows).to_have_count(len(MORRIS) + 1)
    expect(rows.nth(1)).to_contain_text(opt["yAxis"][0]["data"][0])
    assert "_" not in page.locator(".sens-index-morris .sens-table").inner_text()
    box = page.locator(".sens-boxes li")
    expect(box).to_have_count(1)
    expect(box).to_contain_text("service stops beating control on wrongful sanctions when ")
    expect(box).to_contain_text(f"holds {pct(BOX_QUALITY[0])} of the points")
    expect(box).to_contain_text(f"in {pct(BOX_QUALITY[1])} of the points inside it")
    # in Dutch: the same numbers, the Dutch way
    page.click(".lang-nl")
    expect(verdict.nth(0)).to_have_text(
        f"{vs} beter dan {sc} op onterechte sancties in {pct(share)} van de onzekerheidsruimte "
        f"(95%-interval {pct(lo)}–{pct(hi)}); gemiddeld -12,34 aantal")
    expect(box).to_contain_text("service is niet meer beter dan control op onterechte sancties als")
    assert_plain(page, "Sensitivity, a paired sweep", "nl")
    page.click(".lang-en")
    expect(box).to_contain_text("service stops beating")
    assert_plain(page, "Sensitivity, a paired sweep", "en")


def test_a_pareto_point_opens_explore_with_its_lever_values(sens):
    app, srv = sens
    page = app.goto("/sensitivity")
    choose(page, "sens-select", "optimize-demo")
    opt = chart_option(page, "sens-pareto")
    assert "lower is better" in opt["xAxis"][0]["name"] and "(count;" in opt["xAxis"][0]["name"]
    assert_plain(page, "Sensitivity, an optimize result", "en")
    page.click(".lang-nl")
    expect(page.locator(".pareto-table .pareto-open").first).to_have_text("open in Verkennen")
    assert_plain(page, "Sensitivity, an optimize result", "nl")
    page.click(".lang-en")
    expect(page.locator(".pareto-table .pareto-open").first).to_have_text("open in Explore")
    # each row's link carries the scenario and that policy's levers
    links = page.locator(".pareto-table .pareto-open")
    expect(links).to_have_count(len(PARETO))
    for i, r in enumerate(PARETO):
        q = dict(parse_qsl(urlparse(links.nth(i).get_attribute("href")).query))
        assert q["scenario"] == "control"
        assert float(q["p.information_burden"]) == r[1] and q["p.sanction_months"] == str(r[2])
        assert q["p.sanction_regime"] == r[6]
    # a choice lever's value by its label, not its code name
    expect(page.locator(".pareto-table tr[data-policy='7']")).to_contain_text("all-or-nothing")
    # click the second point on the chart
    i = 1
    xy = page.evaluate("([x, y]) => document.querySelector('.sens-pareto').__vue__.chart"
                       ".convertToPixel({seriesIndex: 0}, [x, y])", [PARETO[i][3], PARETO[i][4]])
    page.locator(".sens-pareto").scroll_into_view_if_needed()
    box = page.locator(".sens-pareto").bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    page.wait_for_function("() => location.pathname === '/' && location.search.includes('p.sanction_months=6')")
    q = dict(parse_qsl(urlparse(page.url).query))
    assert q["scenario"] == "control" and float(q["p.information_burden"]) == PARETO[i][1]
    expect(page.locator(".in-model")).to_have_count(1, timeout=30_000)
    shown = page.locator(".overrides-list").inner_text()
    assert "0.45" in shown and "6" in shown


def screening_workers(server) -> list[int]:
    return children_running(server["proc"].pid, b"_screening_child")


def set_slider_to_min(page, cls: str):
    page.locator(f".{cls} .v-slider__thumb-container").focus()
    page.keyboard.press("Home")


def screening_dirs(server) -> list[Path]:
    return sorted(server["tmp"].glob("fr-screen-*"))


def wait_until(cond, timeout: float, what: str):
    t_end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < t_end, what
        time.sleep(0.1)


def test_a_screening_runs_shows_progress_and_its_result_and_cancels(browser, browser_context_args, watched,
                                                                     sens_server):
    srv = sens_server
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    app = watched(page, srv["url"])
    page = app.goto("/sensitivity")
    expect(page.locator(".btn-screen")).to_be_enabled()
    choose(page, "screen-clients", "500")
    choose(page, "screen-months", "24")
    set_slider_to_min(page, "screen-trajectories")
    set_slider_to_min(page, "screen-reps")
    expect(page.locator(".screen-size")).to_contain_text(re.compile(r"^(12|24) model runs$"))
    t0 = time.monotonic()
    page.click(".btn-screen")
    progress = page.locator(".screen-progress")
    expect(progress).to_be_visible()
    page.wait_for_function(
        "() => { const e = document.querySelector('.screen-progress');"
        " return e && /^[1-9]\\d* of \\d+ runs$/.test(e.innerText.trim()); }", timeout=60_000)
    expect(page.locator(".screen-running")).to_have_count(0, timeout=90_000)
    expect(page.locator(".sens-select")).to_contain_text("your screening of")
    from fatal_remedies.viz.pages.sensitivity import PAIRED

    if PAIRED:  # a paired screening: its verdict, and its differences named in words
        expect(page.locator(".sens-verdict li").first).to_contain_text("service better than control on ")
        expect(page.locator(".sens-outcome")).to_contain_text("difference service − control in")
    opt = chart_option(page, "sens-bars-morris")
    assert len(opt["yAxis"][0]["data"]) == 5
    values = [b["value"] for b in opt["series"][0]["data"]]
    assert values == sorted(values, reverse=True)
    print(f"screening shown after {time.monotonic() - t0:.1f} s")

    # a larger one, cancelled while it runs: its worker process ends and the page stays usable
    set_slider_to_min(page, "screen-trajectories")
    page.keyboard.press("End")
    choose(page, "screen-clients", "2,000")
    choose(page, "screen-months", "120")
    page.click(".btn-screen")
    page.wait_for_function(
        "() => { const e = document.querySelector('.screen-progress');"
        " return e && /^[1-9]\\d* of \\d+ runs$/.test(e.innerText.trim()); }", timeout=60_000)
    wait_until(lambda: screening_workers(srv), 10, "no worker process runs the screening")
    workers = screening_workers(srv)
    assert len(workers) == 1
    page.click(".btn-screen-cancel")
    expect(page.locator(".screen-cancelled")).to_be_visible()
    t_end = time.monotonic() + 10
    while alive(workers[0]) and time.monotonic() < t_end:
        time.sleep(0.1)
    assert not alive(workers[0]), "the cancelled screening's worker still runs"
    expect(page.locator(".btn-screen")).to_be_enabled()
    choose(page, "sens-select", "paired-demo")
    expect(page.locator(".sens-verdict li")).to_have_count(len(VERDICT))
    (session_dir,) = screening_dirs(srv)
    assert [p.name for p in session_dir.iterdir()] == ["screen-1"], "the cancelled screening's directory was left"

    # a session that closes while it screens: its worker ends and its directory is removed
    page.click(".btn-screen")
    page.wait_for_function(
        "() => { const e = document.querySelector('.screen-progress');"
        " return e && /^[1-9]\\d* of \\d+ runs$/.test(e.innerText.trim()); }", timeout=60_000)
    wait_until(lambda: screening_workers(srv), 10, "no worker process runs the screening")
    (worker,) = screening_workers(srv)
    page.close()
    context.close()
    wait_until(lambda: not alive(worker), 15, "the closed session's screening still runs")
    wait_until(lambda: not session_dir.exists(), 15, "the closed session's screenings were left on disk")
