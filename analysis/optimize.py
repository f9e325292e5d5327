"""Robust policy search: which mix of levers does best, whatever the uncertain assumptions are.

`fatal-remedies optimize` searches the registry's policy levers with a
many-objective evolutionary algorithm (pymoo's NSGA-II; NSGA-III for more
than three objectives). Every candidate policy is evaluated on one fixed
sample of uncertainty scenarios (a Latin hypercube of K points over the
registry's uncertainties, drawn from ``--seed``), each with R replicate seeds
from `model.seeds` -- the same K x R runs for every policy (common random
numbers), so two policies differ by their levers, not by their luck. The
searched levers are *pinned* (``--set`` semantics): the municipality's
dashboard does not undo them.

Robustness, per objective, of one policy's K x R results (replicates are
averaged first, per uncertainty point; they measure noise, not uncertainty):

* ``mean``: the mean over the K points.
* ``p90``: the 90th percentile *in the bad direction* (the 90th percentile of
  an objective to minimise, the 10th of one to maximise): how bad it gets in
  the worst tenth of the plausible futures.
* ``regret``: the largest regret over the K points, where the regret at a point
  is how much worse the policy does there than the best policy evaluated at
  that point (in the metric's units; 0 = never beaten). *During the search*
  "best" means the best among the policies evaluated so far (this generation
  included); the values of earlier generations are not revised. *In the final
  table* (`pareto.csv`) regret is computed again against every policy the
  search evaluated, and the non-dominated rows are chosen on those values.

Integer levers are searched as real numbers on ``[lo - 0.499, hi + 0.499]``
and rounded to the nearest integer by a pymoo `Repair` after every variation
(each integer gets the same share of the range); an on/off lever is an
integer 0/1, a choice lever the integer index of its choice. The repaired
vector is what is evaluated, cached and reported.

Resuming: the evaluation cache (``state/evals.jsonl``: one line per model
run, keyed by policy vector, uncertainty point and replicate, appended by
this process as runs finish) and a checkpoint of the optimiser after every
generation (``state/checkpoint.pkl``, pymoo's algorithm with its random
generator, pickled with cloudpickle and written atomically) let ``--resume`` continue a run killed at any
moment (even by SIGKILL): the optimiser asks the killed generation's policies
again, the cache answers the runs already done, and every run is run once.
The results are those of an uninterrupted run, byte for byte.

Evaluations go through the one runner (`analysis.runner`): local worker
processes, or a Dask cluster with ``--scheduler``; ``--workers 1`` runs in
this process. The function per run is injectable (hidden ``--evaluator
module:factory``, as for sweeps; toys in `analysis.optimize_toys`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
import pickle
import sys
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from fatal_remedies.model.errors import UserError

from .design import MAX_RUNS as _SWEEP_MAX_RUNS  # light (no numpy), as --help needs

KIND = "optimize"
ROBUSTNESS = ("mean", "p90", "regret")
SENSES = ("min", "max")
P90 = 90.0
"""Percentile of the bad direction the ``p90`` robustness reports."""
DEFAULT_UNCERTAINTIES = ("fraud_base_rate", "record_error_rate", "investigation_false_finding",
                         "initial_trust", "trust_loss_wrongful", "trust_loss_investigation",
                         "report_skill", "burden_reporting_effect", "life_event_rate", "deterrence")
"""The ten uncertainties the sweep benchmark varies (benchmarks/bench_sweep.py), minus any lever."""

DEFAULTS = {"robustness": "mean", "uncertainty_samples": 8, "reps": 2, "evaluations": 200,
            "population": 20, "clients": 2000, "months": 120, "seed": 1}
"""Defaults of the command line: 200 policies x 8 points x 2 replicates = 3,200 runs."""

MAX_OBJECTIVES = 6
"""Objectives at most (NSGA-III above 3; beyond 6 a Pareto front is mostly non-dominated)."""
MAX_UNCERTAINTY_SAMPLES = 10_000
MAX_REPS = 1_000
MAX_POPULATION = 10_000
MAX_EVALUATIONS = 1_000_000
"""Policies evaluated at most."""
MAX_RUNS = _SWEEP_MAX_RUNS
"""Model runs (evaluations x uncertainty samples x replicates) at most: a sweep's limit."""
HV_REF = 1.1
"""Hypervolume reference point in normalised objectives (0 = best seen, 1 = worst on a front)."""
SBX_ETA, SBX_PROB, PM_ETA = 15.0, 0.9, 20.0
"""pymoo's usual NSGA-II variation: simulated binary crossover and polynomial mutation."""
BATCH_MAX = 25
"""Runs per task at most (a killed run loses at most this many runs per worker)."""

STATE = "state"
CACHE = "evals.jsonl"
CHECKPOINT = "checkpoint.pkl"


class OptimizeError(UserError):
    """An optimize option, directory or result is not acceptable (one-line message)."""


# --------------------------------------------------------------------------- levers, objectives


