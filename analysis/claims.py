"""The seed paper's qualitative claims, as data, and the one interpreter that judges them.

A claim is a declaration (`Claim`), not code: the passage of the paper it
comes from, the pieces of evidence it reads (`Evidence`: which run, which
measure, which evidence rule with its threshold as a field), how the pieces
add up to a verdict (`Step`s tried in order) and the sentence that explains
the verdict (`Text` templates). `evaluate` judges every claim the same way,
so changing a threshold or adding a claim means editing `CLAIMS`, and the
report's tables, the CSV and the docs all follow.

Measures are named as elsewhere in the project: a summary metric of one run
(`analysis.summary.SUMMARY_METRICS`, read from the monthly frame), or one of
`MODEL_MEASURES`, read from the model at the end of a run because the frame
does not hold it (the carers' absolute wrongful-sanction rate, the fraud
algorithm's feature ranking).

Evidence rules (`RULES`), with s the replicate mean, its 95% interval
[lo, hi] and n the number of replicates with a value:

- `informative`: always agrees; the row is there to be read.
- `interval_above`: n >= 2 and lo > threshold (the whole interval above it).
- `within`: threshold[0] <= mean <= threshold[1].
- `mean_at_most`: n > 0 and mean <= threshold.
- `mean_above`: n > 0 and mean > threshold.
- `below_share_of`: n > 0 and mean < threshold x the mean of the
  `reference` evidence.

`undefined_agrees` makes a piece agree when no replicate has a value (a
ratio that is undefined because nobody outside the group was sanctioned is
no evidence of disparity).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from .summary import SUMMARY_METRICS, interval, summarize

if TYPE_CHECKING:
    from fatal_remedies.model.scenario import Scenario

RATIO_PARITY = (0.8, 1.25)
"""A rate ratio inside this range counts as 'about 1' (the four-fifths rule and its inverse)."""

MEETINGS = "meetings_last_year"
"""The seed's trivial predictor: the number of meetings with a caseworker."""

LINKAGE = "linkage_mismatch"
"""The warehouse's linkage feature, which a municipality without a warehouse lacks."""

MODEL_MEASURES: dict[str, str] = {
    "wrongful_per_1000_carer": "wrongful fraud sanctions of mantelzorgers per 1,000 of them receiving, "
                               "per year (whole run; the numerator of wrongful_ratio_carer)",
    "meetings_rank": f"rank of {MEETINGS} in the fraud algorithm's feature importance at the end of the "
                     "run (1 = top; NaN if never trained)",
    "meetings_rank_without_linkage": f"rank of {MEETINGS} among the features other than {LINKAGE}",
    "meetings_first": f"1 if {MEETINGS} ranks first, else 0 (NaN if never trained)",
    "meetings_first_without_linkage": f"1 if {MEETINGS} ranks first when {LINKAGE} is left out, else 0",
    "meetings_weight": f"signed standardised weight of {MEETINGS} (NaN if never trained)",
    "top_feature": "the feature with the largest absolute standardised weight (None if never trained)",
    "feature_importance": "absolute standardised weight of every feature, largest first (a Series; "
                          "empty if never trained)",
}
"""Measures read from the model at the end of a run (`model_measures`), with what they mean."""


def model_measures(model: Any) -> dict[str, Any]:
    """The `MODEL_MEASURES` of a finished run.

    Read from the model rather than the frame: the frame keeps only the
    carers' rate ratio (not its numerator) and nothing of the algorithm.
    """
    c = model.group_counters()
    g = list(model.GROUPS).index("carer")
    exposure = c["exposure"][g]
    out: dict[str, Any] = {
        "wrongful_per_1000_carer": 12_000 * float(c["wrongful"][g]) / exposure if exposure else float("nan"),
    }
    imp = model.algorithm.feature_importance()
    weights = model.algorithm.feature_weights()
    nan = float("nan")
    if imp.empty:
        order, rest = [], []
    else:
        order = list(imp.index)
        rest = [f for f in order if f != LINKAGE]
    rank = float(order.index(MEETINGS) + 1) if order else nan
    rank_rest = float(rest.index(MEETINGS) + 1) if rest else nan
    out.update({
        "meetings_rank": rank,
        "meetings_rank_without_linkage": rank_rest,
        "meetings_first": float(rank == 1) if order else nan,
        "meetings_first_without_linkage": float(rank_rest == 1) if rest else nan,
        "meetings_weight": float(weights[MEETINGS]) if not weights.empty else nan,
        "top_feature": order[0] if order else None,
        "feature_importance": imp,
    })
    return out


