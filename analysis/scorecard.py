"""The FAIR / FACT / ROBUST / SHARED scorecard of one run.

The seed paper (Van Zoonen 2019) names four sets of norms that data-driven
administration should meet: data FAIR (findable, accessible, interoperable,
reusable), algorithms FACT (fair, accurate, confidential, transparent),
infrastructure ROBUST (resilient, open, beneficial, user-oriented, secure,
trustworthy) and projects SHARED (sustainable, harmonious, affective,
relevant, empowering, diverse: they must not deepen inequality). The carer
case breaks all four. This module turns each norm into indicators that the
model's monthly metrics frame can measure; `docs/VALIDATION.md` (section
"Scorecard") gives the definitions with their reasoning.

`scorecard(frame)` returns the table; `scorecard_summary(frame)` the same
values as flat keys ("fact_fair_flag_ratio_max", ...) for `run`/`compare`.
Every indicator is computed from the frame alone; NaN means undefined in
that run (e.g. no investigations, or an empty group).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from fatal_remedies.model import metrics as _metrics
from fatal_remedies.model.metrics import CUSTOM, GROUPS, HIGHER, LOWER, Metric  # noqa: F401 - re-exported

from .summary import aggregate, div, indicator_help, last, total


def _disparity(f: pd.DataFrame, prefix: str) -> float:
    """Worst rate ratio over the audited groups, either way: max over g of max(r_g, 1/r_g).

    1 is parity; 2 means some group's rate is twice (or half) that of everyone
    else. Groups whose ratio is undefined (empty group, nobody else, no events
    among the others) are left out; NaN if all are undefined. A ratio of 0
    (events among the others, none in the group) counts as infinite disparity.
    """
    vals = []
    for g in GROUPS:
        r = last(f, f"{prefix}_ratio_{g}")
        if math.isnan(r):
            continue
        vals.append(math.inf if r <= 0 else max(r, 1.0 / r))
    return max(vals) if vals else float("nan")


def _label_error_share(f: pd.DataFrame) -> float:
    # Investigations whose concluded label (fraud or not) differs from the truth
    # (intent or not): wrongful sanctions (label fraud, no intent) plus intentional
    # fraudsters investigated but not sanctioned as fraud.
    flags = total(f, "fraud_flags")
    intentional_flagged = flags - total(f, "false_fraud_flags")
    missed = intentional_flagged - total(f, "fraud_detected")
    return div(total(f, "wrongful_sanctions") + missed, flags)


def _recall(f: pd.DataFrame) -> float:
    # Intentional-fraud episodes that started in the run and have ended by its
    # last month: ended by an established fraud finding / all that ended. An
    # episode ends by detection, by a finding without established intent, or by
    # leaving the benefit; ongoing episodes at the end are censored.
    started = total(f, "new_intentional_fraud")
    ended = started - last(f, "intentional_fraud_stock")
    return div(total(f, "fraud_detected"), ended)


def _groups_last(f: pd.DataFrame, stem: str) -> tuple[float, list[float]]:
    """Last month's overall mean of `stem` and its defined values for the audited groups."""
    vals = [last(f, f"{stem}_{g}") for g in GROUPS]
    return last(f, f"mean_{stem}"), [v for v in vals if not math.isnan(v)]


def _hardship_gap(f: pd.DataFrame) -> float:
    mean, vals = _groups_last(f, "hardship")
    return max(vals) / mean if vals and mean > 0 else float("nan")


def _hardship_abs_gap(f: pd.DataFrame) -> float:
    mean, vals = _groups_last(f, "hardship")
    return max(vals) - mean if vals and not math.isnan(mean) else float("nan")


def _trust_gap(f: pd.DataFrame) -> float:
    mean, vals = _groups_last(f, "trust")
    return mean - min(vals) if vals and not math.isnan(mean) else float("nan")


def _hours_share(f: pd.DataFrame) -> float:
    s = total(f, "support_hours")
    return div(s, s + total(f, "investigation_hours") + total(f, "paperwork_hours"))


@dataclass(frozen=True)
class Indicator:
    """A scorecard indicator: its registry metric (name, norm, direction, meaning) and how to compute it."""

    metric: Metric
    compute: Callable[[pd.DataFrame], float]

    @property
    def norm(self) -> str:
        return self.metric.norm

    @property
    def key(self) -> str:
        return self.metric.name

    @property
    def name(self) -> str:
        """The indicator's name within its norm (the key without the norm prefix)."""
        return self.key[len(self.norm) + 1:]

    @property
    def better(self) -> str:
        return self.metric.better

    @property
    def definition(self) -> str:
        return self.metric.meaning_en


_CUSTOM: dict[str, Callable[[pd.DataFrame], float]] = {
    "fair_label_error_share": _label_error_share,
    "fact_fair_flag_ratio_max": lambda f: _disparity(f, "flag"),
    "fact_fair_sanction_ratio_max": lambda f: _disparity(f, "sanction"),
    "fact_fair_wrongful_ratio_max": lambda f: _disparity(f, "wrongful"),
    "fact_accurate_recall": _recall,
    "robust_user_oriented_support_hours_share": _hours_share,
    "shared_diverse_hardship_gap": _hardship_abs_gap,
    "shared_diverse_hardship_ratio_max": _hardship_gap,
    "shared_harmonious_trust_gap": _trust_gap,
}
"""The indicators the registry marks CUSTOM, by key; the others aggregate as the registry says."""


def _indicator(m: Metric) -> Indicator:
    if m.aggregation == CUSTOM:
        return Indicator(m, _CUSTOM[m.name])
    return Indicator(m, lambda f, m=m: aggregate(m, f))


INDICATORS: tuple[Indicator, ...] = tuple(_indicator(m) for m in _metrics.scorecard_metrics())
"""Every indicator, in table order (the registry's)."""

BY_KEY = {i.key: i for i in INDICATORS}


def scorecard(frame: pd.DataFrame) -> pd.DataFrame:
    """The scorecard of one run.

    Columns: norm, indicator, value, definition, better ("higher"/"lower"),
    key (the flat name `scorecard_summary` uses).
    """
    if frame.empty:
        raise ValueError("scorecard needs at least one month of metrics")
    rows = []
    for ind in INDICATORS:
        with np.errstate(all="ignore"):
            value = float(ind.compute(frame))
        rows.append({"norm": ind.norm, "indicator": ind.name, "value": value,
                     "definition": ind.definition, "better": ind.better, "key": ind.key})
    return pd.DataFrame(rows, columns=["norm", "indicator", "value", "definition", "better", "key"])


def scorecard_summary(frame: pd.DataFrame) -> dict[str, float]:
    """Scorecard values as flat keys (e.g. `fact_fair_flag_ratio_max`), in table order."""
    card = scorecard(frame)
    return dict(zip(card["key"], card["value"]))


SCORECARD_METRICS: dict[str, str] = {i.key: indicator_help(i.metric) for i in INDICATORS}
"""Flat key -> meaning, in the form of `analysis.summary.SUMMARY_METRICS` (for table help text)."""
