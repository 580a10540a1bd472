"""The codebase's shape, checked: no import cycles, one packer, no reach-ins, small modules.

These read the source with ``ast`` (imports inside functions count), so a rule broken anywhere
in ``src/cio_toolkit`` fails here, not in a review. The emulator's own layering (SQL only in
``emulator/models``, people written only by ``models/people``) is checked in
``tests/emulator/test_layering.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PKG = SRC / "cio_toolkit"
MAX_LINES = 600


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return out


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(), str(path)) for name, (path, _) in MODULES.items()}


def _generated(name: str) -> bool:
    path = MODULES[name][0]
    return "_generated" in path.parts or "GENERATED FILE" in path.read_text()[:400]


def _imports(name: str) -> set[str]:
    is_pkg = MODULES[name][1]
    package = name if is_pkg else name.rsplit(".", 1)[0]
    deps: set[str] = set()
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Import):
            deps.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                deps.add(sub if sub in MODULES else module)
    return {d for d in deps if d in MODULES and d != name}


def test_no_import_cycles():
    graph = {name: _imports(name) for name in MODULES}
    # A package importing its own submodules is how packages re-export; a submodule importing
    # its package's __init__ back is the cycle we look for.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for name in graph:
        if name not in index:
            visit(name)
    assert cycles == []


def test_one_batch_packer():
    # The packing rule lives in _wire.Packer; any other *Packer is a view over it, not a second rule.
    copies = []
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Packer") and name != "cio_toolkit._wire":
                used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                wire = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                        and (n.module or "").endswith("_wire") for a in n.names}
                if not used & wire:
                    copies.append(f"{name}.{node.name}")
    assert copies == []


CLIENT_PACKAGES = ("cio_toolkit.pipelines", "cio_toolkit.track", "cio_toolkit.app", "cio_toolkit._base")


@pytest.mark.parametrize("private", ["_send", "_transport"])
def test_no_reach_into_a_clients_privates(private):
    offenders = set()
    for name, tree in TREES.items():
        if name.startswith(CLIENT_PACKAGES):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == private:
                offenders.add(name)
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("hasattr", "getattr")
                    and any(isinstance(a, ast.Constant) and a.value == private for a in node.args)):
                offenders.add(name)
    assert offenders == set()


# ---------------------------------------------------------------- where SQL lives

# The modules that own a database, each keeping its own SQL; everything else calls them. The
# emulator's finer rule (only models/people writes people) is in tests/emulator/test_layering.py.
SQL_HOMES = (
    "cio_toolkit.emulator.models.",  # the emulator's SQLite store (a package: every module in it)
    "cio_toolkit.bulk._journal",  # a load's acknowledgements (SQLite)
    "cio_toolkit.bulk._sync",  # diff-sync snapshots (DuckDB)
    "cio_toolkit.webhooks._store",  # webhook events in DuckDB
    "cio_toolkit.webhooks._store_postgres",  # webhook events in PostgreSQL
)
_SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(TEMP\s+)?(TABLE|INDEX|TRIGGER)\b|\bON\s+CONFLICT\b|\bCOPY\s+\(",
    re.IGNORECASE,
)


def _sql_strings(tree: ast.Module) -> list[int]:
    docs = {node.body[0].lineno for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):  # an f-string: its literal parts together
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        else:
            continue
        if node.lineno not in docs and _SQL.search(text):
            found.append(node.lineno)
    return found


def _in_home(name: str, home: str) -> bool:
    return name.startswith(home) if home.endswith(".") else name == home


def _sql_home(name: str) -> bool:
    return any(_in_home(name, home) for home in SQL_HOMES)


def test_sql_lives_only_in_the_store_modules():
    stray = [f"{name}:{line}" for name, tree in TREES.items() if not _sql_home(name) for line in _sql_strings(tree)]
    assert stray == []


def test_every_sql_home_exists_and_holds_sql():
    # A home that moved or lost its SQL would make the allow-list wider than the code.
    holds = {home: any(_sql_strings(tree) for name, tree in TREES.items() if _in_home(name, home)) for home in SQL_HOMES}
    assert holds == dict.fromkeys(SQL_HOMES, True)


def test_hand_written_modules_stay_small():
    big = {name: n for name, (path, _) in MODULES.items()
           if not _generated(name) and (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert big == {}


def test_every_module_has_a_docstring():
    assert [name for name, tree in TREES.items() if not ast.get_docstring(tree) and MODULES[name][0].stat().st_size] == []


# ---------------------------------------------------------------- no repeated blocks

MIN_REPEAT = 6
# Lines that say nothing alone: closing brackets, bare keywords, a docstring's quotes.
_TRIVIA = re.compile(r"[()\[\]{},:;*/\s]*|pass|else:|try:|finally:|return|continue|break|\"\"\"|self,|@\w+")


def _meaningful_lines(text: str) -> list[tuple[int, str]]:
    lines = ((n, line.strip()) for n, line in enumerate(text.splitlines(), 1))
    return [(n, line) for n, line in lines if not _TRIVIA.fullmatch(line)]


def repeated_blocks(sources: dict[str, str], size: int = MIN_REPEAT) -> dict[frozenset[str], list[str]]:
    """Pairs of files sharing a run of ``size`` identical meaningful lines, with where (``a.py:10 ~ b.py:40``)."""
    seen: dict[tuple[str, ...], tuple[str, int, int]] = {}
    pairs: dict[frozenset[str], list[str]] = {}
    for name, text in sources.items():
        lines = _meaningful_lines(text)
        for i in range(len(lines) - size + 1):
            window = tuple(line for _, line in lines[i:i + size])
            first = seen.setdefault(window, (name, i, lines[i][0]))
            if first[0] != name or i - first[1] >= size:  # not the same place, nor a run overlapping itself
                pairs.setdefault(frozenset((first[0], name)), []).append(f"{first[0]}:{first[2]} ~ {name}:{lines[i][0]}")
    return pairs


def test_the_repeat_detector_finds_a_copied_block_and_ignores_punctuation():
    block = "".join(f"x{i} = compute({i})\n" for i in range(MIN_REPEAT))
    found = repeated_blocks({"a.py": "def f():\n" + block, "b.py": "y = 1\n" + block, "c.py": ")\n" * 20})
    assert list(found) == [frozenset({"a.py", "b.py"})] and found[frozenset({"a.py", "b.py"})] == ["a.py:2 ~ b.py:2"]
    assert repeated_blocks({"a.py": block[: block.rindex("x")], "b.py": block}) == {}  # five lines are not a block


def test_no_block_of_six_lines_is_written_twice():
    sources = {str(path.relative_to(SRC)): path.read_text() for name, (path, _) in MODULES.items()
               if not _generated(name)}
    pairs = repeated_blocks(sources)
    assert pairs == {}, "\n".join(where[0] for where in pairs.values())