# --------------------------------------------------------------------------- declarations
@dataclass(frozen=True)
class Evidence:
    """One measured piece of evidence: one row of the claims table.

    Attributes:
        key: Name the verdict steps and the text templates use.
        measure: A summary metric or a model measure (see the module docstring).
        run: Run label (`analysis.validate.RUNS`) it is measured in.
        rule: Evidence rule (`RULES`).
        expected: The expectation as the table states it.
        threshold: The rule's threshold (a (low, high) pair for `within`).
        minus: Paired runs: the run whose value at the same seed is subtracted.
        reference: `below_share_of`: key of the evidence whose mean is the reference.
        undefined_agrees: Agree when no replicate has a value.
        pool: "interval": replicate mean and 95% interval; "mean": one value,
            the mean over the replicates (a share, for a 0/1 measure).
        label: The table's measure column (default: `measure`).
        note: The table's note (a template, like `Text`).
    """

    key: str
    measure: str
    run: str
    rule: str
    expected: str
    threshold: float | tuple[float, float] | None = None
    minus: str | None = None
    reference: str | None = None
    undefined_agrees: bool = False
    pool: str = "interval"
    label: str = ""
    note: str = ""


@dataclass(frozen=True)
class Figure:
    """A value the verdict text quotes that is not a row of the table.

    `pool`: "mean" (the mean over replicates), "mode" (the most common value)
    or "ranking" (a per-feature Series averaged over replicates, the `top`
    largest as "name (value)").
    """

    key: str
    measure: str
    run: str
    pool: str
    top: int = 0


@dataclass(frozen=True)
class Test:
    """A condition of a verdict step: the evidence's own rule, or another rule on the same evidence."""

    evidence: str
    rule: str | None = None
    threshold: float | None = None


@dataclass(frozen=True)
class Step:
    """A verdict and the tests that earn it (`need`: "all" or "any" of them)."""

    verdict: str
    tests: tuple[Test, ...]
    need: str = "all"


@dataclass(frozen=True)
class Text:
    """Part of the verdict's evidence sentence.

    `template` is a `str.format` template over the evidence keys (each with
    `.mean`, `.lo`, `.hi`, `.n`; without a format spec a number prints with
    two decimals or "n/a"), the figure keys, `params[run][name]` (the run's
    parameter values) and `n_features`. `when` is an evidence key: the part
    is used only when that evidence agrees, or, as "!key", when it does not.
    """

    template: str
    when: str | None = None


@dataclass(frozen=True)
class Claim:
    """One claim of the seed paper and how the simulation judges it.

    Attributes:
        key: Short name (the tables' `claim` column).
        title: The claim in a sentence.
        passage: What the seed paper says.
        evidence: The pieces of evidence, in table order.
        steps: Verdict steps, tried in order; the first whose tests hold
            gives the verdict, else "not supported".
        text: The evidence sentence of the verdict.
        figures: Values the text quotes besides the evidence.
        measured_by: Evidence key; if it has no value at all the verdict is
            "not measured" with `not_measured` as its sentence.
        not_measured: The sentence for that case.
    """

    key: str
    title: str
    passage: str
    evidence: tuple[Evidence, ...]
    steps: tuple[Step, ...]
    text: tuple[Text, ...]
    figures: tuple[Figure, ...] = ()
    measured_by: str | None = None
    not_measured: str = ""

    @property
    def runs(self) -> set[str]:
        """Run labels this claim compares."""
        pieces = self.evidence + self.figures
        return {e.run for e in pieces} | {e.minus for e in self.evidence if e.minus}

    @property
    def measures(self) -> set[str]:
        """Measures this claim reads."""
        return {e.measure for e in self.evidence + self.figures}


