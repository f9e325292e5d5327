"""Sensitivity sweeps: sample a parameter space, run the model, stream results to Parquet.

A sweep directory holds::

    manifest.json     what was run: method, N, R, seeds, bounds, scenario, versions
    design.parquet    the sample matrix (one row per sample point, SALib's raw values)
    parts/*.parquet   results, one file per finished batch of runs, written atomically
    analysis/         tables (CSV) and plots (PNG) written by `fatal-remedies analyze`
    discovery/        PRIM boxes written by `fatal-remedies discover`

One run is one (sample point, replicate) pair. Its id is
``sample * reps + rep``; replicate ``rep`` uses the same seed at every sample
point (common random numbers), so differences between points are not blurred
by different random streams. A run that raises is stored with its error text
and the sweep goes on. Only the parent process writes files, each part file
first to a temporary name and then renamed, so a sweep killed at any moment
and restarted with ``resume=True`` runs exactly the runs that have no row yet.

The function evaluated per run is injectable (``evaluator(point, seed) ->
dict[str, float]``); the default runs the model and summarises it
(:class:`ModelEvaluator`). Runs go to a ``concurrent.futures`` executor:
a local ``ProcessPoolExecutor`` by default, or a Dask cluster's
``Client.get_executor()`` when a scheduler address is given -- the same code
path either way.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as _dt
import fcntl
import importlib
import json
import math
import os
import platform
import sys
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from fatal_remedies.model.errors import UserError

FORMAT = "fatal-remedies-sweep/1"
METHODS = ("sobol", "morris", "lhs", "grid")
BASE_COLUMNS = ("run_id", "sample", "rep", "seed", "error", "seconds")
AGGREGATES = ("sum", "mean", "last", "max", "min")
DEFAULT_OVER_TIME = ("wrongful_sanctions:sum", "fraud_detected:sum", "mean_trust:last")
MORRIS_LEVELS = 4
MAX_GRID_POINTS = 1_000_000

Evaluator = Callable[[dict, int], dict]


class SweepError(UserError):
    """A sweep option, directory or result set is not acceptable (one-line message)."""


# --------------------------------------------------------------------------- factors


@dataclass(frozen=True)
class Factor:
    """One swept parameter: bounds in model units, and whether it is an integer.

    Integer factors are sampled on ``[lo, hi + 1)`` and floored (clipped to
    ``hi``), so every integer in ``lo..hi`` has the same chance.
    """

    name: str
    lo: float
    hi: float
    integer: bool = False
    unit: str = ""

    @property
    def problem_bounds(self) -> list[float]:
        return [float(self.lo), float(self.hi) + 1.0] if self.integer else [float(self.lo),
                                                                          float(self.hi)]

    def value(self, raw: float) -> float | int:
        """Model value for a raw sample value."""
        if self.integer:
            return int(min(math.floor(raw), self.hi))
        return float(min(max(raw, self.lo), self.hi))


def parse_bounds(text: str) -> tuple[str, float, float]:
    """Parse ``NAME=LO:HI`` from the command line."""
    name, eq, rest = text.partition("=")
    lo_s, colon, hi_s = rest.partition(":")
    if not eq or not colon or not name.strip():
        raise SweepError(f"--bounds expects NAME=LO:HI, got {text!r}")
    try:
        lo, hi = float(lo_s), float(hi_s)
    except ValueError:
        raise SweepError(f"--bounds expects numbers in NAME=LO:HI, got {text!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise SweepError(f"--bounds expects finite numbers, got {text!r}")
    return name.strip(), lo, hi


def resolve_factors(
    names: Iterable[str] | None = None,
    bounds: dict[str, tuple[float, float]] | Iterable[str] | None = None,
) -> list[Factor]:
    """The swept parameters, from the registry.

    Args:
        names: Parameters to vary; default: every numeric uncertainty
            (``model.params.numeric_uncertainties()``). Numeric policy levers
            may be named too.
        bounds: ``{name: (lo, hi)}`` or ``["NAME=LO:HI", ...]`` replacing the
            registry's default sweep bounds; must lie within the hard limits.

    Raises:
        SweepError / ParamError: one-line message naming the problem.
    """
    from fatal_remedies.model import params as P

    if names is None:
        chosen = [p.name for p in P.numeric_uncertainties()]
    else:
        chosen = []
        for n in names:
            n = n.strip()
            if not n:
                continue
            p = P.get(n)  # ParamError with a suggestion when misspelt
            if p.kind == P.RUN:
                raise SweepError(f"cannot sweep '{n}': it is a run setting (use --clients/--months)")
            if p.type not in ("float", "int"):
                raise SweepError(
                    f"cannot sweep '{n}': it is {p.allowed()}; only numeric parameters can be swept "
                    "(fix it in the scenario instead)")
            if n in chosen:
                raise SweepError(f"parameter '{n}' is named twice in --params")
            chosen.append(n)
    if len(chosen) < 2:
        raise SweepError("a sensitivity sweep needs at least 2 parameters in --params")

    given: dict[str, tuple[float, float]] = {}
    if bounds:
        items = bounds.items() if isinstance(bounds, dict) else (
            (b[0], (b[1], b[2])) for b in map(parse_bounds, bounds))
        for n, (lo, hi) in items:
            p = P.get(n)
            if n not in chosen:
                raise SweepError(f"--bounds names '{n}', which is not swept; add it to --params")
            if n in given:
                raise SweepError(f"--bounds given twice for '{n}'")
            if not lo < hi:
                raise SweepError(f"--bounds for '{n}': LO must be below HI, got {lo:g}:{hi:g}")
            if lo < p.lo or hi > p.hi:
                raise SweepError(
                    f"--bounds for '{n}' must lie within the registry's limits "
                    f"{p.lo:g}:{p.hi:g} ({p.unit}); got {lo:g}:{hi:g}")
            if p.type == "int" and not (float(lo).is_integer() and float(hi).is_integer()):
                raise SweepError(f"--bounds for '{n}' must be integers (it is an integer "
                                 f"parameter); got {lo:g}:{hi:g}")
            given[n] = (lo, hi)

    factors = []
    for n in chosen:
        p = P.get(n)
        lo, hi = given.get(n, p.sweep_bounds)
        if p.type == "int":
            lo, hi = int(lo), int(hi)
        factors.append(Factor(n, float(lo) if p.type != "int" else lo,
                              float(hi) if p.type != "int" else hi, p.type == "int", p.unit))
    return factors


# --------------------------------------------------------------------------- design


@dataclass
class SweepSpec:
    """Everything that defines a sweep's runs (stored in the manifest)."""

    factors: list[Factor]
    method: str = "sobol"
    samples: int = 64
    reps: int = 2
    seed: int = 1
    scenario: str = "baseline"
    clients: int = 2000
    months: int = 120
    over_time: list[str] = field(default_factory=lambda: list(DEFAULT_OVER_TIME))
    evaluator: str = "model"
    evaluator_kwargs: dict = field(default_factory=dict)

    def check(self) -> None:
        if self.method not in METHODS:
            raise SweepError(f"unknown method '{self.method}': use one of {', '.join(METHODS)}")
        if self.samples < 1:
            raise SweepError(f"--samples must be at least 1, got {self.samples}")
        if self.method == "sobol" and (self.samples < 4 or self.samples & (self.samples - 1)):
            raise SweepError(
                f"Sobol sampling needs --samples N a power of two of at least 4 "
                f"(e.g. 64, 128, 256), got {self.samples}")
        if self.method == "morris" and self.samples < 2:
            raise SweepError("Morris needs --samples (trajectories) of at least 2")
        if self.method == "grid" and self.samples < 2:
            raise SweepError("a grid needs --samples (levels per parameter) of at least 2")
        if self.reps < 1:
            raise SweepError(f"--reps must be at least 1, got {self.reps}")
        if self.clients < 1 or self.clients > 2_000_000:
            raise SweepError(f"--clients must be from 1 to 2000000, got {self.clients}")
        if self.months < 1 or self.months > 1200:
            raise SweepError(f"--months must be from 1 to 1200, got {self.months}")
        if self.seed < 0:
            raise SweepError(f"--seed must be a non-negative integer, got {self.seed}")
        names = [f.name for f in self.factors]
        if len(names) < 2:
            raise SweepError("a sensitivity sweep needs at least 2 parameters")
        if len(set(names)) != len(names):
            raise SweepError("a parameter is named twice")
        for spec in self.over_time:
            parse_over_time(spec)
        if self.method == "grid":
            total = 1
            for f in self.factors:
                total *= len(_grid_levels(f, self.samples))
            if total > MAX_GRID_POINTS:
                raise SweepError(
                    f"a grid of {self.samples} levels over {len(self.factors)} parameters has "
                    f"{total:,} points (limit {MAX_GRID_POINTS:,}); use fewer --params or lhs")

    def problem(self) -> dict:
        return {"names": [f.name for f in self.factors],
                "bounds": [f.problem_bounds for f in self.factors]}

    def n_points(self) -> int:
        d, n = len(self.factors), self.samples
        if self.method == "sobol":
            return n * (2 * d + 2)
        if self.method == "morris":
            return n * (d + 1)
        if self.method == "lhs":
            return n
        total = 1
        for f in self.factors:
            total *= len(_grid_levels(f, n))
        return total


