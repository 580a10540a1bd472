"""Execute the notebooks headless: ``cio notebooks run`` (``make demo``) against an emulator, and
``cio notebooks run --rehearse-live``, their live branches against a production-like one.

The rehearsal runs every notebook with ``target = "live"`` and each ``allow_*`` parameter set to
True, in a kernel whose environment names a production-profile emulator (HTTPS, writes visible to
App API reads only after a delay, the documented rate limits, no ``/_emulator`` endpoints) the way a
user's environment names a workspace, plus CIO_LIVE_REHEARSAL (see :func:`connect`). A live branch
that leans on an emulator-only helper, or reads right after writing without a bounded wait, fails.
"""

from __future__ import annotations

import ast
import os
import queue
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from . import REHEARSAL_ENV

if TYPE_CHECKING:
    from ..emulator import Emulator

notebooks_app = typer.Typer(help="Run the notebooks headless or open them in JupyterLab.", no_args_is_help=True)

# Shorter than the production profile's 0.2-2 s so the rehearsal fits the test suite, never zero:
# every read after a write must still wait.
REHEARSAL_DELAY = "0.1-0.6"
# Notebooks at a time, one emulator and one kernel each: most of a notebook's time is waiting.
JOBS = 2


@dataclass
class NotebookRun:
    """Outcome of executing one notebook (``cell``: the code cell, counted from 1, that failed)."""

    name: str
    cells: int
    status: str
    seconds: float
    error: str = ""
    cell: int | None = None


_INJECTED = "injected-parameters"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _code_cells(nb: Any) -> list[Any]:
    """The notebook's own code cells (not the injected parameters), as numbered in the committed file."""
    return [c for c in nb.cells if c.cell_type == "code" and _INJECTED not in c.metadata.get("tags", [])]


def _failed_cell(nb: Any) -> int | None:
    for number, cell in enumerate(_code_cells(nb), 1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number
    return None


def execute_notebook(
    path: Path, out_dir: Path | None = None, *, timeout: int = 300,
    parameters: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None,
) -> NotebookRun:
    """Execute one notebook in a fresh kernel and write .ipynb and .html to ``out_dir``.

    ``parameters`` are set in a cell inserted after the ``parameters`` cell (as papermill does);
    ``env`` replaces the kernel's environment (default: this process's).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    if parameters:
        _inject(nb, parameters)
    cells = len(_code_cells(nb))
    started = time.monotonic()
    status, error = "ok", ""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(**({} if env is None else {"env": dict(env)}))
    except CellExecutionError as exc:
        status = "FAILED"
        text = _ANSI.sub("", str(exc)).strip()
        error = text.splitlines()[-1][:300] if text else type(exc).__name__
    except Exception as exc:
        status, error = "FAILED", f"{type(exc).__name__}: {exc}"[:300]
    seconds = time.monotonic() - started
    if out_dir is not None:
        from nbconvert import HTMLExporter

        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / path.name)
        html, _ = HTMLExporter().from_notebook_node(nb)
        (out_dir / path.with_suffix(".html").name).write_text(html, encoding="utf-8")
    return NotebookRun(path.name, cells, status, seconds, error, _failed_cell(nb) if status != "ok" else None)


def _parameter_names(nb: Any) -> list[str]:
    cell = next(c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", []))
    return [t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)]


def _inject(nb: Any, parameters: Mapping[str, object]) -> None:
    import nbformat

    names = _parameter_names(nb)
    unknown = sorted(set(parameters) - set(names))
    if unknown:
        raise ValueError(f"the notebook has no parameter {', '.join(unknown)} (it has: {', '.join(names)})")
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    source = "# Injected parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source, metadata={"tags": [_INJECTED]}))


def live_parameters(path: Path) -> dict[str, object]:
    """What the rehearsal sets in ``path``: ``target = "live"``, every ``allow_*`` parameter True, and the
    values the notebook's metadata gives under ``cio_toolkit.rehearsal`` (stand-ins for what a user names,
    such as their own test people; ``{free_port}`` in a text becomes a free loopback port)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    extra = dict(nb.metadata.get("cio_toolkit", {}).get("rehearsal", {}))
    port = _free_port() if any("{free_port}" in str(v) for v in extra.values()) else 0
    for name, value in extra.items():
        if isinstance(value, str) and "{free_port}" in value:
            extra[name] = int(p) if (p := value.replace("{free_port}", str(port))).isdigit() else p
    return {"target": "live", **{n: True for n in _parameter_names(nb) if n.startswith("allow_")}, **extra}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_env(env: Mapping[str, str]) -> dict[str, str]:
    # The kernel sees exactly the emulator's CIO_* settings: none of the caller's own keys or region.
    base = {k: v for k, v in os.environ.items() if not k.startswith("CIO_")}
    return {**base, **env}


