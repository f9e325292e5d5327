"""Running several scenarios with the same replicate seeds (common random numbers)."""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from fatal_remedies.model.run import resolve, simulate
from fatal_remedies.model.scenario import Scenario


def replicate_seeds(seed: int, reps: int) -> list[int]:
    """The R seeds of a comparison, derived from one seed.

    Every scenario of a comparison runs with exactly these seeds, so replicate
    r of two scenarios starts from the same people: their difference is the
    policy's effect, not the luck of the draw.
    """
    return [int(s) for s in np.random.SeedSequence(seed).generate_state(reps)]


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

    Args:
        scenarios: Names, paths or Scenario objects (names must be distinct).
        reps: Replications per scenario.
        clients: Population size.
        months: Months per run.
        seed: Seed from which the replicate seeds are derived.
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
        from fatal_remedies.model.errors import UserError

        raise UserError(f"scenario '{dup}' is given twice; compare distinct scenarios")
    seeds = replicate_seeds(seed, reps)
    jobs = [(i, r) for i in range(len(resolved)) for r in range(reps)]
    out: dict[str, list[pd.DataFrame | None]] = {n: [None] * reps for n in names}
    workers = workers or os.cpu_count() or 1
    if executor is None and (workers <= 1 or len(jobs) == 1):
        for i, r in jobs:
            out[names[i]][r] = _one(resolved[i], clients, months, seeds[r])
            if on_done:
                on_done()
    else:
        own = executor is None
        ex = executor or ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
        try:
            futures = {ex.submit(_one, resolved[i], clients, months, seeds[r]): (i, r) for i, r in jobs}
            for fut in as_completed(futures):
                i, r = futures[fut]
                out[names[i]][r] = fut.result()
                if on_done:
                    on_done()
        finally:
            if own:
                ex.shutdown(cancel_futures=True)
    return {n: list(frames) for n, frames in out.items()}  # type: ignore[arg-type]
