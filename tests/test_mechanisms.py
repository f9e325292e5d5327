"""Issue 10's must-shows, each with the ablation that makes it vanish, and the literal scan.

Each must-show of issue 10 is a claim a user of the model relies on
("control flags more innocent people than service", "control grows from
the dashboard", ...). A test here shows the effect with its mechanism on and
that it goes away when the mechanism is switched off, so the effect comes
from that mechanism and not from a rule that writes the result in. Runs are
small (4,000 people, 120 months, one seed; about 15 s of CPU in all) and shared
between tests (`mechtools.run` caches them); the thresholds leave room for
the noise of such runs: the file passes on seeds 1-4 (`FR_MECH_SEED=2`
runs it on seed 2), and the comments give the figures measured. Every
overridden parameter is pinned, so neither the municipality nor the council
moves it during the run.

The comment "Fails if" above an assertion says what would make it fail.
"""

from __future__ import annotations

import textwrap
from collections import Counter

import numpy as np
import pytest
from mechtools import MODULE, ROOT, SEED, contact_by_trust, literals, offenders, run, tally

from fatal_remedies.model import params as P
from fatal_remedies.model.scenario import load_scenario

# ----------------------------------------------------------------------------- 1. literal scan

MODEL_STAGES = {
    "BenefitModel": (
        "step", "_policy", "_life_events", "_records", "_linkage", "_flag", "_investigate",
        "_support", "_trust", "_transitions", "_council", "_municipality", "_collect",
        # what the stages call for a decision or a number that matters
        "_claim", "_score_zrm", "voice", "burden", "staff", "control_intensity", "_issue_value",
        "set_lever", "commission", "apply_issue", "non_take_up_share", "linkage_recent",
    ),
}
AGENT_DECISIONS = {
    "ClientCouncil": ("step", "_audit", "_experience", "_group_gap", "_refresh_members", "answered"),
    "Municipality": ("step", "pressure", "_control", "_service", "dashboard"),
}

KNOWN: dict[tuple[str, float], int] = {}
"""Literals outside the allow-list in the current code, each a model fix still to make."""


def _scan() -> list[tuple[str, int, str, float]]:
    return (literals(ROOT / "model" / "model.py", MODEL_STAGES)
            + literals(ROOT / "model" / "agents.py", AGENT_DECISIONS)
            + literals(ROOT / "model" / "kernels.py", {MODULE: ("*",)}))  # the stages' compiled loops


def _fmt(found) -> str:
    return "\n".join(f"{f}:{line}: {value!r} in {meth}" for f, line, meth, value in found)


def test_the_scan_sees_a_planted_literal_and_passes_the_allowed_ones(tmp_path):
    """The scanner itself can fail: a 0.3 planted in a method is reported with its line."""
    fake = tmp_path / "stage.py"
    fake.write_text(textwrap.dedent('''
        class BenefitModel:
            def _flag(self):
                """Docstring numbers (like 42) are prose."""
                a = 0.5 * 12 + 1000 - 1 + 0 + 11 / 12 + (True is not None)
                return a * 0.3 + self.x[2] + self.y[3, 0]
            def other(self):
                return 7
        def kernel(x):
            """A compiled stage's loop."""
            return x[4] * 0.25
    '''), encoding="utf-8")
    found = literals(fake, {"BenefitModel": ("_flag",)})
    # Fails if the scanner misses the 0.3 or its line, reads the docstring, scans a method
    # it was not asked to (the 7), or takes an allowed number, a bool or an array position for an offender.
    assert [(line, v) for _, line, _, v in offenders(found)] == [(6, 0.3)]
    # Fails if a module's functions (the compiled stages) are not scanned.
    assert [(line, v) for _, line, _, v in offenders(literals(fake, {MODULE: ("*",)}))] == [(11, 0.25)]
    # Fails if a renamed stage would silently drop out of the scan.
    with pytest.raises(LookupError):
        literals(fake, {"BenefitModel": ("_renamed",)})


