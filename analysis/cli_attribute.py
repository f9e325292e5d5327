"""CLI command `attribute`: which lever group carries the difference between two scenarios.

The attribution itself is `analysis.attribute`; this module checks the input,
shows progress, prints the table and writes the CSV, its manifest and the plot
(all three or none). Heavy modules are imported inside the command, so
`fatal-remedies --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from fatal_remedies.model import cli as mcli
from fatal_remedies.model.errors import UserError

from .design import MAX_RUNS
from .executors import check_workers
from .formatting import number

MAX_REPS = 10_000
"""Replications per coalition, as for `compare`."""


def _cell(mean: float, lo: float, hi: float) -> str:
    if mean != mean:
        return "n/a"
    if lo != lo:
        return number(mean, style="cli")
    return f"{number(mean, style='cli')} [{number(lo, style='cli')}, {number(hi, style='cli')}]"


def print_table(frame, scenario: str, versus: str, clients: int, months: int, reps: int,
                seed: int) -> None:
    """The attribution as a rich table: a row per lever group, a column per metric."""
    from rich.table import Table

    from fatal_remedies.model import metrics as M

    from .attribute import ADJUSTMENT, PINNED_NOTE, TOTAL, label

    metrics = list(dict.fromkeys(frame["metric"]))
    levers = list(dict.fromkeys(frame["lever"]))
    table = Table(title=f"Which lever carries {versus} - {scenario}: {clients:,} people, "
                        f"{months} months, {reps} replications (seeds from {seed}); "
                        "Shapley value [95% CI]")
    table.add_column("lever group")
    for m in metrics:
        table.add_column(f"{M.get(m).label_en} ({M.get(m).unit})", justify="right")
    cell = {(r.metric, r.lever): r for r in frame.itertuples()}
    for lever in levers:
        name = label(lever) if lever in (ADJUSTMENT, TOTAL) else f"{label(lever)} ({lever})"
        row = [name] + [_cell(cell[(m, lever)].shapley, cell[(m, lever)].ci_low,
                              cell[(m, lever)].ci_high) for m in metrics]
        table.add_row(*row, end_section=lever == ADJUSTMENT)
    con = mcli.console()
    con.print(table)
    con.print(f"Exact Shapley values over every coalition of lever groups, per replicate with the "
              f"same seeds, then a 95% Student-t interval over replicates; the groups and "
              f"'{ADJUSTMENT}' add up to '{TOTAL}' (= {versus} - {scenario}, as `compare`). Note: "
              f"{PINNED_NOTE}.")


def plot(frame, path: Path, scenario: str, versus: str, clients: int, months: int,
         reps: int) -> None:
    """Horizontal bars per metric: each lever group's Shapley value with its 95% interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from fatal_remedies.model import metrics as M

    from .attribute import TOTAL, label

    metrics = list(dict.fromkeys(frame["metric"]))
    levers = list(dict.fromkeys(frame["lever"]))
    height = 1.2 + (0.32 * len(levers) + 0.9) * len(metrics)
    fig, axes = plt.subplots(len(metrics), 1, figsize=(9, height), squeeze=False)
    for ax, metric in zip(axes[:, 0], metrics):
        t = frame[frame["metric"] == metric].set_index("lever").loc[levers]
        y = np.arange(len(levers))[::-1]
        x = t["shapley"].to_numpy(dtype=float)
        lo = np.nan_to_num(x - t["ci_low"].to_numpy(dtype=float))
        hi = np.nan_to_num(t["ci_high"].to_numpy(dtype=float) - x)
        colors = ["#555555" if lv == TOTAL else ("#1b7837" if v < 0 else "#b2182b")
                  for lv, v in zip(levers, x)]
        if M.get(metric).better == M.HIGHER:
            colors = [c if c == "#555555" else ("#1b7837" if c == "#b2182b" else "#b2182b")
                      for c in colors]
        ax.barh(y, x, xerr=[lo, hi], color=colors, capsize=3, height=0.7)
        ax.set_yticks(y, [label(lv) for lv in levers], fontsize=8)
        if np.nanmax(np.abs(x)) >= 10_000:  # whole amounts with separators, not "1e6" on the axis
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
            ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.axvline(0, color="black", linewidth=0.6)
        m = M.get(metric)
        ax.set_xlabel(f"contribution to {versus} - {scenario}: {m.label_en} ({m.unit})", fontsize=8)
        ax.set_title(f"{m.label_en} ({m.unit}; {m.better} is better: green helps, red hurts)",
                     fontsize=9)
    fig.suptitle(f"Which lever carries the difference {versus} - {scenario}\n{clients:,} people, "
                 f"{months} months, {reps} replications; Shapley values with 95% CI; switched "
                 "levers pinned", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / height))
    fig.savefig(path, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)


