"""Paired sweeps (`sweep --scenario control --versus service`): issue 11 items 1 and 2.

What a user relies on: both scenarios of a pair get the same seed; the difference is
versus minus scenario per run; a lever cannot be swept; the verdict's share and
interval are right on a function whose answer is known, and count only independent
points; a paired sweep killed with SIGKILL resumes to the same rows as an
uninterrupted one; PRIM finds where the verdict flips.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from scipy.stats import binomtest

from fatal_remedies.analysis import storage, toys
from fatal_remedies.analysis.discover import discover
from fatal_remedies.analysis.evaluators import build_evaluator
from fatal_remedies.analysis.sensitivity import analyze, load_sweep, verdict_table
from fatal_remedies.analysis.sweep import SweepError, SweepSpec, read_parts, resolve_factors, run_sweep

EXE = shutil.which("fatal-remedies", path=str(Path(sys.executable).parent)) or "fatal-remedies"
NAMES = ("fraud_base_rate", "record_error_rate", "initial_trust")  # uncertainties
TOY = "fatal_remedies.analysis.toys:PairedToy"


def paired_spec(method="lhs", samples=200, reps=2, seed=3, **kw) -> SweepSpec:
    return SweepSpec(resolve_factors(NAMES), method=method, samples=samples, reps=reps,
                     seed=seed, scenario="control", versus="service", evaluator=TOY,
                     over_time=[], **kw)


def sweep(tmp_path, name="s", **kw) -> Path:
    out = tmp_path / name
    with cf.ThreadPoolExecutor(2) as ex:
        run_sweep(out, paired_spec(**kw), executor=ex, progress=False)
    return out


def cli(*args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def u0(sw) -> np.ndarray:
    """Position of the first swept parameter in its bounds, per sample point."""
    f = sw.factors[0]
    return (sw.design[:, 0] - f.lo) / (f.hi - f.lo)


# ----------------------------------------------------------------- runs and storage


def test_pairs_share_their_seed_and_diff_is_versus_minus_scenario(tmp_path):
    out = sweep(tmp_path, samples=30)
    rows = read_parts(out)
    assert len(rows) == 60 and rows["error"].isna().all()
    # both runs of every pair were given the replicate's seed
    assert (rows["seen_seed"] == rows["seed"]).all()
    assert (rows["vs__seen_seed"] == rows["seed"]).all()
    sw = load_sweep(out)
    assert "diff_wrongful_sanctions_total" in sw.outcomes
    assert "vs__wrongful_sanctions_total" in sw.outcomes
    r = sw.runs
    for m in ("wrongful_sanctions_total", "final_mean_trust", "gave_up_total"):
        np.testing.assert_array_equal(r[f"diff_{m}"], r[f"vs__{m}"] - r[m])
    # same seed, same noise: the toy's difference is exact (it would be noisy otherwise)
    f = sw.factors[0]
    pos = (r["fraud_base_rate"] - f.lo) / (f.hi - f.lo)
    np.testing.assert_allclose(r["diff_wrongful_sanctions_total"], 4 * (pos - 0.7), atol=1e-12)
    m = json.loads((out / "manifest.json").read_text())
    assert m["versus"] == "service" and m["n_model_runs"] == 2 * m["n_runs"]


def test_model_pair_is_the_two_runs_with_one_seed(tmp_path):
    """With the model: a pair's two outcome sets are the two scenarios simulated alone at
    that point with the replicate's seed."""
    from fatal_remedies.analysis.summary import summarize
    from fatal_remedies.model.run import simulate
    from fatal_remedies.model.scenario import load_scenario

    spec = SweepSpec(resolve_factors(NAMES), method="lhs", samples=2, reps=1, seed=2,
                     scenario="control", versus="service", clients=60, months=6, over_time=[])
    with cf.ThreadPoolExecutor(1) as ex:
        run_sweep(tmp_path / "m", spec, executor=ex, progress=False)
    row = read_parts(tmp_path / "m").iloc[1]
    point = {n: row[n] for n in NAMES}
    for name, prefix in (("control", ""), ("service", "vs__")):
        want = summarize(simulate(load_scenario(name), 60, 6, int(row["seed"]), overrides=point))
        for k in ("wrongful_sanctions_total", "final_mean_trust", "admin_cost_eur_total"):
            assert row[prefix + k] == pytest.approx(want[k], rel=1e-12, abs=1e-12), (name, k)
    # the paired evaluator travels to worker processes and Dask workers
    ev = build_evaluator(json.loads((tmp_path / "m" / "manifest.json").read_text()))
    assert pickle.loads(pickle.dumps(ev)).names == ("control", "service")


