"""BenefitModel: one municipality's social-assistance administration, month by month.

The monthly cycle (one `step()`), in this order; docs/ODD.md explains each
stage and the passage of the seed paper it models:

 1. policy: changes of the scenario's timeline due this month, and data
    projects the municipality commissioned that start working now
 2. life events and reporting: changes in circumstances are reported in
    time or become irregularities; some clients start intentional fraud
 3. records: record errors appear and are corrected; late disclosures;
    clients with record access correct their own data (datameent)
 4. data warehouse linkage: mismatches show existing irregularities and
    also record errors (that look the same)
 5. selection for a fraud investigation, by route: caseworker signals and
    tips first, then the fraud algorithm, warehouse mismatches or random
    audits, up to the investigation capacity
 6. investigations: outcome, culpability and sanction by regime; objections;
    the algorithm keeps the outcome as its label
 7. support with the caseworkers' remaining hours; self-sufficiency;
    contact moments (fewer with low trust)
 8. trust: only experiences move it (decisions, contact, burden, a new
    caseworker, what acquaintances tell, the council's voice)
 9. exits and entries: work, non-take-up, take-up, end of sanctions,
    relapse, newcomers; debt repayment and hardship
10. every third month: the client council raises and escalates issues,
    the municipality answers them; then the municipality reads its
    dashboard and moves its levers by its framing
11. retraining of the algorithm (every `retrain_interval` months)
12. data collection: one row of metrics for the month

Each stage is a method that takes what it needs from earlier stages of the
month as arguments and returns what later stages use; `step()` keeps those
hand-overs in a `Month` record, so the order of the stages and what each
depends on can be read in `step()`. What persists from month to month (the
per-person arrays, the policy in force, the cumulative counters) lives on
the model. Setting up the population is in `population.py`, the metrics row
in `collect.py`, the municipality's and the council's decisions in
`agents.py`. Every behavioural number is a registry parameter (`params.py`);
a test scans the stages for numeric literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import draws as D
from . import kernels as K
from . import params as P
from .agents import Caseworker, Client, ClientCouncil, Municipality, RiskAlgorithm
from .collect import metric_columns, month_row
from .metrics import GROUPS
from .network import community_order, small_world
from .population import N_DOMAINS, clip, draw_caseworkers, draw_people
from .population import allocate as allocate_population
from .scenario import Scenario, load_scenario
from .states import NON_TAKE_UP, RECEIVING, WORK, Event, Route, WrongfulCause

__all__ = ["BenefitModel", "EventLog", "Month", "metric_columns"]

Generator = np.random.Generator
Counts = dict[str, float]
"""A month's counts, by metric column; the stages add to them (see Month.counts)."""

_ONES_DOMAINS = np.ones(N_DOMAINS)
ZRM_TOP = 5
"""Top of a ZRM domain's scale (fully self-sufficient); 1 is acute problems."""
ZRM_MID = (1 + ZRM_TOP) / 2
"""The middle of the ZRM scale: the recorded mean of a client whose domains are all blank."""
QUARTER = 3
"""Months between the council's and the municipality's rounds."""
LEVER_DECIMALS = 6
"""A lever moved by a share of its range is kept to this many decimals, so repeated steps stay readable."""
MONTHS_ON_CAP = 120
"""Months on the benefit beyond which the algorithm's feature stops growing (ten years)."""


def _row_sums(a: np.ndarray) -> np.ndarray:
    """Row sums of a small-integer (or boolean) matrix as exact floats.

    A float matrix-vector product sums 13 small integers exactly in any
    order, and is several times faster than an integer reduction along rows.
    """
    return a.astype(np.float64) @ _ONES_DOMAINS


def _per_meeting(rate: np.ndarray, meetings: np.ndarray) -> np.ndarray:
    """Chance that something with chance `rate` per meeting happens in `meetings` meetings."""
    return -np.expm1(meetings * np.log1p(-np.minimum(rate, 1.0 - 1e-12)))


_NO_BLANK, _RAW = np.zeros(len(RiskAlgorithm.FEATURES), bool), np.empty(0)
"""warehouse_features' defaults: no column blanked, values not standardised."""


def _uniforms(rng: Generator, n: int, *drawn: bool) -> list[np.ndarray]:
    """A uniform array of `n` for each flag that is true, an empty one for each false flag.

    One call to the generator: the same numbers, in the same order, as one
    `rng.random(n)` per true flag, without the cost of a call each.
    """
    rows = iter(rng.random((sum(drawn), n)))
    return [next(rows) if d else np.empty(0) for d in drawn]


def _some(rng: Generator, h: np.ndarray, n: int, rate: float) -> np.ndarray:
    """The (sorted) indices among `n` at which an event of chance `rate` happens, each independently.

    The same law as `rng.random(n) < rate`, drawn as a binomial count and
    that many distinct indices: for a rare event several times cheaper than
    a uniform draw for everyone. `h` is `rng`'s handles (`draws.handles`):
    the indices are `np.sort(rng.choice(n, k, replace=False))`, compiled.
    """
    k = int(rng.binomial(n, min(max(rate, 0.0), 1.0)))
    return D.choice_sorted(h, n, k) if k else np.empty(0, np.int64)


_ROUTE_KEYS = tuple((int(r), f"flags_{r.name.lower()}") for r in Route)
_CAUSE_KEYS = tuple((int(c), f"wrongful_{c.name.lower()}") for c in WrongfulCause)
_N_CODES = 1 + max(max(Route), max(WrongfulCause))
"""The month's count columns of each route and each wrongful cause, and a bincount length that holds every code."""
_INVESTIGATION_PARAMS = (
    "investigation_sensitivity", "investigation_false_finding", "error_finding_factor", "intent_accuracy",
    "fine_rate", "objection_rate", "objection_rate_wrongful", "objection_success", "sanction_months",
    "investigation_meetings", "transparency", "transparency_softening", "trust_loss_investigation",
    "trust_loss_wrongful")
