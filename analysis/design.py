"""A sweep's design: the swept parameters (factors), the sweep's specification and its sample matrix.

What is varied and where: `resolve_factors` takes parameters and bounds from
the registry (with the user's `--params` and `--bounds` checked), `SweepSpec`
holds everything that defines a sweep's runs, and `make_design` draws the
sample points with SALib (Sobol/Saltelli, Morris, Latin hypercube) or lays out
a grid. Nothing here runs the model or touches the disk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from fatal_remedies.model.errors import UserError

if TYPE_CHECKING:  # numpy is imported where it is used: the CLI reads MAX_RUNS for --help
    import numpy as np

METHODS = ("sobol", "morris", "lhs", "grid")
AGGREGATES = ("sum", "mean", "last", "max", "min")
DEFAULT_OVER_TIME = ("wrongful_sanctions:sum", "fraud_detected:sum", "mean_trust:last")
MORRIS_LEVELS = 4
MAX_RUNS = 10_000_000
"""Runs (sample points x replicates) per sweep at most, checked before any work: enough for
the README's cluster sweep (1024 x (2*50+2) x 4 = 417,792 runs) with room to spare, and a
bound on what a typo (`--samples 1099511627776`, `--reps 1000000000`) can ask for."""


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
    versus: str | None = None
    """A second scenario (name or TOML path): a *paired* sweep runs every (sample point,
    replicate) under both `scenario` and `versus` with the same replicate seed."""

    @property
    def runs_per_row(self) -> int:
        """Model runs per stored run row: 2 in a paired sweep (scenario and versus), else 1."""
        return 2 if self.versus else 1

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
            col, _ = parse_over_time(spec)
            if self.evaluator == "model":  # a model column: checked before any run, with a hint
                from fatal_remedies.model import metrics

                try:
                    metrics.monthly(col)
                except metrics.MetricError as exc:
                    raise SweepError(f"--over-time: {exc}") from None
        if self.versus is not None:
            check_paired(self.scenario, self.versus, names)
        n_points = self.n_points()
        k = self.runs_per_row
        if n_points * self.reps * k > MAX_RUNS:
            pair = " x 2 scenarios" if k == 2 else ""
            raise SweepError(
                f"this sweep would have {n_points * self.reps * k:,} runs ({n_points:,} sample "
                f"points x {self.reps:,} replicates{pair}); the limit is {MAX_RUNS:,} runs per "
                "sweep: use fewer --samples, --params or --reps")

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
            total *= _grid_level_count(f, n)
        return total


def check_paired(scenario: str, versus: str, names: Iterable[str]) -> None:
    """Refuse a paired sweep that cannot show a difference between its two scenarios.

    A lever in the swept parameters would be set to the same value in both scenarios at
    every point (a swept value pins the parameter), erasing the very difference the pair
    is there to measure; so a paired sweep varies uncertainties only. Names the registry
    does not know (test evaluators' factors) are not checked.
    """
    from fatal_remedies.model import params as P

    if not str(versus).strip():
        raise SweepError("--versus needs a scenario name or TOML path")
    if str(versus).strip() == str(scenario).strip():
        raise SweepError(f"--versus names the sweep's own scenario '{scenario}': a paired sweep "
                         "compares two different scenarios")
    levers = [n for n in names if n in P.REGISTRY and P.REGISTRY[n].kind == P.LEVER]
    if levers:
        raise SweepError(
            f"a paired sweep varies uncertainties only: {', '.join(levers)} "
            f"{'is a lever' if len(levers) == 1 else 'are levers'}, and sweeping a lever would "
            "set it alike in both scenarios and erase their difference; drop it from --params")


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


def _grid_level_count(f: Factor, n: int) -> int:
    """How many levels `_grid_levels` gives, without building them (`n` may be huge)."""
    if f.integer and n > f.hi - f.lo:  # steps below 1: every integer of lo..hi, once
        return int(f.hi - f.lo) + 1
    if f.integer:  # n is at most the (registry-bounded) width of the range
        return len(_grid_levels(f, n))
    return n


def _grid_levels(f: Factor, n: int) -> np.ndarray:
    import numpy as np

    if f.integer:
        return np.unique(np.round(np.linspace(f.lo, f.hi, n)).astype(int)).astype(float)
    return np.linspace(f.lo, f.hi, n)


def make_design(spec: SweepSpec) -> np.ndarray:
    """The raw sample matrix (points x factors), from SALib's ProblemSpec samplers."""
    import numpy as np
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
