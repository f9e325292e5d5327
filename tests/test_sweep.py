"""Sweep pipeline through the Python API: design, runner, storage, indices, discovery.

Toy evaluators (analysis/toys.py) keep these fast; the model itself is swept
in test_sweep_cli.py.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import math

import numpy as np
import pandas as pd
import pytest

from fatal_remedies.analysis import toys
from fatal_remedies.analysis.discover import discover, parse_where
from fatal_remedies.analysis.sensitivity import analyze, load_sweep
from fatal_remedies.analysis.sweep import (
    Factor,
    SweepError,
    SweepSpec,
    make_design,
    read_parts,
    resolve_factors,
    run_sweep,
    status,
)
from fatal_remedies.model import params as P
from fatal_remedies.model.errors import UserError
from fatal_remedies.model.seeds import replicate_seeds

PI = math.pi


def ishigami_factors(extra: int = 1) -> list[Factor]:
    return [Factor(f"x{i}", -PI, PI) for i in range(1, 4 + extra)]


def toy_spec(method="lhs", samples=64, reps=2, names=("hourly_cost_eur", "share_carer",
                                                       "network_degree"), evaluator="RegistryToy",
             **kw) -> SweepSpec:
    return SweepSpec(resolve_factors(list(names)), method=method, samples=samples, reps=reps,
                     seed=kw.pop("seed", 7), evaluator=f"fatal_remedies.analysis.toys:{evaluator}",
                     over_time=["y:sum"], **kw)


def threads():
    return cf.ThreadPoolExecutor(2)


# ----------------------------------------------------------------- factors and design


def test_default_factors_come_from_the_registry():
    fs = resolve_factors()
    assert [f.name for f in fs] == [p.name for p in P.numeric_uncertainties()]
    for f in fs:
        p = P.get(f.name)
        assert (f.lo, f.hi) == tuple(p.sweep_bounds)
        assert f.integer == (p.type == "int")


def test_bounds_can_narrow_and_widen_within_hard_limits():
    fs = resolve_factors(["share_carer", "network_degree"],
                         ["share_carer=0:1", "network_degree=3:20"])
    assert (fs[0].lo, fs[0].hi) == (0.0, 1.0)  # wider than the sweep default, = hard limits
    assert (fs[1].lo, fs[1].hi) == (3, 20) and fs[1].integer


@pytest.mark.parametrize("names,bounds,fragment", [
    (["share_carer", "no_such_param"], None, "unknown parameter 'no_such_param'"),
    (["share_carer", "initial_trust"], ["share_carer=0:1.5"], "within the registry's limits"),
    (["share_carer", "initial_trust"], ["share_carer=-0.1:0.5"], "within the registry's limits"),
    (["share_carer", "initial_trust"], ["share_carer=0.5:0.2"], "LO must be below HI"),
    (["share_carer", "network_degree"], ["network_degree=2.5:8"], "must be integers"),
    (["share_carer", "initial_trust"], ["zrm_noise=0.1:0.2"], "not swept"),
    (["share_carer", "initial_trust"], ["share_carer:0.1"], "NAME=LO:HI"),
    (["share_carer", "random_audits"], None, "only numeric parameters"),
    (["share_carer", "months"], None, "run setting"),
    (["share_carer"], None, "at least 2 parameters"),
])
def test_bad_factor_input_is_a_one_line_user_error(names, bounds, fragment):
    with pytest.raises(UserError) as exc:
        resolve_factors(names, bounds)
    assert fragment in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize("n", [3, 6, 100, 1])
def test_sobol_needs_a_power_of_two(n):
    with pytest.raises(SweepError, match="power of two"):
        toy_spec("sobol", n).check()


def test_design_sizes_and_integer_parameters_stay_integers():
    spec = toy_spec("sobol", 8)
    d = len(spec.factors)
    assert make_design(spec).shape == (8 * (2 * d + 2), d) == (spec.n_points(), d)
    assert toy_spec("morris", 5).n_points() == 5 * (d + 1)
    assert len(make_design(toy_spec("morris", 5))) == 5 * (d + 1)
    grid = toy_spec("grid", 3)
    assert grid.n_points() == len(make_design(grid)) == 27
    fac = spec.factors[2]
    values = {fac.value(x) for x in make_design(toy_spec("lhs", 400))[:, 2]}
    assert values == set(range(4, 13))  # every integer of the sweep bounds 4..12, only those
    assert all(isinstance(v, int) for v in values)


def test_common_random_numbers_same_seed_per_replicate_at_every_point(tmp_path):
    spec = toy_spec("lhs", 20, reps=3)
    with threads() as ex:
        run_sweep(tmp_path, spec, executor=ex, progress=False)
    df = read_parts(tmp_path)
    seeds = replicate_seeds(7, 3)
    assert len(set(seeds)) == 3
    assert (df.groupby("rep")["seed"].nunique() == 1).all()
    assert [int(df[df.rep == r].seed.iloc[0]) for r in range(3)] == seeds
    assert sorted(df.run_id) == list(range(60))
    assert (df.run_id == df["sample"] * 3 + df.rep).all()
    man = json.loads((tmp_path / "manifest.json").read_text())
    for key in ("package_version", "method", "samples", "reps", "seeds", "factors", "scenario_name"):
        assert key in man
    assert man["seeds"] == seeds


# ----------------------------------------------------------------- runner: failures, resume


def test_a_raising_run_is_recorded_and_the_sweep_finishes(tmp_path):
    spec = toy_spec("sobol", 32, reps=2, evaluator="FailingToy")
    # FailingToy raises when hourly_cost_eur > 120, in a real process pool
    res = run_sweep(tmp_path, spec, workers=2, batch_size=37, progress=False)
    df = read_parts(tmp_path)
    assert len(df) == spec.n_points() * 2 == res.n_runs
    bad = df[df.error.notna()]
    assert len(bad) == res.failed > 0
    assert (bad.hourly_cost_eur > 120).all() and (df[df.error.isna()].hourly_cost_eur <= 120).all()
    assert bad.error.str.contains("ValueError: injected failure").all()
    assert bad.y.isna().all()
    assert status(tmp_path) == {"n_runs": res.n_runs, "done": res.n_runs,
                                "failed": res.failed, "missing": 0}
    # Sobol refuses with a clear message and lists the missing points
    with pytest.raises(SweepError, match="refusing Sobol indices") as exc:
        analyze(tmp_path, plots=False)
    assert "\n" not in str(exc.value)
    miss = pd.read_csv(tmp_path / "analysis" / "missing.csv")
    assert set(miss.run_id) == set(bad.run_id) and (miss.status == "failed").all()
    # PAWN/delta use the points that are there
    rep = analyze(tmp_path, ["pawn", "delta"], plots=False, num_resamples=10)
    assert set(rep.tables["delta"].outcome) == {"y", "z"}
    assert any("failed" in n for n in rep.notes)


def test_resume_runs_only_what_is_missing(tmp_path):
    spec = toy_spec("lhs", 40, reps=2)
    full = tmp_path / "full"
    part = tmp_path / "part"
    with threads() as ex:
        run_sweep(full, spec, executor=ex, batch_size=6, progress=False)
        first = run_sweep(part, spec, executor=ex, batch_size=6, progress=False, max_runs=31)
        assert first.ran == 31
        (part / "parts" / ".part-000000099-dead.parquet.tmp").write_bytes(b"half a file")
        with pytest.raises(SweepError, match="already holds a sweep"):
            run_sweep(part, spec, executor=ex, progress=False)
        second = run_sweep(part, resume=True, executor=ex, batch_size=6, progress=False)
        assert second.ran == 80 - 31 and second.skipped == 31
        third = run_sweep(part, resume=True, executor=ex, progress=False)
        assert third.ran == 0
    a, b = read_parts(full), read_parts(part)
    assert not list((part / "parts").glob("*.tmp"))
    import pyarrow.parquet as pq
    ids = np.concatenate([pq.read_table(p).column("run_id").to_numpy()
                          for p in (part / "parts").glob("part-*.parquet")])
    assert sorted(ids) == list(range(80))  # every run id exactly once on disk
    cols = ["run_id", "sample", "rep", "seed", "y", "z"] + [f.name for f in spec.factors]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_retry_failed_reruns_errors_only(tmp_path):
    spec = toy_spec("lhs", 30, reps=1, evaluator="FailingToy")
    with threads() as ex:
        r1 = run_sweep(tmp_path, spec, executor=ex, progress=False)
        assert r1.failed > 0
        r2 = run_sweep(tmp_path, resume=True, executor=ex, progress=False)
        assert r2.ran == 0
        r3 = run_sweep(tmp_path, resume=True, retry_failed=True, executor=ex, progress=False)
        assert r3.ran == r1.failed
    assert len(read_parts(tmp_path)) == 30


def test_process_pool_matches_threads(tmp_path):
    spec = toy_spec("sobol", 4, reps=2)
    with threads() as ex:
        run_sweep(tmp_path / "a", spec, executor=ex, progress=False)
    run_sweep(tmp_path / "b", spec, workers=2, batch_size=5, progress=False)
    a, b = read_parts(tmp_path / "a"), read_parts(tmp_path / "b")
    pd.testing.assert_frame_equal(a.drop(columns="seconds"), b.drop(columns="seconds"))


# ----------------------------------------------------------------- indices on known functions


def _ishigami_sweep(out, n, reps, noise, seed=3):
    spec = SweepSpec(ishigami_factors(), method="sobol", samples=n, reps=reps, seed=seed,
                     evaluator="fatal_remedies.analysis.toys:Ishigami", evaluator_kwargs={"noise": noise},
                     over_time=[])
    with threads() as ex:
        run_sweep(out, spec, executor=ex, batch_size=4096, progress=False)
    return analyze(out, plots=False).tables


def test_ishigami_indices_within_their_confidence_intervals(tmp_path):
    t = _ishigami_sweep(tmp_path, 1024, 1, 0.0)["sobol"].set_index("parameter")
    truth = toys.ishigami_indices()
    for j, p in enumerate(["x1", "x2", "x3"]):
        for key in ("S1", "ST"):
            est, conf = t.at[p, key], t.at[p, f"{key}_conf"]
            assert abs(est - truth[key][j]) <= conf, (p, key, est, truth[key][j], conf)
    assert t.at["x4", "ST"] == pytest.approx(0, abs=1e-9)
    # and the estimates are informative: the confidence intervals are narrow
    assert (t[["S1_conf", "ST_conf"]] < 0.15).all().all()


def test_replicate_averaging_keeps_a_no_effect_parameter_near_zero(tmp_path):
    noisy1 = _ishigami_sweep(tmp_path / "r1", 256, 1, noise=2.0)
    noisy16 = _ishigami_sweep(tmp_path / "r16", 256, 16, noise=2.0)
    st1 = noisy1["sobol"].set_index("parameter").at["x4", "ST"]
    st16 = noisy16["sobol"].set_index("parameter").at["x4", "ST"]
    assert st1 > 0.1  # one noisy run per point: noise masquerades as an effect of x4
    assert st16 < 0.03  # averaging 16 replicates removes it
    noise = noisy16["noise"].set_index("outcome")
    # noise variance 4 of a total of about 13.8 + 4
    assert noise.at["y", "noise_share"] == pytest.approx(4 / (13.84 + 4), abs=0.05)
    assert noise.at["y", "noise_share_of_means"] < 0.03
    conv = noisy16["sobol_convergence"]
    assert sorted(conv.N.unique()) == [64, 128, 256]


def test_morris_ranks_the_strong_parameter_first(tmp_path):
    spec = toy_spec("morris", 20, reps=2)
    with threads() as ex:
        run_sweep(tmp_path, spec, executor=ex, progress=False)
    rep = analyze(tmp_path, plots=True)
    t = rep.tables["morris"]
    y = t[t.outcome == "y"].set_index("parameter")
    assert y.mu_star.idxmax() == "hourly_cost_eur"
    assert y.at["network_degree", "mu_star"] < y.at["share_carer", "mu_star"]
    assert (tmp_path / "analysis" / "plots" / "morris_y.png").stat().st_size > 5000
    with pytest.raises(SweepError, match="does not fit a morris sweep"):
        analyze(tmp_path, ["sobol"], plots=False)


def test_lhs_pawn_delta_and_indices_over_time(tmp_path):
    spec = toy_spec("lhs", 300, reps=1)
    with threads() as ex:
        run_sweep(tmp_path, spec, executor=ex, progress=False)
    rep = analyze(tmp_path, plots=True, num_resamples=20)
    d = rep.tables["delta"].query("outcome == 'y'").set_index("parameter")
    assert d.delta.idxmax() == "hourly_cost_eur"
    p = rep.tables["pawn"].query("outcome == 'y'").set_index("parameter")
    assert p["median"].idxmax() == "hourly_cost_eur"
    ot = rep.tables["over_time_y_sum"]
    assert sorted(ot.year.unique()) == [1, 2, 3, 4, 5]
    # yearly y = year*u0 + (5-year)*u1: u1 dominates early, u0 late
    by = ot.pivot(index="year", columns="parameter", values="value")
    assert by.at[1, "share_carer"] > by.at[1, "hourly_cost_eur"]
    assert by.at[5, "hourly_cost_eur"] > by.at[5, "share_carer"]
    plots = {f.name for f in (tmp_path / "analysis" / "plots").glob("*.png")}
    assert {"delta_y.png", "pawn_y.png", "over_time_y_sum.png",
            "delta_convergence_y.png"} <= plots
    with pytest.raises(SweepError, match="unknown outcome"):
        analyze(tmp_path, outcomes=["nope"], plots=False)
    with pytest.raises(SweepError, match="does not fit"):
        analyze(tmp_path, ["sobol"], plots=False)


# ----------------------------------------------------------------- discovery


def test_prim_finds_the_box_where_the_outcome_is_high(tmp_path):
    spec = toy_spec("lhs", 400, reps=1)
    with threads() as ex:
        run_sweep(tmp_path, spec, executor=ex, progress=False)
    # y ~ 10*u0 + 2*u1: y > 9 needs hourly_cost_eur in the top of its range
    res = discover(tmp_path, "y", "> 9")
    box = res.boxes[0]
    assert 0 < box["density"] <= 1 and 0.5 <= box["coverage"] <= 1
    lim = {r["parameter"]: r for r in box["limits"]}
    assert "hourly_cost_eur" in lim
    lo, hi = P.get("hourly_cost_eur").sweep_bounds
    assert lim["hourly_cost_eur"]["lo"] > lo + 0.6 * (hi - lo)
    assert box["density"] > res.cases / res.points * 2
    files = {f.name for f in (tmp_path / "discovery").iterdir()}
    assert any(f.startswith("prim_tradeoff") and f.endswith(".png") for f in files)
    # comparing two outcomes (y is always far above z in this toy)
    with pytest.raises(SweepError, match="every sample point has y > z"):
        discover(tmp_path, "y", "> z", plots=False)
    assert discover(tmp_path, "z", "> 0.5", plots=False).cases > 0
    with pytest.raises(SweepError, match="no sample point"):
        discover(tmp_path, "y", "> 1000", plots=False)
    with pytest.raises(SweepError, match="neither a number nor an outcome"):
        discover(tmp_path, "y", "> nothing_like_it", plots=False)


@pytest.mark.parametrize("text", ["9", "=> 3", "", "> "])
def test_where_must_be_op_value(text):
    with pytest.raises(SweepError):
        parse_where(text)


def test_load_sweep_separates_outcomes_from_yearly_values(tmp_path):
    spec = toy_spec("lhs", 10, reps=1)
    with threads() as ex:
        run_sweep(tmp_path, spec, executor=ex, progress=False)
    sw = load_sweep(tmp_path)
    assert sw.outcomes == ["y", "z"]
    assert [y for y, _ in sw.yearly["y:sum"]] == [1, 2, 3, 4, 5]


def test_a_run_that_kills_its_worker_process_is_recorded(tmp_path):
    spec = toy_spec("lhs", 16, reps=1, evaluator="CrashingToy")
    res = run_sweep(tmp_path, spec, workers=2, batch_size=4, progress=False)
    df = read_parts(tmp_path)
    assert sorted(df.run_id) == list(range(16))
    dead = df[df.error.notna()]
    assert len(dead) == res.failed >= 1
    assert (dead.hourly_cost_eur > 140).all() and (df[df.error.isna()].hourly_cost_eur <= 140).all()
    assert dead.error.str.contains("worker process died").all()
