"""The ``cio`` command line."""

from __future__ import annotations

import typer

from . import __version__

app = typer.Typer(
    name="cio", help="Customer.io toolkit: emulator, webhooks receiver, bulk load and export.",
    no_args_is_help=True, add_completion=False,
)


@app.command("version")
def version() -> None:
    """Print the toolkit version."""
    typer.echo(__version__)


def _register() -> None:
    from .emulator._cli import emulator_command
    from .notebook._runner import notebooks_app

    app.command("emulator")(emulator_command)
    app.add_typer(notebooks_app, name="notebooks")
    from cio_toolkit.webhooks._cli import app as webhooks_app

    app.add_typer(webhooks_app, name="webhooks")
    from cio_toolkit.bulk._cli import export_command, load_command, sync_command

    app.command("load")(load_command)
    app.command("sync")(sync_command)
    app.command("export")(export_command)
    from cio_toolkit.live._cli import live_app

    app.add_typer(live_app, name="live")


_register()


def main() -> None:
    """Entry point of the ``cio`` script."""
    app()


if __name__ == "__main__":
    main()
