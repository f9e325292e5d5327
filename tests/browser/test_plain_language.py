"""Plain language, complete Dutch and the page on what the model cannot tell (issue 12, item 4).

Each test here failed on the app before its fix: parameter changes, choices,
sweep tables and council evidence showed code names ("information_burden =
0.3", "all_or_nothing", "mu_star", "share_carer"); a Dutch field refused
"0,35"; the scorecard had no sentence per norm; there was no page on the
model's limits.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CODE_NAME = re.compile(r"[a-z]+_[a-z_]+")
"""An identifier such as `wrongful_sanctions` or `algorithm_purpose`: never on screen."""
ENGLISH = re.compile(r"\b(the|and|with|which|from|when|people|true|false|month|Step|Play|Reset)\b")
"""Common English words that a Dutch page must not show (the scenarios' names aside, which are names)."""
GROUP_BUTTONS = ".explore-controls .v-btn[class*='group-']"
SMALL = "clients=300&reps=2&months=12"


def visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def assert_plain(page, where: str, lang: str):
    text = visible_text(page)
    codes = sorted(set(CODE_NAME.findall(text)))
    assert not codes, f"{where} ({lang}) shows code names: {codes}"
    if lang == "nl":
        english = sorted(set(ENGLISH.findall(text)))
        assert not english, f"{where} (nl) shows English: {english}"


def run_comparison(page):
    page.click(".btn-compare")
    page.wait_for_selector(".cmp-table", timeout=90_000)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_code_name_on_any_page(app, lang):
    """Scan every page's text, with every parameter group opened, a person's story, a comparison, the scorecard,
    the sensitivity tables and every step of the lesson."""
    q = f"lang={lang}&{SMALL}&p.sanction_regime=all_or_nothing"
    page = app.goto(f"/?{q}")
    expect(page.locator(".chart-flags canvas")).to_have_count(1, timeout=30_000)
    assert_plain(page, "Explore", lang)
    buttons = page.locator(GROUP_BUTTONS)
    assert buttons.count() >= 10
    for i in range(buttons.count()):
        buttons.nth(i).click()
        expect(page.locator(".explore-controls [class*='param-']").first).to_be_attached()
        assert_plain(page, f"Explore, group {buttons.nth(i).inner_text()}", lang)
        buttons.nth(i).click()
        expect(page.locator(".explore-controls [class*='param-']")).to_have_count(0)
    # a changed parameter is listed under "Your changes" and "In the running model" by its label
    page.goto(app.base + f"/?{q}&p.information_burden=0.3&p.caseload=fixed")
    expect(page.locator(".in-model")).to_have_count(1)
    assert_plain(page, "Explore with changes", lang)
    # a person's story and traits
    page.locator(".chart-population").scroll_into_view_if_needed()
    # a chart coming into sight draws at the next frame; a click across that drawing is lost
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    box = page.locator(".chart-population").bounding_box()
    page.mouse.click(box["x"] + 8 + (box["width"] - 16) / 26, box["y"] + 34 + (box["height"] - 42) / 13)
    expect(page.locator(".story-panel h4")).to_have_count(1)
    assert_plain(page, "Explore, a person's story", lang)

    page.goto(app.base + f"/compare?{q}")
    page.wait_for_selector(".btn-compare")
    assert_plain(page, "Compare", lang)
    run_comparison(page)
    expect(page.locator(".norms-table")).to_have_count(1)
    assert_plain(page, "Compare with results", lang)

    for path, ready in (("/report", ".btn-report-download"), ("/sensitivity", ".sens-table"),
                        ("/limits", ".limits-intro")):
        page.click(f".nav-{path[1:]}")
        page.wait_for_selector(ready)
        assert_plain(page, path, lang)

    page.click(".nav-lesson")
    page.wait_for_selector(".lesson-text", timeout=90_000)
    for i in range(7):
        assert_plain(page, f"Lesson step {i + 1}", lang)
        if i < 6:
            before = page.locator(".lesson-text").inner_text()
            page.click(".btn-lesson-next")
            expect(page.locator(".lesson-text")).not_to_have_text(before)


def test_dutch_fields_accept_a_decimal_comma_and_links_keep_a_point(app):
    page = app.goto("/?lang=nl&clients=300")
    expect(page.locator(".chart-flags canvas")).to_have_count(1, timeout=30_000)
    page.click(".group-enforcement")
    field = page.locator(".typed-information_burden input")
    field.fill("0,35")
    field.press("Enter")
    page.wait_for_function("() => location.search.includes('p.information_burden=0.35')")
    expect(page.locator(".error-information_burden")).to_have_count(0)
    expect(field).to_have_value("0,35")
    assert "0,35" in page.locator(".overrides-list").inner_text()
    # a thousands point in a whole-number field, and a Dutch message for a refused value
    clients = page.locator(".typed-clients input")
    clients.fill("1.000")
    clients.press("Enter")
    page.wait_for_function("() => location.search.includes('clients=1000')")
    field.fill("1,5")
    field.press("Enter")
    expect(page.locator(".error-information_burden")).to_contain_text("vul een getal in van 0 tot 1")
    assert "p.information_burden=0.35" in page.evaluate("location.search"), "a refused value reached the link"
    # the Compare page's fields too
    page.click(".nav-compare")
    months = page.locator(".typed-cmp-months input")
    months.fill("1.200")
    months.press("Enter")
    expect(page.locator(".error-cmp-months")).to_contain_text("vul een geheel getal in van 1 tot 240")


@pytest.mark.parametrize("lang,title,heading", [
    ("en", "What it cannot tell", "What the model cannot tell you"),
    ("nl", "Wat het niet zegt", "Wat het model u niet kan vertellen"),
])
def test_the_limits_page_is_in_the_navigation_in_both_languages(app, lang, title, heading):
    page = app.goto(f"/?lang={lang}&clients=300")
    button = page.locator(".fr-nav .nav-limits")
    expect(button).to_have_text(re.compile(title, re.I))
    button.click()
    expect(page.locator(".limits h2")).to_have_text(heading)
    assert "limits" in page.evaluate("location.pathname")
    expect(page.locator(".limits h3")).to_have_count(3)
    text = page.locator(".limits").inner_text()
    for words in ({"en": "not a forecast", "nl": "geen voorspelling"}[lang],
                  {"en": "not modelled", "nl": "niet in het model"}[lang]):
        assert words in text
    other = "nl" if lang == "en" else "en"
    page.click(f".lang-{other}")
    expect(page.locator(".limits h2")).not_to_have_text(heading)


def test_the_scorecard_explains_each_norm_in_a_sentence(app):
    page = app.goto(f"/compare?{SMALL}")
    run_comparison(page)
    sentences = page.locator(".norms-explained li")
    expect(sentences).to_have_count(4)
    for i, norm in enumerate(("FAIR", "FACT", "ROBUST", "SHARED")):
        expect(sentences.nth(i)).to_contain_text(f"{norm} is about")
    page.click(".lang-nl")
    expect(sentences.nth(0)).to_contain_text("FAIR gaat over de data")


CHART_NUMBERS_JS = """
sel => {
  // the chart's own option, as ECharts holds it: how its value axis and its tooltip write 1500 and 0.35
  const chart = document.querySelector(sel).__vue__.chart;
  const opt = chart.getOption();
  return [opt.yAxis[0].axisLabel.formatter(1500), opt.tooltip[0].valueFormatter(0.35)];
}
"""


def test_charts_write_numbers_the_dutch_way_in_dutch(app):
    """ECharts writes 1,500 on its axes, which a Dutch reader takes for 1.5."""
    page = app.goto("/?lang=nl&clients=300")
    expect(page.locator(".chart-cost canvas")).to_have_count(1, timeout=30_000)
    page.wait_for_function("() => document.querySelector('.chart-cost').__vue__.chart")
    assert page.evaluate(CHART_NUMBERS_JS, ".chart-cost") == ["1.500", "0,35"]
    page.click(".lang-en")
    expect(page.locator(".explore-intro")).to_contain_text("Press Step")
    page.wait_for_function("() => typeof document.querySelector('.chart-cost').__vue__.chart.getOption()"
                           ".yAxis[0].axisLabel.formatter !== 'function'")