def parse_over_time(spec: str) -> tuple[str, str]:
    """``COLUMN[:AGG]`` -> (column, aggregate); AGG defaults to ``sum``."""
    col, _, agg = spec.partition(":")
    agg = agg or "sum"
    if not col.strip() or agg not in AGGREGATES:
        raise SweepError(
            f"--over-time expects COLUMN[:AGG] with AGG one of {', '.join(AGGREGATES)}, got {spec!r}")
    return col.strip(), agg


def yearly_column(col: str, agg: str, year: int) -> str:
    return f"{col}_{agg}_y{year:02d}"


def _grid_levels(f: Factor, n: int) -> np.ndarray:
    if f.integer:
        return np.unique(np.round(np.linspace(f.lo, f.hi, n)).astype(int)).astype(float)
    return np.linspace(f.lo, f.hi, n)


def make_design(spec: SweepSpec) -> np.ndarray:
    """The raw sample matrix (points x factors), from SALib's ProblemSpec samplers."""
    from SALib import ProblemSpec

    spec.check()
    sp = ProblemSpec(spec.problem())
    if spec.method == "sobol":
        sp.sample_sobol(spec.samples, calc_second_order=True, scramble=True, seed=spec.seed)
    elif spec.method == "morris":
        sp.sample_morris(spec.samples, num_levels=MORRIS_LEVELS, seed=spec.seed)
    elif spec.method == "lhs":
        sp.sample_latin(spec.samples, seed=spec.seed)
    else:
        grids = np.meshgrid(*[_grid_levels(f, spec.samples) for f in spec.factors],
                            indexing="ij")
        return np.column_stack([g.ravel() for g in grids])
    return np.asarray(sp.samples, dtype=float)