_ABOVE_1 = "> 1 (interval above 1)"
_ABOUT_1 = f"about 1 ({RATIO_PARITY[0]}-{RATIO_PARITY[1]})"
_ABOVE_0 = "> 0 (interval above 0)"
_PER_1000 = "wrongful sanctions of carers per 1,000 receiving per year"
_PAIRED = "{}: with access - without (paired)"

CLAIMS: tuple[Claim, ...] = (
    Claim(
        key="carers",
        title="Control wrongly sanctions carers",
        passage="Seed: a woman on benefits caring for her mother with dementia did not report her "
                "mother's savings and was accused of fraud; many others had the same problem; "
                "carers are stigmatised in risk profiles.",
        evidence=(
            Evidence("wrongful_control", "wrongful_ratio_carer", "control", "interval_above", _ABOVE_1,
                     threshold=1.0,
                     note="wrongful-sanction rate of mantelzorgers / of everyone else, whole run"),
            Evidence("sanction_control", "sanction_ratio_carer", "control", "interval_above", _ABOVE_1,
                     threshold=1.0, note="fraud-sanction rate of mantelzorgers / others"),
            Evidence("flag_control", "flag_ratio_carer", "control", "interval_above", _ABOVE_1,
                     threshold=1.0, note="investigation rate of mantelzorgers / others"),
            Evidence("wrongful_service", "wrongful_ratio_carer", "service", "within",
                     _ABOUT_1 + " or undefined", threshold=RATIO_PARITY, undefined_agrees=True,
                     note="undefined (NaN) in runs without wrongful sanctions among non-carers; such "
                          "runs are left out"),
            Evidence("per_1000_control", "wrongful_per_1000_carer", "control", "informative", "informative",
                     label=_PER_1000,
                     note="absolute rate (the ratio's numerator); from the model's group counters"),
            Evidence("per_1000_service", "wrongful_per_1000_carer", "service", "below_share_of",
                     "far below control", threshold=0.25, reference="per_1000_control", label=_PER_1000),
            Evidence("sanction_service", "sanction_ratio_carer", "service", "within", _ABOUT_1,
                     threshold=RATIO_PARITY, undefined_agrees=True),
            Evidence("flag_service", "flag_ratio_carer", "service", "within", _ABOUT_1,
                     threshold=RATIO_PARITY, undefined_agrees=True,
                     note="under service investigations start only from caseworkers' signals and tips"),
        ),
        steps=(
            Step("supported", (Test("wrongful_control"), Test("wrongful_service"))),
            Step("partly supported", (Test("wrongful_control"), Test("sanction_control")), need="any"),
        ),
        text=(
            Text("Under control, carers are wrongly sanctioned {wrongful_control.mean}x as often as others "
                 "[{wrongful_control.lo}, {wrongful_control.hi}] (fraud sanctions {sanction_control.mean}x, "
                 "investigations {flag_control.mean}x); under service the ratio is "
                 "{wrongful_service.mean}x [{wrongful_service.lo}, {wrongful_service.hi}] "
                 "(sanctions {sanction_service.mean}x, investigations {flag_service.mean}x)"),
            Text(", not about 1: carers still have more unreported changes and a proportional regime "
                 "still misjudges intent now and then; but in absolute terms carers are wrongly "
                 "sanctioned {per_1000_service.mean} per 1,000 a year under service against "
                 "{per_1000_control.mean} under control", when="!wrongful_service"),
            Text(". Mechanism: care duties make circumstances change more often, so more unreported "
                 "changes, which all-or-nothing treats as fraud, and the algorithm learns that label."),
        ),
    ),
    Claim(
        key="council",
        title="Client councils with data access raise trust",
        passage="Seed: clients must be involved from the first design stage; client councils with "
                "real access (Rotterdam refused its council the data); transparency is the value "
                "clients rank first.",
        evidence=(
            Evidence("trust_service", "final_mean_trust", "service", "interval_above", _ABOVE_0,
                     threshold=0.0, minus="service_no_council_access",
                     label=_PAIRED.format("final_mean_trust"),
                     note="same seeds, only council_data_access differs"),
            Evidence("trust_carer_service", "final_trust_carer", "service", "interval_above", _ABOVE_0,
                     threshold=0.0, minus="service_no_council_access",
                     label=_PAIRED.format("final_trust_carer")),
            Evidence("adopted_service", "council_issues_adopted", "service", "informative", "informative",
                     label="council_issues_adopted (with access)",
                     note="issues the municipality adopted; each changes policy"),
            Evidence("trust_control", "final_mean_trust", "control_council_access", "interval_above",
                     _ABOVE_0, threshold=0.0, minus="control", label=_PAIRED.format("final_mean_trust"),
                     note="the council audits flag and sanction ratios and raises issues; responsiveness "
                          "stays {params[control_council_access][council_responsiveness]}"),
            Evidence("adopted_control", "council_issues_adopted", "control_council_access", "informative",
                     "informative", label="council_issues_adopted (with access)"),
        ),
        steps=(
            Step("supported", (Test("trust_service"),)),
            Step("inconclusive", (Test("trust_service", "mean_above", 0.0),)),
        ),
        text=(
            Text("In the service scenario, giving the council data access changes final mean trust by "
                 "{trust_service.mean:+.3f} [{trust_service.lo:+.3f}, {trust_service.hi:+.3f}] (paired "
                 "seeds): the council audits the data and the municipality adopts "
                 "{adopted_service.mean} of its issues on average (outreach, record fixes, gaps between "
                 "groups), besides the assumed procedural-justice effect of a voice (trust_gain_voice). "
                 "Under control, data access changes trust by "
                 "{trust_control.mean:+.3f} [{trust_control.lo:+.3f}, {trust_control.hi:+.3f}]: the "
                 "council's audits raise issues with evidence and the municipality adopts "
                 "{adopted_control.mean} of them on average at "
                 "{params[control_council_access][council_responsiveness]:.0%} responsiveness (an issue "
                 "ignored for a year is escalated to the press or the ombudsman), changing policy "
                 "(proportional sanctions, transparency, lower burden, no proxies, a fixed caseworker)."),
        ),
    ),
    Claim(
        key="meetings",
        title="Trivial predictors such as the number of meetings rise to the top of the algorithm's "
              "features",
        passage="Seed: indicators are weak or trivial: the best fraud predictor turned out to be "
                "the number of meetings with a caseworker.",
        evidence=(
            Evidence("rank", "meetings_rank", "control", "mean_at_most", "1 (top)", threshold=1.5,
                     label=f"rank of {MEETINGS} in feature importance (1 = top)",
                     note="absolute standardised logistic-regression weight, at the end of the run, of "
                          "{n_features} features"),
            Evidence("top_share", "meetings_first", "control", "mean_above", "> 0.5", threshold=0.5,
                     pool="mean", label=f"share of replicates where {MEETINGS} ranks first"),
            Evidence("rank_without_linkage", "meetings_rank_without_linkage", "control", "mean_at_most",
                     "1 (top)", threshold=1.5,
                     label=f"rank of {MEETINGS} leaving out {LINKAGE} (1 = top)",
                     note="what a municipality without the warehouse's linkage would see"),
            Evidence("weight", "meetings_weight", "control", "informative", "informative",
                     label=f"signed weight of {MEETINGS} (standardised)",
                     note="negative: fewer meetings, higher fraud score"),
            Evidence("weight_negative", "meetings_weight", "control", "mean_at_most",
                     "< 0 (fewer meetings, higher score)", threshold=0.0,
                     label=f"signed weight of {MEETINGS} below 0"),
        ),
        figures=(
            Figure("first_without_linkage", "meetings_first_without_linkage", "control", "mean"),
            Figure("top_feature", "top_feature", "control", "mode"),
            Figure("mean_weights", "feature_importance", "control", "ranking", top=4),
        ),
        steps=(
            Step("supported", (Test("rank"),)),
            Step("partly supported", (Test("rank", "mean_at_most", 3.0),)),
        ),
        measured_by="rank",
        not_measured="the algorithm was never trained (too few months?)",
        text=(
            Text(f"{MEETINGS} ranks {{rank.mean:.1f}} on average (first in {{top_share.mean:.0%}} of "
                 f"replicates; first of the rest in {{first_without_linkage:.0%}} when {LINKAGE} is left "
                 "out); the feature most often on top is {top_feature}. Mean absolute standardised "
                 "weights: {mean_weights}; the meetings weight is {weight.mean:+.2f} "),
            Text("(fewer meetings, higher score). ", when="weight_negative"),
            Text("(more meetings, higher score: the sign the seed reports does not come out). ",
                 when="!weight_negative"),
            Text("Meetings carry the signal because people who distrust the municipality avoid contact, "
                 "honest or not, and distrust also raises the propensity to cheat (the slippery slope), "
                 "while complex circumstances mean both more meetings and more changes: a trivial "
                 "proxy of the label, not a cause.", when="rank"),
            Text("Meetings do not come first because {top_feature} is a more direct trace of the label "
                 "in the model: the warehouse's linkage shows exactly the unreported changes (and "
                 "record errors) that all-or-nothing investigations turn into 'fraud'. Meetings are an "
                 "indirect proxy (whoever distrusts avoids contact, and distrust raises cheating; "
                 "complex circumstances raise both meetings and changes, which pulls the other way), "
                 "so they come first only where the linkage is weak or absent: the model reproduces "
                 "the seed's finding partly.", when="!rank"),
        ),
    ),
)
"""The seed paper's claims the validation report judges, in report order."""

