"""The lesson's facts: what one run (the reversal scenario beside service, one seed) shows, step by step.

Why: the lesson used to tell a fixed story whose sentences the charts contradicted (carers "weigh in"
while their weight was near 0, trust "returns slowly" while it rose). Here every number, direction
and comparison the lesson states is computed from the run it shows, and kept with the sentence
that states it: `facts(run)` turns a `LessonRun` (the monthly frames, the municipality's dashboard
readings and lever changes, the algorithm's weights and one person's events) into a `Step` per
lesson step, each a list of `Sentence(key, values)`. The page (viz/pages/lesson.py) only fills the
EN/NL template of each key (viz/i18n_lesson.py) with these values; when the run does not show what
the old story claimed, a different key says what it does show.

The person followed is chosen by a documented rule (`pick_rule`), and the lesson says so when no
one fits it. `docs/walkthrough.py` recomputes every stated number from the run's own data without
this module, so the two can disagree only if one of them is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

SCENARIO = "reversal"
"""Control for five years, then service: the lesson's main run."""
VERSUS = "service"
"""The same people, the same seed, served from the start."""
CLIENTS = 1500
SEED = 11
MONTHS = 120
MIN_CASE_MONTH = 13
"""Her wrongful sanction must come in month 13 or later, so that a year of the control regime precedes it."""
TRUST_DECIMALS = 3
"""Trust (0-1) is stated to 3 decimals; a direction is 'unchanged' when the stated values are equal."""
RATIO_DECIMALS = 2
WEIGHT_DECIMALS = 2
READING_DECIMALS = 2
LEVER_STATED = {"information_burden": (1.0, 2), "investigation_capacity": (100.0, 2),
                "sanction_months": (1.0, 0), "warehouse_linkage": (1.0, 2)}
"""How each control lever is stated: (scale, decimals); investigations per month in per cent of people."""
SHARE_DECIMALS = 1
"""Shares are stated in per cent with one decimal."""
WATCHED_FEATURES = ("carer", "language_barrier", "meetings_last_year")
"""The features the paper names: the carer case, the language barrier, the number of meetings (DIGEST.md 33-44)."""
CONTROL_LEVERS = ("information_burden", "investigation_capacity", "sanction_months", "warehouse_linkage")
"""The levers a control-framed municipality tightens (model.agents.Municipality.CONTROL_LEVERS)."""
STEP_KEYS = ("meet", "flagged", "sanctioned", "learns", "dashboard", "service", "reversal")
"""The seven steps, in order: one person's story; flagged; sanctioned; the algorithm learns; the
dashboard closes the loop; the same people under service; switching back."""
SEED_PASSAGES = {
    # the DIGEST.md passage each step illustrates (section, lines)
    "meet": ("Why it goes wrong: the label is not valid", "33-37"),
    "flagged": ("The setting: the duty to inform (inlichtingenplicht)", "13-17"),
    "sanctioned": ("Why it goes wrong: the label is not valid; norms broken", "33-37, 52-54"),
    "learns": ("Predictive analytics; weak indicators", "26-28, 36-37, 43-44"),
    "dashboard": ("Dashboard; the mechanism the title names", "23-25, 67-72"),
    "service": ("The alternative (dienstverlening); the clients' wishes", "61-63, 74-82"),
    "reversal": ("The mechanism the title names; what the simulation must let people see", "67-72, 87-92"),
}


def pick_rule() -> str:
    """The rule that picks the person the lesson follows (stated on the page and in docs/UI.md)."""
    return ("the first person, in the order the run sanctions them, who is a carer, lives in the "
            f"municipality from month 0, gets a first wrongful sanction in month {MIN_CASE_MONTH} or later "
            "but before the switch to service, and had an unreported change before it; if no one fits, "
            "the first carer wrongfully sanctioned before the switch")


@dataclass
class Her:
    """The person the lesson follows: her slot, traits, events and trust each month."""
    slot: int
    pid: int
    rule: str
    """'full' (fits the whole rule), 'fallback' (the first carer wrongfully sanctioned) or 'none'."""
    traits: dict[str, Any] = field(default_factory=dict)
    events: list[tuple[int, int]] = field(default_factory=list)
    """(month, Event code) under the main run."""
    service_events: list[tuple[int, int]] | None = None
    """(month, Event code) under service; None when her slot holds someone else there."""
    trust: list[float] = field(default_factory=list)
    """Her trust after each month 1..M (NaN once she has left)."""