@dataclass(frozen=True)
class Lever:
    """One searched lever: its range in the search, and how a search value becomes a model value."""

    name: str
    lo: float
    hi: float
    integer: bool
    unit: str
    choices: tuple = ()
    """For a choice lever: the choices, searched as their index 0..n-1."""
    boolean: bool = False

    def search_bounds(self) -> tuple[float, float]:
        if self.integer:
            return self.lo - 0.499, self.hi + 0.499
        return self.lo, self.hi

    def value(self, x: float) -> Any:
        """Model value of a (repaired) search value."""
        if self.boolean:
            return bool(round(x))
        if self.choices:
            return self.choices[int(round(x))]
        if self.integer:
            return int(round(x))
        return float(x)

    def manifest(self) -> dict:
        d = {"name": self.name, "lo": self.lo, "hi": self.hi, "integer": self.integer,
             "unit": self.unit}
        if self.choices:
            d["choices"] = list(self.choices)
        if self.boolean:
            d["boolean"] = True
        return d


@dataclass(frozen=True)
class Objective:
    metric: str
    sense: str
    unit: str
    better: str = "none"
    label: str = ""


def resolve_levers(names: list[str], evaluator=None) -> list[Lever]:
    """Levers from the parameter registry (or a toy evaluator's own `levers` table)."""
    from fatal_remedies.model import params as P

    own = getattr(evaluator, "levers", None) or {}
    out: list[Lever] = []
    for n in names:
        if n in own:
            lo, hi, integer, unit = own[n]
            out.append(Lever(n, float(lo), float(hi), bool(integer), unit))
            continue
        p = P.get(n)  # one line with a suggestion when misspelt
        if p.kind != P.LEVER:
            raise OptimizeError(f"'{n}' is {'a run setting' if p.kind == P.RUN else 'an uncertainty'}"
                                ", not a policy lever; see `fatal-remedies params` for the levers")
        if p.type == "bool":
            out.append(Lever(n, 0.0, 1.0, True, p.unit, boolean=True))
        elif p.type == "choice":
            out.append(Lever(n, 0.0, float(len(p.choices) - 1), True, p.unit, tuple(p.choices)))
        else:
            lo, hi = p.sweep_bounds
            out.append(Lever(n, float(lo), float(hi), p.type == "int", p.unit))
    if not out:
        raise OptimizeError("--levers needs at least one lever, e.g. --levers information_burden,"
                            "investigation_capacity")
    if len({lv.name for lv in out}) != len(out):
        raise OptimizeError("a lever is named twice in --levers")
    return out


def parse_objectives(specs: list[str], evaluator=None) -> tuple[list[Objective], list[str]]:
    """``METRIC:min`` / ``METRIC:max`` items: the objectives, and warnings for a sense that goes
    against the metric registry's `better` direction (the user chooses; we only say so)."""
    from fatal_remedies.model import metrics as M

    own = getattr(evaluator, "metrics", None) or {}
    out, warnings = [], []
    for s in specs:
        name, colon, sense = s.strip().rpartition(":")
        if not colon or not name or sense not in SENSES:
            raise OptimizeError(f"--objectives expects METRIC:min or METRIC:max, got {s.strip()!r}")
        if name in own:
            unit, better = own[name]
            out.append(Objective(name, sense, unit, better, name))
            continue
        m = M.get(name)
        if m.kind not in (M.SUMMARY, M.SCORECARD):
            raise OptimizeError(f"'{name}' is a monthly column, not a figure per run; use a run "
                                "summary such as wrongful_sanctions_total")
        if (m.better == M.LOWER and sense == "max") or (m.better == M.HIGHER and sense == "min"):
            warnings.append(f"objective {name}:{sense} goes against the registry, which says "
                            f"{m.better} is better")
        out.append(Objective(name, sense, m.unit, m.better, m.label_en))
    if not out:
        raise OptimizeError("--objectives needs at least one METRIC:min or METRIC:max")
    if len(out) > MAX_OBJECTIVES:
        raise OptimizeError(f"at most {MAX_OBJECTIVES} objectives, got {len(out)}")
    if len({o.metric for o in out}) != len(out):
        raise OptimizeError("an objective is named twice in --objectives")
    return out, warnings


# --------------------------------------------------------------------------- what one run computes


def _full_cost(frame) -> float:
    from .summary import total

    return total(frame, "net_cost_eur") + total(frame, "benefits_not_taken_eur")


CUSTOM_METRICS: dict[str, Callable] = {"full_cost_eur_total": _full_cost}
"""Run figures the metric registry marks CUSTOM, computed here (model/metrics.py says what they
mean): the full cost counts benefits not taken up, so people giving up is no saving."""


def run_figures(frame) -> dict[str, float]:
    """Every per-run figure an objective may name: summaries, scorecard, the CUSTOM ones above."""
    from .summary import run_metrics

    out = {k: float(v) for k, v in run_metrics(frame).items()}
    out.update({k: float(f(frame)) for k, f in CUSTOM_METRICS.items()})
    return out


