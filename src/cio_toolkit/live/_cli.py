"""``cio live cleanup --run ID``: remove what a live run left in the workspace.

Credentials come from CIO_* variables (or .env), as for every command. Exit codes: 0 everything
removed (or a dry run), 1 some removals failed (they stay pending in the ledger: run it again),
2 the run id or the ledger was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .._exceptions import CustomerIOError, ValidationError
from ._ledger import DEFAULT_DIR

__all__ = ["live_app"]

live_app = typer.Typer(help="Live runs against your own workspace: clean up what they created.",
                       no_args_is_help=True, add_completion=False)


@live_app.command("cleanup")
def cleanup_command(
    run: Annotated[str, typer.Option("--run", help="The run id, e.g. cio-live-1a2b3c4d (printed by make test-live).")],
    directory: Annotated[Path, typer.Option("--dir", help="Folder of the run ledgers.")] = DEFAULT_DIR,
    search: Annotated[bool, typer.Option(help="Also remove what a search by run id finds (needs CIO_APP_API_KEY).")]
    = True,
    dry_run: Annotated[bool, typer.Option(help="List what would be removed; change nothing.")] = False,
) -> None:
    """Remove the people, objects, segments, webhooks and suppressions of run RUN (its ledger, then a search)."""
    from .._client import CustomerIO
    from ._cleanup import cleanup

    try:
        with CustomerIO.from_env() as cio:
            typer.echo(f"target: {cio.target}")
            report = cleanup(cio, run, directory=directory, search=search, dry_run=dry_run)
    except ValidationError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    except CustomerIOError as exc:
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(str(report))
    if not report.ok:
        typer.echo(f"{len(report.failed)} not removed; they stay in {report.ledger}: run the cleanup again", err=True)
        raise typer.Exit(1)
