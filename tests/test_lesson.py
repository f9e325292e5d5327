"""The lesson's facts (analysis/lesson.py) and their wording (viz/i18n_lesson.py), without a browser.

What a teacher relies on: each sentence states what the run shows. The numbers must equal the
run's frame, and a sentence's direction must flip when the run's direction flips (trust that rises
is said to rise), in English and in Dutch, with Dutch number format.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

from fatal_remedies.analysis import lesson as L
from fatal_remedies.viz.i18n_lesson import SENTENCES, render


@pytest.fixture(scope="module")
def run() -> L.LessonRun:
    # the lesson's own run, shortened to 84 months (the switch at 61 and two years of service)
    return L.run_lesson(months=84)


def _sentences(steps, key):
    return [s for st in steps for s in st.sentences if s.key == key]


def _one(steps, key) -> L.Sentence:
    found = _sentences(steps, key)
    assert len(found) == 1, f"{key}: {len(found)} sentences"
    return found[0]


def test_seven_steps_in_the_arc_and_their_months(run):
    steps = L.facts(run)
    assert [s.key for s in steps] == list(L.STEP_KEYS)
    months = [s.month for s in steps]
    assert months == sorted(months), "the lesson goes back in time"
    assert 1 <= months[0] and months[-1] == 84
    assert steps[L.STEP_KEYS.index("dashboard")].month == run.switch - 1


def test_every_sentence_renders_in_both_languages(run):
    for st in L.facts(run):
        for s in st.sentences:
            assert s.key in SENTENCES
            for lang in ("en", "nl"):
                text = render(s.key, s.values, lang)
                assert "{" not in text and "}" not in text, text
                assert "nan" not in text.lower(), text


def test_numbers_are_the_runs(run):
    steps = L.facts(run)
    c, s, last = run.ctrl, run.serv, run.switch - 1
    sw = _one(steps, "serv_wrongful").values
    assert sw["control"] == int(c.loc[c.month <= last, "wrongful_sanctions"].sum())
    assert sw["service"] == int(s.loc[s.month <= last, "wrongful_sanctions"].sum())
    blind = _one(steps, "dash_blind").values
    assert blind["fraud"] == int(c.loc[c.month <= last, "fraud_sanctions"].sum())
    st = _one(steps, "serv_trust").values
    assert st["control"] == round(float(c.loc[c.month == last, "mean_trust"].iloc[0]), 3)
    tightened = _one(steps, "dash_tightened").values
    raised = {x["month"] for x in run.lever_changes if x["lever"] in L.CONTROL_LEVERS and x["new"] > x["old"]}
    assert tightened["tightened"] == sum(1 for r in run.readings if r["month"] <= last and r["month"] in raised)
    assert 0 < tightened["tightened"] <= tightened["reads"]
    levers = _one(steps, "dash_levers").values
    assert levers["sanction_months_end"] == float(c.loc[c.month == last, "sanction_months"].iloc[0])
    # the person followed fits the documented rule (or the lesson says who it follows instead)
    assert run.her.rule == "full"
    from fatal_remedies.model.states import Event

    codes = [code for _, code in run.her.events]
    first = min(mo for mo, code in run.her.events if code == Event.SANCTIONED_WRONGFULLY)
    assert run.her.traits["carer"] and L.MIN_CASE_MONTH <= first < run.switch
    assert Event.CHANGE_UNREPORTED in codes
    assert _one(steps, "sanction_her").values["month"] == first


def _with_trust(run, values) -> L.LessonRun:
    r = copy.copy(run)
    r.ctrl = run.ctrl.copy()
    r.ctrl["mean_trust"] = values
    return r


def test_trust_under_control_said_to_rise_when_it_rises_and_to_fall_when_it_falls(run):
    n = len(run.ctrl)
    rising = _with_trust(run, np.linspace(0.3, 0.6, n))
    v = _one(L.facts(rising), "rev_control_trust")
    assert v.values["dir"] == "up"
    assert "it rose" in render(v.key, v.values, "en")
    assert "het steeg" in render(v.key, v.values, "nl")
    falling = _with_trust(run, np.linspace(0.6, 0.3, n))
    v = _one(L.facts(falling), "rev_control_trust")
    assert "it fell" in render(v.key, v.values, "en") and "het daalde" in render(v.key, v.values, "nl")
    flat = _with_trust(run, np.full(n, 0.5))
    assert "did not change" in render(*_pair(_one(L.facts(flat), "rev_control_trust")), "en")


def _pair(s):
    return s.key, s.values


def test_sanctions_after_the_switch_said_to_stop_only_when_they_stop(run):
    r = copy.copy(run)
    r.ctrl = run.ctrl.copy()
    after = r.ctrl.month >= run.switch
    r.ctrl.loc[after, "wrongful_sanctions"] = 0
    assert _sentences(L.facts(r), "rev_stop") and not _sentences(L.facts(r), "rev_go_on")
    r.ctrl.loc[r.ctrl.month == run.switch + 2, "wrongful_sanctions"] = 3
    go_on = _one(L.facts(r), "rev_go_on")
    assert go_on.values["after"] == 3 and "do not stop at once" in render(*_pair(go_on), "en")


def test_carers_flagged_more_or_less_often_as_the_run_shows(run):
    steps = L.facts(run)
    month = _one(steps, "learn_ratio").values["month"]
    for ratio, word in ((1.6, "more often"), (0.5, "less often"), (1.0, "as often")):
        r = copy.copy(run)
        r.ctrl = run.ctrl.copy()
        r.ctrl.loc[r.ctrl.month == month, "flag_ratio_carer"] = ratio
        s = _one(L.facts(r), "learn_ratio")
        assert render(*_pair(s), "en").endswith(f": {word}."), render(*_pair(s), "en")


def test_dashboard_loop_said_to_close_only_when_fraud_found_rises(run):
    assert _sentences(L.facts(run), "dash_loop"), "this run shows the loop closing"
    r = copy.copy(run)
    r.readings = [dict(x) for x in run.readings]
    for x in r.readings:  # fraud found falling over the control years
        x["fraud_found_per_1000"] = max(0.0, 10.0 - x["month"] / 6)
    steps = L.facts(r)
    assert _one(steps, "dash_trend").values["dir"] == "down"
    assert _sentences(steps, "dash_no_loop") and not _sentences(steps, "dash_loop")
    assert "shows less fraud found" in render(*_pair(_one(steps, "dash_trend")), "en")


def test_no_one_to_follow_is_said(run):
    r = copy.copy(run)
    r.her = L.Her(slot=0, pid=0, rule="none", trust=[float("nan")] * len(run.ctrl))
    steps = L.facts(r)
    assert _sentences(steps, "meet_none")
    assert not any(s.key.startswith(("sanction_her", "flag_her", "serv_her", "dash_her")) for st in steps
                   for s in st.sentences)


def test_switch_beyond_the_run_is_said(run):
    r = copy.copy(run)
    r.ctrl, r.serv = run.ctrl[run.ctrl.month <= 48].copy(), run.serv[run.serv.month <= 48].copy()
    steps = L.facts(r)
    assert _sentences(steps, "rev_not_reached")
    assert all(st.month <= 48 for st in steps)


def test_dutch_number_format():
    s = render("flag_false", {"month": 25, "false": 1500, "total": 2000, "share": 84.8}, "nl")
    assert "1.500 van de 2.000" in s and "84,8%" in s
    e = render("meet_trust", {"month": 12, "her": 0.47, "mean": 0.495, "cmp": "down"}, "en")
    assert e == "In month 12 her trust in the municipality is 0.470 (0 = none, 1 = full), below the average of 0.495."
    w = render("learn_weights", {"w_carer": -0.35, "w_language_barrier": 0.2, "w_meetings_last_year": 0.0}, "nl")
    assert re.search(r"mantelzorger zijn -0,35, een taalbarrière \+0,20", w), w


def test_the_walkthrough_checker_catches_a_wrong_number_and_a_wrong_direction():
    """docs/walkthrough.py must be able to say FAIL (a checker that cannot fail is no check)."""
    import importlib.util
    import sys
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("walkthrough", Path(__file__).parents[1] / "docs" / "walkthrough.py")
    w = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("walkthrough", w)  # its dataclasses look their module up
    spec.loader.exec_module(w)
    values = {"switch": 61, "end": 120, "before": 0.472, "after": 0.739, "dir": "up"}
    right = render("rev_trust", values, "nl")
    exp = w.Expect(numbers=[(0.472, 3, False), (0.739, 3, False), (120, 0, False)], direction="up")
    assert w.check_sentence("rev_trust", right, exp, "nl") == []
    assert w.check_sentence("rev_trust", render("rev_trust", {**values, "dir": "down"}, "nl"), exp, "nl")
    assert w.check_sentence("rev_trust", render("rev_trust", {**values, "after": 0.74}, "nl"), exp, "nl")
    assert w.check_sentence("rev_trust", render("rev_trust", values, "en"), exp, "nl"), "English numbers in Dutch"


def test_the_months_control_tightened_are_listed(run):
    assert L.quarter_runs([3, 6, 9, 15, 21, 24]) == [[3, 9], [15, 15], [21, 24]]
    steps = L.facts(run)
    when = _one(steps, "dash_when").values["ranges"]
    listed = [m for a, b in when for m in range(a, b + 1, 3)]
    assert len(listed) == _one(steps, "dash_tightened").values["tightened"]
    raised = {x["month"] for x in run.lever_changes if x["lever"] in L.CONTROL_LEVERS and x["new"] > x["old"]}
    assert set(listed) <= raised
    assert render("dash_when", {"ranges": [[3, 9], [15, 15]]}, "en") == \
        "It tightened after the readings of months 3–9 (each quarter), 15."
