"""The `fatal-remedies` command line: one Typer app, wired from the rooms.

Each room registers its own commands (`model.cli`: scenarios, params;
`analysis.cli`: run, compare, sweep, analyze, discover; `analysis.cli_attribute`:
attribute; `analysis.cli_optimize`: optimize; `analysis.validate_cli`: validate;
`viz.cli`: ui). This module sits above them all, so the model never
imports analysis to offer a command.

Every command checks all of its input before it runs anything or writes a
file; bad input gets one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from .analysis import cli as analysis_cli
from .analysis import cli_attribute, cli_optimize, validate_cli
from .model import cli as model_cli
from .model.errors import UserError
from .viz import cli as viz_cli

app = typer.Typer(
    name="fatal-remedies",
    help="Simulate control-oriented versus service-oriented social-benefit administration "
    "(after Van Zoonen 2019, 'Opnieuw fatale remedies').",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

for _room in (model_cli, analysis_cli, cli_attribute, cli_optimize, validate_cli, viz_cli):
    _room.register(app)


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
