"""The app's only door to the model core and to analysis/.

Everything the pages need from a model goes through these small functions,
so a change in the core's attribute names is fixed here, once. The app draws;
summary statistics come from `analysis.summary`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fatal_remedies.model.model import BenefitModel
from fatal_remedies.model.scenario import Scenario, ScenarioError, list_scenarios, load_scenario  # noqa: F401
from fatal_remedies.model.states import Status


def version() -> str:
    try:
        from importlib.metadata import version as _v

        return _v("fatal-remedies")
    except Exception:  # noqa: BLE001 - running from a source tree without metadata
        return "unknown"


def scenario_names() -> list[str]:
    return [name for name, _ in list_scenarios()]


def resolve(scenario: str | Scenario, overrides: dict[str, Any] | None = None) -> Scenario:
    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    return sc.with_overrides(overrides or {})


def make_model(scenario: str | Scenario, n_clients: int, seed: int,
               overrides: dict[str, Any] | None = None, record_events: bool = True):
    """A fresh model for the Explore and Lesson pages."""
    sc = resolve(scenario, overrides)
    return BenefitModel(sc, n_clients=n_clients, seed=seed, record_events=record_events)


def month(model) -> int:
    return int(getattr(model, "month", 0))


def params_in_force(model) -> dict[str, Any]:
    """Parameter values the model uses this month."""
    p = getattr(model, "p", None)
    if isinstance(p, dict):
        return p
    return {}


def frame(model) -> pd.DataFrame:
    return model.metrics_frame()


POP_CATEGORIES = ("st_receiving", "st_flagged", "st_wrongful", "st_sanctioned", "st_supported",
                  "st_work", "st_gave_up")
POP_COLORS = ("#9e9e9e", "#ff9800", "#d32f2f", "#6a1b9a", "#1976d2", "#2e7d32", "#000000")


def _arr(model, *names):
    for n in names:
        a = getattr(model, n, None)
        if a is not None:
            return np.asarray(a)
    return None


def after_step(model) -> None:
    """Remember who was sanctioned wrongfully this month (the core keeps it for one month only)."""
    now = np.flatnonzero(np.asarray(model.last_wrongful) == model.month)
    seen = model.__dict__.setdefault("_ui_wrongful_pids", set())
    seen.update(int(x) for x in np.asarray(model.pid)[now])


def population(model, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Status category (index into POP_CATEGORIES) of the first `n` slots, and their slots."""
    status = np.asarray(model.status)
    n = min(n, status.size)
    st = status[:n]
    m = month(model)
    cat = np.zeros(n, dtype=np.int8)
    rec = st == Status.RECEIVING
    hours = _arr(model, "support_hours")
    flag = _arr(model, "support_flag")
    if hours is not None:
        all_rec = np.asarray(model.status) == Status.RECEIVING
        typical = float(np.median(hours[all_rec])) if all_rec.any() else 0.0
        supported = (hours[:n] > 0) & (hours[:n] >= 2.0 * typical)
        if flag is not None:
            supported |= flag[:n].astype(bool)
        cat[rec & supported] = 4
    inv = _arr(model, "last_investigated")
    if inv is not None:
        cat[rec & (inv[:n] >= m - 2)] = 1
    cat[st == Status.WORK] = 5
    cat[st == Status.NON_TAKE_UP] = 6
    sanctioned = st == Status.SANCTIONED
    cat[sanctioned] = 3
    wrongful = model.__dict__.get("_ui_wrongful_pids")
    if wrongful:
        pids = np.asarray(model.pid)[:n]
        cat[sanctioned & np.isin(pids, np.fromiter(wrongful, dtype=np.int64))] = 2
    return cat, np.arange(n)


def client(model, slot: int):
    return model.client(int(slot))


def story(model, slot: int) -> list[tuple[int, str]]:
    try:
        return list(model.client(int(slot)).story())
    except Exception:  # noqa: BLE001 - no event log in this model
        return []


def traits(model, slot: int) -> dict[str, Any]:
    try:
        return dict(model.client(int(slot)).traits)
    except Exception:  # noqa: BLE001
        return {}


def feature_importance(model) -> pd.Series:
    algo = getattr(model, "algorithm", None)
    if algo is None:
        return pd.Series(dtype=float)
    return algo.feature_importance()


def council_issues(model) -> list[dict]:
    council = getattr(model, "council", None)
    return list(getattr(council, "issues", []) or [])


def hours(model) -> dict[str, float]:
    try:
        return dict(model.caseworker_hours())
    except Exception:  # noqa: BLE001
        return {}


def trust_columns(df: pd.DataFrame) -> list[str]:
    """Per-group trust columns the core provides (e.g. mean_trust_carer)."""
    return [c for c in df.columns if c.startswith(("mean_trust_", "trust_"))]


COST_COLUMNS = ("admin_cost_eur", "collected_eur", "claims_eur", "fines_eur")


def cost_columns(df: pd.DataFrame) -> list[str]:
    """Money columns drawn on the cost chart (benefits paid would dwarf them)."""
    cols = [c for c in COST_COLUMNS if c in df.columns]
    return cols or [c for c in df.columns if "cost" in c]