def test_stage_code_has_no_new_numeric_literal():
    """No behavioural number hides in the stage code: every literal is allowed or a known fix."""
    bad = offenders(_scan())
    new = tally(bad) - Counter(KNOWN)  # only what goes beyond the known ones
    # Fails if a stage or decision method gains a number outside {0, 1, 0.5, 11, 12, 1000}.
    assert not new, "numeric literals outside the allow-list (move them to the registry):\n" + _fmt(
        [f for f in bad if (f[2], f[3]) in new])


# ----------------------------------------------------------------------------- 2. ablations

def total(frame, col, months=None) -> float:
    """Sum of a monthly column (over the given months, 1-based, or all)."""
    f = frame if months is None else frame[frame["month"].isin(months)]
    return float(f[col].sum())


def at(frame, col, month) -> float:
    return float(frame.loc[frame["month"] == month, col].iloc[0])


# a. False fraud flags and wrongful sanctions -------------------------------------------------

def test_a_control_flags_and_sanctions_more_innocent_people_than_service():
    """Defaults: control flags and sanctions more people without intent than service."""
    _, c = run("control")
    _, s = run("service")
    # Fails if service flags as many innocent people as control (the old random audits under
    # service) or sanctions as many without intent.
    assert total(c, "false_fraud_flags") > 1.5 * total(s, "false_fraud_flags")
    assert total(c, "wrongful_sanctions") > 2 * total(s, "wrongful_sanctions")


EQUAL_CAPACITY = 0.008
"""Investigation capacity pinned in both scenarios for the equal-capacity comparisons: above
control's cap (0.00416), so that the capacity service leaves unused is large and plain."""

FILLED = {"random_audits": True, "purpose_binding": False}
"""Service filling the investigation capacity its evidence leaves over, as control does: warehouse
mismatches (data no longer bound to support) and random audits."""


def test_a_at_equal_capacity_the_flag_gap_comes_from_filling_capacity_without_evidence():
    """At equal capacity, control still flags more innocent people; the gap is how slots are filled.

    Under service an investigation starts only from a caseworker's signal or a tip, and the
    capacity they leave is not used; control fills it from its algorithm, warehouse
    mismatches and random audits, mostly people without intent. Let service fill it the same
    way and its false flags reach control's: the gap is that selection, not the capacity.
    """
    cap = {"investigation_capacity": EQUAL_CAPACITY}
    _, c = run("control", **cap)
    _, s = run("service", **cap)
    _, sf = run("service", **cap, **FILLED)
    # Fails if equal capacity removes the gap (control filling its capacity no different from
    # service leaving it unused).
    assert total(c, "false_fraud_flags") > 1.5 * total(s, "false_fraud_flags")
    # Fails if service used its capacity after all (then the gap would have another cause).
    assert total(s, "fraud_flags") < 0.5 * EQUAL_CAPACITY * total(s, "receiving")
    assert total(s, "flags_audit") + total(s, "flags_warehouse") + total(s, "flags_algorithm") == 0
    # Ablation. Fails if filling the capacity without evidence leaves service's false flags
    # well below control's (the gap would not come from selection).
    assert total(sf, "false_fraud_flags") > 0.9 * total(c, "false_fraud_flags")
    assert total(sf, "flags_warehouse") + total(sf, "flags_audit") > 0.5 * total(sf, "fraud_flags")


