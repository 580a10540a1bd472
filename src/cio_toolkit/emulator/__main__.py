"""``python -m cio_toolkit.emulator``: the same as ``cio emulator``."""

from __future__ import annotations

import typer

from ._cli import emulator_command

if __name__ == "__main__":
    typer.run(emulator_command)
