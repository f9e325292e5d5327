"""Verification: extreme and limiting cases whose outcome is known without simulating.

Each test pairs the limiting case with a contrast that differs in the one
setting that matters, so a test fails for real if the mechanism it checks is
broken (not just because nothing happens in the run). Populations are small;
the whole file runs in well under a minute. docs/VALIDATION.md lists the
cases and what they establish.
"""

import math

import numpy as np
import pytest

from fatal_remedies.analysis.summary import summarize
from fatal_remedies.model.model import BenefitModel
from fatal_remedies.model.run import simulate

NO_IRREGULARITIES = {"life_event_rate": 0.0, "fraud_base_rate": 0.0, "record_error_rate": 0.0,
                     "investigation_false_finding": 0.0}
RATIO_COLS = [f"{kind}_ratio_{g}" for kind in ("flag", "sanction", "wrongful")
              for g in ("language", "single_parent", "carer")]


def _total(frame, col):
    return float(frame[col].sum())


# ----------------------------------------------------------------- no irregularities
@pytest.mark.parametrize("scenario", ["control", "baseline"])
def test_no_irregularities_at_all_means_no_wrongful_sanctions(scenario):
    # Nothing to find: no changes in circumstances, no fraud, no record errors,
    # and investigators who do not 'find' what is not there.
    f = simulate(scenario, clients=2000, months=48, seed=1, overrides=NO_IRREGULARITIES)
    assert _total(f, "fraud_flags") > 100  # investigations do happen
    for col in ("new_irregularities", "new_intentional_fraud", "record_errors", "irregular_stock",
                "intentional_fraud_stock", "late_disclosures", "irregularities_found",
                "fraud_sanctions", "wrongful_sanctions", "repayment_claims", "fines"):
        assert _total(f, col) == 0, col
    assert _total(f, "nothing_found") == _total(f, "fraud_flags")


def test_without_irregularities_false_findings_alone_make_wrongful_sanctions():
    # The contrast: the same clean population, but investigations that sometimes
    # 'find' an irregularity; under all-or-nothing every such finding is a wrongful
    # fraud sanction. So "no irregularities" needs investigation_false_finding = 0 too.
    ov = {**NO_IRREGULARITIES, "investigation_false_finding": 0.1}
    f = simulate("control", clients=2000, months=48, seed=1, overrides=ov)
    assert _total(f, "wrongful_sanctions") > 0
    assert _total(f, "wrongful_sanctions") == _total(f, "fraud_sanctions")
    assert _total(f, "fraud_detected") == 0


# ------------------------------------------- perfect data, intent-based sanctions
PERFECT = {"record_error_rate": 0.0, "investigation_false_finding": 0.0,
           "sanction_regime": "proportional", "investigation_capacity": 0.02}


def test_perfect_data_and_intent_based_sanctions_without_judgement_error_sanction_nobody_wrongly():
    f = simulate("control", clients=3000, months=60, seed=2, overrides={**PERFECT, "intent_accuracy": 1.0})
    assert _total(f, "irregularities_found") > _total(f, "fraud_sanctions") > 0  # errors found, repaid only
    assert _total(f, "fraud_detected") > 0
    assert _total(f, "wrongful_sanctions") == 0


def test_perfect_data_wrongful_sanctions_come_only_from_misjudged_intent():
    acc = 0.8
    f = simulate("control", clients=3000, months=60, seed=2, overrides={**PERFECT, "intent_accuracy": acc})
    wrongful = _total(f, "wrongful_sanctions")
    assert wrongful > 0
    # found without intent = found - found with intent; E[fraud_detected] = acc * found with intent.
    found_without_intent = _total(f, "irregularities_found") - _total(f, "fraud_detected") / acc
    assert found_without_intent > 50
    assert wrongful / found_without_intent == pytest.approx(1 - acc, abs=0.07)


def test_all_or_nothing_with_perfect_data_still_sanctions_errors_as_fraud():
    # The contrast for the two tests above: the regime, not the data, is what matters.
    f = simulate("control", clients=3000, months=60, seed=2,
                 overrides={**PERFECT, "sanction_regime": "all_or_nothing", "intent_accuracy": 1.0})
    assert _total(f, "wrongful_sanctions") > 0
    assert _total(f, "fraud_sanctions") == _total(f, "irregularities_found")


# ------------------------------------------------------------ zero capacity
@pytest.mark.parametrize("scenario", ["control", "baseline", "service"])
def test_zero_investigation_capacity_means_no_flags(scenario):
    m = BenefitModel(scenario, n_clients=1500, seed=3, overrides={"investigation_capacity": 0.0})
    for _ in range(36):
        m.step()
    f = m.metrics_frame()
    for col in ("fraud_flags", "false_fraud_flags", "nothing_found", "irregularities_found", "fraud_detected",
                "fraud_sanctions", "wrongful_sanctions", "investigation_hours"):
        assert _total(f, col) == 0, col
    # Ratios of a rate that is zero for everybody are undefined, not 1 and not 0.
    assert f[RATIO_COLS].isna().all().all()
    if m.p["algorithm_purpose"] == "fraud":
        assert m.algorithm.feature_importance().empty  # no investigation outcome to learn from
    # Contrast: the default capacity does flag people.
    g = simulate(scenario, clients=1500, months=36, seed=3)
    assert _total(g, "fraud_flags") > 0