def test_a_wrongful_sanctions_gap_comes_from_the_all_or_nothing_regime():
    """At equal capacity control sanctions far more people without intent; the regime makes it.

    Under all-or-nothing every finding is fraud, so an unreported change without intent is
    sanctioned as fraud; the proportional regime's culpability assessment spares most.
    Switch control to proportional and the gap all but closes; switch service (filling its
    capacity) to all-or-nothing and it sanctions wrongfully as control does.
    """
    cap = {"investigation_capacity": EQUAL_CAPACITY}
    _, c = run("control", **cap)
    _, s = run("service", **cap)
    _, cp = run("control", **cap, sanction_regime="proportional")
    _, sa = run("service", **cap, **FILLED, sanction_regime="all_or_nothing")
    # Fails if control does not sanction far more people without intent at equal capacity.
    assert total(c, "wrongful_sanctions") > 5 * total(s, "wrongful_sanctions")
    # Ablation. Fails if a culpability assessment leaves control's wrongful sanctions high
    # (then the gap would come from elsewhere, e.g. the algorithm's choices).
    # (Measured 0.09-0.11 of control's on seeds 1-3; it stays above service's, which
    # investigates only a quarter as many people.)
    assert total(cp, "wrongful_sanctions") < 0.2 * total(c, "wrongful_sanctions")
    # Fails if all-or-nothing in service, filling its capacity, does not bring it near control.
    assert total(sa, "wrongful_sanctions") > 0.7 * total(c, "wrongful_sanctions")


# b. Control grows from the dashboard ---------------------------------------------------------

def test_b_control_intensity_grows_from_the_dashboard_only_in_control():
    """`control` starts modest and grows with no timed change; `service` does not; a frozen dashboard stops it."""
    assert load_scenario("control").changes == ()  # the growth is not written in the file
    _, c = run("control")
    _, s = run("service")
    _, frozen = run("control", dashboard=False)
    ci, si, fi = c["control_intensity"], s["control_intensity"], frozen["control_intensity"]
    # Fails if control does not grow by itself (at least doubling from month 1 to 120).
    assert at(c, "control_intensity", 120) > 2 * at(c, "control_intensity", 1)
    # Fails if service grows into control at any time.
    assert si.max() <= si.iloc[0] + 1e-12
    # Ablation. Fails if anything but the dashboard grows control (the council or a data
    # project without a municipality that commissions it).
    assert fi.max() <= fi.iloc[0] + 1e-12
    assert ci.iloc[0] == fi.iloc[0]  # same start: the difference is the dashboard alone


# c. Data quality reaches decisions -----------------------------------------------------------

HALF, DOUBLE = 0.005, 0.02
"""`record_error_rate` halved and doubled from its default, 0.01."""

NO_ERROR_ROUTE = {"error_finding_factor": 1.0, "investigation_false_finding": 0.0, "signal_false_rate": 0.0}
"""A record error neither makes a false finding nor a false signal more likely, and there are none."""


def test_c_wrongful_data_error_rises_with_record_errors():
    """The data-error part of wrongful sanctions rises with `record_error_rate`; the total may fall.

    Errors look like irregularities in the linkage and to the investigator, so investigations
    go to error files and away from real unreported changes: the unreported-change part
    falls, which is why the total may honestly fall (issue 10, item 4).
    """
    _, lo = run("control", record_error_rate=HALF)
    _, hi = run("control", record_error_rate=DOUBLE)
    # Fails if worse data do not give more wrongful sanctions caused by data errors.
    assert total(hi, "wrongful_data_error") > 1.2 * total(lo, "wrongful_data_error")
    # Fails if errors did not draw investigations away from unreported changes (then a
    # falling total would need another explanation).
    assert total(hi, "wrongful_unreported_change") < total(lo, "wrongful_unreported_change")


def test_c_wrongful_data_error_needs_a_false_finding_and_grows_with_its_factor():
    """Without false findings there is no wrongful sanction by data error; the factor makes most of it.

    A record error can only become a wrongful sanction through a finding in a file without a
    real irregularity, so with `investigation_false_finding=0` the part is exactly 0 at any
    error rate (the other two switches of NO_ERROR_ROUTE only remove the error's effect on
    flagging). With `error_finding_factor=1` alone, an error makes no finding likelier, and a
    finding counts as a data error only when the error made it (the same draw would have found
    nothing in a correct file): the part vanishes.
    """
    _, hi = run("control", record_error_rate=DOUBLE)
    _, f1 = run("control", record_error_rate=DOUBLE, error_finding_factor=1.0)
    _, off_lo = run("control", record_error_rate=HALF, **NO_ERROR_ROUTE)
    _, off_hi = run("control", record_error_rate=DOUBLE, **NO_ERROR_ROUTE)
    # Fails if data errors reach a wrongful sanction by another route than a false finding.
    assert total(off_lo, "wrongful_data_error") == total(off_hi, "wrongful_data_error") == 0
    # Fails if the factor by which an error makes a false finding likelier does not drive the part.
    assert total(hi, "wrongful_data_error") > 0
    assert total(f1, "wrongful_data_error") == 0  # see the docstring: the counterfactual attribution


