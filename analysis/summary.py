"""From monthly metrics frames to summary metrics, intervals and comparisons.

Everything a view shows as a number about a run or a set of runs is computed
here, so the CLI, the browser app and the sweeps agree on every figure.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from fatal_remedies.model import metrics as _metrics
from fatal_remedies.model.metrics import LAST, MEAN, RATIO, SUM, Metric

SUMMARY_METRICS: dict[str, str] = {m.name: m.meaning_en for m in _metrics.summary_metrics()}
"""Summary metrics of one run, with what they mean (used as table help text); from the registry."""


def div(a: float, b: float) -> float:
    """a / b as a float, NaN when b is 0 (a ratio over a run with nothing to divide by is undefined)."""
    return float(a / b) if b else float("nan")


class Columns(dict):
    """The columns of one run's monthly frame as float arrays, taken out of the frame once.

    `summarize` reads ~50 columns of a frame; each `frame[col]` makes a Series and deep-copies
    the frame's manifest into it, which cost a sweep run more than all the sums. `total`,
    `last` and `aggregate` take either a frame or its Columns and give the same numbers
    bit for bit: a sum skips NaN as pandas' does (NaN counted as 0, one NumPy sum of the
    column in month order), a mean divides that sum by the count of the others.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        values = frame.to_numpy(dtype=np.float64).T.copy()  # one contiguous row per column
        super().__init__(zip(frame.columns, values))


def _nansum(x: np.ndarray) -> float:
    nan = np.isnan(x)
    if nan.any():
        x = np.where(nan, 0.0, x)
    return float(x.sum())


def total(frame: pd.DataFrame | Columns, col: str) -> float:
    """Sum of a monthly column over the run (months without a value count as 0)."""
    if isinstance(frame, Columns):
        return _nansum(frame[col])
    return float(frame[col].sum())


def last(frame: pd.DataFrame | Columns, col: str) -> float:
    """A monthly column's value in the run's last month."""
    if isinstance(frame, Columns):
        return float(frame[col][-1])
    return float(frame[col].iloc[-1])


def _mean(frame: pd.DataFrame | Columns, col: str) -> float:
    """Mean of a monthly column over the months with a value (NaN when none has one)."""
    if isinstance(frame, Columns):
        x = frame[col]
        n = int(x.size - np.isnan(x).sum())
        return float(np.float64(_nansum(x)) / n) if n else float("nan")
    return float(frame[col].mean())


def aggregate(metric: Metric, frame: pd.DataFrame | Columns, sums: dict[str, float] | None = None) -> float:
    """A registry metric's value over the run of `frame`, by its aggregation.

    `sums` caches column sums between calls on the same frame. CUSTOM metrics
    are computed where they are defined (the scorecard, the targets), not here.
    """
    sums = {} if sums is None else sums

    def s(col: str) -> float:
        if col not in sums:
            sums[col] = total(frame, col)
        return sums[col]

    agg = metric.aggregation
    if agg == SUM:
        return s(metric.source)
    if agg == LAST:
        return last(frame, metric.source)
    if agg == MEAN:
        return _mean(frame, metric.source)
    if agg == RATIO:
        num = s(metric.numerator)
        if metric.scale != 1.0:
            num = metric.scale * num
        if metric.minus:
            num = num - s(metric.minus)
        return div(num, s(metric.denominator))
    raise ValueError(f"metric '{metric.name}' has aggregation {agg!r}: compute it where it is defined")


def summarize(frame: pd.DataFrame) -> dict[str, float]:
    """Summary metrics of one run (keys and order of SUMMARY_METRICS).

    Each metric aggregates the monthly columns as the registry says: totals
    are sums over all months; `final_*` and the group ratios are the last
    month's values (the ratios are cumulative since month 1 already); the
    shares and rates are ratios of sums over the whole run.
    """
    sums: dict[str, float] = {}
    cols = Columns(frame)
    return {m.name: aggregate(m, cols, sums) for m in _metrics.summary_metrics()}


