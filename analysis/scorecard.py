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

GROUPS = ("language", "single_parent", "carer")
HIGHER = "higher"
LOWER = "lower"


def _sum(f: pd.DataFrame, col: str) -> float:
    return float(f[col].sum())


def _div(a: float, b: float) -> float:
    return float(a / b) if b else float("nan")


def _last(f: pd.DataFrame, col: str) -> float:
    return float(f[col].iloc[-1])


def _disparity(f: pd.DataFrame, prefix: str) -> float:
    """Worst rate ratio over the audited groups, either way: max over g of max(r_g, 1/r_g).

    1 is parity; 2 means some group's rate is twice (or half) that of everyone
    else. Groups whose ratio is undefined (empty group, nobody else, no events
    among the others) are left out; NaN if all are undefined. A ratio of 0
    (events among the others, none in the group) counts as infinite disparity.
    """
    vals = []
    for g in GROUPS:
        r = _last(f, f"{prefix}_ratio_{g}")
        if math.isnan(r):
            continue
        vals.append(math.inf if r <= 0 else max(r, 1.0 / r))
    return max(vals) if vals else float("nan")


def _label_error_share(f: pd.DataFrame) -> float:
    # Investigations whose concluded label (fraud or not) differs from the truth
    # (intent or not): wrongful sanctions (label fraud, no intent) plus intentional
    # fraudsters investigated but not sanctioned as fraud.
    flags = _sum(f, "flags")
    intentional_flagged = flags - _sum(f, "false_flags")
    missed = intentional_flagged - _sum(f, "fraud_detected")
    return _div(_sum(f, "wrongful_sanctions") + missed, flags)


def _recall(f: pd.DataFrame) -> float:
    # Intentional-fraud episodes that started in the run and have ended by its
    # last month: ended by an established fraud finding / all that ended. An
    # episode ends by detection, by a finding without established intent, or by
    # leaving the benefit; ongoing episodes at the end are censored.
    started = _sum(f, "new_intentional_fraud")
    ended = started - _last(f, "intentional_fraud_stock")
    return _div(_sum(f, "fraud_detected"), ended)


def _groups_last(f: pd.DataFrame, stem: str) -> tuple[float, list[float]]:
    """Last month's overall mean of `stem` and its defined values for the audited groups."""
    vals = [_last(f, f"{stem}_{g}") for g in GROUPS]
    return _last(f, f"mean_{stem}"), [v for v in vals if not math.isnan(v)]


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
    s = _sum(f, "support_hours")
    return _div(s, s + _sum(f, "investigation_hours") + _sum(f, "paperwork_hours"))


@dataclass(frozen=True)
class Indicator:
    norm: str
    name: str
    better: str
    definition: str
    compute: Callable[[pd.DataFrame], float]

    @property
    def key(self) -> str:
        return f"{self.norm.lower()}_{self.name}"


