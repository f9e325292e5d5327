"""The validation report: simulated figures next to the public ones, and the seed's claims.

`validation_report(reps, clients, months, seed)` runs, for every replicate
seed (common random numbers, `model.seeds.replicate_seeds`), the runs
of `RUNS`:

- `control` (datasturing, Rotterdam-like practice), keeping the trained
  algorithm's feature importance;
- `baseline` (national practice: random audits), for the non-take-up target;
- `service`, and `service` with `council_data_access = false` (the paired
  run for the council claim); `control` with `council_data_access = true`
  (the same claim where the council has something to raise).

It returns a `ValidationReport` with four tables:

- `targets`: each calibration target (analysis.targets), its source, the
  tolerance band, the simulated mean and 95% interval over the replicates,
  whether the mean falls inside the band (`inside`) and whether the target
  value lies inside the simulated interval (`target_in_ci`);
- `claims`: the seed's qualitative claims, one row per measured piece of
  evidence, with its expectation and whether the evidence agrees;
- `verdicts`: one row per claim with a verdict and a sentence of evidence;
- `scorecard`: the FAIR/FACT/ROBUST/SHARED indicators (analysis.scorecard),
  control and service side by side.

Three modules share the work: this one runs the models and builds the
target and scorecard tables; `analysis.claims` declares the claims as data
and judges them; `analysis.validate_report` draws the tables (the
self-contained HTML page of `ValidationReport.to_html()` and the terminal
tables of the CLI command in `analysis.validate_cli`). `to_frame()` is the
tidy CSV form.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from fatal_remedies.model.errors import UserError

from .claims import evaluate, model_measures, replicate_stat
from .targets import BY_KEY as TARGET_BY_KEY
from .targets import ROTTERDAM_POPULATION, TARGETS, target_metrics

RUNS: dict[str, tuple[str, dict[str, Any]]] = {
    "control": ("control", {}),
    "baseline": ("baseline", {}),
    "service": ("service", {}),
    "service_no_council_access": ("service", {"council_data_access": False}),
    "control_council_access": ("control", {"council_data_access": True}),
}
"""Run label -> (scenario, whole-run overrides). Targets name their run by scenario
(`control`, `baseline`); claims name theirs by label (`analysis.claims`)."""

Task = tuple[str, int, int, int]
"""One run of the report: (run label, clients, months, seed)."""


def _run_one(task: Task) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One run: its metrics frame and the measures the claims read from the model at the end.

    Top level and taking one picklable tuple, so a process pool (or the
    project's runner) can call it.
    """
    from fatal_remedies.model.model import BenefitModel

    label, clients, months, seed = task
    scenario, overrides = RUNS[label]
    model = BenefitModel(scenario, n_clients=clients, seed=seed, overrides=overrides)
    for _ in range(months):
        model.step()
    return model.metrics_frame(), model_measures(model)


def _run_all(tasks: list[Task], workers: int, on_done: Callable[[], None] | None) -> list:
    """Results of `_run_one` for every task, in task order, from the project's one runner."""
    from .runner import run_tasks

    return run_tasks(_run_one, [(t,) for t in tasks], workers=workers, on_done=on_done)


