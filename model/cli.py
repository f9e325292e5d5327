"""CLI commands of the model room: `scenarios` and `params`, and the helpers
every command shares (the `--set` parser, option types, console, progress bar).

The commands are registered on the one Typer app of `fatal_remedies.cli` by
`register(app)`; this module imports nothing from `analysis` or `viz`.
Every command checks all of its input before it runs anything or writes a
file; bad input gets one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from . import params as P

SetOpt = Annotated[
    Optional[list[str]],
    typer.Option("--set", metavar="NAME=VALUE",
                 help="Set a parameter for the whole run (repeatable); see `params`."),
]
ClientsOpt = Annotated[int, typer.Option("--clients", help="People in the population.")]
MonthsOpt = Annotated[int, typer.Option("--months", help="Months to simulate.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed, a whole number from 0; same "
                                                     "seed, same result.")]


def scenario_help(what: str) -> str:
    """Help of a SCENARIO argument, with the limits `load_scenario` checks before any run."""
    from .scenario import MAX_CHANGES, MAX_EXTENDS_DEPTH, MAX_SCENARIO_BYTES

    return (f"{what} Built-in name or path to a TOML file (at most {MAX_SCENARIO_BYTES / 2**20:g} "
            f"MiB, {MAX_CHANGES:,} timed changes, {MAX_EXTENDS_DEPTH} scenarios in a chain of "
            "extends; a relative extends is read from the file's folder).")


def console(stderr: bool = False):
    """A rich console: full width on a terminal, 200 columns and no wrapping into a pipe."""
    from rich.console import Console

    tty = (sys.stderr if stderr else sys.stdout).isatty()
    return Console(stderr=stderr, width=None if tty else 200, soft_wrap=not tty)


def overrides(sets: list[str] | None) -> dict:
    """`--set NAME=VALUE` options as a {name: value} dict, each checked against the registry."""
    out = {}
    for text in sets or []:
        name, value = P.parse_assignment(text)
        out[name] = value
    return out


def progress(total: int, label: str):
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="month" if "run" in label else "run",
                file=sys.stderr, disable=None, leave=False, dynamic_ncols=True)


def register(app: typer.Typer) -> None:
    """Add the `scenarios` and `params` commands to `app`."""

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
            table.add_row(p.name, P.format_value(value), p.allowed(), p.unit, p.kind, p.meaning)
        console().print(table)