class PolicyEvaluator:
    """Default evaluator: run the model with the point's values pinned, return its run figures.

    Picklable (a plain class holding a resolved Scenario) for worker processes and Dask.
    """

    def __init__(self, scenario, clients: int, months: int):
        self.scenario, self.clients, self.months = scenario, int(clients), int(months)

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        from fatal_remedies.model.run import simulate

        return run_figures(simulate(self.scenario, self.clients, self.months, seed, overrides=point))


def _import_factory(path: str):
    from .evaluators import _import_attr

    return _import_attr(path)


# --------------------------------------------------------------------------- the specification


@dataclass
class OptimizeSpec:
    """Everything that decides an optimize run's results (the manifest, without versions)."""

    scenario: str
    levers: list[str]
    objectives: list[str]
    robustness: str = DEFAULTS["robustness"]
    uncertainty_samples: int = DEFAULTS["uncertainty_samples"]
    uncertainties: list[str] | None = None
    reps: int = DEFAULTS["reps"]
    evaluations: int = DEFAULTS["evaluations"]
    population: int = DEFAULTS["population"]
    clients: int = DEFAULTS["clients"]
    months: int = DEFAULTS["months"]
    seed: int = DEFAULTS["seed"]
    evaluator: str = "model"
    evaluator_kwargs: dict = field(default_factory=dict)


