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


def total(frame: pd.DataFrame, col: str) -> float:
    """Sum of a monthly column over the run."""
    return float(frame[col].sum())


def last(frame: pd.DataFrame, col: str) -> float:
    """A monthly column's value in the run's last month."""
    return float(frame[col].iloc[-1])


def aggregate(metric: Metric, frame: pd.DataFrame, sums: dict[str, float] | None = None) -> float:
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
        return float(frame[metric.source].mean())
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
    return {m.name: aggregate(m, frame, sums) for m in _metrics.summary_metrics()}


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


def compare_frames(runs: Mapping[str, Sequence[pd.DataFrame]], level: float = 0.95) -> pd.DataFrame:
    """Tidy comparison: one row per scenario and summary metric.

    Metrics: the summary metrics, then the scorecard indicators (RUN_METRICS).
    Columns: scenario, metric, mean, ci_low, ci_high, reps.
    """
    rows = []
    for scenario, frames in runs.items():
        summaries = [run_metrics(f) for f in frames]
        for metric in RUN_METRICS:
            mean, lo, hi = interval([s[metric] for s in summaries], level)
            rows.append({"scenario": scenario, "metric": metric, "mean": mean, "ci_low": lo,
                         "ci_high": hi, "reps": len(frames)})
    return pd.DataFrame(rows, columns=["scenario", "metric", "mean", "ci_low", "ci_high", "reps"])


def paired_differences(runs: Mapping[str, Sequence[pd.DataFrame]], reference: str | None = None,
                       level: float = 0.95) -> pd.DataFrame:
    """Differences of every scenario from `reference` (default: the first), paired by seed.

    The scenarios ran with the same seeds (common random numbers), so the
    interval of the paired difference is much narrower than the two
    scenarios' intervals suggest.

    Columns: scenario, reference, metric, difference, ci_low, ci_high, reps.
    """
    names = list(runs)
    reference = reference or names[0]
    ref = [run_metrics(f) for f in runs[reference]]
    rows = []
    for name in names:
        if name == reference:
            continue
        other = [run_metrics(f) for f in runs[name]]
        for metric in RUN_METRICS:
            diffs = [o[metric] - r[metric] for o, r in zip(other, ref)]
            mean, lo, hi = interval(diffs, level)
            rows.append({"scenario": name, "reference": reference, "metric": metric,
                         "difference": mean, "ci_low": lo, "ci_high": hi, "reps": len(diffs)})
    return pd.DataFrame(rows, columns=["scenario", "reference", "metric", "difference", "ci_low",
                                       "ci_high", "reps"])


def time_bands(runs: Mapping[str, Sequence[pd.DataFrame]], metrics: Iterable[str],
               level: float = 0.95) -> pd.DataFrame:
    """Per month, scenario and metric: the replicate mean and its confidence band.

    Columns: scenario, metric, month, mean, ci_low, ci_high.
    """
    parts = []
    for scenario, frames in runs.items():
        for metric in metrics:
            mat = np.vstack([f[metric].to_numpy(dtype=float) for f in frames])
            n = mat.shape[0]
            mean = np.nanmean(mat, axis=0)
            if n > 1:
                q = stats.t.ppf(0.5 + level / 2, n - 1)
                half = q * np.nanstd(mat, axis=0, ddof=1) / math.sqrt(n)
            else:
                half = np.full_like(mean, np.nan)
            parts.append(pd.DataFrame({
                "scenario": scenario, "metric": metric, "month": frames[0]["month"].to_numpy(),
                "mean": mean, "ci_low": mean - half, "ci_high": mean + half,
            }))
    return pd.concat(parts, ignore_index=True)


RUN_METRICS: dict[str, str] = {**SUMMARY_METRICS,
                               **{m.name: indicator_help(m) for m in _metrics.scorecard_metrics()}}
"""Every per-run metric `compare` reports: SUMMARY_METRICS, then the scorecard's indicators."""
