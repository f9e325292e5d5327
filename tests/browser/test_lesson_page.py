"""The lesson in a browser: each step's sentences are the run's facts, teacher's mode with the arrow keys,
the month on every panel, and the recorded walk-through (docs/walkthrough.py) once, in Dutch.

The facts are computed here from the same run (analysis.lesson, same size and seed) and worded with
the same templates; the walk-through test checks them against numbers recomputed without that code.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fatal_remedies.analysis import lesson as L
from fatal_remedies.viz.i18n_lesson import render

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def steps():
    return L.facts(L.run_lesson())


def _wait_step(page, i: int):
    page.wait_for_function("n => document.querySelector('.lesson-counter').innerText.split(' ')[1] == n",
                           arg=str(i), timeout=30_000)


def _facts_on_page(page) -> list[tuple[str, str]]:
    facts = page.locator(".lesson-fact")
    return [(facts.nth(j).get_attribute("data-key"), facts.nth(j).inner_text()) for j in range(facts.count())]


def test_each_step_says_what_the_run_shows_and_every_panel_its_month(app, steps):
    page = app.goto("/lesson")
    page.wait_for_selector(".lesson-text", timeout=90_000)
    assert len(steps) == 7
    for i, step in enumerate(steps, start=1):
        if i > 1:
            page.click(".btn-lesson-next")
            _wait_step(page, i)
        expect(page.locator(".lesson-month-n")).to_have_text(str(step.month))
        expected = [(s.key, render(s.key, s.values, "en")) for s in step.sentences]
        expect(page.locator(".lesson-fact")).to_have_count(len(expected))
        assert _facts_on_page(page) == expected, f"step {i}"
        panels = page.locator(".lesson-panel-month")
        assert panels.count() >= 1
        for j in range(panels.count()):  # panels may follow the step text in a later message
            expect(panels.nth(j), f"step {i}: panel {j} is on another month").to_have_text(
                re.compile(rf"\b{step.month}\s*$"), timeout=20_000)
        expect(page.locator(".lesson-chart canvas"), f"step {i} has no chart").not_to_have_count(0, timeout=20_000)
    page.click(".lang-nl")
    expect(page.locator(".lesson-counter")).to_have_text("Stap 7 van 7")
    last = steps[-1]
    assert _facts_on_page(page) == [(s.key, render(s.key, s.values, "nl")) for s in last.sentences]


def test_teacher_mode_large_text_one_chart_and_arrow_keys(app):
    page = app.goto("/lesson/teacher")
    page.wait_for_selector(".lesson-teacher .lesson-text", timeout=90_000)
    size = page.locator(".lesson-text").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 24, f"teacher's text is {size}px"
    page.keyboard.press("ArrowRight")
    _wait_step(page, 2)
    page.keyboard.press("ArrowRight")
    _wait_step(page, 3)  # step 3 has two charts: one at a time
    expect(page.locator(".lesson-chart")).to_have_count(1)
    first = page.locator(".lesson-chart").get_attribute("class")
    page.click(".btn-lesson-chart")
    expect(page.locator(".lesson-chart")).not_to_have_class(first)
    expect(page.locator(".lesson-chart")).to_have_count(1)
    page.keyboard.press("ArrowLeft")
    _wait_step(page, 2)
    # the toggle leaves teacher's mode: the step's charts side by side again, normal text
    page.locator(".lesson-teacher-toggle label").click()
    expect(page.locator(".lesson-teacher")).to_have_count(0)
    page.keyboard.press("ArrowRight")
    _wait_step(page, 3)
    expect(page.locator(".lesson-chart")).to_have_count(2)


@pytest.mark.slow
def test_the_recorded_walkthrough_passes_in_dutch(app):
    """docs/walkthrough.py's own checks (numbers recomputed from the run's frame and records), on this server."""
    spec = importlib.util.spec_from_file_location("walkthrough", ROOT / "docs" / "walkthrough.py")
    w = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("walkthrough", w)
    spec.loader.exec_module(w)
    truth = w.recompute(L.CLIENTS, L.SEED, L.MONTHS)
    out = io.StringIO()
    fails = w.walk(app.page, app.base, truth, "nl", out)
    assert fails == 0, out.getvalue()
    assert out.getvalue().count("OK ") >= 40