BY_KEY: dict[str, Claim] = {c.key: c for c in CLAIMS}


# --------------------------------------------------------------------------- interpreter
class Num(float):
    """A number in a verdict sentence: two decimals or "n/a" unless the template gives a format."""

    def __format__(self, spec: str) -> str:
        if spec:
            return float.__format__(self, spec)
        return "n/a" if not math.isfinite(self) else f"{float(self):.2f}"


class Stat(NamedTuple):
    """Replicate mean, 95% interval and number of replicates with a value."""

    mean: Num
    lo: Num
    hi: Num
    n: int


def replicate_stat(values: Sequence[Any]) -> Stat:
    """Mean and 95% Student-t interval of replicate values; None and NaN are left out (not counted in n)."""
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    mean, lo, hi = interval(vals)
    return Stat(Num(mean), Num(lo), Num(hi), len(vals))


def _informative(s: Stat, t: Any, ref: Stat | None) -> bool:
    return True


def _interval_above(s: Stat, t: Any, ref: Stat | None) -> bool:
    return s.n >= 2 and s.lo > t


def _within(s: Stat, t: Any, ref: Stat | None) -> bool:
    return t[0] <= s.mean <= t[1]


def _mean_at_most(s: Stat, t: Any, ref: Stat | None) -> bool:
    return s.n > 0 and s.mean <= t


