"""What every code generator under scripts/ shares: the header, ruff formatting, writing and checking.

A generator is a module with ``NAME`` (a short label), ``outputs() -> dict[str, str]`` (repository-
relative path -> file text) and optionally ``OWNED_DIRS`` (directories that hold generated files
only, so a file there that the generator no longer writes is reported as stale).
``scripts/generate.py`` runs them all.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "python scripts/generate.py"


def header(source: str, *notes: str) -> str:
    """The first lines of every generated file: the marker, its sources, how to regenerate it."""
    lines = [
        "# GENERATED FILE - DO NOT EDIT.",
        f"# Source: {source}.",
        f"# Regenerate with: {REGENERATE}   (check: {REGENERATE} --check)",
        *(f"# {note}" if note else "#" for note in notes),
    ]
    return "\n".join(lines) + "\n"


def ruff_formatted(files: Mapping[str, str]) -> dict[str, str]:
    """``files`` (path -> Python source) after ``ruff check --fix`` and ``ruff format`` with the project's config."""
    ruff = Path(sys.executable).with_name("ruff")
    cmd = [str(ruff) if ruff.exists() else "ruff"]
    config = ["--config", str(ROOT / "pyproject.toml")]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, text in files.items():
            path = Path(tmp) / name.replace("/", "__")
            path.write_text(text)
            paths[name] = path
        args = [str(p) for p in paths.values()]
        subprocess.run([*cmd, "check", *config, "--fix", "--quiet", "--unsafe-fixes", *args], check=False)
        subprocess.run([*cmd, "format", *config, "--quiet", *args], check=False)
        return {name: path.read_text() for name, path in paths.items()}


def stale(generator: ModuleType, root: Path = ROOT, expected: Mapping[str, str] | None = None) -> list[str]:
    """Paths under ``root`` that differ from what ``generator`` produces now (missing and leftover files too)."""
    expected = generator.outputs() if expected is None else expected
    out = [rel for rel, text in expected.items() if not (root / rel).is_file() or (root / rel).read_text() != text]
    for directory in getattr(generator, "OWNED_DIRS", ()):
        for path in sorted((root / directory).glob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel not in expected:
                out.append(rel)
    return out


def write(generator: ModuleType, root: Path = ROOT) -> list[str]:
    """Write ``generator``'s files under ``root``, remove leftovers in its owned directories; the paths changed."""
    expected = generator.outputs()
    changed = stale(generator, root, expected)
    for rel in changed:
        path = root / rel
        if rel in expected:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(expected[rel])
        else:
            path.unlink()
    return changed


def main(generators: Iterable[ModuleType], argv: list[str] | None = None, *, description: str = "") -> int:
    """Command line shared by generate.py and each gen_*.py: write, or ``--check`` and exit 1 when stale."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    args = parser.parse_args(argv)
    failed = False
    for gen in generators:
        if args.check:
            paths = stale(gen)
            if paths:
                failed = True
                print(f"{gen.NAME}: out of date: {', '.join(paths)}; run {REGENERATE}", file=sys.stderr)
            else:
                print(f"{gen.NAME}: up to date")
        else:
            paths = write(gen)
            print(f"{gen.NAME}: {len(paths)} file(s) rewritten" + (f": {', '.join(paths)}" if paths else ""))
    return 1 if failed else 0