def run_metrics(frame: pd.DataFrame) -> dict[str, float]:
    """Summary metrics and the FAIR/FACT/ROBUST/SHARED scorecard of one run (keys of RUN_METRICS)."""
    from .scorecard import scorecard_summary

    return {**summarize(frame), **scorecard_summary(frame)}


def indicator_help(metric: Metric) -> str:
    """Help text of a scorecard indicator: its meaning and which direction is better."""
    return f"{metric.meaning_en} ({metric.better} is better)"


def interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval of replicate values (NaNs ignored).

    With fewer than two finite values the interval is undefined (NaN).
    """
    x = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if x.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return mean, mean - half, mean + half


PLAIN, CUT_0, CUT_0_1 = "student-t", "student-t cut at 0", "student-t cut at 0 and 1"
"""Interval methods: the plain Student-t interval; the same cut at 0 (values >= 0); cut at 0 and
1 (values from 0 to 1)."""

def interval_method(metric: str) -> str:
    """CUT_0, CUT_0_1 or PLAIN for a registry metric, by its unit (PLAIN for a name not in the
    registry)."""
    try:
        unit = _metrics.get(metric).unit
    except _metrics.MetricError:
        return PLAIN
    if unit in _metrics.SHARE_UNITS:
        return CUT_0_1
    if unit in _metrics.NON_NEGATIVE_UNITS:
        return CUT_0
    return PLAIN


def bounded_interval(values: Sequence[float], metric: str,
                     level: float = 0.95) -> tuple[float, float, float]:
    """Mean and confidence interval of replicate values that stays inside the metric's range.

    A plain Student-t interval of a count with few, skewed replicates reaches
    below 0 (2.33 [-5.65, 10.3]), and of a share near 1 above 1: values the
    quantity cannot take. The interval here is the plain one cut at the range
    (0 for counts, amounts and rates; 0 and 1 for shares). A log or logit
    transform would keep it inside the range too, but with the 2-3 replicates
    the app runs by default it stretches the far end of a small count to many
    times the mean ([0, 0, 1] gives [0.005, 24.6]), which a reader takes for a
    real possibility; cutting keeps what the replicates say and removes only
    the impossible part. The point estimate stays the plain mean; all-equal
    replicates give a zero-width interval. Replicates outside the range
    (which the registry says cannot happen) keep the plain interval.
    """
    mean, lo, hi = interval(values, level)
    x = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if not math.isfinite(lo):
        return mean, lo, hi
    lo_b, hi_b = _bounds(np.array([lo]), np.array([hi]), interval_method(metric),
                         np.array([x.min()]), np.array([x.max()]))
    return mean, float(lo_b[0]), float(hi_b[0])


def _bounds(lo: np.ndarray, hi: np.ndarray, method: str, xmin: np.ndarray,
            xmax: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plain interval ends `lo`, `hi` cut at the range of `method`; where the replicates lie
    outside that range (xmin, xmax) the plain interval is kept."""
    if method == CUT_0:
        ok = xmin >= 0
        return np.where(ok, np.maximum(lo, 0.0), lo), hi
    if method == CUT_0_1:
        ok = (xmin >= 0) & (xmax <= 1)
        return (np.where(ok, np.clip(lo, 0.0, 1.0), lo), np.where(ok, np.clip(hi, 0.0, 1.0), hi))
    return lo, hi


def _per_run(run: pd.DataFrame | Mapping[str, float]) -> Mapping[str, float]:
    """A run's per-run metrics: given (a summary from `run_replications(summaries=True)`) or
    computed from its monthly frame."""
    return run if isinstance(run, Mapping) else run_metrics(run)


