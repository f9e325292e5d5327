"""The recorded walk-through of the lesson: every generated sentence checked against the run's own data.

  .venv/bin/python docs/walkthrough.py            # EN and NL, prints each sentence with OK/FAIL
  .venv/bin/python docs/walkthrough.py --lang nl  # one language

It serves the app, opens /lesson in headless Chromium (Debian's /usr/bin/chromium, as the browser
tests), goes through every step with the → key, and checks each sentence the page shows against
numbers it RECOMPUTES itself: the lesson's run again (`model.run.simulate`, the lesson's scenario,
size and seed), the dashboard's quarterly readings and the lever changes from that monthly frame,
and the followed person, her trust and the algorithm's weights from the model's own records (the
same run made step by step, its events recorded). It does not call `analysis.lesson` or
`viz.i18n_lesson`, which wrote the sentences, so a wrong fact or a wrong wording shows as FAIL.

Each sentence is checked for: being the variant the data calls for (e.g. "wrongful sanctions
stop" only when none follow the switch), every number it must state (written the page's way:
1,500 and 0.35 in English, 1.500 and 0,35 in Dutch) and the direction word the data calls for
(and none of the others). The step's month must be on the step and on every panel.
Exit status 0 when every sentence is OK, 1 on any FAIL, 2 when the app or the browser cannot start.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The lesson's run, as the page states it ("1,500 people, seed 11"); read from the page and checked there.
SCENARIO, VERSUS, MIN_CASE_MONTH = "reversal", "service", 13
CONTROL_LEVERS = ("information_burden", "investigation_capacity", "sanction_months", "warehouse_linkage")
WATCHED = ("carer", "language_barrier", "meetings_last_year")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]

# Direction phrases per sentence, as the page must word them: (up, down, same) for EN and for NL.
WORDS = {
    "meet_trust": (("above the", "below the", "equal to the"), ("boven het", "onder het", "gelijk aan het")),
    "sanction_trust": ((": it rises", ": it falls", ": it does not change"),
                       (": het stijgt", ": het daalt", ": het verandert niet")),
    "sanction_carers": (("above everyone", "below everyone", "equal to everyone"),
                        ("boven het gemiddelde", "onder het gemiddelde", "gelijk aan het gemiddelde")),
    "learn_ratio": ((": more often.", ": less often.", ": as often."), (": vaker.", ": minder vaak.", ": even vaak.")),
    "dash_trend": (("shows more fraud", "shows less fraud", "shows as much fraud"),
                   ("toont meer gevonden", "toont minder gevonden", "toont evenveel gevonden")),
    "serv_wrongful": (("; more under service", "; fewer under service", "; as many under service"),
                      ("; meer onder", "; minder onder", "; evenveel onder")),
    "serv_trust": (("; higher under service", "; lower under service", "; the same under service"),
                   ("; hoger onder", "; lager onder", "; gelijk onder")),
    "serv_ntu": (("; more people miss", "; fewer people miss", "; as many people miss"),
                 ("; meer mensen", "; minder mensen", "; evenveel mensen")),
    "rev_control_trust": ((": it rose.", ": it fell.", ": it did not change."),
                          (": het steeg.", ": het daalde.", ": het veranderde niet.")),
    "rev_sanctions": (("; more.", "; fewer.", "; as many."), ("; meer.", "; minder.", "; evenveel.")),
    "rev_trust": (("trust rises", "trust falls", "trust does not change"),
                  ("vertrouwen stijgt", "vertrouwen daalt", "vertrouwen verandert niet")),
    "rev_gap": ((", higher.", ", lower.", ", the same."), (", hoger.", ", lager.", ", gelijk.")),
    "rev_ntu": (("(up)", "(down)", "(unchanged)"), ("(hoger)", "(lager)", "(gelijk)")),
}


def fmt(x: float, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """A number written as a reader of `lang` reads it (the walk-through's own formatter)."""
    s = f"{float(x):+,.{decimals}f}" if signed else f"{float(x):,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def way(before: float, after: float, decimals: int) -> str:
    a, b = round(float(before), decimals), round(float(after), decimals)
    return "up" if b > a else "down" if b < a else "same"


@dataclass
class Expect:
    """What one sentence must say: its numbers (value, decimals, signed) and its direction."""
    numbers: list[tuple[float, int, bool]] = field(default_factory=list)
    direction: str | None = None
    text: dict[str, str] = field(default_factory=dict)
    """Literal text the sentence must hold, per language (a list of months)."""


@dataclass
class Truth:
    """Per step: its month and the sentences (key -> Expect) the data calls for."""
    steps: list[tuple[int, dict[str, Expect]]]
    clients: int
    seed: int


def _runs(months: list[int], every: str) -> str:
    """Reading months as the page must list them: runs of consecutive quarters as 'a–b (each quarter)'."""
    parts, start = [], None
    for i, mo in enumerate(months):
        start = mo if start is None else start
        if i + 1 == len(months) or months[i + 1] - mo != 3:
            parts.append(str(mo) if start == mo else f"{start}–{mo}{every}")
            start = None
    return ", ".join(parts)


def _n(*values, d=0, signed=False):
    return [(v, d, signed) for v in values]


def recompute(clients: int, seed: int, months: int) -> Truth:
    """Every fact of the lesson, from the run's own data (see the module's docstring)."""
    from fatal_remedies.model.model import BenefitModel
    from fatal_remedies.model.run import simulate
    from fatal_remedies.model.scenario import load_scenario
    from fatal_remedies.model.states import Event

    c = simulate(SCENARIO, clients, months, seed)
    s = simulate(VERSUS, clients, months, seed)
    sc = load_scenario(SCENARIO)
    switch = min(ch.month for ch in sc.changes)
    last = switch - 1
    start = {k: sc.params[k] for k in CONTROL_LEVERS}
    at = lambda df, m, col: float(df.loc[df.month == m, col].iloc[0])  # noqa: E731
    tot = lambda df, a, b, col: int(round(df.loc[(df.month >= a) & (df.month <= b), col].sum()))  # noqa: E731

    # her, her trust and the algorithm's weights: the same run, step by step, with its events recorded
    m = BenefitModel(sc, n_clients=clients, seed=seed, record_events=True)
    her, trust, weights = None, [], {}
    for _ in range(months):
        m.step()
        trust.append((m.trust.copy(), m.pid.copy()))
        a = m.algorithm
        if a.trained_month == m.month and a.purpose == "fraud":
            weights[m.month] = dict(zip(a.FEATURES, a.learner.coef_[0]))
        if her is None and MIN_CASE_MONTH <= m.month < switch:
            for slot in np.flatnonzero(m.last_wrongful == m.month):
                pid = int(m.pid[slot])
                codes = [code for _, code in m.events.story(pid)]
                if m.carer[slot] and pid < clients and codes.count(Event.SANCTIONED_WRONGFULLY) == 1 \
                        and Event.CHANGE_UNREPORTED in codes:
                    her = (int(slot), pid)
                    break
    if her is None:
        raise SystemExit("walkthrough: no one fits the lesson's rule in this run; its checks assume someone does")
    slot, pid = her
    ev = m.events.story(pid)
    her_trust = [float(tr[slot]) if pids[slot] == pid else float("nan") for tr, pids in trust]
    sanction = min(mo for mo, code in ev if code == Event.SANCTIONED_WRONGFULLY)
    change = max(mo for mo, code in ev if code == Event.CHANGE_UNREPORTED and mo <= sanction)
    flag = max(mo for mo, code in ev if code == Event.FLAGGED and mo <= sanction)

    steps = []
    # 1
    ht, mt = her_trust[11], at(c, 12, "mean_trust")
    steps.append((12, {"meet_regime": Expect(), "meet_who": Expect(_n(clients)), "meet_rule": Expect(_n(13)),
                       "meet_trust": Expect(_n(12) + _n(ht, mt, d=3), way(mt, ht, 3))}))
    # 2
    false, total = tot(c, 1, flag, "false_fraud_flags"), tot(c, 1, flag, "fraud_flags")
    steps.append((flag, {"flag_change": Expect(_n(change)), "flag_her": Expect(_n(flag)),
                         "flag_false": Expect(_n(flag, false, total) + _n(100 * false / total, d=1))}))
    # 3
    w, f = tot(c, 1, sanction, "wrongful_sanctions"), tot(c, 1, sanction, "fraud_sanctions")
    b, a_ = her_trust[sanction - 2], her_trust[sanction - 1]
    tc, tm = at(c, sanction, "trust_carer"), at(c, sanction, "mean_trust")
    steps.append((sanction, {
        "sanction_her": Expect(_n(sanction)),
        "sanction_trust": Expect(_n(sanction - 1, sanction) + _n(b, a_, d=3), way(b, a_, 3)),
        "sanction_count": Expect(_n(sanction, w, f) + _n(100 * w / f, d=1)),
        "sanction_carers": Expect(_n(sanction) + _n(tc, tm, d=3), way(tm, tc, 3))}))
    # 4: the algorithm arrives when the frame's fraud_algorithm column first reads 1
    algo_from = int(c.loc[c.fraud_algorithm > 0, "month"].min())
    retrain = min(mo for mo in weights if sanction < mo < switch)
    wts = weights[retrain]
    top = max(wts, key=lambda k: abs(wts[k]))
    ratio = at(c, retrain, "flag_ratio_carer")
    steps.append((retrain, {
        "learn_retrain": Expect(_n(algo_from, retrain)),
        "learn_weights": Expect(_n(*(wts[k] for k in WATCHED), d=2, signed=True)),
        "learn_top": Expect(_n(wts[top], d=2, signed=True)),
        "learn_ratio": Expect(_n(retrain) + _n(ratio, d=2), way(1.0, ratio, 2))}))
    # 5: the dashboard's quarterly readings and the lever changes, from the frame
    reads = {}
    for mo in range(3, last + 1, 3):
        q = c[(c.month >= max(1, mo - 3)) & (c.month <= mo - 1)]
        reads[mo] = 1000 * q.fraud_sanctions.sum() / max(q.receiving.mean(), 1.0)
    prev = pd.concat([pd.DataFrame([{**start, "month": 0}]), c[["month", *CONTROL_LEVERS]]]).reset_index(drop=True)
    rose = {int(prev.month[i]) for i in range(1, len(prev))
            if any(prev[k][i] > prev[k][i - 1] for k in CONTROL_LEVERS)}
    tightened = sum(1 for mo in reads if mo in rose)
    when = sorted(mo for mo in reads if mo in rose)
    hers = min(mo for mo in reads if mo > sanction)
    first_year = np.mean([v for mo, v in reads.items() if mo <= 12])
    last_year = np.mean([v for mo, v in reads.items() if mo > last - 12])
    trend = way(first_year, last_year, 2)
    lev = []
    for k, scale, d in (("information_burden", 1, 2), ("investigation_capacity", 100, 2),
                        ("sanction_months", 1, 0), ("warehouse_linkage", 1, 2)):
        lev += _n(scale * start[k], scale * at(c, last, k), d=d)
    fw, ff = tot(c, 1, last, "wrongful_sanctions"), tot(c, 1, last, "fraud_sanctions")
    dash = {
        "dash_her": Expect(_n(sanction, hers) + _n(reads[hers], d=2) + _n(hers - 3, hers - 1)),
        "dash_tightened": Expect(_n(last, len(reads), tightened) + _n(sc.params["fraud_tolerance"], d=2)),
        **({"dash_when": Expect(text={"en": _runs(when, " (each quarter)"), "nl": _runs(when, " (elk kwartaal)")})}
           if when else {}),
        "dash_trend": Expect(_n(first_year, last_year, d=2) + _n(last - 11, last), trend),
        "dash_levers": Expect(_n(last) + lev),
        "dash_algorithm": Expect(_n(algo_from)),
        "dash_blind": Expect(_n(ff, fw, last) + _n(100 * fw / ff, d=1)),
        ("dash_loop" if trend == "up" and tightened else "dash_no_loop"): Expect(),
    }
    steps.append((last, dash))
    # 6
    cw, sw_ = tot(c, 1, last, "wrongful_sanctions"), tot(s, 1, last, "wrongful_sanctions")
    ct, st = at(c, last, "mean_trust"), at(s, last, "mean_trust")
    cn, sn = 100 * at(c, last, "non_take_up"), 100 * at(s, last, "non_take_up")
    serv = {"serv_regime": Expect(), "serv_wrongful": Expect(_n(last, cw, sw_), way(cw, sw_, 0)),
            "serv_trust": Expect(_n(last) + _n(ct, st, d=3), way(ct, st, 3)),
            "serv_ntu": Expect(_n(last) + _n(cn, sn, d=1), way(cn, sn, 1))}
    sm = BenefitModel(load_scenario(VERSUS), n_clients=clients, seed=seed, record_events=True)
    for _ in range(months):
        sm.step()
    if int(sm.pid[slot]) != pid:
        serv["serv_her_gone"] = Expect()
    else:
        wr = [mo for mo, code in sm.events.story(pid) if code == Event.SANCTIONED_WRONGFULLY and mo <= last]
        serv["serv_her_sanctioned" if wr else "serv_her_spared"] = Expect(_n(min(wr)) if wr else _n(last))
    steps.append((last, serv))
    # 7
    end = months
    t1, te, se = at(c, 1, "mean_trust"), at(c, end, "mean_trust"), at(s, end, "mean_trust")
    before, after = tot(c, switch - 12, switch - 1, "wrongful_sanctions"), tot(c, switch, switch + 11,
                                                                                 "wrongful_sanctions")
    catch = next((int(mo) for mo, v in zip(c.month, c.mean_trust) if mo >= switch and round(v, 3) >= round(st, 3)),
                 None)
    ne, nse = 100 * at(c, end, "non_take_up"), 100 * at(s, end, "non_take_up")
    rev = {"rev_control_trust": Expect(_n(t1, ct, d=3) + _n(last), way(t1, ct, 3)),
           "rev_sanctions": Expect(_n(switch, before, after, 12), way(before, after, 0)),
           ("rev_stop" if after == 0 else "rev_go_on"): Expect(_n(after, 12) if after else []),
           "rev_trust": Expect(_n(ct, te, d=3) + _n(end), way(ct, te, 3)),
           ("rev_catch" if catch else "rev_no_catch"): Expect(
               _n(st, d=3) + (_n(catch, catch - switch + 1, last) if catch else _n(last, end))),
           "rev_gap": Expect(_n(end) + _n(se, te, d=3), way(se, te, 3)),
           "rev_ntu": Expect(_n(cn, ne, nse, d=1) + _n(last, end), way(cn, ne, 1))}
    steps.append((end, rev))
    return Truth(steps=steps, clients=clients, seed=seed)


def check_sentence(key: str, text: str, exp: Expect, lang: str) -> list[str]:
    """What is wrong with one sentence (empty when it is right)."""
    problems = []
    for value, d, signed in exp.numbers:
        want = fmt(value, lang, d, signed)
        if not re.search(rf"(?<![\d.,]){re.escape(want)}(?![\d]|[.,]\d)", text):
            problems.append(f"expected {want}")
    if lang in exp.text and exp.text[lang] not in text:
        problems.append(f"expected '{exp.text[lang]}'")
    if key in WORDS:
        words = dict(zip(("up", "down", "same"), WORDS[key][1 if lang == "nl" else 0]))
        if words[exp.direction] not in text:
            problems.append(f"expected '{words[exp.direction]}'")
        for d, w in words.items():
            if d != exp.direction and w in text:
                problems.append(f"says '{w}'")
    return problems


def walk(page, base: str, truth: Truth, lang: str, out) -> int:
    """Go through the lesson in `lang`; print every sentence with OK/FAIL; return the number of FAILs."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    fails = 0
    page.goto(f"{base}/lesson?lang={lang}" if lang != "en" else f"{base}/lesson")
    page.wait_for_selector(".lesson-text", timeout=120_000)
    run_line = page.locator(".lesson-run").inner_text()
    if fmt(truth.clients, lang) not in run_line or str(truth.seed) not in run_line:
        print(f"FAIL [{lang}] the page's run is not {truth.clients} people, seed {truth.seed}: {run_line}", file=out)
        return 1
    counter = page.locator(".lesson-counter")
    if counter.inner_text().split()[1] != "1":  # another walk left the session on a later step
        page.click(".btn-lesson-restart")
        page.wait_for_function("() => /\\b1\\b/.test(document.querySelector('.lesson-counter').innerText)")
    for i, (month, expected) in enumerate(truth.steps):
        if i:
            page.keyboard.press("ArrowRight")
            page.wait_for_function("n => document.querySelector('.lesson-counter').innerText.split(' ')[1] == n",
                                   arg=str(i + 1), timeout=30_000)
            page.wait_for_function("m => document.querySelector('.lesson-month-n').innerText == m", arg=str(month))
        with contextlib.suppress(PlaywrightTimeout):  # the panels follow in later messages; a panel
            page.wait_for_function(  # still on another month after 20 s is reported below
                "m => { const ps = [...document.querySelectorAll('.lesson-panel-month')];"
                " return ps.length > 0 && ps.every(p => new RegExp('\\\\b' + m + '$').test(p.innerText.trim())); }",
                arg=str(month), timeout=20_000)
        title = page.locator("h3").first.inner_text()
        print(f"\n[{lang}] step {i + 1}, month {month}: {title}", file=out)
        shown = page.locator(".lesson-month-n").inner_text()
        panels = page.locator(".lesson-panel-month").all_inner_texts()
        bad_panels = [p for p in panels if not re.search(rf"\b{month}$", p.strip())]
        ok = shown == str(month) and panels and not bad_panels
        fails += not ok
        print(f"  {'OK  ' if ok else 'FAIL'} month {month} on the step and on its {len(panels)} panels"
              + ("" if ok else f" (step says {shown}; panels {panels})"), file=out)
        facts = page.locator(".lesson-fact")
        seen = {}
        for j in range(facts.count()):
            el = facts.nth(j)
            seen[el.get_attribute("data-key")] = el.inner_text()
        for key in sorted(set(seen) | set(expected), key=lambda k: list(expected).index(k) if k in expected else 99):
            if key not in expected:
                fails += 1
                print(f"  FAIL {seen[key]}  [the run does not call for '{key}']", file=out)
                continue
            if key not in seen:
                fails += 1
                print(f"  FAIL (missing: the run calls for '{key}')", file=out)
                continue
            problems = check_sentence(key, seen[key], expected[key], lang)
            fails += bool(problems)
            print(f"  {'OK  ' if not problems else 'FAIL'} {seen[key]}" + (f"  [{'; '.join(problems)}]"
                                                                          if problems else ""), file=out)
    return fails


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=("en", "nl", "both"), default="both")
    args = ap.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright

        from fatal_remedies.analysis import lesson  # the run's size and seed only, not its facts
        from fatal_remedies.viz import serve
    except ImportError as exc:
        print(f"walkthrough: {exc}", file=sys.stderr)
        return 2
    if not Path("/usr/bin/chromium").exists():
        print("walkthrough: /usr/bin/chromium not found (bash .ci/install-browser.sh)", file=sys.stderr)
        return 2
    truth = recompute(lesson.CLIENTS, lesson.SEED, lesson.MONTHS)
    langs = ("en", "nl") if args.lang == "both" else (args.lang,)
    proc, port = serve.start()
    fails = 0
    try:
        serve.wait_until_up("127.0.0.1", port, proc=proc, timeout=90)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for lang in langs:
                fails += walk(page, f"http://127.0.0.1:{port}", truth, lang, sys.stdout)
            browser.close()
    finally:
        serve.stop(proc)
    n = sum(len(e) + 1 for _, e in truth.steps) * len(langs)
    print(f"\nwalkthrough: {n - fails} of {n} checks OK, {fails} FAIL")
    return 1 if fails else 0


if __name__ == "__main__":
    raise SystemExit(main())