# ------------------------------------------------------------ council without power
@pytest.mark.parametrize("access", [False, True], ids=["obstructed", "with_data_access"])
def test_council_without_power_gets_no_issue_adopted(access):
    # Under control the council has plenty to raise (the service scenario has
    # already adopted what it would ask for), with or without data access.
    # The dashboard is frozen (the municipality would move the burden itself), and escalation to
    # the press or the ombudsman has no effect either: a council without any power.
    ov = {"council_data_access": access, "dashboard": False}
    f = simulate("control", clients=1500, months=60, seed=4,
                 overrides={**ov, "council_responsiveness": 0.0, "escalation_effect": 0.0})
    assert f["council_issues_raised"].iloc[-1] > 0  # it does raise issues
    assert (f["council_issues_adopted"] == 0).all()
    # Policy stays where the scenario put it: nothing adopted, nothing changed.
    levers = ("information_burden", "transparency", "proportional_regime", "proxies_dropped", "outreach",
              "fixed_caseload", "clients_per_caseworker", "sanction_months", "debt_repayment")
    for col in levers:
        assert f[col].nunique() == 1, col
    # Contrast: a council that is always heard gets issues adopted and policy moves.
    g = simulate("control", clients=1500, months=60, seed=4,
                 overrides={**ov, "council_responsiveness": 1.0, "obstructed_weight": 1.0})
    assert g["council_issues_adopted"].iloc[-1] > 0
    assert [col for col in levers if g[col].nunique() > 1]


# ------------------------------------------------------------ identical clients
IDENTICAL = {"share_language_barrier": 0.0, "share_single_parent": 0.0, "share_carer": 0.0,
             "share_low_education": 0.0}


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_ratios_are_undefined_when_a_group_or_its_complement_is_empty(share):
    # All clients identical in the audited traits: every group is empty (share 0)
    # or everybody (share 1). A rate ratio then has no comparison group and is
    # NaN by definition (documented in docs/VALIDATION.md), never 1.
    ov = {k: share for k in IDENTICAL}
    f = simulate("control", clients=1500, months=36, seed=5, overrides=ov)
    assert _total(f, "fraud_flags") > 0
    assert f[RATIO_COLS].iloc[-1].isna().all()


def _placebo_run(scenario, seed=6, months=60, n=3000):
    # Identical clients (no audited trait at all, no newcomers who would bring
    # real traits) carrying random 'group' labels: the labels mean nothing, so
    # every rate ratio must be about 1 whatever the policy.
    m = BenefitModel(scenario, n_clients=n, seed=seed,
                     overrides={**IDENTICAL, "inflow_rate": 0.0, "investigation_capacity": 0.02})
    labels = np.random.default_rng(seed).random(m.G.shape) < 0.3
    m.G[:] = labels
    for _ in range(months):
        m.step()
    return m.metrics_frame()


@pytest.mark.parametrize("scenario", ["control", "baseline"])
def test_identical_clients_with_meaningless_labels_have_flag_ratios_about_1(scenario):
    f = _placebo_run(scenario)
    last = f.iloc[-1]
    for g in ("language", "single_parent", "carer"):
        assert last[f"flag_ratio_{g}"] == pytest.approx(1.0, abs=0.12), g
        assert last[f"sanction_ratio_{g}"] == pytest.approx(1.0, abs=0.3), g


def test_real_groups_are_flagged_unequally_under_control():
    # The contrast: with the real traits the fraud algorithm flags carers far more often.
    f = simulate("control", clients=3000, months=60, seed=6, overrides={"investigation_capacity": 0.02})
    assert f["flag_ratio_carer"].iloc[-1] > 1.3


def test_random_audits_flag_real_groups_about_equally():
    # Selection that ignores who you are gives ratios about 1 even for groups that differ.
    f = simulate("baseline", clients=3000, months=60, seed=6, overrides={"investigation_capacity": 0.02})
    for g in ("language", "single_parent", "carer"):
        assert f[f"flag_ratio_{g}"].iloc[-1] == pytest.approx(1.0, abs=0.12), g


# ------------------------------------------------------------ scale invariance
RATES = ["nothing_found_share", "repayment_claims_per_100_per_year", "fined_share_of_claims",
         "final_non_take_up", "final_mean_trust", "flag_precision"]


def _rates(scenario, n, seeds, months=60):
    out = []
    for s in seeds:
        f = simulate(scenario, clients=n, months=months, seed=s)
        r = summarize(f)
        r["receiving_share"] = r["final_receiving"] / n
        r["flags_per_receiving_month"] = _total(f, "fraud_flags") / _total(f, "receiving")
        out.append(r)
    return out


@pytest.mark.parametrize("scenario", ["control", "baseline"])
def test_doubling_every_count_at_fixed_rates_gives_the_same_rates(scenario):
    small = _rates(scenario, 2500, [11, 12, 13, 14])
    large = _rates(scenario, 5000, [21, 22, 23, 24])
    # Flags are set by capacity, exactly (up to the fractional draw per month).
    a = np.mean([r["flags_per_receiving_month"] for r in small])
    b = np.mean([r["flags_per_receiving_month"] for r in large])
    assert a == pytest.approx(b, rel=0.03)
    for key in RATES + ["receiving_share"]:
        xs = np.array([r[key] for r in small])
        ys = np.array([r[key] for r in large])
        se = math.sqrt(xs.var(ddof=1) / xs.size + ys.var(ddof=1) / ys.size)
        # Within noise: 4 standard errors of the difference, plus 2% for the
        # small-sample SE estimate and the network's discreteness.
        tol = 4 * se + 0.02 * abs(xs.mean())
        assert abs(xs.mean() - ys.mean()) <= tol, (key, xs.mean(), ys.mean(), tol)
