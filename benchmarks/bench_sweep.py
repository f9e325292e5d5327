"""Benchmark of the sweep runner: runs per second, local and Dask scaling.

The issue's target: a Sobol sweep of 10 parameters, N = 256, 1 replicate,
2,000 clients, 120 months (N(2D+2) = 5,632 runs) within 10 minutes on a
2-core machine, and a Dask cluster of k local workers giving at least 0.8·k
of one worker's throughput for k = 1, 2.

    python benchmarks/bench_sweep.py                # measure on a slice, extrapolate
    python benchmarks/bench_sweep.py --full         # also run the whole 5,632-run sweep
    python benchmarks/bench_sweep.py --runs 20 --clients 500 --months 60   # quick look
    python benchmarks/bench_sweep.py --bare-only --base /work/wt-base --repeats 5   # per-run cost, old vs new

Each measurement runs the first --runs runs of the same Sobol design through
`run_sweep` (wall clock, including starting the worker processes), compared
with the bare model called in a loop in this process (wall clock and CPU
seconds: on a shared machine the CPU time is the steadier figure). Where the
sweep supports paired runs (`SweepSpec(versus=...)`), it also times a paired
sweep (`--versus`, default service) on a local pool of 2: each run is then a
pair of model runs.

`--base CHECKOUT` times the bare evaluator of another checkout (with its own
`.venv`, started in it) against this one's, alternating `--repeats` times in
fresh processes, and prints the median CPU seconds per run and their ratio
(issue 11 item 5 asks for twice the throughput at 2,000 people x 120 months).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fatal_remedies.analysis.executors import local_pool
from fatal_remedies.analysis.localdask import local_cluster
from fatal_remedies.analysis.sweep import (
    ModelEvaluator,
    SweepSpec,
    make_design,
    point_values,
    resolve_factors,
    run_sweep,
)
from fatal_remedies.model.scenario import load_scenario
from fatal_remedies.model.seeds import replicate_seed

try:
    from fatal_remedies.analysis.optimize import DEFAULT_UNCERTAINTIES
except ImportError:  # an older checkout timed by --base: its child is given --params explicitly
    DEFAULT_UNCERTAINTIES = ()
TEN = ",".join(DEFAULT_UNCERTAINTIES)
"""The ten uncertainties of docs/SWEEPS.md's reference sweeps, also optimize's default sample."""


def _warm(_):
    import fatal_remedies.analysis.summary  # noqa: F401
    import fatal_remedies.model.run  # noqa: F401

    time.sleep(0.2)  # so that each worker process gets one warm-up task
    return os.getpid()


def measure(spec, scen, runs, tmp: Path, label: str, **kw) -> float:
    out = tmp / label
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    res = run_sweep(out, spec, scenario_obj=scen, progress=False, max_runs=runs, **kw)
    dt = time.perf_counter() - t0
    assert res.ran == runs and res.failed == 0, res
    return runs / dt


def bare_cpu(args, n_runs: int) -> dict:
    """CPU and wall seconds per run of the sweep's evaluator called in a loop (after a warm-up run)."""
    factors = resolve_factors(args.params.split(","))
    spec = SweepSpec(factors, method="sobol", samples=256, reps=1, seed=1, scenario=args.scenario,
                     clients=args.clients, months=args.months,
                     over_time=["wrongful_sanctions:sum", "mean_trust:last"])
    ev = ModelEvaluator(load_scenario(args.scenario), args.clients, args.months, spec.over_time)
    design = make_design(spec)
    seed = replicate_seed(1, 0)
    ev(point_values(factors, design[0]), seed)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n_runs):
        ev(point_values(factors, design[i]), seed)
    return {"cpu_s": (time.process_time() - c0) / n_runs, "wall_s": (time.perf_counter() - t0) / n_runs}


