"""Explore's two views of one month (issue 12, item 3): both views follow Step, and the sentence
under them states the run's own numbers, recomputed here from a run with the same seed and size
(`simulate`), not by calling the code that wrote the sentence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fatal_remedies.model.run import simulate

pytestmark = pytest.mark.browser

CLIENTS, SEED = 1000, 0  # a size at which the quarter after the first screen has sanctions of both kinds


def shown_month(page) -> int:
    return int(page.locator(".kpi-month").inner_text().strip())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_both_views_show_the_current_month_and_the_sentence_matches_the_run(app, lang):
    page = app.goto(f"/?clients={CLIENTS}&seed={SEED}")
    expect(page.locator(".dash-sentence")).to_be_visible()
    if lang == "nl":
        page.click(".lang-nl")
        expect(page.locator(".dash-sentence")).to_contain_text("Het dashboard")
    now = shown_month(page)
    page.click(".btn-step")
    expect(page.locator(".kpi-month")).to_have_text(str(now + 1))
    now += 1
    word = "maand" if lang == "nl" else "month"
    for view in (".dash-shows", ".dash-lived"):
        expect(page.locator(view + " th").nth(1)).to_have_text(f"{word} {now}")
        expect(page.locator(view + " th").nth(2)).to_contain_text(f"{now - 2}–{now}")
    text = page.locator(".dash-sentence").inner_text()
    found, a, b, wrongful = (int(x.replace(",", "").replace(".", "")) for x in re.findall(r"\d[\d.,]*\d|\d", text))
    df = simulate("control", clients=CLIENTS, months=now, seed=SEED)
    q = df[df["month"].between(now - 2, now)]
    assert (a, b) == (now - 2, now)
    assert found > 0 and wrongful > 0, "pick a size/seed whose quarter has sanctions, or this test cannot fail"
    assert found == int(q["fraud_sanctions"].sum())
    assert wrongful == int(q["wrongful_sanctions"].sum())
    app.check()
