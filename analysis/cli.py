"""CLI commands of analysis/: `run`, `compare`, `sweep`, `analyze`, `discover` (registered on the main app).

Heavy modules (SALib, pyarrow, dask, matplotlib, ema_workbench) are imported
inside the command functions, so `fatal-remedies --help` stays fast. Bad input
raises `UserError` subclasses; the app's main() prints them as one line and
exits with code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from fatal_remedies.model import cli as mcli
from fatal_remedies.model.errors import UserError

from .design import MAX_RUNS  # light (no numpy): the limit stated in the sweep's --help
from .executors import check_workers
from .formatting import number

_DEFAULTS = {"scenario": "baseline", "method": "sobol", "samples": 64, "reps": 2, "seed": 1,
             "clients": 2000, "months": 120}


def _interrupted(out: Path):
    from .sweep import SweepError, read_parts

    try:
        done = len(read_parts(out)) if (out / "manifest.json").exists() else 0
    except SweepError:  # a damaged part: the resume will name it
        done = 0
    typer.echo(f"interrupted: {done} runs are saved in {out}; continue with "
               f"`fatal-remedies sweep --out {out} --resume`", err=True)
    raise typer.Exit(130)


def _fmt_num(x: float) -> str:
    """A figure in the terminal tables (the one formatter's "cli" digits)."""
    return number(x, style="cli")


def _print_comparison(tidy, diffs, names, clients, months, reps, seed, metrics) -> None:
    from rich.table import Table

    table = Table(title=f"{' vs '.join(names)}: {clients:,} people, {months} months, "
                        f"{reps} replications (seeds from {seed}); mean [95% CI]")
    table.add_column("metric")
    for n in names:
        table.add_column(n, justify="right")
    ref = names[0]
    for n in names[1:]:
        table.add_column(f"{n} - {ref}", justify="right")
    cell = {(r.scenario, r.metric): r for r in tidy.itertuples()}
    dcell = {(r.scenario, r.metric): r for r in diffs.itertuples()}
    for metric in metrics:
        row = [metric]
        for n in names:
            r = cell[(n, metric)]
            row.append(_fmt_ci(r.mean, r.ci_low, r.ci_high))
        for n in names[1:]:
            r = dcell[(n, metric)]
            row.append(_fmt_ci(r.difference, r.ci_low, r.ci_high))
        table.add_row(*row)
    con = mcli.console()
    con.print(table)
    con.print("Intervals: 95% Student-t interval of the replicate mean, cut off where the quantity "
              "cannot go (below 0 for counts and amounts, outside 0-1 for shares); differences: "
              "95% Student-t interval of the paired differences.")


def _fmt_ci(mean: float, lo: float, hi: float) -> str:
    if lo != lo:
        return _fmt_num(mean)
    return f"{_fmt_num(mean)} [{_fmt_num(lo)}, {_fmt_num(hi)}]"


def register(app: typer.Typer) -> None:
    """Add the `run`, `compare`, `sweep`, `analyze` and `discover` commands to `app`."""

    @app.command()
    def run(
        scenario: Annotated[str, typer.Argument(help=mcli.scenario_help("The scenario."))],
        clients: mcli.ClientsOpt = 10_000,
        months: mcli.MonthsOpt = 120,
        seed: mcli.SeedOpt = 0,
        set_: mcli.SetOpt = None,
        out: Annotated[Optional[Path], typer.Option("--out", help="Write the monthly rows to FILE.csv or FILE.parquet.")] = None,
    ) -> None:
        """Run one scenario: one row of metrics per month (to --out), a summary on screen."""
        from fatal_remedies.model.files import check_out_path, write_frame
        from fatal_remedies.model.run import check_size, resolve, simulate
        from fatal_remedies.model.seeds import check_seed

        from .summary import RUN_METRICS, run_metrics

        sc = resolve(scenario, mcli.overrides(set_))
        clients, months = check_size(clients, months)
        seed = check_seed(seed)
        if out is not None:
            check_out_path(out, (".csv", ".parquet"), with_manifest=True)
        bar = mcli.progress(months, f"run {sc.name}")
        try:
            frame = simulate(sc, clients=clients, months=months, seed=seed, progress=lambda _m: bar.update())
        finally:
            bar.close()
        if out is not None:
            written = write_frame(frame, out, frame.attrs["manifest"])
            typer.echo("wrote " + ", ".join(str(p) for p in written), err=True)
        summary = run_metrics(frame)
        from rich.table import Table

        man = frame.attrs["manifest"]
        table = Table(title=f"{sc.name}: {clients:,} people, {months} months, seed {seed} "
                            f"(fatal-remedies {man['version']})")
        table.add_column("metric")
        table.add_column("value", justify="right")
        table.add_column("meaning", overflow="fold")
        for key, meaning in RUN_METRICS.items():
            table.add_row(key, _fmt_num(summary[key]), meaning)
        mcli.console().print(table)
        if sc.pinned:
            typer.echo("pinned for the whole run (neither the municipality nor the council changed them): "
                       + ", ".join(sorted(sc.pinned)), err=True)

    @app.command()
    def compare(
        scenario_names: Annotated[list[str], typer.Argument(metavar="SCENARIO SCENARIO...", help=mcli.scenario_help("Two or more scenarios."))],
        reps: Annotated[int, typer.Option("--reps", help="Replications per scenario (same seeds for all).")] = 10,
        clients: mcli.ClientsOpt = 10_000,
        months: mcli.MonthsOpt = 120,
        seed: mcli.SeedOpt = 0,
        set_: mcli.SetOpt = None,
        out: Annotated[Optional[Path], typer.Option("--out", help="Write tidy rows (scenario, metric, mean, ci_low, ci_high, reps) to FILE.csv.")] = None,
        workers: Annotated[int, typer.Option("--workers", help="Local worker processes: 0 = all cores, at most 8 per core.")] = 0,
    ) -> None:
        """Compare scenarios over R replications with common random numbers."""
        from fatal_remedies.model.files import check_out_path, write_frame
        from fatal_remedies.model.run import check_size, manifest, resolve
        from fatal_remedies.model.seeds import replicate_seeds

        from .compare import run_replications
        from .summary import RUN_METRICS, compare_frames, paired_differences

        if len(scenario_names) < 2:
            raise UserError("compare needs at least two scenarios, e.g. `compare control service`")
        if reps < 1 or reps > 10_000:
            raise UserError(f"--reps must be an integer from 1 to 10000, got {reps}")
        workers = check_workers(workers)
        seeds = replicate_seeds(seed, reps)  # checks --seed before any run
        overrides = mcli.overrides(set_)
        resolved = [resolve(s, overrides) for s in scenario_names]
        clients, months = check_size(clients, months)
        if out is not None:
            check_out_path(out, (".csv", ".parquet"), with_manifest=True)
        total = len(resolved) * reps
        bar = mcli.progress(total, "compare")
        try:
            runs = run_replications(resolved, reps, clients, months, seed,
                                    workers=workers, on_done=bar.update)
        finally:
            bar.close()
        tidy = compare_frames(runs)
        diffs = paired_differences(runs)
        if out is not None:
            man = manifest(None, clients, months, seed,
                           scenarios=[s.to_dict() for s in resolved], reps=reps,
                           replicate_seeds=seeds)
            written = write_frame(tidy, out, man)
            typer.echo("wrote " + ", ".join(str(p) for p in written), err=True)
        _print_comparison(tidy, diffs, list(runs), clients, months, reps, seed, RUN_METRICS)


    @app.command("sweep")
    def sweep(
        out: Annotated[Path, typer.Option("--out", help="Directory for the results "
                                          "(manifest.json, design.parquet, parts/*.parquet).")],
        scenario: Annotated[Optional[str], typer.Option(
            "--scenario", help="Scenario the sweep starts from (name or TOML path) "
            "[default: baseline].")] = None,
        versus: Annotated[Optional[str], typer.Option(
            "--versus", help="A paired sweep: run every sample point and replicate under this "
            "scenario too, with the same seeds (name or TOML path). Varies uncertainties only "
            "(a lever in --params is refused); `analyze` adds diff_<metric> outcomes (versus "
            "minus --scenario) and the verdict (analysis/verdict.csv).")] = None,
        method: Annotated[Optional[str], typer.Option(
            "--method", help="Sampling design: sobol, morris, lhs or grid [default: sobol].")] = None,
        samples: Annotated[Optional[int], typer.Option(
            "--samples", "-N", help="N: Sobol base samples (power of two; runs = N(2D+2)), Morris "
            "trajectories (N(D+1)), LHS points (N) or grid levels per parameter (N^D); "
            f"points x --reps at most {MAX_RUNS:,} runs [default: 64].")] = None,
        params: Annotated[Optional[str], typer.Option(
            "--params", metavar="NAME,NAME...", help="Parameters to vary [default: every "
            "numeric uncertainty of the registry; see `fatal-remedies params`].")] = None,
        bounds: Annotated[Optional[list[str]], typer.Option(
            "--bounds", metavar="NAME=LO:HI", help="Replace a parameter's default sweep bounds, "
            "within the registry's hard limits (repeatable).")] = None,
        reps: Annotated[Optional[int], typer.Option(
            "--reps", "-R", help="Replications per sample point, with the same seeds at every "
            f"point; 2 or more also measures model noise; at most {MAX_RUNS:,} runs in all "
            "[default: 2].")] = None,
        clients: Annotated[Optional[int], typer.Option(
            "--clients", help="People in each simulated population [default: 2000].")] = None,
        months: Annotated[Optional[int], typer.Option(
            "--months", help="Months simulated per run [default: 120].")] = None,
        seed: Annotated[Optional[int], typer.Option(
            "--seed", help="Master seed of the design and the replicate seeds [default: 1].")] = None,
        over_time: Annotated[Optional[list[str]], typer.Option(
            "--over-time", metavar="COLUMN[:AGG]", help="Monthly model column to keep per "
            "simulated year (AGG: sum, mean, last, max, min; repeatable) [default: "
            "wrongful_sanctions:sum, fraud_detected:sum, mean_trust:last].")] = None,
        workers: Annotated[Optional[int], typer.Option(
            "--workers", "-w", help="Local worker processes: 0 = all cores, at most 8 per core "
            "[default: all cores].")] = None,
        scheduler: Annotated[Optional[str], typer.Option(
            "--scheduler", metavar="tcp://HOST:PORT", help="Run on this Dask scheduler's "
            "workers instead of local processes.")] = None,
        batch_size: Annotated[Optional[int], typer.Option(
            "--batch-size", help="Runs per task [default: up to 25, a few tasks per worker].")
        ] = None,
        resume: Annotated[bool, typer.Option(
            "--resume", help="Continue the sweep in --out: run only the runs without a result.")
        ] = False,
        retry_failed: Annotated[bool, typer.Option(
            "--retry-failed", help="With --resume: also run again the runs that raised.")] = False,
        evaluator: Annotated[Optional[str], typer.Option(
            "--evaluator", hidden=True, help="module:factory of a test evaluator instead of the "
            "model.")] = None,
    ) -> None:
        """Run a sensitivity sweep (Sobol, Morris, LHS or grid) and stream results to Parquet.

        With --versus, a paired sweep: both scenarios at every point, same seeds.
        """
        from dataclasses import asdict

        from .sweep import SweepError, SweepSpec, load_manifest, resolve_factors, run_sweep

        if workers is not None:
            workers = check_workers(workers)
        if batch_size is not None and batch_size < 1:
            raise SweepError(f"--batch-size must be at least 1, got {batch_size}")
        if retry_failed and not resume:
            raise SweepError("--retry-failed only goes with --resume")
        given = {"scenario": scenario, "method": method, "samples": samples, "reps": reps,
                 "seed": seed, "clients": clients, "months": months}
        if resume:
            m = load_manifest(out)
            if versus is not None and versus != m.get("versus"):
                have = m.get("versus")
                raise SweepError(f"'{out}' holds a " + (f"paired sweep with --versus {have}" if
                                 have else "single-scenario sweep (no --versus)") + f", not "
                                 f"--versus {versus}; omit --versus to resume it, or choose "
                                 "another --out")
            for key, val in given.items():
                have = m["scenario_name"] if key == "scenario" else m[key]
                if val is not None and val != have:
                    raise SweepError(f"'{out}' holds a sweep with --{key} {have}, not {val}; omit "
                                     "the option to resume it, or choose another --out")
            if over_time and list(over_time) != m.get("over_time"):
                raise SweepError(f"'{out}' keeps --over-time {','.join(m.get('over_time', []))}"
                                 "; omit --over-time to resume it")
            if params is not None or bounds:
                names = [f["name"] for f in m["factors"]]
                factors = resolve_factors(params.split(",") if params else names, bounds)
                if [asdict(f) for f in factors] != m["factors"]:
                    raise SweepError(f"'{out}' holds a sweep of other parameters or bounds; omit "
                                     "--params/--bounds to resume it")
            try:
                result = run_sweep(out, resume=True, workers=workers, scheduler=scheduler,
                                   batch_size=batch_size, retry_failed=retry_failed,
                                   progress=True)
            except KeyboardInterrupt:
                _interrupted(out)
        else:
            if (out / "manifest.json").exists():
                raise SweepError(f"'{out}' already holds a sweep; add --resume to continue it or "
                                 "choose another --out")
            v = {k: (given[k] if given[k] is not None else d) for k, d in _DEFAULTS.items()}
            factors = resolve_factors(params.split(",") if params else None, bounds)
            scen = vs_scen = None
            if evaluator is None:
                from fatal_remedies.model.run import check_size
                from fatal_remedies.model.scenario import load_scenario

                check_size(v["clients"], v["months"])
                scen = load_scenario(v["scenario"])
                vs_scen = load_scenario(versus) if versus is not None else None
            spec = SweepSpec(factors, method=v["method"], samples=v["samples"], reps=v["reps"],
                             seed=v["seed"], scenario=v["scenario"], clients=v["clients"],
                             months=v["months"], evaluator=evaluator or "model",
                             versus=versus,
                             over_time=list(over_time) if over_time else
                             (["y:sum"] if evaluator else
                              ["wrongful_sanctions:sum", "fraud_detected:sum",
                               "mean_trust:last"]))
            spec.check()
            if scheduler:  # check the address before writing anything
                from .executors import check_scheduler

                check_scheduler(scheduler)
            try:
                result = run_sweep(out, spec, scenario_obj=scen, versus_obj=vs_scen,
                                   workers=workers,
                                   scheduler=scheduler, batch_size=batch_size, progress=True)
            except KeyboardInterrupt:
                _interrupted(out)
        for note in result.notes:
            typer.echo(f"note: {note}", err=True)
        typer.echo(result.line())
        if result.failed:
            typer.echo(f"{result.failed} runs raised; their errors are in the 'error' column "
                       f"(`fatal-remedies analyze {out}` lists them in analysis/missing.csv)",
                       err=True)

    @app.command("analyze")
    def analyze_cmd(
        directory: Annotated[Path, typer.Argument(help="A sweep directory (from `sweep --out`).")],
        method: Annotated[Optional[list[str]], typer.Option(
            "--method", help="sobol, morris, pawn or delta (repeatable) [default: sobol for a "
            "Sobol sweep, morris for Morris, pawn and delta for LHS and grid].")] = None,
        outcome: Annotated[Optional[list[str]], typer.Option(
            "--outcome", help="Outcome to analyse (repeatable); in a paired sweep also "
            "vs__<metric> (the versus scenario) and diff_<metric> (versus minus scenario) "
            "[default: every summary metric; in a paired sweep see `analyze`'s doc].")
        ] = None,
        over_time: Annotated[Optional[list[str]], typer.Option(
            "--over-time", metavar="COLUMN[:AGG]", help="Yearly metric for indices per simulated "
            "year [default: the first one the sweep kept].")] = None,
        plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write PNG plots.")] = True,
        resamples: Annotated[int, typer.Option(
            "--resamples", help="Bootstrap resamples for confidence intervals.")] = 100,
    ) -> None:
        """Sensitivity indices, model-noise shares and convergence of a sweep (no new runs).

        On a paired sweep (`sweep --versus`) also the indices of each difference
        diff_<metric> (versus minus scenario) and the verdict: one line per metric with a
        better direction, "service better than control on <metric> in X% of the
        uncertainty space (95% CI)", in analysis/verdict.csv.
        """
        from .sensitivity import analyze
        from .sweep import SweepError

        if resamples < 10:
            raise SweepError(f"--resamples must be at least 10, got {resamples}")
        methods = [m.strip() for x in (method or []) for m in x.split(",") if m.strip()]
        outcomes = [o.strip() for x in (outcome or []) for o in x.split(",") if o.strip()]
        rep = analyze(directory, methods or None, outcomes or None, over_time,
                      plots=plots, num_resamples=resamples)
        for line in rep.notes:
            typer.echo(f"note: {line}", err=True)
        for line in rep.summary_lines:
            typer.echo(line)
        typer.echo(f"tables and plots: {directory / 'analysis'} ({len(rep.files)} files)")

    @app.command("discover")
    def discover_cmd(
        directory: Annotated[Path, typer.Argument(help="A sweep directory (from `sweep --out`).")],
        outcome: Annotated[str, typer.Option("--outcome", help="Outcome the condition is on.")],
        where: Annotated[str, typer.Option(
            "--where", help="Condition 'OP VALUE', OP one of > >= < <= == !=, VALUE a number or "
            "another outcome, e.g. '> fraud_detected_total'.")],
        min_coverage: Annotated[float, typer.Option(
            "--min-coverage", help="Pick the densest box with at least this coverage (0-1).")
        ] = 0.5,
        boxes: Annotated[int, typer.Option("--boxes", help="Boxes to find, one after another.")
                         ] = 1,
        mass_min: Annotated[float, typer.Option(
            "--mass-min", help="Smallest share of sample points a box may hold.")] = 0.05,
        plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write PNG plots.")] = True,
    ) -> None:
        """Scenario discovery (PRIM): boxes of parameter space where a condition holds.

        On a paired sweep (`sweep --versus`), `--outcome diff_<metric> --where "> 0"` finds
        where the versus scenario has more of it than the scenario: for a metric where lower
        is better (wrongful sanctions, cost, non-take-up), where versus stops beating the
        scenario; use "< 0" for a metric where higher is better (trust, reintegration).
        """
        from .discover import discover

        res = discover(directory, outcome, where, min_coverage=min_coverage, boxes=boxes,
                       mass_min=mass_min, plots=plots)
        for line in res.notes:
            typer.echo(f"note: {line}", err=True)
        for line in res.lines():
            typer.echo(line)
        typer.echo(f"tables and plots: {directory / 'discovery'}")
