"""Which of the paper's claims the model shows, and where each one breaks.

    .venv/bin/python docs/claims_sweep.py                 # writes docs/CLAIMS_SWEEP.md
    .venv/bin/python docs/claims_sweep.py --clients 3000 --reps 2 --out /tmp/x.md

A small one-at-a-time sweep: each claim of the seed paper (DIGEST.md) is a
comparison of runs (control against service, reversal against service, ...)
measured by summary figures; for each claim, the parameter its mechanism
rests on is set to a few values across its sweep range (pinned, `--set`
style) and the claim is judged at each, on the mean over replicates with
common random numbers. Nothing here feeds the model: it reads runs. The
table says at which values a claim holds and where it stops holding.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from fatal_remedies.analysis.runner import run_tasks
from fatal_remedies.model.run import simulate
from fatal_remedies.model.seeds import replicate_seed

Frame = pd.DataFrame


def _sum(f: Frame, col: str) -> float:
    return float(f[col].sum())


def _last(f: Frame, col: str, month: int | None = None) -> float:
    return float(f[col].iloc[-1] if month is None else f.loc[f.month == month, col].iloc[0])


@dataclass(frozen=True)
class ClaimCheck:
    """A claim, the runs it compares, its measure, and the parameter whose values it is swept over."""

    key: str
    claim: str
    scenarios: tuple[str, ...]
    measure: Callable[[dict[str, Frame]], float]
    measure_text: str
    criterion: str
    holds: Callable[[float], bool]
    param: str
    values: tuple[Any, ...]


CHECKS: tuple[ClaimCheck, ...] = (
    ClaimCheck("grows", "Control grows step by step from the dashboard (werkendeweg)",
               ("control",), lambda r: _last(r["control"], "control_intensity")
               - _last(r["control"], "control_intensity", 1),
               "control_intensity month 120 - month 1 in control", "> 0.05", lambda x: x > 0.05,
               "fraud_tolerance", (0.3, 1.0, 3.0, 10.0, 30.0)),
    ClaimCheck("false_flags", "Control flags more innocent people than service",
               ("control", "service"), lambda r: _sum(r["control"], "false_fraud_flags")
               / max(_sum(r["service"], "false_fraud_flags"), 1.0),
               "false fraud flags, control / service", "> 1", lambda x: x > 1.0,
               "signal_false_rate", (0.0001, 0.0005, 0.001, 0.002)),
    ClaimCheck("wrongful", "Control sanctions more people wrongfully than service",
               ("control", "service"), lambda r: _sum(r["control"], "wrongful_sanctions")
               / max(_sum(r["service"], "wrongful_sanctions"), 1.0),
               "wrongful sanctions, control / service", "> 1", lambda x: x > 1.0,
               "intent_accuracy", (0.5, 0.7, 0.9, 1.0)),
    ClaimCheck("trust", "Trust falls under control",
               ("control",), lambda r: _last(r["control"], "mean_trust", 1) - _last(r["control"], "mean_trust"),
               "mean trust in month 1 - month 120, control", "> 0", lambda x: x > 0.0,
               "trust_gain_support", (0.0, 0.03, 0.06, 0.1, 0.2)),
    ClaimCheck("trust_service", "Trust is higher under service than under control",
               ("control", "service"), lambda r: _last(r["service"], "mean_trust")
               - _last(r["control"], "mean_trust"),
               "final mean trust, service - control", "> 0", lambda x: x > 0.0,
               "trust_gain_voice", (0.0, 0.03, 0.08)),
    ClaimCheck("hysteresis", "Trust lost under control returns slowly after switching to service",
               ("reversal", "service"), lambda r: _last(r["service"], "mean_trust", 60)
               - _last(r["reversal"], "mean_trust"),
               "service's trust after 60 months - reversal's 60 months after the switch", "> 0.01",
               lambda x: x > 0.01, "scar_decay", (0.0, 0.01, 0.05, 1.0)),
    ClaimCheck("carers", "Carers are wrongly sanctioned more often than others under control",
               ("control",), lambda r: _last(r["control"], "wrongful_ratio_carer"),
               "wrongful-sanction ratio of carers to others, control", "> 1", lambda x: x > 1.0,
               "complexity_carer", (0.0, 0.2, 0.7, 1.2)),
    ClaimCheck("carers_trust", "Carers end up trusting less than others under control",
               ("control",), lambda r: _last(r["control"], "mean_trust") - _last(r["control"], "trust_carer"),
               "mean trust - carers' trust, control (last month)", "> 0.005", lambda x: x > 0.005,
               "network_homophily", (0.0, 0.5, 0.7, 0.9)),
    ClaimCheck("non_take_up", "Control drives eligible people away from their benefit",
               ("control", "service"), lambda r: _last(r["control"], "non_take_up")
               - _last(r["service"], "non_take_up"),
               "final non-take-up, control - service", "> 0", lambda x: x > 0.0,
               "giveup_burden_sensitivity", (0.0, 0.5, 2.0, 5.0)),
    ClaimCheck("data_quality", "Garbage in: more record errors, more wrongful sanctions from data errors",
               ("control",), lambda r: _sum(r["control"], "wrongful_data_error"),
               "wrongful sanctions from data errors, control", "> 0", lambda x: x > 0.0,
               "record_error_rate", (0.0, 0.005, 0.01, 0.02)),
)


def _one(scenario: str, param: str, value: Any, clients: int, months: int, seed: int) -> Frame:
    return simulate(scenario, clients=clients, months=months, seed=seed, overrides={param: value})


def run(clients: int, months: int, reps: int, seed: int, workers: int) -> pd.DataFrame:
    """Every check at every value: the claim's measure per replicate, and whether the mean holds."""
    tasks = []
    for c in CHECKS:
        for v in c.values:
            for r in range(reps):
                for sc in c.scenarios:
                    tasks.append((sc, c.param, v, clients, months, replicate_seed(seed, r)))
    frames = run_tasks(_one, tasks, workers=workers)
    by = {t: f for t, f in zip(tasks, frames)}
    rows = []
    for c in CHECKS:
        for v in c.values:
            vals = [c.measure({sc: by[(sc, c.param, v, clients, months, replicate_seed(seed, r))]
                               for sc in c.scenarios}) for r in range(reps)]
            mean = float(np.nanmean(vals))
            rows.append({"claim": c.key, "text": c.claim, "measure": c.measure_text, "param": c.param,
                         "value": v, "mean": mean, "min": float(np.nanmin(vals)),
                         "max": float(np.nanmax(vals)), "holds": bool(c.holds(mean))})
    return pd.DataFrame(rows)


