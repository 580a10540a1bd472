"""scripts/generate.py: every generated file is current, and --check catches a stale one."""

from __future__ import annotations

import copy
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cio_toolkit.specs import load_spec

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "generate.py"


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cio_generate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATE = _generate()
BY_NAME = {gen.NAME: gen for gen in GENERATE.GENERATORS}


def _copy_outputs(gen: ModuleType, root: Path) -> list[str]:
    paths = list(gen.outputs())
    for directory in getattr(gen, "OWNED_DIRS", ()):
        paths += [p.relative_to(ROOT).as_posix() for p in (ROOT / directory).glob("*.py")]
    for rel in paths:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, root / rel)
    return sorted(set(paths))


def test_check_passes_on_the_committed_files() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {f"{name}: up to date" for name in BY_NAME} <= set(result.stdout.splitlines())


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_check_fails_when_one_byte_of_an_output_changed(name: str, tmp_path: Path) -> None:
    gen = BY_NAME[name]
    paths = _copy_outputs(gen, tmp_path)
    assert GENERATE._codegen.stale(gen, tmp_path) == []
    victim = tmp_path / paths[-1]
    data = bytearray(victim.read_bytes())
    data[-2] = ord("#") if data[-2] != ord("#") else ord("!")
    victim.write_bytes(bytes(data))
    assert GENERATE._codegen.stale(gen, tmp_path) == [paths[-1]]


def test_check_fails_on_a_leftover_file_in_a_generated_directory(tmp_path: Path) -> None:
    gen = BY_NAME["App API client"]
    _copy_outputs(gen, tmp_path)
    leftover = f"{gen.OWNED_DIRS[0]}/removed_tag.py"
    (tmp_path / leftover).write_text("# GENERATED FILE - DO NOT EDIT.\n")
    assert GENERATE._codegen.stale(gen, tmp_path) == [leftover]


def test_a_spec_change_changes_the_output() -> None:
    gen = BY_NAME["semantic events"]
    spec = copy.deepcopy(load_spec("pipelines_api"))
    spec["components"]["schemas"]["experiment_viewed"]["properties"]["variant_color"] = {"type": "string"}
    assert gen.outputs(spec) != gen.outputs()


def test_every_generated_file_starts_with_the_one_header() -> None:
    for gen in GENERATE.GENERATORS:
        for rel in gen.outputs():
            head = (ROOT / rel).read_text().splitlines()[:3]
            assert head[0] == "# GENERATED FILE - DO NOT EDIT.", rel
            assert head[1].startswith("# Source: "), rel
            assert head[2] == "# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)"


def test_the_package_does_not_import_the_generators() -> None:
    for path in (ROOT / "src" / "cio_toolkit").rglob("*.py"):
        text = path.read_text()
        assert "_codegen" not in text and "gen_app_client" not in text.replace("scripts/gen_app_client", ""), path
