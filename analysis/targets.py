"""Calibration targets: the public figures the model is fitted to and validated against.

Each target names the scenario it is measured in, the public source, a
tolerance band, and the simulated figure: a metric of the registry
(`model.metrics`), computed from a monthly metrics frame. The
calibration (`analysis.calibrate`) and the validation report
(`analysis.validate`) both read this table, so a band or a source is changed
in one place only.

The sources are those named in the core issue: Rotterdam scored about 30,000
recipients a year and investigated the top 1,000-1,500 (Lighthouse Reports,
"Suspicion Machines", 2023; the national total of about 400,000 people on
bijstand is CBS, end 2023); repayment claims reach about 8% of recipients a
year with a fine in about half (municipal fact sheet, 2022); about half of
investigations find nothing wrong (Amsterdam, 2023); about 35% of eligible
households do not take up bijstand (Inspectie SZW, 2018).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from fatal_remedies.model import metrics as _metrics

from .summary import aggregate, div, last

ROTTERDAM_POPULATION = 56_000
"""People (eligible or back in work) simulated for a Rotterdam-scale run."""


@dataclass(frozen=True)
class Target:
    """One calibration target.

    Attributes:
        key: Name of the simulated figure: a metric of the registry
            (`model.metrics`), which gives its unit and how it is computed.
        label: What it is, for a table.
        value: The public figure.
        lo: Lower end of the tolerance band (inclusive).
        hi: Upper end of the tolerance band (inclusive).
        source: Where the figure comes from.
        scenario: Scenario the figure is simulated in.
        fitted: True if the calibration fits it; False if it is a check only
            (set by a policy lever or by the run size, not by an uncertainty).
        band_reason: Why the band is this wide.
    """

    key: str
    label: str
    value: float
    lo: float
    hi: float
    source: str
    scenario: str
    fitted: bool
    band_reason: str

    @property
    def unit(self) -> str:
        """Unit of value and band (the registry metric's)."""
        return _metrics.get(self.key).unit

    @property
    def half_width(self) -> float:
        return (self.hi - self.lo) / 2.0

    def inside(self, x: float) -> bool:
        return math.isfinite(x) and self.lo <= x <= self.hi


TARGETS: tuple[Target, ...] = (
    Target(
        "investigations_per_30k_per_year", "Investigations per year per 30,000 people receiving",
        1250.0, 1000.0, 1500.0,
        'Lighthouse Reports, "Suspicion Machines" (2023): Rotterdam investigated the top '
        "1,000-1,500 of ~30,000 scored recipients a year",
        "control", False,
        "the range the source gives; set by the lever investigation_capacity, so a check of "
        "the bookkeeping rather than a fit",
    ),
    Target(
        "receiving_at_rotterdam_scale", "People receiving bijstand at Rotterdam scale "
        f"({ROTTERDAM_POPULATION:,} people, last month)",
        30000.0, 25000.0, 35000.0,
        'Lighthouse Reports (2023): ~30,000 recipients scored; CBS (end 2023): ~400,000 '
        "nationally, Rotterdam the largest share",
        "control", False,
        "+-1/6: the source gives a round number; set by the run size and non-take-up, "
        "a check only",
    ),
    Target(
        "repayment_claims_per_100_per_year", "Repayment claims per 100 people receiving per year",
        8.0, 6.0, 10.0,
        "Municipal fact sheet (2022): repayment claims reach about 8% of recipients a year",
        "control", True,
        "+-25%: 'about 8%' from one municipality's year",
    ),
    Target(
        "fined_share_of_claims", "Share of repayment claims that came with a fine",
        0.5, 0.4, 0.6,
        "Municipal fact sheet (2022): a fine in about half of the claims",
        "control", True,
        "+-0.1: 'about half'",
    ),
    Target(
        "nothing_found_share", "Share of investigations that found nothing wrong",
        0.5, 0.4, 0.6,
        "Amsterdam (2023): about half of investigated cases find nothing wrong",
        "control", True,
        "+-0.1: 'about half'; another city's practice than the one simulated",
    ),
    Target(
        "final_non_take_up", "Non-take-up among eligible people (last month)",
        0.35, 0.30, 0.40,
        "Inspectie SZW (2018 figure): about 35% of eligible households do not take up bijstand",
        "baseline", True,
        "+-0.05: national estimate with its own uncertainty; simulated in the national-practice "
        "scenario (baseline), see docs/VALIDATION.md",
    ),
)
"""All targets, in table order."""

BY_KEY = {t.key: t for t in TARGETS}


def population(frame: pd.DataFrame) -> float:
    """Population size of the run that made `frame` (the statuses add up to it every month)."""
    row = frame.iloc[-1]
    return float(row["receiving"] + row["in_work"] + row["non_take_up_count"] + row["sanctioned"])


def _receiving_at_rotterdam_scale(frame: pd.DataFrame) -> float:
    return div(last(frame, "receiving") * ROTTERDAM_POPULATION, population(frame))


_CUSTOM = {"receiving_at_rotterdam_scale": _receiving_at_rotterdam_scale}
"""Target figures the registry marks CUSTOM, computed here; the others aggregate as the registry says."""


WINDOW_MONTHS = 60
"""Targets are compared with the last five years of a run: in `control` the
municipality grows its control over the first years (issue 10), and the public
figures describe a practice that has grown, not its start."""


def target_metrics(frame: pd.DataFrame) -> dict[str, float]:
    """Every target's simulated figure for one run (NaN where undefined).

    The figures are registry metrics over the run's last WINDOW_MONTHS months
    (the whole run if shorter), so a target that is also a summary metric
    (e.g. `nothing_found_share`) is computed by the same definition as
    `analysis.summary.summarize` applied to those months.
    """
    if len(frame) > WINDOW_MONTHS:
        frame = frame.iloc[-WINDOW_MONTHS:]
    sums: dict[str, float] = {}
    out: dict[str, float] = {}
    for t in TARGETS:
        m = _metrics.get(t.key)
        out[t.key] = _CUSTOM[m.name](frame) if m.aggregation == _metrics.CUSTOM else aggregate(m, frame, sums)
    return out


def scenarios_needed(targets=TARGETS) -> list[str]:
    """Scenarios to run to measure `targets`, in first-use order."""
    out: list[str] = []
    for t in targets:
        if t.scenario not in out:
            out.append(t.scenario)
    return out
