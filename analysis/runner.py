"""The one runner: executes batches of runs on local processes, a Dask cluster, or any executor.

`compare`, `sweep`, `validate`, `calibrate` and the browser app all run their
model runs through here, so they share how work is spread over cores or
machines, how a dead worker process is survived, and how results come back
(in task order, whatever the order they finish in).

* `run_tasks(fn, tasks)` applies ``fn(*task)`` to each task and returns the
  results in task order; the first task that raises stops the batch and its
  exception is raised (with a note naming the task).
* `Runner.stream(fn, tasks)` yields each task's `Outcome` as it finishes,
  exceptions included, for callers that store results as they come and go on
  after a failure (the sweep).

A task and `fn` must be picklable (module-level functions and plain
classes): they travel to spawned worker processes and to Dask workers.

A worker process that dies (a crash, the out-of-memory killer) breaks a local
pool. The runner then builds a new pool and runs the tasks that were in
flight again. The task that reported the breakage becomes a suspect and runs
alone (split into its parts first, if the caller says how); a suspect that
kills its worker again while running alone is the culprit and is reported as
an `Outcome` with ``died=True``. So one poisonous run cannot stop a sweep,
and innocent runs are never blamed.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

from .executors import Connection, connect, shutdown

WINDOW_PER_SLOT = 3
"""Tasks kept submitted per slot: enough to keep every worker busy, few enough to stop quickly."""


@dataclass
class Outcome:
    """How one task (or, after a worker crash, one part of it) ended."""

    index: int
    """Position in `tasks` of the task this came from."""
    task: tuple
    """The arguments that ran: the task itself, or one part of it after a worker crash."""
    result: Any = None
    error: BaseException | None = None
    """The exception the task raised, if any (then `result` is None)."""
    died: bool = False
    """The task's worker process died twice, the second time with the task running alone."""


class _Job:
    __slots__ = ("index", "task", "crashes")

    def __init__(self, index: int, task: tuple, crashes: int = 0):
        self.index, self.task, self.crashes = index, task, crashes


