"""Two views of the same month: what the municipality's dashboard shows beside what clients live.

Why: the paper's argument is that a control-oriented office steers on figures ("fraud found",
"money recovered") that cannot see the harm its control does (wrongful sanctions, people who
give up, hardship, lost trust). Putting both views of one month side by side, computed from the
same frame, makes that contrast visible. The UI only draws these figures (viz/pages/dashboard_view.py);
everything is computed here so that tests can check it without a browser.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from fatal_remedies.model.metrics import GROUPS

DASHBOARD = ("fraud_sanctions", "money_recovered_eur", "cost_per_receiving_eur", "receiving", "satisfaction")
"""What the dashboard shows, in display order. `fraud_sanctions` is the dashboard's "fraud found":
it counts every fraud sanction, because the office cannot tell intent from a wrongful finding."""

CLIENTS = ("wrongful_sanctions", "gave_up", "mean_hardship") + tuple(f"trust_{g}" for g in GROUPS)
"""What clients live, in display order (the hardship and trust columns are registry metrics)."""

QUARTER = 3
"""Months in the 'last quarter' window: the month shown and the two before it (fewer at the start)."""


@dataclass(frozen=True)
class TwoViews:
    """The figures of both views for one month and for the quarter ending at it.

    `month`/`quarter` map a name of DASHBOARD or CLIENTS to its value (NaN when undefined);
    `quarter_fraud_found` and `quarter_wrongful` are the numbers of the sentence under the views.
    """
    month: int
    first_month: int
    dashboard: dict[str, float] = field(default_factory=dict)
    clients: dict[str, float] = field(default_factory=dict)
    quarter_dashboard: dict[str, float] = field(default_factory=dict)
    quarter_clients: dict[str, float] = field(default_factory=dict)
    quarter_fraud_found: int = 0
    quarter_wrongful: int = 0


class DashboardError(ValueError):
    """A month that the frame does not hold (one clear line)."""


def _figures(rows: pd.DataFrame) -> tuple[dict[str, float], dict[str, float]]:
    """Both views over `rows` (one month or a quarter): counts and money summed, states at the last row."""
    last = rows.iloc[-1]
    admin = float(rows["admin_cost_eur"].sum())
    receiving = float(last["receiving"])
    dash = {
        "fraud_sanctions": float(rows["fraud_sanctions"].sum()),
        "money_recovered_eur": float(rows["claims_eur"].sum() + rows["fines_eur"].sum()),
        # cost per person receiving: the months' administration cost over the caseload at the end
        "cost_per_receiving_eur": admin / receiving if receiving > 0 else float("nan"),
        "receiving": receiving,
        "satisfaction": float(last["satisfaction"]),
    }
    cli = {"wrongful_sanctions": float(rows["wrongful_sanctions"].sum()),
           "gave_up": float(rows["gave_up"].sum()),
           "mean_hardship": float(last["mean_hardship"])}
    for g in GROUPS:
        cli[f"trust_{g}"] = float(last[f"trust_{g}"])
    return dash, cli


def two_views(df: pd.DataFrame, month: int) -> TwoViews:
    """The dashboard's view and the clients' view of `month` (1..M) of a metrics frame.

    Raises DashboardError when the frame has no row for `month`.
    """
    if df is None or df.empty or "month" not in df:
        raise DashboardError("no months have been run yet; press Step or Play first")
    if month not in set(df["month"].astype(int)):
        raise DashboardError(f"month {month} is not in the run (it holds months "
                             f"{int(df['month'].min())} to {int(df['month'].max())})")
    months = df["month"].astype(int)
    first = max(int(months.min()), month - QUARTER + 1)
    one = df[months == month]
    quarter = df[(months >= first) & (months <= month)]
    d1, c1 = _figures(one)
    dq, cq = _figures(quarter)
    return TwoViews(month=month, first_month=first, dashboard=d1, clients=c1,
                    quarter_dashboard=dq, quarter_clients=cq,
                    quarter_fraud_found=int(round(dq["fraud_sanctions"])),
                    quarter_wrongful=int(round(cq["wrongful_sanctions"])))
