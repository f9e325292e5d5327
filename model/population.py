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

from . import kernels as K
from .metrics import GROUPS  # the audited groups: rows of `BenefitModel.G`, and the group metrics
from .states import NON_TAKE_UP, RECEIVING

if TYPE_CHECKING:
    from .model import BenefitModel

N_DOMAINS = 13
ZRM_SCALE_TOP = 5
"""A ZRM domain is scored 1 (acute problems) to 5 (fully self-sufficient)."""
"""Domains of the self-sufficiency matrix (ZRM); their names are `agents.ZRM_DOMAINS`."""

NEVER = -10_000
"""Month stamp for 'never happened': far enough back for every 'in the last k months' test."""

# Age bands of newcomers (18-26, 27-44, 45-54, 55+), as a cumulative table:
# searching it with uniform draws is what Generator.choice(p=...) does, without
# re-validating p for every handful of newcomers each month.
AGE_BAND_CDF = np.cumsum([0.12, 0.38, 0.25, 0.25])
AGE_BAND_CDF /= AGE_BAND_CDF[-1]
# Shapes of the population's spreads (docs/ODD.md, section 5; assumptions): the
# person-to-person spread of literacy, complexity, ZRM and trust, and of the
# caseworkers' habits. The behavioural levels and effects are registry parameters.
LITERACY_MEAN, LITERACY_SD, LITERACY_MIN = 0.75, 0.12, 0.05
COMPLEXITY_GAMMA = (2.0, 0.1)
ZRM_BASE, ZRM_PENALTY, ZRM_PERSON_SD, ZRM_DOMAIN_SD = 2.9, 0.3, 0.5, 0.7
TRUST_SD, TRUST_MIN, TRUST_MAX = 0.15, 0.01, 0.99
CW_EXCESS_MAX, CW_EXCESS_BETA = 0.3, (1.5, 4.0)
CW_NOISE_SD, CW_BLANK_SD, CW_BLANK_RANGE = 0.3, 0.4, (0.2, 2.5)