def point_values(factors: list[Factor], raw_row: Iterable[float]) -> dict[str, Any]:
    return {f.name: f.value(float(x)) for f, x in zip(factors, raw_row)}


def replicate_seeds(seed: int, reps: int) -> list[int]:
    """Seed of each replicate; the same at every sample point (common random numbers)."""
    children = np.random.SeedSequence(seed).spawn(reps)
    return [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]


# --------------------------------------------------------------------------- evaluators


class ModelEvaluator:
    """Default evaluator: run the model, summarise it, and add per-year values.

    Picklable (a plain class holding a resolved Scenario), so it travels to
    local worker processes and to Dask workers alike.
    """

    def __init__(self, scenario, clients: int, months: int, over_time: Iterable[str] = ()):
        self.scenario = scenario
        self.clients = int(clients)
        self.months = int(months)
        self.over_time = [parse_over_time(s) for s in over_time]

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        from fatal_remedies.analysis.summary import summarize
        from fatal_remedies.model.run import simulate

        frame = simulate(self.scenario, self.clients, self.months, seed, overrides=point)
        out = {k: float(v) for k, v in summarize(frame).items()}
        out.update(yearly_values(frame, self.over_time))
        return out


def yearly_values(frame, over_time: list[tuple[str, str]]) -> dict[str, float]:
    """Per simulated year (months 1-12 = year 1, ...) aggregates of monthly columns."""
    out: dict[str, float] = {}
    if not over_time:
        return out
    months = frame["month"].to_numpy() if "month" in frame.columns else np.arange(1, len(frame) + 1)
    year = (np.asarray(months) - 1) // 12 + 1
    for col, agg in over_time:
        if col not in frame.columns:
            raise KeyError(f"--over-time column '{col}' is not a column of the model's monthly "
                           f"output")
        vals = frame[col].to_numpy(dtype=float)
        for y in np.unique(year):
            v = vals[year == y]
            out[yearly_column(col, agg, int(y))] = float(
                {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}[agg](v)
                if agg != "last" else v[-1])
    return out