def compare_frames(runs: Mapping[str, Sequence[pd.DataFrame | Mapping[str, float]]],
                   level: float = 0.95) -> pd.DataFrame:
    """Tidy comparison: one row per scenario and summary metric.

    `runs` holds, per scenario, its runs' monthly frames or their per-run
    metrics (`run_metrics`, as `run_replications(summaries=True)` returns
    them: the same table, without keeping every frame).
    Metrics: the summary metrics, then the scorecard indicators (RUN_METRICS).
    Intervals stay inside each metric's range (`bounded_interval`).
    Columns: scenario, metric, mean, ci_low, ci_high, reps.
    """
    rows = []
    for scenario, frames in runs.items():
        summaries = [_per_run(f) for f in frames]
        for metric in RUN_METRICS:
            mean, lo, hi = bounded_interval([s[metric] for s in summaries], metric, level)
            rows.append({"scenario": scenario, "metric": metric, "mean": mean, "ci_low": lo,
                         "ci_high": hi, "reps": len(frames)})
    return pd.DataFrame(rows, columns=["scenario", "metric", "mean", "ci_low", "ci_high", "reps"])


def paired_differences(runs: Mapping[str, Sequence[pd.DataFrame | Mapping[str, float]]],
                       reference: str | None = None, level: float = 0.95) -> pd.DataFrame:
    """Differences of every scenario from `reference` (default: the first), paired by seed.

    The scenarios ran with the same seeds (common random numbers), so the
    interval of the paired difference is much narrower than the two
    scenarios' intervals suggest. Runs are frames or per-run metrics, as in
    `compare_frames`.

    Columns: scenario, reference, metric, difference, ci_low, ci_high, reps.
    """
    names = list(runs)
    reference = reference or names[0]
    ref = [_per_run(f) for f in runs[reference]]
    rows = []
    for name in names:
        if name == reference:
            continue
        other = [_per_run(f) for f in runs[name]]
        for metric in RUN_METRICS:
            diffs = [o[metric] - r[metric] for o, r in zip(other, ref)]
            mean, lo, hi = interval(diffs, level)
            rows.append({"scenario": name, "reference": reference, "metric": metric,
                         "difference": mean, "ci_low": lo, "ci_high": hi, "reps": len(diffs)})
    return pd.DataFrame(rows, columns=["scenario", "reference", "metric", "difference", "ci_low",
                                       "ci_high", "reps"])


def time_bands(runs: Mapping[str, Sequence[pd.DataFrame]], metrics: Iterable[str],
               level: float = 0.95, range_of: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per month, scenario and metric: the replicate mean and its confidence band.

    The band stays inside the metric's range as in `bounded_interval`;
    `range_of` names, for a column that is not in the registry (a cumulative
    sum), the registry metric whose range it has.
    Columns: scenario, metric, month, mean, ci_low, ci_high.
    """
    range_of = range_of or {}
    parts = []
    for scenario, frames in runs.items():
        for metric in metrics:
            mat = np.vstack([f[metric].to_numpy(dtype=float) for f in frames])
            n = mat.shape[0]
            mean = np.nanmean(mat, axis=0)
            if n > 1:
                q = float(stats.t.ppf(0.5 + level / 2, n - 1))
                half = q * np.nanstd(mat, axis=0, ddof=1) / math.sqrt(n)
                lo, hi = _bounds(mean - half, mean + half,
                                 interval_method(range_of.get(metric, metric)),
                                 np.nanmin(mat, axis=0), np.nanmax(mat, axis=0))
            else:
                lo = hi = np.full_like(mean, np.nan)
            parts.append(pd.DataFrame({
                "scenario": scenario, "metric": metric, "month": frames[0]["month"].to_numpy(),
                "mean": mean, "ci_low": lo, "ci_high": hi,
            }))
    return pd.concat(parts, ignore_index=True)


RUN_METRICS: dict[str, str] = {**SUMMARY_METRICS,
                               **{m.name: indicator_help(m) for m in _metrics.scorecard_metrics()}}
"""Every per-run metric `compare` reports: SUMMARY_METRICS, then the scorecard's indicators."""
