"""A Dask scheduler and workers as separate processes on 127.0.0.1.

For trying the cluster set-up on one machine, for the test that compares a
cluster sweep with a local one, and for the scaling benchmark: the same
`dask scheduler` and `dask worker` commands a real cluster runs, so what works
here works there. `distributed.LocalCluster` would run the workers inside
this process's nanny tree instead, which is not what a cluster looks like.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

BIN = Path(sys.executable).parent


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "w") as fh:
        return subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=log.parent)


def stop_processes(procs: list[subprocess.Popen], timeout: float = 20) -> None:
    """SIGTERM each process group (workers first), SIGKILL what does not stop in time."""
    for p in reversed(procs):
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


@contextmanager
def local_cluster(n_workers: int, workdir: Path, start_timeout: float = 60) -> Iterator[str]:
    """Run a scheduler and `n_workers` single-threaded workers; yield the scheduler address.

    Each process logs to `workdir` (scheduler.log, worker0.log, ...). Every
    process is stopped when the block ends, also on error.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sched_file = workdir / "scheduler.json"
    sched_file.unlink(missing_ok=True)
    procs = [_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--no-dashboard", "--scheduler-file", str(sched_file),
                     "--idle-timeout", "600s"], workdir / "scheduler.log")]
    try:
        t0 = time.time()
        while not sched_file.exists():
            if time.time() - t0 > start_timeout or procs[0].poll() is not None:
                log = (workdir / "scheduler.log").read_text()[-2000:]
                raise RuntimeError(f"the Dask scheduler did not start:\n{log}")
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(n_workers):
            procs.append(_start([str(BIN / "dask"), "worker", address, "--nworkers", "1",
                                 "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                                 "--name", f"w{i}", "--local-directory", str(workdir / f"w{i}")],
                                workdir / f"worker{i}.log"))
        from distributed import Client

        with Client(address, timeout="30s") as c:
            c.wait_for_workers(n_workers, timeout=120)
        yield address
    finally:
        stop_processes(procs)
