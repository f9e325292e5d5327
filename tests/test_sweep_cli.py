"""`fatal-remedies sweep / analyze / discover` through the real console script.

Covers bad input (one line, exit 2), SIGKILL part-way then --resume, and an
end-to-end sweep of the model itself.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from fatal_remedies.analysis.sweep import SweepSpec, read_parts, resolve_factors, run_sweep

EXE = shutil.which("fatal-remedies", path=str(Path(sys.executable).parent)) or "fatal-remedies"
TOY = ["--evaluator", "fatal_remedies.analysis.toys:RegistryToy"]
P3 = ["--params", "hourly_cost_eur,share_carer,network_degree"]


def cli(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    e = dict(os.environ, **(env or {}))
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=e)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def part_ids(out: Path) -> list[int]:
    ids = []
    for p in (out / "parts").glob("part-*.parquet"):
        ids.extend(pq.read_table(p).column("run_id").to_pylist())
    return ids


# ----------------------------------------------------------------- bad input


BAD = {
    "unknown parameter": (["--params", "share_carer,fraud_rate"], "unknown parameter 'fraud_rate'"),
    "bounds outside registry": ([*P3, "--bounds", "share_carer=0:2"], "registry's limits"),
    "bounds malformed": ([*P3, "--bounds", "share_carer=0-1"], "NAME=LO:HI"),
    "bounds integer": ([*P3, "--bounds", "network_degree=3:7.5"], "must be integers"),
    "sobol N not power of two": ([*P3, "--samples", "100"], "power of two"),
    "unknown method": ([*P3, "--method", "fast"], "unknown method 'fast'"),
    "non-numeric parameter": (["--params", "share_carer,caseload"], "only numeric"),
    "unknown scenario": ([*P3, "--scenario", "utopia"], "unknown scenario 'utopia'"),
    "bad scheduler address": ([*P3, "--scheduler", "localhost:8786"], "tcp://HOST:PORT"),
    "zero reps": ([*P3, "--reps", "0"], "--reps must be at least 1"),
    "too many workers": ([*P3, "--workers", "100000"], "--workers must be at most"),
    "misspelt over-time column": ([*P3, "--over-time", "mean_trsut:last"],
                                  "unknown monthly column 'mean_trsut'; did you mean 'mean_trust'?"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_sweep_input_one_line_exit_2(tmp_path, case):
    args, fragment = BAD[case]
    r = cli("sweep", *args, "--out", tmp_path / "s")
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fatal-remedies: error:"), r.stderr
    assert fragment in lines[0]
    assert not (tmp_path / "s").exists()  # nothing written


def test_unreachable_scheduler_one_line_exit_2(tmp_path):
    addr = f"tcp://127.0.0.1:{free_port()}"
    t0 = time.time()
    r = cli("sweep", *TOY, *P3, "--samples", "4", "--scheduler", addr, "--out", tmp_path / "s",
            env={"FATAL_REMEDIES_DASK_TIMEOUT": "2s"})
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot reach the Dask scheduler at {addr}" in lines[0]
    assert time.time() - t0 < 30
    assert not (tmp_path / "s").exists()


def test_existing_sweep_resume_rules_and_analysis_errors(tmp_path):
    out = tmp_path / "s"
    r = cli("sweep", *TOY, *P3, "--samples", "4", "--reps", "1", "--workers", "1", "--out", out)
    assert r.returncode == 0, r.stderr
    checks = [
        (["sweep", *TOY, *P3, "--samples", "4", "--out", out], "already holds a sweep"),
        (["sweep", "--resume", "--samples", "8", "--out", out], "--samples 4, not 8"),
        (["sweep", "--resume", "--out", tmp_path / "none"], "holds no sweep"),
        (["sweep", "--retry-failed", "--out", out], "only goes with --resume"),
        (["analyze", out, "--method", "morris"], "does not fit a sobol sweep"),
        (["analyze", out, "--outcome", "nope"], "unknown outcome 'nope'"),
        (["analyze", tmp_path / "none"], "holds no sweep"),
        (["discover", out, "--outcome", "y", "--where", "bigger 3"], "--where expects"),
        (["discover", out, "--outcome", "y", "--where", "> 1e9"], "no sample point has y > 1e9"),
    ]
    for args, fragment in checks:
        r = cli(*args)
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2 and len(lines) == 1 and fragment in lines[0], (args, r.stderr)
    r = cli("sweep", "--resume", "--out", out)  # nothing missing: nothing run
    assert r.returncode == 0 and "ran 0 now" in r.stdout


def test_failing_runs_cli_records_them_and_sobol_refuses(tmp_path):
    out = tmp_path / "s"
    r = cli("sweep", "--evaluator", "fatal_remedies.analysis.toys:FailingToy", *P3, "--samples", "8",
            "--reps", "1", "--workers", "2", "--out", out)
    assert r.returncode == 0, r.stderr
    df = read_parts(out)
    assert len(df) == 64 and df.error.notna().sum() > 0
    r = cli("analyze", out, "--no-plots")
    assert r.returncode == 2
    assert "refusing Sobol indices" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------- kill and resume


def _kill_part_way(args: list, out: Path, min_parts: int, timeout: float = 120) -> None:
    proc = subprocess.Popen([EXE, *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        t0 = time.time()
        while time.time() - t0 < timeout:
            parts = list((out / "parts").glob("part-*.parquet")) if (out / "parts").exists() else []
            if len(parts) >= min_parts:
                break
            if proc.poll() is not None:
                pytest.fail("the sweep finished before it could be killed")
            time.sleep(0.05)
        else:
            pytest.fail("no part files appeared")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its worker processes
        proc.wait(timeout=30)


def test_sigkill_then_resume_runs_every_id_exactly_once(tmp_path):
    out = tmp_path / "killed"
    args = ["sweep", "--evaluator", "fatal_remedies.analysis.toys:SlowToy", *P3, "--samples", "32",
            "--reps", "2", "--seed", "5", "--workers", "2", "--batch-size", "4", "--out", out]
    _kill_part_way(args, out, min_parts=6)
    before = part_ids(out)
    n_runs = 32 * 8 * 2
    assert 0 < len(before) < n_runs and len(before) == len(set(before))
    r = cli("sweep", "--resume", "--workers", "2", "--out", out)
    assert r.returncode == 0, r.stderr
    assert f"ran {n_runs - len(before)} now" in r.stdout
    ids = part_ids(out)
    assert sorted(ids) == list(range(n_runs))  # nothing lost, nothing run twice
    # same outcomes as an uninterrupted sweep of the same function
    spec = SweepSpec(resolve_factors(P3[1].split(",")), method="sobol", samples=32, reps=2,
                     seed=5, evaluator="fatal_remedies.analysis.toys:RegistryToy", over_time=["y:sum"])
    with cf.ThreadPoolExecutor(2) as ex:
        run_sweep(tmp_path / "whole", spec, executor=ex, progress=False)
    a = read_parts(tmp_path / "whole").drop(columns=["seconds"])
    b = read_parts(out).drop(columns=["seconds"])
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_sigkill_then_resume_with_the_model(tmp_path):
    out = tmp_path / "killed"
    common = ["--scenario", "control", "--method", "lhs", "--samples", "48", "--reps", "2",
              "--params", "fraud_base_rate,record_error_rate,initial_trust", "--clients", "400",
              "--months", "36", "--seed", "3", "--batch-size", "3", "--workers", "2"]
    _kill_part_way(["sweep", *common, "--out", out], out, min_parts=4)
    before = part_ids(out)
    assert 0 < len(before) < 96
    r = cli("sweep", "--resume", "--out", out)
    assert r.returncode == 0, r.stderr
    r = cli("sweep", *common, "--out", tmp_path / "whole")
    assert r.returncode == 0, r.stderr
    assert sorted(part_ids(out)) == list(range(96))
    a = read_parts(tmp_path / "whole").drop(columns=["seconds"])
    b = read_parts(out).drop(columns=["seconds"])
    pd.testing.assert_frame_equal(a, b)


# ----------------------------------------------------------------- the model, end to end


def test_model_sweep_analyze_discover_end_to_end(tmp_path):
    out = tmp_path / "s"
    r = cli("sweep", "--scenario", "control", "--method", "sobol", "--samples", "4",
            "--params", "fraud_base_rate,record_error_rate,initial_trust", "--reps", "2",
            "--clients", "150", "--months", "24", "--workers", "2", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "64 runs in the sweep" in r.stdout
    df = read_parts(out)
    assert len(df) == 64 and df.error.isna().all(), df.error.dropna().head()
    from fatal_remedies.analysis.summary import SUMMARY_METRICS

    for metric in SUMMARY_METRICS:
        assert metric in df.columns
    assert "wrongful_sanctions_sum_y02" in df.columns and "mean_trust_last_y01" in df.columns
    r = cli("analyze", out, "--outcome", "final_mean_trust", "--outcome",
            "wrongful_sanctions_total", "--resamples", "20")
    assert r.returncode == 0, r.stderr
    assert "final_mean_trust: Sobol total index ST" in r.stdout
    adir = out / "analysis"
    t = pd.read_csv(adir / "sobol_indices.csv")
    assert set(t.outcome) == {"final_mean_trust", "wrongful_sanctions_total"}
    assert set(t.parameter) == {"fraud_base_rate", "record_error_rate", "initial_trust"}
    noise = pd.read_csv(adir / "noise.csv")
    assert noise.noise_share.between(0, 1).all()
    ot = pd.read_csv(adir / "over_time_wrongful_sanctions_sum.csv")
    assert set(ot.year) == {1, 2}
    for png in ("sobol_final_mean_trust.png", "sobol_convergence_final_mean_trust.png",
                "over_time_wrongful_sanctions_sum.png"):
        assert (adir / "plots" / png).stat().st_size > 5000
    med = df.groupby("sample").final_mean_trust.mean().median()
    r = cli("discover", out, "--outcome", "final_mean_trust", "--where", f"> {med}")
    assert r.returncode == 0, r.stderr
    assert "coverage" in r.stdout and "density" in r.stdout
    assert list((out / "discovery").glob("prim_tradeoff_*.png"))
