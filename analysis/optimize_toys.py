"""Toy evaluators with a known Pareto front, for testing `fatal-remedies optimize` without the model.

Each is a picklable class called as ``evaluator(point: dict, seed: int) ->
dict[str, float]``, like `analysis.optimize.PolicyEvaluator`, selected with
the hidden option ``--evaluator fatal_remedies.analysis.optimize_toys:NAME``.
A toy names its own levers (``levers``: name -> (lo, hi, integer, unit)) and
objectives (``metrics``: name -> (unit, better)), which stand beside the
registries' for that run only. The uncertainty point in `point` is ignored:
every uncertainty scenario gives the same values, so robustness = the plain
objective and the true front is the textbook one.
"""

from __future__ import annotations

import math
import time


class ZDT1:
    """ZDT1 (Zitzler, Deb and Thiele 2000) with `n` levers x1..xn on [0, 1], objectives f1, f2
    (both to minimise). Its Pareto front: f2 = 1 - sqrt(f1), f1 in [0, 1], where x2..xn = 0
    (pymoo's `get_problem("zdt1").pareto_front()`)."""

    n = 10
    sleep = 0.0

    def __init__(self, n: int | None = None):
        if n is not None:
            self.n = int(n)
        self.levers = {f"x{i}": (0.0, 1.0, False, "-") for i in range(1, self.n + 1)}
        self.metrics = {"f1": ("-", "lower"), "f2": ("-", "lower")}

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        if self.sleep:
            time.sleep(self.sleep)
        x = [float(point[f"x{i}"]) for i in range(1, self.n + 1)]
        g = 1.0 + 9.0 * sum(x[1:]) / (self.n - 1)
        return {"f1": x[0], "f2": g * (1.0 - math.sqrt(x[0] / g))}


class SlowZDT1(ZDT1):
    """ZDT1 with 5 levers taking 0.01 s per run, so an optimize run can be killed part-way."""

    n = 5
    sleep = 0.01


class DTLZ2:
    """DTLZ2 (Deb, Thiele, Laumanns and Zitzler 2002) with 4 objectives f1..f4 and 8 levers
    x1..x8 on [0, 1]: a many-objective toy (NSGA-III). Its front is the unit sphere's positive
    orthant (sum of f_i^2 = 1, where x4..x8 = 0.5)."""

    n, m = 8, 4

    def __init__(self):
        self.levers = {f"x{i}": (0.0, 1.0, False, "-") for i in range(1, self.n + 1)}
        self.metrics = {f"f{j}": ("-", "lower") for j in range(1, self.m + 1)}

    def __call__(self, point: dict, seed: int) -> dict[str, float]:
        x = [float(point[f"x{i}"]) for i in range(1, self.n + 1)]
        m = self.m
        g = sum((v - 0.5) ** 2 for v in x[m - 1:])
        out = {}
        for j in range(m):
            f = 1.0 + g
            for v in x[: m - 1 - j]:
                f *= math.cos(v * math.pi / 2)
            if j > 0:
                f *= math.sin(x[m - 1 - j] * math.pi / 2)
            out[f"f{j + 1}"] = f
        return out