# The per-person arrays: name -> (dtype, value of an empty slot).
PERSON_ARRAYS: dict[str, tuple[type, float]] = {
    "pid": (np.int64, 0), "status": (np.int8, 0), "age_band": (np.int8, 0),
    **{name: (bool, False) for name in (
        "language", "single_parent", "carer", "low_education", "variable_income",
        "irregular", "intent", "rec_err", "support_flag")},
    **{name: (np.float64, 0.0) for name in (
        "literacy", "complexity", "trust", "overpaid", "debt", "hardship", "meetings",
        "rec_blank", "support_hours", "scar", "zsum")},
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
    model.rec_zrm = np.zeros((n, N_DOMAINS), np.int8)  # as recorded: 0 = blank
    model.G = np.zeros((len(GROUPS), n), np.float64)


def draw_people(model: "BenefitModel", idx: np.ndarray, rng: np.random.Generator,
                newcomers: bool = False) -> None:
    """Give the slots `idx` new people: traits, ZRM, trust; no history.

    Each person gets the next person id, so a Client view made for whoever
    had the slot before sees that they left. A slot is also a place in the
    acquaintance network, which is built around communities (language group,
    circumstances; `network_homophily`): a newcomer joins the community of
    the slot with chance `network_homophily` (else their group traits are
    drawn afresh), so the communities last while their people come and go.
    The shares stay as set: both the kept and the fresh traits have them.
    """
    k = idx.size
    p = model.p
    if newcomers:
        _newcomers(model, idx, rng)
    else:
        model.pid[idx] = np.arange(model.next_pid, model.next_pid + k)
        model.next_pid += k
        _first_people(model, idx, rng)
    K.no_history(idx, NEVER, model.scar, model.irregular, model.intent, model.overpaid, model.rec_err,
                 model.last_hit, model.debt, model.hardship, model.meetings, model.months_on, model.past_findings,
                 model.last_investigated, model.last_wrongful, model.sanction_until, model.reint_month,
                 model.support_flag, model.rel_months)
    if not newcomers:
        model.status[idx] = np.where(rng.random(k) < p["initial_non_take_up"], NON_TAKE_UP, RECEIVING)


_SHAPE = np.array([LITERACY_MEAN, LITERACY_MIN, ZRM_BASE, ZRM_PENALTY, ZRM_PERSON_SD, ZRM_DOMAIN_SD,
                   ZRM_SCALE_TOP, TRUST_MIN, TRUST_MAX], np.float64)
"""The population's shape constants, in the order kernels.newcomers reads them."""
_NEWCOMER_PARAMS = ("share_language_barrier", "share_single_parent", "share_carer", "network_homophily",
                    "share_low_education", "share_variable_income", "literacy_language_penalty",
                    "literacy_education_penalty", "complexity_base", "complexity_carer",
                    "complexity_single_parent", "complexity_variable_income", "initial_non_take_up")
"""The registry parameters kernels.newcomers reads, in its order."""


def _newcomers(model: "BenefitModel", idx: np.ndarray, rng: np.random.Generator) -> None:
    """The month's handful of newcomers: their draws in the fixed order, their traits in one compiled loop.

    The same rules and numbers as `_first_people` (tests/test_speed.py holds
    them side by side): consecutive draws of one kind are taken in one call (a Generator fills an
    array element by element, so `random(7 * k)` is `random(k)` seven times over, and `normal(0, sd)` is
    `0 + sd * standard_normal()`).
    """
    k = idx.size
    p = model.p
    u = rng.random(7 * k).reshape(7, k)
    literacy = rng.normal(0, LITERACY_SD, k)
    complexity = rng.gamma(*COMPLEXITY_GAMMA, k)
    z = rng.standard_normal((1 + N_DOMAINS) * k)  # the person's level, then the domains
    trust = rng.normal(p["initial_trust"], TRUST_SD, k)
    u_status = rng.random(k)
    K.newcomers(idx, model.next_pid, u, literacy, complexity, z, trust, u_status, AGE_BAND_CDF,
                np.array([p[name] for name in _NEWCOMER_PARAMS], np.float64), _SHAPE,
                model.pid, model.language, model.single_parent, model.carer, model.low_education,
                model.age_band, model.variable_income, model.literacy, model.complexity, model.zrm,
                model.zsum, model.trust, model.status, model.G)
    model.next_pid += k


def _first_people(model: "BenefitModel", idx: np.ndarray, rng: np.random.Generator) -> None:
    """The first population's traits, ZRM and trust, one array of draws at a time (so its peak memory
    stays that of one array)."""
    k = idx.size
    p = model.p
    uniform = (rng.random(k) for _ in range(6))
    lang = next(uniform) < p["share_language_barrier"]
    single = next(uniform) < p["share_single_parent"]
    carer = next(uniform) < p["share_carer"]
    model.language[idx], model.single_parent[idx], model.carer[idx] = lang, single, carer
    low_ed = model.low_education[idx] = next(uniform) < p["share_low_education"]
    model.age_band[idx] = AGE_BAND_CDF.searchsorted(next(uniform), side="right")
    var_inc = model.variable_income[idx] = next(uniform) < p["share_variable_income"]
    lit = LITERACY_MEAN - p["literacy_language_penalty"] * lang - p["literacy_education_penalty"] * low_ed \
        + rng.normal(0, LITERACY_SD, k)
    model.literacy[idx] = clip(lit, LITERACY_MIN, 1.0)
    # Care duties (a parent's savings), children and a variable income are
    # what makes a household's circumstances change often.
    model.complexity[idx] = (
        p["complexity_base"] + p["complexity_carer"] * carer + p["complexity_single_parent"] * single
        + p["complexity_variable_income"] * var_inc + rng.gamma(*COMPLEXITY_GAMMA, k)
    )
    base = ZRM_BASE - ZRM_PENALTY * lang - ZRM_PENALTY * low_ed
    base = base + rng.normal(0, ZRM_PERSON_SD, k)
    # No named (k, 13) draw, so that it is freed as soon as it is added.
    z = np.rint(base[:, None] + rng.normal(0, ZRM_DOMAIN_SD, (k, N_DOMAINS)))
    zrm = clip(z, 1, ZRM_SCALE_TOP).astype(np.int8)
    model.zrm[idx] = zrm
    # The row sums, kept up to date by every change of the ZRM (self-sufficiency each month).
    model.zsum[idx] = zrm.sum(axis=1)
    model.trust[idx] = clip(rng.normal(p["initial_trust"], TRUST_SD, k), TRUST_MIN, TRUST_MAX)
    model.G[0, idx] = lang
    model.G[1, idx] = single
    model.G[2, idx] = carer


def draw_caseworkers(model: "BenefitModel", rng: np.random.Generator) -> None:
    """Draw the caseworkers and give every person one, with 0-11 months of relationship."""
    model.n_cw = k = max(1, int(round(model.n / model.p["clients_per_caseworker"])))
    # "Redelijkerwijs" is left to the caseworker: most ask a little more
    # than needed, a few much more (seed, art. 17 Participatiewet passage).
    model.cw_excess = CW_EXCESS_MAX * rng.beta(*CW_EXCESS_BETA, k)
    model.cw_noise = rng.lognormal(0.0, CW_NOISE_SD, k)
    model.cw_blank = np.clip(rng.lognormal(0.0, CW_BLANK_SD, k), *CW_BLANK_RANGE)
    model.cw = rng.integers(0, k, model.n).astype(np.int32)
    model.rel_months[:] = rng.integers(0, 12, model.n)
    model.cw_hours = {h: np.zeros(k) for h in ("support", "investigation", "paperwork")}
