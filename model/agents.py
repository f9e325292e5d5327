"""The agents: clients, caseworkers (klantmanagers), the risk algorithm and the client council.

Clients and caseworkers are many, so their state lives in numpy arrays owned by
the model and all of them step together (one array operation instead of one
Python call per person is ~80x faster). `Client` and `Caseworker` are thin
Mesa agents that read and explain that state for one person; the model makes
them on demand (for the browser app, for tests, for a client's story). The
risk algorithm and the council are single agents with their own Python logic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import mesa
import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression

from . import draws as D
from . import kernels as K
from . import params as registry
from .collect import rate_ratios
from .states import Event, Status

if TYPE_CHECKING:
    from .model import BenefitModel

QUARTER_MONTHS = 3
"""Months in the quarter the council audits and the dashboard shows."""
YEAR_QUARTERS = 4
"""Quarters back the municipality compares spending with (a year)."""

ZRM_DOMAINS = (
    "finances", "daytime activities", "housing", "domestic relations", "mental health",
    "physical health", "addiction", "daily living skills", "social network",
    "community participation", "justice", "language and literacy", "care duties",
)
"""The 13 domains of the self-sufficiency matrix (ZRM), each scored 1 (acute problems) to 5."""

EVENT_TEXT = {
    Event.CHANGE_REPORTED: "reported a change in circumstances in time",
    Event.CHANGE_UNREPORTED: "had a change in circumstances that was not reported (no intent)",
    Event.STARTED_FRAUD: "started to withhold information on purpose",
    Event.LATE_DISCLOSURE: "reported an earlier change late and repays the overpayment",
    Event.RECORD_ERROR: "got an error in the municipal record",
    Event.CORRECTED_OWN_RECORD: "checked and corrected their own record in the data commons",
    Event.FLAGGED: "was selected for a fraud investigation",
    Event.NOTHING_FOUND: "was investigated; nothing was found",
    Event.REPAYMENT: "must repay an overpayment (no fraud established)",
    Event.SANCTIONED_WRONGFULLY: "was sanctioned as a fraudster without any intent (repayment, fine, benefit stopped)",
    Event.SANCTIONED_FRAUD: "was sanctioned for intentional fraud",
    Event.INFORMED: "was told who looked at their data, when and why",
    Event.NEW_CASEWORKER: "got a new klantmanager",
    Event.SUPPORT_PROGRESS: "made progress on a self-sufficiency domain with support",
    Event.FOUND_WORK: "found paid work and left the benefit",
    Event.GAVE_UP: "gave up the benefit they are entitled to",
    Event.APPLIED: "applied for bijstand and receives it",
    Event.BACK_FROM_WORK: "lost their job and is eligible again",
    Event.ARRIVED: "became eligible for bijstand",
    Event.SUPPORT_PRIORITY: "was ranked for extra support by the algorithm",
    Event.OBJECTION_UPHELD: "objected to the sanction and was proved right: refund and compensation",
}


class Client(mesa.Agent):
    """One person, as a view over the model's arrays.

    The view remembers which person (`pid`) it was made for; when that person
    leaves the model's scope (back in work, replaced by a newcomer in the
    same slot), `present` turns False and the view keeps its story.
    """

    def __init__(self, model: "BenefitModel", slot: int) -> None:
        super().__init__(model)
        self.slot = int(slot)
        self.pid = int(model.pid[slot])

    @property
    def present(self) -> bool:
        """Whether this person is still the one in their slot."""
        return int(self.model.pid[self.slot]) == self.pid

    def _get(self, array):
        return array[self.slot].item() if self.present else None

    @property
    def status(self) -> Status | None:
        v = self._get(self.model.status)
        return None if v is None else Status(v)

    @property
    def trust(self) -> float | None:
        return self._get(self.model.trust)

    @property
    def hardship(self) -> float | None:
        return self._get(self.model.hardship)

    @property
    def debt_eur(self) -> float | None:
        return self._get(self.model.debt)

    @property
    def self_sufficiency(self) -> float | None:
        """Mean true ZRM score over the 13 domains (1-5)."""
        return float(self.model.zrm[self.slot].mean()) if self.present else None

    @property
    def traits(self) -> dict:
        """Fixed characteristics of this person."""
        m, i = self.model, self.slot
        return {
            "language_barrier": bool(m.language[i]),
            "single_parent": bool(m.single_parent[i]),
            "carer": bool(m.carer[i]),
            "low_education": bool(m.low_education[i]),
            "age_band": ("18-26", "27-44", "45-54", "55+")[int(m.age_band[i])],
            "literacy": round(float(m.literacy[i]), 2),
            "complexity": round(float(m.complexity[i]), 2),
        }

    def story(self) -> list[tuple[int, str]]:
        """What happened to this person so far, as (month, sentence) pairs.

        Needs the model to have been made with `record_events=True`.
        """
        return [(month, EVENT_TEXT[Event(code)]) for month, code in self.model.events.story(self.pid)]


class Caseworker(mesa.Agent):
    """A klantmanager, as a view over the model's caseworker arrays.

    Caseworkers differ in how much information they demand beyond what is
    needed (the Participatiewet's "redelijkerwijs" is left to them) and in how
    noisily and incompletely they score the ZRM.
    """

    def __init__(self, model: "BenefitModel", index: int) -> None:
        super().__init__(model)
        self.index = int(index)

    @property
    def excess_demand(self) -> float:
        """Information demanded on top of the municipality's burden (0-0.3)."""
        return float(self.model.cw_excess[self.index])

    @property
    def scoring_noise(self) -> float:
        """Multiplier of the ZRM scoring noise for this caseworker."""
        return float(self.model.cw_noise[self.index])

    @property
    def blank_rate(self) -> float:
        """Share of ZRM domains this caseworker leaves blank."""
        return float(self.model.cw_blank[self.index])

    @property
    def caseload(self) -> int:
        m = self.model
        return int(((m.cw == self.index) & (m.status == Status.RECEIVING)).sum())

    @property
    def hours(self) -> dict[str, float]:
        """Hours spent last month on support, investigation and paperwork."""
        m = self.model
        return {k: float(v[self.index]) for k, v in m.cw_hours.items()}


class RiskAlgorithm(mesa.Agent):
    """Scores every client from what the data warehouse holds and ranks them.

    For fraud (datasturing) it is trained on past investigations (of every
    route, and then mostly those it chose itself), with whatever the
    investigation concluded as the label; under an
    all-or-nothing regime an unreported change counts as fraud whether or not
    there was intent. That is the runaway feedback loop of Ensign et al.
    (2018) and the invalid label of the seed's carer case. For support
    (dienstverlening) the same machinery ranks who would most likely move to
    work with support, trained on what happened to earlier supported clients.

    The learner is scikit-learn's logistic regression on standardised
    features, so a feature's weight is comparable across features
    (Rotterdam used gradient boosting on 315 features; a linear model keeps
    retraining cheap enough for thousands of replications). Standardising
    and scoring are two array operations done here rather than through a
    scikit-learn Pipeline, whose per-call input validation cost more than
    the whole rest of a month at small populations; for the same reason the
    fit takes scikit-learn's Newton path directly (`fit_learner`: the same
    coefficients, a quarter of the cost).
    """

    FEATURES = (
        "linkage_mismatch", "zrm_recorded_mean", "zrm_blank_share", "meetings_last_year",
        "language_barrier", "carer", "single_parent", "age_band", "variable_income",
        "months_on_benefit", "past_findings",
    )
    PROXIES = ("language_barrier", "carer", "single_parent")
    MIN_CASES = 30
    SUPPORT_SNAPSHOT = 5000

    def __init__(self, model: "BenefitModel") -> None:
        super().__init__(model)
        self.learner: LogisticRegression | None = None
        self._mu = self._sd = None
        self.trained_month: int | None = None
        self.trained_purpose: str | None = None
        self.n_training_cases = 0
        self._X: list[np.ndarray] = []
        self._y: list[np.ndarray] = []
        self._month: list[int] = []
        self._snapshot: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._proxies = np.isin(self.FEATURES, self.PROXIES)

    @property
    def purpose(self) -> str:
        return self.model.p["algorithm_purpose"]

    def _blank(self) -> np.ndarray | None:
        """The feature columns the algorithm may not see: the proxies once they are dropped (else none)."""
        return self._proxies if self.model.p["drop_proxy_features"] else None

    def features(self, idx: np.ndarray) -> np.ndarray:
        """Warehouse view of the given clients, with proxies blanked when dropped."""
        return self.model.warehouse_features(idx, self._blank())

    def score(self, idx: np.ndarray) -> np.ndarray:
        """Higher is ranked first. Before the first training a rule stands in.

        The stand-in is what a municipality has before a model: for fraud, a
        warehouse mismatch first; for support, the lowest recorded ZRM first.
        """
        rng = self.model.rng_dyn
        jitter = rng.random(idx.size) * 1e-6
        if self.learner is not None and self.trained_purpose == self.purpose:
            noise = D.normal(self.model.handles, 0.0, self.model.p["score_noise"], idx.size)  # rng.normal, compiled
            return self.decision(idx) + noise + jitter
        if self.purpose == "support":
            return -self.model.recorded_mean(idx) + jitter * 1e3
        return self.model.linkage_recent(idx).astype(float) + rng.random(idx.size)

    def select(self, candidates: np.ndarray, k: int) -> np.ndarray:
        """The k highest-scoring candidates."""
        if k <= 0 or candidates.size == 0:
            return candidates[:0]
        if k >= candidates.size:
            return candidates
        s = self.score(candidates)
        top = np.argpartition(-s, k - 1)[:k]
        return np.sort(candidates[top])

    def observe(self, X: np.ndarray, y: np.ndarray) -> None:
        """Remember investigation outcomes (features at flagging time, concluded label).

        Every investigation is remembered, whatever its route, so that a
        fraud algorithm commissioned later is trained on the municipality's
        past cases (the seed: past patterns give risk factors); what falls
        out of the training window is forgotten.
        """
        if X.shape[0]:
            self._X.append(X)
            self._y.append(y.astype(np.int8))
            self._month.append(self.model.month)
            window = self.model.month - self.model.p["training_window"]
            while self._month and self._month[0] <= window:
                del self._X[0], self._y[0], self._month[0]

    def retrain(self) -> None:
        """Refit on the recent window; keep the old fit when there is too little to learn from."""
        m = self.model
        if self.purpose == "fraud":
            window = m.month - m.p["training_window"]
            keep = [i for i, mo in enumerate(self._month) if mo > window]
            self._X = [self._X[i] for i in keep]
            self._y = [self._y[i] for i in keep]
            self._month = [self._month[i] for i in keep]
            if not self._X:
                return
            X, y = np.concatenate(self._X), np.concatenate(self._y)
            self._fit(X, y)
        elif self.purpose == "support":
            self._retrain_support()

    def _retrain_support(self) -> None:
        m = self.model
        if self._snapshot is not None:
            month, slots, pids, X = self._snapshot
            y = (m.pid[slots] != pids) | (m.reint_month[slots] > month)
            self._fit(X, y)
        receiving = np.flatnonzero(m.status == Status.RECEIVING)
        if receiving.size > self.SUPPORT_SNAPSHOT:
            receiving = np.sort(m.rng_dyn.choice(receiving, self.SUPPORT_SNAPSHOT, replace=False))
        self._snapshot = (m.month, receiving, m.pid[receiving].copy(), self.features(receiving))

    def decision(self, idx: np.ndarray) -> np.ndarray:
        """The fitted model's log-odds for the people `idx`, from their standardised warehouse features."""
        Z = self.model.warehouse_features(idx, self._blank(), self._mu, self._sd)
        return Z @ self.learner.coef_[0] + self.learner.intercept_[0]

    def _fit(self, X: np.ndarray, y: np.ndarray) -> None:
        if y.size < self.MIN_CASES or y.min() == y.max():
            return
        mu, sd = X.mean(axis=0), X.std(axis=0)
        sd[sd == 0] = 1.0  # a constant feature (e.g. a dropped proxy) keeps weight 0
        learner = new_learner()
        fit_learner(learner, (X - mu) / sd, y)
        self.learner, self._mu, self._sd = learner, mu, sd
        self.trained_month = self.model.month
        self.trained_purpose = self.purpose
        self.n_training_cases = int(y.size)

    def feature_importance(self) -> pd.Series:
        """Absolute standardised weight of each feature, largest first (empty before training)."""
        if self.learner is None:
            return pd.Series(dtype=float, name="weight")
        coef = self.learner.coef_[0]
        return pd.Series(np.abs(coef), index=list(self.FEATURES), name="weight").sort_values(
            ascending=False
        )

    def feature_weights(self) -> pd.Series:
        """Signed standardised weights (positive = ranked higher), in feature order."""
        if self.learner is None:
            return pd.Series(dtype=float, name="weight")
        return pd.Series(self.learner.coef_[0], index=list(self.FEATURES), name="weight")


def new_learner() -> LogisticRegression:
    """The algorithm's learner: L2-penalised logistic regression (C = 1), Newton-Cholesky, at most 100 steps."""
    return LogisticRegression(solver="newton-cholesky", max_iter=100)


NEWTON_ARMIJO, NEWTON_BACKTRACK, NEWTON_HALVINGS, NEWTON_EPS = 2.0 ** -11, 0.5, 21, 16 * np.finfo(np.float64).eps
"""The line search of scikit-learn's Newton solvers: sufficient decrease 2^-11 of the slope, halve the step,
21 tries; a change of the loss within 16 machine epsilons of it counts as none."""


def fit_learner(learner: LogisticRegression, X: np.ndarray, y: np.ndarray) -> LogisticRegression:
    """Fit `learner` (from `new_learner`) on standardised features `X` and 0/1 labels `y` with both classes.

    The same fit as `learner.fit(X, y)` at a small part of the cost: a run retrains ~20 times
    on a few hundred to a few thousand cases, where LogisticRegression.fit's checks, set-up
    and per-step bookkeeping cost many times the arithmetic. This takes scikit-learn's own
    path for this problem - its loss (mean log-loss plus 1 / (2 C n) times the squared
    weights, intercept unpenalised), Newton steps from zero with a Cholesky solve, its
    backtracking line search and its stopping rule (largest |gradient| and half the Newton
    decrement at most `tol`) - compiled (`kernels.newton_logistic`), so the coefficients agree
    with scikit-learn's to rounding (tests/test_speed.py: within 1e-6 on random data and on
    the model's own training sets). Should a step fail (a singular Hessian, a line search
    that finds no decrease), scikit-learn fits instead.
    """
    steps, w = K.newton_logistic(np.ascontiguousarray(X, dtype=np.float64),
                                 (np.asarray(y) == 1).astype(np.float64), 1.0 / learner.C, learner.tol,
                                 learner.max_iter, NEWTON_ARMIJO, NEWTON_BACKTRACK, NEWTON_HALVINGS, NEWTON_EPS)
    if steps < 0:  # pragma: no cover - only on a degenerate problem
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return learner.fit(X, y)
    learner.classes_ = np.unique(np.asarray(y))
    learner.n_features_in_ = X.shape[1]
    learner.n_iter_ = np.array([steps], dtype=np.int32)
    learner.coef_ = w[:-1][None, :]
    learner.intercept_ = w[-1:]
    return learner


class Issue(NamedTuple):
    """An issue the client council raises: which (a key of `ClientCouncil.ISSUES`) and why."""

    key: str
    evidence: str


class ClientCouncil(mesa.Agent):
    """The client council (cliëntenraad): members drawn from clients.

    Obstructed (no data access, seed lines 466-480), it can only raise what
    its members live through, and is mostly ignored (`obstructed_weight`).
    Empowered, it audits the last quarter with the data: flags, sanctions,
    hardship and non-take-up per group, records, support time; and raises
    issues with evidence (the seed: clients want less coercion, a fixed
    contact, respectful treatment and transparency, lines 785-795). An issue
    the municipality does not adopt stays open and is not raised again; after
    `escalation_months` an empowered council escalates it (press, ombudsman),
    once, while an obstructed council's issue lapses.
    The council only asks: the municipality (the model) decides, changes its
    levers (`BenefitModel.apply_issue`) and answers (`answered`), so `step`
    changes neither the policy nor the counters.
    """

    ISSUES = {
        "drop_proxy_features": "Stop using language, single parenthood and care duties as risk features",
        "separate_error_from_intent": "Treat an unreported change without intent as an error, not fraud",
        "lower_information_burden": "Ask only for information that is really needed",
        "inform_clients": "Tell clients who looked at their data, when and why",
        "outreach": "Reach the eligible people who do not take up their benefit",
        "fix_records": "Correct the record errors clients find in their own data",
        "close_group_gap": "Lighter recovery and shorter benefit stops: one group bears more sanctions or hardship",
        "fixed_caseworker": "Give every client a fixed caseworker",
        "more_support_time": "Smaller caseloads: clients wait too long for help",
    }
    LEVERS: dict[str, tuple[tuple[str, Any], ...]] = {
        "drop_proxy_features": (("drop_proxy_features", True),),
        "separate_error_from_intent": (("sanction_regime", "proportional"),),
        "lower_information_burden": (("information_burden", "down"),),
        "inform_clients": (("transparency", "up"),),
        "outreach": (("outreach", "up"),),
        "fix_records": (("record_fix_rate", "up"),),
        "close_group_gap": (("debt_repayment", "down"), ("sanction_months", "down")),
        "fixed_caseworker": (("caseload", "fixed"),),
        "more_support_time": (("clients_per_caseworker", "less"),),
    }
    """What an adopted issue changes: (lever, a value or a council step "up", "down", or "less")."""

    def __init__(self, model: "BenefitModel") -> None:
        super().__init__(model)
        self.members = np.empty(0, dtype=np.int64)
        self.issues: list[dict] = []  # every answer: month, issue, text, evidence, adopted, escalated
        self.open: dict[str, tuple[int, str]] = {}  # issue -> (month raised, evidence), not adopted yet
        self._last = model.group_counters()

    def _refresh_members(self) -> None:
        m = self.model
        size = int(m.p["council_size"])
        keep = self.members[m.status[self.members] == Status.RECEIVING]
        keep = keep[: size]
        need = size - keep.size
        if need > 0:
            free = m.status == Status.RECEIVING
            free[keep] = False
            pool = np.flatnonzero(free)  # sorted, as setdiff1d gave it, without its sort of everyone
            if pool.size:
                keep = np.concatenate([keep, m.rng_dyn.choice(pool, min(need, pool.size), replace=False)])
        self.members = np.sort(keep)

    def step(self) -> tuple[list[Issue], list[Issue]]:
        """Quarterly: renew the members, audit the last quarter; return (issues raised, issues escalated)."""
        m = self.model
        self._refresh_members()
        now = m.group_counters()
        quarter = {k: now[k] - self._last[k] for k in now}
        self._last = now
        access = m.p["council_data_access"]
        found = self._audit(quarter) if access else self._experience()
        late = [Issue(k, ev) for k, (month, ev) in self.open.items()
                if m.month - month >= m.p["escalation_months"]]
        for issue in late:
            del self.open[issue.key]
        # Only a council with the data has a case to take to the press or the ombudsman; an
        # obstructed council's ignored issue just lapses (and may be raised again).
        escalated = late if access else []
        lapsed = {i.key for i in late}
        raised = [i for i in found if i.key not in self.open and i.key not in lapsed]
        return raised, escalated

    def _audit(self, quarter: dict[str, Any]) -> list[Issue]:
        """What a council with the data finds in the last quarter."""
        m, p = self.model, self.model.p
        out: list[Issue] = []
        rows = m.rows[-QUARTER_MONTHS:]
        flags = rate_ratios(quarter["flags"], quarter["exposure"], quarter["flags_all"], quarter["exposure_all"])
        worst = int(np.argmax(np.nan_to_num(flags)))
        if (p["algorithm_purpose"] == "fraud" and not p["drop_proxy_features"]
                and np.nan_to_num(flags[worst]) > p["council_ratio_alarm"]):
            out.append(Issue("drop_proxy_features", f"{m.GROUPS[worst]} flagged {flags[worst]:.2f}x as often as others"))
        sanctions = quarter["sanctions_all"]
        if p["sanction_regime"] == "all_or_nothing" and sanctions > 0 \
                and quarter["wrongful_all"] / sanctions > p["council_wrongful_alarm"]:
            out.append(Issue("separate_error_from_intent",
                             f"{quarter['wrongful_all'] / sanctions:.0%} of fraud sanctions had no intent"))
        ntu = m.non_take_up_share()
        if p["information_burden"] > p["council_burden_alarm"] and ntu > p["council_ntu_alarm"]:
            out.append(Issue("lower_information_burden", f"non-take-up is {ntu:.0%} with a burden of "
                             f"{p['information_burden']:.2f}"))
        if p["transparency"] < 1.0:
            out.append(Issue("inform_clients", f"only {p['transparency']:.0%} of clients are told who looked"))
        if ntu > p["council_ntu_alarm"] and p["outreach"] < 1.0:
            out.append(Issue("outreach", f"non-take-up is {ntu:.0%}"))
        if rows and p["client_record_access"] > 0 and p["record_fix_rate"] < 1.0:
            receiving = max(np.mean([r["receiving"] for r in rows]), 1.0)
            found = sum(r["records_corrected_by_clients"] for r in rows) / receiving
            if found > p["council_error_alarm"]:
                out.append(Issue("fix_records", f"clients corrected errors in {found:.1%} of the records "
                                 "in a quarter"))
        gap = self._group_gap(quarter)
        if gap and (p["sanction_months"] > 0 or p["debt_repayment"] > 0):
            out.append(Issue("close_group_gap", gap))
        if p["caseload"] == "rotating" and p["rotation_rate"] > 0:
            out.append(Issue("fixed_caseworker", f"{p['rotation_rate']:.0%} of clients change caseworker "
                             "each month"))
        if rows:
            receiving = max(np.mean([r["receiving"] for r in rows]), 1.0)
            hours = sum(r["support_hours"] for r in rows) / len(rows) / receiving
            if hours < p["council_support_alarm"]:
                out.append(Issue("more_support_time", f"{hours:.2f} support hours per client a month"))
        return out

    def _group_gap(self, quarter: dict[str, Any]) -> str:
        """Evidence of a group bearing more sanctions (a rate ratio) or hardship (a gap) than the rest, or ''."""
        m, p = self.model, self.model.p
        alarm = p["council_ratio_alarm"]
        sanc = rate_ratios(quarter["sanctions"], quarter["exposure"], quarter["sanctions_all"],
                           quarter["exposure_all"])
        g = int(np.argmax(np.nan_to_num(sanc)))
        if np.nan_to_num(sanc[g]) > alarm:
            return f"{m.GROUPS[g]} sanctioned {sanc[g]:.2f}x as often as others"
        if m.rows:
            row = m.rows[-1]
            overall = row["mean_hardship"]
            for name in m.GROUPS:
                gap = row[f"hardship_{name}"] - overall
                if gap > p["council_hardship_alarm"]:
                    return f"hardship of {name} is {gap:.2f} above the average (0-1)"
        return ""

    def _experience(self) -> list[Issue]:
        """What an obstructed council raises: only what its members went through."""
        m, p = self.model, self.model.p
        out: list[Issue] = []
        if not self.members.size:
            return out
        mem = self.members
        if p["information_burden"] > p["council_burden_alarm"] and float(m.trust[mem].mean()) < p["council_trust_alarm"]:
            out.append(Issue("lower_information_burden", "members' own experience of the demands"))
        if (m.last_investigated[mem] > m.month - QUARTER_MONTHS).any() and p["transparency"] < 1.0:
            out.append(Issue("inform_clients", "a member was investigated without explanation"))
        if p["caseload"] == "rotating" and (m.rel_months[mem] < QUARTER_MONTHS).any():
            out.append(Issue("fixed_caseworker", "a member got a new caseworker"))
        if float(m.support_hours[mem].mean()) < p["council_support_alarm"]:
            out.append(Issue("more_support_time", "members wait for help"))
        return out

    def answered(self, issue: Issue, adopted: bool, escalated: bool = False) -> None:
        """The municipality's answer to an issue, kept in the council's history.

        An issue not adopted when first raised stays open (and will be
        escalated); an escalated one is closed either way.
        """
        self.issues.append({"month": self.model.month, "issue": issue.key, "text": self.ISSUES[issue.key],
                            "evidence": issue.evidence, "adopted": bool(adopted), "escalated": escalated})
        if not adopted and not escalated:
            self.open[issue.key] = (self.model.month, issue.evidence)


class Municipality(mesa.Agent):
    """The municipality, steering on its dashboard (seed lines 196-222 and 498-580).

    Each quarter it reads what a municipal dashboard shows - fraud found
    (every fraud sanction, rightful or not, is "fraud" on a dashboard),
    money recovered, spending per person receiving, the caseload, the
    satisfaction survey and, if it measures it, non-take-up - and moves its
    levers by its *framing*. What the dashboard cannot show (hardship,
    wrongful sanctions, people who gave up) cannot steer it.

    A control framing (datasturing) answers fraud found above what it
    tolerates, and rising spending, with more control: more investigations,
    more information demanded, longer benefit stops, more warehouse linkage
    and a fraud-risk algorithm (data projects, which take
    `data_project_months` and are paid when delivered). It loosens toward where it
    started when fraud found falls below its tolerance. A service framing
    answers the clients' satisfaction and non-take-up (the council it
    answers in `BenefitModel._council`). Nobody writes "more control" in: it
    grows while the dashboard keeps showing fraud, which more control itself
    produces (more investigations find more; lower trust, more unreported
    changes and cheating). That is the fatal remedy the paper names.
    """

    CONTROL_LEVERS = ("investigation_capacity", "information_burden", "warehouse_linkage", "sanction_months")
    """The numeric levers a control framing tightens; with a fraud algorithm, they make `control_intensity`."""

    def __init__(self, model: "BenefitModel") -> None:
        super().__init__(model)
        self.start = {name: model.p[name] for name in self.CONTROL_LEVERS}
        self.readings: list[dict[str, float]] = []
        """What the dashboard showed each quarter (month, figures, pressure)."""

    def dashboard(self) -> dict[str, float]:
        """The last quarter as the dashboard shows it."""
        m = self.model
        rows = m.rows[-QUARTER_MONTHS:]
        receiving = max(float(np.mean([r["receiving"] for r in rows])), 1.0)
        spending = sum(r["benefits_paid_eur"] + r["admin_cost_eur"] for r in rows)
        last = rows[-1]
        return {
            "month": float(m.month),
            "fraud_found_per_1000": 1000 * sum(r["fraud_sanctions"] for r in rows) / receiving,
            "recovered_eur": sum(r["claims_eur"] + r["fines_eur"] for r in rows),
            "spending_eur": spending,
            "spending_per_recipient_eur": spending / receiving,
            "caseload": float(last["receiving"]),
            "satisfaction": float(last["satisfaction"]),
            "non_take_up": float(last["non_take_up"]) if m.p["dashboard_shows_non_take_up"] else float("nan"),
        }

    def pressure(self, d: dict[str, float]) -> float:
        """Pressure for control (-1 to 1): fraud found against the tolerance, plus spending growth."""
        p = self.model.p
        tol = p["fraud_tolerance"]
        fraud = d["fraud_found_per_1000"] / tol - 1 if tol > 0 else float(d["fraud_found_per_1000"] > 0)
        growth = 0.0
        if len(self.readings) >= YEAR_QUARTERS:
            before = self.readings[-YEAR_QUARTERS]["spending_eur"]
            growth = max(0.0, d["spending_eur"] / before - 1) if before > 0 else 0.0
        return float(np.clip(fraud + p["spending_pressure"] * growth, -1.0, 1.0))

    def step(self) -> None:
        """Quarterly: read the dashboard and move the levers by the framing."""
        m = self.model
        if not m.rows:
            return
        d = self.dashboard()
        if m.p["framing"] == "control":
            d["pressure"] = self.pressure(d)
            self._control(d["pressure"])
        else:
            d["pressure"] = 0.0
            self._service(d)
        self.readings.append(d)

    def _control(self, pressure: float) -> None:
        m, p = self.model, self.model.p
        step = p["municipality_step"] * abs(pressure)
        if step == 0:
            return
        for name in self.CONTROL_LEVERS:
            v = p[name]
            if pressure > 0:
                target = v + step * max(0.0, p[f"cap_{name}"] - v)
            else:
                target = v - step * max(0.0, v - self.start[name])
            if registry.get(name).type == "int":  # whole numbers move a whole step
                target = int(np.ceil(target)) if pressure > 0 else int(np.floor(target))
                target = min(target, int(p[f"cap_{name}"])) if pressure > 0 else max(target, self.start[name])
            if name == "warehouse_linkage" and target > v:
                m.commission(name, target)
            elif name != "warehouse_linkage" or target < v:
                m.set_lever(name, target, by="municipality")
        if pressure > 0 and p["algorithm_purpose"] == "none" and p["warehouse_linkage"] > 0:
            m.commission("algorithm_purpose", "fraud")

    def _service(self, d: dict[str, float]) -> None:
        m, p = self.model, self.model.p
        step = p["municipality_step"]
        if d["satisfaction"] < p["satisfaction_target"]:
            m.set_lever("information_burden", p["information_burden"] * (1 - step), by="municipality")
        if d["non_take_up"] > p["ntu_target"]:
            m.set_lever("outreach", p["outreach"] + step * (1 - p["outreach"]), by="municipality")