def test_fingerprint_covers_versus_and_single_sweeps_keep_theirs():
    m = storage.new_manifest(paired_spec(samples=8))
    other = dict(m, versus="datameent")
    assert storage.fingerprint(m) != storage.fingerprint(other)
    single = {k: v for k, v in m.items() if k not in storage.PAIRED_KEYS}
    assert storage.fingerprint(single) == storage.fingerprint(dict(single, versus=None))


# ----------------------------------------------------------------- refusals


def test_lever_in_params_refused_one_line_exit_2(tmp_path):
    r = cli("sweep", "--scenario", "control", "--versus", "service", "--params",
            "fraud_base_rate,investigation_capacity", "--method", "lhs", "--samples", "8",
            "--out", tmp_path / "x")
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "investigation_capacity is a lever" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x").exists()
    with pytest.raises(SweepError, match="varies uncertainties only"):
        SweepSpec(resolve_factors(["fraud_base_rate", "investigation_capacity"]),
                  versus="service").check()
    with pytest.raises(SweepError, match="own scenario"):
        SweepSpec(resolve_factors(NAMES), scenario="control", versus="control").check()


# ----------------------------------------------------------------- the verdict


def test_verdict_share_and_interval_on_a_known_answer(tmp_path):
    """LHS puts one point in each of N strata of u0, so exactly 70% of the points have
    u0 < 0.7, where the toy's versus is better on wrongful sanctions (lower); 75% have
    u1 > 0.25 (trust, higher); gave_up is a tie below u0 = 0.5 and worse above."""
    out = sweep(tmp_path, samples=200)
    rep = analyze(out, ["pawn"], ["diff_wrongful_sanctions_total"], [], plots=False)
    v = pd.read_csv(out / "analysis" / "verdict.csv").set_index("metric")
    assert list(pd.read_csv(out / "analysis" / "verdict.csv").columns) == [
        "outcome", "metric", "better", "scenario", "versus", "n_points", "n_tied",
        "share_better", "ci_low", "ci_high", "mean_diff", "unit"]
    assert "fraud_flags_total" not in v.index  # no better direction: no verdict
    w = v.loc["wrongful_sanctions_total"]
    assert (w.outcome, w.better, w.scenario, w.versus, w.n_points) == (
        "diff_wrongful_sanctions_total", "lower", "control", "service", 200)
    assert w.share_better == pytest.approx(toys.PAIRED_SHARES["wrongful_sanctions_total"])
    ci = binomtest(140, 200).proportion_ci(0.95, method="wilson")
    assert (w.ci_low, w.ci_high) == pytest.approx((ci.low, ci.high))
    assert w.ci_low < 0.7 < w.ci_high and w.ci_high - w.ci_low < 0.15
    assert v.loc["final_mean_trust", "share_better"] == pytest.approx(0.75)
    assert v.loc["final_mean_trust", "better"] == "higher"
    assert v.loc["gave_up_total", "share_better"] == 0  # ties count as not better
    assert v.loc["gave_up_total", "n_tied"] == 100 and w.n_tied == 0
    line = next(x for x in rep.summary_lines if "wrongful sanctions" in x)
    assert line.startswith("service better than control on wrongful sanctions in 70% of the "
                           "uncertainty space (95% CI 63–76%")
    tie = next(x for x in rep.summary_lines if " gave up " in x)
    assert "100 tied points (no difference) counted as not better" in tie


def test_verdict_counts_only_independent_points(tmp_path):
    """Sobol: the A and B rows only (2N of N(2D+2)); Morris: one point per trajectory."""
    out = sweep(tmp_path, method="sobol", samples=16, reps=1)
    sw = load_sweep(out)
    t = verdict_table(sw)
    assert set(t["n_points"]) == {2 * 16}  # not 16 * 8 = 128: AB/BA rows reuse A's and B's
    # reintegration: versus better where u0 > u1; an AB row pairs A's u0 with B's u1
    w = t.set_index("metric").loc["reintegrated_total"]
    f1 = sw.factors[1]
    u1 = (sw.design[:, 1] - f1.lo) / (f1.hi - f1.lo)
    step = 2 * 3 + 2
    ab = np.sort(np.r_[np.arange(0, 128, step), np.arange(step - 1, 128, step)])
    assert w.share_better == pytest.approx(np.mean(u0(sw)[ab] > u1[ab]))
    assert w.share_better != pytest.approx(np.mean(u0(sw) > u1))  # all rows: another share
    out = sweep(tmp_path, "m", method="morris", samples=8, reps=1)
    t = verdict_table(load_sweep(out))
    assert set(t["n_points"]) == {8}