@dataclass
class ValidationReport:
    """The tables of a validation run and the settings that produced them."""

    targets: pd.DataFrame
    claims: pd.DataFrame
    verdicts: pd.DataFrame
    scorecard: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables by name (targets, verdicts, claims, scorecard)."""
        return {"targets": self.targets, "verdicts": self.verdicts, "claims": self.claims,
                "scorecard": self.scorecard}

    def missed(self) -> list[str]:
        """Keys of the targets whose simulated mean falls outside the tolerance band."""
        return self.targets.loc[~self.targets["inside"], "target"].tolist()

    def to_frame(self) -> pd.DataFrame:
        """Tidy long form of the target and claim tables (the CSV output).

        Columns: section, name, measure, scenario, mean, ci_low, ci_high, reps,
        expected, band_low, band_high, ok, source, note.
        """
        rows = []
        for r in self.targets.itertuples():
            rows.append({"section": "target", "name": r.target, "measure": r.label,
                         "scenario": r.scenario, "mean": r.mean, "ci_low": r.ci_low,
                         "ci_high": r.ci_high, "reps": r.reps, "expected": r.value,
                         "band_low": r.band_low, "band_high": r.band_high, "ok": bool(r.inside),
                         "source": r.source, "note": r.note})
        for r in self.claims.itertuples():
            rows.append({"section": "claim", "name": r.claim, "measure": r.measure,
                         "scenario": r.scenario, "mean": r.mean, "ci_low": r.ci_low,
                         "ci_high": r.ci_high, "reps": r.reps, "expected": r.expected,
                         "band_low": float("nan"), "band_high": float("nan"), "ok": bool(r.agrees),
                         "source": "seed paper", "note": r.note})
        for r in self.scorecard.itertuples():
            for sc in ("control", "service"):
                rows.append({"section": "scorecard", "name": r.key, "measure": r.indicator,
                             "scenario": sc, "mean": getattr(r, sc), "ci_low": float("nan"),
                             "ci_high": float("nan"), "reps": self.settings.get("reps"),
                             "expected": r.better, "band_low": float("nan"),
                             "band_high": float("nan"), "ok": r.better_scenario == sc,
                             "source": r.norm, "note": r.definition})
        cols = ["section", "name", "measure", "scenario", "mean", "ci_low", "ci_high", "reps",
                "expected", "band_low", "band_high", "ok", "source", "note"]
        return pd.DataFrame(rows, columns=cols)

    def manifest(self) -> dict[str, Any]:
        """What produced the report: enough to reproduce it (every output carries one)."""
        from fatal_remedies.model.run import manifest

        s = self.settings
        return manifest(None, s["clients"], s["months"], s["seed"], command="validate",
                        reps=s["reps"], replicate_seeds=s["replicate_seeds"], runs=s["runs"])

    def to_html(self) -> str:
        """A self-contained HTML page with every table and its manifest (inline CSS, no scripts)."""
        from .validate_report import html_page

        return html_page(self)


# --------------------------------------------------------------------------- tables
def _targets_table(frames: dict[str, list[pd.DataFrame]]) -> pd.DataFrame:
    rows = []
    for t in TARGETS:
        vals = [target_metrics(f)[t.key] for f in frames[t.scenario]]
        s = replicate_stat(vals)
        mean, lo, hi, n = float(s.mean), float(s.lo), float(s.hi), s.n
        inside = t.inside(mean)
        in_ci = bool(n >= 2 and lo <= t.value <= hi)
        rows.append({
            "target": t.key, "label": t.label, "scenario": t.scenario, "source": t.source,
            "value": t.value, "band_low": t.lo, "band_high": t.hi, "tolerance": t.band_reason,
            "mean": mean, "ci_low": lo, "ci_high": hi, "reps": n, "inside": inside,
            "target_in_ci": in_ci, "role": "calibrated" if t.fitted else "check",
            "note": "" if inside else _miss_reason(t.key, mean),
        })
    return pd.DataFrame(rows)


def _miss_reason(key: str, mean: float) -> str:
    t = TARGET_BY_KEY[key]
    side = "above" if mean > t.hi else "below"
    reasons = {
        "receiving_at_rotterdam_scale": (
            f"the population also counts people back in work and people not taking up; "
            f"{ROTTERDAM_POPULATION:,} people give {mean:,.0f} recipients here, so Rotterdam scale "
            f"(30,000 receiving) is about {ROTTERDAM_POPULATION * 30_000 / mean:,.0f} people; the "
            f"rates do not depend on scale" if mean > 0 else "nobody receives"),
        "final_non_take_up": ("non-take-up drifts during the run; giving up and (re)applying are "
                              "fitted in baseline, control adds trust loss and burden"),
        "investigations_per_30k_per_year": ("capacity counts people receiving; the rule that nobody "
                                            "is investigated twice within 12 months can bind"),
    }
    return f"{side} the band: " + reasons.get(key, "the calibration did not reach the band at this scale")


def _scorecard_table(frames) -> pd.DataFrame:
    from fatal_remedies.analysis.scorecard import INDICATORS, scorecard_summary

    sums = {sc: [scorecard_summary(f) for f in frames[sc]] for sc in ("control", "service")}
    rows = []
    for ind in INDICATORS:
        vals = {}
        for sc in ("control", "service"):
            xs = [s[ind.key] for s in sums[sc] if math.isfinite(s[ind.key])]
            vals[sc] = float(np.mean(xs)) if xs else float("nan")
        c, s = vals["control"], vals["service"]
        if not (math.isfinite(c) and math.isfinite(s)) or c == s:
            better = ""
        else:
            better = ("control" if c > s else "service") if ind.better == "higher" else (
                "control" if c < s else "service")
        rows.append({"norm": ind.norm, "indicator": ind.name, "key": ind.key, "control": c,
                     "service": s, "better": ind.better, "better_scenario": better,
                     "definition": ind.definition})
    return pd.DataFrame(rows)


def check_args(reps: int, clients: int, months: int, workers: int = 1,
               seed: int = 0) -> tuple[int, int]:
    """Validate the report's size and seed before any work (one-line UserError)."""
    from fatal_remedies.model.run import check_size
    from fatal_remedies.model.seeds import check_seed

    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or not 1 <= reps <= 1000:
        raise UserError(f"--reps must be an integer from 1 to 1000, got {reps}")
    clients, months = check_size(clients, months)
    check_seed(seed)
    if clients < 200:
        raise UserError(f"--clients must be at least 200 for a validation report, got {clients}")
    if months < 12:
        raise UserError(f"--months must be at least 12 for a validation report (yearly figures), got {months}")
    from .executors import check_workers

    check_workers(workers)
    return clients, months


