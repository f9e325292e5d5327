"""Scenario discovery on a sweep: PRIM boxes where an outcome condition holds.

Uses ``ema_workbench.analysis.prim`` (the maintained implementation by
Kwakkel et al., used in the scenario-discovery literature) on the
replicate means of each sample point. A condition is ``OP VALUE`` with OP one
of ``> >= < <= == !=`` and VALUE a number or the name of another outcome, so
"wrongful sanctions outnumber fraud found" is::

    fatal-remedies discover DIR --outcome wrongful_sanctions_total --where "> fraud_detected_total"

For each box PRIM finds, the peeling trajectory (coverage, density, mass,
restricted dimensions) is written to CSV, the selected box -- the densest on
the trajectory whose coverage is at least ``min_coverage`` -- with its
limits and quasi-p-values, and a coverage/density trade-off plot.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import operator
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .sweep import SweepError

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
        "==": operator.eq, "!=": operator.ne}
_WHERE = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(\S.*?)\s*$")


def parse_where(text: str) -> tuple[str, str]:
    m = _WHERE.match(text or "")
    if not m:
        raise SweepError(f"--where expects 'OP VALUE' with OP one of > >= < <= == != and VALUE a "
                         f"number or an outcome name, got {text!r}")
    return m.group(1), m.group(2)


@dataclass
class Discovery:
    condition: str
    cases: int
    points: int
    boxes: list[dict] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.condition}: {self.cases} of {self.points} sample points "
               f"({self.cases / self.points:.0%}) are cases of interest"]
        for b in self.boxes:
            out.append(f"box {b['box']}: coverage {b['coverage']:.2f}, density {b['density']:.2f}, "
                       f"mass {b['mass']:.2f}, {b['res_dim']} restricted parameter(s)")
            for r in b["limits"]:
                out.append(f"  {r['parameter']}: {r['lo']:g} .. {r['hi']:g}  (swept "
                           f"{r['sweep_lo']:g} .. {r['sweep_hi']:g}; quasi-p {r['qp']:.2g})")
        return out


def discover(out: str | Path, outcome: str, where: str, *, min_coverage: float = 0.5,
             boxes: int = 1, peel_alpha: float = 0.05, paste_alpha: float = 0.05,
             mass_min: float = 0.05, plots: bool = True) -> Discovery:
    """Find boxes of parameter space where ``outcome WHERE`` holds (replicate means)."""
    from .sensitivity import load_sweep

    if not 0 <= min_coverage <= 1:
        raise SweepError(f"--min-coverage must be from 0 to 1, got {min_coverage:g}")
    if boxes < 1:
        raise SweepError(f"--boxes must be at least 1, got {boxes}")
    op, rhs = parse_where(where)
    sw = load_sweep(out)
    available = sw.outcomes + [c for v in sw.yearly.values() for _, c in v]
    if outcome not in available:
        raise SweepError(f"unknown outcome '{outcome}': the sweep has {', '.join(sw.outcomes)}")
    try:
        rhs_value: float | None = float(rhs)
        rhs_name = None
    except ValueError:
        rhs_value, rhs_name = None, rhs
        if rhs_name not in available:
            raise SweepError(f"--where: '{rhs}' is neither a number nor an outcome of the sweep"
                             ) from None
    means = sw.means([outcome] + ([rhs_name] if rhs_name else []))
    lhs = means[outcome].to_numpy(dtype=float)
    rv = means[rhs_name].to_numpy(dtype=float) if rhs_name else np.full_like(lhs, rhs_value)
    keep = ~(np.isnan(lhs) | np.isnan(rv))
    if keep.sum() < 10:
        raise SweepError(f"only {int(keep.sum())} sample points have a value of '{outcome}'; "
                         "PRIM needs at least 10")
    y = _OPS[op](lhs[keep], rv[keep])
    condition = f"{outcome} {op} {rhs}"
    n_cases = int(y.sum())
    if n_cases == 0:
        raise SweepError(f"no sample point has {condition} (observed {outcome} from "
                         f"{np.nanmin(lhs):.4g} to {np.nanmax(lhs):.4g}): nothing to discover")
    if n_cases == len(y):
        raise SweepError(f"every sample point has {condition}: nothing to separate")

    x = pd.DataFrame({f.name: [f.value(v) for v in sw.design[keep, j]]
                      for j, f in enumerate(sw.factors)})
    # Integer parameters go in as floats: ema_workbench 3.0's pasting step writes
    # midpoints (e.g. 4.5) into int columns, which pandas 3 refuses. Box limits of an
    # integer parameter are therefore reported as numbers; any integer inside holds.
    x = x.astype("float64")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("EMA").setLevel(logging.WARNING)
        with contextlib.redirect_stdout(io.StringIO()):
            from ema_workbench.analysis import prim as ema_prim

            alg = ema_prim.Prim(x, y.astype(bool), peel_alpha=peel_alpha,
                                paste_alpha=paste_alpha, mass_min=mass_min)
            found = []
            for _ in range(boxes):
                box = alg.find_box()
                if box is None:
                    break
                found.append(box)

    ddir = sw.out / "discovery"
    ddir.mkdir(parents=True, exist_ok=True)
    op_word = {">": "gt", ">=": "ge", "<": "lt", "<=": "le", "==": "eq", "!=": "ne"}[op]
    tag = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{outcome}_{op_word}_{rhs}")
    result = Discovery(condition, n_cases, len(y), notes=list(sw.notes))
    bounds = {f.name: (f.lo, f.hi) for f in sw.factors}
    traj_rows, lim_rows = [], []
    for b_i, box in enumerate(found, 1):
        traj = box.peeling_trajectory.reset_index(drop=True)
        ok = traj.index[traj["coverage"] >= min_coverage - 1e-12]
        sel = int(traj.loc[ok, "density"].idxmax()) if len(ok) else 0
        for _, r in traj.iterrows():
            traj_rows.append({"box": b_i, "step": int(r["id"]), "coverage": r["coverage"],
                              "density": r["density"], "mass": r["mass"],
                              "res_dim": int(r["res_dim"]), "selected": int(r["id"]) == sel})
        lims = box.box_lims[sel]
        qps = box.p_values[sel] if sel < len(box.p_values) else {}
        limits = []
        for f in sw.factors:
            lo, hi = float(lims.at[0, f.name]), float(lims.at[1, f.name])
            init_lo = float(alg.box_init.at[0, f.name])
            init_hi = float(alg.box_init.at[1, f.name])
            if lo <= init_lo and hi >= init_hi:
                continue
            qp = qps.get(f.name, (math.nan, math.nan)) if isinstance(qps, dict) else (math.nan,)
            qv = [v for v in np.atleast_1d(qp) if v is not None and not
                  (isinstance(v, float) and math.isnan(v))]
            limits.append({"box": b_i, "parameter": f.name, "lo": lo, "hi": hi,
                           "sweep_lo": bounds[f.name][0], "sweep_hi": bounds[f.name][1],
                           "qp": float(max(qv)) if qv else math.nan, "unit": f.unit})
        lim_rows.extend(limits)
        r = traj.loc[sel]
        result.boxes.append({"box": b_i, "step": sel, "coverage": float(r["coverage"]),
                             "density": float(r["density"]), "mass": float(r["mass"]),
                             "res_dim": int(r["res_dim"]), "limits": limits})
        if plots:
            from . import plots as PL

            result.files.append(PL.prim_tradeoff(
                traj, sel, ddir / f"prim_tradeoff_{tag}_box{b_i}.png",
                title=f"PRIM trade-off, box {b_i}: {condition}"))
    pd.DataFrame(traj_rows).to_csv(ddir / f"prim_trajectory_{tag}.csv", index=False)
    pd.DataFrame(lim_rows, columns=["box", "parameter", "lo", "hi", "sweep_lo", "sweep_hi", "qp",
                                    "unit"]).to_csv(ddir / f"prim_boxes_{tag}.csv", index=False)
    result.files[:0] = [ddir / f"prim_trajectory_{tag}.csv", ddir / f"prim_boxes_{tag}.csv"]
    if not found:
        result.notes.append("PRIM found no box")
    return result
