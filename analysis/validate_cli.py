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
        seed: Annotated[int, typer.Option("--seed", help="Master seed of the replicate seeds, a whole number from 0.")] = 0,
        out: Annotated[Optional[Path], typer.Option("--out", help="Write the report to FILE.html (self-contained page) or FILE.csv (tidy rows).")] = None,
        workers: Annotated[int, typer.Option("--workers", help="Local worker processes: 0 = all cores, at most 8 per core.")] = 0,
    ) -> None:
        """Validation report: calibration targets vs simulated figures, and the seed's claims."""
        import sys

        from fatal_remedies.model.files import atomic_write_text, check_out_path, write_frame

        from .validate import RUNS, check_args, validation_report
        from .validate_report import print_tables

        check_args(reps, clients, months, workers, seed)
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
            if path.suffix.lower() == ".html":  # the manifest is embedded in the page
                atomic_write_text(path, rep.to_html())
                written = [path]
            else:  # CSV with its sidecar manifest, written as a pair
                written = write_frame(rep.to_frame(), path, rep.manifest())
            typer.echo("wrote " + ", ".join(str(p) for p in written), err=True)
        print_tables(rep)

