"""The measured results of issue 10's "must show" list, written to docs/RESULTS.md.

    .venv/bin/python docs/results.py                      # 30,000 people, 10 replicates: docs/RESULTS.md
    .venv/bin/python docs/results.py --clients 3000 --reps 2 --out /tmp/r.md   # a quick look

Every figure is computed here from runs made with the project's own runner
and summaries (`analysis.compare.run_replications`, `analysis.summary`), the
same as `fatal-remedies compare ... --reps R --clients N`, with the same
master seed, so any table can be repeated with the `compare` command quoted
above it. The script only reads runs; nothing here feeds the model.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import pandas as pd

from fatal_remedies.analysis.compare import run_replications
from fatal_remedies.analysis.summary import compare_frames

SEED = 0
MAIN = ("control", "service", "reversal")


def _cell(row: pd.Series) -> str:
    m, lo, hi = row["mean"], row["ci_low"], row["ci_high"]
    if not np.isfinite(m):
        return "n/a"
    fmt = (lambda x: f"{x:,.0f}") if abs(m) >= 100 else (lambda x: f"{x:.3g}")
    if np.isfinite(lo) and np.isfinite(hi):
        return f"{fmt(m)} [{fmt(lo)}, {fmt(hi)}]"
    return fmt(m)


def table(runs: dict[str, list[pd.DataFrame]], metrics: list[str] | None = None) -> str:
    """A markdown table of `compare`'s figures (mean [95% interval]) for `runs`."""
    tidy = compare_frames(runs)
    if metrics is not None:
        tidy = tidy[tidy.metric.isin(metrics)]
    wide = {sc: {r.metric: _cell(r) for _, r in g.iterrows()} for sc, g in tidy.groupby("scenario", sort=False)}
    order = list(dict.fromkeys(tidy.metric))
    names = list(runs)
    out = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    out += [f"| {m} | " + " | ".join(wide[n].get(m, "") for n in names) + " |" for m in order]
    return "\n".join(out)


