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


def _p(name, default, lo, hi, unit, kind, meaning, group, *, type=None, choices=(), sweep=None):
    if type is None:
        type = "int" if isinstance(default, int) and not isinstance(default, bool) else "float"
    return Param(name, default, lo, hi, unit, kind, type, meaning, group, tuple(choices), sweep)


def _b(name, default, meaning, group):
    return Param(name, default, None, None, "on/off", LEVER, "bool", meaning, group)


def _c(name, default, choices, meaning, group):
    return Param(name, default, None, None, "choice", LEVER, "choice", meaning, group, tuple(choices))


_ALL: list[Param] = [
    # ---- run size -------------------------------------------------------
    _p("n_clients", 10_000, 1, 2_000_000, "people", RUN,
       "Number of people in the simulated population (eligible for bijstand or back in work).",
       "Run"),
    _p("months", 120, 1, 1200, "months", RUN, "Number of simulated months.", "Run"),

    # ---- policy levers: data practice -----------------------------------
    _b("warehouse", False,
       "Data warehouse: all registrations linked in one place, so record mismatches become visible "
       "(seed: 'datawarehouse').", "Data practice"),
    _c("algorithm_purpose", "none", ("none", "fraud", "support"),
       "What the predictive algorithm ranks clients for: nothing (random audits), fraud risk "
       "(datasturing) or who would benefit most from support (dienstverlening).", "Data practice"),
    _b("drop_proxy_features", False,
       "Remove proxy features (language, single parent, carer) from the algorithm's inputs.",
       "Data practice"),
    _p("retrain_interval", 6, 1, 60, "months", LEVER,
       "How often the algorithm is retrained on the outcomes of the investigations it chose.",
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
    _b("consent_sharing", False,
       "Data are linked only with the client's consent (consent is more likely with higher trust).",
       "Data practice"),

    # ---- policy levers: enforcement -------------------------------------
    _p("investigation_capacity", 0.0035, 0.0, 0.05, "per receiving client per month", LEVER,
       "Investigations per month as a share of people receiving; Rotterdam: ~1,250 of ~30,000 a "
       "year is about 0.0035 a month.", "Enforcement"),
    _c("sanction_regime", "all_or_nothing", ("all_or_nothing", "proportional"),
       "all_or_nothing: any irregularity found counts as fraud (repayment, fine, benefit stopped); "
       "proportional: error is not fraud (repayment only unless intent is established).",
       "Enforcement"),
    _p("fine_rate", 1.0, 0.0, 1.0, "share of overpayment", LEVER,
       "Fine for a fraud finding as a share of the overpaid amount.", "Enforcement"),
    _p("sanction_months", 3, 0, 24, "months", LEVER,
       "Months the benefit is stopped after a fraud finding.", "Enforcement"),
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
       "(only with algorithm_purpose = support).", "Support"),

    # ---- policy levers: client council ----------------------------------
    _b("council_data_access", False,
       "The client council (clientenraad) has access to the data and audits flag and sanction "
       "rates per group.", "Client council"),
    _p("council_responsiveness", 0.05, 0.0, 1.0, "probability", LEVER,
       "Chance that the municipality adopts an issue the council raises.", "Client council"),
    _p("council_size", 9, 3, 25, "members", LEVER, "Members of the client council.",
       "Client council"),

    # ---- money ----------------------------------------------------------
    _p("benefit_eur", 1300.0, 500.0, 2500.0, "EUR per month", LEVER,
       "Monthly benefit of one client (bijstand norm, single adult, about 2023).", "Money"),
    _p("hourly_cost_eur", 75.0, 30.0, 150.0, "EUR per hour", UNCERTAINTY,
       "Full cost of one caseworker hour.", "Money"),
    _p("warehouse_cost_eur", 3.0, 0.0, 20.0, "EUR per client per month", UNCERTAINTY,
       "Running cost of the data warehouse and algorithm per person in the population.", "Money"),
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
       "Population", sweep=(0.2, 0.5)),

    # ---- uncertainties: behaviour ---------------------------------------
    _p("life_event_rate", 0.018, 0.0, 0.3, "per month", UNCERTAINTY,
       "Monthly chance of a change that must be reported (side job, savings, cohabitation), for "
       "average circumstances; complex circumstances raise it. Calibrated, see docs/VALIDATION.md.", "Behaviour",
       sweep=(0.01, 0.03)),
    _p("report_skill", 0.85, 0.2, 1.0, "probability", UNCERTAINTY,
       "Chance that a fully literate, trusting client reports a change in time when nothing "
       "extra is demanded.", "Behaviour", sweep=(0.6, 0.98)),
    _p("burden_reporting_effect", 0.6, 0.0, 1.0, "0-1", UNCERTAINTY,
       "How strongly the information burden lowers timely reporting, for the least "
       "administratively literate.", "Behaviour", sweep=(0.2, 0.9)),
    _p("late_disclosure", 0.099, 0.0, 0.5, "per month", UNCERTAINTY,
       "Monthly chance that a client reports an earlier unreported change late (then repays). "
       "Calibrated, see docs/VALIDATION.md.",
       "Behaviour", sweep=(0.02, 0.2)),
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
    _p("giveup_rate", 0.00068, 0.0, 0.05, "per month", UNCERTAINTY,
       "Monthly chance that a receiving client gives up the benefit, at full trust and no burden. "
       "Calibrated, see docs/VALIDATION.md.",
       "Behaviour", sweep=(0.0002, 0.0015)),
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
       "Chance that an investigation of a clean client 'finds' an irregularity (tripled with a "
       "record error).", "Data quality", sweep=(0.0, 0.15)),
    _p("hours_per_investigation", 12.0, 2.0, 60.0, "hours", UNCERTAINTY,
       "Caseworker hours one fraud investigation takes.", "Data quality", sweep=(6.0, 24.0)),
    _p("paperwork_hours", 0.4, 0.0, 2.0, "hours per client per month", UNCERTAINTY,
       "Caseworker hours per client per month spent processing demanded information at full "
       "burden (a third of it even at zero burden).", "Data quality", sweep=(0.1, 0.8)),
    _p("late_fine_share", 0.34, 0.0, 1.0, "share", UNCERTAINTY,
       "Under all-or-nothing: share of late self-reported changes that still get a fine. "
       "Calibrated, see docs/VALIDATION.md.",
       "Data quality", sweep=(0.1, 0.5)),
    _p("intent_accuracy", 0.9, 0.5, 1.0, "probability", UNCERTAINTY,
       "Under a proportional regime: chance that intent (or its absence) is judged correctly.",
       "Data quality", sweep=(0.7, 1.0)),

    # ---- uncertainties: trust -------------------------------------------
    _p("trust_loss_investigation", 0.15, 0.0, 1.0, "share of trust", UNCERTAINTY,
       "Share of trust lost by being investigated (halved when told who looked and why).",
       "Trust", sweep=(0.05, 0.3)),
    _p("trust_loss_wrongful", 0.5, 0.0, 1.0, "share of trust", UNCERTAINTY,
       "Share of trust lost by a wrongful fraud sanction.", "Trust", sweep=(0.2, 0.8)),
    _p("trust_gain_support", 0.03, 0.0, 0.3, "share of distrust", UNCERTAINTY,
       "Share of distrust regained in a month of respectful support at full quality.", "Trust",
       sweep=(0.005, 0.06)),
    _p("trust_gain_voice", 0.03, 0.0, 0.3, "share of distrust", UNCERTAINTY,
       "Share of distrust regained per quarter when the client council has a real voice "
       "(procedural justice).", "Trust", sweep=(0.0, 0.08)),
    _p("trust_gain_transparency", 0.05, 0.0, 0.3, "share of distrust", UNCERTAINTY,
       "Share of distrust regained when told who looked at one's data and why.", "Trust",
       sweep=(0.0, 0.1)),
    _p("word_of_mouth", 0.1, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly pull of a client's trust toward that of their acquaintances; also how strongly "
       "a wrongful sanction shakes the trust of the sanctioned person's acquaintances.", "Trust",
       sweep=(0.0, 0.3)),
    _p("network_degree", 6, 2, 30, "acquaintances", UNCERTAINTY,
       "Acquaintances per client in the small-world network.", "Trust", sweep=(4, 12)),
    _p("network_rewiring", 0.1, 0.0, 1.0, "probability", UNCERTAINTY,
       "Share of ties rewired at random in the small-world network.", "Trust", sweep=(0.01, 0.3)),

    # ---- uncertainties: support and work --------------------------------
    _p("support_effect", 0.2, 0.0, 1.0, "per month", UNCERTAINTY,
       "Monthly chance that good support lifts one ZRM domain by a step.", "Support outcomes",
       sweep=(0.05, 0.4)),
    _p("continuity_effect", 1.0, 0.0, 3.0, "multiplier", UNCERTAINTY,
       "Extra quality of support after a year with the same caseworker.", "Support outcomes",
       sweep=(0.2, 2.0)),
    _p("zrm_decay", 0.02, 0.0, 0.2, "per month", UNCERTAINTY,
       "Monthly chance that a ZRM domain worsens (doubled under full hardship).",
       "Support outcomes", sweep=(0.005, 0.05)),
    _p("reintegration_rate", 0.03, 0.0, 0.2, "per month", UNCERTAINTY,
       "Monthly chance of finding paid work for a fully self-sufficient, well-supported client.",
       "Support outcomes", sweep=(0.01, 0.06)),
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
