"""Calibration of the uncertain parameters to the public figures in `analysis.targets`.

Run it as::

    python -m fatal_remedies.analysis.calibrate [--reps R] [--clients N] [--lhs K] [--maxfev F] [--seed S] [--workers W]

It writes `docs/calibration.json` and `docs/calibration.md` (a short table).
Everything is seeded, so the same command gives the same numbers, with any
number of worker processes (the runs go through `analysis.runner`). The
replicate seeds are `model.seeds.replicate_seeds` of the master seed (fit)
and of the master seed + 1 (goodness of fit); the report lists them.

Method (docs/VALIDATION.md, "Calibration", explains the choices):

1. Loss. For parameter values theta, run the `control` scenario (and
   `baseline` for the national non-take-up target) with R fixed replicate
   seeds, the same seeds for every theta (common random numbers, so the loss
   surface is not re-drawn at every evaluation). Average each target figure
   over the replicates, and sum the squared distances to the targets in units
   of half the tolerance band:  L(theta) = sum_t ((mean_t - target_t) / h_t)^2.
   L < 1 means every target within its band.
2. Global search and plausible ranges (ABC rejection on an emulator). A
   Latin hypercube of K points over the search box, one replicate each. The
   points whose every fitted target falls within its band are accepted
   directly (plain ABC rejection; few are, in a 4-dimensional box). To
   map the whole plausible region, a quadratic response surface
   (emulator) of each target is fitted to the K points by least squares,
   200,000 uniform draws from the box are pushed through the emulators, and
   the draws whose every predicted target falls within its band are
   accepted; the 2.5-97.5% quantiles of the accepted draws are each
   parameter's plausible range (history matching in the sense of Craig et
   al. 1997, with the tolerance bands as the implausibility cut-off).
3. Local refinement. Nelder-Mead (scipy.optimize.minimize) on the
   replicate-mean loss from the best hypercube point, in coordinates scaled
   to the search box.
4. Fitted values are rounded to 2 significant digits (the precision they
   deserve) and the goodness of fit is measured at the rounded values with a
   fresh set of seeds (so the fit is not judged on the seeds it was tuned to).
5. Local ranges. A finite-difference Jacobian J of the target figures at the
   fitted values; treating each band as a 95% interval of a normal error on
   its target (sd = h_t / 1.96), the Laplace approximation gives the
   parameter covariance (J' W J)^-1, W = diag(1.96^2 / h_t^2), and +-1.96 sd
   is the local 95% range of each parameter.

The rates are scale-free, so the fit runs at a few thousand people; the
Rotterdam-scale check is `fatal-remedies validate --clients 56000`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from fatal_remedies.analysis.runner import run_tasks
from fatal_remedies.analysis.targets import TARGETS, Target, scenarios_needed, target_metrics
from fatal_remedies.model import params as P
from fatal_remedies.model.seeds import replicate_seeds

SEARCH_BOX: dict[str, tuple[float, float]] = {
    "life_event_rate": (0.005, 0.06),
    "late_disclosure": (0.02, 0.40),
    "late_fine_share": (0.05, 0.95),
    "giveup_rate": (0.0002, 0.006),
}
"""The parameters fitted and the box searched (inside the registry's hard bounds).

Why these four: each moves one target most (life_event_rate: how many
irregularities arise, hence what investigations find and how many claims
follow; late_disclosure: how fast the unreported changes are disclosed and
repaid, the bulk of the claims; late_fine_share: the fined share of those
claims; giveup_rate: non-take-up). takeup_rate is held at its default:
non-take-up pins only the ratio of leaving to (re)applying, not both.
"""

PRE_CALIBRATION: dict[str, float] = {
    "life_event_rate": 0.015, "late_disclosure": 0.15, "late_fine_share": 0.5, "giveup_rate": 0.0013,
}
"""The registry defaults before this calibration (plausible guesses), kept as the 'before' of the fit.

The calibration never starts from, or depends on, the registry's current
defaults (which are its own earlier result), so re-running it gives the
same numbers.
"""

FITTED = tuple(t for t in TARGETS if t.fitted)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "calibration.json"


def round_sig(x: float, digits: int = 2) -> float:
    """`x` rounded to `digits` significant digits."""
    if x == 0 or not math.isfinite(x):
        return x
    return float(round(x, digits - 1 - int(math.floor(math.log10(abs(x))))))


def _target_figures(scenario: str, clients: int, months: int, seed: int,
                    theta: dict[str, float]) -> dict[str, float]:
    """One run's target figures (a runner task: module-level, so it pickles)."""
    from fatal_remedies.model.run import simulate

    return target_metrics(simulate(scenario, clients=clients, months=months, seed=seed,
                                   overrides=theta))


class Evaluator:
    """Runs the target scenarios with fixed seeds and returns replicate-mean target figures.

    Every call with the same parameter values and seeds gives the same result
    (common random numbers). Evaluations are cached and counted. The runs of
    one evaluation go to the runner: in this process (`workers=1`) or to
    `executor` (one pool for the whole calibration).
    """

    def __init__(self, clients: int, months: int, seeds: list[int],
                 targets: tuple[Target, ...] = FITTED, log: Callable[[str], None] | None = None,
                 workers: int = 1, executor=None):
        self.clients = clients
        self.months = months
        self.seeds = list(seeds)
        self.targets = targets
        self.scenarios = scenarios_needed(targets)
        self.log = log or (lambda _s: None)
        self.workers = workers
        self.executor = executor
        self.n_runs = 0
        self._cache: dict[tuple, dict[str, Any]] = {}

    def per_rep(self, theta: dict[str, float], seeds: list[int] | None = None) -> pd.DataFrame:
        """Target figures per replicate: one row per seed, one column per target key."""
        seeds = self.seeds if seeds is None else seeds
        tasks = [(sc, self.clients, self.months, s, theta) for s in seeds for sc in self.scenarios]
        figures = iter(run_tasks(_target_figures, tasks, workers=self.workers,
                                 executor=self.executor))
        self.n_runs += len(tasks)
        rows = []
        for s in seeds:
            row: dict[str, float] = {"seed": s}
            for sc in self.scenarios:
                vals = next(figures)
                for t in self.targets:
                    if t.scenario == sc:
                        row[t.key] = vals[t.key]
            rows.append(row)
        return pd.DataFrame(rows)

    def means(self, theta: dict[str, float], seeds: list[int] | None = None) -> dict[str, float]:
        key = (tuple(sorted(theta.items())), tuple(self.seeds if seeds is None else seeds))
        if key not in self._cache:
            df = self.per_rep(theta, seeds)
            self._cache[key] = {t.key: float(df[t.key].mean()) for t in self.targets}
        return self._cache[key]

    def loss(self, theta: dict[str, float], seeds: list[int] | None = None) -> float:
        return loss_of(self.means(theta, seeds), self.targets)


def loss_of(values: dict[str, float], targets=FITTED) -> float:
    """Sum of squared distances to the targets in half-band units (inf if any is undefined)."""
    total = 0.0
    for t in targets:
        x = values[t.key]
        if not math.isfinite(x):
            return float("inf")
        total += ((x - t.value) / t.half_width) ** 2
    return total


def _to_theta(u: np.ndarray, names: list[str]) -> dict[str, float]:
    return {n: float(SEARCH_BOX[n][0] + np.clip(ui, 0, 1) * (SEARCH_BOX[n][1] - SEARCH_BOX[n][0]))
            for n, ui in zip(names, u)}


def _to_unit(theta: dict[str, float], names: list[str]) -> np.ndarray:
    return np.array([(theta[n] - SEARCH_BOX[n][0]) / (SEARCH_BOX[n][1] - SEARCH_BOX[n][0]) for n in names])


def lhs_stage(ev: Evaluator, n_points: int, seed: int) -> pd.DataFrame:
    """Latin hypercube over SEARCH_BOX, one replicate per point (ABC rejection design)."""
    from scipy.stats import qmc

    names = list(SEARCH_BOX)
    U = qmc.LatinHypercube(d=len(names), seed=seed).random(n_points)
    rows = []
    rep_seed = ev.seeds[:1]
    t0 = time.time()
    for i, u in enumerate(U):
        theta = _to_theta(u, names)
        vals = ev.means(theta, rep_seed)
        rows.append({**theta, **vals, "loss": loss_of(vals, ev.targets),
                     "accepted": all(t.inside(vals[t.key]) for t in ev.targets)})
        if (i + 1) % 20 == 0:
            ev.log(f"  LHS {i + 1}/{n_points} ({time.time() - t0:.0f} s)")
    return pd.DataFrame(rows)


def _quad_features(U: np.ndarray) -> np.ndarray:
    n, d = U.shape
    cols = [np.ones(n)] + [U[:, i] for i in range(d)] + [U[:, i] * U[:, j] for i in range(d) for j in range(i, d)]
    return np.column_stack(cols)


def emulator_ranges(design: pd.DataFrame, targets=FITTED, draws: int = 200_000,
                    seed: int = 0) -> dict[str, Any]:
    """Quadratic emulators of the targets and the region where all predicted targets are in band."""
    names = list(SEARCH_BOX)
    U = np.vstack([_to_unit({n: r[n] for n in names}, names) for _, r in design.iterrows()])
    A = _quad_features(U)
    ok = np.isfinite(design[[t.key for t in targets]].to_numpy()).all(axis=1)
    rng = np.random.default_rng(seed)
    V = rng.random((draws, len(names)))
    B = _quad_features(V)
    accept = np.ones(draws, bool)
    fit = {}
    for t in targets:
        y = design[t.key].to_numpy()[ok]
        coef, *_ = np.linalg.lstsq(A[ok], y, rcond=None)
        resid = y - A[ok] @ coef
        r2 = 1 - resid.var() / y.var() if y.var() > 0 else float("nan")
        dof = y.size - A.shape[1]
        sd = float(np.sqrt((resid ** 2).sum() / dof)) if dof > 0 else float("nan")
        fit[t.key] = {"r2": float(r2), "residual_sd": sd}
        pred = B @ coef
        accept &= (pred >= t.lo) & (pred <= t.hi)
    acc = V[accept]
    ranges = {}
    for j, n in enumerate(names):
        lo_b, hi_b = SEARCH_BOX[n]
        if acc.shape[0] >= 20:
            q = np.quantile(acc[:, j], [0.025, 0.5, 0.975])
            ranges[n] = {"q025": float(lo_b + q[0] * (hi_b - lo_b)), "median": float(lo_b + q[1] * (hi_b - lo_b)),
                         "q975": float(lo_b + q[2] * (hi_b - lo_b))}
        else:
            ranges[n] = None
    return {"draws": draws, "accepted": int(accept.sum()), "accepted_share": float(accept.mean()),
            "emulators": fit, "ranges": ranges}


def refine(ev: Evaluator, start: dict[str, float], maxfev: int) -> tuple[dict[str, float], Any]:
    """Nelder-Mead on the replicate-mean loss, in box-scaled coordinates."""
    from scipy.optimize import minimize

    names = list(SEARCH_BOX)
    u0 = _to_unit(start, names)
    d = len(names)
    simplex = np.vstack([u0] + [u0 + 0.08 * np.eye(d)[i] * (1 if u0[i] < 0.9 else -1) for i in range(d)])
    calls = {"n": 0}

    def f(u):
        calls["n"] += 1
        val = ev.loss(_to_theta(u, names))
        if calls["n"] % 10 == 0:
            ev.log(f"  Nelder-Mead evaluation {calls['n']}: loss {val:.3f}")
        return val

    res = minimize(f, u0, method="Nelder-Mead", bounds=[(0.0, 1.0)] * d,
                   options={"initial_simplex": np.clip(simplex, 0, 1), "maxfev": maxfev,
                            "xatol": 0.01, "fatol": 0.02})
    return _to_theta(res.x, names), res


def local_ranges(ev: Evaluator, theta: dict[str, float], seeds: list[int]) -> dict[str, Any]:
    """Laplace-approximation 95% ranges from a central-difference Jacobian (see module doc)."""
    names = list(SEARCH_BOX)
    J = np.zeros((len(ev.targets), len(names)))
    for j, n in enumerate(names):
        h = 0.1 * theta[n]
        up = {**theta, n: min(theta[n] + h, P.get(n).hi)}
        dn = {**theta, n: max(theta[n] - h, P.get(n).lo)}
        mu, md = ev.means(up, seeds), ev.means(dn, seeds)
        for i, t in enumerate(ev.targets):
            J[i, j] = (mu[t.key] - md[t.key]) / (up[n] - dn[n])
    sd_t = np.array([t.half_width / 1.96 for t in ev.targets])
    Jw = J / sd_t[:, None]
    try:
        cov = np.linalg.inv(Jw.T @ Jw)
        sd = np.sqrt(np.clip(np.diag(cov), 0, None))
        corr = cov / np.outer(sd, sd)
    except np.linalg.LinAlgError:
        sd = np.full(len(names), np.nan)
        corr = np.full((len(names), len(names)), np.nan)
    out = {
        "jacobian": {t.key: {n: float(J[i, j]) for j, n in enumerate(names)} for i, t in enumerate(ev.targets)},
        "ranges": {n: [float(max(P.get(n).lo, theta[n] - 1.96 * sd[j])), float(theta[n] + 1.96 * sd[j])]
                   for j, n in enumerate(names)},
        "correlation": {n: {m: float(corr[a, b]) for b, m in enumerate(names)} for a, n in enumerate(names)},
    }
    return out


def goodness_of_fit(ev: Evaluator, theta: dict[str, float], seeds: list[int]) -> dict[str, Any]:
    """Per-target mean and 95% interval over `seeds` at `theta`, and whether it is in the band."""
    from fatal_remedies.analysis.summary import interval

    df = ev.per_rep(theta, seeds)
    rows = {}
    for t in ev.targets:
        mean, lo, hi = interval(df[t.key].tolist())
        rows[t.key] = {"target": t.value, "band": [t.lo, t.hi], "scenario": t.scenario,
                       "mean": mean, "ci95": [lo, hi], "inside": t.inside(mean),
                       "z_half_band": (mean - t.value) / t.half_width}
    means = {k: v["mean"] for k, v in rows.items()}
    return {"targets": rows, "loss": loss_of(means, ev.targets)}


def calibrate(reps: int = 3, clients: int = 6000, months: int = 120, lhs: int = 160,
              maxfev: int = 60, seed: int = 2026, log: Callable[[str], None] = print,
              workers: int = 1) -> dict[str, Any]:
    """Run the whole calibration and return the report (what `docs/calibration.json` holds).

    `workers`: local worker processes for the runs (1: in this process, 0: all
    cores); the result does not depend on it.
    """
    from fatal_remedies.analysis.executors import local_pool, shutdown

    fit_seeds = replicate_seeds(seed, reps)
    check_seeds = replicate_seeds(seed + 1, max(reps, 4))
    pool = None if workers == 1 else local_pool(workers or os.cpu_count() or 1)
    try:
        return _calibrate(reps, clients, months, lhs, maxfev, seed, log, fit_seeds, check_seeds,
                          Evaluator(clients, months, fit_seeds, FITTED, log, workers, pool))
    finally:
        if pool is not None:
            shutdown(pool, wait=True)


def _calibrate(reps, clients, months, lhs, maxfev, seed, log, fit_seeds, check_seeds,
               ev: Evaluator) -> dict[str, Any]:
    t_start = time.time()
    old = dict(PRE_CALIBRATION)
    registry = {n: P.get(n).default for n in SEARCH_BOX}

    log(f"calibration: {clients:,} people, {months} months, {reps} replicates, seeds from {seed}")
    log("loss at the pre-calibration defaults ...")
    loss_old = ev.loss(old)
    log(f"  {loss_old:.3f}")
    log(f"stage 1: Latin hypercube, {lhs} points x 1 replicate")
    design = lhs_stage(ev, lhs, seed)
    acc = design[design["accepted"]]
    best_row = design.sort_values("loss").iloc[0]
    start = {n: float(best_row[n]) for n in SEARCH_BOX}
    log(f"  accepted {len(acc)} of {lhs}; best hypercube loss (1 rep) {best_row['loss']:.3f}")
    emu = emulator_ranges(design, FITTED, seed=seed)
    log(f"  emulator: {emu['accepted']:,} of {emu['draws']:,} draws in band; R2 "
        + ", ".join(f"{k} {v['r2']:.2f}" for k, v in emu["emulators"].items()))
    log(f"stage 2: Nelder-Mead from the best point, up to {maxfev} evaluations x {reps} replicates")
    theta, res = refine(ev, start, maxfev)
    fitted = {n: round_sig(v, 2) for n, v in theta.items()}
    log(f"  loss {res.fun:.3f} after {res.nfev} evaluations; rounded fit {fitted}")
    log("stage 3: goodness of fit at the rounded values with fresh seeds; local ranges")
    gof = goodness_of_fit(ev, fitted, check_seeds)
    gof_old = goodness_of_fit(ev, old, check_seeds)
    local = local_ranges(ev, fitted, fit_seeds)

    params_out = {}
    for n in SEARCH_BOX:
        params_out[n] = {
            "old_default": old[n],
            "registry_default_when_run": registry[n],
            "fitted": fitted[n],
            "unrounded": theta[n],
            "search_box": list(SEARCH_BOX[n]),
            "abc_range": [float(acc[n].min()), float(acc[n].max())] if len(acc) else None,
            "abc_median": float(acc[n].median()) if len(acc) else None,
            "emulator_range_95": ([emu["ranges"][n]["q025"], emu["ranges"][n]["q975"]]
                                  if emu["ranges"][n] else None),
            "emulator_median": emu["ranges"][n]["median"] if emu["ranges"][n] else None,
            "local_95_range": local["ranges"][n],
        }
    return {
        "method": ("Latin hypercube (scipy.stats.qmc) with ABC rejection on the tolerance bands, "
                   "then Nelder-Mead (scipy.optimize.minimize) on the replicate-mean squared "
                   "half-band loss with common random numbers; Laplace ranges from a "
                   "central-difference Jacobian. See analysis/calibrate.py and docs/VALIDATION.md."),
        "settings": {"clients": clients, "months": months, "reps": reps, "lhs_points": lhs,
                     "maxfev": maxfev, "seed": seed, "fit_seeds": fit_seeds,
                     "check_seeds": check_seeds, "scenarios": ev.scenarios},
        "held_fixed": {"takeup_rate": P.get("takeup_rate").default,
                       "record_error_rate": P.get("record_error_rate").default},
        "params": params_out,
        "targets": {t.key: {"label": t.label, "value": t.value, "band": [t.lo, t.hi],
                            "scenario": t.scenario, "source": t.source} for t in FITTED},
        "loss_old_defaults_fit_seeds": loss_old,
        "nelder_mead": {"loss": float(res.fun), "nfev": int(res.nfev), "message": str(res.message)},
        "abc": {"points": int(lhs), "accepted": int(len(acc)),
                "accepted_points": acc[list(SEARCH_BOX) + [t.key for t in FITTED]].to_dict("records")},
        "emulator": {k: v for k, v in emu.items() if k != "ranges"},
        "design": design.to_dict("records"),
        "goodness_of_fit": gof,
        "goodness_of_fit_old_defaults": gof_old,
        "local": {"jacobian": local["jacobian"], "correlation": local["correlation"]},
        "model_runs": ev.n_runs,
        "runtime_s": round(time.time() - t_start, 1),
    }


def markdown(report: dict[str, Any]) -> str:
    """The short markdown tables of a calibration report."""
    s = report["settings"]
    lines = [
        "# Calibration result",
        "",
        f"{s['clients']:,} people, {s['months']} months, {s['reps']} replicates (common random numbers), "
        f"{s['lhs_points']} hypercube points, seed {s['seed']}; {report['model_runs']} model runs, "
        f"{report['runtime_s']:.0f} s. Method: see docs/VALIDATION.md.",
        "",
        "| parameter | old default | fitted | plausible range (emulator ABC, 95%) | local 95% range | directly accepted points |",
        "|---|---|---|---|---|---|",
    ]
    for n, p in report["params"].items():
        abc = "none accepted" if p["abc_range"] is None else f"{p['abc_range'][0]:.3g} - {p['abc_range'][1]:.3g}"
        loc = p["local_95_range"]
        emr = p.get("emulator_range_95")
        emu_txt = "none" if not emr else f"{emr[0]:.3g} - {emr[1]:.3g}"
        lines.append(f"| {n} | {p['old_default']:g} | {p['fitted']:g} | {emu_txt} | {loc[0]:.3g} - {loc[1]:.3g} | {abc} |")
    lines += [
        "",
        f"Direct ABC: {report['abc']['accepted']} of {report['abc']['points']} hypercube points accepted; "
        f"emulator ABC: {report['emulator']['accepted_share']:.1%} of {report['emulator']['draws']:,} draws "
        "(emulator R2: " + ", ".join(f"{k} {v['r2']:.2f}" for k, v in report["emulator"]["emulators"].items()) + ").",
        "",
        "| target | scenario | target (band) | old defaults | fitted: mean [95% CI] | inside |",
        "|---|---|---|---|---|---|",
    ]
    g, g0 = report["goodness_of_fit"]["targets"], report["goodness_of_fit_old_defaults"]["targets"]
    for k, r in g.items():
        lines.append(
            f"| {k} | {r['scenario']} | {r['target']:g} ({r['band'][0]:g}-{r['band'][1]:g}) | "
            f"{g0[k]['mean']:.3g} | {r['mean']:.3g} [{r['ci95'][0]:.3g}, {r['ci95'][1]:.3g}] | "
            f"{'yes' if r['inside'] else 'NO'} |"
        )
    lines += ["", f"Loss (sum of squared half-band distances): old defaults "
              f"{report['goodness_of_fit_old_defaults']['loss']:.2f}, fitted "
              f"{report['goodness_of_fit']['loss']:.2f}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fatal_remedies.analysis.calibrate", description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3, help="replicates per evaluation (default 3)")
    ap.add_argument("--clients", type=int, default=6000, help="people per run (default 6000)")
    ap.add_argument("--months", type=int, default=120, help="months per run (default 120)")
    ap.add_argument("--lhs", type=int, default=160, help="Latin hypercube points (default 160)")
    ap.add_argument("--maxfev", type=int, default=60, help="Nelder-Mead evaluations (default 60)")
    ap.add_argument("--seed", type=int, default=2026, help="master seed (default 2026)")
    ap.add_argument("--workers", type=int, default=1,
                    help="local worker processes (default 1: in this process; 0: all cores)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON output (a .md is written beside it)")
    a = ap.parse_args(argv)
    for name, v, lo in (("--reps", a.reps, 1), ("--clients", a.clients, 500), ("--months", a.months, 12),
                        ("--lhs", a.lhs, 4), ("--maxfev", a.maxfev, 1), ("--workers", a.workers, 0),
                        ("--seed", a.seed, 0)):
        if v < lo:
            print(f"calibrate: error: {name} must be at least {lo}, got {v}", file=sys.stderr)
            return 2
    if a.out.suffix.lower() != ".json":
        print(f"calibrate: error: --out must end in .json, got '{a.out}'", file=sys.stderr)
        return 2
    report = calibrate(a.reps, a.clients, a.months, a.lhs, a.maxfev, a.seed,
                       log=lambda s: print(s, file=sys.stderr, flush=True), workers=a.workers)
    from fatal_remedies.model.files import atomic_write_text

    atomic_write_text(a.out, json.dumps(report, indent=2, default=float) + "\n")
    md = a.out.with_suffix(".md")
    atomic_write_text(md, markdown(report))
    print(markdown(report))
    print(f"wrote {a.out} and {md}", file=sys.stderr)
    return 0


def _light_main_for_workers() -> None:
    """Give spawned worker processes a light main module to re-run (issue 13: no orphans).

    `python -m fatal_remedies.analysis.calibrate` runs this file as `__main__`,
    and multiprocessing's spawn makes every worker process re-run the main
    module before anything else, here numpy, pandas, scipy and the model:
    seconds on a busy machine, during which the worker has not yet asked to
    end with its parent (`executors.worker_init` runs only after that). A
    kill -9 of the calibration in those seconds left its workers running for
    longer than the 5 s the kill -9 test allows (tests/test_orphans.py). So
    the workers are told that the main module is `analysis.executors` (small,
    no side effects), and the calibration runs from the module proper, whose
    functions pickle under their real name instead of `__main__`.
    """
    import importlib.util

    sys.modules["__main__"].__spec__ = importlib.util.find_spec("fatal_remedies.analysis.executors")


if __name__ == "__main__":  # pragma: no cover
    _light_main_for_workers()
    from fatal_remedies.analysis.calibrate import main as _main

    sys.exit(_main())