def run_notebooks(paths: list[Path], out_dir: Path | None, *, jobs: int = JOBS,
                  seed: str | None = "demo", timeout: int = 300) -> list[NotebookRun]:
    """Run every notebook against an emulator seeded with ``seed``; ``jobs`` at a time, each job with its
    own emulator and its notebooks in order. Results in ``paths`` order."""
    from ..emulator import Emulator

    def job() -> Emulator:
        return Emulator(seed=seed)

    return _in_jobs(paths, jobs, job, lambda emu, path: execute_notebook(
        path, out_dir, timeout=timeout, env=_with_env(emu.env())))


def rehearse_live(
    paths: list[Path], out_dir: Path | None, *, jobs: int = JOBS, seed: str | None = "demo",
    visibility_delay: str | tuple[float, float] = REHEARSAL_DELAY, timeout: int = 300,
) -> list[NotebookRun]:
    """Run each notebook's live branch against a production-profile emulator; ``jobs`` at a time, each
    job with its own emulator (so a notebook never sees another one's writes). Results in ``paths`` order."""
    from ..emulator import Emulator

    def job() -> Emulator:
        return Emulator(profile="production", seed=seed, visibility_delay=visibility_delay)

    return _in_jobs(paths, jobs, job, lambda emu, path: execute_notebook(
        path, out_dir, timeout=timeout, parameters=live_parameters(path),
        env=_with_env({**emu.env(), REHEARSAL_ENV: emu.url})))


def _in_jobs(paths: list[Path], jobs: int, emulator: Callable[[], Emulator],
             run: Callable[[Emulator, Path], NotebookRun]) -> list[NotebookRun]:
    # Last first: the numbering follows a newcomer's path, so the long workflows (bulk loads, Spark)
    # come last, and starting them first keeps one job from running alone at the end.
    todo: queue.Queue[tuple[int, Path]] = queue.Queue()
    for item in reversed(list(enumerate(paths))):
        todo.put(item)
    results: dict[int, NotebookRun] = {}
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            with emulator() as emu:
                while True:
                    try:
                        index, path = todo.get_nowait()
                    except queue.Empty:
                        return
                    results[index] = run(emu, path)
        except BaseException as exc:  # reported below rather than lost with the thread
            failures.append(exc)

    threads = [threading.Thread(target=worker, name=f"notebooks-{i}") for i in range(max(1, min(jobs, len(paths))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return [results[i] for i in range(len(paths))]


def print_table(results: list[NotebookRun], title: str = "Notebooks against the emulator") -> None:
    """Print the notebook, cells, status, failed cell, seconds table, then each error."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in ("notebook", "cells", "status", "failed cell", "seconds"):
        table.add_column(col, justify="left" if col in ("notebook", "status") else "right")
    for r in results:
        style = "green" if r.status == "ok" else "red"
        table.add_row(r.name, str(r.cells), f"[{style}]{r.status}[/{style}]", "" if r.cell is None else str(r.cell),
                      f"{r.seconds:.1f}")
    console = Console()
    console.print(table)
    for r in results:
        if r.error:
            where = "" if r.cell is None else f" (code cell {r.cell})"
            console.print(f"[red]{r.name}[/red]{where}: {r.error}")


@notebooks_app.command("run")
def run_command(
    paths: list[Path] = typer.Argument(None, help="Notebooks to run (default: notebooks/*.ipynb)."),
    out: Path = typer.Option(None, help="Where executed copies and HTML go "
                             "(default build/notebooks, or build/notebooks-live with --rehearse-live)."),
    rehearse: bool = typer.Option(False, "--rehearse-live", help=(
        "Run every notebook's live branch (target='live', allow_* True) against a production-like "
        "emulator: HTTPS, deferred visibility of writes, rate limits, no admin endpoints.")),
    jobs: int = typer.Option(JOBS, min=1, help="Notebooks at a time (one emulator each)."),
    visibility_delay: str = typer.Option(REHEARSAL_DELAY, help="--rehearse-live: seconds before a write is readable."),
) -> None:
    """Execute notebooks headless against a fresh emulator; exit 1 if any fails."""
    nbs = sorted(paths or Path("notebooks").glob("*.ipynb"))
    if not nbs:
        typer.echo("no notebooks found", err=True)
        raise typer.Exit(2)
    started = time.monotonic()
    if rehearse:
        results = rehearse_live(nbs, out or Path("build/notebooks-live"), jobs=jobs, visibility_delay=visibility_delay)
        title = "Notebooks' live branches against the production-like emulator"
    else:
        results = run_notebooks(nbs, out or Path("build/notebooks"), jobs=jobs)
        title = "Notebooks against the emulator"
    print_table(results, f"{title} ({time.monotonic() - started:.0f} s)")
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
