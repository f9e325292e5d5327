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

SUMMARY_METRICS: dict[str, str] = {
    "flags_total": "people selected for a fraud investigation (sum over all months)",
    "false_flags_total": "investigated without intentional fraud",
    "fraud_detected_total": "intentional fraud found and established",
    "wrongful_sanctions_total": "sanctioned as fraud without intent",
    "fraud_sanctions_total": "all fraud sanctions (rightful and wrongful)",
    "wrongful_per_fraud_found": "wrongful sanctions per intentional fraud found",
    "flag_precision": "share of flagged people who had committed intentional fraud",
    "nothing_found_share": "share of investigations that found nothing",
    "repayment_claims_per_100_per_year": "repayment claims per 100 people receiving, per year",
    "fined_share_of_claims": "share of repayment claims that came with a fine",
    "reintegrated_total": "people who left the benefit for work",
    "gave_up_total": "times a receiving client gave up the benefit",
    "final_mean_trust": "mean trust in the municipality of eligible people, last month (0-1)",
    "final_trust_carer": "mean trust of mantelzorgers, last month (0-1)",
    "final_trust_language": "mean trust of people with a language barrier, last month (0-1)",
    "final_non_take_up": "share of eligible people not receiving, last month (0-1)",
    "final_receiving": "people receiving bijstand, last month",
    "final_mean_hardship": "mean hardship (debt pressure 0-1), last month",
    "final_self_sufficiency": "mean true ZRM score of eligible people, last month (1-5)",
    "flag_ratio_language": "flag rate with a language barrier / without (whole run)",
    "flag_ratio_single_parent": "flag rate of single parents / others (whole run)",
    "flag_ratio_carer": "flag rate of mantelzorgers / others (whole run)",
    "sanction_ratio_language": "fraud-sanction rate with a language barrier / without",
    "sanction_ratio_single_parent": "fraud-sanction rate of single parents / others",
    "sanction_ratio_carer": "fraud-sanction rate of mantelzorgers / others",
    "wrongful_ratio_carer": "wrongful-sanction rate of mantelzorgers / others",
    "collected_eur_total": "debt collected from clients, EUR",
    "claims_eur_total": "overpayments claimed back, EUR",
    "fines_eur_total": "fines imposed, EUR",
    "admin_cost_eur_total": "staff, warehouse and algorithm cost, EUR",
    "benefits_paid_eur_total": "benefits paid, EUR",
    "net_cost_eur_total": "admin cost + benefits - collected, EUR",
    "council_issues_adopted": "issues of the client council adopted by the municipality",
}
"""Summary metrics of one run, with what they mean (used as table help text)."""

_TOTALS = {
    "flags_total": "flags", "false_flags_total": "false_flags",
    "fraud_detected_total": "fraud_detected", "wrongful_sanctions_total": "wrongful_sanctions",
    "fraud_sanctions_total": "fraud_sanctions", "reintegrated_total": "reintegrated",
    "gave_up_total": "gave_up", "collected_eur_total": "collected_eur",
    "claims_eur_total": "claims_eur", "fines_eur_total": "fines_eur",
    "admin_cost_eur_total": "admin_cost_eur", "benefits_paid_eur_total": "benefits_paid_eur",
    "net_cost_eur_total": "net_cost_eur",
}
_FINAL = {
    "final_mean_trust": "mean_trust", "final_trust_carer": "trust_carer",
    "final_trust_language": "trust_language", "final_non_take_up": "non_take_up",
    "final_receiving": "receiving", "final_mean_hardship": "mean_hardship",
    "final_self_sufficiency": "mean_self_sufficiency",
    "flag_ratio_language": "flag_ratio_language", "flag_ratio_single_parent": "flag_ratio_single_parent",
    "flag_ratio_carer": "flag_ratio_carer", "sanction_ratio_language": "sanction_ratio_language",
    "sanction_ratio_single_parent": "sanction_ratio_single_parent",
    "sanction_ratio_carer": "sanction_ratio_carer", "wrongful_ratio_carer": "wrongful_ratio_carer",
    "council_issues_adopted": "council_issues_adopted",
}


def _div(a: float, b: float) -> float:
    return float(a / b) if b else float("nan")


def summarize(frame: pd.DataFrame) -> dict[str, float]:
    """Summary metrics of one run (keys and order of SUMMARY_METRICS).

    Totals are sums over all months; `final_*` and the ratios are the last
    month's values (the ratios are cumulative since month 1 already).
    """
    out: dict[str, float] = {}
    last = frame.iloc[-1]
    sums = {col: float(frame[col].sum()) for col in set(_TOTALS.values()) | {"nothing_found", "repayment_claims", "fines", "receiving"}}
    for key, col in _TOTALS.items():
        out[key] = sums[col]
    for key, col in _FINAL.items():
        out[key] = float(last[col])
    out["wrongful_per_fraud_found"] = _div(sums["wrongful_sanctions"], sums["fraud_detected"])
    out["flag_precision"] = _div(sums["flags"] - sums["false_flags"], sums["flags"])
    out["nothing_found_share"] = _div(sums["nothing_found"], sums["flags"])
    out["repayment_claims_per_100_per_year"] = _div(100 * 12 * sums["repayment_claims"], sums["receiving"])
    out["fined_share_of_claims"] = _div(sums["fines"], sums["repayment_claims"])
    return {k: out[k] for k in SUMMARY_METRICS}


def run_metrics(frame: pd.DataFrame) -> dict[str, float]:
    """Summary metrics and the FAIR/FACT/ROBUST/SHARED scorecard of one run (keys of RUN_METRICS)."""
    from .scorecard import scorecard_summary

    return {**summarize(frame), **scorecard_summary(frame)}


def _run_metric_help() -> dict[str, str]:
    from .scorecard import SCORECARD_METRICS

    return {**SUMMARY_METRICS, **SCORECARD_METRICS}


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


RUN_METRICS: dict[str, str] = _run_metric_help()
"""Every per-run metric `compare` reports: SUMMARY_METRICS, then the scorecard's indicators."""
