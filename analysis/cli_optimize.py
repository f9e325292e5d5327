"""`fatal-remedies optimize`: the robust policy search's command (see analysis/optimize.py).

Registered on the app by `fatal_remedies.cli`. Every option is checked, and a
Dask scheduler address reached, before anything is written or run: bad input
gets one line and exit code 2, and leaves no directory behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .optimize import (
    DEFAULTS,
    MAX_EVALUATIONS,
    MAX_OBJECTIVES,
    MAX_POPULATION,
    MAX_REPS,
    MAX_RUNS,
    MAX_UNCERTAINTY_SAMPLES,
    ROBUSTNESS,
)


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [n.strip() for n in text.split(",") if n.strip()]


def register(app: typer.Typer) -> None:
    @app.command("optimize")
    def optimize_cmd(
        out: Annotated[Path, typer.Option("--out", help="Directory for the result (manifest.json, "
                                          "pareto.csv, convergence.csv, plots/, state/).")],
        scenario: Annotated[Optional[str], typer.Option(
            "--scenario", help="Scenario the policies start from (name or TOML path) "
            "[default: baseline].")] = None,
        levers: Annotated[Optional[str], typer.Option(
            "--levers", metavar="NAME,NAME...", help="Policy levers to search (registry levers, "
            "see `fatal-remedies params`); their bounds come from the registry; they are pinned "
            "in every run, so the municipality does not undo them.")] = None,
        objectives: Annotated[Optional[str], typer.Option(
            "--objectives", metavar="METRIC:min,METRIC:max...", help="Run metrics to minimise or "
            f"maximise, 1 to {MAX_OBJECTIVES} (e.g. wrongful_sanctions_total:min,"
            "full_cost_eur_total:min,reintegrated_total:max).")] = None,
        robustness: Annotated[Optional[str], typer.Option(
            "--robustness", help=f"{', '.join(ROBUSTNESS)}: mean over the uncertainty sample, its "
            "90th percentile in the bad direction, or the largest regret against the best policy "
            f"evaluated at each point [default: {DEFAULTS['robustness']}].")] = None,
        uncertainty_samples: Annotated[Optional[int], typer.Option(
            "--uncertainty-samples", "-K", help="K: points of a Latin hypercube over the "
            f"uncertainties, the same for every policy; 1 to {MAX_UNCERTAINTY_SAMPLES:,} "
            f"[default: {DEFAULTS['uncertainty_samples']}].")] = None,
        uncertainties: Annotated[Optional[str], typer.Option(
            "--uncertainties", metavar="NAME,NAME...", help="Uncertainties the sample varies "
            "[default: the ten of the sweep benchmark, minus any searched lever].")] = None,
        reps: Annotated[Optional[int], typer.Option(
            "--reps", "-R", help=f"Replicate seeds per point, the same for every policy; 1 to "
            f"{MAX_REPS:,} [default: {DEFAULTS['reps']}].")] = None,
        evaluations: Annotated[Optional[int], typer.Option(
            "--evaluations", "-E", help="Policies to evaluate (generations = E // population); "
            f"at most {MAX_EVALUATIONS:,}, and E x K x R at most {MAX_RUNS:,} model runs "
            f"[default: {DEFAULTS['evaluations']}].")] = None,
        population: Annotated[Optional[int], typer.Option(
            "--population", help=f"Policies per generation, 4 to {MAX_POPULATION:,} "
            f"[default: {DEFAULTS['population']}].")] = None,
        clients: Annotated[Optional[int], typer.Option(
            "--clients", help=f"People per simulated population [default: {DEFAULTS['clients']}].")
        ] = None,
        months: Annotated[Optional[int], typer.Option(
            "--months", help=f"Months per run [default: {DEFAULTS['months']}].")] = None,
        seed: Annotated[Optional[int], typer.Option(
            "--seed", help="Master seed of the uncertainty sample, the replicate seeds and the "
            f"optimiser [default: {DEFAULTS['seed']}].")] = None,
        workers: Annotated[Optional[int], typer.Option(
            "--workers", "-w", help="Local worker processes: 0 = all cores, 1 = in this process, "
            "at most 8 per core [default: all cores].")] = None,
        scheduler: Annotated[Optional[str], typer.Option(
            "--scheduler", metavar="tcp://HOST:PORT", help="Run on this Dask scheduler's workers "
            "instead of local processes.")] = None,
        resume: Annotated[bool, typer.Option(
            "--resume", help="Continue the run in --out from its last generation; runs already "
            "done come from its cache.")] = False,
        evaluator: Annotated[Optional[str], typer.Option(
            "--evaluator", hidden=True, help="module:factory of a test evaluator instead of the "
            "model.")] = None,
    ) -> None:
        """Robust many-objective search over policy levers (pymoo NSGA-II/III), resumable."""
        from .executors import check_workers
        from .optimize import OptimizeError, OptimizeSpec, build_manifest, load_manifest, run_optimize

        if workers is not None:
            workers = check_workers(workers)
        if out.exists() and not out.is_dir():
            raise OptimizeError(f"--out '{out}' is a file, not a directory")
        given = {"scenario": scenario, "robustness": robustness,
                 "uncertainty_samples": uncertainty_samples, "reps": reps,
                 "evaluations": evaluations, "population": population, "clients": clients,
                 "months": months, "seed": seed}
        if resume:
            m = load_manifest(out)
            for key, val in given.items():
                if val is not None and val != m[key]:
                    raise OptimizeError(f"'{out}' holds a run with --{key.replace('_', '-')} "
                                        f"{m[key]}, not {val}; omit the option to resume it")
            if levers is not None and _names(levers) != [lv["name"] for lv in m["levers"]]:
                raise OptimizeError(f"'{out}' holds a run of other levers; omit --levers to resume")
            if objectives is not None and _names(objectives) != [
                    f"{o['metric']}:{o['sense']}" for o in m["objectives"]]:
                raise OptimizeError(f"'{out}' holds a run of other objectives; omit --objectives "
                                    "to resume")
            if uncertainties is not None and _names(uncertainties) != m["uncertainties"]:
                raise OptimizeError(f"'{out}' holds a run of other uncertainties; omit "
                                    "--uncertainties to resume")
            spec = None
        else:
            if (out / "manifest.json").exists() or (out / "state").exists():
                raise OptimizeError(f"'{out}' already holds an optimize run; add --resume to "
                                    "continue it or choose another --out")
            if not levers:
                raise OptimizeError("--levers is required, e.g. --levers information_burden,"
                                    "investigation_capacity")
            if not objectives:
                raise OptimizeError("--objectives is required, e.g. --objectives "
                                    "wrongful_sanctions_total:min,full_cost_eur_total:min")
            v = {k: (given[k] if given[k] is not None else DEFAULTS.get(k, "baseline"))
                 for k in given}
            spec = OptimizeSpec(scenario=v["scenario"], levers=_names(levers),
                                objectives=_names(objectives), robustness=v["robustness"],
                                uncertainty_samples=v["uncertainty_samples"],
                                uncertainties=_names(uncertainties), reps=v["reps"],
                                evaluations=v["evaluations"], population=v["population"],
                                clients=v["clients"], months=v["months"], seed=v["seed"],
                                evaluator=evaluator or "model")
            man, _ = build_manifest(spec)  # every check, before anything is written
            for w in man["warnings"]:
                typer.echo(f"warning: {w}", err=True)
        if scheduler:
            from .executors import check_scheduler

            check_scheduler(scheduler)
        try:
            result = run_optimize(out, spec, resume=resume, workers=workers, scheduler=scheduler,
                                  progress=True)
        except KeyboardInterrupt:
            typer.echo(f"interrupted: continue with `fatal-remedies optimize --out {out} --resume`",
                       err=True)
            raise typer.Exit(130) from None
        typer.echo(result.line())
        typer.echo(f"Pareto front: {out / 'pareto.csv'}; plots: {out / 'plots'}")
