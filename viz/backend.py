"""The app's only door to the model core and to analysis/.

Everything the pages need from a model goes through these small functions,
so a change in the core's attribute names is fixed here, once. The app draws;
summary statistics come from `analysis.summary`.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from typing import Any, Callable

import numpy as np
import pandas as pd

from fatal_remedies.model.model import BenefitModel
from fatal_remedies.model.scenario import Scenario, ScenarioError, list_scenarios, load_scenario  # noqa: F401
from fatal_remedies.model.states import Status


def version() -> str:
    try:
        from importlib.metadata import version as _v

        return _v("fatal-remedies")
    except Exception:  # noqa: BLE001 - running from a source tree without metadata
        return "unknown"


def scenario_names() -> list[str]:
    return [name for name, _ in list_scenarios()]


def resolve(scenario: str | Scenario, overrides: dict[str, Any] | None = None) -> Scenario:
    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    return sc.with_overrides(overrides or {})


def make_model(scenario: str | Scenario, n_clients: int, seed: int,
               overrides: dict[str, Any] | None = None, record_events: bool = True):
    """A fresh model for the Explore and Lesson pages."""
    sc = resolve(scenario, overrides)
    return BenefitModel(sc, n_clients=n_clients, seed=seed, record_events=record_events)


def month(model) -> int:
    return int(getattr(model, "month", 0))


def params_in_force(model) -> dict[str, Any]:
    """Parameter values the model uses this month."""
    p = getattr(model, "p", None)
    if isinstance(p, dict):
        return p
    return {}


def frame(model) -> pd.DataFrame:
    return model.metrics_frame()


POP_CATEGORIES = ("st_receiving", "st_flagged", "st_wrongful", "st_sanctioned", "st_supported",
                  "st_work", "st_gave_up")
POP_COLORS = ("#9e9e9e", "#ff9800", "#d32f2f", "#6a1b9a", "#1976d2", "#2e7d32", "#000000")


def _arr(model, *names):
    for n in names:
        a = getattr(model, n, None)
        if a is not None:
            return np.asarray(a)
    return None


def after_step(model) -> None:
    """Remember who was sanctioned wrongfully this month (the core keeps it for one month only)."""
    now = np.flatnonzero(np.asarray(model.last_wrongful) == model.month)
    seen = model.__dict__.setdefault("_ui_wrongful_pids", set())
    seen.update(int(x) for x in np.asarray(model.pid)[now])


def population(model, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Status category (index into POP_CATEGORIES) of the first `n` slots, and their slots."""
    status = np.asarray(model.status)
    n = min(n, status.size)
    st = status[:n]
    m = month(model)
    cat = np.zeros(n, dtype=np.int8)
    rec = st == Status.RECEIVING
    hours = _arr(model, "support_hours")
    flag = _arr(model, "support_flag")
    if hours is not None:
        all_rec = np.asarray(model.status) == Status.RECEIVING
        typical = float(np.median(hours[all_rec])) if all_rec.any() else 0.0
        supported = (hours[:n] > 0) & (hours[:n] >= 2.0 * typical)
        if flag is not None:
            supported |= flag[:n].astype(bool)
        cat[rec & supported] = 4
    inv = _arr(model, "last_investigated")
    if inv is not None:
        cat[rec & (inv[:n] >= m - 2)] = 1
    cat[st == Status.WORK] = 5
    cat[st == Status.NON_TAKE_UP] = 6
    sanctioned = st == Status.SANCTIONED
    cat[sanctioned] = 3
    wrongful = model.__dict__.get("_ui_wrongful_pids")
    if wrongful:
        pids = np.asarray(model.pid)[:n]
        cat[sanctioned & np.isin(pids, np.fromiter(wrongful, dtype=np.int64))] = 2
    return cat, np.arange(n)


def client(model, slot: int):
    return model.client(int(slot))


def story(model, slot: int) -> list[tuple[int, str]]:
    try:
        return list(model.client(int(slot)).story())
    except Exception:  # noqa: BLE001 - no event log in this model
        return []


def traits(model, slot: int) -> dict[str, Any]:
    try:
        return dict(model.client(int(slot)).traits)
    except Exception:  # noqa: BLE001
        return {}


def feature_importance(model) -> pd.Series:
    algo = getattr(model, "algorithm", None)
    if algo is None:
        return pd.Series(dtype=float)
    return algo.feature_importance()


