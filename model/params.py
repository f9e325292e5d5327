"""The parameter registry: every parameter of the model, once.

The CLI (`params`, `--set`), the scenario files, the browser sliders and the
SALib problems all read this table, so a bound or a unit is changed in one
place only. Each entry says whether it is a *policy lever* (something a
municipality chooses) or an *uncertainty* (something nobody knows precisely
and a sensitivity sweep should vary), or a *run* setting (size and length).

Defaults whose meaning says "Calibrated" were fitted by
`python -m fatal_remedies.analysis.calibrate` so that the scenarios land inside the
calibration targets (method, fitted values, ranges and fit in
`docs/VALIDATION.md`); the others are plausible values argued in
`docs/ODD.md`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .errors import UserError, lookup

LEVER = "lever"
UNCERTAINTY = "uncertainty"
RUN = "run"
ASSUMPTION = "assumption"
"""The `source` of a default that no study or law gives: a plausible value, argued in docs/ODD.md."""


class ParamError(UserError):
    """A parameter name or value a user gave is not acceptable.

    The message is one line that names the problem and the allowed values,
    because the CLI prints it as is and the browser app shows it under the
    field.
    """


@dataclass(frozen=True)
class Param:
    """One model parameter.

    Attributes:
        name: Identifier used in scenario files, `--set NAME=VALUE` and code.
        default: Value when neither the scenario nor the user sets it.
        lo: Hard lower bound (numeric parameters).
        hi: Hard upper bound (numeric parameters).
        unit: Unit shown next to the value ("share 0-1", "per month", "EUR").
        kind: LEVER, UNCERTAINTY or RUN.
        type: "float", "int", "bool" or "choice".
        meaning: One sentence a policymaker understands.
        group: Heading under which the UI shows it.
        choices: Allowed values of a "choice" parameter.
        sweep: Default (lo, hi) a sensitivity sweep uses, narrower than the
            hard bounds where the hard bounds are only logical limits.
        source: Where the default comes from: a citation (the seed paper's
            passage, a law, a study, "calibrated"), or "assumption" when it
            is a plausible value argued in docs/ODD.md and nothing more.
    """

    name: str
    default: Any
    lo: float | None
    hi: float | None
    unit: str
    kind: str
    type: str
    meaning: str
    group: str
    choices: tuple[str, ...] = field(default=())
    sweep: tuple[float, float] | None = None
    source: str = ASSUMPTION

    @property
    def sweep_bounds(self) -> tuple[float, float]:
        """Default bounds for a sensitivity sweep of this parameter."""
        if self.sweep is not None:
            return self.sweep
        return (float(self.lo), float(self.hi))

    def allowed(self) -> str:
        """Human-readable description of the allowed values."""
        if self.type == "bool":
            return "true or false"
        if self.type == "choice":
            return "one of " + ", ".join(self.choices)
        kind = "an integer" if self.type == "int" else "a number"
        return f"{kind} from {format_value(self.lo)} to {format_value(self.hi)}"

    def coerce(self, value: Any) -> Any:
        """Return `value` as this parameter's type, or raise ParamError.

        Strings are accepted for every type so that `--set NAME=VALUE` and
        URL parameters go through the same check as TOML values.
        """
        bad = ParamError(
            f"parameter '{self.name}' must be {self.allowed()} ({self.unit}); got {value!r}"
        )
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in {"true", "1", "yes", "on"}:
                return True
            if isinstance(value, str) and value.strip().lower() in {"false", "0", "no", "off"}:
                return False
            if isinstance(value, (int, float)) and value in (0, 1):
                return bool(value)
            raise bad
        if self.type == "choice":
            if isinstance(value, str) and value.strip() in self.choices:
                return value.strip()
            raise bad
        if isinstance(value, bool):
            raise bad
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                raise bad from None
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise bad
        if self.type == "int":
            if float(value) != int(value):
                raise bad
            value = int(value)
        else:
            value = float(value)
        if value < self.lo or value > self.hi:
            raise bad
        return value


def format_value(x: Any) -> str:
    """A parameter value or bound as a person types it back: true/false, whole numbers without
    a decimal point, other numbers in their shortest form ("?" for an open bound)."""
    if x is None:
        return "?"
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return str(int(x)) if float(x).is_integer() else f"{x:g}"
    return str(x)


def _p(name, default, lo, hi, unit, kind, meaning, group, *, type=None, choices=(), sweep=None,
       source=ASSUMPTION):
    if type is None:
        type = "int" if isinstance(default, int) and not isinstance(default, bool) else "float"
    return Param(name, default, lo, hi, unit, kind, type, meaning, group, tuple(choices), sweep, source)


def _b(name, default, meaning, group, *, source=ASSUMPTION):
    return Param(name, default, None, None, "on/off", LEVER, "bool", meaning, group, source=source)


def _c(name, default, choices, meaning, group, *, source=ASSUMPTION):
    return Param(name, default, None, None, "choice", LEVER, "choice", meaning, group, tuple(choices),
                 source=source)


_ALL: list[Param] = [
    # ---- run size -------------------------------------------------------
    _p("n_clients", 10_000, 1, 2_000_000, "people", RUN,
       "Number of people in the simulated population (eligible for bijstand or back in work).",
       "Run"),
    _p("months", 120, 1, 1200, "months", RUN, "Number of simulated months.", "Run"),

    # ---- policy levers: data practice -----------------------------------
    _p("warehouse_linkage", 0.0, 0.0, 1.0, "share 0-1", LEVER,
       "Data warehouse: share of the municipal registrations linked in one place, so record mismatches "
       "become visible (0 = no warehouse; seed: 'data warehouse', lines 180-193).", "Data practice"),
    _c("algorithm_purpose", "none", ("none", "fraud", "support"),
       "What the predictive algorithm ranks clients for: nothing (random audits), fraud risk "
       "(datasturing) or who would benefit most from support (dienstverlening).", "Data practice"),
    _b("drop_proxy_features", False,
       "Remove proxy features (language, single parent, carer) from the algorithm's inputs.",
       "Data practice"),
    _p("retrain_interval", 6, 1, 60, "months", LEVER,
       "How often the algorithm is retrained on the outcomes of past investigations (every route).",
       "Data practice"),
    _p("training_window", 36, 3, 240, "months", LEVER,
       "How many months of past investigation outcomes the algorithm is trained on.",
       "Data practice"),
    _p("score_noise", 1.0, 0.0, 5.0, "sd of score (logit units)", UNCERTAINTY,
       "Spread in the algorithm's scores from everything it sees beyond the modelled features "
       "(Rotterdam's model had 315); 0 makes the ranking decided by the modelled features alone.",
       "Data quality", sweep=(0.3, 2.0)),
    _p("transparency", 0.0, 0.0, 1.0, "share 0-1", LEVER,
       "Share of clients whose data was looked at who are told who looked, when and why.",
       "Data practice"),
    _p("client_record_access", 0.0, 0.0, 0.5, "per month", LEVER,
       "Data commons (datameent): monthly chance that a client checks their own record and "
       "corrects errors or a change they had not reported.", "Data practice"),
    _b("purpose_binding", False,
       "Data linked for support are not used to select fraud investigations (GDPR purpose limitation, "
       "'doelbinding', seed lines 405-410 and 605-612).", "Data practice"),
    _b("consent_sharing", False,
       "Data are linked only with the client's consent (consent is more likely with higher trust).",
       "Data practice"),

    # ---- policy levers: enforcement -------------------------------------
    _p("investigation_capacity", 0.0035, 0.0, 0.05, "per receiving client per month", LEVER,
       "Most investigations per month as a share of people receiving, by every route (algorithm, random "
       "audit, warehouse mismatch, caseworker signal, tip); Rotterdam: ~1,250 of ~30,000 a year is "
       "about 0.0035 a month.", "Enforcement", source="Rotterdam, Lighthouse Reports 2023: ~1,250 "
       "investigations a year among ~30,000 recipients"),
    _b("random_audits", True,
       "Investigation capacity left after signals and tips (and not used by a fraud algorithm) goes to "
       "random audits; off: only signals, tips and warehouse mismatches are investigated.", "Enforcement"),
    _c("sanction_regime", "all_or_nothing", ("all_or_nothing", "proportional"),
       "All-or-nothing: any irregularity found counts as fraud (repayment, fine, benefit stopped); "
       "proportional: error is not fraud (repayment only unless intent is established).",
       "Enforcement"),
    _p("fine_rate", 1.0, 0.0, 1.0, "share of overpayment", LEVER,
       "Fine for a fraud finding as a share of the overpaid amount (the law's rate for intent).",
       "Enforcement", source="Boetebesluit socialezekerheidswetten art. 2a: 100% of the overpaid amount "
       "for intent (75% gross negligence, 50% normal, 25% reduced culpability)"),
    _p("sanction_months", 3, 0, 24, "months", LEVER,
       "Months the benefit is stopped after a fraud finding.", "Enforcement"),
    _p("false_finding_months", 3, 1, 24, "months", UNCERTAINTY,
       "Months of overpayment an investigation's false finding claims back (there was none).",
       "Enforcement", sweep=(1, 6)),
    _p("reinvestigation_bar_months", 12, 0, 60, "months", LEVER,
       "Months after an investigation before the same person can be selected again.", "Enforcement"),
    _p("objection_rate", 0.3, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of people sanctioned for fraud with intent who object or appeal.", "Enforcement",
       sweep=(0.1, 0.5)),
    _p("objection_rate_wrongful", 0.6, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of people sanctioned without intent who object or appeal.", "Enforcement",
       sweep=(0.3, 0.9)),
    _p("objection_success", 0.3, 0.0, 1.0, "probability", UNCERTAINTY,
       "Chance that an objection to a wrongful sanction is upheld (claim, fine and arrears are "
       "refunded, with compensation).", "Enforcement", sweep=(0.1, 0.6)),
    _p("information_burden", 0.6, 0.0, 1.0, "share 0-1", LEVER,
       "How much information the municipality demands from clients (0 = only what is needed, "
       "1 = extreme amounts).", "Enforcement"),

    # ---- policy levers: support -----------------------------------------
    _c("caseload", "rotating", ("rotating", "fixed"),
       "Rotating caseworkers, or a fixed caseworker (vaste klantmanager) for each client.",
       "Support"),
    _p("rotation_rate", 0.08, 0.0, 0.5, "per month", LEVER,
       "Under rotating caseloads: monthly chance that a client gets a new caseworker.", "Support"),
    _p("clients_per_caseworker", 120, 20, 400, "clients", LEVER,
       "Caseload size: people per caseworker.", "Support"),
    _p("caseworker_hours", 120.0, 40.0, 160.0, "hours per month", LEVER,
       "Working hours of a caseworker per month, split between investigation, paperwork and support.",
       "Support"),
    _p("support_priority", 1.0, 0.0, 5.0, "extra weight", LEVER,
       "Extra share of support hours for the clients the support algorithm ranks highest "
       "(only when the algorithm ranks for need of support).", "Support"),

    # ---- policy levers: client council ----------------------------------
    _b("council_data_access", False,
       "The client council (clientenraad) has access to the data and audits flags, sanctions and "
       "non-take-up per group each quarter (seed lines 466-480: Rotterdam refused its council access).",
       "Client council"),
    _p("council_responsiveness", 0.05, 0.0, 1.0, "probability", LEVER,
       "Chance that the municipality adopts an issue an empowered council raises.", "Client council"),
    _p("council_size", 9, 3, 25, "members", LEVER, "Members of the client council.",
       "Client council"),
    _p("obstructed_weight", 0.2, 0.0, 1.0, "multiplier", UNCERTAINTY,
       "How much of the responsiveness an obstructed council (no data access, only members' own "
       "experience) gets: it is mostly ignored.", "Client council", sweep=(0.0, 0.5)),
    _p("escalation_months", 12, 3, 60, "months", LEVER,
       "Months an ignored council issue stays open before the council escalates it (press, ombudsman).",
       "Client council"),
    _p("escalation_effect", 0.5, 0.0, 1.0, "probability", UNCERTAINTY,
       "Chance that an escalated issue is adopted after all; otherwise it is closed.", "Client council",
       sweep=(0.1, 0.8)),
    _p("council_step", 0.2, 0.0, 1.0, "share of range", LEVER,
       "How far an adopted council issue moves its lever: a share of the lever's range.",
       "Client council"),
    _p("council_ratio_alarm", 1.25, 1.0, 5.0, "ratio", UNCERTAINTY,
       "Group-to-rest rate ratio (flags, sanctions) from which an empowered council raises a gap "
       "between groups.", "Client council", sweep=(1.1, 2.0)),
    _p("council_hardship_alarm", 0.05, 0.0, 1.0, "0-1", UNCERTAINTY,
       "Gap in mean hardship (0-1) between a group and all eligible people from which an empowered "
       "council raises a gap between groups.", "Client council", sweep=(0.02, 0.1)),
    _p("council_wrongful_alarm", 0.25, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of fraud sanctions without intent from which the council asks to separate error from "
       "intent.", "Client council", sweep=(0.1, 0.5)),
    _p("council_ntu_alarm", 0.3, 0.0, 1.0, "share", UNCERTAINTY,
       "Non-take-up from which the council asks for outreach (and, with a high burden, a lower burden).",
       "Client council", sweep=(0.15, 0.45)),
    _p("council_burden_alarm", 0.3, 0.0, 1.0, "0-1", UNCERTAINTY,
       "Information burden above which the council asks to lower it.", "Client council",
       sweep=(0.2, 0.5)),
    _p("council_trust_alarm", 0.4, 0.0, 1.0, "0-1", UNCERTAINTY,
       "Mean trust of its members below which an obstructed council complains about the burden.",
       "Client council", sweep=(0.3, 0.5)),
    _p("council_error_alarm", 0.01, 0.0, 0.2, "share", UNCERTAINTY,
       "Share of receiving clients with a record error (seen through the data commons, or audited) from "
       "which an empowered council asks to fix records.", "Client council", sweep=(0.005, 0.03)),
    _p("council_support_alarm", 0.5, 0.0, 5.0, "hours per client per month", UNCERTAINTY,
       "Support hours per receiving client below which the council says clients wait for help.",
       "Client council", sweep=(0.2, 1.0)),

    # ---- the municipality and its dashboard -----------------------------
    _b("dashboard", False,
       "The municipality steers on a dashboard each quarter and moves its levers by its framing; off: "
       "the levers stay where the scenario puts them (seed lines 196-222 and 498-580).", "Municipality"),
    _c("framing", "service", ("control", "service"),
       "How the municipality reads its dashboard: control answers fraud found and rising spending with "
       "more control; service answers the council, satisfaction and non-take-up (seed lines 498-580).",
       "Municipality"),
    _b("dashboard_shows_non_take_up", False,
       "Whether the dashboard shows non-take-up (most do not measure it).", "Municipality"),
    _p("fraud_tolerance", 1.0, 0.0, 50.0, "per 1,000 receiving per quarter", UNCERTAINTY,
       "Fraud found per 1,000 people receiving per quarter that a control-framed municipality accepts; "
       "more found than this tightens control, less loosens it.", "Municipality", sweep=(0.3, 5.0)),
    _p("spending_pressure", 1.0, 0.0, 10.0, "multiplier", UNCERTAINTY,
       "How strongly a rise in spending (benefits and administration, against a year before) adds to "
       "the pressure for control.", "Municipality", sweep=(0.0, 3.0)),
    _p("municipality_step", 0.25, 0.0, 1.0, "share of distance per quarter", LEVER,
       "How fast the municipality moves a lever: the share of the distance to the lever's cap (or "
       "floor) it moves per quarter at full pressure.", "Municipality"),
    _p("data_project_months", 12, 0, 60, "months", UNCERTAINTY,
       "Months from commissioning a data project (more warehouse linkage, a fraud algorithm) until it "
       "works.", "Municipality", sweep=(6, 42),
       source="seed lines 187-192: Enschede planned half a year and took 3.5 years"),
    _p("cap_investigation_capacity", 0.00416, 0.0, 0.05, "per receiving client per month", LEVER,
       "Highest investigation capacity a control-framed municipality grows to.", "Municipality",
       source="Lighthouse Reports 2023: Rotterdam investigated up to 1,500 of ~30,000 a year"),
    _p("cap_information_burden", 0.9, 0.0, 1.0, "0-1", LEVER,
       "Highest information burden a control-framed municipality grows to.", "Municipality"),
    _p("cap_sanction_months", 6, 0, 24, "months", LEVER,
       "Longest benefit stop a control-framed municipality grows to.", "Municipality"),
    _p("cap_warehouse_linkage", 1.0, 0.0, 1.0, "share 0-1", LEVER,
       "Highest warehouse linkage a control-framed municipality grows to.", "Municipality"),
    _p("satisfaction_target", 0.6, 0.0, 1.0, "0-1", LEVER,
       "Satisfaction (the survey's mean trust of people receiving) below which a service-framed "
       "municipality lowers the burden.", "Municipality"),
    _p("ntu_target", 0.25, 0.0, 1.0, "share", LEVER,
       "Non-take-up above which a service-framed municipality (whose dashboard shows it) does outreach.",
       "Municipality"),
    _p("outreach", 0.0, 0.0, 1.0, "0-1", LEVER,
       "Outreach to eligible people not receiving (letters, visits, unemployment cafes): raises "
       "take-up.", "Support"),
    _p("outreach_effect", 1.0, 0.0, 5.0, "multiplier", UNCERTAINTY,
       "How much full outreach multiplies the chance to apply (1 = doubles it).", "Behaviour",
       sweep=(0.3, 2.0)),

    # ---- money ----------------------------------------------------------
    _p("benefit_eur", 1300.0, 500.0, 2500.0, "EUR per month", LEVER,
       "Monthly benefit of one client (bijstand norm, single adult, about 2023).", "Money"),
    _p("hourly_cost_eur", 75.0, 30.0, 150.0, "EUR per hour", UNCERTAINTY,
       "Full cost of one caseworker hour.", "Money"),
    _p("warehouse_cost_eur", 3.0, 0.0, 20.0, "EUR per client per month", UNCERTAINTY,
       "Running cost of the data warehouse at full linkage per person in the population.", "Money"),
    _p("warehouse_build_eur", 167.0, 0.0, 1000.0, "EUR per client", UNCERTAINTY,
       "Cost of building the warehouse to full linkage, per person in the population (paid as linkage "
       "grows).", "Money", sweep=(50.0, 400.0),
       source="seed lines 187-189: Rotterdam dropped a EUR 5 million build; ~30,000 recipients"),
    _p("algorithm_cost_eur", 1.0, 0.0, 20.0, "EUR per client per month", UNCERTAINTY,
       "Running cost of a risk or support algorithm (licences, consultants, retraining) per person in "
       "the population.", "Money", sweep=(0.3, 3.0)),
    _p("algorithm_build_eur", 30.0, 0.0, 500.0, "EUR per client", UNCERTAINTY,
       "One-off cost of commissioning an algorithm (a public-private project), per person in the "
       "population.", "Money", sweep=(10.0, 100.0)),
    _p("investigation_cost_eur", 900.0, 0.0, 5000.0, "EUR per investigation", UNCERTAINTY,
       "Cost of one fraud investigation by the enforcement team, beyond the caseworker's hours.",
       "Money", sweep=(400.0, 2000.0)),
    _p("objection_cost_eur", 700.0, 0.0, 5000.0, "EUR per objection", UNCERTAINTY,
       "Cost to the municipality of handling one objection or appeal.", "Money", sweep=(300.0, 1500.0)),
    _p("compensation_eur", 1000.0, 0.0, 30000.0, "EUR per upheld objection", UNCERTAINTY,
       "Compensation paid for a wrongful sanction when the objection is upheld (on top of refunding "
       "claim, fine and arrears).", "Money", sweep=(0.0, 5000.0)),
    _p("sanction_arrears_share", 0.5, 0.0, 1.0, "share of benefit per month", UNCERTAINTY,
       "Arrears (rent, bills) a person runs up each month their benefit is stopped, as a share of the "
       "benefit.", "Money", sweep=(0.2, 0.8)),
    _p("overpayment_eur", 250.0, 50.0, 1000.0, "EUR per month", UNCERTAINTY,
       "Amount overpaid each month an unreported change goes on.", "Money"),
    _p("debt_repayment", 0.05, 0.0, 0.2, "share of benefit per month", UNCERTAINTY,
       "Part of the benefit withheld each month to pay back debt to the municipality.", "Money"),
    _p("hardship_scale_eur", 3000.0, 500.0, 20000.0, "EUR", UNCERTAINTY,
       "Debt at which hardship is 0.5 (hardship = debt / (debt + scale)).", "Money"),

    # ---- uncertainties: population --------------------------------------
    _p("share_language_barrier", 0.30, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of clients who do not (yet) meet the Dutch language requirement.", "Population",
       sweep=(0.1, 0.5)),
    _p("share_single_parent", 0.20, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of single parents.", "Population", sweep=(0.1, 0.35)),
    _p("share_carer", 0.12, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of informal carers (mantelzorgers).", "Population", sweep=(0.05, 0.25)),
    _p("share_low_education", 0.50, 0.0, 1.0, "share", UNCERTAINTY,
       "Share with at most lower secondary education.", "Population", sweep=(0.3, 0.7)),
    _p("initial_trust", 0.50, 0.0, 1.0, "0-1", UNCERTAINTY,
       "Mean trust in the municipality at the start.", "Population", sweep=(0.3, 0.7)),
    _p("initial_non_take_up", 0.35, 0.0, 0.9, "share", UNCERTAINTY,
       "Share of eligible people not taking up bijstand at the start (Inspectie SZW: ~35%).",
       "Population", sweep=(0.2, 0.5), source="Inspectie SZW: ~35% non-take-up of bijstand"),
    _p("share_variable_income", 0.25, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of people with a variable income (side jobs, irregular hours).", "Population",
       sweep=(0.1, 0.4)),
    _p("complexity_base", 0.7, 0.0, 3.0, "multiplier", UNCERTAINTY,
       "How often the circumstances of a household without children, care duties or variable income "
       "change, relative to life_event_rate.", "Population", sweep=(0.4, 1.0)),
    _p("complexity_carer", 0.7, 0.0, 3.0, "multiplier", UNCERTAINTY,
       "Extra complexity of a carer's circumstances (a parent's savings, shared households; the seed's "
       "carer case, lines 365-380).", "Population", sweep=(0.2, 1.2)),
    _p("complexity_single_parent", 0.4, 0.0, 3.0, "multiplier", UNCERTAINTY,
       "Extra complexity of a single parent's circumstances (children's income, maintenance).",
       "Population", sweep=(0.1, 0.8)),
    _p("complexity_variable_income", 0.6, 0.0, 3.0, "multiplier", UNCERTAINTY,
       "Extra complexity of a variable income (every month's earnings must be reported).",
       "Population", sweep=(0.2, 1.0)),
    _p("literacy_language_penalty", 0.25, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much lower the administrative literacy of someone with a language barrier is.",
       "Population", sweep=(0.1, 0.4)),
    _p("literacy_education_penalty", 0.2, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much lower the administrative literacy of someone with little education is.",
       "Population", sweep=(0.1, 0.3)),

    # ---- uncertainties: behaviour ---------------------------------------
    _p("life_event_rate", 0.011, 0.0, 0.3, "per month", UNCERTAINTY,
       "Monthly chance of a change that must be reported (side job, savings, cohabitation), for "
       "average circumstances; complex circumstances raise it. Calibrated, see docs/VALIDATION.md.", "Behaviour",
       sweep=(0.01, 0.03), source="calibrated: docs/VALIDATION.md"),
    _p("report_skill", 0.85, 0.2, 1.0, "probability", UNCERTAINTY,
       "Chance that a fully literate, trusting client reports a change in time when nothing "
       "extra is demanded.", "Behaviour", sweep=(0.6, 0.98)),
    _p("burden_reporting_effect", 0.6, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How strongly the information burden lowers timely reporting, for the least "
       "administratively literate.", "Behaviour", sweep=(0.2, 0.9)),
    _p("late_disclosure", 0.24, 0.0, 0.5, "per month", UNCERTAINTY,
       "Monthly chance that a client reports an earlier unreported change late (then repays). "
       "Calibrated, see docs/VALIDATION.md.",
       "Behaviour", sweep=(0.02, 0.2), source="calibrated: docs/VALIDATION.md"),
    _p("fraud_base_rate", 0.0015, 0.0, 0.01, "per month", UNCERTAINTY,
       "Monthly chance of starting intentional fraud at trust 0.5 and no hardship.", "Behaviour",
       sweep=(0.0002, 0.003)),
    _p("fraud_trust_sensitivity", 3.0, 0.0, 10.0, "log-odds per unit trust", UNCERTAINTY,
       "How much lower trust raises the propensity to commit fraud (slippery slope).", "Behaviour",
       sweep=(0.0, 6.0)),
    _p("fraud_hardship_sensitivity", 1.5, 0.0, 10.0, "multiplier", UNCERTAINTY,
       "How much hardship (debt) raises the propensity to commit fraud.", "Behaviour",
       sweep=(0.0, 4.0)),
    _p("deterrence", 3.0, 0.0, 30.0, "per yearly investigation chance", UNCERTAINTY,
       "How much the perceived chance of investigation deters intentional fraud (enforced "
       "compliance).", "Behaviour", sweep=(0.0, 10.0)),
    _p("giveup_rate", 0.00045, 0.0, 0.05, "per month", UNCERTAINTY,
       "Monthly chance that a receiving client gives up the benefit, at full trust and no burden. "
       "Calibrated, see docs/VALIDATION.md.",
       "Behaviour", sweep=(0.0002, 0.0015), source="calibrated: docs/VALIDATION.md"),
    _p("giveup_burden_sensitivity", 2.0, 0.0, 10.0, "multiplier", UNCERTAINTY,
       "How much the felt information burden raises giving up (non-take-up).", "Behaviour",
       sweep=(0.5, 5.0)),
    _p("giveup_trust_sensitivity", 2.0, 0.0, 10.0, "multiplier", UNCERTAINTY,
       "How much distrust raises giving up (non-take-up).", "Behaviour", sweep=(0.5, 5.0)),
    _p("takeup_rate", 0.02, 0.0, 0.2, "per month", UNCERTAINTY,
       "Monthly chance that an eligible non-recipient applies, at full trust and no burden.",
       "Behaviour", sweep=(0.005, 0.05)),
    _p("meeting_rate", 0.5, 0.0, 4.0, "per month", UNCERTAINTY,
       "Meetings with the caseworker per month for average circumstances.", "Behaviour",
       sweep=(0.2, 1.5)),
    _p("contact_trust_effect", 0.6, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much distrust makes people avoid contact with their caseworker (honest or not): at trust 0 "
       "meetings fall by this share.", "Behaviour", sweep=(0.2, 0.9)),
    _p("trust_reporting_effect", 0.2, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much distrust lowers reporting changes in time: at trust 0 by this share.", "Behaviour",
       sweep=(0.0, 0.4)),
    _p("felt_burden_offset", 1.3, 1.0, 2.0, "0-1", UNCERTAINTY,
       "The burden a person feels is burden x (offset - literacy): the most literate feel "
       "(offset - 1) of it.", "Behaviour", sweep=(1.1, 1.5)),
    _p("takeup_trust_effect", 0.7, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much distrust keeps eligible people from applying: at trust 0 by this share.", "Behaviour",
       sweep=(0.4, 0.9)),
    _p("takeup_burden_effect", 0.5, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much the felt burden keeps eligible people from applying: at full felt burden by this share.",
       "Behaviour", sweep=(0.2, 0.8)),
    _p("return_after_sanction", 0.3, 0.0, 1.0, "probability", UNCERTAINTY,
       "Chance that someone re-applies when their benefit stop ends, at trust 0 (the rest give up).",
       "Behaviour", sweep=(0.1, 0.5)),
    _p("return_after_sanction_trust", 0.6, 0.0, 1.0, "probability", UNCERTAINTY,
       "Extra chance of re-applying after a benefit stop at full trust.", "Behaviour", sweep=(0.3, 0.8)),
    _p("tip_rate", 0.01, 0.0, 0.2, "per month", UNCERTAINTY,
       "Monthly chance that someone who commits intentional fraud is reported by a tip.", "Behaviour",
       sweep=(0.0, 0.03)),
    _p("false_tip_rate", 0.0002, 0.0, 0.01, "per month", UNCERTAINTY,
       "Monthly chance that a tip reports someone receiving who commits no fraud.", "Behaviour",
       sweep=(0.0, 0.001)),

    # ---- uncertainties: data quality and investigation --------------------
    _p("record_error_rate", 0.01, 0.0, 0.1, "per month", UNCERTAINTY,
       "Monthly chance that a client's record gets an error (a mismatch that looks like an "
       "unreported change).", "Data quality", sweep=(0.002, 0.03)),
    _p("record_fix_rate", 0.05, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly chance that the municipality corrects a record error by itself.", "Data quality",
       sweep=(0.01, 0.2)),
    _p("zrm_noise", 0.8, 0.0, 2.0, "ZRM points (sd)", UNCERTAINTY,
       "Noise in how caseworkers score the self-sufficiency matrix (ZRM).", "Data quality",
       sweep=(0.2, 1.5)),
    _p("zrm_blank_rate", 0.3, 0.0, 1.0, "share of domains", UNCERTAINTY,
       "Share of ZRM domains left blank by caseworkers.", "Data quality", sweep=(0.05, 0.6)),
    _p("linkage_detection", 0.5, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly chance that the warehouse's linkage shows an existing irregularity.",
       "Data quality", sweep=(0.2, 0.9)),
    _p("investigation_sensitivity", 0.9, 0.3, 1.0, "probability", UNCERTAINTY,
       "Chance that an investigation finds an irregularity that exists.", "Data quality",
       sweep=(0.7, 1.0)),
    _p("investigation_false_finding", 0.05, 0.0, 0.5, "probability", UNCERTAINTY,
       "Chance that an investigation of a clean client 'finds' an irregularity (more with a record "
       "error, see error_finding_factor).", "Data quality", sweep=(0.0, 0.15)),
    _p("error_finding_factor", 3.0, 1.0, 20.0, "multiplier", UNCERTAINTY,
       "How much more often a record error is taken for an irregularity, by an investigator or a "
       "caseworker, than a clean record (seed: an irregularity in the data may be a failing "
       "bureaucracy, lines 360-380).", "Data quality", sweep=(1.5, 6.0)),
    _p("mismatch_memory_months", 3, 1, 24, "months", UNCERTAINTY,
       "Months a warehouse mismatch stays on a person's file as 'recent' for selection and scoring.",
       "Data quality", sweep=(1, 6)),
    _p("signal_sensitivity", 0.03, 0.0, 1.0, "per meeting", UNCERTAINTY,
       "Chance per meeting that a caseworker who has known the client a year notices a real "
       "unreported change or fraud and signals it for investigation.", "Data quality",
       sweep=(0.01, 0.1)),
    _p("signal_false_rate", 0.0005, 0.0, 0.1, "per meeting", UNCERTAINTY,
       "Chance per meeting that a new caseworker signals a client with no irregularity (more with a "
       "record error).", "Data quality", sweep=(0.0001, 0.002)),
    _p("continuity_signal_effect", 0.5, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much knowing the client (a year with the same caseworker) sharpens signals: a new "
       "caseworker notices this share less, and a known client gets this share fewer false signals.",
       "Data quality", sweep=(0.2, 0.8)),
    _p("zrm_rescore_rate", 0.167, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly chance that the caseworker rescores a client's ZRM (about twice a year); a new "
       "caseworker always rescores.", "Data quality", sweep=(0.08, 0.33)),
    _p("hours_per_investigation", 12.0, 2.0, 60.0, "hours", UNCERTAINTY,
       "Caseworker hours one fraud investigation takes.", "Data quality", sweep=(6.0, 24.0)),
    _p("paperwork_hours", 0.4, 0.0, 2.0, "hours per client per month", UNCERTAINTY,
       "Caseworker hours per client per month spent processing demanded information at full "
       "burden.", "Data quality", sweep=(0.1, 0.8)),
    _p("paperwork_floor", 0.33, 0.0, 1.0, "share", UNCERTAINTY,
       "Share of the paperwork that remains at zero information burden.", "Data quality",
       sweep=(0.2, 0.5)),
    _p("investigation_meetings", 2.0, 0.0, 10.0, "meetings", UNCERTAINTY,
       "Meetings an investigation adds to the person's contact count.", "Data quality",
       sweep=(1.0, 4.0)),
    _p("late_fine_share", 0.29, 0.0, 1.0, "share", UNCERTAINTY,
       "Under all-or-nothing: share of late self-reported changes that still get a fine. "
       "Calibrated, see docs/VALIDATION.md.",
       "Data quality", sweep=(0.1, 0.5), source="calibrated: docs/VALIDATION.md"),
    _p("intent_accuracy", 0.9, 0.5, 1.0, "probability", UNCERTAINTY,
       "Under a proportional regime: chance that intent (or its absence) is judged correctly.",
       "Data quality", sweep=(0.7, 1.0)),

    # ---- uncertainties: trust -------------------------------------------
    _p("trust_loss_investigation", 0.15, 0.0, 1.0, "share of trust", UNCERTAINTY,
       "Share of trust lost by being investigated (less when told who looked and why, see transparency_softening).",
       "Trust", sweep=(0.05, 0.3)),
    _p("trust_loss_wrongful", 0.5, 0.0, 1.0, "share of trust", UNCERTAINTY,
       "Share of trust lost by a wrongful fraud sanction.", "Trust", sweep=(0.2, 0.8)),
    _p("trust_gain_support", 0.03, 0.0, 0.3, "share of distrust", UNCERTAINTY,
       "Share of distrust regained in a month of respectful support at full quality.", "Trust",
       sweep=(0.005, 0.06)),
    _p("trust_gain_voice", 0.03, 0.0, 0.3, "share of distrust", UNCERTAINTY,
       "Share of distrust regained per quarter when the client council has a real voice "
       "(procedural justice).", "Trust", sweep=(0.0, 0.08)),
    _p("transparency_softening", 0.5, 0.0, 1.0, "share of the loss", UNCERTAINTY,
       "Share of the trust lost by an investigation that is spared when told who looked, when and "
       "why; being told never adds trust (seed lines 769-773: transparency is a wish, not a remedy).",
       "Trust", sweep=(0.2, 0.8)),
    _p("trust_loss_burden", 0.01, 0.0, 0.2, "share of trust per month", UNCERTAINTY,
       "Share of trust lost per month at full felt information burden (being asked the same many "
       "times, seed lines 757-763).", "Trust", sweep=(0.0, 0.03)),
    _p("trust_loss_rotation", 0.05, 0.0, 0.5, "share of trust", UNCERTAINTY,
       "Share of trust lost when handed to a new caseworker (clients ask for a fixed one, seed lines "
       "790-793).", "Trust", sweep=(0.0, 0.15)),
    _p("scar_decay", 0.01, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly fading of the mark a wrongful sanction leaves; while it lasts, trust is regained only "
       "in proportion to its fading (asymmetry and hysteresis: Slovic 1993; Kirchler et al. 2008).",
       "Trust", sweep=(0.0, 0.05)),
    _p("trust_quality_effect", 0.5, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much distrust lowers the quality of support (a client who distrusts shares less): at trust "
       "0 by this share.", "Trust", sweep=(0.2, 0.8)),
    _p("word_of_mouth", 0.1, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly pull of a client's trust toward that of their acquaintances; also how strongly "
       "a wrongful sanction shakes the trust of the sanctioned person's acquaintances.", "Trust",
       sweep=(0.0, 0.3)),
    _p("hearsay_share", 0.5, 0.0, 1.0, "share of the loss", UNCERTAINTY,
       "Share of a wrongful sanction's trust loss an acquaintance feels on hearing of it (times "
       "word_of_mouth).", "Trust", sweep=(0.2, 0.8)),
    _p("network_homophily", 0.7, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How much acquaintances share a community (language group and circumstances: carer, single "
       "parent): 0 mixes everyone, 1 keeps word of mouth within communities.", "Trust",
       sweep=(0.0, 0.9)),
    _p("network_degree", 6, 2, 30, "acquaintances", UNCERTAINTY,
       "Acquaintances per client in the small-world network.", "Trust", sweep=(4, 12)),
    _p("network_rewiring", 0.1, 0.0, 1.0, "probability", UNCERTAINTY,
       "Share of ties rewired at random in the small-world network.", "Trust", sweep=(0.01, 0.3)),

    # ---- uncertainties: support and work --------------------------------
    _p("support_effect", 0.2, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly chance that good support works on the domain the record shows weakest; it lifts it a "
       "step as far as that domain really is weak.", "Support outcomes",
       sweep=(0.05, 0.4)),
    _p("continuity_effect", 1.0, 0.0, 3.0, "multiplier", UNCERTAINTY,
       "Extra quality of support after a year with the same caseworker.", "Support outcomes",
       sweep=(0.2, 2.0)),
    _p("zrm_decay", 0.02, 0.0, 0.2, "per month", UNCERTAINTY,
       "Monthly chance that a ZRM domain worsens without hardship (see hardship_decay_effect).",
       "Support outcomes", sweep=(0.005, 0.05)),
    _p("hardship_decay_effect", 1.0, 0.0, 5.0, "multiplier", UNCERTAINTY,
       "How much full hardship multiplies the decay of self-sufficiency (1 = doubles it).",
       "Support outcomes", sweep=(0.0, 2.0)),
    _p("reintegration_rate", 0.03, 0.0, 0.2, "per month", UNCERTAINTY,
       "Monthly chance of finding paid work for a fully self-sufficient, well-supported client.",
       "Support outcomes", sweep=(0.01, 0.06)),
    _p("work_ssm_exponent", 1.5, 0.5, 4.0, "exponent", UNCERTAINTY,
       "How steeply the chance of work rises with self-sufficiency (mean ZRM, scaled 0-1).",
       "Support outcomes", sweep=(1.0, 2.5)),
    _p("work_support_effect", 0.7, 0.0, 1.0, "0-1", UNCERTAINTY,
       "Share of the chance of work that depends on support (the rest comes without it).",
       "Support outcomes", sweep=(0.4, 0.9)),
    _p("work_support_cap", 2.0, 1.0, 5.0, "multiplier", UNCERTAINTY,
       "Most that intensive support multiplies the chance of work, against average support.",
       "Support outcomes", sweep=(1.5, 3.0)),
    _p("work_language_factor", 0.7, 0.0, 1.0, "multiplier", UNCERTAINTY,
       "Chance of work with a language barrier, relative to without.", "Support outcomes",
       sweep=(0.5, 0.9)),
    _p("support_ranked_share", 0.2, 0.0, 1.0, "share", LEVER,
       "Share of people receiving the support algorithm ranks for extra support.", "Support"),
    _p("work_relapse", 0.01, 0.0, 0.1, "per month", UNCERTAINTY,
       "Monthly chance that someone back in work becomes eligible again.", "Support outcomes",
       sweep=(0.003, 0.03)),
    _p("inflow_rate", 0.04, 0.0, 0.5, "per month", UNCERTAINTY,
       "Monthly chance that a person back in work leaves the model's scope and a newcomer "
       "becomes eligible in their place.", "Support outcomes", sweep=(0.01, 0.1)),
]

REGISTRY: dict[str, Param] = {p.name: p for p in _ALL}
"""All parameters by name, in display order."""


def get(name: str) -> Param:
    """Look up a parameter, with a suggestion when the name is misspelt."""
    return lookup(REGISTRY, name, "parameter", "see `fatal-remedies params` for the list", ParamError)


def defaults(include_run: bool = False) -> dict[str, Any]:
    """Default value of every model parameter."""
    return {p.name: p.default for p in _ALL if include_run or p.kind != RUN}


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Coerce and check a mapping of parameter values; raise ParamError on the first bad one."""
    return {name: get(name).coerce(v) for name, v in values.items()}


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse a `NAME=VALUE` string from the command line into a checked pair."""
    if "=" not in text:
        raise ParamError(f"--set expects NAME=VALUE, got {text!r}")
    name, _, value = text.partition("=")
    name = name.strip()
    return name, get(name).coerce(value)


def by_kind(kind: str) -> list[Param]:
    """Parameters of one kind (LEVER, UNCERTAINTY or RUN), in display order."""
    return [p for p in _ALL if p.kind == kind]


def numeric_uncertainties() -> list[Param]:
    """The parameters a sensitivity sweep varies by default."""
    return [p for p in by_kind(UNCERTAINTY) if p.type in ("float", "int")]