def validation_report(reps: int = 3, clients: int = 56_000, months: int = 120, seed: int = 0,
                      workers: int = 1, on_done: Callable[[], None] | None = None) -> ValidationReport:
    """Run the validation and return its tables (see the module docstring).

    Args:
        reps: Replicates (seeds shared by every run: common random numbers).
        clients: People per run; 56,000 is Rotterdam scale (~30,000 receiving under control).
        months: Months per run.
        seed: Master seed of the replicate seeds.
        workers: Local processes (0 = all cores, 1 = in this process).
        on_done: Called after every finished run (progress).
    """
    from fatal_remedies.model import __version__
    from fatal_remedies.model.run import resolve
    from fatal_remedies.model.seeds import replicate_seeds

    clients, months = check_args(reps, clients, months, workers, seed)
    seeds = replicate_seeds(seed, reps)
    tasks = [(label, clients, months, s) for s in seeds for label in RUNS]
    results = dict(zip(((label, s) for label, _, _, s in tasks),
                       _run_all(tasks, workers or os.cpu_count() or 1, on_done)))
    frames = {label: [results[(label, s)][0] for s in seeds] for label in RUNS}
    extras = {label: [results[(label, s)][1] for s in seeds] for label in RUNS}
    runs = {label: resolve(scenario, overrides) for label, (scenario, overrides) in RUNS.items()}
    claims, verdicts = evaluate(frames, extras, runs)
    settings = {"reps": reps, "clients": clients, "months": months, "seed": seed,
                "replicate_seeds": seeds, "runs": {k: {"scenario": v[0], "overrides": v[1]} for k, v in RUNS.items()},
                "version": __version__}
    return ValidationReport(_targets_table(frames), claims, verdicts, _scorecard_table(frames), settings)
