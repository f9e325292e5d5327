"""`fatal-remedies optimize`: the robust policy search (analysis/optimize.py).

What a user relies on: the search finds a known Pareto front (ZDT1, by
inverted generational distance); `pareto.csv` holds no dominated row; a run
killed with SIGKILL and resumed gives the bytes of an uninterrupted run and
runs every evaluation once, and leaves no worker process behind; the
robustness statistics mean what the docs say; bad input gets one line and
exit 2 and writes nothing; the real model runs with its levers pinned.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fatal_remedies.analysis.optimize import (
    OptimizeSpec,
    evaluations_run,
    load_result,
    robust,
    run_optimize,
)
from tests.proctools import HAVE_PROC, alive, children

EXE = shutil.which("fatal-remedies", path=str(Path(sys.executable).parent)) or "fatal-remedies"
ZDT1 = "fatal_remedies.analysis.optimize_toys:ZDT1"
SLOW = "fatal_remedies.analysis.optimize_toys:SlowZDT1"


def _dominated_rows(F: np.ndarray) -> list[int]:
    """Rows of F (minimisation) that another row dominates (checked by brute force)."""
    out = []
    for i in range(len(F)):
        others = np.delete(F, i, axis=0)
        if ((others <= F[i]).all(axis=1) & (others < F[i]).any(axis=1)).any():
            out.append(i)
    return out


# ----------------------------------------------------------------- ZDT1: the known front


def test_zdt1_front_is_found_and_holds_no_dominated_row(tmp_path):
    from pymoo.indicators.igd import IGD
    from pymoo.problems import get_problem

    spec = OptimizeSpec(scenario="baseline", levers=[f"x{i}" for i in range(1, 11)],
                        objectives=["f1:min", "f2:min"], uncertainty_samples=1, reps=1,
                        evaluations=3000, population=40, seed=3, evaluator=ZDT1)
    run_optimize(tmp_path / "z", spec, workers=1, progress=False)
    res = load_result(tmp_path / "z")
    F = res.pareto[["f1", "f2"]].to_numpy()
    igd = IGD(get_problem("zdt1").pareto_front())(F)
    assert igd <= 0.05, igd
    assert len(F) >= 20 and _dominated_rows(F) == []
    # the contract's columns and the manifest's record of the run
    assert list(res.pareto.columns) == (["policy"] + [f"x{i}" for i in range(1, 11)]
                                        + ["f1", "f2", "robustness", "seeds", "scenario"])
    m = res.manifest
    assert m["kind"] == "optimize" and m["evaluations"] == 3000 and len(m["seeds"]) == 1
    assert res.pareto["seeds"].iloc[0] == str(m["seeds"][0])
    # the archive only grows: its front's hypervolume never falls
    conv = res.convergence
    assert list(conv.columns) == ["evaluations", "generation", "hypervolume", "n_nondominated"]
    assert len(conv) == 75 and conv["evaluations"].iloc[-1] == 3000
    assert (np.diff(conv["hypervolume"]) >= -1e-12).all() and conv["hypervolume"].iloc[-1] > 1.0
    assert (tmp_path / "z" / "plots" / "pareto.png").stat().st_size > 5000
    assert (tmp_path / "z" / "plots" / "convergence.png").stat().st_size > 5000


def test_many_objectives_use_nsga3_and_resume_to_the_same_bytes(tmp_path):
    spec = OptimizeSpec(scenario="baseline", levers=[f"x{i}" for i in range(1, 9)],
                        objectives=["f1:min", "f2:min", "f3:min", "f4:min"], uncertainty_samples=1,
                        reps=1, evaluations=600, population=40, seed=5,
                        evaluator="fatal_remedies.analysis.optimize_toys:DTLZ2")
    run_optimize(tmp_path / "a", spec, workers=1, progress=False)
    run_optimize(tmp_path / "b", spec, workers=1, progress=False, max_generations=4)
    run_optimize(tmp_path / "b", resume=True, workers=1, progress=False)
    a = load_result(tmp_path / "a")
    assert a.manifest["algorithm"].startswith("pymoo NSGA-III")
    for name in ("pareto.csv", "convergence.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    F = a.pareto[["f1", "f2", "f3", "f4"]].to_numpy()
    assert _dominated_rows(F) == []
    # near the front: the sum of squares is close to 1 (it starts far above, with g > 0)
    assert np.median((F**2).sum(axis=1)) < 1.5


def test_robustness_statistics():
    man = {"robustness": "mean", "objectives": [{"sense": "min"}, {"sense": "max"}]}
    # 3 policies x 10 uncertainty points x 2 objectives
    k = np.arange(10, dtype=float)
    V = np.stack([np.stack([k + i, 10 * k - i], axis=1) for i in range(3)])
    assert np.allclose(robust(man, V), [[4.5 + i, 45 - i] for i in range(3)])
    man["robustness"] = "p90"  # the bad direction: 90th percentile of a min, 10th of a max
    assert np.allclose(robust(man, V)[0], [np.percentile(k, 90), np.percentile(10 * k, 10)])
    man["robustness"] = "regret"  # against the best policy at each point
    assert np.allclose(robust(man, V), [[0, 0], [1, 1], [2, 2]])
    assert np.allclose(robust(man, V[2:], V), [[2, 2]])


# ----------------------------------------------------------------- kill -9 and resume


@pytest.mark.skipif(not HAVE_PROC, reason="needs Linux /proc")
def test_sigkill_then_resume_gives_the_uninterrupted_result(tmp_path):
    common = ["--levers", "x1,x2,x3,x4,x5", "--objectives", "f1:min,f2:min", "-K", "2", "-R", "2",
              "-E", "96", "--population", "8", "--seed", "11", "--evaluator", SLOW]
    out = tmp_path / "killed"
    proc = subprocess.Popen([EXE, "optimize", *common, "--workers", "2", "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    cache = out / "state" / "evals.jsonl"
    workers: list[int] = []
    try:
        t0 = time.time()
        while time.time() - t0 < 120:
            workers = children(proc.pid) or workers
            if cache.exists() and cache.read_bytes().count(b"\n") >= 100:
                break
            if proc.poll() is not None:
                pytest.fail("the run finished before it could be killed")
            time.sleep(0.02)
        else:
            pytest.fail("no runs were cached")
        workers = children(proc.pid) or workers
        os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers must go by themselves
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert workers, "the run started no worker process"
    time.sleep(5)
    assert [p for p in workers if alive(p)] == []
    assert not (out / "pareto.csv").exists() or len(load_result(out).convergence) < 12
    lines_before = cache.read_bytes().count(b"\n")

    r = subprocess.run([EXE, "optimize", "--resume", "--workers", "2", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    ran_now, from_cache = map(int, re.search(r"(\d+) run now, (\d+) from the cache", r.stdout).groups())
    assert 0 < ran_now < 96 * 4 and ran_now + lines_before <= 96 * 4
    whole = tmp_path / "whole"
    spec = OptimizeSpec(scenario="baseline", levers=["x1", "x2", "x3", "x4", "x5"],
                        objectives=["f1:min", "f2:min"], uncertainty_samples=2, reps=2,
                        evaluations=96, population=8, seed=11, evaluator=SLOW)
    run_optimize(whole, spec, workers=1, progress=False)
    for name in ("pareto.csv", "convergence.csv"):
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name
    lines, keys = evaluations_run(out)
    n_policies = int(load_result(out).convergence["evaluations"].iloc[-1])
    assert lines == keys == n_policies * 2 * 2  # every (policy, point, replicate) once


# ----------------------------------------------------------------- bad input


BAD = {
    "unknown lever": (["--levers", "informaton_burden"], "did you mean 'information_burden'"),
    "not a lever": (["--levers", "initial_trust"], "not a policy lever"),
    "bad sense": (["--objectives", "wrongful_sanctions_total:least"], "METRIC:min or METRIC:max"),
    "unknown metric": (["--objectives", "wrongful_total:min"], "unknown metric"),
    "monthly column": (["--objectives", "wrongful_sanctions:min"], "not a figure per run"),
    "robustness": (["--robustness", "worst"], "--robustness must be one of"),
    "K zero": (["-K", "0"], "--uncertainty-samples must be an integer"),
    "too many runs": (["-K", "10000", "-R", "1000", "-E", "1000"], "at most 10,000,000"),
    "E below population": (["-E", "3", "--population", "4"], "--evaluations must be"),
    "uncertainty not one": (["--uncertainties", "information_burden,outreach",
                             "--levers", "transparency"], "not an uncertainty"),
    "scenario": (["--scenario", "utopia"], "unknown scenario 'utopia'"),
    "seed": (["--seed", "-1"], "--seed must be a non-negative integer"),
    "workers": (["--workers", "-3"], "--workers"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_one_line_exit_2_nothing_written(case, tmp_path, capsys):
    from fatal_remedies.cli import main

    extra, message = BAD[case]
    args = {"--levers": "information_burden", "--objectives": "wrongful_sanctions_total:min"}
    for flag, val in zip(extra[::2], extra[1::2]):
        args[flag] = val
    out = tmp_path / "o"
    argv = ["optimize", *[x for kv in args.items() for x in kv], "--out", str(out)]
    with pytest.raises(SystemExit) as e:
        main(argv)
    err = capsys.readouterr().err.strip()
    assert e.value.code == 2 and message in err and len(err.splitlines()) == 1, err
    assert not out.exists()


def test_resume_and_new_run_refuse_the_wrong_directory(tmp_path, capsys):
    from fatal_remedies.cli import main

    with pytest.raises(SystemExit) as e:
        main(["optimize", "--resume", "--out", str(tmp_path / "none")])
    assert e.value.code == 2 and "holds no optimize result" in capsys.readouterr().err
    (tmp_path / "used" / "state").mkdir(parents=True)
    with pytest.raises(SystemExit) as e:
        main(["optimize", "--levers", "outreach", "--objectives", "gave_up_total:min",
              "--out", str(tmp_path / "used")])
    assert e.value.code == 2 and "already holds" in capsys.readouterr().err


# ----------------------------------------------------------------- the real model


def test_tiny_model_run_pins_the_levers(tmp_path, capsys):
    from fatal_remedies.analysis.optimize import _point, levers_of
    from fatal_remedies.model.run import simulate

    out = tmp_path / "m"
    spec = OptimizeSpec(scenario="control", levers=["information_burden", "sanction_regime"],
                        objectives=["wrongful_sanctions_total:min", "full_cost_eur_total:min"],
                        uncertainty_samples=2, reps=1, evaluations=8, population=4,
                        clients=200, months=24, seed=2)
    run_optimize(out, spec, workers=1, progress=False)
    res = load_result(out)
    m = res.manifest
    assert [lv["name"] for lv in m["levers"]] == ["information_burden", "sanction_regime"]
    assert m["levers"][1]["choices"] == ["all_or_nothing", "proportional"]
    assert m["uncertainties"] == ["fraud_base_rate", "record_error_rate",
                                  "investigation_false_finding", "initial_trust",
                                  "trust_loss_wrongful", "trust_loss_investigation",
                                  "report_skill", "burden_reporting_effect", "life_event_rate",
                                  "deterrence"]
    p = res.pareto
    assert len(p) >= 1 and set(p["sanction_regime"]) <= {"all_or_nothing", "proportional"}
    assert ((p["information_burden"] >= 0) & (p["information_burden"] <= 1)).all()
    assert _dominated_rows(p[["wrongful_sanctions_total", "full_cost_eur_total"]].to_numpy()) == []
    # the cache holds the model's figures; full cost = net cost + benefits not taken up
    rec = json.loads((out / "state" / "evals.jsonl").read_text().splitlines()[0])
    o = rec["out"]
    assert o["full_cost_eur_total"] == pytest.approx(o["net_cost_eur_total"]
                                                     + o["benefits_not_taken_eur_total"])
    # the control scenario's dashboard would move the burden; the searched value holds all run
    point = _point(m, levers_of(m), tuple(rec["x"]), rec["k"])
    frame = simulate("control", 200, 24, m["seeds"][rec["r"]], overrides=point)
    assert (frame["information_burden"] == point["information_burden"]).all()
    assert frame.attrs["manifest"]["scenario"]["params"]["sanction_regime"] == point["sanction_regime"]
    assert pd.read_csv(out / "convergence.csv")["evaluations"].tolist() == [4, 8]


def test_dask_scheduler_gives_the_local_result(tmp_path):
    from fatal_remedies.analysis.localdask import local_cluster

    spec = OptimizeSpec(scenario="baseline", levers=["x1", "x2", "x3", "x4", "x5"],
                        objectives=["f1:min", "f2:min"], uncertainty_samples=2, reps=2,
                        evaluations=48, population=8, seed=11, evaluator=ZDT1,
                        evaluator_kwargs={"n": 5})
    with local_cluster(2, tmp_path) as address:
        run_optimize(tmp_path / "dask", spec, scheduler=address, progress=False)
    run_optimize(tmp_path / "local", spec, workers=1, progress=False)
    for name in ("pareto.csv", "convergence.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_a_sense_against_the_registry_is_allowed_with_a_warning():
    from fatal_remedies.analysis.optimize import parse_objectives

    objs, warnings = parse_objectives(["gave_up_total:max", "reintegrated_total:max"])
    assert [o.sense for o in objs] == ["max", "max"]
    assert warnings == ["objective gave_up_total:max goes against the registry, which says lower "
                        "is better"]