def register(app: typer.Typer) -> None:
    """Add the `attribute` command to `app`."""

    @app.command()
    def attribute(
        scenario: Annotated[str, typer.Argument(help=mcli.scenario_help("The scenario the "
                                                                          "difference starts from."))],
        versus: Annotated[str, typer.Argument(help=mcli.scenario_help("The scenario it goes to."))],
        reps: Annotated[int, typer.Option("--reps", help="Replications of every coalition (the "
                                          f"same seeds for all), 1 to {MAX_REPS:,}; 2 or more "
                                          "give intervals.")] = 5,
        clients: mcli.ClientsOpt = 5000,
        months: mcli.MonthsOpt = 120,
        seed: mcli.SeedOpt = 0,
        set_: mcli.SetOpt = None,
        metrics: Annotated[Optional[str], typer.Option(
            "--metrics", metavar="NAME,NAME...", help="Metrics of `compare`'s table to attribute "
            "[default: wrongful_sanctions_total, final_mean_trust, final_non_take_up, "
            "reintegrated_total, admin_cost_eur_total].")] = None,
        out: Annotated[Optional[Path], typer.Option(
            "--out", help="Write tidy rows (metric, lever, shapley, ci_low, ci_high, unit, reps) "
            "to FILE.csv, its manifest to FILE.csv.manifest.json and the plot to FILE.png.")] = None,
        workers: Annotated[int, typer.Option(
            "--workers", help="Local worker processes: 0 = all cores, at most 8 per core.")] = 0,
        scheduler: Annotated[Optional[str], typer.Option(
            "--scheduler", metavar="tcp://HOST:PORT", help="Run on this Dask scheduler's workers "
            "instead of local processes.")] = None,
    ) -> None:
        """Which lever group carries the difference between two scenarios (exact Shapley values).

        Every coalition of the lever groups in which the scenarios differ is run
        (2^k coalitions, at most 2^10) with the same replicate seeds; switched
        levers are pinned (--set semantics).
        """
        from fatal_remedies.model.files import atomic_write_all, check_out_path
        from fatal_remedies.model.run import check_size, manifest
        from fatal_remedies.model.seeds import replicate_seeds

        from . import attribute as A

        if reps < 1 or reps > MAX_REPS:
            raise UserError(f"--reps must be an integer from 1 to {MAX_REPS}, got {reps}")
        workers = check_workers(workers)
        seeds = replicate_seeds(seed, reps)  # checks --seed before any run
        names = [m.strip() for m in (metrics or "").split(",") if m.strip()] or None
        if metrics is not None and not names:
            raise UserError("--metrics needs at least one metric name")
        p = A.plan(scenario, versus, mcli.overrides(set_), names)
        clients, months = check_size(clients, months)
        runs = A.runs_needed(p, reps)
        if runs > MAX_RUNS:
            raise UserError(f"{len(p.coalitions)} coalitions x {reps} replications need "
                            f"{runs:,} runs; at most {MAX_RUNS:,} are allowed")
        png = side = None
        if out is not None:
            check_out_path(out, (".csv",), with_manifest=True)
            png = out.with_suffix(".png")
            side = out.with_name(out.name + ".manifest.json")
            check_out_path(png, (".png",))
        if scheduler:
            from .executors import check_scheduler

            check_scheduler(scheduler)
        typer.echo(f"{p.k} lever groups differ ({', '.join(g.name for g, _ in p.players)}): "
                   f"{len(p.coalitions)} coalitions + {p.versus.name} as run, x {reps} "
                   f"replications = {runs:,} runs", err=True)
        bar = mcli.progress(runs, "attribute")
        try:
            frame = A.attribute(p.scenario, p.versus, reps=reps, clients=clients, months=months,
                                seed=seed, overrides=None, metrics=p.metrics, workers=workers,
                                scheduler=scheduler, on_done=bar.update)
        finally:
            bar.close()
        if out is not None:
            man = manifest(None, clients, months, seed, kind="attribute",
                           scenarios=[p.scenario.to_dict(), p.versus.to_dict()],
                           versus=p.versus.name, reps=reps, replicate_seeds=seeds,
                           metrics=p.metrics, groups=frame.attrs["groups"],
                           method=f"exact Shapley values over all 2^{p.k} = {len(p.coalitions)} "
                                  "coalitions of lever groups, per replicate (common random "
                                  "numbers); 95% Student-t interval over replicates",
                           rows={A.ADJUSTMENT: A.ADJUSTMENT_LABEL["en"], A.TOTAL: A.TOTAL_LABEL["en"]},
                           pinned=A.PINNED_NOTE, overrides=mcli.overrides(set_), runs=runs)
            text = json.dumps(man, indent=2, sort_keys=True, default=str) + "\n"
            atomic_write_all([
                (side, lambda f: f.write_bytes(text.encode("utf-8"))),
                (png, lambda f: plot(frame, f, p.scenario.name, p.versus.name, clients, months,
                                     reps)),
                (out, lambda f: frame.to_csv(f, index=False, lineterminator="\n")),
            ])
            typer.echo(f"wrote {out}, {side}, {png}", err=True)
        print_table(frame, p.scenario.name, p.versus.name, clients, months, reps, seed)
        typer.echo(f"note: {A.PINNED_NOTE}", err=True)