def _int_in(name: str, v, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise OptimizeError(f"{name} must be an integer from {lo:,} to {hi:,}, got {v!r}")
    return v


def build_manifest(spec: OptimizeSpec) -> tuple[dict, Any]:
    """Check `spec` completely (one-line OptimizeError/UserError) and return the manifest and the
    evaluator, before anything is written or run."""
    from fatal_remedies.model.seeds import check_seed, replicate_seeds

    from .design import resolve_factors
    from .storage import code_hash

    if spec.robustness not in ROBUSTNESS:
        raise OptimizeError(f"--robustness must be one of {', '.join(ROBUSTNESS)}, got "
                            f"{spec.robustness!r}")
    k = _int_in("--uncertainty-samples", spec.uncertainty_samples, 1, MAX_UNCERTAINTY_SAMPLES)
    r = _int_in("--reps", spec.reps, 1, MAX_REPS)
    pop = _int_in("--population", spec.population, 4, MAX_POPULATION)
    e = _int_in("--evaluations", spec.evaluations, pop, MAX_EVALUATIONS)
    if e * k * r > MAX_RUNS:
        raise OptimizeError(f"--evaluations x --uncertainty-samples x --reps = {e * k * r:,} model "
                            f"runs; at most {MAX_RUNS:,}")
    n_obj = len(spec.objectives)
    if n_obj > 3 and pop < n_obj:
        raise OptimizeError(f"--population must be at least the number of objectives ({n_obj}) "
                            f"for NSGA-III, got {pop}")
    seed = check_seed(spec.seed, "--seed")
    if spec.evaluator == "model":
        from fatal_remedies.model.run import check_size, resolve

        clients, months = check_size(spec.clients, spec.months)
        scen = resolve(spec.scenario)
        evaluator = None
    else:
        clients, months = int(spec.clients), int(spec.months)
        scen = None
        evaluator = _import_factory(spec.evaluator)(**spec.evaluator_kwargs)
    levers = resolve_levers(spec.levers, evaluator)
    objectives, warnings = parse_objectives(spec.objectives, evaluator)
    lever_names = {lv.name for lv in levers}
    unc_names = [u for u in (spec.uncertainties or DEFAULT_UNCERTAINTIES) if u not in lever_names]
    from fatal_remedies.model import params as P

    for u in unc_names:
        if P.get(u).kind != P.UNCERTAINTY:
            raise OptimizeError(f"'{u}' in --uncertainties is not an uncertainty of the registry")
    if not unc_names:
        raise OptimizeError("--uncertainties needs at least one uncertainty that is not a lever")
    if len(set(unc_names)) != len(unc_names):
        raise OptimizeError("an uncertainty is named twice in --uncertainties")
    # resolve_factors wants two or more (a sweep's rule); one is fine here
    factors = resolve_factors(unc_names) if len(unc_names) >= 2 else [
        f for f in resolve_factors([unc_names[0], *[u for u in DEFAULT_UNCERTAINTIES
                                                     if u != unc_names[0]][:1]])
        if f.name == unc_names[0]]
    points = _lhs(factors, k, seed)
    man = {
        "kind": KIND,
        "scenario": spec.scenario,
        "scenario_dict": scen.to_dict() if scen is not None else None,
        "levers": [lv.manifest() for lv in levers],
        "objectives": [{"metric": o.metric, "sense": o.sense, "unit": o.unit} for o in objectives],
        "robustness": spec.robustness,
        "uncertainty_samples": k,
        "uncertainties": [f.name for f in factors],
        "uncertainty_bounds": [[f.lo, f.hi] for f in factors],
        "uncertainty_points": points,
        "reps": r,
        "seeds": replicate_seeds(seed, r),
        "evaluations": e,
        "population": pop,
        "clients": clients,
        "months": months,
        "seed": seed,
        "algorithm": _algorithm_name(len(objectives)),
        "evaluator": spec.evaluator,
        "evaluator_kwargs": spec.evaluator_kwargs,
        "code_hash": code_hash(spec.evaluator),
    }
    man["fingerprint"] = fingerprint(man)
    man["versions"] = _versions()
    man["created"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    man["warnings"] = warnings
    return man, evaluator


_NOT_FINGERPRINTED = ("fingerprint", "versions", "created", "warnings")


def fingerprint(manifest: dict) -> str:
    """Hash of everything in the manifest that decides the results (not versions or the date)."""
    d = {k: v for k, v in manifest.items() if k not in _NOT_FINGERPRINTED}
    d = json.loads(json.dumps(d, default=str))
    return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def _versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("fatal-remedies", "pymoo", "mesa", "numpy", "pandas", "scipy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _algorithm_name(n_obj: int) -> str:
    return "pymoo NSGA-II" if n_obj <= 3 else "pymoo NSGA-III (Das-Dennis reference directions)"


def _lhs(factors, k: int, seed: int) -> list[list]:
    """K points of a Latin hypercube over the uncertainties (scipy.stats.qmc), in model values."""
    import numpy as np
    from scipy.stats import qmc

    u = qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(seed)).random(k)
    pts = []
    for row in u:
        pt = []
        for f, x in zip(factors, row):
            lo, hi = f.problem_bounds
            pt.append(f.value(lo + x * (hi - lo)))
        pts.append(pt)
    return pts


# --------------------------------------------------------------------------- the directory


def _write_json(path: Path, data: Any) -> None:
    from fatal_remedies.model.files import write_json

    write_json(path, data)


def load_manifest(out: Path) -> dict:
    p = Path(out) / "manifest.json"
    if not p.exists():
        raise OptimizeError(f"'{out}' holds no optimize result (no manifest.json)")
    try:
        m = json.loads(p.read_text())
    except (OSError, ValueError) as exc:
        raise OptimizeError(f"cannot read '{p}': {exc}") from None
    if m.get("kind") != KIND:
        raise OptimizeError(f"'{out}' is not an optimize result (manifest kind {m.get('kind')!r})")
    return m


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    from fatal_remedies.model.files import TEMP_SUFFIX, writing_lock

    (out / STATE).mkdir(parents=True, exist_ok=True)
    with writing_lock(out / STATE / ".lock",
                      OptimizeError(f"another optimize run is writing to '{out}' right now"),
                      lambda: list(out.rglob(f".*{TEMP_SUFFIX}"))):
        yield


class EvalCache:
    """Every model run's figures, keyed by (policy vector, uncertainty point, replicate).

    An append-only JSON-lines file written only by the parent process, one line per run,
    flushed as runs finish. A kill can leave at most a partial last line; it is cut off
    when the cache is opened again, and that run is run again (it never counted)."""

    def __init__(self, path: Path):
        self.path = path
        self.data: dict[tuple, dict] = {}
        self.lines = 0
        if path.exists():
            raw = path.read_bytes()
            end = raw.rfind(b"\n") + 1
            if end < len(raw):
                with open(path, "r+b") as fh:
                    fh.truncate(end)
            for line in raw[:end].splitlines():
                rec = json.loads(line)
                self.data[(tuple(rec["x"]), rec["k"], rec["r"])] = rec["out"]
                self.lines += 1
        self._fh = open(path, "a", encoding="utf-8")

    def get(self, key: tuple) -> dict | None:
        return self.data.get(key)

    def add(self, key: tuple, out: dict) -> None:
        x, k, r = key
        self._fh.write(json.dumps({"x": list(x), "k": k, "r": r, "out": out}) + "\n")
        self.data[key] = out
        self.lines += 1

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


# --------------------------------------------------------------------------- the search


def _problem(levers: list[Lever], n_obj: int):
    import numpy as np
    from pymoo.core.problem import Problem

    xl = np.array([lv.search_bounds()[0] for lv in levers])
    xu = np.array([lv.search_bounds()[1] for lv in levers])
    return Problem(n_var=len(levers), n_obj=n_obj, xl=xl, xu=xu)


def _round_integers_class():
    """pymoo's `Repair` that rounds the integer levers (ints, on/off, choice indices) after every
    variation. Made on first use, so that `--help` does not import pymoo and numpy; reached as
    the module attribute `RoundIntegers` (see `__getattr__`), so a checkpoint pickles it."""
    import numpy as np
    from pymoo.core.repair import Repair

    class RoundIntegers(Repair):
        def __init__(self, mask):
            super().__init__()
            self.mask = mask

        def _do(self, problem, X, **kwargs):
            X = np.array(X, dtype=float, copy=True)
            if X.ndim == 2 and self.mask.any():
                m = self.mask
                X[:, m] = np.clip(np.round(X[:, m]), problem.xl[m] + 0.499, problem.xu[m] - 0.499)
            return X

    RoundIntegers.__module__ = __name__
    RoundIntegers.__qualname__ = "RoundIntegers"
    return RoundIntegers


def __getattr__(name: str):
    if name == "RoundIntegers":
        cls = globals()["RoundIntegers"] = _round_integers_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _algorithm(man: dict, levers: list[Lever]):
    import numpy as np
    from pymoo.operators.crossover.sbx import SBX
    from pymoo.operators.mutation.pm import PM

    n_obj = len(man["objectives"])
    mask = np.array([lv.integer for lv in levers])
    common = dict(crossover=SBX(eta=SBX_ETA, prob=SBX_PROB), mutation=PM(eta=PM_ETA),
                  repair=__getattr__("RoundIntegers")(mask), eliminate_duplicates=True)
    if n_obj <= 3:
        from pymoo.algorithms.moo.nsga2 import NSGA2

        algo = NSGA2(pop_size=man["population"], **common)
    else:
        from pymoo.algorithms.moo.nsga3 import NSGA3
        from pymoo.util.ref_dirs import get_reference_directions

        parts = 1
        while math.comb(parts + 1 + n_obj - 1, n_obj - 1) <= man["population"]:
            parts += 1
        ref = get_reference_directions("das-dennis", n_obj, n_partitions=parts)
        algo = NSGA3(ref_dirs=ref, pop_size=man["population"], **common)
    generations = max(1, man["evaluations"] // man["population"])
    algo.setup(_problem(levers, n_obj), termination=("n_gen", generations), seed=man["seed"],
               verbose=False)
    return algo


def _key(x) -> tuple:
    return tuple(float(v) for v in x)


def levers_of(man: dict) -> list[Lever]:
    out = []
    for d in man["levers"]:
        out.append(Lever(d["name"], d["lo"], d["hi"], d["integer"], d["unit"],
                         tuple(d.get("choices", ())), bool(d.get("boolean", False))))
    return out


def _point(man: dict, levers: list[Lever], x: tuple, k: int) -> dict:
    pt = {lv.name: lv.value(v) for lv, v in zip(levers, x)}
    pt.update(dict(zip(man["uncertainties"], man["uncertainty_points"][k])))
    return pt


def _values(man: dict, cache: EvalCache, policies: list[tuple]):
    """Objective values per policy and uncertainty point, replicates averaged: (P, K, M)."""
    import numpy as np

    K, R = man["uncertainty_samples"], man["reps"]
    names = [o["metric"] for o in man["objectives"]]
    V = np.empty((len(policies), K, len(names)))
    for i, x in enumerate(policies):
        for k in range(K):
            reps = np.array([[cache.get((x, k, r))[n] for n in names] for r in range(R)], float)
            with np.errstate(all="ignore"):
                V[i, k] = np.nanmean(reps, axis=0) if np.isfinite(reps).any() else np.nan
    return V


def robust(man: dict, V, ref_V=None):
    """Robustness statistic per policy and objective, in the metric's units (P, M).

    `ref_V` (policies x K x M): the policies regret is measured against (default: V's own)."""
    import numpy as np

    signs = np.array([1.0 if o["sense"] == "min" else -1.0 for o in man["objectives"]])
    how = man["robustness"]
    with np.errstate(all="ignore"):
        if how == "mean":
            return np.nanmean(V, axis=1)
        if how == "p90":
            # the bad direction: the 90th percentile of a minimised metric, the 10th of a maximised
            worst = np.nanpercentile(V * signs, P90, axis=1)
            return worst * signs
        ref = V if ref_V is None else ref_V
        best = np.nanmin(ref * signs, axis=0)  # (K, M), in minimisation form
        regret = V * signs - best[None]
        return np.nanmax(regret, axis=1)


def to_min(man: dict, S):
    """Statistics to pymoo's minimisation form (regret is already 'lower is better')."""
    import numpy as np

    if man["robustness"] == "regret":
        F = np.array(S, float)
    else:
        signs = np.array([1.0 if o["sense"] == "min" else -1.0 for o in man["objectives"]])
        F = np.array(S, float) * signs
    return np.where(np.isfinite(F), F, np.inf)


def nondominated(F) -> list[int]:
    """Indices of the non-dominated rows of F (minimisation; pymoo's sorting)."""
    import numpy as np
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    if len(F) == 0:
        return []
    return sorted(int(i) for i in NonDominatedSorting().do(np.asarray(F, float),
                                                           only_non_dominated_front=True))


@dataclass
class OptimizeRun:
    out: Path
    generations: int
    evaluations: int
    runs_total: int
    ran: int
    cached: int
    seconds: float
    n_pareto: int
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.out}: {self.evaluations} policies evaluated in {self.generations} generations "
                f"({self.runs_total} model runs: {self.ran} run now, {self.cached} from the cache) "
                f"in {self.seconds:.1f} s; {self.n_pareto} policies on the Pareto front")


def run_optimize(out: str | Path, spec: OptimizeSpec | None = None, *, resume: bool = False,
                 workers: int | None = None, scheduler: str | None = None, progress: bool = True,
                 max_generations: int | None = None) -> OptimizeRun:
    """Run (or resume) a robust policy search into directory `out`.

    Args:
        out: Result directory (manifest.json, pareto.csv, convergence.csv, plots/, state/).
        spec: What to search; required for a new run, ignored on resume (the manifest rules).
        resume: Continue the run in `out` from its last checkpoint and its cache.
        workers: Local worker processes (None/0: all cores; 1: in this process).
        scheduler: Dask scheduler address; then `workers` is ignored.
        max_generations: Stop after this many generations in this call (tests).
    """
    import time

    out = Path(out)
    if resume:
        man = load_manifest(out)
        from .storage import code_hash

        if man.get("fingerprint") != fingerprint(man):
            raise OptimizeError(f"'{out / 'manifest.json'}' was edited after the run began (its "
                                "fingerprint no longer matches); start a new run with another --out")

        if man.get("code_hash") != code_hash(man["evaluator"]):
            raise OptimizeError(f"'{out}' was made by other model code than this; its cached runs "
                                "would not match new ones: start a new run with another --out")
        evaluator = None if man["evaluator"] == "model" else _import_factory(man["evaluator"])(
            **man.get("evaluator_kwargs", {}))
    else:
        if spec is None:
            raise OptimizeError("a new optimize run needs an OptimizeSpec")
        if (out / "manifest.json").exists() or (out / STATE).exists():
            raise OptimizeError(f"'{out}' already holds an optimize run; add --resume to continue "
                                "it or choose another --out")
        man, evaluator = build_manifest(spec)
    if evaluator is None:
        from fatal_remedies.model.scenario import Change, Scenario

        s = man["scenario_dict"]
        scen = Scenario(s["name"], s["description"], dict(s["params"]),
                        tuple(Change(c["month"], dict(c["params"]), c.get("description", ""))
                              for c in s["changes"]), s["source"], frozenset(s.get("pinned", ())))
        evaluator = PolicyEvaluator(scen, man["clients"], man["months"])
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with _locked(out):
        if not resume:
            _write_json(out / "manifest.json", man)
        return _search(out, man, evaluator, workers=workers, scheduler=scheduler,
                       progress=progress, max_generations=max_generations, t0=t0)


def _search(out, man, evaluator, *, workers, scheduler, progress, max_generations, t0):
    import time

    import numpy as np
    from pymoo.core.evaluator import Evaluator
    from pymoo.problems.static import StaticProblem

    levers = levers_of(man)
    state = out / STATE
    ck_path = state / CHECKPOINT
    if ck_path.exists():
        with open(ck_path, "rb") as fh:
            ck = pickle.load(fh)
        if ck["fingerprint"] != man["fingerprint"]:
            raise OptimizeError(f"'{ck_path}' belongs to another optimize run; choose another --out")
    else:
        ck = {"fingerprint": man["fingerprint"], "algorithm": _algorithm(man, levers),
              "policies": [], "history": []}
    algo = ck["algorithm"]
    policies: list[tuple] = ck["policies"]
    index = {x: i for i, x in enumerate(policies)}
    cache = EvalCache(state / CACHE)
    K, R = man["uncertainty_samples"], man["reps"]
    V_all = _values(man, cache, policies)
    generations = algo.termination.n_max_gen
    ran = cached = 0
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=generations * man["population"] * K * R, unit="run", file=sys.stderr,
                   desc="optimize", dynamic_ncols=True, smoothing=0.05,
                   mininterval=0.5 if sys.stderr.isatty() else 10.0)
        bar.update(len(ck["history"]) * man["population"] * K * R)
    runner = None
    done_now = 0
    try:
        while algo.has_next() and (max_generations is None or done_now < max_generations):
            pop = algo.ask()
            X = [_key(x) for x in pop.get("X")]
            new = [x for x in dict.fromkeys(X) if x not in index]
            todo = [(x, k, r) for x in new for k in range(K) for r in range(R)
                    if cache.get((x, k, r)) is None]
            cached += len(new) * K * R - len(todo)
            if bar is not None:
                bar.total = max(bar.total, bar.n + len(X) * K * R)
                bar.update(len(X) * K * R - len(todo))
            if todo:
                if runner is None and not (workers == 1 and not scheduler):
                    from .runner import Runner

                    runner = Runner(workers=min(workers or os.cpu_count() or 1, len(todo))
                                    if not scheduler else None, scheduler=scheduler)
                _run(man, levers, evaluator, cache, todo, runner, bar)
                ran += len(todo)
            for x in new:
                index[x] = len(policies)
                policies.append(x)
            # objective values: this generation against every policy evaluated so far
            if new:
                V_all = np.concatenate([V_all, _values(man, cache, new)])
            rows = [index[x] for x in X]
            S = robust(man, V_all[rows], V_all)
            Evaluator().eval(StaticProblem(algo.problem, F=to_min(man, S)), pop)
            algo.tell(infills=pop)
            F_arch = to_min(man, robust(man, V_all, V_all))
            front = nondominated(F_arch)
            ck["history"].append({"generation": len(ck["history"]) + 1,
                                  "evaluations": len(policies),
                                  "front": F_arch[front].tolist()})
            _checkpoint(ck_path, ck)
            write_outputs(out, man, V_all, policies, ck["history"], plots=not algo.has_next())
            done_now += 1
            if bar is not None:
                bar.set_postfix(generation=f"{len(ck['history'])}/{generations}",
                                front=len(front))
    finally:
        cache.close()
        if bar is not None:
            bar.close()
        if runner is not None:
            runner.close()
    if not ck["history"]:
        raise OptimizeError("the search ran no generation")
    if not (out / "plots" / "pareto.png").exists() or done_now == 0:
        write_outputs(out, man, V_all, policies, ck["history"], plots=True)
    pareto = load_result(out).pareto
    return OptimizeRun(out, len(ck["history"]), len(policies), len(policies) * K * R, ran, cached,
                       time.perf_counter() - t0, len(pareto))


