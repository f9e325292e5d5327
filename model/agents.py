"""The agents: clients, caseworkers (klantmanagers), the risk algorithm and the client council.

Clients and caseworkers are many, so their state lives in numpy arrays owned by
the model and all of them step together (one array operation instead of one
Python call per person is ~80x faster). `Client` and `Caseworker` are thin
Mesa agents that read and explain that state for one person; the model makes
them on demand (for the browser app, for tests, for a client's story). The
risk algorithm and the council are single agents with their own Python logic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import mesa
import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression

from .collect import rate_ratios
from .states import Event, Status

if TYPE_CHECKING:
    from .model import BenefitModel

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

    For fraud (datasturing) it is trained only on the investigations it chose
    itself, with whatever the investigation concluded as the label; under an
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
    the whole rest of a month at small populations.
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
        self._proxy_cols = [self.FEATURES.index(f) for f in self.PROXIES]

    @property
    def purpose(self) -> str:
        return self.model.p["algorithm_purpose"]

    def features(self, idx: np.ndarray) -> np.ndarray:
        """Warehouse view of the given clients, with proxies blanked when dropped."""
        X = self.model.warehouse_features(idx)
        if self.model.p["drop_proxy_features"]:
            X[:, self._proxy_cols] = 0.0
        return X

    def score(self, idx: np.ndarray) -> np.ndarray:
        """Higher is ranked first. Before the first training a rule stands in.

        The stand-in is what a municipality has before a model: for fraud, a
        warehouse mismatch first; for support, the lowest recorded ZRM first.
        """
        rng = self.model.rng_dyn
        jitter = rng.random(idx.size) * 1e-6
        if self.learner is not None and self.trained_purpose == self.purpose:
            noise = rng.normal(0.0, self.model.p["score_noise"], idx.size)
            return self.decision(self.features(idx)) + noise + jitter
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
        """Remember investigation outcomes (features at flagging time, concluded label)."""
        if X.shape[0]:
            self._X.append(X)
            self._y.append(y.astype(np.int8))
            self._month.append(self.model.month)

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

    def decision(self, X: np.ndarray) -> np.ndarray:
        """The fitted model's log-odds for rows of warehouse features."""
        return ((X - self._mu) / self._sd) @ self.learner.coef_[0] + self.learner.intercept_[0]

    def _fit(self, X: np.ndarray, y: np.ndarray) -> None:
        if y.size < self.MIN_CASES or y.min() == y.max():
            return
        mu, sd = X.mean(axis=0), X.std(axis=0)
        sd[sd == 0] = 1.0  # a constant feature (e.g. a dropped proxy) keeps weight 0
        learner = LogisticRegression(solver="newton-cholesky", max_iter=100)
        # The inputs are finite arrays made here; skipping scikit-learn's
        # checks saves a quarter of the fit at small populations.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            learner.fit((X - mu) / sd, y)
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


class Issue(NamedTuple):
    """An issue the client council raises: which (a key of `ClientCouncil.ISSUES`) and why."""

    key: str
    evidence: str


class ClientCouncil(mesa.Agent):
    """The client council (cliëntenraad): members drawn from clients.

    Obstructed, it has no data access and can only voice what its members
    went through; empowered, it audits flag and sanction rates per group and
    raises issues with evidence (the seed: clients want less coercion, a
    fixed contact, respectful treatment and transparency about who looks at
    their data). The council only asks: the municipality (the model) decides
    which issues it adopts, changes its policy for them, and answers
    (`answered`), so `step` changes neither the policy nor the counters. A
    council with real access is a voice; the trust that brings is procedural
    justice, given by the model (`BenefitModel.voice`).
    """

    ISSUES = {
        "drop_proxy_features": "Stop using language, single parenthood and care duties as risk features",
        "separate_error_from_intent": "Treat an unreported change without intent as an error, not fraud",
        "lower_information_burden": "Ask only for information that is really needed",
        "inform_clients": "Tell clients who looked at their data, when and why",
    }
    # What the council finds worth raising (docs/ODD.md 7.9): a group flagged
    # this much more often than the rest; this share of fraud sanctions
    # without intent; this much non-take-up while the burden is above
    # BURDEN_ALARM; members whose mean trust is below TRUST_ALARM.
    RATIO_ALARM = 1.25
    WRONGFUL_ALARM = 0.25
    NTU_ALARM = 0.3
    BURDEN_ALARM = 0.3
    TRUST_ALARM = 0.4

    def __init__(self, model: "BenefitModel") -> None:
        super().__init__(model)
        self.members = np.empty(0, dtype=np.int64)
        self.issues: list[dict] = []  # every issue raised: month, issue, text, evidence, adopted
        self._last = model.group_counters()

    def _refresh_members(self) -> None:
        m = self.model
        size = int(m.p["council_size"])
        keep = self.members[m.status[self.members] == Status.RECEIVING]
        keep = keep[: size]
        need = size - keep.size
        if need > 0:
            pool = np.setdiff1d(np.flatnonzero(m.status == Status.RECEIVING), keep)
            if pool.size:
                keep = np.concatenate([keep, m.rng_dyn.choice(pool, min(need, pool.size), replace=False)])
        self.members = np.sort(keep)

    def step(self) -> list[Issue]:
        """Quarterly: renew the members, audit the last quarter (if it may), return the issues raised."""
        m = self.model
        self._refresh_members()
        now = m.group_counters()
        quarter = {k: now[k] - self._last[k] for k in now}
        self._last = now
        raised: list[Issue] = []
        p = m.p
        if p["council_data_access"]:
            ratios = rate_ratios(quarter["flags"], quarter["exposure"], quarter["flags_all"],
                                 quarter["exposure_all"])
            worst = max(range(len(ratios)), key=lambda g: np.nan_to_num(ratios[g]))
            if (p["algorithm_purpose"] == "fraud" and not p["drop_proxy_features"]
                    and np.nan_to_num(ratios[worst]) > self.RATIO_ALARM):
                raised.append(Issue("drop_proxy_features",
                                    f"{m.GROUPS[worst]} flagged {ratios[worst]:.2f}x as often as others"))
            sanctions = quarter["sanctions_all"]
            if (p["sanction_regime"] == "all_or_nothing" and sanctions > 0
                    and quarter["wrongful_all"] / sanctions > self.WRONGFUL_ALARM):
                raised.append(Issue("separate_error_from_intent",
                                    f"{quarter['wrongful_all'] / sanctions:.0%} of fraud sanctions had no intent"))
            ntu = m.non_take_up_share()
            if p["information_burden"] > self.BURDEN_ALARM and ntu > self.NTU_ALARM:
                raised.append(Issue("lower_information_burden", f"non-take-up is {ntu:.0%}"))
            if p["transparency"] < 1.0:
                raised.append(Issue("inform_clients",
                                    f"only {p['transparency']:.0%} of clients are told who looked"))
        elif self.members.size:
            touched = (m.last_investigated[self.members] > m.month - 3).any()
            low_trust = float(m.trust[self.members].mean()) < self.TRUST_ALARM
            if p["information_burden"] > self.BURDEN_ALARM and low_trust:
                raised.append(Issue("lower_information_burden", "members' own experience"))
            if touched and p["transparency"] < 1.0:
                raised.append(Issue("inform_clients", "a member was investigated without explanation"))
        return raised

    def answered(self, issue: Issue, adopted: bool) -> None:
        """The municipality's answer to one raised issue, kept in the council's history."""
        self.issues.append({"month": self.model.month, "issue": issue.key, "text": self.ISSUES[issue.key],
                            "evidence": issue.evidence, "adopted": bool(adopted)})