"""The registry parameters of stage 6, in the order kernels.investigate reads them."""
_INVESTIGATION_ZEROS = dict.fromkeys(
    ("fraud_flags", "false_fraud_flags", "nothing_found", "irregularities_found", "fraud_detected",
     "wrongful_sanctions", "fraud_sanctions", "objections", "objections_upheld", "objection_cost_eur",
     "compensation_eur", "investigation_cost_eur", *(key for _, key in _CAUSE_KEYS)), 0.0)
"""What stage 6 counts, all 0 in a month without investigations."""


_CONTROL_RANGES = tuple((name, P.get(name).lo, P.get(name).hi - P.get(name).lo) for name in Municipality.CONTROL_LEVERS)
"""Each control lever with the bottom and the width of its registry range (for `control_intensity`)."""


@dataclass(slots=True)
class Month:
    """What one month computes in one stage and uses in a later one.

    `step()` makes one at the start of the month, gives each stage the
    fields it reads and stores what the stage returns; the note under each
    field says which stage makes it and which stages use it.
    """

    number: int
    counts: Counts = field(default_factory=dict)
    """This month's counts (flags, claims, costs, ...), added to by the stages; collection (12) completes the row."""
    linked: np.ndarray | None = None
    """4 -> 8: whose data the warehouse linked (a mask)."""
    flagged: np.ndarray | None = None
    """5 -> 6, 7, 8: who is investigated (slots)."""
    wrongful: np.ndarray | None = None
    """6 -> 8: who was sanctioned as a fraudster without intent (slots)."""
    ranked: np.ndarray | None = None
    """7 -> 8: who the support algorithm ranked for extra support (slots)."""
    felt: np.ndarray | None = None
    """7 -> 8, 9: the burden each person feels (burden and administrative literacy)."""
    quality: np.ndarray | None = None
    """7 -> 8, 9: the support each person got (quality times intensity)."""
    zmean: np.ndarray | None = None
    """9 -> 12: each person's mean true ZRM score after exits and entries."""

    def looked_at(self) -> np.ndarray:
        """Whose data someone looked at this month: linkage, investigation, support ranking."""
        looked = self.linked.copy()
        looked[self.flagged] = True
        looked[self.ranked] = True
        return looked


