"""The one seed scheme: a master seed and a replicate number give the replicate's seed.

`run --seed s` runs the model with seed s itself. Everything that runs
replicates (`compare`, `sweep`, `validate`, `calibrate`, the browser app)
derives replicate r's seed from its master seed with `replicate_seed`, and
records the seeds in its manifest, so that `run --seed <that seed>`
reproduces any replicate on its own. Replicate r gets the same seed in every
scenario and at every sample point (common random numbers): differences
between scenarios or points are then the policy's or parameter's effect,
not the luck of the draw.

The seed is NumPy's spawned child r of the master seed (``SeedSequence(s,
spawn_key=(r,))``, as ``SeedSequence(s).spawn(R)[r]``), reduced to one 32-bit
word. Replicate r's seed does not depend on how many replicates are run, so
adding replicates keeps the earlier ones.
"""

from __future__ import annotations

import numbers

import numpy as np

from .errors import UserError


def check_seed(value, what: str = "seed") -> int:
    """`value` as a non-negative int, or a one-line UserError naming `what`: the rule for a
    model seed, a master seed, a replicate number and a replicate count alike (NumPy would
    refuse a negative seed only deep inside the model, with a traceback)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise UserError(f"{what} must be a non-negative integer, got {value!r}")
    return int(value)


def replicate_seed(master: int, r: int) -> int:
    """The seed of replicate `r` (0, 1, ...) of master seed `master`.

    Raises:
        UserError: `master` or `r` is negative or not an integer.
    """
    master = check_seed(master, "seed")
    r = check_seed(r, "replicate number")
    child = np.random.SeedSequence(master, spawn_key=(r,))
    return int(child.generate_state(1, dtype=np.uint32)[0])


def replicate_seeds(master: int, reps: int) -> list[int]:
    """The seeds of replicates 0 .. reps-1 of master seed `master` (see `replicate_seed`)."""
    reps = check_seed(reps, "number of replicates")
    return [replicate_seed(master, r) for r in range(reps)]
