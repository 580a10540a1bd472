"""The emulator's layers: SQL lives only in cio_toolkit.emulator.models, people are written only by models/people."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import cio_toolkit.emulator as emulator_pkg

ROOT = Path(emulator_pkg.__file__).parent
MODELS = ROOT / "models"
_SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(TEMP\s+)?(TABLE|INDEX|TRIGGER)\b",
    re.IGNORECASE,
)
_DB_CALLS = frozenset({"execute", "executemany", "executescript", "query"})
_PEOPLE_WRITE = re.compile(r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+people\b", re.IGNORECASE)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):  # an f-string: its literal parts together
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            out.append((node.lineno, text))
    return out


def _docstrings(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                lines.add(first.value.lineno)
    return lines


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in sorted(ROOT.rglob("*.py"))]


def test_no_sql_outside_models() -> None:
    found = []
    for path, tree in _modules():
        if MODELS in path.parents:
            continue
        docs = _docstrings(tree)
        found += [f"{path.relative_to(ROOT)}:{line}" for line, text in _strings(tree)
                  if line not in docs and _SQL.search(text)]
        found += [f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()" for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in _DB_CALLS]
    assert found == []


def test_people_are_written_only_by_models_people() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}" for path, tree in _modules() if path != MODELS / "people.py"
             for line, text in _strings(tree) if _PEOPLE_WRITE.search(text)]
    assert found == []