INDICATORS: tuple[Indicator, ...] = (
    # ---- FAIR: the data (and the labels made from them) -------------------
    Indicator("FAIR", "valid_label_wrongful_share", LOWER,
              "Share of fraud sanctions that were wrongful (no intent): the fraud label the "
              "algorithm learns from is invalid this often (whole run).",
              lambda f: _div(_sum(f, "wrongful_sanctions"), _sum(f, "fraud_sanctions"))),
    Indicator("FAIR", "label_error_share", LOWER,
              "Share of investigations whose concluded label differs from the truth: wrongful "
              "fraud sanctions plus intentional fraud investigated but not established, over all "
              "investigations (whole run).", _label_error_share),
    Indicator("FAIR", "record_errors_per_1000", LOWER,
              "Records with an error (a mismatch that looks like an unreported change) per 1,000 "
              "people receiving, mean over months: data quality.",
              lambda f: _div(1000 * _sum(f, "record_errors"), _sum(f, "receiving"))),
    # ---- FACT: the algorithm and the decisions it drives --------------------
    Indicator("FACT", "fair_flag_ratio_max", LOWER,
              "Worst flag-rate ratio of an audited group (language barrier, single parent, carer) "
              "to everyone else, either way (max of r and 1/r); 1 is parity (whole run).",
              lambda f: _disparity(f, "flag")),
    Indicator("FACT", "fair_sanction_ratio_max", LOWER,
              "Worst fraud-sanction-rate ratio of an audited group to everyone else, either way; "
              "1 is parity (whole run).", lambda f: _disparity(f, "sanction")),
    Indicator("FACT", "fair_wrongful_ratio_max", LOWER,
              "Worst wrongful-sanction-rate ratio of an audited group to everyone else, either "
              "way; 1 is parity; NaN when no wrongful sanctions (whole run).",
              lambda f: _disparity(f, "wrongful")),
    Indicator("FACT", "accurate_precision", HIGHER,
              "Precision: share of investigated people who had committed intentional fraud "
              "(whole run).",
              lambda f: _div(_sum(f, "flags") - _sum(f, "false_flags"), _sum(f, "flags"))),
    Indicator("FACT", "accurate_sanction_precision", HIGHER,
              "Share of fraud sanctions that hit intentional fraud (1 - the FAIR wrongful share).",
              lambda f: _div(_sum(f, "fraud_detected"), _sum(f, "fraud_sanctions"))),
    Indicator("FACT", "accurate_recall", HIGHER,
              "Recall: of the intentional-fraud episodes that started and ended within the run, "
              "the share that ended with fraud established by an investigation; sum(fraud_detected)"
              " / (sum(new_intentional_fraud) - intentional_fraud_stock in the last month).",
              _recall),
    Indicator("FACT", "confidential_looked_at_share", LOWER,
              "People whose data was looked at (linked in the warehouse or ranked by an "
              "algorithm) per person receiving, mean over months.",
              lambda f: _div(_sum(f, "looked_at"), _sum(f, "receiving"))),
    Indicator("FACT", "transparent_informed_share", HIGHER,
              "Share of people whose data was looked at who were told who looked, when and why "
              "(sum informed / sum looked_at; NaN when nobody's data was looked at).",
              lambda f: _div(_sum(f, "informed"), _sum(f, "looked_at"))),
    # ---- ROBUST: the infrastructure as the clients meet it ------------------
    Indicator("ROBUST", "trustworthy_final_trust", HIGHER,
              "Mean trust in the municipality of eligible people, last month (0-1).",
              lambda f: _last(f, "mean_trust")),
    Indicator("ROBUST", "user_oriented_support_hours_share", HIGHER,
              "Share of caseworker hours spent on support rather than investigations and "
              "paperwork (whole run).", _hours_share),
    Indicator("ROBUST", "beneficial_reintegration_per_100_per_year", HIGHER,
              "People who left the benefit for work per 100 receiving per year.",
              lambda f: _div(100 * 12 * _sum(f, "reintegrated"), _sum(f, "receiving"))),
    Indicator("ROBUST", "resilient_wrongful_per_1000_per_year", LOWER,
              "Wrongful fraud sanctions per 1,000 people receiving per year: the errors of the "
              "system that fall on individuals.",
              lambda f: _div(1000 * 12 * _sum(f, "wrongful_sanctions"), _sum(f, "receiving"))),
    # ---- SHARED: who carries the costs --------------------------------------
    Indicator("SHARED", "diverse_hardship_gap", LOWER,
              "Highest mean hardship of an audited group minus the mean hardship of all eligible "
              "people (hardship 0-1), last month: how much worse off the worst-off group is.",
              _hardship_abs_gap),
    Indicator("SHARED", "diverse_hardship_ratio_max", LOWER,
              "Highest mean hardship of an audited group divided by the mean hardship of all "
              "eligible people, last month; 1 = no group worse off than average (relative: large when "
              "hardship is small overall).", _hardship_gap),
    Indicator("SHARED", "harmonious_trust_gap", LOWER,
              "Mean trust of all eligible people minus that of the least trusting audited group, "
              "last month.", _trust_gap),
    Indicator("SHARED", "relevant_non_take_up", LOWER,
              "Share of eligible people not receiving the benefit, last month.",
              lambda f: _last(f, "non_take_up")),
    Indicator("SHARED", "empowering_council_issues_adopted", HIGHER,
              "Issues of the client council adopted by the municipality (whole run).",
              lambda f: _last(f, "council_issues_adopted")),
)
"""Every indicator, in table order."""

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


SCORECARD_METRICS: dict[str, str] = {i.key: f"{i.definition} ({i.better} is better)" for i in INDICATORS}
"""Flat key -> meaning, in the form of `analysis.summary.SUMMARY_METRICS` (for table help text)."""
