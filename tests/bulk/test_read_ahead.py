"""A file's record batches read ahead on a thread: same batches in order, errors in place, closed when left."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from cio_toolkit.bulk._sources import read_ahead


def _source(n: int, *, fail_at: int | None = None, closed: list[str] | None = None) -> Iterator[int]:
    try:
        for i in range(n):
            if i == fail_at:
                raise ValueError(f"row group {i} is damaged")
            yield i
    finally:
        if closed is not None:
            closed.append(threading.current_thread().name)


def test_every_batch_comes_in_order():
    assert list(read_ahead(_source(50))) == list(range(50))


def test_a_source_error_is_raised_after_the_batches_before_it():
    got: list[int] = []
    with pytest.raises(ValueError, match="row group 3 is damaged"):
        for b in read_ahead(_source(10, fail_at=3)):
            got.append(b)
    assert got == [0, 1, 2]


def test_a_reader_left_early_closes_the_source_on_its_thread():
    closed: list[str] = []
    ahead = read_ahead(_source(1000, closed=closed))
    assert next(ahead) == 0
    ahead.close()
    assert closed == ["cio-bulk-read"]
