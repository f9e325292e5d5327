"""Toy evaluators with known behaviour, for testing the sweep pipeline without the model.

Each is a picklable class (importable by worker processes and Dask workers),
called as ``evaluator(point: dict, seed: int) -> dict[str, float]`` like the
model evaluator. They are selected on the command line with the hidden
option ``fatal-remedies sweep --evaluator analysis.toys:NAME``.
"""

from __future__ import annotations

import math
import time
import zlib

import numpy as np

from .design import yearly_column

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, list[float]]:
    """Analytic first-order and total Sobol indices of x1, x2, x3 of the Ishigami function."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"S1": [v1 / v, v2 / v, 0.0], "ST": [(v1 + v13) / v, v2 / v, v13 / v]}


def _point_rng(point: dict, seed: int) -> np.random.Generator:
    """Noise that differs between points and replicates (not a shared shift)."""
    key = zlib.crc32(np.array([float(point[k]) for k in sorted(point)]).tobytes())
    return np.random.default_rng([int(seed), key])


class Ishigami:
    """Ishigami function of x1, x2, x3 (x4, ... have no effect), plus optional noise."""

    def __init__(self, noise: float = 0.0):
        self.noise = float(noise)

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        x1, x2, x3 = point["x1"], point["x2"], point["x3"]
        y = math.sin(x1) + ISHIGAMI_A * math.sin(x2) ** 2 + ISHIGAMI_B * x3**4 * math.sin(x1)
        if self.noise:
            y += self.noise * _point_rng(point, seed).standard_normal()
        return {"y": y}


class RegistryToy:
    """A cheap stand-in for the model over registry parameters.

    ``y`` depends linearly on the first swept parameter (strongly) and the
    second (weakly), ``z`` on their product; both have seed noise. Also
    returns five yearly values ``y_sum_y01..y05`` (for ``--over-time y:sum``).
    Raises ``ValueError`` when ``fail_when`` (name, threshold) is exceeded.
    """

    sleep = 0.0
    fail_when: tuple[str, float] | None = None

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        if self.sleep:
            time.sleep(self.sleep)
        names = list(point)
        if self.fail_when and point.get(self.fail_when[0], -math.inf) > self.fail_when[1]:
            raise ValueError(f"injected failure: {self.fail_when[0]}="
                             f"{point[self.fail_when[0]]!r} > {self.fail_when[1]}")
        from fatal_remedies.model.params import get

        u = []
        for n in names:
            lo, hi = get(n).sweep_bounds
            u.append((float(point[n]) - lo) / (hi - lo) if hi > lo else 0.0)
        rng = _point_rng(point, seed)
        y = 10 * u[0] + 2 * u[1] + 0.5 * rng.standard_normal()
        z = u[0] * u[1] + 0.05 * rng.standard_normal()
        out = {"y": y, "z": z}
        for year in range(1, 6):
            out[yearly_column("y", "sum", year)] = year * u[0] + (5 - year) * u[1]
        return out


class SlowToy(RegistryToy):
    """RegistryToy taking 0.02 s per run, so a sweep can be killed part-way."""

    sleep = 0.02


class FailingToy(RegistryToy):
    """RegistryToy that raises when the first default uncertainty exceeds a threshold."""

    fail_when = ("hourly_cost_eur", 120.0)


class CrashingToy(RegistryToy):
    """RegistryToy whose worker process dies (os._exit) when hourly_cost_eur > 140.

    Only for process pools: in a thread pool it would end the calling process.
    """

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        import multiprocessing
        import os

        if point.get("hourly_cost_eur", 0) > 140 and multiprocessing.parent_process() is not None:
            os._exit(3)
        return super().__call__(point, seed)


PAIRED_SHARES = {"wrongful_sanctions_total": 0.7, "final_mean_trust": 0.75}
"""Analytic verdicts of `PairedToy` on uniform draws: the share of the swept space where its
versus scenario is better (0.7: where the first parameter's position u0 < 0.7; 0.75: where
the second's u1 > 0.25). On `gave_up_total` versus is never better: it ties where u0 <= 0.5
and is worse above."""


class PairedToy:
    """A paired sweep's test function: one instance per scenario (``scenario=`` name).

    The scenario named ``control`` is the reference; any other name is "versus". Both
    share the replicate's noise when they get the same seed at the same point, so the
    differences below are exact then (and noisy if the seeds differed):

    * ``wrongful_sanctions_total`` (lower is better): diff = 4 (u0 - 0.7)
    * ``final_mean_trust`` (higher is better): diff = 0.2 (u1 - 0.25)
    * ``gave_up_total`` (lower is better): diff = 3 max(0, u0 - 0.5), ties below 0.5
    * ``fraud_flags_total`` (no better direction): diff = u0
    * ``seen_seed``: the seed the run was given (to check both runs of a pair get one seed)

    with u0, u1 the positions of the first two swept parameters in their sweep bounds
    (registry names, as `RegistryToy`). ``fail_versus_above`` (0-1) makes the versus
    run raise where u0 exceeds it (failure capture).
    """

    def __init__(self, scenario: str = "control", fail_versus_above: float | None = None):
        self.scenario = str(scenario)
        self.fail_versus_above = fail_versus_above

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        from fatal_remedies.model.params import get

        u = []
        for n in list(point)[:2]:
            lo, hi = get(n).sweep_bounds
            u.append((float(point[n]) - lo) / (hi - lo))
        e = _point_rng(point, seed).standard_normal(3)
        vs = self.scenario != "control"
        if vs and self.fail_versus_above is not None and u[0] > self.fail_versus_above:
            raise ValueError(f"injected failure in scenario {self.scenario}: u0={u[0]:.3f}")
        out = {"wrongful_sanctions_total": 10 * u[0] + 2 * u[1] + e[0],
               "final_mean_trust": 0.5 + 0.1 * u[1] + 0.02 * e[1],
               "gave_up_total": 5 + u[1] + e[2],
               "fraud_flags_total": 20 + 5 * u[1] + e[0],
               "seen_seed": float(seed)}
        if vs:
            out["wrongful_sanctions_total"] += 4 * (u[0] - PAIRED_SHARES[
                "wrongful_sanctions_total"])
            out["final_mean_trust"] += 0.2 * (u[1] - (1 - PAIRED_SHARES["final_mean_trust"]))
            out["gave_up_total"] += 3 * max(0.0, u[0] - 0.5)
            out["fraud_flags_total"] += u[0]
        return out
