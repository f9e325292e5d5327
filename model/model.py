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
10. client council (every third month): it raises issues, the
    municipality adopts some and changes its policy
11. retraining of the algorithm (every `retrain_interval` months)
12. data collection: one row of metrics for the month

Each stage is a method that takes what it needs from earlier stages of the
month as arguments and returns what later stages use; `step()` keeps those
hand-overs in a `Month` record, so the order of the stages and what each
depends on can be read in `step()`. What persists from month to month (the
per-person arrays, the policy in force, the cumulative counters) lives on
the model. Setting up the population is in `population.py`, the metrics row
in `collect.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import params as P
from .agents import Caseworker, Client, ClientCouncil, RiskAlgorithm
from .collect import metric_columns, month_row
from .metrics import GROUPS
from .network import small_world
from .population import N_DOMAINS, clip, draw_caseworkers, draw_people
from .population import allocate as allocate_population
from .scenario import Scenario, load_scenario
from .states import NON_TAKE_UP, RECEIVING, SANCTIONED, WORK, Event

__all__ = ["BenefitModel", "EventLog", "Month", "metric_columns"]

Generator = np.random.Generator
Counts = dict[str, float]
"""A month's counts, by metric column; the stages add to them (see Month.counts)."""

_ONES_DOMAINS = np.ones(N_DOMAINS)

# What an adopted council issue changes (docs/ODD.md 7.9): the burden comes
# down by a step but not below a floor (some information is always needed);
# transparency goes up by a step.
BURDEN_STEP = 0.2
BURDEN_FLOOR = 0.1
TRANSPARENCY_STEP = 0.5
# The support algorithm ranks this share of the receiving clients for extra support.
SUPPORT_RANKED_SHARE = 0.2


def _row_sums(a: np.ndarray) -> np.ndarray:
    """Row sums of a small-integer (or boolean) matrix as exact floats.

    A float matrix-vector product sums 13 small integers exactly in any
    order, and is several times faster than an integer reduction along rows.
    """
    return a.astype(np.float64) @ _ONES_DOMAINS


@dataclass(slots=True)
class Month:
    """What one month computes in one stage and uses in a later one.

    `step()` makes one at the start of the month, gives each stage the
    fields it reads and stores what the stage returns; the note under each
    field says which stage makes it and which stages use it.
    """

    number: int
    counts: Counts = field(default_factory=dict)
    """This month's counts (flags, claims, ...), added to by the stages; collection (12) completes the row."""
    p_report: np.ndarray | None = None
    """2 -> 3: each person's chance of reporting a change in time."""
    linked: np.ndarray | None = None
    """4 -> 8: whose data the warehouse linked (a mask)."""
    flagged: np.ndarray | None = None
    """5 -> 6, 7, 8: who is investigated (slots)."""
    wrongful: np.ndarray | None = None
    """6 -> 8: who was sanctioned as a fraudster without intent (slots)."""
    ranked: np.ndarray | None = None
    """7 -> 8: who the support algorithm ranked for extra support (slots)."""
    burden: np.ndarray | None = None
    """7 -> 9: information demanded of each person."""
    quality: np.ndarray | None = None
    """7 -> 9: the support each person got (quality times intensity)."""
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
        overrides: Parameter values that hold for the whole run.
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
        # The timeline by month, merged in file order, so a month looks up its changes once
        # instead of scanning every change (a scenario may hold 10,000).
        self._timeline: dict[int, dict[str, Any]] = {}
        for change in self.spec.changes:
            self._timeline.setdefault(change.month, {}).update(change.params)
        self.n = int(P.get("n_clients").coerce(n_clients))
        self.month = 0
        # The policy in force: the scenario's values, changed by its timeline
        # and by adopted council issues (apply_issue).
        self.p: dict[str, Any] = dict(self.spec.params)
        # Independent streams from the model's generator: the population is
        # drawn from its own stream, so two scenarios run with one seed start
        # from the same people (common random numbers).
        pop_rng, self.rng_dyn = self.rng.spawn(2)
        self.events = EventLog(record_events)
        self.rows: list[dict[str, float]] = []
        self.next_pid = 0
        allocate_population(self)
        draw_people(self, np.arange(self.n), pop_rng)
        draw_caseworkers(self, pop_rng)
        self._score_zrm(np.arange(self.n), pop_rng)
        self.adj = small_world(self.n, int(self.p["network_degree"]), self.p["network_rewiring"], pop_rng)
        deg = np.asarray(self.adj.sum(axis=1)).ravel()
        self.inv_degree = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
        g = len(GROUPS)
        # Cumulative per-group counters for the rate ratios and the council's audit.
        self.cum = {
            "flags": np.zeros(g), "exposure": np.zeros(g), "sanctions": np.zeros(g),
            "wrongful": np.zeros(g), "flags_all": 0.0, "exposure_all": 0.0,
            "sanctions_all": 0.0, "wrongful_all": 0.0,
        }
        self.council_raised = 0
        self.council_adopted = 0
        self.algorithm = RiskAlgorithm(self)
        self.council = ClientCouncil(self)
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

    def apply_issue(self, issue: str) -> None:
        """Change the policy in force as an adopted council issue asks (docs/ODD.md 7.9)."""
        p = self.p
        if issue == "drop_proxy_features":
            p["drop_proxy_features"] = True
        elif issue == "separate_error_from_intent":
            p["sanction_regime"] = "proportional"
        elif issue == "lower_information_burden":
            p["information_burden"] = round(max(BURDEN_FLOOR, p["information_burden"] - BURDEN_STEP), 6)
        elif issue == "inform_clients":
            p["transparency"] = round(min(1.0, p["transparency"] + TRANSPARENCY_STEP), 6)
        else:
            raise ValueError(f"unknown council issue '{issue}' (known: {', '.join(ClientCouncil.ISSUES)})")

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

    # ------------------------------------------------------------------- step
    def step(self) -> None:
        """Advance one month through the twelve stages listed in the module docstring."""
        self.month += 1
        rng = self.rng_dyn
        mo = Month(self.month)
        self._apply_changes()                                                # 1
        mo.p_report = self._life_events(rng, mo.counts)                      # 2
        self._records(mo.p_report, rng, mo.counts)                           # 3
        mo.linked = self._linkage(rng, mo.counts)                            # 4
        mo.flagged = self._flag(rng)                                         # 5
        mo.wrongful = self._investigate(mo.flagged, rng, mo.counts)          # 6
        mo.burden, mo.quality, mo.ranked = self._support(mo.flagged, rng, mo.counts)  # 7
        self._trust(mo.looked_at(), mo.wrongful, rng, mo.counts)             # 8
        mo.zmean = self._transitions(mo.burden, mo.quality, rng, mo.counts)  # 9
        if self.month % 3 == 0:
            self._council(rng)                                               # 10
        if self.p["algorithm_purpose"] != "none" and self.month % int(self.p["retrain_interval"]) == 0:
            self.algorithm.retrain()                                         # 11
        self._collect(mo.zmean, mo.counts)                                   # 12

    def _apply_changes(self) -> None:
        """1. Policy changes of the scenario's timeline that take effect this month."""
        self.p.update(self._timeline.get(self.month, {}))

    def _life_events(self, rng: Generator, counts: Counts) -> np.ndarray:
        """2. Changes in circumstances, reported in time or not; starts of intentional fraud.

        Returns each person's chance of reporting a change in time, which
        also drives late disclosure in stage 3.
        """
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
        counts["new_irregularities"] = float(unreported.sum())
        counts["new_intentional_fraud"] = float(start.sum())
        return p_report

    def _claim(self, idx: np.ndarray, fined: np.ndarray, amounts: np.ndarray, counts: Counts) -> None:
        """Claim `amounts` back from the people `idx`, with a fine for the `fined`; count it in `counts`."""
        fine = np.where(fined, self.p["fine_rate"] * amounts, 0.0)
        self.debt[idx] += amounts + fine
        counts["repayment_claims"] = counts.get("repayment_claims", 0.0) + float(idx.size)
        counts["fines"] = counts.get("fines", 0.0) + float(fined.sum())
        counts["claims_eur"] = counts.get("claims_eur", 0.0) + float(amounts.sum())
        counts["fines_eur"] = counts.get("fines_eur", 0.0) + float(fine.sum())

    def _clear_irregularity(self, idx: np.ndarray) -> None:
        self.irregular[idx] = False
        self.intent[idx] = False
        self.overpaid[idx] = 0.0

    def _records(self, p_report: np.ndarray, rng: Generator, counts: Counts) -> None:
        """3. Record errors come and go; late disclosures; clients correct their own record."""
        p = self.p
        rec = self.status == RECEIVING
        new_err = rec & ~self.rec_err & (rng.random(self.n) < p["record_error_rate"] * (0.5 + 0.5 * self.complexity))
        self.rec_err |= new_err
        self._log(new_err, Event.RECORD_ERROR)
        self.rec_err &= ~(rng.random(self.n) < p["record_fix_rate"])
        # Late disclosure of an unintended unreported change: repayment, and
        # under all-or-nothing a fine for part of them all the same.
        u = rng.random(self.n)
        late = rec & self.irregular & ~self.intent & (u < p["late_disclosure"] * p_report)
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
            self._claim(disclose, fined, self.overpaid[disclose], counts)
            self._clear_irregularity(disclose)
            self._log(disclose, Event.LATE_DISCLOSURE)
        counts["late_disclosures"] = float(disclose.size)

    def _linkage(self, rng: Generator, counts: Counts) -> np.ndarray:
        """4. The warehouse links the records; returns whose data it linked (a mask)."""
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
        counts["linkage_mismatches"] = float((self.last_hit == self.month).sum()) if p["warehouse"] else 0.0
        return looked

    def _flag(self, rng: Generator) -> np.ndarray:
        """5. Who is investigated this month (slots, sorted): by the algorithm's score, or a random audit."""
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

    def _investigate(self, S: np.ndarray, rng: Generator, counts: Counts) -> np.ndarray:
        """6. Investigate the flagged `S`; returns who among them was sanctioned wrongfully."""
        p = self.p
        k = S.size
        for key in ("flags", "false_flags", "nothing_found", "irregularities_found", "fraud_detected",
                    "wrongful_sanctions", "fraud_sanctions"):
            counts[key] = 0.0
        if k == 0:
            return S[:0]
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
        self._claim(fi, fraud[found], amount[found], counts)
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
        wrongly = S[wrongful]
        self.last_wrongful[wrongly] = self.month
        self.trust[wrongly] -= p["trust_loss_wrongful"] * self.trust[wrongly]
        if self.events.enabled:
            self._log(S, Event.FLAGGED)
            self._log(S[~found], Event.NOTHING_FOUND)
            self._log(S[found & ~fraud], Event.REPAYMENT)
            self._log(wrongly, Event.SANCTIONED_WRONGFULLY)
            self._log(S[fraud & intent], Event.SANCTIONED_FRAUD)
        G = self.G[:, S]
        self.cum["flags"] += G.sum(axis=1)
        self.cum["sanctions"] += G @ fraud
        self.cum["wrongful"] += G @ wrongful
        self.cum["flags_all"] += k
        self.cum["sanctions_all"] += float(fraud.sum())
        self.cum["wrongful_all"] += float(wrongful.sum())
        counts.update(
            flags=float(k), false_flags=float((~intent).sum()), nothing_found=float((~found).sum()),
            irregularities_found=float(found.sum()), fraud_detected=float((fraud & intent).sum()),
            wrongful_sanctions=float(wrongful.sum()), fraud_sanctions=float(fraud.sum()),
        )
        return wrongly

    def _support(self, S: np.ndarray, rng: Generator, counts: Counts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """7. Support with the hours left after the investigations of `S` and the paperwork.

        Returns the information demanded of each person (burden), the
        support each got (quality times intensity) and who the support
        algorithm ranked first (slots; none unless it ranks for support).
        """
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
        top = S[:0]
        if p["algorithm_purpose"] == "support":
            r = rec.nonzero()[0]
            k = int(SUPPORT_RANKED_SHARE * r.size)
            top = self.algorithm.select(r, k)
            self.support_flag[top] = True
            self._log(top, Event.SUPPORT_PRIORITY)
        # Caseworker hours: investigations and paperwork come first.
        burden = self.burden()
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
        quality = quality * intensity
        # Self-sufficiency: support lifts the weakest domain; hardship wears domains down.
        up = rec & (rng.random(self.n) < p["support_effect"] * quality)
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
        self.trust += rec * p["trust_gain_support"] * quality * respect * (1 - self.trust)
        counts["support_hours"] = float(hours.sum())
        counts["investigation_hours"] = float(inv.sum())
        counts["paperwork_hours"] = float(paper.sum())
        return burden, quality, top

    def _trust(self, looked: np.ndarray, wrongful: np.ndarray, rng: Generator, counts: Counts) -> None:
        """8. Trust: those `looked` at are told so (transparency); word of mouth, also of the `wrongful` sanctions."""
        p = self.p
        informed = looked & (rng.random(self.n) < p["transparency"])
        self.trust[informed] += p["trust_gain_transparency"] * (1 - self.trust[informed])
        self._log(informed, Event.INFORMED)
        counts["looked_at"] = float(looked.sum())
        counts["informed"] = float(informed.sum())
        wom = p["word_of_mouth"]
        if wom > 0:
            if wrongful.size:
                hit = np.zeros(self.n)
                hit[wrongful] = 1.0
                heard = self.adj @ hit
                self.trust -= np.minimum(1.0, wom * p["trust_loss_wrongful"] * 0.5 * heard) * self.trust
            neigh = (self.adj @ self.trust) * self.inv_degree
            has = self.inv_degree > 0
            self.trust[has] += wom * (neigh[has] - self.trust[has])
        np.maximum(self.trust, 0.0, out=self.trust)
        np.minimum(self.trust, 1.0, out=self.trust)

    def _transitions(self, burden: np.ndarray, quality: np.ndarray, rng: Generator, counts: Counts) -> np.ndarray:
        """9. Exits and entries, given this month's `burden` and support `quality`; debt and hardship.

        Returns each person's mean true ZRM score (self-sufficiency), for collection.
        """
        p = self.p
        status = self.status
        rec = status == RECEIVING
        # Nobody changed caseworker or policy since support: its burden still holds.
        felt = clip(burden * (1.3 - self.literacy), 0.0, 1.0)
        u = rng.random(self.n)
        # Work: depends on self-sufficiency and on the support received.
        zmean = _row_sums(self.zrm) / N_DOMAINS
        p_work = p["reintegration_rate"] * ((zmean - 1) / 4) ** 1.5 * (0.3 + 0.7 * quality / 0.5).clip(0, 2) \
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
            draw_people(self, li, rng)
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
        counts["reintegrated"] = float(to_work.sum())
        counts["gave_up"] = float(give_up.sum())
        counts["applied"] = float(apply.sum())
        counts["collected_eur"] = float(repay.sum())
        counts["newcomers"] = float(li.size)
        return zmean

    def _council(self, rng: Generator) -> None:
        """10. The council raises issues; the municipality adopts each with `council_responsiveness`.

        An adopted issue changes the policy in force (apply_issue). A council
        with data access is a voice: it raises trust, twice as much when the
        municipality adopted something.
        """
        raised = self.council.step()
        adopted = 0
        for issue in raised:
            ok = bool(rng.random() < self.p["council_responsiveness"])
            if ok:
                self.apply_issue(issue.key)
                adopted += 1
            self.council.answered(issue, ok)
        self.council_raised += len(raised)
        self.council_adopted += adopted
        if self.p["council_data_access"]:
            self.voice(1.0 if adopted else 0.5, self.council.members)

    def _collect(self, zmean: np.ndarray, counts: Counts) -> None:
        """12. Count this month's exposure (months receiving, per group) and keep the month's row."""
        recf = (self.status == RECEIVING).astype(np.float64)
        self.cum["exposure"] += self.G @ recf
        self.cum["exposure_all"] += float(recf.sum())
        self.rows.append(month_row(self, counts, zmean))

    def metrics_frame(self) -> pd.DataFrame:
        """The months run so far, one row each, columns in a stable order."""
        frame = pd.DataFrame(self.rows, columns=metric_columns())
        frame["month"] = frame["month"].astype("int64")
        return frame
