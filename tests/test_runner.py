"""One seed scheme, one runner, one atomic writer (issue 9).

What a user relies on: a replicate of `compare` and the same replicate of a
sweep at the scenario's own values are the same run, and `run --seed <the
manifest's replicate seed>` reproduces it alone; the runner gives the same
results in the same order wherever it runs; a failed write never leaves a
half file.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fatal_remedies.analysis import toys
from fatal_remedies.analysis.compare import run_replications
from fatal_remedies.analysis.runner import Runner, run_tasks
from fatal_remedies.analysis.summary import summarize
from fatal_remedies.analysis.sweep import (
    SweepSpec,
    build_evaluator,
    new_manifest,
    read_parts,
    resolve_factors,
    run_sweep,
)
from fatal_remedies.model.errors import UserError
from fatal_remedies.model.files import atomic_write, read_manifest
from fatal_remedies.model.run import simulate
from fatal_remedies.model.scenario import load_scenario
from fatal_remedies.model.seeds import replicate_seed, replicate_seeds

CLIENTS, MONTHS, MASTER, REPS = 300, 24, 5, 2


# ----------------------------------------------------------------- the seed scheme


def test_replicate_seeds_are_pinned():
    # the sweep's scheme since its first release: reference sweeps keep their seeds
    assert replicate_seeds(0, 3) == [3757552657, 673228719, 3241444873]
    assert replicate_seed(1, 2) == 2749604155
    spawned = np.random.SeedSequence(7).spawn(4)
    assert replicate_seeds(7, 4) == [int(c.generate_state(1, dtype=np.uint32)[0]) for c in spawned]


def test_replicate_seed_does_not_depend_on_how_many_replicates():
    assert replicate_seeds(11, 10)[:3] == replicate_seeds(11, 3)
    assert replicate_seeds(11, 10)[7] == replicate_seed(11, 7)
    assert replicate_seeds(np.int64(11), 2) == replicate_seeds(11, 2)
    assert replicate_seeds(3, 0) == []


@pytest.mark.parametrize("master,r", [(-1, 0), (1.5, 0), ("3", 0), (True, 0), (None, 0), (3, -1)])
def test_replicate_seed_refuses_bad_input_in_one_line(master, r):
    with pytest.raises(UserError) as exc:
        replicate_seed(master, r)
    assert "non-negative integer" in str(exc.value) and "\n" not in str(exc.value)
    with pytest.raises(UserError):
        replicate_seeds(master if r == 0 else 3, 2 if r == 0 else -1)


# ----------------------------------------------------------------- compare = sweep = run


@pytest.fixture(scope="module")
def compared():
    return run_replications(["control", "service"], REPS, CLIENTS, MONTHS, seed=MASTER, workers=1)


def test_sweep_at_the_scenarios_own_values_equals_compare(compared, tmp_path):
    sc = load_scenario("control")
    own = {n: sc.params[n] for n in ("fraud_base_rate", "network_degree")}
    spec = SweepSpec(resolve_factors(list(own)), method="lhs", samples=4, reps=REPS, seed=MASTER,
                     scenario="control", clients=CLIENTS, months=MONTHS, over_time=[])
    man = new_manifest(spec, sc)
    assert man["seeds"] == replicate_seeds(MASTER, REPS)
    ev = build_evaluator(man)
    for r in range(REPS):
        want = {k: float(v) for k, v in summarize(compared["control"][r]).items()}
        np.testing.assert_equal(ev(dict(own), man["seeds"][r]), want)  # NaN equals NaN here
        np.testing.assert_equal(ev({}, man["seeds"][r]), want)

    # and a real sweep whose grid's first point is the scenario's own values
    hi = {"fraud_base_rate": 0.003, "network_degree": 8}
    grid = SweepSpec(resolve_factors(list(own), {n: (v, hi[n]) for n, v in own.items()}),
                     method="grid", samples=2, reps=REPS, seed=MASTER, scenario="control",
                     clients=CLIENTS, months=MONTHS, over_time=[])
    run_sweep(tmp_path, grid, scenario_obj=sc, workers=1, progress=False)
    rows = read_parts(tmp_path).set_index("run_id")
    for r in range(REPS):
        row = rows.loc[0 * REPS + r]  # sample 0, replicate r
        assert {n: row[n] for n in own} == own
        want = {k: float(v) for k, v in summarize(compared["control"][r]).items()}
        np.testing.assert_equal({k: float(row[k]) for k in want}, want)


def test_run_with_the_manifests_seed_reproduces_a_compare_replicate(compared, cli, tmp_path):
    out = tmp_path / "cmp.csv"
    r = subprocess.run([*cli, "compare", "control", "service", "--reps", str(REPS), "--clients",
                        str(CLIENTS), "--months", str(MONTHS), "--seed", str(MASTER), "--workers",
                        "1", "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    seeds = read_manifest(out)["replicate_seeds"]
    assert seeds == replicate_seeds(MASTER, REPS)
    for name in ("control", "service"):
        for rep in range(REPS):
            alone = simulate(name, CLIENTS, MONTHS, seed=seeds[rep])
            pd.testing.assert_frame_equal(alone, compared[name][rep])


# ----------------------------------------------------------------- the runner


def _slow_square(i: int, delay: float) -> tuple[int, int]:
    time.sleep(delay)
    return i * i, os.getpid()


def _fails_on_three(i: int) -> int:
    if i == 3:
        raise ValueError(f"task input {i} is bad")
    return i


def test_in_process_and_two_processes_give_the_same_results_in_task_order():
    tasks = [(i, 0.3 if i == 0 else 0.0) for i in range(8)]  # the first finishes last
    calls = []
    inline = run_tasks(_slow_square, tasks, workers=1, on_done=lambda: calls.append(1))
    assert len(calls) == 8 and {pid for _, pid in inline} == {os.getpid()}
    calls.clear()
    pooled = run_tasks(_slow_square, tasks, workers=2, on_done=lambda: calls.append(1))
    assert len(calls) == 8
    assert [v for v, _ in pooled] == [v for v, _ in inline] == [i * i for i in range(8)]
    assert os.getpid() not in {pid for _, pid in pooled}


def test_compare_in_two_processes_equals_in_process(compared):
    pooled = run_replications(["control", "service"], REPS, CLIENTS, MONTHS, seed=MASTER,
                              workers=2)
    assert list(pooled) == ["control", "service"]
    for name in pooled:
        for a, b in zip(pooled[name], compared[name], strict=True):
            pd.testing.assert_frame_equal(a, b)


def test_a_raising_task_stops_the_batch_with_its_own_error():
    with pytest.raises(ValueError, match="task input 3 is bad") as exc:
        run_tasks(_fails_on_three, [(i,) for i in range(6)], workers=2)
    assert any("task 3 of 6" in note for note in exc.value.__notes__)
    # compare: a run's one-line error reaches the user as it is
    with pytest.raises(UserError, match="n_clients"):
        run_replications(["control", "service"], 2, 0, 12, workers=2)


def test_the_stream_yields_errors_without_stopping():
    with Runner(workers=2) as runner:
        outcomes = list(runner.stream(_fails_on_three, [(i,) for i in range(6)]))
    assert sorted(o.index for o in outcomes) == list(range(6))
    bad = [o for o in outcomes if o.error is not None]
    assert [o.index for o in bad] == [3] and isinstance(bad[0].error, ValueError)


def test_a_task_that_kills_its_worker_is_found_and_named():
    ok = {"hourly_cost_eur": 100.0, "share_carer": 0.2}
    deadly = {"hourly_cost_eur": 150.0, "share_carer": 0.2}
    tasks = [(ok, 1), (deadly, 1), (ok, 2), (ok, 3)]
    with pytest.raises(RuntimeError, match="task 1 of 4 .* killed its worker process twice"):
        run_tasks(toys.CrashingToy(), tasks, workers=2)


# ----------------------------------------------------------------- the atomic writer


def _half_then_fail(p: Path) -> None:
    p.write_text("half a fi")
    raise OSError("disk full")


def _half_then_interrupted(p: Path) -> None:
    p.write_bytes(b"PAR1")
    raise KeyboardInterrupt


def test_a_failing_writer_leaves_the_target_unchanged_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old content\n")
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, _half_then_fail)
    assert target.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]

    fresh = tmp_path / "sub" / "new.parquet"
    with pytest.raises(KeyboardInterrupt):
        atomic_write(fresh, _half_then_interrupted)
    assert list((tmp_path / "sub").iterdir()) == []

    atomic_write(target, lambda p: p.write_text("new\n"))
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "sub"]
