"""BenefitModel: one municipality's social-assistance administration, month by month.

The monthly cycle (one `step()`), in this order; docs/ODD.md explains each
stage and the passage of the seed paper it models:

 1. policy changes due this month (scenario timeline)
 2. life events and reporting: changes in circumstances are reported in
    time or become irregularities; some clients start intentional fraud
 3. records: record errors appear and are corrected; late disclosures;
    clients with record access correct their own data (datameent)
 4. data warehouse linkage: mismatches show existing irregularities and
    also record errors (that look the same)
 5. scoring and flagging up to the investigation capacity
 6. investigations: outcome and sanction by regime; the algorithm keeps
    the outcome as its label
 7. support with the caseworkers' remaining hours; self-sufficiency
 8. trust: investigations and wrongful sanctions, support, transparency,
    word of mouth over the network
 9. exits and entries: work, non-take-up, take-up, end of sanctions,
    relapse, newcomers; debt repayment and hardship
10. client council (every third month)
11. retraining of the algorithm (every `retrain_interval` months)
12. data collection: one row of metrics for the month
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import params as P
from .agents import Caseworker, Client, ClientCouncil, RiskAlgorithm
from .network import small_world
from .scenario import Scenario, load_scenario
from .states import Event, Status

N_DOMAINS = 13
NEVER = -10_000
# Age bands of newcomers (18-26, 27-44, 45-54, 55+), as a cumulative table:
# searching it with uniform draws is what Generator.choice(p=...) does, without
# re-validating p for every handful of newcomers each month.
AGE_BAND_CDF = np.cumsum([0.12, 0.38, 0.25, 0.25])
AGE_BAND_CDF /= AGE_BAND_CDF[-1]
_ONES_DOMAINS = np.ones(N_DOMAINS)
# Statuses as plain ints for the array comparisons of every stage: numpy
# compares an array with an IntEnum member a microsecond slower than with an
# int, and a month makes about 25 such comparisons.
RECEIVING, WORK, NON_TAKE_UP, SANCTIONED = (int(s) for s in (
    Status.RECEIVING, Status.WORK, Status.NON_TAKE_UP, Status.SANCTIONED))


def _clip(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """np.clip without its Python-level dispatch (the same values; it runs ~10 times a month)."""
    return np.minimum(np.maximum(a, lo), hi)


def _row_sums(a: np.ndarray) -> np.ndarray:
    """Row sums of a small-integer (or boolean) matrix as exact floats.

    A float matrix-vector product sums 13 small integers exactly in any
    order, and is several times faster than an integer reduction along rows.
    """
    return a.astype(np.float64) @ _ONES_DOMAINS


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
        return [(mo, code) for mo, pids, code in self._batches if pid in pids]


class BenefitModel(mesa.Model):
    """Control-oriented versus service-oriented benefit administration.

    Args:
        scenario: A Scenario, or the name of a built-in scenario or a TOML path.
        n_clients: People in the population (eligible for bijstand, or in work).
        seed: Seed of the model's random generator; same seed, same run.
        overrides: Parameter values that hold for the whole run.
        record_events: Keep an event log for client stories (slower).
    """

    GROUPS = ("language", "single_parent", "carer")

    def __init__(
        self,
        scenario: Scenario | str = "control",
        n_clients: int = 2000,
        seed: int | None = 0,
        overrides: dict[str, Any] | None = None,
        record_events: bool = False,
    ) -> None:
        super().__init__(rng=seed)
        if isinstance(scenario, str):
            scenario = load_scenario(scenario)
        self.spec = scenario.with_overrides(overrides or {})
        self.n = int(P.get("n_clients").coerce(n_clients))
        self.month = 0
        self.p: dict[str, Any] = dict(self.spec.params)
        # Independent streams from the model's generator: the population is
        # drawn from its own stream, so two scenarios run with one seed start
        # from the same people (common random numbers).
        pop_rng, self.rng_dyn = self.rng.spawn(2)
        self.events = EventLog(record_events)
        self.rows: list[dict[str, float]] = []
        self._next_pid = 0
        self._init_population(pop_rng)
        self._init_caseworkers(pop_rng)
        self.adj = small_world(self.n, int(self.p["network_degree"]), self.p["network_rewiring"], pop_rng)
        deg = np.asarray(self.adj.sum(axis=1)).ravel()
        self.inv_degree = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
        self._init_counters()
        self.algorithm = RiskAlgorithm(self)
        self.council = ClientCouncil(self)
        self._client_views: dict[int, Client] = {}
        self.running = True

    # ------------------------------------------------------------------ setup
    def _draw_people(self, idx: np.ndarray, rng: np.random.Generator) -> None:
        """Give the slots `idx` new people: traits, ZRM, trust; no history."""
        k = idx.size
        p = self.p
        self.pid[idx] = np.arange(self._next_pid, self._next_pid + k)
        self._next_pid += k
        lang = self.language[idx] = rng.random(k) < p["share_language_barrier"]
        single = self.single_parent[idx] = rng.random(k) < p["share_single_parent"]
        carer = self.carer[idx] = rng.random(k) < p["share_carer"]
        low_ed = self.low_education[idx] = rng.random(k) < p["share_low_education"]
        self.age_band[idx] = AGE_BAND_CDF.searchsorted(rng.random(k), side="right")
        var_inc = self.variable_income[idx] = rng.random(k) < 0.25
        lit = 0.75 - 0.25 * lang - 0.2 * low_ed + rng.normal(0, 0.12, k)
        self.literacy[idx] = _clip(lit, 0.05, 1.0)
        # Care duties (a parent's savings), children and a variable income are
        # what makes a household's circumstances change often.
        self.complexity[idx] = (
            0.7 + 0.7 * carer + 0.4 * single + 0.6 * var_inc + rng.gamma(2.0, 0.1, k)
        )
        base = 2.9 - 0.3 * lang - 0.3 * low_ed + rng.normal(0, 0.5, k)
        z = np.rint(base[:, None] + rng.normal(0, 0.7, (k, N_DOMAINS)))
        self.zrm[idx] = _clip(z, 1, 5).astype(np.int8)
        self.trust[idx] = _clip(rng.normal(p["initial_trust"], 0.15, k), 0.01, 0.99)
        self.G[0, idx] = lang
        self.G[1, idx] = single
        self.G[2, idx] = carer
        self.irregular[idx] = False
        self.intent[idx] = False
        self.overpaid[idx] = 0.0
        self.rec_err[idx] = False
        self.last_hit[idx] = NEVER
        self.debt[idx] = 0.0
        self.hardship[idx] = 0.0
        self.meetings[idx] = 0.0
        self.months_on[idx] = 0
        self.past_findings[idx] = 0
        self.last_investigated[idx] = NEVER
        self.last_wrongful[idx] = NEVER
        self.sanction_until[idx] = NEVER
        self.reint_month[idx] = NEVER
        self.support_flag[idx] = False
        self.rel_months[idx] = 0
        self.status[idx] = np.where(rng.random(k) < p["initial_non_take_up"],
                                    NON_TAKE_UP, RECEIVING)

    def _init_population(self, rng: np.random.Generator) -> None:
        n = self.n
        self.pid = np.zeros(n, np.int64)
        self.status = np.zeros(n, np.int8)
        for name in ("language", "single_parent", "carer", "low_education", "variable_income",
                     "irregular", "intent", "rec_err", "support_flag"):
            setattr(self, name, np.zeros(n, bool))
        self.age_band = np.zeros(n, np.int8)
        for name in ("literacy", "complexity", "trust", "overpaid", "debt", "hardship", "meetings"):
            setattr(self, name, np.zeros(n, np.float64))
        for name in ("months_on", "past_findings", "rel_months"):
            setattr(self, name, np.zeros(n, np.int32))
        for name in ("last_hit", "last_investigated", "last_wrongful", "sanction_until", "reint_month"):
            setattr(self, name, np.full(n, NEVER, np.int32))
        self.G = np.zeros((len(self.GROUPS), n), np.float64)
        self.zrm = np.zeros((n, N_DOMAINS), np.int8)
        self.rec_mean = np.full(n, 3.0)
        self.rec_blank = np.zeros(n)
        self.support_hours = np.zeros(n, np.float64)
        self._draw_people(np.arange(n), rng)

    def _init_caseworkers(self, rng: np.random.Generator) -> None:
        self.n_cw = max(1, int(round(self.n / self.p["clients_per_caseworker"])))
        k = self.n_cw
        # "Redelijkerwijs" is left to the caseworker: most ask a little more
        # than needed, a few much more (seed, art. 17 Participatiewet passage).
        self.cw_excess = 0.3 * rng.beta(1.5, 4.0, k)
        self.cw_noise = rng.lognormal(0.0, 0.3, k)
        self.cw_blank = np.clip(rng.lognormal(0.0, 0.4, k), 0.2, 2.5)
        self.cw = rng.integers(0, k, self.n).astype(np.int32)
        self.rel_months[:] = rng.integers(0, 12, self.n)
        self.cw_hours = {h: np.zeros(k) for h in ("support", "investigation", "paperwork")}
        self.caseworkers = [Caseworker(self, i) for i in range(k)]
        self._score_zrm(np.arange(self.n), rng)

    def _init_counters(self) -> None:
        g = len(self.GROUPS)
        self.cum = {
            "flags": np.zeros(g), "exposure": np.zeros(g), "sanctions": np.zeros(g),
            "wrongful": np.zeros(g), "flags_all": 0.0, "exposure_all": 0.0,
            "sanctions_all": 0.0, "wrongful_all": 0.0,
        }
        self.council_raised = 0
        self.council_adopted = 0
        self.totals = {"looked_at": 0.0, "informed": 0.0}

    # ---------------------------------------------------------------- helpers
    def group_matrix(self, idx: np.ndarray | None = None) -> np.ndarray:
        """Membership of the audited groups as a (3, n) float matrix (or of the people `idx`)."""
        if idx is None:
            return self.G
        return self.G[:, idx]

    def group_counters(self) -> dict[str, Any]:
        """Copy of the cumulative per-group counters (for the council's audit)."""
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in self.cum.items()}

    def burden(self) -> np.ndarray:
        """Information demanded of each person: the municipality's plus their caseworker's excess."""
        return _clip(self.p["information_burden"] + self.cw_excess[self.cw], 0.0, 1.0)

    def recorded_mean(self, idx: np.ndarray) -> np.ndarray:
        """Mean recorded ZRM over the non-blank domains (3 where all are blank)."""
        return self.rec_mean[idx]

    def linkage_recent(self, idx: np.ndarray) -> np.ndarray:
        """Whether the warehouse showed a mismatch for these people in the last three months."""
        return (self.month - self.last_hit[idx]) <= 3

    def warehouse_features(self, idx: np.ndarray) -> np.ndarray:
        """What the data warehouse holds on these people, in RiskAlgorithm.FEATURES order.

        Recorded data, not the truth: the recorded ZRM with its blanks, the
        mismatches of the linkage (which include record errors), and proxies.
        """
        X = np.empty((idx.size, len(RiskAlgorithm.FEATURES)), np.float64)
        X[:, 0] = self.linkage_recent(idx) if self.p["warehouse"] else 0.0
        X[:, 1] = self.rec_mean[idx]
        X[:, 2] = self.rec_blank[idx]
        X[:, 3] = self.meetings[idx]
        X[:, 4] = self.language[idx]
        X[:, 5] = self.carer[idx]
        X[:, 6] = self.single_parent[idx]
        X[:, 7] = self.age_band[idx]
        X[:, 8] = self.variable_income[idx]
        X[:, 9] = np.minimum(self.months_on[idx], 120) / 12.0
        X[:, 10] = self.past_findings[idx]
        return X

    def _score_zrm(self, idx: np.ndarray, rng: np.random.Generator) -> None:
        """Caseworkers (re)score the ZRM: noisy, rounded, with blanks."""
        if idx.size == 0:
            return
        cw = self.cw[idx]
        z = rng.normal(0.0, 1.0, (idx.size, N_DOMAINS))
        z *= (self.p["zrm_noise"] * self.cw_noise[cw])[:, None]
        z += self.zrm[idx]
        np.rint(z, out=z)
        np.maximum(z, 1, out=z)
        np.minimum(z, 5, out=z)
        blank = rng.random((idx.size, N_DOMAINS)) < (self.p["zrm_blank_rate"] * self.cw_blank[cw])[:, None]
        np.putmask(z, blank, 0.0)
        filled = N_DOMAINS - _row_sums(blank)
        self.rec_mean[idx] = np.where(filled > 0, (z @ _ONES_DOMAINS) / np.maximum(filled, 1), 3.0)
        self.rec_blank[idx] = 1.0 - filled / N_DOMAINS

    def _log(self, mask_or_idx: np.ndarray, event: Event) -> None:
        if self.events.enabled:
            idx = np.flatnonzero(mask_or_idx) if mask_or_idx.dtype == bool else mask_or_idx
            self.events.add(self.month, self.pid[idx], event)

    def non_take_up_share(self) -> float:
        """Share of eligible people (all but those in work) who gave up or never applied."""
        eligible = self.status != WORK
        n_el = int(eligible.sum())
        return float((self.status == NON_TAKE_UP).sum() / n_el) if n_el else 0.0

    def voice(self, strength: float, members: np.ndarray) -> None:
        """Procedural justice: a council with a real voice raises everyone's trust a little."""
        gain = self.p["trust_gain_voice"] * strength
        self.trust += gain * (1.0 - self.trust)
        if members.size:
            self.trust[members] += gain * (1.0 - self.trust[members])

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

    def caseworker_hours(self) -> dict[str, float]:
        """Total caseworker hours last month by activity."""
        return {k: float(v.sum()) for k, v in self.cw_hours.items()}

    # ------------------------------------------------------------------- step
    def step(self) -> None:
        """Advance one month through the twelve stages listed in the module docstring."""
        self.month += 1
        self._apply_changes()
        rng = self.rng_dyn
        m = {"month": self.month}
        self._life_events(rng, m)
        self._records(rng, m)
        self._linkage(rng, m)
        flagged = self._flag(rng, m)
        self._investigate(flagged, rng, m)
        self._support(flagged, rng, m)
        self._trust_network(m)
        self._transitions(rng, m)
        if self.month % 3 == 0:
            self.council.step()
        if self.p["algorithm_purpose"] != "none" and self.month % int(self.p["retrain_interval"]) == 0:
            self.algorithm.retrain()
        self._collect(m)

    def _apply_changes(self) -> None:
        for change in self.spec.changes:
            if change.month == self.month:
                self.p.update(change.params)

    def _life_events(self, rng, m) -> None:
        p = self.p
        rec = self.status == RECEIVING
        burden = self.burden()
        # Reporting in time gets harder with the information demanded, the
        # less administratively literate one is, and the less one trusts.
        p_report = p["report_skill"] * (1 - p["burden_reporting_effect"] * burden * (1 - self.literacy)) \
            * (0.8 + 0.2 * self.trust)
        u = rng.random(self.n)
        event = rec & (u < p["life_event_rate"] * self.complexity)
        u2 = rng.random(self.n)
        reported = event & (u2 < p_report)
        unreported = event & ~reported & ~self.irregular
        self.irregular |= unreported
        self.meetings += reported  # reporting a change is a contact moment
        self._log(reported, Event.CHANGE_REPORTED)
        self._log(unreported, Event.CHANGE_UNREPORTED)
        # Slippery slope (Kirchler et al. 2008): low trust and hardship raise
        # the propensity to cheat; the perceived chance of an investigation
        # deters a little (enforced compliance).
        deter = np.exp(-p["deterrence"] * 12 * p["investigation_capacity"])
        p_fraud = p["fraud_base_rate"] * np.exp(p["fraud_trust_sensitivity"] * (0.5 - self.trust)) \
            * (1 + p["fraud_hardship_sensitivity"] * self.hardship) * deter
        start = rec & ~self.intent & (rng.random(self.n) < p_fraud)
        self.irregular |= start
        self.intent |= start
        self._log(start, Event.STARTED_FRAUD)
        self.overpaid[rec & self.irregular] += p["overpayment_eur"]
        self._p_report = p_report
        m["new_irregularities"] = float(unreported.sum())
        m["new_intentional_fraud"] = float(start.sum())

    def _claim(self, idx: np.ndarray, fined: np.ndarray, amounts: np.ndarray, m: dict) -> None:
        fine = np.where(fined, self.p["fine_rate"] * amounts, 0.0)
        self.debt[idx] += amounts + fine
        m["repayment_claims"] = m.get("repayment_claims", 0.0) + float(idx.size)
        m["fines"] = m.get("fines", 0.0) + float(fined.sum())
        m["claims_eur"] = m.get("claims_eur", 0.0) + float(amounts.sum())
        m["fines_eur"] = m.get("fines_eur", 0.0) + float(fine.sum())

    def _clear_irregularity(self, idx: np.ndarray) -> None:
        self.irregular[idx] = False
        self.intent[idx] = False
        self.overpaid[idx] = 0.0

    def _records(self, rng, m) -> None:
        p = self.p
        rec = self.status == RECEIVING
        new_err = rec & ~self.rec_err & (rng.random(self.n) < p["record_error_rate"] * (0.5 + 0.5 * self.complexity))
        self.rec_err |= new_err
        self._log(new_err, Event.RECORD_ERROR)
        self.rec_err &= ~(rng.random(self.n) < p["record_fix_rate"])
        # Late disclosure of an unintended unreported change: repayment, and
        # under all-or-nothing a fine for part of them all the same.
        u = rng.random(self.n)
        late = rec & self.irregular & ~self.intent & (u < p["late_disclosure"] * self._p_report)
        own = np.zeros(self.n, bool)
        if p["client_record_access"] > 0:
            # Data commons: clients who look at their own record fix errors
            # and see the change they had not reported.
            looks = rec & (rng.random(self.n) < p["client_record_access"])
            if self.events.enabled:
                self._log(looks & (self.rec_err | (self.irregular & ~self.intent)), Event.CORRECTED_OWN_RECORD)
            self.rec_err &= ~looks
            own = looks & self.irregular & ~self.intent & ~late
        disclose = (late | own).nonzero()[0]
        if disclose.size:
            fined = np.zeros(disclose.size, bool)
            if p["sanction_regime"] == "all_or_nothing":
                fined = late[disclose] & (rng.random(disclose.size) < p["late_fine_share"])
            self._claim(disclose, fined, self.overpaid[disclose], m)
            self._clear_irregularity(disclose)
            self._log(disclose, Event.LATE_DISCLOSURE)
        m["late_disclosures"] = float(disclose.size)

    def _linkage(self, rng, m) -> None:
        p = self.p
        looked = np.zeros(self.n, bool)
        if p["warehouse"]:
            rec = self.status == RECEIVING
            consent = np.ones(self.n, bool)
            if p["consent_sharing"]:
                consent = rng.random(self.n) < self.trust
            # A record error and a real unreported change look alike in the linkage.
            hit = rec & consent & (self.irregular | self.rec_err) & (rng.random(self.n) < p["linkage_detection"])
            self.last_hit[hit] = self.month
            looked = rec & consent
        self._looked = looked
        m["linkage_mismatches"] = float((self.last_hit == self.month).sum()) if p["warehouse"] else 0.0

    def _flag(self, rng, m) -> np.ndarray:
        p = self.p
        rec = self.status == RECEIVING
        n_rec = int(rec.sum())
        want = p["investigation_capacity"] * n_rec
        k = int(want) + int(rng.random() < want - int(want))
        cand = (rec & (self.month - self.last_investigated > 12)).nonzero()[0]
        k = min(k, cand.size)
        if k == 0:
            return cand[:0]
        if p["algorithm_purpose"] == "fraud":
            return self.algorithm.select(cand, k)
        return np.sort(rng.choice(cand, k, replace=False))

    def _investigate(self, S: np.ndarray, rng, m) -> None:
        p = self.p
        k = S.size
        for key in ("flags", "false_flags", "nothing_found", "irregularities_found", "fraud_detected",
                    "wrongful_sanctions", "fraud_sanctions"):
            m[key] = 0.0
        self._wrongful_now = np.empty(0, np.int64)
        if k == 0:
            return
        X = self.algorithm.features(S) if p["algorithm_purpose"] == "fraud" else None
        irr, intent, err = self.irregular[S], self.intent[S], self.rec_err[S]
        u = rng.random(k)
        found = np.where(irr, u < p["investigation_sensitivity"],
                         u < np.minimum(1.0, p["investigation_false_finding"] * (1 + 2 * err)))
        if p["sanction_regime"] == "all_or_nothing":
            fraud = found.copy()
        else:
            acc = p["intent_accuracy"]
            judged = np.where(intent, rng.random(k) < acc, rng.random(k) < 1 - acc)
            fraud = found & judged
        # A false finding invents an overpayment of a few months.
        amount = np.where(irr, self.overpaid[S], 3 * p["overpayment_eur"])
        fi = S[found]
        self._claim(fi, fraud[found], amount[found], m)
        sanctioned = S[fraud]
        if p["sanction_months"] > 0 and sanctioned.size:
            self.status[sanctioned] = SANCTIONED
            self.sanction_until[sanctioned] = self.month + int(p["sanction_months"])
        wrongful = fraud & ~intent
        self._clear_irregularity(fi)
        self.rec_err[S] = False
        self.past_findings[fi] += 1
        self.last_investigated[S] = self.month
        self.meetings[S] += 2.0
        if X is not None:
            self.algorithm.observe(X, fraud)
        # Trust: an investigation costs trust (half when told why); a
        # wrongful sanction costs much more.
        informed = rng.random(k) < p["transparency"]
        self.trust[S] -= p["trust_loss_investigation"] * np.where(informed, 0.5, 1.0) * self.trust[S]
        self._wrongful_now = S[wrongful]
        self.last_wrongful[self._wrongful_now] = self.month
        self.trust[self._wrongful_now] -= p["trust_loss_wrongful"] * self.trust[self._wrongful_now]
        if self.events.enabled:
            self._log(S, Event.FLAGGED)
            self._log(S[~found], Event.NOTHING_FOUND)
            self._log(S[found & ~fraud], Event.REPAYMENT)
            self._log(self._wrongful_now, Event.SANCTIONED_WRONGFULLY)
            self._log(S[fraud & intent], Event.SANCTIONED_FRAUD)
        G = self.group_matrix(S)
        self.cum["flags"] += G.sum(axis=1)
        self.cum["sanctions"] += G @ fraud
        self.cum["wrongful"] += G @ wrongful
        self.cum["flags_all"] += k
        self.cum["sanctions_all"] += float(fraud.sum())
        self.cum["wrongful_all"] += float(wrongful.sum())
        m.update(
            flags=float(k), false_flags=float((~intent).sum()), nothing_found=float((~found).sum()),
            irregularities_found=float(found.sum()), fraud_detected=float((fraud & intent).sum()),
            wrongful_sanctions=float(wrongful.sum()), fraud_sanctions=float(fraud.sum()),
        )
        self._looked = self._looked.copy()
        self._looked[S] = True

    def _support(self, S: np.ndarray, rng, m) -> None:
        p = self.p
        rec = self.status == RECEIVING
        # Caseload change: rotating caseloads hand clients to a new klantmanager.
        if p["caseload"] == "rotating":
            moved = rng.random(self.n) < p["rotation_rate"]
            mi = moved.nonzero()[0]
            self.cw[mi] = rng.integers(0, self.n_cw, mi.size)
            self.rel_months[mi] = 0
            if self.events.enabled:
                self._log(moved & rec, Event.NEW_CASEWORKER)
            rescore = rec & (moved | (rng.random(self.n) < 1 / 6))
        else:
            rescore = rec & (rng.random(self.n) < 1 / 6)
        self.rel_months += rec
        self._score_zrm(rescore.nonzero()[0], rng)
        # Support priority from the support algorithm.
        self.support_flag[:] = False
        if p["algorithm_purpose"] == "support":
            r = rec.nonzero()[0]
            k = int(0.2 * r.size)
            top = self.algorithm.select(r, k)
            self.support_flag[top] = True
            self._log(top, Event.SUPPORT_PRIORITY)
            self._looked[top] = True
        # Caseworker hours: investigations and paperwork come first.
        burden = self._burden = self.burden()
        inv = np.bincount(self.cw[S], minlength=self.n_cw) * p["hours_per_investigation"]
        paper = np.bincount(self.cw, weights=rec * p["paperwork_hours"] * (0.33 + 0.67 * burden),
                            minlength=self.n_cw)
        avail = np.maximum(0.0, p["caseworker_hours"] - inv - paper)
        w = rec * (1.0 + p["support_priority"] * self.support_flag)
        wsum = np.bincount(self.cw, weights=w, minlength=self.n_cw)
        hours = avail[self.cw] * w / np.maximum(wsum[self.cw], 1e-12)
        self.support_hours = hours
        self.cw_hours["investigation"] = inv
        self.cw_hours["paperwork"] = paper
        self.cw_hours["support"] = np.bincount(self.cw, weights=hours, minlength=self.n_cw)
        intensity = hours / (hours + 1.0)
        cont = np.minimum(self.rel_months, 12) / 12.0
        quality = (0.5 + 0.5 * self.trust) * (1 + p["continuity_effect"] * cont) / (1 + p["continuity_effect"])
        self._quality = quality * intensity
        # Self-sufficiency: support lifts the weakest domain; hardship wears domains down.
        up = rec & (rng.random(self.n) < p["support_effect"] * self._quality)
        ui = up.nonzero()[0]
        if ui.size:
            d = np.argmin(self.zrm[ui], axis=1)
            self.zrm[ui, d] = np.minimum(5, self.zrm[ui, d] + 1)
            self._log(ui, Event.SUPPORT_PROGRESS)
        down = ((self.status != WORK) & (rng.random(self.n) < p["zrm_decay"] * (1 + self.hardship))).nonzero()[0]
        if down.size:
            d = rng.integers(0, N_DOMAINS, down.size)
            self.zrm[down, d] = np.maximum(1, self.zrm[down, d] - 1)
        # Contact moments: more with complex circumstances and more support;
        # someone who withholds information on purpose avoids contact. So the
        # meeting count carries a (trivial) signal the algorithm can pick up
        # (seed: "the number of meetings ... predicts fraud risk best").
        avoid = np.where(self.intent, 0.5, 1.0)
        self.meetings = self.meetings * (11 / 12) + rng.poisson(
            p["meeting_rate"] * self.complexity * (0.5 + intensity) * avoid) * rec
        # Respectful support regains trust slowly; demanding much is not respectful.
        respect = 1.0 - 0.5 * burden
        self.trust += rec * p["trust_gain_support"] * self._quality * respect * (1 - self.trust)
        m["support_hours"] = float(hours.sum())
        m["investigation_hours"] = float(inv.sum())
        m["paperwork_hours"] = float(paper.sum())

    def _trust_network(self, m) -> None:
        p = self.p
        informed = self._looked & (self.rng_dyn.random(self.n) < p["transparency"])
        self.trust[informed] += p["trust_gain_transparency"] * (1 - self.trust[informed])
        self._log(informed, Event.INFORMED)
        m["looked_at"] = float(self._looked.sum())
        m["informed"] = float(informed.sum())
        self.totals["looked_at"] += m["looked_at"]
        self.totals["informed"] += m["informed"]
        wom = p["word_of_mouth"]
        if wom > 0:
            if self._wrongful_now.size:
                hit = np.zeros(self.n)
                hit[self._wrongful_now] = 1.0
                heard = self.adj @ hit
                self.trust -= np.minimum(1.0, wom * p["trust_loss_wrongful"] * 0.5 * heard) * self.trust
            neigh = (self.adj @ self.trust) * self.inv_degree
            has = self.inv_degree > 0
            self.trust[has] += wom * (neigh[has] - self.trust[has])
        np.maximum(self.trust, 0.0, out=self.trust)
        np.minimum(self.trust, 1.0, out=self.trust)

    def _transitions(self, rng, m) -> None:
        p = self.p
        status = self.status
        rec = status == RECEIVING
        # Nobody changed caseworker or policy since support: its burden still holds.
        felt = _clip(self._burden * (1.3 - self.literacy), 0.0, 1.0)
        u = rng.random(self.n)
        # Work: depends on self-sufficiency and on the support received.
        zmean = _row_sums(self.zrm) / N_DOMAINS
        self._zmean = zmean
        p_work = p["reintegration_rate"] * ((zmean - 1) / 4) ** 1.5 * (0.3 + 0.7 * self._quality / 0.5).clip(0, 2) \
            * np.where(self.language, 0.7, 1.0)
        to_work = rec & (u < p_work)
        p_give = p["giveup_rate"] * (1 + p["giveup_burden_sensitivity"] * felt) \
            * (1 + p["giveup_trust_sensitivity"] * (1 - self.trust))
        give_up = rec & ~to_work & (u > 1 - p_give)
        ntu = status == NON_TAKE_UP
        p_apply = p["takeup_rate"] * (0.3 + 0.7 * self.trust) * (1 - 0.5 * felt)
        u2 = rng.random(self.n)
        apply = ntu & (u2 < p_apply)
        ended = (status == SANCTIONED) & (self.sanction_until <= self.month)
        back = ended & (u2 < 0.3 + 0.6 * self.trust)
        work = status == WORK
        relapse = work & (u2 < p["work_relapse"])
        leave = work & ~relapse & (u2 > 1 - p["inflow_rate"])

        # Leaving the benefit ends an ongoing irregularity (nothing more is
        # overpaid); what was overpaid is not recovered in the model.
        self._clear_irregularity((to_work | give_up).nonzero()[0])
        status[to_work] = WORK
        self.reint_month[to_work] = self.month
        status[give_up] = NON_TAKE_UP
        status[apply | back] = RECEIVING
        status[ended & ~back] = NON_TAKE_UP
        status[relapse] = NON_TAKE_UP
        if self.events.enabled:
            self._log(to_work, Event.FOUND_WORK)
            self._log(give_up | (ended & ~back), Event.GAVE_UP)
            self._log(apply | back, Event.APPLIED)
            self._log(relapse, Event.BACK_FROM_WORK)
        li = leave.nonzero()[0]
        if li.size:
            self._draw_people(li, rng)
            self.cw[li] = rng.integers(0, self.n_cw, li.size)
            self._score_zrm(li, rng)
            self._log(li, Event.ARRIVED)
        # Money: debt is repaid from the benefit; a stopped benefit runs up arrears.
        rec = self.status == RECEIVING
        repay = np.where(rec, np.minimum(self.debt, p["debt_repayment"] * p["benefit_eur"]), 0.0)
        self.debt -= repay
        self.debt[self.status == SANCTIONED] += 0.5 * p["benefit_eur"]
        self.hardship = self.debt / (self.debt + p["hardship_scale_eur"])
        self.months_on += rec
        m["reintegrated"] = float(to_work.sum())
        m["gave_up"] = float(give_up.sum())
        m["applied"] = float(apply.sum())
        m["collected_eur"] = float(repay.sum())
        m["newcomers"] = float(li.size)

    # ------------------------------------------------------------ collection
    def _collect(self, m: dict) -> None:
        p = self.p
        s = self.status
        counts = np.bincount(s, minlength=len(Status))
        rec = s == RECEIVING
        eligible = s != WORK
        n_el = max(int(self.n - counts[WORK]), 1)
        G = self.group_matrix()
        recf = rec.astype(np.float64)
        self.cum["exposure"] += G @ recf
        self.cum["exposure_all"] += float(counts[RECEIVING])
        c = self.cum
        for g, name in enumerate(self.GROUPS):
            m[f"flag_ratio_{name}"] = _ratio(c["flags"][g], c["exposure"][g], c["flags_all"], c["exposure_all"])
        for g, name in enumerate(self.GROUPS):
            m[f"sanction_ratio_{name}"] = _ratio(c["sanctions"][g], c["exposure"][g], c["sanctions_all"], c["exposure_all"])
        for g, name in enumerate(self.GROUPS):
            m[f"wrongful_ratio_{name}"] = _ratio(c["wrongful"][g], c["exposure"][g], c["wrongful_all"], c["exposure_all"])
        elf = eligible.astype(np.float64)
        n_el_g = G @ elf
        trust_g = G @ (elf * self.trust)
        hard_g = G @ (elf * self.hardship)
        for g, name in enumerate(self.GROUPS):
            cnt = n_el_g[g]
            m[f"trust_{name}"] = float(trust_g[g] / cnt) if cnt else float("nan")
            m[f"hardship_{name}"] = float(hard_g[g] / cnt) if cnt else float("nan")
        any_el = bool(eligible.any())
        nan = float("nan")
        n_rec = int(counts[RECEIVING])
        staff = self.n_cw * p["caseworker_hours"] * p["hourly_cost_eur"]
        data_cost = self.n * p["warehouse_cost_eur"] if (p["warehouse"] or p["algorithm_purpose"] != "none") else 0.0
        benefits = n_rec * p["benefit_eur"]
        m.update(
            receiving=float(n_rec),
            in_work=float(counts[WORK]),
            non_take_up_count=float(counts[NON_TAKE_UP]),
            sanctioned=float(counts[SANCTIONED]),
            eligible=float(self.n - counts[WORK]),
            non_take_up=float(counts[NON_TAKE_UP] / n_el),
            mean_trust=float(elf @ self.trust / n_el) if any_el else nan,
            mean_hardship=float(elf @ self.hardship / n_el) if any_el else nan,
            mean_debt_eur=float(elf @ self.debt / n_el) if any_el else nan,
            mean_self_sufficiency=float(elf @ self._zmean / n_el) if any_el else nan,
            self_sufficient_share=float(elf @ (self._zmean >= 3.5) / n_el) if any_el else nan,
            irregular_stock=float((rec & self.irregular & ~self.intent).sum()),
            intentional_fraud_stock=float((rec & self.intent).sum()),
            record_errors=float((rec & self.rec_err).sum()),
            admin_cost_eur=float(staff + data_cost),
            benefits_paid_eur=float(benefits),
            net_cost_eur=float(staff + data_cost + benefits - m.get("collected_eur", 0.0)),
            council_issues_raised=float(self.council_raised),
            council_issues_adopted=float(self.council_adopted),
            information_burden=float(p["information_burden"]),
            transparency=float(p["transparency"]),
            proportional_regime=float(p["sanction_regime"] == "proportional"),
            proxies_dropped=float(bool(p["drop_proxy_features"])),
        )
        for key in ("repayment_claims", "fines", "claims_eur", "fines_eur"):
            m.setdefault(key, 0.0)
        self.rows.append(m)

    def metrics_frame(self) -> pd.DataFrame:
        """The months run so far, one row each, columns in a stable order."""
        frame = pd.DataFrame(self.rows, columns=metric_columns())
        frame["month"] = frame["month"].astype("int64")
        return frame


