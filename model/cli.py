"""The `fatal-remedies` command line.

Every command checks all of its input before it runs anything or writes a
file; bad input gets one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import params as P
from .errors import UserError

app = typer.Typer(
    name="fatal-remedies",
    help="Simulate control-oriented versus service-oriented social-benefit administration "
    "(after Van Zoonen 2019, 'Opnieuw fatale remedies').",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

SetOpt = Annotated[
    Optional[list[str]],
    typer.Option("--set", metavar="NAME=VALUE",
                 help="Set a parameter for the whole run (repeatable); see `params`."),
]
ClientsOpt = Annotated[int, typer.Option("--clients", help="People in the population.")]
MonthsOpt = Annotated[int, typer.Option("--months", help="Months to simulate.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed; same seed, same result.")]


def _console(stderr: bool = False):
    from rich.console import Console

    tty = (sys.stderr if stderr else sys.stdout).isatty()
    return Console(stderr=stderr, width=None if tty else 200, soft_wrap=not tty)


def _overrides(sets: list[str] | None) -> dict:
    out = {}
    for text in sets or []:
        name, value = P.parse_assignment(text)
        out[name] = value
    return out


def _progress(total: int, label: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="month" if "run" in label else "run",
                file=sys.stderr, disable=None, leave=False, dynamic_ncols=True)


@app.command()
def scenarios() -> None:
    """List the built-in scenarios with a one-line description."""
    from .scenario import list_scenarios

    items = list_scenarios()
    width = max(len(n) for n, _ in items)
    for name, desc in items:
        typer.echo(f"{name:<{width}}  {desc}")


@app.command()
def params(
    scenario: Annotated[Optional[str], typer.Option("--scenario", help="Show values in this scenario (name or TOML path).")] = None,
) -> None:
    """Every parameter: value, bounds, unit, kind (lever/uncertainty/run) and meaning."""
    from rich.table import Table

    from .scenario import load_scenario

    values = load_scenario(scenario).params if scenario else P.defaults()
    table = Table(title=f"Parameters ({scenario or 'registry defaults'})", show_lines=False)
    for col in ("name", "value", "allowed", "unit", "kind", "meaning"):
        table.add_column(col, overflow="fold")
    for p in P.REGISTRY.values():
        value = p.default if p.kind == P.RUN else values[p.name]
        table.add_row(p.name, _fmt_value(value), p.allowed(), p.unit, p.kind, p.meaning)
    _console().print(table)


def _fmt_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or path to a TOML file.")],
    clients: ClientsOpt = 10_000,
    months: MonthsOpt = 120,
    seed: SeedOpt = 0,
    set_: SetOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the monthly rows to FILE.csv or FILE.parquet.")] = None,
) -> None:
    """Run one scenario: one row of metrics per month (to --out), a summary on screen."""
    from analysis.summary import RUN_METRICS, run_metrics

    from .run import check_out_path, check_size, resolve, simulate, write_frame

    sc = resolve(scenario, _overrides(set_))
    clients, months = check_size(clients, months)
    if out is not None:
        check_out_path(out, (".csv", ".parquet"))
    bar = _progress(months, f"run {sc.name}")
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
    _console().print(table)


def _fmt_num(x: float) -> str:
    if x != x:  # NaN
        return "n/a"
    if abs(x) >= 1e5:
        return f"{x:,.0f}"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"
    return f"{x:.3f}"


@app.command()
def compare(
    scenario_names: Annotated[list[str], typer.Argument(metavar="SCENARIO SCENARIO...", help="Two or more scenario names or TOML paths.")],
    reps: Annotated[int, typer.Option("--reps", help="Replications per scenario (same seeds for all).")] = 10,
    clients: ClientsOpt = 10_000,
    months: MonthsOpt = 120,
    seed: SeedOpt = 0,
    set_: SetOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write tidy rows (scenario, metric, mean, ci_low, ci_high, reps) to FILE.csv.")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Local worker processes (default: all cores).")] = 0,
) -> None:
    """Compare scenarios over R replications with common random numbers."""
    import os

    from analysis.compare import replicate_seeds, run_replications
    from analysis.summary import RUN_METRICS, compare_frames, paired_differences

    from .run import check_out_path, check_size, manifest, resolve, write_frame

    if len(scenario_names) < 2:
        raise UserError("compare needs at least two scenarios, e.g. `compare control service`")
    if reps < 1 or reps > 10_000:
        raise UserError(f"--reps must be an integer from 1 to 10000, got {reps}")
    if workers < 0:
        raise UserError(f"--workers must be 0 (all cores) or more, got {workers}")
    overrides = _overrides(set_)
    resolved = [resolve(s, overrides) for s in scenario_names]
    clients, months = check_size(clients, months)
    if out is not None:
        check_out_path(out, (".csv", ".parquet"))
    total = len(resolved) * reps
    bar = _progress(total, "compare")
    try:
        runs = run_replications(resolved, reps, clients, months, seed,
                                workers=workers or os.cpu_count(), on_done=bar.update)
    finally:
        bar.close()
    tidy = compare_frames(runs)
    diffs = paired_differences(runs)
    if out is not None:
        man = manifest(resolved[0], clients, months, seed,
                       scenarios=[s.to_dict() for s in resolved], reps=reps,
                       replicate_seeds=replicate_seeds(seed, reps))
        man.pop("scenario")
        written = write_frame(tidy, out, man)
        typer.echo("wrote " + ", ".join(str(p) for p in written), err=True)
    _print_comparison(tidy, diffs, list(runs), clients, months, reps, seed, RUN_METRICS)


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
    _console().print(table)


def _fmt_ci(mean: float, lo: float, hi: float) -> str:
    if lo != lo:
        return _fmt_num(mean)
    return f"{_fmt_num(mean)} [{_fmt_num(lo)}, {_fmt_num(hi)}]"


def _register_extensions() -> None:
    """Add the commands of analysis/ (sweeps, validation) and viz/ (the app), where present."""
    for module in ("analysis.cli", "analysis.validate_cli", "viz.cli"):
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module).register(app)


_register_extensions()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _exit(message: str, code: int) -> None:
    print(f"fatal-remedies: {message}", file=sys.stderr)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, turning user errors into one line and exit 2."""
    from typer import Abort

    try:  # typer >= 0.20 vendors click; older typer uses click itself
        from typer._click.exceptions import ClickException, UsageError
    except ImportError:  # pragma: no cover
        from click.exceptions import ClickException, UsageError

    try:
        rv = app(args=argv, standalone_mode=False, prog_name="fatal-remedies")
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
            print(exc.ctx.get_help())
            sys.exit(0)
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        _exit(f"error: {_one_line(exc.format_message())}{hint}", 2)
    except (Abort, KeyboardInterrupt):
        _exit("interrupted", 130)
    except ClickException as exc:
        _exit(f"error: {_one_line(exc.format_message())}", 2)
    except (UserError, OSError) as exc:
        _exit(f"error: {_one_line(exc)}", 2)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