def council_issues(model) -> list[dict]:
    council = getattr(model, "council", None)
    return list(getattr(council, "issues", []) or [])


def hours(model) -> dict[str, float]:
    try:
        return dict(model.caseworker_hours())
    except Exception:  # noqa: BLE001
        return {}


def trust_columns(df: pd.DataFrame) -> list[str]:
    """Per-group trust columns the core provides (e.g. mean_trust_carer)."""
    return [c for c in df.columns if c.startswith(("mean_trust_", "trust_"))]


COST_COLUMNS = ("admin_cost_eur", "collected_eur", "claims_eur", "fines_eur")


def cost_columns(df: pd.DataFrame) -> list[str]:
    """Money columns drawn on the cost chart (benefits paid would dwarf them)."""
    cols = [c for c in COST_COLUMNS if c in df.columns]
    return cols or [c for c in df.columns if "cost" in c]


# ---- comparisons ----------------------------------------------------------------------------

CUMULATIVE = ("fraud_flags", "false_fraud_flags", "wrongful_sanctions", "fraud_detected", "reintegrated", "gave_up",
              "admin_cost_eur", "net_cost_eur", "collected_eur")
BAND_METRICS = ("cum_wrongful_sanctions", "cum_fraud_detected", "mean_trust", "non_take_up", "cum_false_fraud_flags",
                "cum_reintegrated", "trust_carer", "trust_language", "receiving", "cum_net_cost_eur")
CUM = "cum_"
"""Prefix of a monthly column summed from month 1 (made by `with_cumulative`)."""


