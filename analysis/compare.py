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
) -> dict[str, list[pd.DataFrame]]:
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

    Returns:
        For each scenario name, its frames in replicate order.
    """
    resolved = [resolve(s, dict(overrides or {})) for s in scenarios]
    names = [s.name for s in resolved]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise UserError(f"scenario '{dup}' is given twice; compare distinct scenarios")
    seeds = replicate_seeds(seed, reps)
    tasks = [(sc, clients, months, s) for sc in resolved for s in seeds]
    frames = run_tasks(_one, tasks, workers=workers, executor=executor, on_done=on_done)
    return {n: frames[i * reps:(i + 1) * reps] for i, n in enumerate(names)}
