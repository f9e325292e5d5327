"""A sweep on a real Dask scheduler and workers (separate processes on 127.0.0.1).

The same sweep run with local processes and on the cluster gives identical rows.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.sweep import read_parts

BIN = Path(sys.executable).parent
EXE = str(BIN / "fatal-remedies")


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            start_new_session=True, cwd=log.parent)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers; yields the scheduler address."""
    d = tmp_path_factory.mktemp("dask")
    sched_file = d / "scheduler.json"
    procs = [_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--no-dashboard", "--scheduler-file", str(sched_file),
                     "--idle-timeout", "600s"], d / "scheduler.log")]
    try:
        t0 = time.time()
        while not sched_file.exists() and time.time() - t0 < 60:
            time.sleep(0.1)
        assert sched_file.exists(), (d / "scheduler.log").read_text()
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for i in range(2):
            procs.append(_start([str(BIN / "dask"), "worker", address, "--nworkers", "1",
                                 "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                                 "--name", f"w{i}", "--local-directory", str(d / f"w{i}")],
                                d / f"worker{i}.log"))
        from distributed import Client

        with Client(address, timeout="30s") as c:
            c.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)


def test_dask_sweep_identical_to_local(tmp_path, dask_cluster):
    common = ["sweep", "--scenario", "control", "--method", "sobol", "--samples", "4",
              "--params", "fraud_base_rate,record_error_rate,network_degree,initial_trust",
              "--reps", "2", "--clients", "150", "--months", "24", "--seed", "11",
              "--batch-size", "5"]
    local = subprocess.run([EXE, *common, "--workers", "2", "--out", str(tmp_path / "local")],
                           capture_output=True, text=True, timeout=300)
    assert local.returncode == 0, local.stderr
    remote = subprocess.run([EXE, *common, "--scheduler", dask_cluster, "--out",
                             str(tmp_path / "dask")], capture_output=True, text=True,
                            timeout=300)
    assert remote.returncode == 0, remote.stderr
    assert "Dask scheduler" in remote.stderr  # the progress bar names the executor
    a = read_parts(tmp_path / "local").drop(columns="seconds")
    b = read_parts(tmp_path / "dask").drop(columns="seconds")
    assert len(a) == 4 * 10 * 2 and a.error.isna().all()
    pd.testing.assert_frame_equal(a, b)
    ma = json.loads((tmp_path / "local" / "manifest.json").read_text())
    mb = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    for key in ("seeds", "factors", "scenario", "n_runs"):
        assert ma[key] == mb[key]


def test_dask_resume_after_partial_sweep(tmp_path, dask_cluster):
    """A sweep started locally and finished on the cluster is complete and duplicate-free."""
    from analysis.sweep import SweepSpec, resolve_factors, run_sweep

    spec = SweepSpec(resolve_factors(["hourly_cost_eur", "share_carer", "network_degree"]),
                     method="lhs", samples=30, reps=2, seed=4,
                     evaluator="analysis.toys:RegistryToy", over_time=["y:sum"])
    first = run_sweep(tmp_path / "s", spec, workers=1, batch_size=4, progress=False,
                      max_runs=22)
    assert first.ran == 22
    second = run_sweep(tmp_path / "s", resume=True, scheduler=dask_cluster, batch_size=4,
                       progress=False)
    assert second.ran == 38
    df = read_parts(tmp_path / "s")
    assert sorted(df.run_id) == list(range(60)) and df.error.isna().all()