class Runner:
    """An executor to run tasks on, opened once and used for one or more batches.

    Args:
        workers: Local worker processes; None or 0: one per core.
        scheduler: Dask scheduler address (``tcp://HOST:PORT``); then `workers` is ignored.
        executor: Any `concurrent.futures` executor, used as it is (not shut
            down, not rebuilt); `workers` then only sizes the submission window.

    Use it as a context manager; on leaving, a pool or client it opened is closed.
    """

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None,
                 executor: cf.Executor | None = None):
        self.workers = workers
        if executor is not None:
            slots = workers or os.cpu_count() or 1
            self._conn = Connection(executor, type(executor).__name__, slots, lambda: None,
                                    rebuildable=False)
            self._own = False
        else:
            self._conn = connect(scheduler, workers)
            self._own = True

    @property
    def description(self) -> str:
        """What runs the tasks, for progress bars ("2 local worker processes", ...)."""
        return self._conn.description

    @property
    def slots(self) -> int:
        """How many tasks run at the same time."""
        return self._conn.slots

    def close(self, wait: bool = False) -> None:
        """Shut down what this runner opened (nothing, for an executor it was given)."""
        if self._own:
            try:
                shutdown(self._conn.executor, wait=wait)
            finally:
                self._conn.close()

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # Not waiting: after a normal end nothing is left to run (the worker processes
        # exit by themselves); after an error or Ctrl-C the caller should not wait.
        self.close(wait=False)

    def _rebuild(self) -> None:
        """A new local pool in place of a broken one."""
        shutdown(self._conn.executor)
        self._conn = connect(None, self.workers)

    def stream(self, fn: Callable[..., Any], tasks: Iterable[tuple], *,
               split: Callable[[tuple], Sequence[tuple]] | None = None,
               window: int | None = None) -> Iterator[Outcome]:
        """Run ``fn(*task)`` for every task; yield each `Outcome` as it finishes.

        Args:
            fn: Picklable function.
            tasks: Argument tuples.
            split: How to cut a task into parts that can run one at a time
                (e.g. a batch into its runs), used only after the task's
                worker process died; default: a task is not cut.
            window: Tasks submitted at a time (default: 3 per slot).

        An exception raised by `fn` is yielded (`Outcome.error`), not raised.
        A broken pool that this runner cannot rebuild (a Dask cluster, an
        executor it was given) raises `BrokenProcessPool`.
        """
        queue = [_Job(i, tuple(t)) for i, t in enumerate(tasks)][::-1]
        window = window or max(2, self.slots * WINDOW_PER_SLOT)
        pending: dict[cf.Future, _Job] = {}

        def parts(job: _Job, crashes: int) -> list[_Job]:
            pieces = list(split(job.task)) if split is not None else [job.task]
            if len(pieces) <= 1:
                return [_Job(job.index, job.task, crashes)]
            return [_Job(job.index, tuple(p), crashes) for p in pieces]

        try:
            while queue or pending:
                while queue and len(pending) < window:
                    # a suspect runs alone: nothing else may be in flight with it
                    if pending and (queue[-1].crashes or any(j.crashes for j in pending.values())):
                        break
                    job = queue.pop()
                    try:
                        fut = self._conn.executor.submit(fn, *job.task)
                    except cf.process.BrokenProcessPool:
                        # A worker died after the last wait returned: the pool refuses new
                        # work. Put the task back; the pending futures report the breakage
                        # below (and are re-queued there); with none pending, rebuild here.
                        queue.append(job)
                        if pending:
                            break
                        if not self._conn.rebuildable:
                            raise
                        self._rebuild()
                        continue
                    pending[fut] = job
                finished, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
                for fut in finished:
                    if fut not in pending:  # dropped with a broken pool below
                        continue
                    job = pending.pop(fut)
                    try:
                        result = fut.result()
                    except cf.process.BrokenProcessPool as exc:
                        # A worker process died. Every task in flight is lost: run them
                        # again (in parts), on a new pool; the task that reported it
                        # becomes a suspect and runs alone.
                        if not self._conn.rebuildable:
                            raise
                        requeue = [p for other in pending.values() for p in parts(other, other.crashes)]
                        pending.clear()
                        died = None
                        if job.crashes >= 1 and len(parts(job, job.crashes)) == 1:
                            died = Outcome(job.index, job.task, error=exc, died=True)
                        else:
                            requeue.extend(parts(job, job.crashes + 1))
                        queue.extend(requeue)
                        self._rebuild()
                        if died is not None:
                            yield died
                        continue
                    except Exception as exc:  # noqa: BLE001 - the caller decides (e.g. KilledWorker)
                        yield Outcome(job.index, job.task, error=exc)
                        continue
                    yield Outcome(job.index, job.task, result=result)
        finally:
            for fut in pending:  # stopped early (an error, Ctrl-C): do not run the rest
                fut.cancel()


def run_tasks(fn, tasks, *, workers=None, scheduler=None, executor=None, on_done=None) -> list:
    """Apply picklable fn(*task) to each task tuple; results in task order.
    workers: 1 = in this process; None or 0 = all cores. on_done() after each finished task.

    scheduler: a Dask scheduler address; executor: any `concurrent.futures`
    executor (e.g. one `executors.local_pool` kept for many calls). A single
    task without either runs in this process too (no pool to start).

    Raises:
        The first exception a task raises, with a note naming the task; the
        tasks not yet started are cancelled. RuntimeError if a task kills its
        worker process twice.
    """
    tasks = [tuple(t) for t in tasks]
    if executor is None and not scheduler and (workers == 1 or len(tasks) <= 1):
        results = []
        for task in tasks:
            results.append(fn(*task))
            if on_done is not None:
                on_done()
        return results
    if executor is None and not scheduler:
        workers = min(workers or os.cpu_count() or 1, len(tasks))
    results: list[Any] = [None] * len(tasks)
    name = getattr(fn, "__qualname__", type(fn).__name__)
    with Runner(workers=workers, scheduler=scheduler, executor=executor) as runner:
        with closing(runner.stream(fn, tasks)) as outcomes:
            for o in outcomes:
                if o.died:
                    raise RuntimeError(f"task {o.index} of {len(tasks)} ({name}) killed its worker "
                                       f"process twice") from o.error
                if o.error is not None:
                    o.error.add_note(f"raised by task {o.index} of {len(tasks)} ({name})")
                    raise o.error
                results[o.index] = o.result
                if on_done is not None:
                    on_done()
    return results