def _checkpoint(path: Path, ck: dict) -> None:
    import cloudpickle  # comes with dask; pymoo's operators hold local functions pickle refuses

    from fatal_remedies.model.files import atomic_write_bytes

    atomic_write_bytes(path, cloudpickle.dumps(ck, protocol=pickle.HIGHEST_PROTOCOL))


def _run(man, levers, evaluator, cache: EvalCache, todo: list[tuple], runner, bar) -> None:
    """Run the missing (policy, point, replicate) runs; cache each as it finishes."""
    from .evaluators import BASE_COLUMNS, run_batch

    seeds = man["seeds"]
    items = []
    for i, (x, k, r) in enumerate(todo):
        items.append((i, k, r, seeds[r], _point(man, levers, x, k)))

    def store(rows):
        for row in rows:
            if row.get("error"):
                x, k, r = todo[row["run_id"]]
                raise OptimizeError(f"a model run failed (policy {dict(zip([lv.name for lv in levers], x))}, "
                                    f"uncertainty point {k}, replicate {r}): {row['error']}")
            pt = items[row["run_id"]][4]
            outcome = {c: v for c, v in row.items() if c not in pt and c not in BASE_COLUMNS}
            cache.add(todo[row["run_id"]], outcome)
        cache.flush()
        if bar is not None:
            bar.update(len(rows))

    if runner is None:
        for it in items:
            store(run_batch(evaluator, [it]))
        return
    bs = int(min(BATCH_MAX, max(1, math.ceil(len(items) / max(1, runner.slots * 4)))))
    batches = [(evaluator, items[i:i + bs]) for i in range(0, len(items), bs)]
    with closing(runner.stream(run_batch, batches,
                               split=lambda task: [(task[0], [it]) for it in task[1]])) as outcomes:
        for o in outcomes:
            if o.died or o.error is not None:
                raise OptimizeError(f"a task of model runs failed: {o.error}")
            store(o.result)


