"""The two views of a month (analysis/dashboard.py): figures a user reads off the Explore page."""
import math

import pandas as pd
import pytest

from fatal_remedies.analysis.dashboard import DashboardError, two_views
from fatal_remedies.model.metrics import GROUPS


def frame(n=5):
    """A hand-made metrics frame whose sums are easy to check by eye."""
    rows = []
    for m in range(1, n + 1):
        r = {"month": m, "fraud_sanctions": m, "wrongful_sanctions": m - 1, "claims_eur": 100.0 * m,
             "fines_eur": 10.0 * m, "admin_cost_eur": 1000.0, "receiving": 50 * m, "satisfaction": 0.1 * m,
             "gave_up": 2, "mean_hardship": 0.05 * m}
        for i, g in enumerate(GROUPS):
            r[f"trust_{g}"] = 0.5 + 0.01 * i + 0.001 * m
        rows.append(r)
    return pd.DataFrame(rows)


def test_one_month_is_that_month_only():
    v = two_views(frame(), 4)
    assert v.dashboard["fraud_sanctions"] == 4
    assert v.dashboard["money_recovered_eur"] == 440.0
    assert v.dashboard["cost_per_receiving_eur"] == pytest.approx(1000 / 200)
    assert v.dashboard["receiving"] == 200 and v.dashboard["satisfaction"] == pytest.approx(0.4)
    assert v.clients["wrongful_sanctions"] == 3 and v.clients["gave_up"] == 2
    assert v.clients["mean_hardship"] == pytest.approx(0.2)
    assert v.clients[f"trust_{GROUPS[1]}"] == pytest.approx(0.514)


def test_quarter_sums_counts_and_takes_states_at_its_end():
    v = two_views(frame(), 5)
    assert v.first_month == 3
    assert v.quarter_fraud_found == 3 + 4 + 5
    assert v.quarter_wrongful == 2 + 3 + 4
    assert v.quarter_dashboard["money_recovered_eur"] == pytest.approx(110.0 * 12)
    assert v.quarter_dashboard["cost_per_receiving_eur"] == pytest.approx(3000 / 250)
    assert v.quarter_clients["mean_hardship"] == pytest.approx(0.25)


def test_quarter_at_the_start_holds_only_months_run():
    v = two_views(frame(), 1)
    assert v.first_month == 1 and v.quarter_fraud_found == 1 and v.quarter_wrongful == 0


def test_nobody_receiving_gives_no_cost_per_person():
    df = frame()
    df.loc[df.month == 2, "receiving"] = 0
    assert math.isnan(two_views(df, 2).dashboard["cost_per_receiving_eur"])


@pytest.mark.parametrize("month", [0, 6])
def test_month_not_run_is_one_clear_line(month):
    with pytest.raises(DashboardError, match="not in the run"):
        two_views(frame(), month)


def test_empty_run_says_to_step():
    with pytest.raises(DashboardError, match="Step"):
        two_views(frame().iloc[:0], 1)


def test_real_run_matches_its_frame():
    from fatal_remedies.model.run import simulate
    df = simulate("control", clients=400, months=9, seed=3)
    v = two_views(df, 9)
    q = df[df.month.between(7, 9)]
    assert v.quarter_fraud_found == int(q.fraud_sanctions.sum())
    assert v.quarter_wrongful == int(q.wrongful_sanctions.sum())
    assert v.dashboard["money_recovered_eur"] == pytest.approx(float(df.claims_eur.iloc[-1] + df.fines_eur.iloc[-1]))
