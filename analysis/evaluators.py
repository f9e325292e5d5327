"""What a sweep runs at each (sample point, replicate): evaluators and the batch task.

An evaluator is any picklable ``evaluator(point: dict, seed: int) ->
dict[str, float]``; the default runs the model and summarises it
(:class:`ModelEvaluator`); `analysis.toys` has test functions. `run_batch`
is the task the runner sends to a worker: it evaluates a batch of runs and
turns an exception in one run into that run's error text, so one bad point
never stops a sweep. A paired sweep's evaluator (:class:`PairedEvaluator`) runs
both scenarios at the same point with the same seed and returns both outcome sets.
"""

from __future__ import annotations

import importlib
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from .design import SweepError, parse_over_time, yearly_column
from .storage import BASE_COLUMNS, VERSUS_PREFIX

Evaluator = Callable[[dict, int], dict]


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


class PairError(Exception):
    """One of a pair's two runs raised: `text` says which scenario and what it raised."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class PairedEvaluator:
    """Both scenarios of a paired sweep at one point, with the same replicate seed.

    Same seed, same point: the two runs share their people and their luck (common
    random numbers), so the difference between them is the scenarios' difference,
    not sampling noise. The scenario's outcomes keep their names, the versus
    scenario's get the prefix ``vs__``. If either run raises, the pair fails as a
    whole (a difference needs both) and the error says which scenario raised.
    """

    def __init__(self, base: Evaluator, versus: Evaluator, names: tuple[str, str]):
        self.base, self.versus, self.names = base, versus, tuple(names)

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        out: dict[str, float] = {}
        for which, ev, prefix in ((f"scenario '{self.names[0]}'", self.base, ""),
                                  (f"versus scenario '{self.names[1]}'", self.versus,
                                   VERSUS_PREFIX)):
            try:
                got = ev(dict(point), int(seed))
            except Exception as exc:  # noqa: BLE001 - recorded as the pair's error
                raise PairError(f"{which} raised {error_text(exc)}") from exc
            out.update({prefix + k: v for k, v in got.items()})
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


def _scenario_from_dict(s: dict):
    from fatal_remedies.model.scenario import Change, Scenario

    return Scenario(s["name"], s["description"], dict(s["params"]),
                    tuple(Change(c["month"], dict(c["params"]), c.get("description", ""))
                          for c in s["changes"]), s["source"])


def build_evaluator(manifest: dict) -> Evaluator:
    """The evaluator a manifest describes (``model`` or a ``module:factory`` path).

    A paired sweep (manifest entry ``versus``) gets a :class:`PairedEvaluator` of two:
    the model under each stored scenario, or the factory called with
    ``scenario=<name>`` for each (a test evaluator of a paired sweep takes that keyword).
    """
    versus = manifest.get("versus")
    if manifest["evaluator"] == "model":
        def model(s: dict) -> Evaluator:
            return ModelEvaluator(_scenario_from_dict(s), manifest["clients"],
                                  manifest["months"], manifest.get("over_time", []))

        if versus is None:
            return model(manifest["scenario"])
        return PairedEvaluator(model(manifest["scenario"]), model(manifest["versus_scenario"]),
                               (manifest["scenario_name"], versus))
    factory = _import_attr(manifest["evaluator"])
    kwargs = manifest.get("evaluator_kwargs", {})
    if versus is None:
        return factory(**kwargs)
    try:
        pair = [factory(**kwargs, scenario=n) for n in (manifest["scenario_name"], versus)]
    except TypeError as exc:
        raise SweepError(f"evaluator {manifest['evaluator']} cannot run a paired sweep (its "
                         f"factory takes no scenario= keyword: {exc})") from None
    return PairedEvaluator(pair[0], pair[1], (manifest["scenario_name"], versus))


def error_text(exc: BaseException) -> str:
    """One line for a run's `error` column: type, message and where it was raised (for a
    pair, which of its two scenarios raised it)."""
    if isinstance(exc, PairError):
        return exc.text[:2000]
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
            row["error"] = error_text(exc)
        row["seconds"] = time.perf_counter() - t0
        rows.append(row)
    return rows


def failed_row(item: tuple, error: str) -> dict:
    """The row of a run whose task failed as a whole (no outcomes, `error` says why)."""
    run_id, sample, rep, seed, point = item
    return {"run_id": int(run_id), "sample": int(sample), "rep": int(rep), "seed": int(seed),
            **point, "error": error, "seconds": float("nan")}