# d. Councils that act ------------------------------------------------------------------------

def test_d_an_empowered_council_raises_and_gets_issues_adopted_in_service():
    """Even in service a council with data finds issues and gets some adopted; obstructed, far fewer."""
    ms, _ = run("service")
    mo, _ = run("service", council_data_access=False)
    # Fails if the service council never acts (issue 10: 0 adopted in every scenario).
    assert ms.council_raised > 0 and ms.council_adopted > 0
    # Fails if an obstructed council in service gets as much adopted.
    assert mo.council_adopted < ms.council_adopted
    # Same responsiveness: data access is the difference (audits, weight of its voice).
    ma, _ = run("control", council_data_access=True, council_responsiveness=0.6)
    mb, _ = run("control", council_data_access=False, council_responsiveness=0.6)
    # Fails if an obstructed council gets a third or more of what an empowered one gets adopted.
    assert 3 * mb.council_adopted < ma.council_adopted


def test_d_an_ignored_issue_escalates_after_escalation_months_once():
    """An issue left open for `escalation_months` is escalated at the next round, not earlier, once.

    Only a council with the data escalates (an obstructed council's ignored issue lapses, see
    the next test): the control municipality here keeps its low responsiveness, so most
    issues are ignored.
    """
    months = 24
    m, f = run("control", escalation_months=months, council_data_access=True)
    open_since: dict[str, int] = {}
    escalated = 0
    for a in m.council.issues:
        if a["escalated"]:
            # Fails if an issue escalates that was never left open, or escalates early or late.
            assert a["issue"] in open_since, a
            assert months <= a["month"] - open_since.pop(a["issue"]) < months + 3, a
            escalated += 1
        elif not a["adopted"]:
            # Fails if an open issue is raised again instead of waiting for its escalation.
            assert a["issue"] not in open_since, a
            open_since[a["issue"]] = a["month"]
    # Fails if escalation never happens, or the counter disagrees with the history.
    assert escalated > 0
    assert f["council_issues_escalated"].iloc[-1] == escalated == m.council_escalated
    first = min(a["month"] for a in m.council.issues)
    assert (f.loc[f["month"] < first + months, "council_issues_escalated"] == 0).all()


def test_d_an_obstructed_council_does_not_escalate_its_ignored_issues_lapse():
    """Without data access nothing is escalated; an ignored issue lapses and may be raised again."""
    months = 12
    m, f = run("control", escalation_months=months, council_data_access=False)
    # Fails if an obstructed council escalates (it has no figures to take to the press).
    assert m.council_escalated == 0 and (f["council_issues_escalated"] == 0).all()
    ignored = [a for a in m.council.issues if not a["adopted"]]
    by_issue: dict[str, list[int]] = {}
    for a in ignored:
        by_issue.setdefault(a["issue"], []).append(a["month"])
    # Fails if a lapsed issue is never raised again, or is raised again while still open.
    again = [mo for mo in by_issue.values() if len(mo) > 1]
    assert again and all(b - a >= months for mo in again for a, b in zip(mo, mo[1:]))


PINNED_SERVICE = {"information_burden": 0.4, "sanction_months": 3}
PINNED_CONTROL = {"investigation_capacity": 0.0035, "sanction_months": 1, "warehouse_linkage": 0.2}
"""Levers the municipality and the council move in these scenarios when free (checked below)."""