@dataclass
class LessonRun:
    """Everything the lesson shows of one run: frames, dashboard, levers, algorithm, her."""
    clients: int
    seed: int
    months: int
    switch: int
    ctrl: pd.DataFrame
    serv: pd.DataFrame
    readings: list[dict[str, float]]
    lever_changes: list[dict[str, Any]]
    start_levers: dict[str, Any]
    fraud_tolerance: float
    weights: dict[int, pd.Series]
    her: Her


@dataclass(frozen=True)
class Sentence:
    """One generated sentence: the template key and the values it states."""
    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One lesson step: its key, the month every panel shows, its sentences."""
    key: str
    month: int
    sentences: tuple[Sentence, ...]


# ------------------------------------------------------------------------------------------ the run
def _switch_month(scenario) -> int:
    return min((c.month for c in scenario.changes), default=MONTHS + 1)


def run_lesson(clients: int = CLIENTS, seed: int = SEED, months: int = MONTHS,
               progress: Callable[[float], None] | None = None) -> LessonRun:
    """Run the main scenario and service with one seed, follow her, and keep what the lesson shows."""
    from fatal_remedies.model.model import BenefitModel
    from fatal_remedies.model.run import check_size, resolve
    from fatal_remedies.model.seeds import check_seed
    from fatal_remedies.model.states import Event

    clients, months = check_size(clients, months)
    seed = check_seed(seed)
    sc = resolve(SCENARIO)
    switch = _switch_month(sc)
    m = BenefitModel(sc, n_clients=clients, seed=seed, record_events=True)
    start = {k: m.p[k] for k in CONTROL_LEVERS}
    tolerance = float(m.p["fraud_tolerance"])
    weights: dict[int, pd.Series] = {}
    trust_hist: list[tuple[np.ndarray, np.ndarray]] = []
    found: dict[str, Any] = {}
    for month in range(1, months + 1):
        m.step()
        trust_hist.append((m.trust.astype(np.float64), m.pid.copy()))
        algo = m.algorithm
        if getattr(algo, "trained_month", None) == m.month and algo.purpose == "fraud":
            weights[m.month] = algo.feature_weights()
        if "full" not in found and m.month < switch:
            for s in np.flatnonzero(m.last_wrongful == m.month):
                s = int(s)
                if not m.carer[s]:
                    continue
                pid = int(m.pid[s])
                codes = [c for _, c in m.events.story(pid)]
                if "fallback" not in found:
                    found["fallback"] = (s, pid)
                if (pid < clients and codes.count(Event.SANCTIONED_WRONGFULLY) == 1
                        and Event.CHANGE_UNREPORTED in codes and m.month >= MIN_CASE_MONTH):
                    found["full"] = (s, pid)
                    break
        if progress is not None and month % 10 == 0:
            progress(50.0 * month / months)
    rule = "full" if "full" in found else "fallback" if "fallback" in found else "none"
    slot, pid = found.get(rule, (0, int(trust_hist[0][1][0]) if trust_hist else 0))
    view = m.client(slot) if rule != "none" else None
    traits = dict(view.traits) if view is not None else {}
    events = [(int(mo), int(c)) for mo, c in m.events.story(pid)] if rule != "none" else []
    trust = [float(tr[slot]) if pids[slot] == pid else float("nan") for tr, pids in trust_hist]

    s = BenefitModel(resolve(VERSUS), n_clients=clients, seed=seed, record_events=True)
    for month in range(1, months + 1):
        s.step()
        if progress is not None and month % 10 == 0:
            progress(50.0 + 50.0 * month / months)
    serv_events = None
    if rule != "none" and int(s.pid[slot]) == pid:
        serv_events = [(int(mo), int(c)) for mo, c in s.events.story(pid)]
    ctrl = m.metrics_frame()
    ctrl["her_trust"] = trust
    return LessonRun(clients=clients, seed=seed, months=months, switch=switch, ctrl=ctrl,
                     serv=s.metrics_frame(), readings=[dict(r) for r in m.municipality.readings],
                     lever_changes=[dict(c) for c in m.lever_changes], start_levers=start,
                     fraud_tolerance=tolerance, weights=weights,
                     her=Her(slot=slot, pid=pid, rule=rule, traits=traits, events=events,
                             service_events=serv_events, trust=trust))


# ---------------------------------------------------------------------------------------- the facts
def direction(before: float, after: float, decimals: int) -> str:
    """'up', 'down' or 'same', as the two values read when stated to `decimals` places."""
    a, b = round(float(before), decimals), round(float(after), decimals)
    return "up" if b > a else "down" if b < a else "same"


def quarter_runs(months: list[int], step: int = 3) -> list[list[int]]:
    """Months grouped into runs of consecutive quarters: [3, 6, 9, 15] -> [[3, 9], [15, 15]]."""
    runs: list[list[int]] = []
    for mo in sorted(months):
        if runs and mo - runs[-1][1] == step:
            runs[-1][1] = mo
        else:
            runs.append([mo, mo])
    return runs


def _at(df: pd.DataFrame, month: int, col: str) -> float:
    row = df.loc[df["month"] == month, col]
    return float(row.iloc[0]) if len(row) else float("nan")


def _sum(df: pd.DataFrame, first: int, last: int, col: str) -> int:
    sel = (df["month"] >= first) & (df["month"] <= last)
    return int(round(float(df.loc[sel, col].sum())))


def _share(part: float, whole: float) -> float:
    return round(100.0 * part / whole, SHARE_DECIMALS) if whole > 0 else float("nan")


def _first(events, code, lo=1, hi=10**9) -> int | None:
    ms = [mo for mo, c in events if c == code and lo <= mo <= hi]
    return min(ms) if ms else None


def _last(events, code, lo=1, hi=10**9) -> int | None:
    ms = [mo for mo, c in events if c == code and lo <= mo <= hi]
    return max(ms) if ms else None


def _reading_at(readings, month):
    for r in readings:
        if int(r["month"]) == month:
            return r
    return None


def facts(run: LessonRun) -> list[Step]:
    """The seven steps of the lesson with every sentence's values, computed from `run`."""
    from fatal_remedies.model.states import Event

    c, s, her, sw = run.ctrl, run.serv, run.her, run.switch
    last_ctrl = min(sw - 1, int(c["month"].max()))
    T, R = TRUST_DECIMALS, RATIO_DECIMALS
    steps: list[Step] = []
    first_year = min(MIN_CASE_MONTH - 1, int(c["month"].max()))

    # 1. meet her ------------------------------------------------------------------------------
    sanction = _first(her.events, Event.SANCTIONED_WRONGFULLY, hi=last_ctrl) if her.rule != "none" else None
    meet = [Sentence("meet_regime", {})]
    if her.rule == "none":
        meet.append(Sentence("meet_none", {"n": run.clients, "switch": sw}))
    else:
        meet.append(Sentence("meet_who", {"n": run.clients}))
        meet.append(Sentence("meet_rule" if her.rule == "full" else "meet_fallback", {"min": MIN_CASE_MONTH}))
        ht, mt = round(her.trust[first_year - 1], T), round(_at(c, first_year, "mean_trust"), T)
        meet.append(Sentence("meet_trust", {"month": first_year, "her": ht, "mean": mt,
                                            "cmp": direction(mt, ht, T)}))
    steps.append(Step("meet", first_year, tuple(meet)))
    if her.rule == "none" or sanction is None:
        sanction = last_ctrl  # nobody to follow: the steps below keep to the population

    # 2. flagged ---------------------------------------------------------------------------------
    change = _last(her.events, Event.CHANGE_UNREPORTED, hi=sanction)
    flag = _last(her.events, Event.FLAGGED, hi=sanction)
    month2 = flag if flag is not None else sanction
    fl = []
    if her.rule != "none":
        fl.append(Sentence("flag_change", {"month": change}) if change is not None
                  else Sentence("flag_no_change", {"month": sanction}))
        fl.append(Sentence("flag_her", {"month": flag}) if flag is not None
                  else Sentence("flag_her_unseen", {"month": sanction}))
    false, total = _sum(c, 1, month2, "false_fraud_flags"), _sum(c, 1, month2, "fraud_flags")
    fl.append(Sentence("flag_false", {"month": month2, "false": false, "total": total,
                                      "share": _share(false, total)}))
    steps.append(Step("flagged", month2, tuple(fl)))

    # 3. sanctioned ------------------------------------------------------------------------------
    sa = []
    if her.rule != "none":
        sa.append(Sentence("sanction_her", {"month": sanction}))
        before = round(her.trust[sanction - 2], T) if sanction >= 2 else round(her.trust[0], T)
        after = round(her.trust[sanction - 1], T)
        sa.append(Sentence("sanction_trust", {"before_month": max(1, sanction - 1), "month": sanction,
                                              "before": before, "after": after,
                                              "dir": direction(before, after, T)}))
    w, f = _sum(c, 1, sanction, "wrongful_sanctions"), _sum(c, 1, sanction, "fraud_sanctions")
    sa.append(Sentence("sanction_count", {"month": sanction, "wrongful": w, "fraud": f, "share": _share(w, f)}))
    tc, tm = round(_at(c, sanction, "trust_carer"), T), round(_at(c, sanction, "mean_trust"), T)
    sa.append(Sentence("sanction_carers", {"month": sanction, "carer": tc, "mean": tm, "cmp": direction(tm, tc, T)}))
    steps.append(Step("sanctioned", sanction, tuple(sa)))

    # 4. the algorithm learns --------------------------------------------------------------------
    algo_from = next((int(x["month"]) for x in run.lever_changes
                      if x["lever"] == "algorithm_purpose" and x["new"] == "fraud" and x["month"] < sw), None)
    retrain = next((mo for mo in sorted(run.weights) if sanction < mo < sw), None)
    le = []
    if retrain is None:
        le.append(Sentence("learn_none", {"month": sanction, "switch": sw}))
        month4 = sanction
    else:
        month4 = retrain
        wts = run.weights[retrain]
        le.append(Sentence("learn_retrain", {"month": retrain, "from": algo_from}))
        vals = {f"w_{k}": round(float(wts[k]), WEIGHT_DECIMALS) for k in WATCHED_FEATURES}
        le.append(Sentence("learn_weights", vals))
        top = str(wts.abs().idxmax())
        le.append(Sentence("learn_top", {"feature": top, "weight": round(float(wts[top]), WEIGHT_DECIMALS)}))
        ratio = round(_at(c, retrain, "flag_ratio_carer"), R)
        le.append(Sentence("learn_ratio", {"month": retrain, "ratio": ratio, "cmp": direction(1.0, ratio, R)}))
    steps.append(Step("learns", month4, tuple(le)))

    # 5. the dashboard closes the loop ------------------------------------------------------------
    ctrl_reads = [r for r in run.readings if int(r["month"]) <= last_ctrl]
    da = []
    if her.rule != "none":
        hers = next((r for r in ctrl_reads if int(r["month"]) > sanction), None)
        if hers is not None:
            hm = int(hers["month"])
            da.append(Sentence("dash_her", {"month": hm, "found": round(hers["fraud_found_per_1000"], READING_DECIMALS),
                                            "first": max(1, hm - 3), "last": hm - 1, "sanction": sanction}))
    raised = {int(x["month"]) for x in run.lever_changes
              if x["lever"] in CONTROL_LEVERS and x["month"] <= last_ctrl and float(x["new"]) > float(x["old"])}
    tight = [r for r in ctrl_reads if int(r["month"]) in raised]  # a reading after which a control lever rose
    da.append(Sentence("dash_tightened", {"reads": len(ctrl_reads), "tightened": len(tight),
                                          "tolerance": round(run.fraud_tolerance, READING_DECIMALS),
                                          "last": last_ctrl}))
    if tight:
        da.append(Sentence("dash_when", {"ranges": quarter_runs([int(r["month"]) for r in tight])}))
    first_year = [r["fraud_found_per_1000"] for r in ctrl_reads if int(r["month"]) <= 12]
    last_year = [r["fraud_found_per_1000"] for r in ctrl_reads if int(r["month"]) > last_ctrl - 12]
    if first_year and last_year:
        a, b = round(float(np.mean(first_year)), READING_DECIMALS), round(float(np.mean(last_year)), READING_DECIMALS)
        da.append(Sentence("dash_trend", {"first": a, "last": b, "dir": direction(a, b, READING_DECIMALS),
                                          "from": last_ctrl - 11, "to": last_ctrl}))
    lev: dict[str, Any] = {"last": last_ctrl}
    for k in CONTROL_LEVERS:
        scale, dec = LEVER_STATED[k]
        lev[f"{k}_start"] = round(scale * float(run.start_levers[k]), dec)
        lev[f"{k}_end"] = round(scale * _at(c, last_ctrl, k), dec)
    da.append(Sentence("dash_levers", lev))
    da.append(Sentence("dash_algorithm", {"month": algo_from}) if algo_from is not None
              else Sentence("dash_no_algorithm", {"last": last_ctrl}))
    fw, ff = _sum(c, 1, last_ctrl, "wrongful_sanctions"), _sum(c, 1, last_ctrl, "fraud_sanctions")
    da.append(Sentence("dash_blind", {"fraud": ff, "wrongful": fw, "share": _share(fw, ff), "last": last_ctrl}))
    trend_up = any(x.key == "dash_trend" and x.values["dir"] == "up" for x in da)
    da.append(Sentence("dash_loop" if trend_up and tight else "dash_no_loop", {}))
    steps.append(Step("dashboard", last_ctrl, tuple(da)))

    # 6. the same people under service -----------------------------------------------------------
    cw, swr = _sum(c, 1, last_ctrl, "wrongful_sanctions"), _sum(s, 1, last_ctrl, "wrongful_sanctions")
    se = [Sentence("serv_regime", {}), Sentence("serv_wrongful", {"last": last_ctrl, "control": cw, "service": swr,
                                     "cmp": direction(cw, swr, 0)})]
    ct, st = round(_at(c, last_ctrl, "mean_trust"), T), round(_at(s, last_ctrl, "mean_trust"), T)
    se.append(Sentence("serv_trust", {"last": last_ctrl, "control": ct, "service": st, "cmp": direction(ct, st, T)}))
    cn, sn = (round(100 * _at(df, last_ctrl, "non_take_up"), SHARE_DECIMALS) for df in (c, s))
    se.append(Sentence("serv_ntu", {"last": last_ctrl, "control": cn, "service": sn,
                                    "cmp": direction(cn, sn, SHARE_DECIMALS)}))
    if her.rule != "none":
        if her.service_events is None:
            se.append(Sentence("serv_her_gone", {}))
        else:
            sm = _first(her.service_events, Event.SANCTIONED_WRONGFULLY, hi=last_ctrl)
            se.append(Sentence("serv_her_sanctioned", {"month": sm}) if sm is not None
                      else Sentence("serv_her_spared", {"last": last_ctrl}))
    steps.append(Step("service", last_ctrl, tuple(se)))

    # 7. switching back ----------------------------------------------------------------------------
    end = int(c["month"].max())
    re_ = []
    t1 = round(_at(c, 1, "mean_trust"), T)
    re_.append(Sentence("rev_control_trust", {"first": t1, "last_value": ct, "last": last_ctrl,
                                              "dir": direction(t1, ct, T)}))
    if end >= sw:
        yr = min(12, end - sw + 1)
        before = _sum(c, sw - yr, sw - 1, "wrongful_sanctions")
        after = _sum(c, sw, sw + yr - 1, "wrongful_sanctions")
        re_.append(Sentence("rev_sanctions", {"months": yr, "switch": sw, "before": before, "after": after,
                                              "dir": direction(before, after, 0)}))
        re_.append(Sentence("rev_stop", {}) if after == 0
                   else Sentence("rev_go_on", {"after": after, "months": yr}))
        te = round(_at(c, end, "mean_trust"), T)
        re_.append(Sentence("rev_trust", {"switch": sw, "end": end, "before": ct, "after": te,
                                          "dir": direction(ct, te, T)}))
        catch = next((int(mo) for mo, v in zip(c["month"], c["mean_trust"])
                      if mo >= sw and round(float(v), T) >= st), None)
        re_.append(Sentence("rev_catch", {"level": st, "last": last_ctrl, "month": catch,
                                          "after": catch - sw + 1}) if catch is not None
                   else Sentence("rev_no_catch", {"level": st, "last": last_ctrl, "end": end}))
        se_ = round(_at(s, end, "mean_trust"), T)
        re_.append(Sentence("rev_gap", {"end": end, "reversal": te, "service": se_, "cmp": direction(se_, te, T)}))
        ne, nse = (round(100 * _at(df, end, "non_take_up"), SHARE_DECIMALS) for df in (c, s))
        re_.append(Sentence("rev_ntu", {"end": end, "last": last_ctrl, "before": cn, "after": ne, "service": nse,
                                        "dir": direction(cn, ne, SHARE_DECIMALS)}))
    else:
        re_.append(Sentence("rev_not_reached", {"switch": sw, "end": end}))
    steps.append(Step("reversal", end, tuple(re_)))
    return steps
