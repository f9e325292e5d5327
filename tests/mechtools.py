"""Helpers for tests/test_mechanisms.py: the numeric-literal scan and cached small runs.

The scan reads the model's source with `ast` (not by importing it), so it
sees exactly the numbers written in a method's body, wherever they are. The
runs are cached per (scenario, clients, months, seed, overrides) because
several ablations compare against the same baseline run, and the whole file
must stay well under two minutes on one shared core.
"""

from __future__ import annotations

import ast
import os
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd

from fatal_remedies.model.model import BenefitModel

ROOT = Path(__file__).resolve().parents[1]

SEED = int(os.environ.get("FR_MECH_SEED", "1"))
"""Seed of every run here. The thresholds were checked on seeds 1-3 (`FR_MECH_SEED=2 pytest ...`
runs the whole file on another seed, to see that a threshold is not one seed's luck)."""

ALLOWED = frozenset({0, 1, 0.5, 11, 12, 1000})
"""Numbers a stage may write: nothing, one, a half, months of a year (11/12 is a year's decay
of a monthly count), per 1,000. Every other number is behaviour and belongs in the registry."""


def _numeric(node: ast.AST) -> float | None:
    """The number a Constant node holds, or None (bools, strings, None are not numbers here)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)) \
            and not isinstance(node.value, bool):
        return node.value
    return None


MODULE = "<module>"
"""A `targets` key for a module's top-level functions (kernels.py); `("*",)` names all of them."""


def _indices(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are an array position (`x[2]`, `u[0, r]`), not a number of behaviour."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            out.update(id(part) for part in parts if isinstance(part, ast.Constant))
    return out


def literals(path: Path, targets: dict[str, tuple[str, ...]]) -> list[tuple[str, int, str, float]]:
    """Every numeric literal in the named methods: (file, line, Class.method, value).

    `targets` maps a class name to the names of its methods to scan, or
    `MODULE` to top-level functions (`("*",)`: every one). A negative number
    is `-` applied to a literal, so its absolute value is what is checked; a
    literal that indexes an array is a position and is not counted. Raises
    if a named method is missing, so a renamed stage is not silently skipped.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    positions = _indices(tree)
    out: list[tuple[str, int, str, float]] = []
    seen: set[tuple[str, str]] = set()
    scopes = [(cls.name, cls.body) for cls in tree.body if isinstance(cls, ast.ClassDef) and cls.name in targets]
    if MODULE in targets:
        scopes.append((MODULE, tree.body))
    for owner, members in scopes:
        wanted = targets[owner]
        for fn in members:
            if not isinstance(fn, ast.FunctionDef) or (fn.name not in wanted and wanted != ("*",)):
                continue
            seen.add((owner, fn.name))
            # Skip the docstring: its numbers are prose, not behaviour.
            body = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
            name = fn.name if owner == MODULE else f"{owner}.{fn.name}"
            for stmt in body:
                for node in ast.walk(stmt):
                    v = _numeric(node)
                    if v is not None and id(node) not in positions:
                        out.append((rel, node.lineno, name, v))
    missing = {(c, f) for c, fs in targets.items() for f in fs if fs != ("*",)} - seen
    if missing or (MODULE in targets and not any(owner == MODULE for owner, _ in seen)):
        raise LookupError(f"{rel}: methods to scan not found (renamed?): {sorted(missing) or 'no functions'}")
    return out


def offenders(found: list[tuple[str, int, str, float]]) -> list[tuple[str, int, str, float]]:
    """The literals outside `ALLOWED`."""
    return [f for f in found if f[3] not in ALLOWED]


def tally(found: list[tuple[str, int, str, float]]) -> Counter:
    """How often each (method, value) occurs: the key of a known offender, independent of line numbers."""
    return Counter((meth, val) for _, _, meth, val in found)


@lru_cache(maxsize=None)
def _run(scenario: str, clients: int, months: int, seed: int,
         overrides: tuple[tuple[str, object], ...]) -> tuple[BenefitModel, pd.DataFrame]:
    model = BenefitModel(scenario, n_clients=clients, seed=seed, overrides=dict(overrides))
    for _ in range(months):
        model.step()
    return model, model.metrics_frame()


def run(scenario: str, clients: int = 4000, months: int = 120, seed: int = SEED,
        **overrides) -> tuple[BenefitModel, pd.DataFrame]:
    """A run (cached): the model at its end and its monthly frame. Overrides are pinned.

    Callers must not change the model or the frame they get back: another test may share it.
    """
    return _run(scenario, clients, months, seed, tuple(sorted(overrides.items())))


def contact_by_trust(seed: int, contact_trust_effect: float, clients: int = 4000, warm: int = 48,
                     months: int = 24) -> tuple[float, float]:
    """Meetings of honest receiving clients, observed over expected, in the lowest and highest trust third.

    "Expected" is the contact rate the model gives a person *before* trust
    enters (meeting rate x complexity x (0.5 + support intensity), stage 7),
    so complexity and support, which also differ with trust, do not hide or
    fake the effect of trust. Trust is taken at the start of the month (the
    meetings happen before the month's trust stage). Honest: without
    intentional fraud at the start of the month, so the effect is not the
    fraudsters'. Returns (low third, high third).
    """
    import numpy as np

    from fatal_remedies.model.states import RECEIVING

    m = BenefitModel("control", n_clients=clients, seed=seed,
                     overrides={"contact_trust_effect": contact_trust_effect})
    for _ in range(warm):
        m.step()
    obs, exp, tr = [], [], []
    for _ in range(months):
        trust, intent = m.trust.copy(), m.intent.copy()
        m.step()
        hours = m.support_hours
        rate = m.p["meeting_rate"] * m.complexity * (0.5 + hours / (hours + 1.0))
        idx = np.flatnonzero((m.status == RECEIVING) & ~intent)
        obs.append(m.meetings_month[idx])
        exp.append(rate[idx])
        tr.append(trust[idx])
    o, e, t = (np.concatenate(x) for x in (obs, exp, tr))
    lo, hi = t <= np.quantile(t, 1 / 3), t >= np.quantile(t, 2 / 3)
    return float(o[lo].sum() / e[lo].sum()), float(o[hi].sum() / e[hi].sum())
