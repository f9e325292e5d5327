"""Confidence intervals that stay inside a metric's possible range (analysis.summary).

A count's plain Student-t interval over a few skewed replicates reaches below
0, a share's near 1 above 1; the bounded interval must not, and metrics
without a range must keep the plain interval.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fatal_remedies.analysis import summary
from fatal_remedies.analysis.summary import (
    CUT_0,
    CUT_0_1,
    PLAIN,
    bounded_interval,
    interval,
    interval_method,
)

SKEWED_COUNTS = ([0.0, 0.0, 7.0], [0.0, 1.0, 6.0], [0.0, 12.0], [1.0, 0.0, 0.0, 0.0, 15.0])
SKEWED_SHARES = ([0.99, 1.0, 0.9], [1.0, 0.95], [0.0, 0.01, 0.2], [0.5, 1.0, 1.0])


def test_methods_follow_the_registry_units():
    assert interval_method("wrongful_sanctions_total") == CUT_0  # a count
    assert interval_method("admin_cost_eur_total") == CUT_0  # an amount
    assert interval_method("final_non_take_up") == CUT_0_1  # a share
    assert interval_method("final_mean_trust") == CUT_0_1  # a score on a 0-1 scale
    assert interval_method("shared_harmonious_trust_gap") == PLAIN  # a gap: may be negative
    assert interval_method("not_a_metric") == PLAIN


@pytest.mark.parametrize("values", SKEWED_COUNTS)
def test_count_intervals_never_go_below_zero(values):
    plain_mean, plain_lo, _ = interval(values)
    assert plain_lo < 0, "the example should break the plain interval"
    mean, lo, hi = bounded_interval(values, "wrongful_sanctions_total")
    assert mean == pytest.approx(plain_mean)
    assert 0 <= lo <= mean <= hi


@pytest.mark.parametrize("metric", ["final_non_take_up", "final_mean_trust"])
@pytest.mark.parametrize("values", SKEWED_SHARES)
def test_share_and_score_intervals_stay_within_0_and_1(values, metric):
    _, plain_lo, plain_hi = interval(values)
    assert plain_hi > 1 or plain_lo < 0, "the example should break the plain interval"
    mean, lo, hi = bounded_interval(values, metric)
    assert 0 <= lo <= mean <= hi <= 1


@pytest.mark.parametrize("metric", ["wrongful_sanctions_total", "final_non_take_up"])
@pytest.mark.parametrize("value", [0.0, 0.4, 1.0])
def test_all_equal_replicates_give_a_zero_width_interval(metric, value):
    mean, lo, hi = bounded_interval([value] * 3, metric)
    assert mean == pytest.approx(value)
    assert hi - lo == pytest.approx(0.0, abs=1e-12) and lo <= mean <= hi


@pytest.mark.parametrize("values", SKEWED_COUNTS + ([0.0, 0.0, 1.0],))
def test_a_count_interval_keeps_the_plain_upper_end(values):
    """Cutting removes only impossible values: the upper end stays where the replicates put it
    (a log transform would stretch [0, 0, 1] to an upper end of ~25)."""
    _, _, plain_hi = interval(values)
    _, lo, hi = bounded_interval(values, "wrongful_sanctions_total")
    assert lo == 0.0 and hi == pytest.approx(plain_hi)


def test_unbounded_metrics_and_single_runs_keep_the_plain_interval():
    vals = [0.2, -0.1, 0.5]
    assert bounded_interval(vals, "shared_harmonious_trust_gap") == interval(vals)
    assert bounded_interval(vals, "not_a_metric") == interval(vals)
    mean, lo, hi = bounded_interval([3.0], "wrongful_sanctions_total")
    assert mean == 3.0 and math.isnan(lo) and math.isnan(hi)


def test_plain_interval_is_unchanged():
    """`interval` (the validation report's) keeps its plain Student-t form."""
    mean, lo, hi = interval([0.0, 0.0, 7.0])
    assert mean == pytest.approx(7 / 3)
    assert lo == pytest.approx(7 / 3 - 4.302652729911275 * math.sqrt(49 / 3) / math.sqrt(3))
    assert hi - mean == pytest.approx(mean - lo)


def _frames(counts, shares):
    return [pd.DataFrame({"month": [1, 2], "wrongful_sanctions": [0.0, c], "non_take_up": [s, s]})
            for c, s in zip(counts, shares)]


def test_time_bands_respect_bounds_also_for_cumulative_columns():
    frames = _frames([0.0, 0.0, 9.0], [0.99, 1.0, 0.9])
    for f in frames:
        f["cum_wrongful_sanctions"] = f["wrongful_sanctions"].cumsum()
    bands = summary.time_bands({"a": frames}, ["cum_wrongful_sanctions", "non_take_up"],
                               range_of={"cum_wrongful_sanctions": "wrongful_sanctions"})
    assert (bands.ci_low >= 0).all() and (bands.ci_low <= bands["mean"] + 1e-12).all()
    share = bands[bands.metric == "non_take_up"]
    assert (share.ci_high <= 1).all()
    assert np.isfinite(bands.ci_low).all()


def test_compare_frames_uses_the_bounded_interval():
    frames = [pd.DataFrame({"month": [1], **{c: [0.0] for c in _needed_columns()}}) for _ in range(3)]
    frames[2]["wrongful_sanctions"] = [7.0]
    tab = summary.compare_frames({"a": frames})
    row = tab[tab.metric == "wrongful_sanctions_total"].iloc[0]
    assert row["ci_low"] >= 0 and row["ci_high"] >= row["mean"] == pytest.approx(7 / 3)


def _needed_columns():
    from fatal_remedies.model import metrics

    return metrics.monthly_columns()
