"""The app in a real browser: every page, the controls, the language, the lesson, the report.

Small populations and few months keep the suite to about a minute on 2 cores.
The `app` fixture fails a test on any console error, HTTP error, server traceback
or request that leaves 127.0.0.1.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FIRST_SCREEN_MONTHS = 12  # viz.pages.explore.FIRST_SCREEN_MONTHS (not imported: the app runs in the server)


def month_of(page) -> int:
    return int(page.locator(".kpi-month").inner_text().strip())


def canvas(page, cls: str) -> str:
    return page.eval_on_selector(f".{cls} canvas", "c => c.toDataURL()")


def wait_month(page, value: int, timeout: float = 15_000):
    page.wait_for_function(
        "v => { const e = document.querySelector('.kpi-month'); return e && +e.innerText.trim() >= v; }",
        arg=value, timeout=timeout)


NAV = {"explore": "Explore", "compare": "Compare", "sensitivity": "Sensitivity", "lesson": "Lesson",
       "report": "Report"}


@pytest.mark.parametrize("path,ready,current", [
    ("/?clients=800", ".chart-flags canvas", "explore"),
    ("/compare?clients=800", ".btn-compare", "compare"),
    ("/sensitivity", ".sens-table", "sensitivity"),
    ("/lesson", ".lesson-text", "lesson"),
    ("/report", ".btn-report-default", "report"),
])
def test_page_loads_offline_without_errors(app, path, ready, current):
    page = app.goto(path)
    page.wait_for_selector(ready)
    page.wait_for_timeout(500)
    # one button per page, each with its label, and only the page shown marked active
    for name, label in NAV.items():
        button = page.locator(f".fr-nav .nav-{name}")
        assert button.count() == 1, f"nav button for {name} is missing or doubled"
        assert label.upper() in button.inner_text().upper()
    assert page.locator(".fr-nav .fr-active").count() == 1
    assert NAV[current].upper() in page.locator(".fr-nav .fr-active").inner_text().upper()


def test_step_and_play_advance_the_charts(app):
    page = app.goto("/?clients=1000")
    page.wait_for_selector(".chart-flags canvas")
    start = month_of(page)
    assert start == FIRST_SCREEN_MONTHS, "the first screen shows the first year already run"
    page.wait_for_timeout(300)
    before = canvas(page, "chart-flags")
    page.click(".btn-step")
    wait_month(page, start + 1)
    page.click(".btn-step")
    wait_month(page, start + 2)
    page.wait_for_timeout(300)
    assert canvas(page, "chart-flags") != before, "the flags chart did not redraw after two steps"
    page.click(".btn-play")
    wait_month(page, start + 6)
    page.click(".btn-play")  # pause
    page.wait_for_selector(".btn-play:has-text('Play')")
    # the display may lag the server by a few months: wait until it settles, then it must stay
    last, stable_since = month_of(page), 0
    for _ in range(40):
        page.wait_for_timeout(250)
        now = month_of(page)
        stable_since = stable_since + 1 if now == last else 0
        last = now
        if stable_since >= 4:
            break
    assert stable_since >= 4, "the run kept going after pause"
    page.wait_for_timeout(1000)
    assert month_of(page) == last, "the run kept going after pause"
    expect(page.locator(".chart-population canvas"),
           "the population chart is missing").to_have_count(1, timeout=20_000)


STALE_JS = "sel => document.querySelector(sel).__vue__.frStale === true"


def test_a_chart_out_of_sight_is_drawn_when_it_comes_into_sight(app):
    """A chart below the fold is not redrawn at every step (drawing was most of the browser's work
    for a step), but as soon as it scrolls into sight it shows the month the page shows."""
    page = app.goto("/?clients=600")
    page.wait_for_selector(".chart-population canvas")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    below = page.evaluate("() => document.querySelector('.chart-population').getBoundingClientRect().top")
    assert below > 1000 + 300, "the population chart is no longer below the fold: move this test's chart"
    pixels = canvas(page, "chart-population")
    start = month_of(page)
    flags = canvas(page, "chart-flags")
    for i in range(1, 5):
        page.click(".btn-step")
        wait_month(page, start + i)
    page.wait_for_function("c => document.querySelector('.chart-flags canvas').toDataURL() !== c", arg=flags)
    # the chart in sight is drawn, the one out of sight waits with its new option
    assert page.evaluate(STALE_JS, ".chart-population"), "the population chart out of sight was redrawn"
    assert canvas(page, "chart-population") == pixels
    assert not page.evaluate(STALE_JS, ".chart-flags")
    page.locator(".chart-population").scroll_into_view_if_needed()
    page.wait_for_function("c => document.querySelector('.chart-population canvas').toDataURL() !== c",
                           arg=pixels, timeout=10_000)
    assert not page.evaluate(STALE_JS, ".chart-population")
    drawn = page.evaluate("""() => {
      const vm = document.querySelector('.chart-population').__vue__;
      const count = o => o.series.map(s => s.data.length).join(' ');
      return [count(vm.chart.getOption()), count(JSON.parse(vm.option_json))];
    }""")
    assert drawn[0] == drawn[1], f"the chart shows another option than the page's last: {drawn}"


def test_slider_change_reaches_the_model(app):
    page = app.goto("/?clients=600")
    page.wait_for_selector(".chart-flags canvas")
    page.click(".group-enforcement")
    thumb = page.locator(".param-information_burden [role=slider]")
    thumb.wait_for(state="attached")
    thumb.scroll_into_view_if_needed()
    thumb.focus()
    page.keyboard.press("Home")  # slider to its minimum, 0
    page.wait_for_function("() => location.search.includes('p.information_burden=0')")
    page.wait_for_selector(".pending-note")
    # before the reset the running model still has its own value (the scenario's, or what its
    # municipality made of it in the first year), never the pending 0
    assert re.search(r"Information burden = 0\.\d", page.locator(".in-model").inner_text())
    page.click(".btn-reset")
    page.wait_for_function(
        "() => /Information burden = 0(?![.,]\\d)/.test(document.querySelector('.in-model').innerText)")
    page.wait_for_selector(".pending-note", state="detached")
    page.click(".btn-step")
    wait_month(page, 1)


def test_typed_value_is_checked_against_the_registry(app):
    page = app.goto("/?clients=600")
    page.wait_for_selector(".chart-flags canvas")
    page.click(".group-enforcement")
    box = page.locator(".typed-information_burden input")
    box.fill("1.5")
    box.press("Enter")
    err = page.wait_for_selector(".error-information_burden")
    assert "enter a number from 0 to 1" in err.inner_text()
    assert "information_burden" not in page.evaluate("location.search")
    box.fill("0.35")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('p.information_burden=0.35')")
    page.wait_for_selector(".error-information_burden", state="detached")
    clients = page.locator(".typed-clients input")
    clients.fill("0")
    clients.press("Enter")
    assert "from 100 to 50,000" in page.wait_for_selector(".error-clients").inner_text()


def test_language_switch_keeps_the_run(app):
    page = app.goto("/?clients=800")
    page.wait_for_selector(".chart-flags canvas")
    start = month_of(page)
    page.click(".btn-step")
    wait_month(page, start + 1)
    page.click(".btn-step")
    wait_month(page, start + 2)
    assert "STEP" in page.locator(".btn-step").inner_text().upper()
    page.click(".lang-nl")
    page.wait_for_selector("text=Verkennen")
    # the controls re-render in messages of their own after the navigation bar: wait for them
    expect(page.locator(".btn-step")).to_have_text(re.compile("stap", re.IGNORECASE), timeout=20_000)
    expect(page.locator(".explore-controls")).to_contain_text("Beleidsknoppen", timeout=20_000)
    assert month_of(page) == start + 2, "switching the language lost the run"
    # numbers follow the language: a decimal comma in Dutch (trust 0-1 with three decimals)
    page.wait_for_function("() => /^\\d,\\d{3}$/.test(document.querySelector('.kpi-trust').innerText.trim())")
    assert "lang=nl" in page.evaluate("location.search")
    page.click(".lang-en")
    page.wait_for_selector("text=Policy levers")
    assert month_of(page) == start + 2
    expect(page.locator(".kpi-trust")).to_have_text(re.compile(r"^\s*\d\.\d{3}\s*$"), timeout=20_000)


def test_link_reproduces_the_view_and_bad_items_are_reported(app):
    page = app.goto("/?lang=nl&scenario=service&p.transparency=0.5&clients=700&p.information_burden=7")
    page.wait_for_selector(".in-model")
    # the link's change (the value in force may have moved since: the first year has run)
    assert "Transparantie = 0,5" in page.locator(".explore-controls").inner_text()
    assert "Transparantie" in page.locator(".in-model").inner_text()
    assert "service" in page.locator(".scenario-select").inner_text()
    assert "Verkennen" in page.locator(".fr-nav").inner_text()
    warn = page.locator(".url-errors").inner_text()
    assert "information_burden" in warn and "van 0 tot 1" in warn  # the link item as typed
    assert "information_burden" not in page.evaluate("location.search")


def test_sessions_do_not_share_state(app, browser):
    page = app.goto("/?clients=600")
    page.wait_for_selector(".chart-flags canvas")
    start = month_of(page)
    page.click(".btn-step")
    wait_month(page, start + 1)
    page.click(".lang-nl")
    page.wait_for_selector("text=Verkennen")
    other = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        p2 = other.new_page()
        p2.goto(app.base + "/?clients=600")
        p2.wait_for_selector(".chart-flags canvas")
        assert p2.locator(".kpi-month").inner_text().strip() == str(FIRST_SCREEN_MONTHS)
        assert "Explore" in p2.locator(".fr-nav").inner_text()
    finally:
        other.close()
    assert month_of(page) == start + 1


def test_compare_shows_both_scenarios(app):
    page = app.goto("/compare?reps=2&months=18&clients=600")
    page.wait_for_selector(".btn-compare")
    page.click(".btn-compare")
    table = page.wait_for_selector(".cmp-table", timeout=60_000)
    head = table.inner_text()
    assert "control" in head and "service" in head
    assert page.locator(".diff-table").count() == 1
    norms = page.locator(".norms-table").inner_text()
    assert all(n in norms for n in ("FAIR", "FACT", "ROBUST", "SHARED"))
    for m in ("cum_wrongful_sanctions", "mean_trust"):
        # ECharts draws its canvas a moment after the table appears: wait for it.
        expect(page.locator(f".cmp-chart-{m} canvas"),
               f"compare chart {m} is missing").to_have_count(1, timeout=20_000)
    assert "Seeds" in page.locator(".compare-main").inner_text()


def test_compare_needs_two_to_four(app):
    page = app.goto("/compare?clients=600")
    page.wait_for_selector(".btn-compare")
    page.click(".cmp-service label")
    page.wait_for_selector("text=Choose 2 to 4 scenarios.")
    expect(page.locator(".btn-compare")).to_be_disabled(timeout=20_000)


def test_lesson_can_be_walked_to_the_end(app):
    page = app.goto("/lesson")
    page.wait_for_selector(".lesson-text", timeout=60_000)
    seen = []
    for i in range(1, 8):
        counter = page.locator(".lesson-counter").inner_text()
        assert f"Step {i} of 7" in counter
        seen.append(page.locator(".lesson-text").inner_text())
        # ECharts draws its canvas a moment after the step's text appears: wait for it.
        expect(page.locator(".lesson-chart canvas"),
               f"step {i} has no chart").not_to_have_count(0, timeout=20_000)
        if i < 7:
            page.click(".btn-lesson-next")
            page.wait_for_function("n => document.querySelector('.lesson-counter').innerText.includes('Step ' + n)",
                                   arg=i + 1)
            # the counter and the text are separate elements: wait for the text to follow
            expect(page.locator(".lesson-text")).not_to_have_text(seen[-1])
    assert len(set(seen)) == 7
    assert page.locator(".lesson-done").is_visible()
    story = page.locator(".lesson-story").inner_text()
    assert "without any intent" in story, "the lesson's mantelzorger was not wrongly sanctioned"
    page.click(".lang-nl")
    page.wait_for_selector("text=Stap 7 van 7")


def test_report_downloads_and_opens_offline(app, browser):
    page = app.goto("/compare?reps=2&months=12&clients=500")
    page.click(".btn-compare")
    page.wait_for_selector(".cmp-table", timeout=60_000)
    page.click(".nav-report")
    page.wait_for_selector(".btn-report-download")
    with page.expect_download() as info:
        page.click(".btn-report-download button, .btn-report-download .v-btn")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report-download.html"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<svg" in text and "cmp-table" in text and "control" in text and "service" in text
    assert "norms-table" in text
    assert re.search(r"<(script|link|img)[^>]+(src|href)=", text) is None, "the report refers to outside files"
    ctx = browser.new_context()
    try:
        viewer = ctx.new_page()
        outside = []
        viewer.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        viewer.goto(target.as_uri())
        assert "Comparison of scenarios" in viewer.title()
        assert viewer.locator("svg").count() >= 4
        assert viewer.locator("table.params tr").count() > 40
        assert not outside, f"the report made requests: {outside}"
    finally:
        ctx.close()


def test_sensitivity_draws_a_known_results_dir(app):
    page = app.goto("/sensitivity")
    page.wait_for_selector(".sens-table")
    assert "morris-demo" in page.locator(".sens-select").inner_text()
    assert "Share of mantelzorgers" in page.locator(".sens-table").inner_text()
    expect(page.locator(".sens-plot img"), "the index plot is missing").to_have_count(1, timeout=20_000)


def test_clicking_a_person_shows_their_story(app):
    page = app.goto("/?clients=500")
    page.wait_for_selector(".chart-population canvas")
    for _ in range(6):
        page.click(".btn-step")
        page.wait_for_timeout(250)
    wait_month(page, 6)
    page.locator(".chart-population").scroll_into_view_if_needed()
    # the chart draws the month it missed out of sight once it is in sight (at the next frame):
    # a click between that drawing's mouse-down and mouse-up is no click for ECharts
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    box = page.locator(".chart-population").bounding_box()
    rows = 20  # 500 people, 25 a row
    x = box["x"] + 8 + (0 + 1) / 26 * (box["width"] - 16)
    y = box["y"] + 34 + (0 + 1) / (rows + 1) * (box["height"] - 42)
    page.mouse.click(x, y)
    title = page.wait_for_selector(".story-panel h4")
    assert "Story of person" in title.inner_text()
    page.click(".lang-nl")
    page.wait_for_selector(".story-panel h4:has-text('Verhaal van persoon')")
