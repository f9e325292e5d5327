"""The calibrated defaults are the ones the calibration published, and the claims are well declared.

The model runs on the registry's defaults; `docs/calibration.json` is the
record of how some of them were fitted. If a default is edited by hand (or
the calibration is re-run without updating the registry), every figure in
docs/VALIDATION.md silently stops being the calibrated model's.
"""

import json
import string

import pytest

from fatal_remedies.analysis.calibrate import DEFAULT_OUT, SEARCH_BOX
from fatal_remedies.analysis.claims import CLAIMS, FIGURE_POOLS, MODEL_MEASURES, POOLS, RULES, model_measures
from fatal_remedies.analysis.summary import SUMMARY_METRICS
from fatal_remedies.analysis.validate import RUNS
from fatal_remedies.model import params as P

CALIBRATION = json.loads(DEFAULT_OUT.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ calibrated defaults
def test_calibration_json_lists_the_parameters_the_calibration_fits():
    assert CALIBRATION["params"], "docs/calibration.json lists no fitted parameter"
    assert set(CALIBRATION["params"]) == set(SEARCH_BOX)


@pytest.mark.parametrize("name", sorted(CALIBRATION["params"]))
def test_registry_default_is_the_fitted_value(name):
    fitted = CALIBRATION["params"][name]["fitted"]
    assert P.get(name).default == fitted, (
        f"{name}: registry default {P.get(name).default} but docs/calibration.json fitted {fitted}")


@pytest.mark.parametrize("name", sorted(CALIBRATION["held_fixed"]))
def test_registry_default_is_the_value_the_fit_held_fixed(name):
    # the fitted values are conditional on these (e.g. giveup_rate on takeup_rate)
    assert P.get(name).default == CALIBRATION["held_fixed"][name]


def test_calibration_markdown_shows_the_fitted_values():
    rows = {}
    for line in DEFAULT_OUT.with_suffix(".md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 2:
            rows[cells[0]] = cells
    for name, p in CALIBRATION["params"].items():
        assert float(rows[name][2]) == p["fitted"], name


# ------------------------------------------------------------------ the claims table
def test_claim_keys_are_unique():
    keys = [c.key for c in CLAIMS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.key)
def test_claim_is_well_declared(claim):
    evidence = {e.key for e in claim.evidence}
    assert len(evidence) == len(claim.evidence), "duplicate evidence keys"
    assert not evidence & {f.key for f in claim.figures}, "a figure shadows an evidence key"
    for m in claim.measures:
        assert m in SUMMARY_METRICS or m in MODEL_MEASURES, f"unknown measure {m}"
    assert claim.runs <= set(RUNS)
    for e in claim.evidence:
        assert e.rule in RULES and e.pool in POOLS, e.key
        assert (e.threshold is None) == (e.rule == "informative"), e.key
        assert (e.reference is not None) == (e.rule == "below_share_of"), e.key
        assert e.reference is None or e.reference in evidence
    for f in claim.figures:
        assert f.pool in FIGURE_POOLS, f.key
    for step in claim.steps:
        assert step.need in ("all", "any") and step.tests
        for t in step.tests:
            assert t.evidence in evidence and (t.rule is None or t.rule in RULES)
    assert claim.measured_by is None or (claim.measured_by in evidence and claim.not_measured)
    names = evidence | {f.key for f in claim.figures} | {"params", "n_features"}
    for t in claim.text:
        assert t.when is None or t.when.removeprefix("!") in evidence
        fields = {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(t.template) if f}
        assert fields <= names, f"template names {fields - names}"


def test_model_measures_are_what_a_run_gives():
    from fatal_remedies.model.model import BenefitModel

    model = BenefitModel("control", n_clients=300, seed=1)
    for _ in range(12):
        model.step()
    assert set(model_measures(model)) == set(MODEL_MEASURES)