def to_markdown(table: pd.DataFrame, clients: int, months: int, reps: int, seed: int, secs: float) -> str:
    from fatal_remedies.model.params import REGISTRY

    out = [
        "# Where the paper's claims hold, and where they break",
        "",
        f"One-at-a-time sweep: {clients:,} people, {months} months, {reps} replicates (common random "
        f"numbers, master seed {seed}), every other parameter at its default; {secs:.0f} s. "
        "Regenerate with `.venv/bin/python docs/claims_sweep.py`. A claim holds at a value when the "
        "replicate mean of its measure passes the test in the heading; min and max are over replicates. "
        "The default value of each parameter is marked (default).",
        "",
    ]
    for c in CHECKS:
        part = table[table.claim == c.key]
        default = REGISTRY[c.param].default
        out += [f"## {c.claim}", "", f"Measure: {c.measure_text}; it holds when the mean is {c.criterion}. "
                f"Swept: `{c.param}`.", "",
                f"| {c.param} | mean | min | max | holds |", "|---|---|---|---|---|"]
        for _, r in part.iterrows():
            mark = " (default)" if r.value == default else ""
            out.append(f"| {r.value:g}{mark} | {r['mean']:.3g} | {r['min']:.3g} | {r['max']:.3g} | "
                       f"{'yes' if r.holds else 'no'} |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=5000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--out", default="docs/CLAIMS_SWEEP.md")
    a = ap.parse_args()
    t = time.perf_counter()
    table = run(a.clients, a.months, a.reps, a.seed, a.workers)
    secs = time.perf_counter() - t
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write(to_markdown(table, a.clients, a.months, a.reps, a.seed, secs) + "\n")
    print(to_markdown(table, a.clients, a.months, a.reps, a.seed, secs))


if __name__ == "__main__":
    main()