def test_failed_pair_names_the_scenario_and_is_left_out(tmp_path):
    out = sweep(tmp_path, samples=40, reps=1,
                evaluator_kwargs={"fail_versus_above": 0.8})
    rows = read_parts(out)
    bad = rows[rows["error"].notna()]
    assert len(bad) == 8  # u0 > 0.8: 8 of 40 LHS strata
    assert bad["error"].str.startswith("versus scenario 'service' raised ValueError").all()
    assert bad["wrongful_sanctions_total"].isna().all()  # a pair fails as a whole
    t = verdict_table(load_sweep(out))
    assert set(t["n_points"]) == {32}


# ----------------------------------------------------------------- where it flips


def test_discover_on_a_difference_finds_where_versus_stops_beating(tmp_path):
    out = sweep(tmp_path, samples=200)
    res = discover(out, "diff_wrongful_sanctions_total", "> 0", plots=False)
    assert res.cases == 60
    lim = {r["parameter"]: r for r in res.boxes[0]["limits"]}
    f = load_sweep(out).factors[0]
    assert set(lim) == {"fraud_base_rate"}
    assert lim["fraud_base_rate"]["lo"] == pytest.approx(f.lo + 0.7 * (f.hi - f.lo),
                                                         rel=0.02)
    assert (out / "discovery" / "prim_boxes_diff_wrongful_sanctions_total_gt_0.csv").is_file()


# ----------------------------------------------------------------- kill -9, resume, Dask


def part_ids(out: Path) -> list[int]:
    return [i for p in (out / "parts").glob("part-*.parquet")
            for i in pq.read_table(p).column("run_id").to_pylist()]


def test_sigkill_paired_sweep_then_resume(tmp_path):
    out = tmp_path / "killed"
    args = ["sweep", "--evaluator", "fatal_remedies.analysis.toys:SlowPairedToy",
            "--scenario", "control", "--versus", "service", "--params", ",".join(NAMES),
            "--method", "lhs", "--samples", "150", "--reps", "2", "--seed", "5",
            "--workers", "2", "--batch-size", "4", "--out", out]
    proc = subprocess.Popen([EXE, *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        t0 = time.time()
        while len(list((out / "parts").glob("part-*.parquet")) if (out / "parts").exists()
                   else []) < 6:
            assert proc.poll() is None, "the sweep finished before it could be killed"
            assert time.time() - t0 < 120, "no part files appeared"
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its worker processes
        proc.wait(timeout=30)
    before = part_ids(out)
    assert 0 < len(before) < 300 and len(before) == len(set(before))
    r = cli("sweep", "--resume", "--versus", "datameent", "--out", out)
    assert r.returncode == 2 and "--versus service, not --versus datameent" in r.stderr
    r = cli("sweep", "--resume", "--versus", "service", "--workers", "2", "--out", out)
    assert r.returncode == 0, r.stderr
    assert f"ran {300 - len(before)} pairs ({2 * (300 - len(before))} model runs) now" in r.stdout
    assert sorted(part_ids(out)) == list(range(300))  # every pair once
    whole = tmp_path / "whole"
    with cf.ThreadPoolExecutor(2) as ex:
        run_sweep(whole, SweepSpec(resolve_factors(NAMES), method="lhs", samples=150, reps=2,
                                   seed=5, scenario="control", versus="service",
                                   evaluator="fatal_remedies.analysis.toys:SlowPairedToy",
                                   over_time=["y:sum"]), executor=ex, progress=False)
    pd.testing.assert_frame_equal(read_parts(whole).drop(columns="seconds"),
                                  read_parts(out).drop(columns="seconds"))


def test_paired_sweep_on_dask_is_the_local_one(tmp_path):
    from fatal_remedies.analysis.localdask import local_cluster

    local = sweep(tmp_path, "local", samples=20)
    with local_cluster(2, tmp_path / "dask-cluster") as address:
        run_sweep(tmp_path / "dask", paired_spec(samples=20), scheduler=address,
                  progress=False)
    pd.testing.assert_frame_equal(read_parts(local).drop(columns="seconds"),
                                  read_parts(tmp_path / "dask").drop(columns="seconds"))


def test_part_led_by_a_failed_run_keeps_the_others_outcomes(tmp_path):
    """pyarrow takes a table's columns from its first row: a batch whose first run failed
    must still store the outcomes of the runs after it (single sweeps too)."""
    rows = [{"run_id": 0, "sample": 0, "rep": 0, "seed": 1, "x": 1.0, "error": "boom",
             "seconds": 0.1},
            {"run_id": 1, "sample": 0, "rep": 1, "seed": 2, "x": 1.0, "y": 5.0, "error": None,
             "seconds": 0.1}]
    (tmp_path / "parts").mkdir()
    storage.write_part(tmp_path / "parts", rows, "fp")
    df = read_parts(tmp_path)
    assert df.loc[df.run_id == 1, "y"].item() == 5.0 and np.isnan(df.loc[0, "y"])