# --------------------------------------------------------------------------- outputs


def _table(man: dict, V, policies: list[tuple]):
    """pareto.csv's rows: the non-dominated policies on their final robustness values
    (`V`: objective values per policy and uncertainty point, replicates averaged)."""
    import pandas as pd

    levers = levers_of(man)
    S = robust(man, V, V)
    keep = nondominated(to_min(man, S))
    rows = []
    for i in keep:
        row: dict[str, Any] = {"policy": i}
        for lv, v in zip(levers, policies[i]):
            row[lv.name] = lv.value(v)
        for j, o in enumerate(man["objectives"]):
            row[o["metric"]] = float(S[i, j])
        row["robustness"] = man["robustness"]
        row["seeds"] = " ".join(str(s) for s in man["seeds"])
        row["scenario"] = man["scenario"]
        rows.append(row)
    cols = (["policy"] + [lv.name for lv in levers] + [o["metric"] for o in man["objectives"]]
            + ["robustness", "seeds", "scenario"])
    return pd.DataFrame(rows, columns=cols)


def convergence_table(history: list[dict]):
    """Hypervolume per generation of the front found so far, on objectives normalised over all
    generations' fronts (0 = the best value seen, 1 = the worst on any front), with pymoo's HV
    indicator and reference point HV_REF in every objective."""
    import numpy as np
    import pandas as pd
    from pymoo.indicators.hv import HV

    fronts = [np.asarray(h["front"], float) for h in history]
    allf = np.vstack([f for f in fronts if len(f)]) if fronts else np.empty((0, 1))
    finite = allf[np.isfinite(allf).all(axis=1)] if len(allf) else allf
    rows = []
    if len(finite):
        lo, hi = finite.min(axis=0), finite.max(axis=0)
        span = np.where(hi > lo, hi - lo, 1.0)
        hv = HV(ref_point=np.full(allf.shape[1], HV_REF))
    for h, f in zip(history, fronts):
        f = f[np.isfinite(f).all(axis=1)] if len(f) else f
        val = float(hv((f - lo) / span)) if len(f) and len(finite) else 0.0
        rows.append({"evaluations": h["evaluations"], "generation": h["generation"],
                     "hypervolume": round(val, 12), "n_nondominated": len(h["front"])})
    return pd.DataFrame(rows, columns=["evaluations", "generation", "hypervolume", "n_nondominated"])


