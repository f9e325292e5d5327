"""Where runs execute: a pool of local worker processes or a Dask cluster's workers.

Both are `concurrent.futures` executors, so the runner (`analysis.runner`)
has one code path for either. Local workers are *spawned* (a fresh
interpreter, not a fork of a parent that may hold threads, open files or a
Solara server) and run one BLAS/OpenMP thread each, as Dask's nanny sets it
up, so W workers on W cores do not oversubscribe them. A local worker ends
when its parent dies, however it dies (even by SIGKILL, which runs no cleanup):
on Linux the kernel sends it SIGKILL (`prctl(PR_SET_PDEATHSIG)`); elsewhere, or
when the pool was started by a thread that may end before the process, a
thread in the worker polls its parent every `PARENT_POLL_SECONDS`.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import threading
from dataclasses import dataclass
from typing import Callable

from fatal_remedies.model.errors import UserError

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""Set to 1 in each local worker process (unless already set)."""

DASK_TIMEOUT = "10s"
"""How long to wait for a Dask scheduler; FATAL_REMEDIES_DASK_TIMEOUT overrides it."""


MAX_WORKERS_PER_CORE = 8
"""Local workers allowed per core: more only add processes (~270 MB each) that wait for a core."""


def check_workers(workers: int | None, option: str = "--workers") -> int:
    """The local worker count a user asked for: 0 or None means all cores; at most
    `MAX_WORKERS_PER_CORE` per core. Checked before any work (one-line UserError)."""
    cores = os.cpu_count() or 1
    if workers is None or workers == 0:
        return cores
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise UserError(f"{option} must be 0 (all cores) or a positive integer, got {workers}")
    limit = MAX_WORKERS_PER_CORE * cores
    if workers > limit:
        raise UserError(f"{option} must be at most {limit} ({MAX_WORKERS_PER_CORE} per core on "
                        f"this machine's {cores}), got {workers}")
    return workers


PARENT_POLL_SECONDS = 1.0
"""How often a worker without a parent-death signal checks that its parent is alive."""

_PR_SET_PDEATHSIG = 1
"""prctl option (linux/prctl.h): the signal a process gets when its parent dies."""


def _parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False if that is unavailable."""
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """End this process as soon as its parent is gone (polling; see PARENT_POLL_SECONDS)."""
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)  # the parent died: nobody will collect this worker's results

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def worker_init(parent: int | None = None, death_signal: bool = True) -> None:
    """Prepare a local worker process: end it when its parent (pid `parent`) dies, and one
    thread per worker for BLAS/OpenMP (as Dask's nanny does), so that W workers on W cores
    do not oversubscribe them.

    The kernel's parent-death signal fires when the *thread* that started the process
    ends, so the pool asks for it (`death_signal`) only when started by the main thread;
    otherwise, and where it is unavailable, a thread polls the parent instead."""
    if parent is not None:
        if not (death_signal and _parent_death_signal()):
            _watch_parent(parent)
        if os.getppid() != parent:  # died before the signal was set up
            os._exit(1)
    for var in THREAD_VARS:
        os.environ.setdefault(var, "1")
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - comes with scikit-learn
        pass


def local_pool(n: int) -> cf.ProcessPoolExecutor:
    """A pool of `n` spawned worker processes, each with one BLAS/OpenMP thread, started now."""
    import multiprocessing as mp

    # The variables must be in the environment when a process starts, because
    # libraries loaded later (scipy, scikit-learn's OpenMP) read them only then.
    saved = {v: os.environ.get(v) for v in THREAD_VARS}
    try:
        for v in THREAD_VARS:
            os.environ.setdefault(v, "1")
        main = threading.current_thread() is threading.main_thread()
        ex = cf.ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("spawn"),
                                    initializer=worker_init, initargs=(os.getpid(), main))
        for _ in range(n):  # each submit starts one process while the variables are set
            ex.submit(os.getpid)
    finally:
        for v, old in saved.items():
            if old is None:
                os.environ.pop(v, None)
            else:
                os.environ[v] = old
    return ex


@dataclass
class Connection:
    """An executor with what the runner needs to know about it."""

    executor: cf.Executor
    description: str
    slots: int
    """Tasks that run at the same time (worker processes, or Dask worker threads)."""
    close: Callable[[], None]
    """Releases what `connect` opened (the Dask client); the executor is shut down apart."""
    rebuildable: bool
    """A local pool this module made: it can be replaced when a worker process dies."""


def connect(scheduler: str | None = None, workers: int | None = None) -> Connection:
    """Local worker processes, or the workers of the Dask scheduler at `scheduler`.

    Args:
        scheduler: Dask scheduler address ``tcp://HOST:PORT``; then `workers` is ignored.
        workers: Local worker processes; None or 0: one per core.

    Raises:
        UserError: a malformed or unreachable scheduler address, or `workers` < 0.
    """
    if scheduler:
        return _connect_dask(scheduler)
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise UserError(f"--workers must be at least 1, got {n}")
    return Connection(local_pool(n), f"{n} local worker processes", n, lambda: None, True)


def _connect_dask(scheduler: str) -> Connection:
    if "://" not in scheduler:
        raise UserError(f"--scheduler expects an address like tcp://HOST:PORT, got "
                        f"{scheduler!r}")
    import logging

    from distributed import Client

    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        timeout = os.environ.get("FATAL_REMEDIES_DASK_TIMEOUT", DASK_TIMEOUT)
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise UserError(f"cannot reach the Dask scheduler at {scheduler}: {first}") from None
    ncores = sum(client.nthreads().values()) or 1
    return Connection(client.get_executor(pure=False), f"Dask scheduler {scheduler}", ncores,
                      client.close, False)


def check_scheduler(scheduler: str) -> None:
    """Connect to a Dask scheduler and disconnect: a bad address fails before any work."""
    _connect_dask(scheduler).close()


def shutdown(executor: cf.Executor, wait: bool = False) -> None:
    """Stop an executor; without `wait`, at once, cancelling what has not started."""
    if isinstance(executor, cf.ProcessPoolExecutor):
        executor.shutdown(wait=wait, cancel_futures=True)
    else:  # Dask's ClientExecutor cancels its futures when not waiting
        executor.shutdown(wait=wait)
