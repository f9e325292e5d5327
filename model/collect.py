"""Data collection: the monthly row of metrics, its columns, and the group rate ratios.

The row is what every output is made of (CSV, Parquet, summaries, the app),
its columns are the metric registry's monthly columns (`model/metrics.py`,
`metric_columns`) and a row is made in one place (`month_row`); a test checks
that the row holds exactly those columns. Collection reads
the model's state; it changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import kernels as K
from .metrics import GROUPS, monthly_columns
from .states import NON_TAKE_UP, RECEIVING, SANCTIONED, WORK, Status

if TYPE_CHECKING:
    from .model import BenefitModel

SELF_SUFFICIENT = 3.5
"""Mean true ZRM score from which a person counts as self-sufficient (`self_sufficient_share`)."""

# Counts that only some months have (no late disclosure, no finding): 0 then.
_SOMETIMES = ("repayment_claims", "fines", "claims_eur", "fines_eur")
_RATIO_KEYS = tuple((kind, tuple(f"{key}_ratio_{name}" for name in GROUPS))
                    for kind, key in (("flags", "flag"), ("sanctions", "sanction"), ("wrongful", "wrongful")))
_GROUP_KEYS = tuple((f"trust_{name}", f"hardship_{name}") for name in GROUPS)
"""The row's per-group column names, made once (a row is made every month of every run)."""


def metric_columns() -> list[str]:
    """Column order of the monthly metrics frame: the metric registry's monthly columns."""
    return monthly_columns()


def rate_ratios(events: np.ndarray, exposure: np.ndarray, events_all: float,
                exposure_all: float) -> list[float]:
    """Event rate of each audited group divided by that of everyone else.

    A rate is events per month of exposure (months receiving). The ratio is
    NaN, never 1 or 0, when it has no comparison: the group or the rest has
    no exposure, or the rest had no event (docs/VALIDATION.md). The metrics
    use it on cumulative counters; the client council on one quarter's.
    """
    # Three groups: plain Python floats (the same IEEE arithmetic) beat array operations here.
    ev, ex = np.asarray(events, np.float64).tolist(), np.asarray(exposure, np.float64).tolist()
    out = []
    for e, x in zip(ev, ex):
        rest_e, rest_ev = exposure_all - x, events_all - e
        out.append((e / x) / (rest_ev / rest_e) if x > 0 and rest_e > 0 and rest_ev > 0 else float("nan"))
    return out


def month_row(model: "BenefitModel", counts: dict[str, float], zmean: np.ndarray,
              recf: np.ndarray) -> dict[str, float]:
    """The month's row: the stages' `counts`, completed with stocks, means, ratios and costs.

    Args:
        model: The model at the end of the month (after the exposure count).
        counts: What the stages counted this month (flags, claims, ...).
        zmean: Each person's mean true ZRM score this month.
        recf: 1.0 for each person receiving the benefit, else 0.0.
    """
    p = model.p
    nan = float("nan")
    n = model.n
    # Python ints: the same sums and shares as numpy's, faster; the stocks of the receiving in one pass.
    tally, irregular_stock, intent_stock, error_stock = K.tally(
        model.status, model.irregular, model.intent, model.rec_err, len(Status))
    tally = tally.tolist()
    n_el = max(int(n - tally[WORK]), 1)
    G = model.G
    c = model.cum
    row: dict[str, Any] = {"month": model.month, **counts}
    build = row.pop("build_eur", 0.0)
    for kind, keys in _RATIO_KEYS:
        row.update(zip(keys, rate_ratios(c[kind], c["exposure"], c[f"{kind}_all"], c["exposure_all"])))
    elf = (model.status != WORK).astype(np.float64)
    n_el_g = G @ elf
    trust_g = G @ (elf * model.trust)
    hard_g = G @ (elf * model.hardship)
    for (trust_key, hard_key), cnt, tg, hg in zip(_GROUP_KEYS, n_el_g.tolist(), trust_g.tolist(), hard_g.tolist()):
        row[trust_key] = tg / cnt if cnt else nan
        row[hard_key] = hg / cnt if cnt else nan
    any_el = n - tally[WORK] > 0
    n_rec = int(tally[RECEIVING])
    # Costs, by component (docs/ODD.md 7.12): staff from the caseload in force;
    # the warehouse by its linkage, an algorithm while in use, data projects
    # when commissioned; each investigation, objection and upheld objection.
    staff = model.staff() * p["caseworker_hours"] * p["hourly_cost_eur"]
    data_cost = n * (p["warehouse_cost_eur"] * p["warehouse_linkage"]
                     + p["algorithm_cost_eur"] * (p["algorithm_purpose"] != "none")) + build
    enforcement = counts.get("investigation_cost_eur", 0.0) + counts.get("objection_cost_eur", 0.0) \
        + counts.get("compensation_eur", 0.0)
    admin = staff + data_cost + enforcement
    benefits = n_rec * p["benefit_eur"]
    satisfaction = float(recf @ model.trust / n_rec) if n_rec else nan
    row.update(
        receiving=float(n_rec),
        in_work=float(tally[WORK]),
        non_take_up_count=float(tally[NON_TAKE_UP]),
        sanctioned=float(tally[SANCTIONED]),
        eligible=float(n - tally[WORK]),
        non_take_up=float(tally[NON_TAKE_UP] / n_el),
        mean_trust=float(elf @ model.trust / n_el) if any_el else nan,
        mean_hardship=float(elf @ model.hardship / n_el) if any_el else nan,
        mean_debt_eur=float(elf @ model.debt / n_el) if any_el else nan,
        mean_self_sufficiency=float(elf @ zmean / n_el) if any_el else nan,
        self_sufficient_share=float(elf @ (zmean >= SELF_SUFFICIENT) / n_el) if any_el else nan,
        irregular_stock=float(irregular_stock),
        intentional_fraud_stock=float(intent_stock),
        record_errors=float(error_stock),
        satisfaction=satisfaction,
        staff_cost_eur=float(staff),
        data_cost_eur=float(data_cost),
        admin_cost_eur=float(admin),
        benefits_paid_eur=float(benefits),
        net_cost_eur=float(admin + benefits - counts.get("collected_eur", 0.0)),
        benefits_not_taken_eur=float(tally[NON_TAKE_UP] * p["benefit_eur"]),
        council_issues_raised=float(model.council_raised),
        council_issues_adopted=float(model.council_adopted),
        council_issues_escalated=float(model.council_escalated),
        information_burden=float(p["information_burden"]),
        transparency=float(p["transparency"]),
        proportional_regime=float(p["sanction_regime"] == "proportional"),
        proxies_dropped=float(bool(p["drop_proxy_features"])),
        investigation_capacity=float(p["investigation_capacity"]),
        warehouse_linkage=float(p["warehouse_linkage"]),
        sanction_months=float(p["sanction_months"]),
        fraud_algorithm=float(p["algorithm_purpose"] == "fraud"),
        outreach=float(p["outreach"]),
        fixed_caseload=float(p["caseload"] == "fixed"),
        clients_per_caseworker=float(p["clients_per_caseworker"]),
        debt_repayment=float(p["debt_repayment"]),
        control_intensity=model.control_intensity(),
    )
    for key in _SOMETIMES:
        row.setdefault(key, 0.0)
    return row