@pytest.mark.parametrize("scenario, pins, extra", [
    ("service", PINNED_SERVICE, {}),
    ("control", PINNED_CONTROL, {"council_data_access": True, "council_responsiveness": 0.6}),
])
def test_d_a_pinned_lever_is_never_changed(scenario, pins, extra):
    """Neither the municipality, nor the council, nor a data project changes a pinned lever."""
    free, _ = run(scenario, **extra)
    moved = {c["lever"] for c in free.lever_changes}
    # Fails if these levers would not move anyway (then pinning them would prove nothing).
    assert moved >= set(pins), moved
    m, f = run(scenario, **extra, **pins)
    # Fails if a pinned lever is changed by anyone, in the history or in the frame.
    assert not [c for c in m.lever_changes if c["lever"] in pins]
    for name, value in pins.items():
        assert m.p[name] == value, name
        assert (f[name] == value).all(), name
    # Fails if pinning froze everything (the others must still move).
    assert {c["lever"] for c in m.lever_changes} - set(pins)


# e. Trust ------------------------------------------------------------------------------------

NO_TRUST_LOSS = {"trust_loss_investigation": 0.0, "trust_loss_wrongful": 0.0,
                 "trust_loss_burden": 0.0, "trust_loss_rotation": 0.0}


def test_e_trust_falls_under_control_not_under_service():
    """Trust falls under control and rises under service; without the losses of experience it does not fall."""
    _, c = run("control")
    _, s = run("service")
    _, c0 = run("control", **NO_TRUST_LOSS)
    # Fails if surveillance builds trust again (issue 10: 0.50 -> 0.61 under control).
    assert at(c, "mean_trust", 120) < at(c, "mean_trust", 1) - 0.05
    # Fails if service loses trust.
    assert at(s, "mean_trust", 120) > at(s, "mean_trust", 1) + 0.1
    # Ablation. Fails if trust falls under control without the losses from investigations,
    # wrongful sanctions, burden and new caseworkers (then something else would drive it).
    assert at(c0, "mean_trust", 120) > at(c0, "mean_trust", 1)


QUIET = {"dashboard": False, "investigation_capacity": 0.0, "transparency": 1.0,
         "council_responsiveness": 0.0, "escalation_effect": 0.0}
"""Control with no investigations, every client told who looked, and nothing the municipality or
council changes: a rare adopted issue (a fixed caseworker) moves trust by more than 0.05 and
would drown the comparison."""


def test_e_being_linked_gives_no_trust():
    """Linking everyone in the warehouse (and telling them) gives no trust: equal or lower, never higher."""
    _, off = run("control", warehouse_linkage=0.0, **QUIET)
    _, on = run("control", warehouse_linkage=1.0, **QUIET)
    linked = total(on, "looked_at")
    trust_off = off["mean_trust"].iloc[-12:].mean()
    trust_on = on["mean_trust"].iloc[-12:].mean()
    assert linked > 0 and total(on, "informed") > 0 and total(off, "looked_at") == 0
    # Fails if linkage (or being told about it) raises trust beyond the runs' noise (0.0015 on
    # three seeds; the old model gained 0.11).
    assert trust_on <= trust_off + 0.005


def test_e_trust_lost_under_control_returns_slowly_because_of_the_mark():
    """Hysteresis: after five years of control, five years of service end below five years of service alone.

    Without a lasting mark of a wrongful sanction (`scar_decay=1`) the gap shrinks. Part of
    the shrink is that without the mark control also loses less trust in its five years.
    """
    _, r = run("reversal")
    _, s = run("service")
    _, r1 = run("reversal", scar_decay=1.0)
    _, s1 = run("service", scar_decay=1.0)
    gap = at(s, "mean_trust", 60) - at(r, "mean_trust", 120)
    gap1 = at(s1, "mean_trust", 60) - at(r1, "mean_trust", 120)
    # Fails if trust returns under service as if control had not happened.
    assert gap > 0.02
    # Ablation. Fails if the lasting mark does not keep trust down: without it the gap is
    # smaller (it explains part of the gap; the rest is the slow, proportional return of
    # trust through support, whatever was lost).
    assert gap1 < 0.85 * gap