def with_cumulative(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in CUMULATIVE:
        if c in out:
            out[f"{CUM}{c}"] = out[c].cumsum()
    return out


def compute(scenarios: list, reps: int, clients: int, months: int, seed: int, on_done=None) -> dict:
    """Run a comparison and gather what the Compare page, and the report, draw.

    It lives here, not in the page, so that the worker process that runs it
    (`ComparisonJob`) imports the model and analysis only, not Solara.
    """
    from fatal_remedies.analysis.compare import run_replications
    from fatal_remedies.analysis.summary import compare_frames, paired_differences, time_bands
    from fatal_remedies.model.seeds import replicate_seeds

    runs = run_replications(scenarios, reps=reps, clients=clients, months=months, seed=seed, workers=1,
                            on_done=on_done)
    runs = {name: [with_cumulative(f) for f in frames] for name, frames in runs.items()}
    metrics = [m for m in BAND_METRICS if m in next(iter(runs.values()))[0].columns]
    norms = norms_table(runs)
    return {
        "scenarios": [s.to_dict() for s in scenarios],
        "names": list(runs),
        "reps": reps, "clients": clients, "months": months, "seed": seed,
        "seeds": replicate_seeds(seed, reps),
        "table": compare_frames(runs),
        "diffs": paired_differences(runs),
        "bands": time_bands(runs, metrics, range_of={CUM + c: c for c in CUMULATIVE}),
        "norms": norms,
        "version": version(),
    }


def norms_table(runs: dict) -> pd.DataFrame | None:
    """The core's FAIR/FACT/ROBUST/SHARED scorecard per scenario: replicate mean and interval."""
    try:
        from fatal_remedies.analysis.scorecard import scorecard
        from fatal_remedies.analysis.summary import bounded_interval
    except ImportError:
        return None
    rows = []
    for name, frames in runs.items():
        cards = [scorecard(f) for f in frames]
        first = cards[0]
        for i, r in first.iterrows():
            mean, lo, hi = bounded_interval([c["value"].iloc[i] for c in cards], r["key"])
            rows.append({"scenario": name, "key": r["key"], "norm": r["norm"], "indicator": r["indicator"],
                         "better": r["better"],
                         "definition": r["definition"], "mean": mean, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


WORKER_NICE = 5
"""Niceness of a comparison's worker process: when sessions compete for the cores, the server's
own thread (every session's clicks and redraws) gets about three times a worker's share. Not
more: on a machine busy with other work, a worker at 10 gets almost nothing and a comparison
of seconds takes minutes."""

MAX_WORKERS = os.cpu_count() or 1
"""Comparisons that run at the same time on this server; more wait for a free one. Each worker
uses one core, so more at once would only share the cores, with the server among them."""
_workers = threading.BoundedSemaphore(MAX_WORKERS)

_CHILD = (f"import os; os.nice({WORKER_NICE}); "  # before the imports, which take seconds of CPU
          "from fatal_remedies.viz.backend import {child}; {child}()")


class JobCancelled(Exception):
    """The comparison was cancelled (its session closed, or a newer comparison replaced it)."""


class ComparisonJob:
    """One comparison, run by `compute` in a worker process of its own.

    The app server runs every session in one Python process, whose threads
    take turns on one interpreter lock: a comparison computed in a server
    thread (seconds of CPU) made every other session's Step wait for it. In
    its own process it runs beside the server, at a lower priority
    (`WORKER_NICE`), at most `MAX_WORKERS` at a time, and `cancel` ends it
    at once by killing the process, which a thread cannot be. The process is a plain `python -c` started with
    `subprocess`, which executes the new interpreter at once (nothing of the
    threaded server runs in it; multiprocessing's spawn would also re-import
    the server's `__main__`, Solara's command line); it receives its
    arguments pickled on stdin and sends progress and the result pickled on
    stdout. It ends when the server process dies, or the thread waiting for
    it (`analysis.executors.worker_init`).
    """

    what = "comparison"
    child = "_comparison_child"
    """The function of this module that the worker process runs (it reads the arguments from stdin)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self.cancelled = False

    def run(self, args: tuple, on_progress: Callable[[int], None] | None = None) -> dict:
        """`compute(*args)` in the worker; `on_progress(runs_done)` after each run.

        Raises:
            JobCancelled: `cancel` was called (before or during the run).
            Exception: what `compute` raised (e.g. a UserError), re-raised here.
        """
        while not _workers.acquire(timeout=0.2):  # wait for a free worker, or a cancel
            if self.cancelled:
                raise JobCancelled()
        try:
            return self._run(args, on_progress)
        finally:
            _workers.release()

    def _run(self, args: tuple, on_progress: Callable[[int], None] | None) -> dict:
        env = dict(os.environ)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        with self._lock:
            if self.cancelled:
                raise JobCancelled()
            self._proc = proc = subprocess.Popen([sys.executable, "-c", _CHILD.format(child=self.child)], stdin=subprocess.PIPE,
                                                 stdout=subprocess.PIPE, env=env)
        try:
            try:
                proc.stdin.write(pickle.dumps(args))
                proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass  # the worker died at once; reading says why
            while True:
                try:
                    kind, value = pickle.load(proc.stdout)
                except (EOFError, pickle.UnpicklingError, OSError):
                    proc.wait()
                    if self.cancelled:
                        raise JobCancelled() from None
                    raise RuntimeError(f"the {self.what}'s worker process ended unexpectedly "
                                       f"(exit code {proc.returncode})") from None
                if kind == "done" and on_progress is not None:
                    on_progress(value)
                elif kind == "result":
                    return value
                elif kind == "error":
                    raise value
        finally:
            with self._lock:
                self._proc = None
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()

    def cancel(self) -> None:
        """Stop the comparison now (it need not have started; calling twice is harmless)."""
        with self._lock:
            self.cancelled = True
            if self._proc is not None and self._proc.poll() is None:
                self._proc.kill()


def _comparison_child() -> None:
    """The worker process's side of `ComparisonJob`: `compute`, its finished runs counted."""
    def counted(*args, on_done):
        done = [0]

        def tick() -> None:
            done[0] += 1
            on_done(done[0])

        return compute(*args, on_done=tick)

    _serve_child(counted)


# ---- a small screening from the Sensitivity page ------------------------------------------------

HEADLINE_METRICS = ("wrongful_sanctions_total", "final_mean_trust", "final_non_take_up", "reintegrated_total",
                    "net_cost_eur_total")
"""The outcomes a verdict of control against service is first about (wrongful sanctions, trust,
non-take-up, reintegration, cost): the Sensitivity page lists their verdicts first, and a paired
screening looks for their flip boxes (`fatal-remedies discover`)."""

SCREEN_BATCHES = 40
"""About how many batches a screening's runs are cut into: each finished batch is written as a part
file and moves the progress bar, so more batches mean a finer bar and more (small) files."""


class _InlineExecutor:
    """A `concurrent.futures` executor that runs each task at once, in the calling process.

    A screening's worker process is the one extra process a session gets; the sweep's own
    pool of worker processes would start more (each importing the model again) and outlive
    a kill of the worker. `after(task_args)` runs after each task, for the progress bar.
    """

    def __init__(self, after: Callable[[tuple], None]):
        self._after = after

    def submit(self, fn, *args, **kwargs):
        import concurrent.futures as cf

        fut: cf.Future = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the sweep, which records it
            fut.set_exception(exc)
        self._after(args)
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


def screen(out: str, scenario: str, versus: str | None, uncertainties: list[str], trajectories: int,
           reps: int, clients: int, months: int, seed: int, on_done=None) -> dict:
    """A small Morris screening into the new directory `out`, made and analysed by analysis/ (`run_sweep`,
    `analyze`), as `fatal-remedies sweep --method morris` and `analyze` would.

    With `versus` it is a paired sweep (both scenarios, the same replicate seeds at every point), whose
    analysis writes the verdict. `on_done(("runs", done, total))` after each batch of runs (model runs:
    two per point and replication when paired) and `on_done(("analysing", total, total))` before the
    analysis.
    """
    from fatal_remedies.analysis.sensitivity import analyze
    from fatal_remedies.analysis.sweep import SweepSpec, resolve_factors, run_sweep

    paired = {"versus": versus} if versus else {}
    spec = SweepSpec(factors=resolve_factors(uncertainties), method="morris", samples=trajectories, reps=reps,
                     seed=seed, scenario=scenario, clients=clients, months=months, over_time=[], **paired)
    spec.check()
    rows = spec.n_points() * reps  # one row per (point, replication), with both scenarios' outcomes when paired
    per_row = spec.runs_per_row
    total = rows * per_row  # model runs, as the page counts them
    done = [0]
    report = on_done or (lambda _: None)
    report(("runs", 0, total))

    def after(task_args: tuple) -> None:
        done[0] += len(task_args[1]) * per_row  # a batch task is (evaluator, rows)
        report(("runs", done[0], total))

    result = run_sweep(out, spec, executor=_InlineExecutor(after), batch_size=max(1, rows // SCREEN_BATCHES),
                       progress=False)
    report(("analysing", total, total))
    analyze(out, plots=False)
    if versus:
        flip_boxes(out)
    return {"out": str(out), "runs": total, "failed": result.failed * per_row}


def flip_boxes(out: str) -> list[str]:
    """Where the paired verdict flips: `fatal-remedies discover` on each difference of `HEADLINE_METRICS`, for the
    points where the second scenario does worse (by the metric registry's direction). An outcome with no
    such point, or only such points, has no box (discover refuses it); the outcomes that have one are
    returned."""
    from fatal_remedies.analysis.design import SweepError
    from fatal_remedies.analysis.discover import discover
    from fatal_remedies.model import metrics

    found = []
    for name in HEADLINE_METRICS:
        better = metrics.get(name).better
        where = {metrics.LOWER: "> 0", metrics.HIGHER: "< 0"}.get(better)
        if where is None:
            continue
        try:
            discover(out, f"diff_{name}", where, plots=False)
        except SweepError:
            continue
        found.append(name)
    return found


class ScreeningJob(ComparisonJob):
    """A screening (`screen`) in a worker process of its own, for the same reasons as a comparison's: it
    takes seconds to minutes of CPU, which the server's threads must not wait for, and a cancel must end
    it at once. It shares the comparisons' limit of worker processes (`MAX_WORKERS`). `on_progress`
    receives `screen`'s (stage, done, total)."""

    what = "screening"
    child = "_screening_child"


def _serve_child(fn: Callable[..., dict]) -> None:
    """The worker process's side of a job: `fn(*args, on_done=...)` with the arguments from stdin,
    progress and the result (or the error) pickled to the job on stdout."""
    from fatal_remedies.analysis.executors import worker_init

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to the server's log, not into the message stream
    worker_init(os.getppid(), death_signal=True)

    def send(kind, value) -> None:
        out.write(pickle.dumps((kind, value)))
        out.flush()

    args = pickle.load(sys.stdin.buffer)
    try:
        result = fn(*args, on_done=lambda v: send("done", v))
    except Exception as exc:  # noqa: BLE001 - handed to the server, which shows it
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        send("error", exc)
        return
    send("result", result)


def _screening_child() -> None:
    """The worker process's side of `ScreeningJob`."""
    _serve_child(screen)