def _mean_above(s: Stat, t: Any, ref: Stat | None) -> bool:
    return s.n > 0 and s.mean > t


def _below_share_of(s: Stat, t: Any, ref: Stat | None) -> bool:
    return s.n > 0 and s.mean < t * ref.mean


RULES: dict[str, Callable[[Stat, Any, Stat | None], bool]] = {
    "informative": _informative,
    "interval_above": _interval_above,
    "within": _within,
    "mean_at_most": _mean_at_most,
    "mean_above": _mean_above,
    "below_share_of": _below_share_of,
}
"""Evidence rules by name (meanings in the module docstring)."""

POOLS = ("interval", "mean")
"""How an evidence row pools its replicates (see `Evidence.pool`)."""

FIGURE_POOLS = ("mean", "mode", "ranking")
"""How a figure pools its replicates (see `Figure`)."""


class _Values:
    """Per-replicate values of a measure in a run: summary metrics or model measures."""

    def __init__(self, frames: Mapping[str, Sequence[pd.DataFrame]], extras: Mapping[str, Sequence[dict]]):
        self.frames, self.extras = frames, extras
        self._summaries: dict[str, list[dict[str, float]]] = {}

    def __call__(self, measure: str, run: str) -> list[Any]:
        if measure in SUMMARY_METRICS:
            if run not in self._summaries:
                self._summaries[run] = [summarize(f) for f in self.frames[run]]
            return [s[measure] for s in self._summaries[run]]
        if measure in MODEL_MEASURES:
            return [e[measure] for e in self.extras[run]]
        raise KeyError(f"unknown measure {measure!r}: neither a summary metric nor a model measure")