def compare_bare(args) -> None:
    """This checkout's evaluator against --base's, alternating, in fresh one-thread processes."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sides = (("base", os.path.join(args.base, ".venv", "bin", "python"), args.base), ("new", sys.executable, here))
    if not os.path.exists(sides[0][1]):
        sys.exit(f"error: no interpreter at {sides[0][1]}")
    n_runs = max(4, args.runs // 4)
    cmd = [os.path.abspath(__file__), "--bare-child", str(n_runs), "--clients", str(args.clients),
           "--months", str(args.months), "--scenario", args.scenario, "--params", args.params]
    cpu: dict[str, list[float]] = {"base": [], "new": []}
    for _ in range(args.repeats):
        for label, python, cwd in sides:
            r = subprocess.run([python, *cmd], capture_output=True, text=True, env=env, cwd=cwd, check=True)
            cpu[label].append(json.loads(r.stdout.strip().splitlines()[-1])["cpu_s"])
    b, w = statistics.median(cpu["base"]), statistics.median(cpu["new"])
    print(f"bare evaluator, {args.scenario}, {args.clients} clients x {args.months} months, one thread, "
          f"median of {args.repeats} alternating repeats of {n_runs} runs (CPU s per run):")
    print(f"  base {os.path.abspath(args.base)}: {b:.3f}   new {here}: {w:.3f}   throughput x{b / w:.2f}")


def supports_paired() -> bool:
    """Whether this checkout's sweeps can run paired (control and service at the same seeds)."""
    return "versus" in {f.name for f in dataclasses.fields(SweepSpec)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40, help="runs per measurement")
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--scenario", default="control")
    ap.add_argument("--params", default=TEN, help="the 10 swept parameters")
    ap.add_argument("--full", action="store_true", help="also run the full 5,632-run sweep")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--versus", default="service", help="second scenario of the paired measurement")
    ap.add_argument("--bare-only", action="store_true", help="only the bare evaluator (no pools, no Dask)")
    ap.add_argument("--base", help="another checkout (with its .venv): time its bare evaluator against this one's")
    ap.add_argument("--repeats", type=int, default=3, help="alternating repeats with --base")
    ap.add_argument("--bare-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.bare_child:
        print(json.dumps(bare_cpu(args, args.bare_child)))
        return
    if args.base:
        compare_bare(args)
        return

    names = args.params.split(",")
    factors = resolve_factors(names)
    spec = SweepSpec(factors, method="sobol", samples=256, reps=1, seed=1,
                     scenario=args.scenario, clients=args.clients, months=args.months,
                     over_time=["wrongful_sanctions:sum", "mean_trust:last"])
    scen = load_scenario(args.scenario)
    total = spec.n_points() * spec.reps
    print(f"Sobol sweep: {len(factors)} parameters, N=256, R=1 -> {total} runs of "
          f"{args.clients} clients x {args.months} months ({args.scenario}); "
          f"{os.cpu_count()} cores; load average before: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")

    # bare model, serial, in this process
    ev = ModelEvaluator(scen, args.clients, args.months, spec.over_time)
    design = make_design(spec)
    seed = replicate_seed(1, 0)
    ev(point_values(factors, design[0]), seed)  # warm-up (imports, caches)
    n_bare = max(4, args.runs // 4)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n_bare):
        ev(point_values(factors, design[i]), seed)
    bare = n_bare / (time.perf_counter() - t0)
    cpu = (time.process_time() - c0) / n_bare
    print(f"bare model, serial: {bare:.2f} runs/s ({1 / bare:.3f} s per run, {cpu:.3f} CPU s per run, "
          f"{n_bare} runs)")
    if args.bare_only:
        return

    rows = []
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        for k in (1, 2):
            t0 = time.perf_counter()
            ex = local_pool(k)  # the sweep's own kind of pool, started here to time it
            list(ex.map(_warm, range(k)))  # start the processes and import the model
            startup = time.perf_counter() - t0
            try:
                r = measure(spec, scen, args.runs, tmp, f"local{k}", executor=ex, workers=k)
            finally:
                ex.shutdown()
            print(f"local pool of {k}: {startup:.1f} s to start (once per sweep)")
            rows.append(("local processes", k, r))
        if not args.no_dask:
            from distributed import Client

            for k in (1, 2):
                with local_cluster(k, tmp / f"dask{k}") as address:
                    with Client(address, timeout="30s") as c:
                        # import the model on the workers first: the measurement is
                        # throughput, as on a long sweep
                        c.run(lambda: __import__("fatal_remedies.model.run") and __import__("fatal_remedies.analysis.summary"))
                    r = measure(spec, scen, args.runs, tmp, f"dask{k}", scheduler=address)
                rows.append(("dask workers", k, r))
        if supports_paired():
            paired = dataclasses.replace(spec, versus=args.versus)
            ex = local_pool(2)
            list(ex.map(_warm, range(2)))
            try:
                t0 = time.perf_counter()
                res = run_sweep(tmp / "paired2", paired, scenario_obj=scen, progress=False, max_runs=args.runs,
                                executor=ex, workers=2)
                dt = time.perf_counter() - t0
                r = res.ran / dt
                print(f"paired ({args.scenario} and {args.versus}), local pool of 2: {res.ran} sample runs "
                      f"({res.failed} failed) in {dt:.1f} s = {r:.2f} pairs/s ({2 * r:.2f} model runs/s); "
                      f"the paired sweep of {total} pairs est. {total / r / 60:.1f} min")
            except Exception as exc:  # noqa: BLE001 - a figure we could not take, said in one line
                print(f"paired measurement failed: {type(exc).__name__}: {exc}")
            finally:
                ex.shutdown()
        else:
            print("paired sweeps (SweepSpec(versus=...)) are not in this checkout: not measured")
        full_s = None
        if args.full:
            shutil.rmtree(tmp / "full", ignore_errors=True)
            t0 = time.perf_counter()
            res = run_sweep(tmp / "full", spec, scenario_obj=scen, workers=2, progress=True)
            full_s = time.perf_counter() - t0
            print(f"full sweep: {res.ran} runs ({res.failed} failed) in {full_s:.0f} s = "
                  f"{res.ran / full_s:.2f} runs/s")

    print()
    print(f"{'executor':<16} {'k':>2} {'runs/s':>8} {'vs k=1':>7} {'target':>7} "
          f"{'vs k x bare':>11} {'full sweep (est.)':>18}")
    base = {}
    for name, k, r in rows:
        base.setdefault(name, r)
        scale = r / base[name]
        est = total / r
        print(f"{name:<16} {k:>2} {r:>8.2f} {scale:>7.2f} {0.8 * k:>7.1f} "
              f"{r / (k * bare):>11.2f} {est / 60:>14.1f} min")
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          "(other processes on the machine slow every figure down)")
    best = max(r for _, _, r in rows)
    print()
    print(f"estimated full sweep at the best rate: {total / best / 60:.1f} min "
          f"(target 10 min needs {total / 600:.1f} runs/s)")
    if full_s is not None:
        print(f"measured full sweep: {full_s / 60:.1f} min")


if __name__ == "__main__":
    main()
