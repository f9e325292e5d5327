"""Running the model: resolving a scenario, checking the run size, one run to a metrics frame with its manifest.

Writing outputs (`write_frame`, the atomic writer) is in `model.files`."""

from __future__ import annotations

import platform
from typing import Any, Callable

import numpy as np
import pandas as pd

from . import __version__
from . import params as P
from .scenario import Scenario, load_scenario
from .seeds import check_seed


def resolve(scenario: Scenario | str, overrides: dict[str, Any] | None = None) -> Scenario:
    """A Scenario from a name, path or Scenario, with whole-run overrides applied."""
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    return scenario.with_overrides(overrides or {})


def check_size(clients: int, months: int) -> tuple[int, int]:
    """Validate run size against the registry (one-line errors)."""
    return int(P.get("n_clients").coerce(clients)), int(P.get("months").coerce(months))


def manifest(scenario: Scenario | None, clients: int, months: int, seed: int,
             **extra: Any) -> dict[str, Any]:
    """What produced an output: enough to reproduce it exactly (`scenario` None for an output
    of several scenarios, which `extra` then describes)."""
    import mesa
    import sklearn

    out = {
        "package": "fatal-remedies",
        "version": __version__,
        "scenario": scenario.to_dict() if scenario is not None else None,
        "clients": int(clients),
        "months": int(months),
        "seed": int(seed) if seed is not None else None,
        "software": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "mesa": mesa.__version__,
            "scikit-learn": sklearn.__version__,
        },
    }
    out.update(extra)
    if scenario is None:
        out.pop("scenario")
    return out


def simulate(
    scenario: Scenario | str,
    clients: int = 10_000,
    months: int = 120,
    seed: int = 0,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Run one scenario and return one row of metrics per month (months 1..M).

    Args:
        scenario: Built-in name, TOML path or Scenario.
        clients: Population size.
        months: Months to simulate.
        seed: Seed; the same seed gives the same frame, bit for bit.
        overrides: Parameter values that hold for the whole run.
        progress: Called with the month number after each month.

    Returns:
        The metrics frame; `frame.attrs["manifest"]` says what produced it.
    """
    from .model import BenefitModel

    sc = resolve(scenario, overrides)
    clients, months = check_size(clients, months)
    seed = check_seed(seed)
    model = BenefitModel(sc, n_clients=clients, seed=seed)
    for _ in range(months):
        model.step()
        if progress is not None:
            progress(model.month)
    frame = model.metrics_frame()
    frame.attrs["manifest"] = manifest(sc, clients, months, seed)
    return frame
