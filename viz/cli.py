"""The `fatal-remedies ui` command (registered on the one Typer app by `fatal_remedies.cli`)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `ui` command to `app`."""

    @app.command("ui")
    def ui(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; any but "
                                 "127.0.0.1, localhost or ::1 makes the app reachable from the "
                                 "network (a warning; see docs/SECURITY.md)."),
        port: int = typer.Option(8765, "--port", min=1, max=65535,
                                 help="Port to listen on; one in use is refused."),
        open_browser: bool = typer.Option(False, "--open/--no-open",
                                          help="Open the app in the default browser once it is up."),
    ) -> None:
        """Start the browser app (explore, compare, sensitivity, lesson, report).

        The front end is served from this machine: no request leaves it, so the
        app works on networks that block outside content.
        """
        from fatal_remedies.viz.serve import run  # heavy imports only when the command runs

        raise typer.Exit(run(host, port, open_browser))
