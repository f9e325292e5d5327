"""Running several scenarios with the same replicate seeds (common random numbers)."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from fatal_remedies.model.errors import UserError
from fatal_remedies.model.run import resolve, simulate
from fatal_remedies.model.scenario import Scenario
from fatal_remedies.model.seeds import replicate_seeds

from .runner import run_tasks


def _one(scenario: Scenario, clients: int, months: int, seed: int) -> pd.DataFrame:
    return simulate(scenario, clients=clients, months=months, seed=seed)


def _summary(scenario: Scenario, clients: int, months: int, seed: int) -> dict[str, float]:
    """One run reduced to its per-run metrics where it ran (a worker process, a Dask worker).

    The monthly frame is dropped there, so what travels back and is kept is a
    few dozen numbers per run, not the frame: the caller's memory does not
    grow with the number of replications beyond those numbers.
    """
    from .summary import run_metrics

    return run_metrics(simulate(scenario, clients=clients, months=months, seed=seed))


def run_replications(
    scenarios: Sequence[Scenario | str],
    reps: int,
    clients: int,
    months: int,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    on_done: Callable[[], None] | None = None,
    summaries: bool = False,
    scheduler: str | None = None,
) -> dict[str, list[pd.DataFrame]] | dict[str, list[dict[str, float]]]:
    """Run every scenario `reps` times with the same seeds.

    Replicate r of every scenario runs with seed `model.seeds.replicate_seed(seed, r)`,
    so replicate r of two scenarios starts from the same people: their
    difference is the policy's effect, not the luck of the draw; and
    `simulate(scenario, seed=replicate_seed(seed, r))` reproduces it alone.

    Args:
        scenarios: Names, paths or Scenario objects (names must be distinct).
        reps: Replications per scenario.
        clients: Population size.
        months: Months per run.
        seed: Master seed from which the replicate seeds are derived.
        overrides: Parameter values applied to every scenario for the whole run.
        workers: Local processes (default: the number of cores); 1 runs in this process.
        executor: Any concurrent.futures executor to use instead (e.g. Dask's).
        on_done: Called after each finished run (progress).
        summaries: Return each run's per-run metrics (`summary.run_metrics`,
            computed where the run ran) instead of its monthly frame. Use it
            whenever the monthly rows are not needed (the `compare` command,
            attribution): memory then stays flat in `reps`.
        scheduler: A Dask scheduler address to run on instead of local processes.

    Returns:
        For each scenario name, its frames (or summaries) in replicate order.
    """
    resolved = [resolve(s, dict(overrides or {})) for s in scenarios]
    names = [s.name for s in resolved]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise UserError(f"scenario '{dup}' is given twice; compare distinct scenarios")
    seeds = replicate_seeds(seed, reps)
    tasks = [(sc, clients, months, s) for sc in resolved for s in seeds]
    fn = _summary if summaries else _one
    results = run_tasks(fn, tasks, workers=workers, scheduler=scheduler, executor=executor,
                        on_done=on_done)
    return {n: results[i * reps:(i + 1) * reps] for i, n in enumerate(names)}
