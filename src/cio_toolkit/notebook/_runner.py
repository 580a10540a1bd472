"""Execute the notebooks headless against an emulator: ``cio notebooks run`` (``make demo``)."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import typer

notebooks_app = typer.Typer(help="Run the notebooks headless or open them in JupyterLab.", no_args_is_help=True)


@dataclass
class NotebookRun:
    """Outcome of executing one notebook."""

    name: str
    cells: int
    status: str
    seconds: float
    error: str = ""


def execute_notebook(path: Path, out_dir: Path | None = None, *, timeout: int = 300) -> NotebookRun:
    """Execute one notebook in a fresh kernel (environment inherited); write .ipynb and .html to ``out_dir``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    started = time.monotonic()
    status, error = "ok", ""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        status = "FAILED"
        error = str(exc).strip().splitlines()[-1][:300] if str(exc).strip() else type(exc).__name__
    except Exception as exc:
        status, error = "FAILED", f"{type(exc).__name__}: {exc}"[:300]
    seconds = time.monotonic() - started
    if out_dir is not None:
        from nbconvert import HTMLExporter

        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / path.name)
        html, _ = HTMLExporter().from_notebook_node(nb)
        (out_dir / path.with_suffix(".html").name).write_text(html, encoding="utf-8")
    return NotebookRun(path.name, cells, status, seconds, error)


def run_notebooks(paths: list[Path], out_dir: Path | None, *, seed: str | None = "demo") -> list[NotebookRun]:
    """Start one emulator, point every notebook at it through CIO_* variables, and run them in order."""
    from ..emulator import Emulator

    results = []
    with Emulator(seed=seed) as emu:
        saved = {k: os.environ.get(k) for k in emu.env()}
        os.environ.update(emu.env())
        try:
            for path in paths:
                results.append(execute_notebook(path, out_dir))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return results


def print_table(results: list[NotebookRun]) -> None:
    """Print the notebook, cells, status, seconds table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Notebooks against the emulator")
    for col in ("notebook", "cells", "status", "seconds"):
        table.add_column(col, justify="right" if col in ("cells", "seconds") else "left")
    for r in results:
        style = "green" if r.status == "ok" else "red"
        table.add_row(r.name, str(r.cells), f"[{style}]{r.status}[/{style}]", f"{r.seconds:.1f}")
    console = Console()
    console.print(table)
    for r in results:
        if r.error:
            console.print(f"[red]{r.name}[/red]: {r.error}")


@notebooks_app.command("run")
def run_command(
    paths: list[Path] = typer.Argument(None, help="Notebooks to run (default: notebooks/*.ipynb)."),
    out: Path = typer.Option(Path("build/notebooks"), help="Where executed copies and HTML go."),
) -> None:
    """Execute notebooks headless against a fresh emulator; exit 1 if any fails."""
    nbs = sorted(paths or Path("notebooks").glob("*.ipynb"))
    if not nbs:
        typer.echo("no notebooks found", err=True)
        raise typer.Exit(2)
    results = run_notebooks(nbs, out)
    print_table(results)
    if any(r.status != "ok" for r in results):
        raise typer.Exit(1)


@notebooks_app.command("lab")
def lab_command(
    notebook_dir: Path = typer.Option(Path("notebooks"), help="Folder JupyterLab opens."),
    port: int = typer.Option(8888, help="JupyterLab port (loopback)."),
) -> None:
    """Start an emulator and JupyterLab on the notebooks, wired together through CIO_* variables."""
    import subprocess

    from ..emulator import Emulator

    with Emulator(seed="demo") as emu:
        env = {**os.environ, **emu.env()}
        typer.echo(f"Emulator at {emu.url}; JupyterLab on http://127.0.0.1:{port}")
        cmd = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}", "--no-browser",
               f"--notebook-dir={notebook_dir}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI machines often run as root
        try:
            subprocess.run(cmd, env=env, check=False)
        except KeyboardInterrupt:
            pass
