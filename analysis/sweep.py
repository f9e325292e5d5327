"""Sensitivity sweeps: sample a parameter space, run the model, stream results to Parquet.

This module is the public entry (`run_sweep`, and the names below from the
modules a sweep is made of)::

    analysis/design.py      factors, SweepSpec, the sample matrix (SALib)
    analysis/storage.py     the sweep directory: manifest, design, parts, lock
    analysis/evaluators.py  what runs per point: ModelEvaluator, the batch task
    analysis/executors.py   local worker processes or a Dask cluster
    analysis/runner.py      the runner shared with compare/validate/calibrate

A sweep directory holds::

    manifest.json     what was run: method, N, R, seeds, bounds, scenario, versions, and the
                      design's fingerprint (see analysis/storage.py), which every part carries
    design.parquet    the sample matrix (one row per sample point, SALib's raw values)
    parts/*.parquet   results, one file per finished batch of runs, written atomically
    analysis/         tables (CSV) and plots (PNG) written by `fatal-remedies analyze`
    discovery/        PRIM boxes written by `fatal-remedies discover`

One run is one (sample point, replicate) pair. Its id is
``sample * reps + rep``; replicate ``rep`` uses the same seed at every sample
point (common random numbers, `model.seeds`), so differences between points
are not blurred by different random streams. A run that raises is stored with
its error text and the sweep goes on. Only the parent process writes files,
each part file first to a temporary name and then renamed, so a sweep killed
at any moment and restarted with ``resume=True`` runs exactly the runs that
have no row yet.

A *paired* sweep (``SweepSpec(versus=...)``, ``sweep --scenario control --versus
service``) runs each (sample point, replicate) under both scenarios with the same
seed, in the same task, and stores both in one row: the scenario's outcomes under
their metric names, the versus scenario's as ``vs__<metric>`` (`PairedEvaluator`).
Its run ids, resume and failure capture are those of a single-scenario sweep, one
row per pair (a pair fails as a whole, its error naming the scenario that raised);
progress counts model runs, two per pair. It varies uncertainties only: a lever
would be set alike in both scenarios (`design.check_paired`).

The function evaluated per run is injectable (``evaluator(point, seed) ->
dict[str, float]``); the default runs the model and summarises it
(:class:`ModelEvaluator`). Batches of runs go to the runner
(`analysis.runner`): local worker processes by default, or a Dask cluster's
workers when a scheduler address is given -- the same code path either way.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import os
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from . import storage
from .design import (  # noqa: F401
    AGGREGATES,
    DEFAULT_OVER_TIME,
    MAX_RUNS,
    METHODS,
    MORRIS_LEVELS,
    Factor,
    SweepError,
    SweepSpec,
    make_design,
    parse_bounds,
    parse_over_time,
    point_values,
    resolve_factors,
    yearly_column,
)
from .evaluators import Evaluator, ModelEvaluator, build_evaluator, error_text, failed_row, run_batch, yearly_values  # noqa: F401
from .runner import Runner
from .storage import BASE_COLUMNS, FORMAT, factors_of, load_design, load_manifest, new_manifest, read_parts, status  # noqa: F401

BATCH_MAX = 25
"""Largest default batch (runs per task): a killed sweep loses at most this many runs per worker."""
BATCHES_PER_SLOT = 8
"""Default batches per slot at least, so that the last batches keep every worker busy."""


@dataclass
class SweepResult:
    out: Path
    n_runs: int
    ran: int
    failed: int
    skipped: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    """Things the user should know (e.g. an old sweep without a fingerprint)."""
    runs_per_row: int = 1
    """Model runs per run row (2 in a paired sweep: `n_runs`, `ran`, ... count pairs then)."""

    def line(self) -> str:
        if self.runs_per_row == 2:
            return (f"{self.out}: {self.n_runs} pairs ({2 * self.n_runs} model runs) in the "
                    f"paired sweep; ran {self.ran} pairs ({2 * self.ran} model runs) now in "
                    f"{self.seconds:.1f} s ({self.failed} pairs failed in total), "
                    f"{self.skipped} pairs were done before")
        return (f"{self.out}: {self.n_runs} runs in the sweep; ran {self.ran} now in "
                f"{self.seconds:.1f} s ({self.failed} failed in total), {self.skipped} were done "
                "before")


def _default_batch_size(n_todo: int, slots: int) -> int:
    return int(min(BATCH_MAX, max(1, math.ceil(n_todo / max(1, slots * BATCHES_PER_SLOT)))))


def run_sweep(
    out: str | Path,
    spec: SweepSpec | None = None,
    *,
    resume: bool = False,
    evaluator: Evaluator | None = None,
    scenario_obj=None,
    versus_obj=None,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: cf.Executor | None = None,
    batch_size: int | None = None,
    retry_failed: bool = False,
    progress: bool = True,
    max_runs: int | None = None,
) -> SweepResult:
    """Run (or resume) a sweep into directory `out`.

    Args:
        out: Sweep directory.
        spec: What to run; required for a new sweep, ignored on resume (the
            manifest is the truth then).
        resume: Continue the sweep in `out`, running only runs without a row.
        evaluator: Function per run; default: built from the manifest
            (the model, or an importable factory).
        scenario_obj: Resolved Scenario for the manifest (model evaluator).
        versus_obj: Resolved versus Scenario of a paired sweep (default: loaded from
            `spec.versus`).
        workers: Local worker processes (default: all cores).
        scheduler: Dask scheduler address; then `workers` is ignored.
        executor: Any concurrent.futures executor (overrides both above).
        batch_size: Runs per task (default: up to 25, a few tasks per worker).
        retry_failed: On resume, run again the runs recorded with an error.
        max_runs: Stop after this many runs were submitted (tests, benchmarks).
    """
    out = Path(out)
    if resume:
        manifest = load_manifest(out)
        storage.check_code(manifest, out)
    else:
        if spec is None:
            raise SweepError("a new sweep needs a SweepSpec")
        if (out / "manifest.json").exists():
            raise SweepError(f"'{out}' already holds a sweep; add --resume to continue it or "
                             "choose another --out")
        spec.check()
        manifest = new_manifest(spec, scenario_obj, versus_obj)
        if spec.evaluator == "model":
            from fatal_remedies.model.scenario import load_scenario

            if manifest["scenario"] is None:
                manifest["scenario"] = load_scenario(spec.scenario).to_dict()
            if spec.versus is not None and manifest["versus_scenario"] is None:
                manifest["versus_scenario"] = load_scenario(spec.versus).to_dict()
        storage.seal(manifest)
    storage.make_dirs(out)
    with storage.writing(out):
        factors = factors_of(manifest)
        if not resume:
            # Part files without a manifest (it was deleted or never written): rebuild the
            # manifest only if every part is of this very design; never mix designs.
            for p in storage.part_files(out):
                if storage.part_fingerprint(p, out) != manifest["fingerprint"]:
                    raise SweepError(
                        f"'{out}' has no manifest.json but holds part files of another sweep "
                        f"design or model code (e.g. {p.name}); choose another --out, or run "
                        "the command that made them again to rebuild its manifest")
            storage.write_design(out, make_design(spec), factors)
            storage.write_manifest(out, manifest)  # last: a manifest means the design exists
        design = load_design(out, manifest)
        done = read_parts(out, manifest, design)
        note = storage.legacy_note(manifest, out)
        if evaluator is None:
            evaluator = build_evaluator(manifest)
        result = _execute(out, manifest, factors, design, done, evaluator, workers=workers,
                          scheduler=scheduler, executor=executor, batch_size=batch_size,
                          retry_failed=retry_failed, progress=progress, max_runs=max_runs)
        result.notes = [note] if note else []
        result.runs_per_row = storage.runs_per_row(manifest)
        return result


def _execute(out, manifest, factors, design, done, evaluator, *, workers, scheduler, executor,
             batch_size, retry_failed, progress, max_runs) -> SweepResult:
    reps, seeds, n_runs = manifest["reps"], manifest["seeds"], manifest["n_runs"]
    if retry_failed and len(done):
        done = done[done["error"].isna()]
    done_ids = set(int(i) for i in done["run_id"])
    failed_before = 0 if not len(done) else int(done["error"].notna().sum())
    todo = [rid for rid in range(n_runs) if rid not in done_ids]
    if max_runs is not None:
        todo = todo[:max_runs]
    skipped = len(done_ids)

    t_start = time.perf_counter()
    if not todo:
        return SweepResult(out, n_runs, 0, failed_before, skipped, 0.0)

    failed = failed_before
    ran = 0
    bar = None
    if executor is None and not scheduler:  # never more local worker processes than runs
        workers = min(workers or os.cpu_count() or 1, len(todo))
    with Runner(workers=workers, scheduler=scheduler, executor=executor) as runner:
        bs = batch_size or _default_batch_size(len(todo), runner.slots)
        batches = []
        for i in range(0, len(todo), bs):
            items = []
            for rid in todo[i:i + bs]:
                s, r = divmod(rid, reps)
                items.append((rid, s, r, seeds[r], point_values(factors, design[s])))
            batches.append((evaluator, items))
        k = storage.runs_per_row(manifest)  # progress counts model runs: 2 per pair
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=n_runs * k, initial=(n_runs - len(todo)) * k, unit="run",
                       file=sys.stderr, dynamic_ncols=True, smoothing=0.05,
                       desc=("paired " if k == 2 else "") + f"sweep ({runner.description})",
                       mininterval=0.5 if sys.stderr.isatty() else 10.0)
            bar.set_postfix(failed=failed_before)
        # after a worker crash, a batch is run again one run per task (see analysis.runner)
        outcomes = runner.stream(run_batch, batches,
                                 split=lambda task: [(task[0], [it]) for it in task[1]])
        try:
            with closing(outcomes):
                for o in outcomes:
                    items = o.task[1]
                    if o.died:
                        rows = [failed_row(it, "worker process died while running it "
                                               f"({error_text(o.error)})") for it in items]
                    elif o.error is not None:  # the task as a whole, e.g. Dask's KilledWorker
                        rows = [failed_row(it, "task failed: " + error_text(o.error))
                                for it in items]
                    else:
                        rows = o.result
                    storage.write_part(out / "parts", rows, manifest.get("fingerprint"))
                    failed += sum(r["error"] is not None for r in rows)
                    ran += len(rows)
                    if bar is not None:
                        bar.update(len(rows) * k)
                        bar.set_postfix(failed=failed)
        finally:
            if bar is not None:
                bar.close()
    return SweepResult(out, n_runs, ran, failed, skipped, time.perf_counter() - t_start)
