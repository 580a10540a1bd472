"""The README's Python snippets run, in order, against an emulator: the docs cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_blocks_run_against_the_emulator(tmp_path, monkeypatch):
    from cio_toolkit.emulator import Emulator

    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)  # the bulk journal and any files land here
    with Emulator(seed="demo") as emu:
        for k, v in emu.env().items():
            monkeypatch.setenv(k, v)
        namespace: dict = {}
        for i, block in enumerate(blocks):
            code = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("cio = CustomerIO("))
            try:
                exec(compile(code, f"README block {i}", "exec"), namespace)
            except Exception as exc:  # pragma: no cover - the message is the point
                raise AssertionError(f"README python block {i} failed: {type(exc).__name__}: {exc}\n{block}") from exc
    assert namespace["event"].metric == "opened"
    assert namespace["report"].acknowledged == 2 and namespace["again"].sent == 0
