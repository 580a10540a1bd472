"""Progress display for long bulk work: tqdm (notebooks, scripts), rich (the CLI), or nothing."""

from __future__ import annotations

import threading
from typing import Any, Protocol

__all__ = ["Progress", "make_progress"]


class Progress(Protocol):
    """One bar per phase; ``update`` may be called from worker threads."""

    def phase(self, name: str, total: int | None, unit: str = "rows") -> None: ...

    def update(self, n: int) -> None: ...

    def note(self, text: str) -> None: ...

    def close(self) -> None: ...


class _Null:
    def phase(self, name: str, total: int | None, unit: str = "rows") -> None:
        pass

    def update(self, n: int) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class _Tqdm:
    def __init__(self) -> None:
        import importlib.util

        # tqdm.auto warns and degrades in Jupyter without ipywidgets; plain tqdm renders fine there.
        if importlib.util.find_spec("ipywidgets") is not None:
            from tqdm.auto import tqdm
        else:
            from tqdm import tqdm

        self._tqdm = tqdm
        self._bar: Any = None
        self._lock = threading.Lock()

    def phase(self, name: str, total: int | None, unit: str = "rows") -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.close()
            self._bar = self._tqdm(total=total, desc=name, unit=f" {unit}", unit_scale=True, smoothing=0.1,
                                   dynamic_ncols=True)

    def update(self, n: int) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.update(n)

    def note(self, text: str) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.set_postfix_str(text, refresh=False)

    def close(self) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None


class _Rich:
    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[note]}"), transient=False,
        )
        self._task: Any = None
        self._progress.start()

    def phase(self, name: str, total: int | None, unit: str = "rows") -> None:
        if self._task is not None:
            self._progress.stop_task(self._task)
        self._unit = unit
        self._task = self._progress.add_task(name, total=total, rate="", note="")

    def update(self, n: int) -> None:
        if self._task is None:
            return
        self._progress.advance(self._task, n)
        task = self._progress.tasks[self._task]
        speed = task.finished_speed or task.speed
        if speed:
            self._progress.update(self._task, rate=f"{speed:,.0f} {self._unit}/s")

    def note(self, text: str) -> None:
        if self._task is not None:
            self._progress.update(self._task, note=text)

    def close(self) -> None:
        self._progress.stop()


def make_progress(kind: str | bool | None) -> Progress:
    """``"tqdm"``/``"auto"``/True -> tqdm.auto, ``"rich"`` -> rich, None/False/``"none"`` -> silent."""
    if kind in (None, False, "none"):
        return _Null()
    if kind == "rich":
        return _Rich()
    if kind in (True, "auto", "tqdm"):
        return _Tqdm()
    raise ValueError(f"progress: must be 'auto', 'tqdm', 'rich' or None, got {kind!r}")
