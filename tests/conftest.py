"""Shared fixtures for the core tests."""

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")


@pytest.fixture(scope="session")
def cli() -> list[str]:
    """The console script as a user runs it (installed next to this interpreter)."""
    exe = Path(sys.executable).with_name("fatal-remedies")
    assert exe.exists(), f"console script missing: {exe} (pip install -e . first)"
    return [str(exe)]