class EventLog:
    """Compact log of what happened to whom: (month, person ids, event code) per batch.

    Only kept when asked (`record_events=True`), for the browser app's client
    stories; a run of thousands of replications does not pay for it.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._batches: list[tuple[int, np.ndarray, int]] = []

    def add(self, month: int, pids: np.ndarray, event: Event) -> None:
        if self.enabled and pids.size:
            self._batches.append((month, pids.copy(), int(event)))

    def story(self, pid: int) -> list[tuple[int, int]]:
        """(month, event code) of everything logged for the person `pid`, in time order."""
        return [(mo, code) for mo, pids, code in self._batches if pid in pids]

    def count(self, event: Event) -> int:
        """How often `event` was logged so far (one per person it happened to)."""
        return sum(pids.size for _, pids, code in self._batches if code == event)


class BenefitModel(mesa.Model):
    """Control-oriented versus service-oriented benefit administration.

    Args:
        scenario: A Scenario, or the name of a built-in scenario or a TOML path.
        n_clients: People in the population (eligible for bijstand, or in work).
        seed: Seed of the model's random generator; same seed, same run.
        overrides: Parameter values that hold for the whole run. They are
            *pinned*: neither the municipality nor the council changes them.
        record_events: Keep an event log for client stories (slower).
    """

    GROUPS = GROUPS

    def __init__(
        self,
        scenario: Scenario | str = "control",
        n_clients: int = P.get("n_clients").default,
        seed: int | None = 0,
        overrides: dict[str, Any] | None = None,
        record_events: bool = False,
    ) -> None:
        super().__init__(rng=seed)
        if isinstance(scenario, str):
            scenario = load_scenario(scenario)
        self.spec = scenario.with_overrides(overrides or {})
        self.pinned: frozenset[str] = self.spec.pinned
        # The timeline by month, merged in file order, so a month looks up its changes once
        # instead of scanning every change (a scenario may hold 10,000).
        self._timeline: dict[int, dict[str, Any]] = {}
        for change in self.spec.changes:
            self._timeline.setdefault(change.month, {}).update(change.params)
        self.n = int(P.get("n_clients").coerce(n_clients))
        self.month = 0
        # The policy in force: the scenario's values, changed by its timeline,
        # by adopted council issues and by the municipality (set_lever).
        self.p: dict[str, Any] = dict(self.spec.params)
        # Independent streams from the model's generator: the population is
        # drawn from its own stream, so two scenarios run with one seed start
        # from the same people (common random numbers).
        pop_rng, self.rng_dyn = self.rng.spawn(2)
        self.handles = D.handles(self.rng_dyn)  # set again at every step (draws.handles: raw addresses)
        self.events = EventLog(record_events)
        self.rows: list[dict[str, float]] = []
        self.next_pid = 0
        allocate_population(self)
        draw_people(self, np.arange(self.n), pop_rng)
        draw_caseworkers(self, pop_rng)
        self._score_zrm(np.arange(self.n), pop_rng)
        community = (self.language * 4 + self.carer * 2 + self.single_parent).astype(np.int64)
        order = community_order(community, self.p["network_homophily"], pop_rng)
        self.adj = small_world(self.n, int(self.p["network_degree"]), self.p["network_rewiring"], pop_rng,
                               order=order)
        deg = np.asarray(self.adj.sum(axis=1)).ravel()
        self.inv_degree = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
        self.meetings_month = np.zeros(self.n)
        self._ev = np.zeros(self.n, np.int8)  # event codes a kernel writes (event log)
        self._scratch = np.zeros(self.n)  # a per-person float a kernel fills and a stage sums
        g = len(GROUPS)
        # Cumulative per-group counters for the rate ratios and the council's audit.
        self.cum = {
            "flags": np.zeros(g), "exposure": np.zeros(g), "sanctions": np.zeros(g),
            "wrongful": np.zeros(g), "flags_all": 0.0, "exposure_all": 0.0,
            "sanctions_all": 0.0, "wrongful_all": 0.0,
        }
        self.council_raised = 0
        self.council_adopted = 0
        self.council_escalated = 0
        self.lever_changes: list[dict[str, Any]] = []
        """Every lever the municipality, the council or a project changed: month, lever, old, new, by."""
        self._projects: list[tuple[int, str, Any]] = []
        self._linkage_paid = 0.0
        self._algorithms_paid: set[str] = set()
        self.algorithm = RiskAlgorithm(self)
        self.council = ClientCouncil(self)
        self.municipality = Municipality(self)
        self._client_views: dict[int, Client] = {}
        self.running = True

    # ---------------------------------------------------------------- helpers
    def group_counters(self) -> dict[str, Any]:
        """Copy of the cumulative per-group counters (for the council's audit)."""
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in self.cum.items()}

    def burden(self) -> np.ndarray:
        """Information demanded of each person: the municipality's plus their caseworker's excess."""
        return clip(self.p["information_burden"] + self.cw_excess[self.cw], 0.0, 1.0)

    def recorded_mean(self, idx: np.ndarray) -> np.ndarray:
        """Mean recorded ZRM over the non-blank domains (the middle of the scale where all are blank)."""
        return self.rec_mean[idx]

    def linkage_recent(self, idx: np.ndarray) -> np.ndarray:
        """Whether the warehouse showed a mismatch for these people in the last `mismatch_memory_months`."""
        return (self.month - self.last_hit[idx]) <= self.p["mismatch_memory_months"]

    def warehouse_features(self, idx: np.ndarray, blank: np.ndarray | None = None,
                           mu: np.ndarray | None = None, sd: np.ndarray | None = None) -> np.ndarray:
        """What the data warehouse holds on these people, in RiskAlgorithm.FEATURES order.

        Recorded data, not the truth: the recorded ZRM with its blanks, the
        mismatches of the linkage (which include record errors), and proxies.
        Columns where `blank` is true hold 0; with `mu` and `sd` the values are
        standardised, (x - mu) / sd.
        """
        return K.warehouse_features(
            idx, self.p["warehouse_linkage"] > 0, self.month, self.last_hit, self.p["mismatch_memory_months"],
            self.rec_mean, self.rec_blank, self.meetings, self.language, self.carer, self.single_parent,
            self.age_band, self.variable_income, self.months_on, MONTHS_ON_CAP, self.past_findings,
            _NO_BLANK if blank is None else blank, _RAW if mu is None else mu, _RAW if sd is None else sd)

    def _score_zrm(self, idx: np.ndarray, rng: np.random.Generator) -> None:
        """Caseworkers (re)score the ZRM: noisy, rounded, with blanks (0 in `rec_zrm`)."""
        if idx.size == 0:
            return
        # Single precision: the scores are rounded to whole points anyway, and it halves the draw.
        h = self.handles if rng is self.rng_dyn else D.handles(rng)
        K.score_zrm(h, idx, self.zrm, self.cw, self.cw_noise, self.cw_blank, self.p["zrm_noise"],
                    self.p["zrm_blank_rate"], ZRM_TOP, ZRM_MID, self.rec_zrm, self.rec_mean, self.rec_blank)

    def _log(self, mask_or_idx: np.ndarray, event: Event) -> None:
        if self.events.enabled:
            idx = np.flatnonzero(mask_or_idx) if mask_or_idx.dtype == bool else mask_or_idx
            self.events.add(self.month, self.pid[idx], event)

    def non_take_up_share(self) -> float:
        """Share of eligible people (all but those in work) who gave up or never applied."""
        eligible = self.status != WORK
        n_el = int(np.count_nonzero(eligible))
        return float(np.count_nonzero((self.status == NON_TAKE_UP)) / n_el) if n_el else 0.0

    def voice(self, strength: float, members: np.ndarray) -> None:
        """Procedural justice: a council with a real voice raises everyone's trust a little.

        Like every gain of trust, it is held back by the mark of a wrongful sanction (`scar`).
        """
        gain = self.p["trust_gain_voice"] * strength * (1.0 - self.scar)
        self.trust += gain * (1.0 - self.trust)
        if members.size:
            self.trust[members] += gain[members] * (1.0 - self.trust[members])

    def control_intensity(self) -> float:
        """Mean of the control levers in force, each mapped to 0-1 between its registry bounds.

        The levers are those a control-framed municipality tightens
        (`Municipality.CONTROL_LEVERS`), plus 1 for a fraud-risk algorithm
        in use and 0 otherwise (docs/ODD.md, 7.10).
        """
        # Summed left to right and divided by the count, as np.mean sums so few values.
        total = 0.0
        for name, lo, span in _CONTROL_RANGES:
            total += (float(self.p[name]) - lo) / span
        total += float(self.p["algorithm_purpose"] == "fraud")
        return float(np.float64(total) / (len(_CONTROL_RANGES) + 1))

    def set_lever(self, name: str, value: Any, by: str) -> bool:
        """Change a lever in force, unless it is pinned; returns whether it changed.

        The one door through which the municipality, the council and the
        municipality's data projects change the policy, so a pinned
        parameter (`--set`) holds for the whole run and every change is
        kept in `lever_changes`.
        """
        if name in self.pinned:
            return False
        spec = P.get(name)
        if spec.type == "int":
            value = int(min(max(round(value), spec.lo), spec.hi))
        elif spec.type == "float":
            value = round(float(min(max(value, spec.lo), spec.hi)), LEVER_DECIMALS)
        old = self.p[name]
        if value == old:
            return False
        self.p[name] = value
        self.lever_changes.append({"month": self.month, "lever": name, "old": old, "new": value, "by": by})
        return True

    def commission(self, name: str, value: Any) -> None:
        """Start a data project that sets lever `name` to `value` after `data_project_months`.

        It is paid when it is delivered (`_builds`), like every warehouse and
        algorithm, including those a scenario starts with.
        """
        if name in self.pinned or any(lever == name for _, lever, _ in self._projects):
            return
        self._projects.append((self.month + int(self.p["data_project_months"]), name, value))

    def _builds(self) -> float:
        """Build cost of warehouse linkage and algorithms in force now and not paid for before (EUR)."""
        p = self.p
        cost = 0.0
        if p["warehouse_linkage"] > self._linkage_paid:
            cost += (p["warehouse_linkage"] - self._linkage_paid) * p["warehouse_build_eur"] * self.n
            self._linkage_paid = p["warehouse_linkage"]
        if p["algorithm_purpose"] != "none" and p["algorithm_purpose"] not in self._algorithms_paid:
            cost += p["algorithm_build_eur"] * self.n
            self._algorithms_paid.add(p["algorithm_purpose"])
        return cost

    def apply_issue(self, issue: str) -> bool:
        """Change the policy in force as an adopted council issue asks; returns whether it could.

        An issue whose levers are all pinned (or already where it asks) changes nothing.
        """
        if issue not in ClientCouncil.ISSUES:
            raise ValueError(f"unknown council issue '{issue}' (known: {', '.join(ClientCouncil.ISSUES)})")
        changed = False
        for name, target in ClientCouncil.LEVERS[issue]:
            changed |= self.set_lever(name, self._issue_value(name, target), by="council")
        return changed

    def _issue_value(self, name: str, target: Any) -> Any:
        """The value an adopted issue moves lever `name` to: a choice, or one council step up or down."""
        if target not in ("up", "down", "less"):
            return target
        if target == "less":  # a relative step, for levers with a wide range (the caseload)
            return self.p[name] * (1 - self.p["council_step"])
        spec = P.get(name)
        step = self.p["council_step"] * (spec.hi - spec.lo)
        return self.p[name] + (step if target == "up" else -step)

    def client(self, slot: int) -> Client:
        """A Client agent for the person now in `slot` (made on demand, then kept)."""
        slot = int(slot)
        if not 0 <= slot < self.n:
            raise IndexError(f"client slot {slot} out of range 0..{self.n - 1}")
        view = self._client_views.get(slot)
        if view is None or not view.present:
            view = Client(self, slot)
            self._client_views[slot] = view
        return view

    def caseworker(self, index: int) -> Caseworker:
        """A Caseworker agent for caseworker `index` (made on demand)."""
        index = int(index)
        if not 0 <= index < self.n_cw:
            raise IndexError(f"caseworker {index} out of range 0..{self.n_cw - 1}")
        return Caseworker(self, index)

    def caseworker_hours(self) -> dict[str, float]:
        """Total caseworker hours last month by activity."""
        return {k: float(v.sum()) for k, v in self.cw_hours.items()}

    def staff(self) -> float:
        """Caseworkers in post: the population over the caseload in force (the council may lower it)."""
        return self.n / self.p["clients_per_caseworker"]

    # ------------------------------------------------------------------- step
    def step(self) -> None:
        """Advance one month through the twelve stages listed in the module docstring."""
        self.month += 1
        rng = self.rng_dyn
        self.handles = D.handles(rng)  # for this step only: a copied model has a generator of its own
        mo = Month(self.month)
        mo.counts["build_eur"] = self._policy()                              # 1
        self._life_events(rng, mo.counts)                                    # 2
        self._records(rng, mo.counts)                                        # 3
        mo.linked = self._linkage(rng, mo.counts)                            # 4
        mo.flagged = self._flag(rng, mo.counts)                              # 5
        mo.wrongful = self._investigate(mo.flagged, rng, mo.counts)          # 6
        mo.felt, mo.quality, mo.ranked = self._support(mo.flagged, rng, mo.counts)  # 7
        self._trust(mo.looked_at(), mo.wrongful, mo.felt, rng, mo.counts)   # 8
        mo.zmean = self._transitions(mo.felt, mo.quality, rng, mo.counts)    # 9
        if self.month % QUARTER == 0:
            self._council(rng)                                               # 10
            self._municipality()
        if self.p["algorithm_purpose"] != "none" and self.month % int(self.p["retrain_interval"]) == 0:
            self.algorithm.retrain()                                         # 11
        self._collect(mo.zmean, mo.counts)                                   # 12

    def _policy(self) -> float:
        """1. The scenario's timed changes due this month; data projects that are done now.

        Returns the build cost of warehouse linkage and algorithms that came into force (EUR).
        """
        changes = self._timeline.get(self.month, {})
        if changes:  # a timed change of policy also cancels projects for those levers
            self.p.update(changes)
            self._projects = [pr for pr in self._projects if pr[1] not in changes]
        due = [pr for pr in self._projects if pr[0] <= self.month]
        if due:
            self._projects = [pr for pr in self._projects if pr[0] > self.month]
            for _, name, value in due:
                self.set_lever(name, value, by="data project")
        return self._builds()

    def _life_events(self, rng: Generator, counts: Counts) -> None:
        """2. Changes in circumstances, reported in time or not; starts of intentional fraud."""
        p = self.p
        n = self.n
        u, u2, u3 = _uniforms(rng, n, True, True, True)
        # Slippery slope (Kirchler et al. 2008): low trust and hardship raise
        # the propensity to cheat; the perceived yearly chance of an
        # investigation deters a little (enforced compliance).
        deter = np.exp(-p["deterrence"] * 12 * p["investigation_capacity"])
        honest = ((self.status == RECEIVING) & ~self.intent).nonzero()[0]
        e_trust = np.exp(p["fraud_trust_sensitivity"] * (0.5 - self.trust[honest]))
        reported, unreported, start = K.life_events(
            self.status, u, u2, u3, self.complexity, self.irregular, self.intent, self.meetings, self.overpaid,
            self.hardship, self.cw, self.cw_excess, self.literacy, self.trust, honest, e_trust,
            p["life_event_rate"], p["information_burden"], p["report_skill"], p["burden_reporting_effect"],
            p["trust_reporting_effect"], p["fraud_base_rate"], p["fraud_hardship_sensitivity"], deter,
            p["overpayment_eur"])
        self._log(reported, Event.CHANGE_REPORTED)
        self._log(unreported, Event.CHANGE_UNREPORTED)
        self._log(start, Event.STARTED_FRAUD)
        counts["new_irregularities"] = float(unreported.size)
        counts["new_intentional_fraud"] = float(start.size)

    def _claim(self, idx: np.ndarray, fined: np.ndarray, amounts: np.ndarray, counts: Counts) -> None:
        """Claim `amounts` back from the people `idx`, with a fine for the `fined`; count it in `counts`."""
        fine = np.where(fined, self.p["fine_rate"] * amounts, 0.0)
        self.debt[idx] += amounts + fine
        self._count_claims(fined, amounts, fine, counts)

    @staticmethod
    def _count_claims(fined: np.ndarray, amounts: np.ndarray, fines: np.ndarray, counts: Counts) -> None:
        """Count claims of `amounts` (EUR), the `fined` among them with their `fines` (EUR), in `counts`."""
        counts["repayment_claims"] = counts.get("repayment_claims", 0.0) + float(amounts.size)
        counts["fines"] = counts.get("fines", 0.0) + float(np.count_nonzero(fined))
        counts["claims_eur"] = counts.get("claims_eur", 0.0) + float(amounts.sum())
        counts["fines_eur"] = counts.get("fines_eur", 0.0) + float(fines.sum())

    def _clear_irregularity(self, idx: np.ndarray) -> None:
        self.irregular[idx] = False
        self.intent[idx] = False
        self.overpaid[idx] = 0.0

    def _records(self, rng: Generator, counts: Counts) -> None:
        """3. Record errors come and go; late disclosures; clients correct their own record."""
        p = self.p
        n = self.n
        # Data commons: clients who look at their own record (u_look) fix errors
        # and see the change they had not reported.
        u_err, u_fix, u_late, u_look = _uniforms(rng, n, True, True, True, p["client_record_access"] > 0)
        # Late disclosure of an unintended unreported change: repayment, and
        # under all-or-nothing a fine for part of them all the same.
        new_err, saw, disclose, late, corrected = K.records(
            self.status, u_err, u_fix, u_late, u_look, self.complexity, self.rec_err, self.irregular, self.intent,
            self.cw, self.cw_excess, self.literacy, self.trust, p["information_burden"], p["report_skill"],
            p["burden_reporting_effect"], p["trust_reporting_effect"], p["record_error_rate"],
            p["record_fix_rate"], p["late_disclosure"], p["client_record_access"])
        self._log(new_err, Event.RECORD_ERROR)
        self._log(saw, Event.CORRECTED_OWN_RECORD)
        if disclose.size:
            fined = np.zeros(disclose.size, bool)
            if p["sanction_regime"] == "all_or_nothing":
                fined = late & (rng.random(disclose.size) < p["late_fine_share"])
            self._claim(disclose, fined, self.overpaid[disclose], counts)
            self._clear_irregularity(disclose)
            self._log(disclose, Event.LATE_DISCLOSURE)
        counts["late_disclosures"] = float(disclose.size)
        counts["records_corrected_by_clients"] = float(corrected)

    def _linkage(self, rng: Generator, counts: Counts) -> np.ndarray:
        """4. The warehouse links the records; returns whose data it linked (a mask).

        A share `warehouse_linkage` of the registrations is linked, so a
        mismatch shows with that share of the detection chance.
        """
        p = self.p
        looked = np.zeros(self.n, bool)
        linkage = p["warehouse_linkage"]
        if linkage <= 0:
            counts["linkage_mismatches"] = 0.0
            return looked
        u_consent, u_hit = _uniforms(rng, self.n, bool(p["consent_sharing"]), True)
        counts["linkage_mismatches"] = float(K.linkage(
            self.status, u_consent, u_hit, self.trust, self.irregular, self.rec_err, self.last_hit,
            self.month, p["linkage_detection"] * linkage, looked))
        return looked

    def _flag(self, rng: Generator, counts: Counts) -> np.ndarray:
        """5. Who is investigated this month (slots, sorted); the count of each route goes into `counts`.

        Caseworker signals (from last month's meetings: a caseworker who
        knows the client notices more and errs less) and tips come first;
        the capacity left goes to the fraud algorithm's ranking, or else to
        recent warehouse mismatches (unless the data are purpose-bound to
        support) and random audits. Nobody is investigated again within
        `reinvestigation_bar_months`.
        """
        p = self.p
        cand = np.empty(self.n, bool)
        n_rec, met, rate, intended = K.flag_candidates(
            self.status, self.month, self.last_investigated, p["reinvestigation_bar_months"], self.meetings_month,
            self.rel_months, self.rec_err, self.irregular, self.intent, p["signal_sensitivity"],
            p["signal_false_rate"], p["continuity_signal_effect"], p["error_finding_factor"], cand)
        want = p["investigation_capacity"] * n_rec
        k = int(want) + int(rng.random() < want - int(want))
        # Signals from last month's meetings, tips (true ones about intent, and false ones).
        chance = _per_meeting(rate, self.meetings_month[met])
        u = rng.random(met.size + intended.size)  # signals, then tips: one call
        u_signal, u_tip = u[:met.size], u[met.size:]
        reported, routes = K.flag_reports(cand, met, u_signal, chance, intended, u_tip, p["tip_rate"],
                                          _some(rng, self.handles, self.n, p["false_tip_rate"]))
        if reported.size > k:
            keep = D.choice_sorted(self.handles, reported.size, k)
            reported, routes = reported[keep], routes[keep]
        parts, part_routes = [reported], [routes]
        left = k - reported.size
        if left > 0:
            cand[reported] = False
            pool = cand.nonzero()[0]
            if p["algorithm_purpose"] == "fraud":
                chosen = self.algorithm.select(pool, left)
                parts.append(chosen)
                part_routes.append(np.full(chosen.size, int(Route.ALGORITHM)))
            else:
                if p["warehouse_linkage"] > 0 and not p["purpose_binding"]:
                    hits = pool[self.linkage_recent(pool)]
                    if hits.size > left:
                        hits = hits[D.choice_sorted(self.handles, hits.size, left)]  # hits is sorted
                    parts.append(hits)
                    part_routes.append(np.full(hits.size, int(Route.WAREHOUSE)))
                    left -= hits.size
                    cand[hits] = False
                    pool = cand.nonzero()[0]
                if p["random_audits"] and left > 0 and pool.size:
                    audit = pool[D.choice_sorted(self.handles, pool.size, min(left, pool.size))]  # pool is sorted
                    parts.append(audit)
                    part_routes.append(np.full(audit.size, int(Route.AUDIT)))
        S = np.concatenate(parts)
        R = np.concatenate(part_routes)
        order = np.argsort(S, kind="stable")
        S, R = S[order], R[order]
        per_route = np.bincount(R, minlength=_N_CODES).tolist()
        for route, key in _ROUTE_KEYS:
            counts[key] = float(per_route[route])
        return S

    def _investigate(self, S: np.ndarray, rng: Generator, counts: Counts) -> np.ndarray:
        """6. Investigate the flagged `S`; returns who among them was sanctioned wrongfully.

        An investigation finds a real irregularity with `investigation_sensitivity`
        and "finds" one in a clean file with `investigation_false_finding`,
        more often when the record has an error. Under all-or-nothing every
        finding is fraud; under a proportional regime a culpability
        assessment judges intent (`intent_accuracy`). Each wrongful sanction
        has one cause: an unreported change without intent, a data error
        taken for an irregularity, or an investigator's false finding.
        """
        p = self.p
        k = S.size
        counts.update(_INVESTIGATION_ZEROS)
        if k == 0:
            return S[:0]
        X = self.algorithm.features(S)  # what the algorithm will learn from: the file as it was when flagged
        intended = self.intent[S]
        proportional = p["sanction_regime"] != "all_or_nothing"
        u, u_intent, u_clean, u_object, u_upheld, u_informed = _uniforms(
            rng, k, True, proportional, proportional, True, True, True)
        found, fraud, wrongful, objects, upheld, amount, fines, cause, groups = K.investigate(
            S, u, u_intent, u_clean, u_object, u_upheld, u_informed, proportional, self.month,
            self.irregular, self.intent, self.rec_err, self.overpaid, self.status, self.sanction_until, self.debt,
            self.past_findings, self.last_investigated, self.meetings, self.trust, self.last_wrongful, self.scar,
            self.G, np.array([p[name] for name in _INVESTIGATION_PARAMS], np.float64),
            p["false_finding_months"] * p["overpayment_eur"])
        self._count_claims(fraud[found], amount[found], fines[found], counts)
        self.algorithm.observe(X, fraud)
        wrongly = S[wrongful]
        n_fraud, n_wrongful = int(np.count_nonzero(fraud)), wrongly.size
        n_objects, n_upheld = int(np.count_nonzero(objects)), int(np.count_nonzero(upheld))
        if self.events.enabled:
            self._log(S, Event.FLAGGED)
            self._log(S[~found], Event.NOTHING_FOUND)
            self._log(S[found & ~fraud], Event.REPAYMENT)
            self._log(wrongly, Event.SANCTIONED_WRONGFULLY)
            self._log(S[fraud & intended], Event.SANCTIONED_FRAUD)
            self._log(S[upheld], Event.OBJECTION_UPHELD)
        flags_g, sanctions_g, wrongful_g = groups
        self.cum["flags"] += flags_g
        self.cum["sanctions"] += sanctions_g
        self.cum["wrongful"] += wrongful_g
        self.cum["flags_all"] += k
        self.cum["sanctions_all"] += float(n_fraud)
        self.cum["wrongful_all"] += float(n_wrongful)
        n_found = int(np.count_nonzero(found))
        counts.update(
            fraud_flags=float(k), false_fraud_flags=float(k - np.count_nonzero(intended)),
            nothing_found=float(k - n_found), irregularities_found=float(n_found),
            fraud_detected=float(np.count_nonzero(fraud & intended)), wrongful_sanctions=float(n_wrongful),
            fraud_sanctions=float(n_fraud), objections=float(n_objects), objections_upheld=float(n_upheld),
            objection_cost_eur=float(n_objects) * p["objection_cost_eur"],
            compensation_eur=float(n_upheld) * p["compensation_eur"] + float((amount[upheld] + fines[upheld]).sum()),
            investigation_cost_eur=float(k) * p["investigation_cost_eur"],
        )
        per_cause = np.bincount(cause[wrongful], minlength=_N_CODES).tolist()
        for c, key in _CAUSE_KEYS:
            counts[key] = float(per_cause[c])
        return wrongly

    def _support(self, S: np.ndarray, rng: Generator,
                 counts: Counts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """7. Support with the hours left after the investigations of `S` and the paperwork.

        Returns the burden each person feels, the support each got (quality times intensity) and who
        the support algorithm ranked first (slots; none unless it ranks for
        support). Support works on the domain the *record* shows weakest, and
        lifts it only as far as it is really weak: noisy or blank records
        (ZRM noise, blanks) spend support where it does little.
        """
        p = self.p
        rec = self.status == RECEIVING
        # Caseload change: rotating caseloads hand clients to a new klantmanager.
        rescore = np.zeros(self.n, bool)
        rescore[_some(rng, self.handles, self.n, p["zrm_rescore_rate"])] = True
        if p["caseload"] == "rotating":
            mi = _some(rng, self.handles, self.n, p["rotation_rate"])
            self.cw[mi] = D.integers(self.handles, 0, self.n_cw, mi.size)  # rng.integers, compiled
            self.rel_months[mi] = 0
            self.trust[mi] -= p["trust_loss_rotation"] * rec[mi] * self.trust[mi]
            if self.events.enabled:
                self._log(mi[rec[mi]], Event.NEW_CASEWORKER)
            rescore[mi] = True
        rescore &= rec
        self.rel_months += rec
        self._score_zrm(rescore.nonzero()[0], rng)
        # Support priority from the support algorithm.
        self.support_flag[:] = False
        top = S[:0]
        if p["algorithm_purpose"] == "support":
            r = rec.nonzero()[0]
            k = int(p["support_ranked_share"] * r.size)
            top = self.algorithm.select(r, k)
            self.support_flag[top] = True
            self._log(top, Event.SUPPORT_PRIORITY)
        # Caseworker hours: investigations and paperwork come first. The
        # caseload in force sets how many caseworkers share the desks.
        n = self.n
        felt, hours, quality, intensity = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
        inv, paper, support = np.empty(self.n_cw), np.empty(self.n_cw), np.empty(self.n_cw)
        K.support_hours(self.status, self.cw, S, self.burden(), self.literacy, self.support_flag, self.trust,
                        self.rel_months, self.n_cw, p["caseworker_hours"] * self.staff() / self.n_cw,
                        p["hours_per_investigation"], p["paperwork_hours"], p["paperwork_floor"],
                        p["support_priority"], p["felt_burden_offset"], p["trust_quality_effect"],
                        p["continuity_effect"], felt, hours, quality, intensity, inv, paper, support)
        self.support_hours = hours
        self.cw_hours["investigation"] = inv
        self.cw_hours["paperwork"] = paper
        self.cw_hours["support"] = support
        # Self-sufficiency: support works on the weakest domain as recorded
        # (a blank domain is unknown: never chosen while another is filled).
        tries = K.support_tries(self.handles, self.status, quality, p["support_effect"])
        if tries.size:
            ui = K.support_progress(self.handles, tries, self.zrm, self.rec_zrm, self.zsum, ZRM_TOP)
            self._log(ui, Event.SUPPORT_PROGRESS)
        # Decay at zrm_decay x (1 + h x hardship): drawn at the highest rate, kept in proportion.
        h = p["hardship_decay_effect"]
        down = _some(rng, self.handles, self.n, p["zrm_decay"] * (1 + h))
        down = K.decay_keep(self.handles, down, self.status, self.hardship, h)
        if down.size:
            K.decay(down, D.integers(self.handles, 0, N_DOMAINS, down.size), self.zrm, self.zsum)
        # Contact moments: more with complex circumstances and more support;
        # whoever distrusts the municipality avoids contact, honest or not.
        # So a low meeting count goes with low trust, which also raises the
        # propensity to cheat: the trivial predictor the seed reports (line 341).
        met = D.poisson(self.handles, K.contact_rate(self.status, self.trust, self.complexity, intensity,
                                         p["meeting_rate"], p["contact_trust_effect"]))
        # Respectful support with a known caseworker regains trust slowly,
        # held back by the mark of a wrongful sanction.
        K.after_support(self.status, met, self.meetings, self.meetings_month, self.trust, quality, self.scar,
                        p["trust_gain_support"])
        counts["support_hours"] = float(hours.sum())
        counts["investigation_hours"] = float(inv.sum())
        counts["paperwork_hours"] = float(paper.sum())
        return felt, quality, top

    def _trust(self, looked: np.ndarray, wrongful: np.ndarray, felt: np.ndarray, rng: Generator,
               counts: Counts) -> None:
        """8. Trust: the burden wears it down; word of mouth, also of the `wrongful` sanctions.

        Being linked or ranked (`looked`) is not an experience and moves no
        trust; telling people who looked only softened the loss of an
        investigation (stage 6). Acquaintances pull trust toward theirs, a
        pull upward held back by the mark of a wrongful sanction.
        """
        p = self.p
        informed = looked & (rng.random(self.n) < p["transparency"])
        self._log(informed, Event.INFORMED)
        counts["looked_at"] = float(np.count_nonzero(looked))
        counts["informed"] = float(np.count_nonzero(informed))
        wom = p["word_of_mouth"]
        # The acquaintances of the wrongfully sanctioned hear of it (the ties are symmetric: the rows of
        # the sanctioned hold them); the neighbours' mean is taken over the sparse rows as scipy would.
        adj = self.adj
        K.trust_stage(self.status, self.trust, felt, self.scar, adj.indptr, adj.indices, adj.data, self.inv_degree,
                      wrongful, p["trust_loss_burden"], wom, wom * p["trust_loss_wrongful"] * p["hearsay_share"],
                      1 - p["scar_decay"])

    def _transitions(self, felt: np.ndarray, quality: np.ndarray, rng: Generator, counts: Counts) -> np.ndarray:
        """9. Exits and entries, given this month's `felt` burden and support `quality`; debt and hardship.

        Returns each person's mean true ZRM score (self-sufficiency), for collection.
        """
        p = self.p
        status = self.status
        u, u2 = _uniforms(rng, self.n, True, True)
        # Work: depends on self-sufficiency and on the support received
        # (relative to average support, quality 0.5); the rest of the rules are in kernels.transitions.
        zmean = self.zsum / N_DOMAINS
        ri = (status == RECEIVING).nonzero()[0]
        powed = np.zeros(self.n)
        powed[ri] = ((zmean[ri] - 1) / (ZRM_TOP - 1)) ** p["work_ssm_exponent"]
        ev = self._ev
        n_work, n_give, n_apply, li = K.transitions(
            status, u, u2, powed, quality, felt, self.trust, self.language, self.sanction_until, self.month,
            self.irregular, self.intent, self.overpaid, self.reint_month, ev,
            p["work_support_effect"], p["work_support_cap"], p["reintegration_rate"], p["work_language_factor"],
            p["giveup_rate"], p["giveup_burden_sensitivity"], p["giveup_trust_sensitivity"],
            p["takeup_rate"], p["takeup_trust_effect"], p["takeup_burden_effect"],
            1 + p["outreach_effect"] * p["outreach"],
            p["return_after_sanction"], p["return_after_sanction_trust"], p["work_relapse"], p["inflow_rate"])
        if self.events.enabled:
            for code in (K.EV_FOUND_WORK, K.EV_GAVE_UP, K.EV_APPLIED, K.EV_BACK_FROM_WORK):
                self._log(ev == code, Event(code))
        if li.size:
            draw_people(self, li, rng, newcomers=True)
            self.cw[li] = D.integers(self.handles, 0, self.n_cw, li.size)
            self._score_zrm(li, rng)
            self._log(li, Event.ARRIVED)
        # Money: debt is repaid from the benefit; a stopped benefit runs up arrears.
        repay = self._scratch
        K.money(status, self.debt, self.hardship, self.months_on, repay,
                p["debt_repayment"] * p["benefit_eur"], p["sanction_arrears_share"] * p["benefit_eur"],
                p["hardship_scale_eur"])
        counts["reintegrated"] = float(n_work)
        counts["gave_up"] = float(n_give)
        counts["applied"] = float(n_apply)
        counts["collected_eur"] = float(repay.sum())
        counts["newcomers"] = float(li.size)
        return zmean

    def _council(self, rng: Generator) -> None:
        """10. The council raises and escalates issues; the municipality answers each.

        A raised issue is adopted with `council_responsiveness` (times
        `obstructed_weight` for a council without data access); one left
        open for `escalation_months` is escalated by a council with data access
        (press, ombudsman) and then adopted with `escalation_effect` or
        closed; an obstructed council's ignored issue lapses. A council with data
        access is a voice: it raises trust, twice as much when the
        municipality adopted something.
        """
        p = self.p
        raised, escalated = self.council.step()
        weight = 1.0 if p["council_data_access"] else p["obstructed_weight"]
        adopted = 0
        for issue in raised:
            ok = bool(rng.random() < p["council_responsiveness"] * weight) and self.apply_issue(issue.key)
            adopted += ok
            self.council.answered(issue, ok)
        for issue in escalated:
            ok = bool(rng.random() < p["escalation_effect"]) and self.apply_issue(issue.key)
            adopted += ok
            self.council.answered(issue, ok, escalated=True)
        self.council_raised += len(raised)
        self.council_escalated += len(escalated)
        self.council_adopted += adopted
        if p["council_data_access"]:
            self.voice(1.0 if adopted else 0.5, self.council.members)

    def _municipality(self) -> None:
        """10. The municipality reads its dashboard and moves its levers (Municipality.step)."""
        if self.p["dashboard"]:
            self.municipality.step()

    def _collect(self, zmean: np.ndarray, counts: Counts) -> None:
        """12. Count this month's exposure (months receiving, per group) and keep the month's row."""
        recf = (self.status == RECEIVING).astype(np.float64)
        self.cum["exposure"] += self.G @ recf
        self.cum["exposure_all"] += float(recf.sum())
        self.rows.append(month_row(self, counts, zmean, recf))

    def metrics_frame(self) -> pd.DataFrame:
        """The months run so far, one row each, columns in a stable order."""
        cols = metric_columns()
        if not self.rows:
            frame = pd.DataFrame(self.rows, columns=cols)
            frame["month"] = frame["month"].astype("int64")
            return frame
        # One float matrix, then the month as whole numbers: what pandas makes of the rows as dicts,
        # in a fifth of the time (every value of a row is a float but the month).
        values = np.array([[row[c] for c in cols] for row in self.rows], dtype=np.float64).reshape(-1, len(cols))
        frame = pd.DataFrame(values, columns=cols)
        frame["month"] = frame["month"].astype("int64")
        return frame