def _ratio(f_g: float, e_g: float, f_all: float, e_all: float) -> float:
    rest_f, rest_e = f_all - f_g, e_all - e_g
    if e_g <= 0 or rest_e <= 0 or rest_f <= 0:
        return float("nan")
    return float((f_g / e_g) / (rest_f / rest_e))


def metric_columns() -> list[str]:
    """Column order of the monthly metrics frame (documented in README, 'Outputs')."""
    groups = BenefitModel.GROUPS
    return (
        ["month", "receiving", "in_work", "non_take_up_count", "sanctioned", "eligible",
         "flags", "false_flags", "nothing_found", "irregularities_found", "fraud_detected",
         "wrongful_sanctions", "fraud_sanctions", "repayment_claims", "fines", "claims_eur",
         "fines_eur", "collected_eur", "late_disclosures", "mean_trust", "reintegrated",
         "gave_up", "applied", "newcomers", "non_take_up"]
        + [f"flag_ratio_{g}" for g in groups]
        + [f"sanction_ratio_{g}" for g in groups]
        + [f"wrongful_ratio_{g}" for g in groups]
        + [f"trust_{g}" for g in groups]
        + [f"hardship_{g}" for g in groups]
        + ["mean_hardship", "mean_debt_eur", "mean_self_sufficiency", "self_sufficient_share",
           "new_irregularities", "new_intentional_fraud", "irregular_stock",
           "intentional_fraud_stock", "record_errors", "linkage_mismatches", "looked_at",
           "informed", "support_hours", "investigation_hours", "paperwork_hours",
           "admin_cost_eur", "benefits_paid_eur", "net_cost_eur", "council_issues_raised",
           "council_issues_adopted", "information_burden", "transparency",
           "proportional_regime", "proxies_dropped"]
    )