def write_outputs(out: Path, man: dict, V, policies: list[tuple],
                  history: list[dict], plots: bool = True) -> None:
    """pareto.csv and convergence.csv (atomically), and the two plots."""
    from fatal_remedies.model.files import atomic_write_text

    pareto = _table(man, V, policies)
    conv = convergence_table(history)
    atomic_write_text(out / "pareto.csv", pareto.to_csv(index=False, float_format="%.10g"))
    atomic_write_text(out / "convergence.csv", conv.to_csv(index=False, float_format="%.10g"))
    if plots:
        (out / "plots").mkdir(exist_ok=True)
        plot_pareto(pareto, man, out / "plots" / "pareto.png")
        plot_convergence(conv, man, out / "plots" / "convergence.png")


def _axis_label(o: dict, robustness: str) -> str:
    """"label (unit; which way is better)"; a regret is always better lower."""
    from fatal_remedies.model import metrics as M

    try:
        label = M.get(o["metric"]).label_en
    except M.MetricError:
        label = o["metric"]
    if robustness == "regret":
        return f"largest regret, {label} ({o['unit']}; lower is better)"
    arrow = "lower is better" if o["sense"] == "min" else "higher is better"
    return f"{label} ({o['unit']}; {arrow})"


def plot_pareto(pareto, man: dict, path: Path) -> Path:
    """Scatter of the front: one panel for 2 objectives, every pair for more."""
    from .plots import _save, plt

    objs = man["objectives"]
    how = {"mean": "mean over the uncertainty sample", "p90": "90th percentile, bad direction",
           "regret": "largest regret"}[man["robustness"]]
    pairs = [(i, j) for i in range(len(objs)) for j in range(i + 1, len(objs))] or [(0, 0)]
    n = len(pairs)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 4.2 * rows), squeeze=False)
    for ax, (i, j) in zip(axes.flat, pairs):
        oi, oj = objs[i], objs[j]
        if i == j:
            ax.plot(range(len(pareto)), pareto[oi["metric"]], "o")
            ax.set_xlabel("policy on the front")
        else:
            ax.scatter(pareto[oi["metric"]], pareto[oj["metric"]], s=22)
            ax.set_xlabel(_axis_label(oi, man["robustness"]), fontsize=8)
        ax.set_ylabel(_axis_label(oj, man["robustness"]), fontsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle(f"Pareto front, {man['scenario']}: {len(pareto)} policies ({how}, "
                 f"{man['uncertainty_samples']} uncertainty points x {man['reps']} replicates)",
                 fontsize=10)
    return _save(fig, path)


def plot_convergence(conv, man: dict, path: Path) -> Path:
    from .plots import _save, plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(conv["evaluations"], conv["hypervolume"], marker="o", markersize=3)
    ax.set_xlabel("policies evaluated (count)")
    ax.set_ylabel(f"hypervolume (normalised objectives, reference {HV_REF})")
    ax.set_title(f"Convergence of the search ({man['algorithm']})", fontsize=10)
    ax.grid(alpha=0.3)
    return _save(fig, path)


# --------------------------------------------------------------------------- reading a result


@dataclass
class OptimizeResult:
    manifest: dict
    pareto: Any
    convergence: Any


def load_result(directory: str | Path) -> OptimizeResult:
    """An optimize result directory: its manifest, Pareto table and convergence record."""
    import pandas as pd

    d = Path(directory)
    man = load_manifest(d)
    for name in ("pareto.csv", "convergence.csv"):
        if not (d / name).exists():
            raise OptimizeError(f"'{d}' has no {name} yet (run `fatal-remedies optimize --resume "
                                f"--out {d}`)")
    pareto = pd.read_csv(d / "pareto.csv", dtype={"seeds": str})
    return OptimizeResult(man, pareto, pd.read_csv(d / "convergence.csv"))


def evaluations_run(directory: str | Path) -> tuple[int, int]:
    """(lines, distinct keys) of a result's evaluation cache: equal when no run was run twice."""
    p = Path(directory) / STATE / CACHE
    keys = set()
    n = 0
    for line in p.read_bytes().splitlines():
        rec = json.loads(line)
        keys.add((tuple(rec["x"]), rec["k"], rec["r"]))
        n += 1
    return n, len(keys)