def monthly(runs: dict[str, list[pd.DataFrame]], col: str, months: list[int]) -> str:
    """Replicate means of a monthly column at some months (those the runs have), one row per run."""
    last = min(int(f.month.max()) for frames in runs.values() for f in frames)
    months = [m for m in months if m <= last]
    out = ["| run | " + " | ".join(f"month {m}" for m in months) + " |", "|---|" + "---|" * len(months)]
    for name, frames in runs.items():
        vals = [np.mean([f.loc[f.month == m, col].iloc[0] for f in frames]) for m in months]
        out.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in vals) + " |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=30_000)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--out", default="docs/RESULTS.md")
    a = ap.parse_args()
    n, r, mo, w = a.clients, a.reps, a.months, a.workers
    t0 = time.perf_counter()

    def rep(scen, overrides: dict[str, Any] | None = None, reps: int = r):
        return run_replications(list(scen), reps, n, mo, seed=SEED, overrides=overrides, workers=w)

    def cmd(scen, sets: str = "", reps: int = r) -> str:
        return (f"`fatal-remedies compare {' '.join(scen)} --reps {reps} --clients {n} --months {mo} "
                f"--seed {SEED}{sets}`")

    main_runs = rep(MAIN)
    equal = rep(("control", "service"), {"investigation_capacity": 0.0035})
    frozen = rep(("control",), {"dashboard": False})
    errors = {rate: rep(("control",), {"record_error_rate": rate}) for rate in (0.005, 0.02)}
    half = max(2, r // 2)
    zrm = {label: rep(("control",), ov, half) for label, ov in (
        ("ZRM noise 0, blanks 0", {"zrm_noise": 0.0, "zrm_blank_rate": 0.0}),
        ("ZRM noise 2, blanks 1", {"zrm_noise": 2.0, "zrm_blank_rate": 1.0}))}
    mixed = rep(("control",), {"network_homophily": 0.0}, half)
    no_mark = rep(("reversal",), {"scar_decay": 1.0}, half)
    secs = time.perf_counter() - t0

    key = ["fraud_flags_total", "false_fraud_flags_total", "wrongful_sanctions_total", "fraud_detected_total"]
    wrong = ["wrongful_sanctions_total", "wrongful_unreported_change_total", "wrongful_data_error_total",
             "wrongful_false_finding_total"]
    council = ["council_issues_raised", "council_issues_adopted", "council_issues_escalated"]
    costs = ["staff_cost_eur_total", "data_cost_eur_total", "investigation_cost_eur_total",
             "objection_cost_eur_total", "compensation_eur_total", "admin_cost_eur_total",
             "benefits_paid_eur_total", "collected_eur_total", "net_cost_eur_total",
             "benefits_not_taken_eur_total", "reintegrated_total", "admin_cost_per_reintegration_eur"]
    trust_groups = ["final_mean_trust", "final_trust_carer", "final_trust_language"]
    err_runs = {"control, record_error_rate 0.005 (halved)": errors[0.005]["control"],
                "control, 0.01 (default)": main_runs["control"],
                "control, 0.02 (doubled)": errors[0.02]["control"]}
    zrm_runs = {"control (default)": main_runs["control"], **{k: v["control"] for k, v in zrm.items()}}
    ci_runs = {**main_runs, "control, dashboard = false": frozen["control"]}

    doc = [
        "# Results: what the model shows with its defaults",
        "",
        f"{n:,} people, {mo} months, {r} replicates with common random numbers (master seed {SEED}); "
        f"the ZRM, homophily and scar rows use {half} replicates. Mean [95% interval]. Made by "
        f"`.venv/bin/python docs/results.py` in {secs / 60:.0f} minutes; each table names the `compare` "
        "command that repeats it. Where a figure says something about the paper's claims, "
        "`docs/VALIDATION.md` and `docs/CLAIMS_SWEEP.md` say how robust it is.",
        "",
        "## The three scenarios",
        "",
        cmd(MAIN),
        "",
        table(main_runs),
        "",
        "## False fraud flags and wrongful sanctions, also at equal investigation capacity",
        "",
        "The default capacities differ: control grows from 0.002 to at most 0.00416 investigations a month "
        "per person receiving, service may use 0.0035 but investigates only caseworkers' signals and tips. "
        "Below both are pinned at 0.0035 (so control cannot grow its capacity):",
        "",
        cmd(("control", "service")) + " and " + cmd(("control", "service"), " --set investigation_capacity=0.0035"),
        "",
        table({"control": main_runs["control"], "service": main_runs["service"],
               "control, capacity 0.0035": equal["control"], "service, capacity 0.0035": equal["service"]},
              key + ["flag_precision"]),
        "",
        "## Control that grows: control_intensity in month 1 and month 120",
        "",
        "`control` has no timed change in its file; its levers move only by its municipality's dashboard. "
        "With the dashboard frozen (`--set dashboard=false`) nothing moves them. "
        + cmd(("control",), " --set dashboard=false"),
        "",
        monthly(ci_runs, "control_intensity", [1, 12, 24, 60, 120]),
        "",
        "## Wrongful sanctions by cause, with record errors halved and doubled",
        "",
        cmd(("control",), " --set record_error_rate=0.005") + " and `=0.02`.",
        "",
        table(err_runs, wrong),
        "",
        "Data quality of the ZRM (noise and blank domains) at both ends of their ranges:",
        "",
        table(zrm_runs, wrong + ["final_self_sufficiency", "reintegrated_total"]),
        "",
        "## Council issues raised, adopted and escalated",
        "",
        table(main_runs, council),
        "",
        "## Costs by component, and administration cost per person back in work",
        "",
        "Net cost counts benefits not paid to eligible people who gave up or never applied as lower "
        "benefits; `benefits_not_taken_eur_total` shows that amount, a cost borne by them, not a saving.",
        "",
        table(main_runs, costs),
        "",
        "## Trust: lost under control, slow to return; groups",
        "",
        monthly(main_runs, "mean_trust", [1, 30, 60, 61, 72, 90, 120]),
        "",
        "Without a lasting mark of a wrongful sanction (`--set scar_decay=1`, reversal):",
        "",
        monthly({"reversal (default)": main_runs["reversal"], "reversal, scar_decay = 1": no_mark["reversal"],
                 "service (default)": main_runs["service"]}, "mean_trust", [60, 72, 90, 120]),
        "",
        "Trust by group under control, with word of mouth within communities (default homophily 0.7) and "
        "mixing everyone (`--set network_homophily=0`):",
        "",
        table({"control (homophily 0.7)": main_runs["control"], "control, homophily 0": mixed["control"]},
              trust_groups + ["wrongful_ratio_carer"]),
        "",
    ]
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(doc))
    print("\n".join(doc))


if __name__ == "__main__":
    main()