def test_e_homophily_makes_carers_trust_less_than_everyone():
    """Word of mouth within communities: carers' trust gap under control grows with homophily."""
    def carer_gap(h):
        _, f = run("control", network_homophily=h)
        return at(f, "mean_trust", 120) - at(f, "trust_carer", 120)

    mixed, within = carer_gap(0.0), carer_gap(0.9)
    # Fails if carers, sanctioned more, do not end up trusting less when they talk mostly
    # among themselves, or if homophily makes no difference to the gap.
    assert within > 0.015
    assert within > 1.5 * mixed


# f. Low trust, fewer meetings ----------------------------------------------------------------

def test_f_low_trust_means_fewer_meetings_for_honest_clients_too():
    """Honest clients in the lowest trust third meet their caseworker less; not with `contact_trust_effect=0`."""
    lo, hi = contact_by_trust(SEED, P.get("contact_trust_effect").default)
    lo0, hi0 = contact_by_trust(SEED, 0.0)
    # Fails if low trust does not reduce contact for honest clients (measured 0.84-0.89 on
    # four seeds).
    assert lo / hi < 0.93
    # Ablation. Fails if meetings still differ by trust without the effect (0.97-1.03).
    assert abs(lo0 / hi0 - 1) < 0.05


# g. Costs ------------------------------------------------------------------------------------

COMPONENTS = ("staff_cost_eur", "data_cost_eur", "investigation_cost_eur", "objection_cost_eur",
              "compensation_eur")


@pytest.mark.parametrize("scenario, overrides, has_data", [
    ("control", {}, True),
    ("service", {}, True),
    ("baseline", {}, False),
    ("control", {"warehouse_linkage": 0.0, "algorithm_purpose": "none"}, False),
])
def test_g_costs_by_component_add_up(scenario, overrides, has_data):
    """Each component is paid where it should be; admin cost is their sum; net cost is admin + benefits - collected."""
    _, f = run(scenario, **overrides)
    # Fails if staff, investigations, objections or compensation cost nothing where they happen.
    for col in ("staff_cost_eur", "investigation_cost_eur", "objection_cost_eur"):
        assert total(f, col) > 0, col
    # Fails if an upheld objection is not compensated, or compensation is paid without one (service
    # has so few wrongful sanctions that a small run may have no upheld objection at all).
    assert (total(f, "compensation_eur") > 0) == (total(f, "objections_upheld") > 0)
    # Fails if data cost is paid without a warehouse or algorithm, or not paid with one.
    assert (f["data_cost_eur"] > 0).all() if has_data else (f["data_cost_eur"] == 0).all()
    # Fails if admin cost has a part not shown by component, or net cost another identity.
    np.testing.assert_allclose(f[list(COMPONENTS)].sum(axis=1), f["admin_cost_eur"], rtol=1e-12)
    np.testing.assert_allclose(f["admin_cost_eur"] + f["benefits_paid_eur"] - f["collected_eur"],
                               f["net_cost_eur"], rtol=1e-12)


def test_g_a_growing_warehouse_is_paid_for_when_commissioned():
    """Control's data projects pay their build cost in the month they are commissioned."""
    m, f = run("control")
    projects = [c for c in m.lever_changes if c["by"] == "data project"]
    assert projects
    # Fails if the build cost is not in data cost: months of commissioning cost more than the
    # running cost of the warehouse and algorithm in force.
    p = m.p
    running = m.n * (p["warehouse_cost_eur"] * f["warehouse_linkage"]
                     + p["algorithm_cost_eur"] * f["fraud_algorithm"])
    extra = f["data_cost_eur"] - running
    assert (extra > 1).sum() >= 1
    assert (extra >= -1e-6).all()