def _pooled_mean(values: Sequence[Any]) -> list[float]:
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    return [float(np.mean(finite))] if finite else []


def _evidence_stat(e: Evidence, values: _Values) -> Stat:
    vals = values(e.measure, e.run)
    if e.minus is not None:
        vals = [a - b for a, b in zip(vals, values(e.measure, e.minus))]
    if e.pool == "mean":
        vals = _pooled_mean(vals)
    elif e.pool != "interval":
        raise ValueError(f"evidence {e.key}: unknown pool {e.pool!r}")
    return replicate_stat(vals)


def _figure(f: Figure, values: _Values) -> Any:
    vals = values(f.measure, f.run)
    if f.pool == "mean":
        got = _pooled_mean(vals)
        return Num(got[0] if got else float("nan"))
    if f.pool == "mode":
        got = [v for v in vals if v is not None]
        return pd.Series(got).mode().iloc[0] if got else "n/a"
    if f.pool == "ranking":
        got = [v for v in vals if v is not None and not v.empty]
        if not got:
            return "n/a"
        mean = pd.concat(got, axis=1).mean(axis=1).sort_values(ascending=False)
        return ", ".join(f"{k} ({w:.2f})" for k, w in mean.head(f.top).items())
    raise ValueError(f"figure {f.key}: unknown pool {f.pool!r}")


def _agrees(e: Evidence, stats: Mapping[str, Stat], rule: str | None = None, threshold: Any = None) -> bool:
    s = stats[e.key]
    if rule is None:
        rule, threshold = e.rule, e.threshold
        if e.undefined_agrees and s.n == 0:
            return True
    ref = stats[e.reference] if e.reference else None
    return bool(RULES[rule](s, threshold, ref))


def evaluate(frames: Mapping[str, Sequence[pd.DataFrame]], extras: Mapping[str, Sequence[dict]],
             runs: Mapping[str, Scenario], claims: Sequence[Claim] = CLAIMS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Judge every claim on the runs; return the evidence table and the verdict table.

    Args:
        frames: Run label -> metrics frames, one per replicate seed (same order in every run).
        extras: Run label -> `model_measures` of each of those runs.
        runs: Run label -> the resolved `Scenario` (its name and parameter values).
        claims: The claims to judge.
    """
    from fatal_remedies.model.agents import RiskAlgorithm

    values = _Values(frames, extras)
    names = {"params": {label: sc.params for label, sc in runs.items()},
             "n_features": len(RiskAlgorithm.FEATURES)}
    rows, verdicts = [], []
    for claim in claims:
        by_key = {e.key: e for e in claim.evidence}
        stats: dict[str, Stat] = {}
        for e in claim.evidence:
            s = stats[e.key] = _evidence_stat(e, values)
            rows.append({"claim": claim.key, "measure": e.label or e.measure, "scenario": runs[e.run].name,
                         "mean": float(s.mean), "ci_low": float(s.lo), "ci_high": float(s.hi), "reps": s.n,
                         "expected": e.expected, "agrees": _agrees(e, stats),
                         "note": e.note.format(**names)})
        ns = {**names, **stats, **{f.key: _figure(f, values) for f in claim.figures}}
        if claim.measured_by and stats[claim.measured_by].n == 0:
            verdict, text = "not measured", claim.not_measured
        else:
            verdict = "not supported"
            for step in claim.steps:
                held = [_agrees(by_key[t.evidence], stats, t.rule, t.threshold) for t in step.tests]
                if all(held) if step.need == "all" else any(held):
                    verdict = step.verdict
                    break
            text = "".join(t.template.format(**ns) for t in claim.text if _when(t.when, by_key, stats))
        verdicts.append({"claim": claim.key, "title": claim.title, "seed_passage": claim.passage,
                         "verdict": verdict, "evidence": text})
    return pd.DataFrame(rows), pd.DataFrame(verdicts)


def _when(when: str | None, by_key: Mapping[str, Evidence], stats: Mapping[str, Stat]) -> bool:
    if when is None:
        return True
    key = when.removeprefix("!")
    return _agrees(by_key[key], stats) != when.startswith("!")
