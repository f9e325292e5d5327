"""CLI command `validate` (registered on the main app by `register(app)`).

Heavy modules are imported inside the command, so `fatal-remedies --help`
stays fast. Bad input raises `UserError`; the app's main() prints it as one
line and exits with code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    """Add the `validate` command to `app`."""

    @app.command("validate")
    def validate(
        reps: Annotated[int, typer.Option("--reps", help="Replicates per run (same seeds for every run).")] = 3,
        clients: Annotated[int, typer.Option("--clients", help="People per run; 56,000 is Rotterdam scale (~30,000 receiving under control).")] = 56_000,
        months: Annotated[int, typer.Option("--months", help="Months per run.")] = 120,
        seed: Annotated[int, typer.Option("--seed", help="Master seed of the replicate seeds.")] = 0,
        out: Annotated[Optional[Path], typer.Option("--out", help="Write the report to FILE.html (self-contained page) or FILE.csv (tidy rows).")] = None,
        workers: Annotated[int, typer.Option("--workers", help="Local worker processes (0 = all cores).")] = 0,
    ) -> None:
        """Validation report: calibration targets vs simulated figures, and the seed's claims."""
        import sys

        from fatal_remedies.model.run import _atomic_write, check_out_path

        from .validate import RUNS, check_args, validation_report

        check_args(reps, clients, months, workers)
        path = check_out_path(out, (".html", ".csv")) if out is not None else None
        from tqdm import tqdm

        bar = tqdm(total=reps * len(RUNS), desc="validate", unit="run", file=sys.stderr, disable=None,
                   leave=False, dynamic_ncols=True)
        try:
            rep = validation_report(reps=reps, clients=clients, months=months, seed=seed,
                                    workers=workers, on_done=bar.update)
        finally:
            bar.close()
        if path is not None:
            if path.suffix.lower() == ".html":
                text = rep.to_html()
                _atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
            else:
                frame = rep.to_frame()
                _atomic_write(path, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))
            typer.echo(f"wrote {path}", err=True)
        _print(rep)


def _print(rep) -> None:
    import sys

    from rich.console import Console
    from rich.table import Table

    from .validate import _fmt

    tty = sys.stdout.isatty()
    con = Console(width=None if tty else 200, soft_wrap=not tty)
    s = rep.settings
    t = Table(title=f"Calibration targets: {s['clients']:,} people, {s['months']} months, "
                    f"{s['reps']} replicates (seeds from {s['seed']}); mean [95% CI]")
    for col in ("target", "scenario", "figure", "band", "simulated", "inside", "source"):
        t.add_column(col, overflow="fold")
    for r in rep.targets.itertuples():
        t.add_row(r.target, r.scenario, _fmt(r.value), f"{_fmt(r.band_low)}-{_fmt(r.band_high)}",
                  f"{_fmt(r.mean)} [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]",
                  "yes" if r.inside else "NO", r.source)
    con.print(t)
    v = Table(title="Claims of the seed paper")
    for col in ("claim", "verdict", "evidence"):
        v.add_column(col, overflow="fold")
    for r in rep.verdicts.itertuples():
        v.add_row(r.title, r.verdict, r.evidence)
    con.print(v)
    missed = rep.missed()
    con.print("Targets missed: " + (", ".join(missed) if missed else "none"))
