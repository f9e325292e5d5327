"""A sweep on a real Dask scheduler and workers (separate processes on 127.0.0.1).

The same sweep run with local processes and on the cluster gives identical rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from fatal_remedies.analysis.localdask import local_cluster
from fatal_remedies.analysis.sweep import read_parts

BIN = Path(sys.executable).parent
EXE = str(BIN / "fatal-remedies")


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers; yields the scheduler address."""
    with local_cluster(2, tmp_path_factory.mktemp("dask")) as address:
        assert address.startswith("tcp://127.0.0.1:")
        yield address


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
    from fatal_remedies.analysis.sweep import SweepSpec, resolve_factors, run_sweep

    spec = SweepSpec(resolve_factors(["hourly_cost_eur", "share_carer", "network_degree"]),
                     method="lhs", samples=30, reps=2, seed=4,
                     evaluator="fatal_remedies.analysis.toys:RegistryToy", over_time=["y:sum"])
    first = run_sweep(tmp_path / "s", spec, workers=1, batch_size=4, progress=False,
                      max_runs=22)
    assert first.ran == 22
    second = run_sweep(tmp_path / "s", resume=True, scheduler=dask_cluster, batch_size=4,
                       progress=False)
    assert second.ran == 38
    df = read_parts(tmp_path / "s")
    assert sorted(df.run_id) == list(range(60)) and df.error.isna().all()
