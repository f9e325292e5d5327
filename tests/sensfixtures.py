"""Result directories for the Sensitivity page's tests, written by hand in the formats of
/work/prompts/contract11.md (a paired sweep's `analysis/verdict.csv` and `diff_` outcomes, the PRIM
files of `fatal-remedies discover`, and an `optimize` directory), so the page's views are tested
without running a sweep or a search."""

from __future__ import annotations

import json
from pathlib import Path

VERDICT = [
    # outcome, metric, better, scenario, versus, n_points, n_tied, share_better, ci_low, ci_high, mean_diff, unit
    ("diff_wrongful_sanctions_total", "wrongful_sanctions_total", "lower", "control", "service", 40, 0, 0.875,
     0.738, 0.945, -12.34, "count"),
    ("diff_final_mean_trust", "final_mean_trust", "higher", "control", "service", 40, 0, 0.625, 0.468, 0.76,
     0.0421, "0-1"),
    ("diff_gave_up_total", "gave_up_total", "lower", "control", "service", 40, 3, 0.4, 0.263, 0.555, 1.5, "people"),
]
MORRIS = [
    # parameter, mu_star, mu_star_conf (deliberately not in order)
    ("deterrence", 2.5, 0.75),
    ("report_skill", 9.25, 1.5),
    ("giveup_rate", 0.5, 0.6),
    ("initial_trust", 4.0, 2.0),
]
DELTA = [("deterrence", 0.12, 0.03), ("report_skill", 0.31, 0.05), ("giveup_rate", 0.05, 0.04),
         ("initial_trust", 0.2, 0.06)]
BOX = [("report_skill", 0.6, 0.7125, "probability"), ("deterrence", 6.5, 10.0, "per yearly investigation chance")]
BOX_QUALITY = (0.8, 0.6667)

LEVERS = [
    {"name": "information_burden", "lo": 0.0, "hi": 1.0, "integer": False, "unit": "share 0-1"},
    {"name": "sanction_months", "lo": 0, "hi": 24, "integer": True, "unit": "months"},
    # a choice lever is searched as the index of its choice and written by the choice's name (OPTIMIZE.md)
    {"name": "sanction_regime", "lo": 0, "hi": 1, "integer": True, "unit": "choice",
     "choices": ["all_or_nothing", "proportional"]},
]
OBJECTIVES = [
    {"metric": "wrongful_sanctions_total", "sense": "min", "unit": "count"},
    {"metric": "reintegrated_total", "sense": "max", "unit": "count"},
    {"metric": "net_cost_eur_total", "sense": "min", "unit": "EUR"},
]
PARETO = [
    # policy, information_burden, sanction_months, wrongful, reintegrated, net cost, sanction_regime
    (3, 0.15, 0, 2.0, 110.0, 9.1e6, "proportional"),
    (7, 0.45, 6, 9.5, 120.0, 8.7e6, "all_or_nothing"),
    (12, 0.8, 12, 21.0, 131.0, 8.2e6, "all_or_nothing"),
    (15, 0.3, 2, 5.25, 114.0, 8.95e6, "proportional"),
]


def _csv(path: Path, header: str, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + "".join(",".join(str(v) for v in r) + "\n" for r in rows))


def paired_sweep(root: Path, name: str = "paired-demo") -> Path:
    """A paired Morris sweep of control against service, analysed and discovered."""
    d = root / name
    d.mkdir(parents=True)
    (d / "manifest.json").write_text(json.dumps({
        "method": "morris", "samples": 4, "reps": 1, "clients": 500, "months": 24, "seed": 1,
        "scenario": {"name": "control"}, "versus": "service", "versus_scenario": {"name": "service"},
        "n_points": 20,
        "factors": [{"name": n, "lo": 0.0, "hi": 1.0} for n, *_ in MORRIS],
    }))
    _csv(d / "analysis" / "verdict.csv",
         "outcome,metric,better,scenario,versus,n_points,n_tied,share_better,ci_low,ci_high,mean_diff,unit", VERDICT)
    rows = [("diff_wrongful_sanctions_total", p, m * 0.5, m, c, m * 0.3) for p, m, c in MORRIS]
    rows += [("wrongful_sanctions_total", p, m, m * 2, c, m) for p, m, c in MORRIS]
    _csv(d / "analysis" / "morris_indices.csv", "outcome,parameter,mu,mu_star,mu_star_conf,sigma", rows)
    _csv(d / "analysis" / "delta_indices.csv",
         "outcome,parameter,delta,delta_conf,delta_balanced,S1,S1_conf,points",
         [("diff_wrongful_sanctions_total", p, v, c, v, v / 2, c, 20) for p, v, c in DELTA])
    tag = "diff_wrongful_sanctions_total_gt_0"
    _csv(d / "discovery" / f"prim_boxes_{tag}.csv", "box,parameter,lo,hi,sweep_lo,sweep_hi,qp,unit",
         [(1, p, lo, hi, 0.0, 10.0, 0.01, unit) for p, lo, hi, unit in BOX])
    cov, den = BOX_QUALITY
    _csv(d / "discovery" / f"prim_trajectory_{tag}.csv", "box,step,coverage,density,mass,res_dim,selected",
         [(1, 0, 1.0, 0.125, 1.0, 0, False), (1, 1, cov, den, 0.15, 2, True), (1, 2, 0.4, 0.9, 0.05, 2, False)])
    return d


def optimize_result(root: Path, name: str = "optimize-demo") -> Path:
    """An `optimize` result directory: manifest, pareto.csv and convergence.csv."""
    d = root / name
    d.mkdir(parents=True)
    (d / "manifest.json").write_text(json.dumps({
        "kind": "optimize", "scenario": "control", "scenario_dict": {"name": "control"},
        "levers": LEVERS, "objectives": OBJECTIVES, "robustness": "mean", "uncertainty_samples": 8,
        "uncertainties": ["report_skill", "deterrence"], "reps": 2, "evaluations": 200, "clients": 500,
        "months": 24, "seed": 1, "algorithm": "NSGA2", "versions": {}, "fingerprint": "x", "created": "now",
    }))
    _csv(d / "pareto.csv", "policy,information_burden,sanction_months,wrongful_sanctions_total,"
         "reintegrated_total,net_cost_eur_total,sanction_regime,robustness,seeds,scenario",
         [r + ("mean", "11 12", "control") for r in PARETO])
    _csv(d / "convergence.csv", "evaluations,generation,hypervolume,n_nondominated",
         [(50, 1, 0.2, 3), (100, 2, 0.35, 4)])
    return d