def _import_attr(path: str):
    mod, _, attr = path.partition(":")
    if not mod or not attr:
        raise SweepError(f"evaluator must be 'module:attribute', got {path!r}")
    try:
        obj = importlib.import_module(mod)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise SweepError(f"cannot import evaluator {path!r}: {exc}") from None
    return obj


def build_evaluator(manifest: dict) -> Evaluator:
    """The evaluator a manifest describes (``model`` or a ``module:factory`` path)."""
    if manifest["evaluator"] == "model":
        from fatal_remedies.model.scenario import Change, Scenario

        s = manifest["scenario"]
        scenario = Scenario(s["name"], s["description"], dict(s["params"]),
                            tuple(Change(c["month"], dict(c["params"]), c.get("description", ""))
                                  for c in s["changes"]), s["source"])
        return ModelEvaluator(scenario, manifest["clients"], manifest["months"],
                              manifest.get("over_time", []))
    factory = _import_attr(manifest["evaluator"])
    return factory(**manifest.get("evaluator_kwargs", {}))


# --------------------------------------------------------------------------- running


def _error_text(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or "(no message)"
    where = ""
    tb = traceback.extract_tb(exc.__traceback__)
    if tb:
        fr = tb[-1]
        where = f" (at {Path(fr.filename).name}:{fr.lineno} in {fr.name})"
    return f"{type(exc).__name__}: {msg}{where}"[:2000]


def run_batch(evaluator: Evaluator, items: list[tuple]) -> list[dict]:
    """Run a batch of runs in one task; an exception in one run is recorded, not raised.

    Each item is ``(run_id, sample, rep, seed, point)``. Module-level so it
    pickles for process pools and Dask.
    """
    rows = []
    for run_id, sample, rep, seed, point in items:
        t0 = time.perf_counter()
        row: dict[str, Any] = {"run_id": int(run_id), "sample": int(sample), "rep": int(rep),
                               "seed": int(seed)}
        row.update(point)
        try:
            out = evaluator(dict(point), int(seed))
            for k, v in out.items():
                if k in row or k in BASE_COLUMNS:
                    raise ValueError(f"outcome name '{k}' clashes with a parameter or column")
                row[k] = float(v)
            row["error"] = None
        except Exception as exc:  # noqa: BLE001 - recorded, the sweep goes on
            for k in list(row):
                if k not in ("run_id", "sample", "rep", "seed") and k not in point:
                    del row[k]
            row["error"] = _error_text(exc)
        row["seconds"] = time.perf_counter() - t0
        rows.append(row)
    return rows


def _failed_row(item: tuple, error: str) -> dict:
    run_id, sample, rep, seed, point = item
    return {"run_id": int(run_id), "sample": int(sample), "rep": int(rep), "seed": int(seed),
            **point, "error": error, "seconds": float("nan")}


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _write_json(path: Path, data: dict) -> None:
    _atomic_write_bytes(path, (json.dumps(data, indent=2, sort_keys=False) + "\n").encode())


def _write_part(parts_dir: Path, rows: list[dict]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows)
    first = min(r["run_id"] for r in rows)
    path = parts_dir / f"part-{first:09d}-{uuid.uuid4().hex[:8]}.parquet"
    tmp = parts_dir / f".{path.name}.tmp"
    with open(tmp, "wb") as fh:
        pq.write_table(table, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def read_parts(out: Path):
    """All run rows written so far (one per run id; a successful row wins over an error)."""
    import pandas as pd
    import pyarrow.parquet as pq

    parts_dir = Path(out) / "parts"
    frames = []
    for p in sorted(parts_dir.glob("part-*.parquet")) if parts_dir.is_dir() else []:
        frames.append(pq.read_table(p).to_pandas())
    if not frames:
        return pd.DataFrame(columns=list(BASE_COLUMNS))
    frames = [f for f in frames if len(f)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=list(BASE_COLUMNS))
    if df["run_id"].duplicated().any():  # only after --retry-failed
        df = (df.assign(_ok=df["error"].isna()).sort_values(["run_id", "_ok"], kind="stable")
              .drop_duplicates("run_id", keep="last").drop(columns="_ok"))
    return df.sort_values("run_id").reset_index(drop=True)


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("fatal-remedies", "mesa", "SALib", "numpy", "pandas"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def new_manifest(spec: SweepSpec, scenario_obj=None) -> dict:
    spec.check()
    vers = _package_versions()
    m = {
        "format": FORMAT,
        "package_version": vers["fatal-remedies"],
        "versions": vers,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "method": spec.method,
        "samples": spec.samples,
        "reps": spec.reps,
        "seed": spec.seed,
        "seeds": replicate_seeds(spec.seed, spec.reps),
        "n_points": spec.n_points(),
        "n_runs": spec.n_points() * spec.reps,
        "calc_second_order": spec.method == "sobol",
        "num_levels": MORRIS_LEVELS if spec.method == "morris" else None,
        "factors": [asdict(f) for f in spec.factors],
        "scenario_name": spec.scenario,
        "scenario": scenario_obj.to_dict() if scenario_obj is not None else None,
        "clients": spec.clients,
        "months": spec.months,
        "over_time": list(spec.over_time),
        "evaluator": spec.evaluator,
        "evaluator_kwargs": dict(spec.evaluator_kwargs),
    }
    return m


def load_manifest(out: Path) -> dict:
    path = Path(out) / "manifest.json"
    if not path.is_file():
        raise SweepError(f"'{out}' holds no sweep (no manifest.json); run `fatal-remedies sweep "
                         f"--out {out}` first")
    try:
        m = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SweepError(f"cannot read {path}: {exc}") from None
    if m.get("format") != FORMAT:
        raise SweepError(f"{path} is not a sweep manifest of format {FORMAT}")
    return m


def factors_of(manifest: dict) -> list[Factor]:
    return [Factor(**f) for f in manifest["factors"]]


def load_design(out: Path) -> np.ndarray:
    import pyarrow.parquet as pq

    t = pq.read_table(Path(out) / "design.parquet").to_pandas()
    return t.drop(columns=["sample"]).to_numpy(dtype=float)


@dataclass
class SweepResult:
    out: Path
    n_runs: int
    ran: int
    failed: int
    skipped: int
    seconds: float

    def line(self) -> str:
        return (f"{self.out}: {self.n_runs} runs in the sweep; ran {self.ran} now in "
                f"{self.seconds:.1f} s ({self.failed} failed in total), {self.skipped} were done "
                "before")


def _default_batch_size(n_todo: int, slots: int) -> int:
    return int(min(25, max(1, math.ceil(n_todo / max(1, slots * 8)))))


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def worker_init() -> None:
    """One thread per worker process for BLAS/OpenMP (as Dask's nanny does), so that W
    workers on W cores do not oversubscribe them."""
    for var in _THREAD_VARS:
        os.environ.setdefault(var, "1")
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - comes with scikit-learn
        pass


def connect_executor(scheduler: str | None, workers: int | None):
    """(executor, description, slots, closer). Local processes unless a scheduler is given."""
    if scheduler:
        if "://" not in scheduler:
            raise SweepError(f"--scheduler expects an address like tcp://HOST:PORT, got "
                             f"{scheduler!r}")
        import logging

        from distributed import Client

        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        try:
            timeout = os.environ.get("FATAL_REMEDIES_DASK_TIMEOUT", "10s")
            client = Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise SweepError(f"cannot reach the Dask scheduler at {scheduler}: {first}") from None
        ncores = sum(client.nthreads().values()) or 1

        def close():
            client.close()

        return client.get_executor(pure=False), f"Dask scheduler {scheduler}", ncores, close
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise SweepError(f"--workers must be at least 1, got {n}")
    import multiprocessing as mp

    # Worker processes start with one BLAS/OpenMP thread each (as Dask's nanny does):
    # the variables must be in the environment when a process starts, because
    # libraries loaded later (scipy, scikit-learn's OpenMP) read them only then.
    saved = {v: os.environ.get(v) for v in _THREAD_VARS}
    try:
        for v in _THREAD_VARS:
            os.environ.setdefault(v, "1")
        ex = cf.ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("spawn"),
                                    initializer=worker_init)
        for _ in range(n):  # each submit starts one process while the variables are set
            ex.submit(os.getpid)
    finally:
        for v, old in saved.items():
            if old is None:
                os.environ.pop(v, None)
            else:
                os.environ[v] = old
    return ex, f"{n} local worker processes", n, lambda: None


def run_sweep(
    out: str | Path,
    spec: SweepSpec | None = None,
    *,
    resume: bool = False,
    evaluator: Evaluator | None = None,
    scenario_obj=None,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: cf.Executor | None = None,
    batch_size: int | None = None,
    retry_failed: bool = False,
    progress: bool = True,
    max_runs: int | None = None,
) -> SweepResult:
    """Run (or resume) a sweep into directory `out`.

    Args:
        out: Sweep directory.
        spec: What to run; required for a new sweep, ignored on resume (the
            manifest is the truth then).
        resume: Continue the sweep in `out`, running only runs without a row.
        evaluator: Function per run; default: built from the manifest
            (the model, or an importable factory).
        scenario_obj: Resolved Scenario for the manifest (model evaluator).
        workers: Local worker processes (default: all cores).
        scheduler: Dask scheduler address; then `workers` is ignored.
        executor: Any concurrent.futures executor (overrides both above).
        batch_size: Runs per task (default: up to 25, a few tasks per worker).
        retry_failed: On resume, run again the runs recorded with an error.
        max_runs: Stop after this many runs were submitted (tests, benchmarks).
    """
    out = Path(out)
    manifest_path = out / "manifest.json"
    if resume:
        manifest = load_manifest(out)
    else:
        if spec is None:
            raise SweepError("a new sweep needs a SweepSpec")
        if manifest_path.exists():
            raise SweepError(f"'{out}' already holds a sweep; add --resume to continue it or "
                             "choose another --out")
        spec.check()
        manifest = new_manifest(spec, scenario_obj)
        if spec.evaluator == "model" and manifest["scenario"] is None:
            from fatal_remedies.model.scenario import load_scenario

            manifest["scenario"] = load_scenario(spec.scenario).to_dict()
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "parts").mkdir(exist_ok=True)
    except OSError as exc:
        raise SweepError(f"cannot create sweep directory '{out}': {exc.strerror}") from None

    lock = open(out / ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        raise SweepError(f"another sweep is writing to '{out}' right now") from None
    try:
        for tmp in list((out / "parts").glob(".*.tmp")) + list(out.glob(".*.tmp")):
            tmp.unlink(missing_ok=True)  # leftovers of a killed write
        factors = factors_of(manifest)
        if not resume:
            _write_design(out, make_design(spec), factors)
            _write_json(manifest_path, manifest)  # last: a manifest means the design exists
        design = load_design(out)
        if evaluator is None:
            evaluator = build_evaluator(manifest)
        return _execute(out, manifest, factors, design, evaluator, workers=workers,
                        scheduler=scheduler, executor=executor, batch_size=batch_size,
                        retry_failed=retry_failed, progress=progress, max_runs=max_runs)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _write_design(out: Path, design: np.ndarray, factors: list[Factor]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {"sample": pa.array(np.arange(len(design), dtype=np.int64))}
    for j, f in enumerate(factors):
        cols[f.name] = pa.array(design[:, j])
    tmp = out / f".design.parquet.{uuid.uuid4().hex}.tmp"
    pq.write_table(pa.table(cols), tmp)
    os.replace(tmp, out / "design.parquet")


def _shutdown(executor: cf.Executor) -> None:
    """Stop an executor without waiting; cancel what has not started."""
    if isinstance(executor, cf.ProcessPoolExecutor):
        executor.shutdown(wait=False, cancel_futures=True)
    else:  # Dask's ClientExecutor cancels its futures when not waiting
        executor.shutdown(wait=False)


def _execute(out, manifest, factors, design, evaluator, *, workers, scheduler, executor,
             batch_size, retry_failed, progress, max_runs) -> SweepResult:
    reps, seeds, n_runs = manifest["reps"], manifest["seeds"], manifest["n_runs"]
    done = read_parts(out)
    if retry_failed and len(done):
        done = done[done["error"].isna()]
    done_ids = set(int(i) for i in done["run_id"])
    failed_before = 0 if not len(done) else int(done["error"].notna().sum())
    todo = [rid for rid in range(n_runs) if rid not in done_ids]
    if max_runs is not None:
        todo = todo[:max_runs]
    skipped = len(done_ids)

    t_start = time.perf_counter()
    if not todo:
        return SweepResult(out, n_runs, 0, failed_before, skipped, 0.0)

    closer = lambda: None  # noqa: E731
    own = executor is None
    if own:
        executor, desc, slots, closer = connect_executor(scheduler, workers)
    else:
        desc, slots = type(executor).__name__, workers or os.cpu_count() or 1
    bs = batch_size or _default_batch_size(len(todo), slots)
    batches = []
    for i in range(0, len(todo), bs):
        items = []
        for rid in todo[i:i + bs]:
            s, r = divmod(rid, reps)
            items.append((rid, s, r, seeds[r], point_values(factors, design[s])))
        batches.append(items)

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=n_runs, initial=n_runs - len(todo), unit="run", file=sys.stderr,
                   desc=f"sweep ({desc})", dynamic_ncols=True, smoothing=0.05,
                   mininterval=0.5 if sys.stderr.isatty() else 10.0)
        bar.set_postfix(failed=failed_before)
    failed = failed_before
    ran = 0
    window = max(2, slots * 3)
    pending: dict[cf.Future, list] = {}
    queue = list(reversed(batches))
    crashed: dict[int, int] = {}  # run id -> times its task lost its worker process

    def suspect(items) -> bool:  # a run whose task lost its worker: it must run alone
        return any(crashed.get(it[0]) for it in items)

    try:
        while queue or pending:
            while queue and len(pending) < window:
                if pending and (suspect(queue[-1]) or any(map(suspect, pending.values()))):
                    break
                items = queue.pop()
                try:
                    fut = executor.submit(run_batch, evaluator, items)
                except cf.process.BrokenProcessPool:
                    # A worker died after the last wait returned: the pool refuses new
                    # work. Put the batch back; the pending futures report the breakage
                    # below (and are re-queued there); with none pending, rebuild here.
                    queue.append(items)
                    if pending:
                        break
                    if not own or scheduler:
                        raise
                    _shutdown(executor)
                    executor, desc, slots, closer = connect_executor(None, workers)
                    continue
                pending[fut] = items
            finished, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                if fut not in pending:  # dropped with a broken pool below
                    continue
                items = pending.pop(fut)
                try:
                    rows = fut.result()
                except cf.process.BrokenProcessPool as exc:
                    # A worker process died (crash, out of memory). Rebuild the pool and
                    # re-queue the runs that were in flight one per task; the runs of the
                    # task that reported it become suspects and run alone, so a run that
                    # kills its worker when alone (the second time) is found and recorded.
                    if not own or scheduler:
                        raise
                    rows = []
                    requeue = [[x] for it2 in pending.values() for x in it2]
                    pending.clear()
                    for it in items:
                        crashed[it[0]] = crashed.get(it[0], 0) + 1
                        if len(items) == 1 and crashed[it[0]] >= 2:
                            rows.append(_failed_row(it, "worker process died while running it "
                                                        f"({_error_text(exc)})"))
                        else:
                            requeue.append([it])
                    queue.extend(requeue)
                    _shutdown(executor)
                    executor, desc, slots, closer = connect_executor(None, workers)
                    if not rows:
                        continue
                except Exception as exc:  # noqa: BLE001 - e.g. Dask's KilledWorker
                    rows = [_failed_row(it, "task failed: " + _error_text(exc)) for it in items]
                _write_part(out / "parts", rows)
                n_fail = sum(r["error"] is not None for r in rows)
                failed += n_fail
                ran += len(rows)
                if bar is not None:
                    bar.update(len(rows))
                    bar.set_postfix(failed=failed)
    except KeyboardInterrupt:
        for fut in pending:
            fut.cancel()
        raise
    finally:
        if bar is not None:
            bar.close()
        if own:
            try:
                _shutdown(executor)
            finally:
                closer()
    return SweepResult(out, n_runs, ran, failed, skipped, time.perf_counter() - t_start)


def status(out: str | Path) -> dict:
    """Counts of a sweep directory: runs expected, done, failed, missing."""
    m = load_manifest(Path(out))
    df = read_parts(Path(out))
    done = len(df)
    failed = int(df["error"].notna().sum()) if done else 0
    return {"n_runs": m["n_runs"], "done": done, "failed": failed,
            "missing": m["n_runs"] - done}
