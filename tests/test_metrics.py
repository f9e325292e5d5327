"""The metric registry (model/metrics.py) and what reads it: the model's monthly columns, the run
summaries, the scorecard, the targets, the sensitivity units and the one number formatter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fatal_remedies.analysis import formatting
from fatal_remedies.analysis.scorecard import INDICATORS, SCORECARD_METRICS, scorecard_summary
from fatal_remedies.analysis.summary import RUN_METRICS, SUMMARY_METRICS, run_metrics, summarize
from fatal_remedies.analysis.targets import TARGETS, target_metrics
from fatal_remedies.model import metrics as M
from fatal_remedies.model.errors import UserError
from fatal_remedies.model.model import BenefitModel
from fatal_remedies.model.scenario import builtin_names, load_scenario


# ------------------------------------------------------------------ the registry itself
def test_every_metric_is_complete_in_both_languages():
    for m in M.REGISTRY.values():
        assert m.unit in M.UNITS_NL, (m.name, m.unit)
        assert m.aggregation in M.AGGREGATIONS and m.better in M.DIRECTIONS, m.name
        assert m.kind in (M.MONTHLY, M.SUMMARY, M.SCORECARD, M.TARGET), m.name
        assert m.label_en and m.label_nl and m.meaning_en and m.meaning_nl, m.name
        assert m.meaning_nl != m.meaning_en, f"{m.name} has no Dutch meaning"
        assert "\n" not in m.meaning_en + m.meaning_nl + m.label_en + m.label_nl, m.name
        for col in m.columns:  # what it aggregates must be a monthly column
            assert col in M.MONTHLY_BY_NAME, (m.name, col)
        if m.aggregation == M.RATIO:
            assert m.numerator and m.denominator and m.kind != M.MONTHLY, m.name
        if m.kind == M.SCORECARD:
            assert m.norm in ("FAIR", "FACT", "ROBUST", "SHARED") and m.name.startswith(m.norm.lower() + "_")


def test_per_group_columns_are_generated_from_groups():
    cols = M.monthly_columns()
    for stem in ("flag_ratio", "sanction_ratio", "wrongful_ratio", "trust", "hardship"):
        assert [c for c in cols if c.startswith(stem + "_") and c[len(stem) + 1:] in M.GROUPS] == \
            [f"{stem}_{g}" for g in M.GROUPS]
    assert set(M.GROUP_LABELS) == set(M.GROUPS)
    # until the merge the model keeps its own copy; it must be the same groups in the same order
    assert tuple(BenefitModel.GROUPS) == M.GROUPS


def test_unknown_metric_is_one_line_with_a_suggestion():
    with pytest.raises(UserError) as exc:
        M.get("wrongful_sanction_total")
    msg = str(exc.value)
    assert "\n" not in msg and "unknown metric 'wrongful_sanction_total'" in msg
    assert "did you mean 'wrongful_sanctions_total'" in msg
    assert M.get("mean_trust").unit == "0-1"


def test_labels_and_units_switch_language():
    m = M.get("net_cost_eur_total")
    assert (m.label("en"), m.label("nl")) == ("net cost", "netto kosten")
    assert M.get("non_take_up").unit_text("nl") == "aandeel"
    assert M.group_label("carer", "en") == "carer (mantelzorger)"
    assert M.group_label("carer", "nl") == "mantelzorger"


# ------------------------------------------------------------------ the model collects exactly the registry
@pytest.mark.parametrize("scenario", builtin_names())
def test_model_collects_exactly_the_registry_columns(scenario):
    model = BenefitModel(load_scenario(scenario), n_clients=400, seed=2)
    for _ in range(6):
        model.step()
    expected = M.monthly_columns()
    for row in model.rows:
        assert set(row) == set(expected), (set(row) ^ set(expected))
    frame = model.metrics_frame()
    assert list(frame.columns) == expected
    # a column that cannot be undefined must never be NaN (a mistyped key in the model gives NaN)
    for m in M.monthly_metrics():
        if not m.undefined_when:
            assert not frame[m.name].isna().any(), f"{scenario}: column {m.name} has NaN"


# ------------------------------------------------------------------ summaries, scorecard, targets
def _frame(**cols) -> pd.DataFrame:
    """Two months of zeros with the given columns filled in."""
    f = pd.DataFrame(0.0, index=range(2), columns=M.monthly_columns())
    f["month"] = [1, 2]
    for c, v in cols.items():
        f[c] = v
    return f


def test_summary_keys_are_the_registry_in_order():
    assert list(SUMMARY_METRICS) == [m.name for m in M.summary_metrics()]
    assert list(RUN_METRICS) == list(SUMMARY_METRICS) + [m.name for m in M.scorecard_metrics()]
    assert SUMMARY_METRICS["final_mean_trust"] == M.get("final_mean_trust").meaning_en


def test_summary_aggregates_as_the_registry_says():
    f = _frame(fraud_flags=[10.0, 30.0], false_fraud_flags=[4.0, 6.0], wrongful_sanctions=[1.0, 2.0],
               fraud_detected=[3.0, 0.0], receiving=[100.0, 140.0], repayment_claims=[2.0, 4.0],
               fines=[1.0, 2.0], mean_trust=[0.6, 0.5], flag_ratio_carer=[1.5, 2.5],
               council_issues_adopted=[0.0, 1.0], non_take_up=[0.3, 0.25])
    s = summarize(f)
    assert s["fraud_flags_total"] == 40.0 and s["wrongful_sanctions_total"] == 3.0  # SUM
    assert s["final_mean_trust"] == 0.5 and s["flag_ratio_carer"] == 2.5  # LAST
    assert s["flag_precision"] == pytest.approx(30 / 40)  # RATIO with minus
    assert s["wrongful_per_fraud_found"] == pytest.approx(1.0)
    assert s["repayment_claims_per_100_per_year"] == pytest.approx(100 * 12 * 6 / 240)  # RATIO with scale
    assert s["council_issues_adopted"] == 1.0
    t = target_metrics(f)
    assert t["nothing_found_share"] == s["nothing_found_share"] == 0.0
    assert t["final_non_take_up"] == 0.25
    # a ratio with nothing to divide by is NaN, not an error or zero
    assert math.isnan(summarize(_frame())["flag_precision"])


def test_scorecard_indicators_come_from_the_registry():
    assert [i.key for i in INDICATORS] == [m.name for m in M.scorecard_metrics()]
    for i in INDICATORS:
        m = M.get(i.key)
        assert (i.norm, i.better, i.definition) == (m.norm, m.better, m.meaning_en)
        assert SCORECARD_METRICS[i.key] == f"{m.meaning_en} ({m.better} is better)"
    f = _frame(fraud_flags=[10.0, 10.0], false_fraud_flags=[5.0, 5.0], wrongful_sanctions=[1.0, 1.0],
               fraud_sanctions=[4.0, 4.0], receiving=[100.0, 100.0])
    flat = scorecard_summary(f)
    assert flat["fact_accurate_precision"] == summarize(f)["flag_precision"] == 0.5
    assert flat["robust_resilient_wrongful_per_1000_per_year"] == pytest.approx(1000 * 12 * 2 / 200)


def test_targets_are_registry_metrics_with_its_units():
    for t in TARGETS:
        assert t.key in M.REGISTRY, t.key
        assert t.unit == M.get(t.key).unit
    assert M.get("fined_share_of_claims").kind == M.SUMMARY  # the same figure compare reports


def test_a_real_run_agrees_across_summary_scorecard_and_targets():
    from fatal_remedies.model.run import simulate

    f = simulate("control", clients=600, months=18, seed=3)
    s, t, r = summarize(f), target_metrics(f), run_metrics(f)
    for key in ("repayment_claims_per_100_per_year", "fined_share_of_claims", "nothing_found_share",
                "final_non_take_up"):
        assert t[key] == s[key] or (math.isnan(t[key]) and math.isnan(s[key]))
    assert r["fact_accurate_precision"] == s["flag_precision"]
    assert s["final_receiving"] == f["receiving"].iloc[-1]
    assert s["net_cost_eur_total"] == f["net_cost_eur"].sum()


def test_sensitivity_units_come_from_the_registry():
    from fatal_remedies.analysis.sensitivity import _outcome_label

    assert _outcome_label("net_cost_eur_total") == "net_cost_eur_total, EUR"
    assert _outcome_label("final_self_sufficiency") == "final_self_sufficiency, ZRM score 1-5"
    assert _outcome_label("fact_fair_flag_ratio_max") == "fact_fair_flag_ratio_max, ratio"
    assert _outcome_label("mean_trust_last_y03") == "mean_trust_last_y03, 0-1"
    assert _outcome_label("no_such_outcome") == "no_such_outcome"


# ------------------------------------------------------------------ the one number formatter
@pytest.mark.parametrize("x,en,nl", [
    (12345.678, "12,346", "12.346"),
    (-1500.0, "-1,500", "-1.500"),
    (123.45, "123.5", "123,5"),
    (0.12345, "0.123", "0,123"),
    (0.0, "0.000", "0,000"),
    (float("nan"), "–", "–"),
    (None, "–", "–"),
    (float("inf"), "–", "–"),
])
def test_number_table_style_in_both_languages(x, en, nl):
    assert formatting.number(x, "en") == en
    assert formatting.number(x, "nl") == nl


def test_number_options():
    assert formatting.number(0.3456, "en", percent=True) == "34.6%"
    assert formatting.number(0.3456, "nl", percent=True) == "34,6%"
    assert formatting.number(1234567, "nl", decimals=0) == "1.234.567"
    assert formatting.number(1234.5678, decimals=2, grouping=False, missing="n/a") == "1234.57"
    assert formatting.number(2.5, "en", signed=True) == "+2.500"
    assert formatting.number(-2.5, "en", signed=True) == "-2.500"
    assert formatting.number(0.000123456, "en", sig=4) == "0.0001235"
    assert formatting.with_unit(1234.0, "EUR", "nl") == "1.234 EUR"
    assert formatting.with_unit(float("nan"), "EUR") == "–"
    assert formatting.metric_value(0.25, "final_non_take_up", "nl") == "0,250 aandeel"


@pytest.mark.parametrize("x,text", [(float("nan"), "n/a"), (123456.7, "123,457"), (250.0, "250"),
                                    (250.25, "250.2"), (3.0, "3"), (0.5, "0.500")])
def test_number_cli_style(x, text):
    assert formatting.number(x, style="cli") == text


def test_plain_reads_back_in_every_language():
    from fatal_remedies.model.params import get

    assert formatting.plain(True) == "true" and formatting.plain(0.35) == "0.35"
    assert formatting.plain(1 / 3) == "0.333333" and formatting.plain(4) == "4"
    p = get("information_burden")
    assert p.coerce(formatting.plain(0.123456789)) == pytest.approx(0.123457)
    assert np.isclose(float(formatting.plain(1e-5)), 1e-5)
