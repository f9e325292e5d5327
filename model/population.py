"""The population: the per-person arrays, and who the people and caseworkers are.

Every person's state lives in numpy arrays owned by the model, one slot per
person (see model/agents.py for why). This module makes those arrays and
fills slots with new people: once for the whole population at the start, and
each month for the newcomers who take the slots of people who left for good.
It also draws the caseworkers. Every draw comes from the generator it is
given, in a fixed order, so the same seed gives the same people
(docs/ODD.md, section 5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .metrics import GROUPS  # the audited groups: rows of `BenefitModel.G`, and the group metrics
from .states import NON_TAKE_UP, RECEIVING

if TYPE_CHECKING:
    from .model import BenefitModel

N_DOMAINS = 13
"""Domains of the self-sufficiency matrix (ZRM); their names are `agents.ZRM_DOMAINS`."""

NEVER = -10_000
"""Month stamp for 'never happened': far enough back for every 'in the last k months' test."""

# Age bands of newcomers (18-26, 27-44, 45-54, 55+), as a cumulative table:
# searching it with uniform draws is what Generator.choice(p=...) does, without
# re-validating p for every handful of newcomers each month.
AGE_BAND_CDF = np.cumsum([0.12, 0.38, 0.25, 0.25])
AGE_BAND_CDF /= AGE_BAND_CDF[-1]
VARIABLE_INCOME_SHARE = 0.25
"""Share of people with a variable income (docs/ODD.md, section 5)."""

# The per-person arrays: name -> (dtype, value of an empty slot).
PERSON_ARRAYS: dict[str, tuple[type, float]] = {
    "pid": (np.int64, 0), "status": (np.int8, 0), "age_band": (np.int8, 0),
    **{name: (bool, False) for name in (
        "language", "single_parent", "carer", "low_education", "variable_income",
        "irregular", "intent", "rec_err", "support_flag")},
    **{name: (np.float64, 0.0) for name in (
        "literacy", "complexity", "trust", "overpaid", "debt", "hardship", "meetings",
        "rec_blank", "support_hours")},
    "rec_mean": (np.float64, 3.0),
    **{name: (np.int32, 0) for name in ("months_on", "past_findings", "rel_months")},
    **{name: (np.int32, NEVER) for name in (
        "last_hit", "last_investigated", "last_wrongful", "sanction_until", "reint_month")},
}


def clip(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """np.clip without its Python-level dispatch (the same values; it runs ~10 times a month)."""
    return np.minimum(np.maximum(a, lo), hi)


def allocate(model: "BenefitModel") -> None:
    """Give the model an empty slot for each of its `n` people in every per-person array.

    Besides PERSON_ARRAYS: the true ZRM (n x 13) and the group membership
    matrix `G` (one row per audited group, as floats so that a per-group count
    is one matrix product).
    """
    n = model.n
    for name, (dtype, fill) in PERSON_ARRAYS.items():
        setattr(model, name, np.full(n, fill, dtype))
    model.zrm = np.zeros((n, N_DOMAINS), np.int8)
    model.G = np.zeros((len(GROUPS), n), np.float64)


def draw_people(model: "BenefitModel", idx: np.ndarray, rng: np.random.Generator) -> None:
    """Give the slots `idx` new people: traits, ZRM, trust; no history.

    Each person gets the next person id, so a Client view made for whoever
    had the slot before sees that they left.
    """
    k = idx.size
    p = model.p
    model.pid[idx] = np.arange(model.next_pid, model.next_pid + k)
    model.next_pid += k
    lang = model.language[idx] = rng.random(k) < p["share_language_barrier"]
    single = model.single_parent[idx] = rng.random(k) < p["share_single_parent"]
    carer = model.carer[idx] = rng.random(k) < p["share_carer"]
    low_ed = model.low_education[idx] = rng.random(k) < p["share_low_education"]
    model.age_band[idx] = AGE_BAND_CDF.searchsorted(rng.random(k), side="right")
    var_inc = model.variable_income[idx] = rng.random(k) < VARIABLE_INCOME_SHARE
    lit = 0.75 - 0.25 * lang - 0.2 * low_ed + rng.normal(0, 0.12, k)
    model.literacy[idx] = clip(lit, 0.05, 1.0)
    # Care duties (a parent's savings), children and a variable income are
    # what makes a household's circumstances change often.
    model.complexity[idx] = (
        0.7 + 0.7 * carer + 0.4 * single + 0.6 * var_inc + rng.gamma(2.0, 0.1, k)
    )
    base = 2.9 - 0.3 * lang - 0.3 * low_ed + rng.normal(0, 0.5, k)
    z = np.rint(base[:, None] + rng.normal(0, 0.7, (k, N_DOMAINS)))
    model.zrm[idx] = clip(z, 1, 5).astype(np.int8)
    model.trust[idx] = clip(rng.normal(p["initial_trust"], 0.15, k), 0.01, 0.99)
    model.G[0, idx] = lang
    model.G[1, idx] = single
    model.G[2, idx] = carer
    model.irregular[idx] = False
    model.intent[idx] = False
    model.overpaid[idx] = 0.0
    model.rec_err[idx] = False
    model.last_hit[idx] = NEVER
    model.debt[idx] = 0.0
    model.hardship[idx] = 0.0
    model.meetings[idx] = 0.0
    model.months_on[idx] = 0
    model.past_findings[idx] = 0
    model.last_investigated[idx] = NEVER
    model.last_wrongful[idx] = NEVER
    model.sanction_until[idx] = NEVER
    model.reint_month[idx] = NEVER
    model.support_flag[idx] = False
    model.rel_months[idx] = 0
    model.status[idx] = np.where(rng.random(k) < p["initial_non_take_up"], NON_TAKE_UP, RECEIVING)


def draw_caseworkers(model: "BenefitModel", rng: np.random.Generator) -> None:
    """Draw the caseworkers and give every person one, with 0-11 months of relationship."""
    model.n_cw = k = max(1, int(round(model.n / model.p["clients_per_caseworker"])))
    # "Redelijkerwijs" is left to the caseworker: most ask a little more
    # than needed, a few much more (seed, art. 17 Participatiewet passage).
    model.cw_excess = 0.3 * rng.beta(1.5, 4.0, k)
    model.cw_noise = rng.lognormal(0.0, 0.3, k)
    model.cw_blank = np.clip(rng.lognormal(0.0, 0.4, k), 0.2, 2.5)
    model.cw = rng.integers(0, k, model.n).astype(np.int32)
    model.rel_months[:] = rng.integers(0, 12, model.n)
    model.cw_hours = {h: np.zeros(k) for h in ("support", "investigation", "paperwork")}
