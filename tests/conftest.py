"""Shared fixtures for the core tests."""

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("model", "analysis", "viz", "scenarios")


def pytest_sessionstart(session):
    """Compile the model's stages (model/kernels.py) before the first test, once per checkout.

    A fresh checkout has no compiled stages in `model/__pycache__`: whichever test ran the
    model first (perhaps in a subprocess or the app's server, under a time limit) would wait
    ~15 s for the compiler. Later sessions only load them (~0.3 s).
    """
    from fatal_remedies.model.run import simulate

    for name in ("control", "service", "baseline"):
        simulate(name, 200, 13, 1)


@pytest.fixture(scope="session", autouse=True)
def _no_module_under_two_names():
    """After all tests: no module of ours was loaded as `model.x`, `analysis.x`, ...

    The rooms install only as `fatal_remedies.<room>`; a second name would mean two copies
    of a module (two parameter registries, two metric registries) that drift apart.
    """
    yield
    bad = sorted(n for n, mod in list(sys.modules.items())
                 if n.split(".")[0] in ROOMS
                 and str(getattr(mod, "__file__", "") or "").startswith(str(ROOT)))
    assert not bad, f"modules of ours loaded under a second name during the tests: {bad}"


@pytest.fixture(scope="session")
def cli() -> list[str]:
    """The console script as a user runs it (installed next to this interpreter)."""
    exe = Path(sys.executable).with_name("fatal-remedies")
    assert exe.exists(), f"console script missing: {exe} (pip install -e . first)"
    return [str(exe)]
