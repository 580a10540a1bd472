"""Column-wise batches keep their rows as bytes until the spool: read back, they are the row packer's."""

from __future__ import annotations

import random

from cio_toolkit.bulk._columns import Chunk
from cio_toolkit.bulk._mapping import Encoded
from cio_toolkit.bulk._spool import _ChunkPacker, _Packer, _Spool


def _spooled(batches: list, *, compress: bool) -> list:
    spool = _Spool(compress=compress, memory_limit=20_000)  # past the limit, batches go to the file
    try:
        for b in batches:
            spool.add(b)
        return [(b.ordinals, b.ids, b.keys, b.calls(), len(b)) for b in spool]
    finally:
        spool.close()


def test_spooled_column_batches_read_back_as_the_row_packers():
    rng = random.Random(5)
    keys = ["", "ünï ✓", "a\x1fb", "c\x1ed", "user-7"]  # any character, separators included
    rows = [Encoded(i * 3, keys[i % 5] + str(i % 5 or ""), f"{i:036d}",
                    b'{"n":"' + b"x" * rng.randint(10, 3000) + b'"}') for i in range(400)]
    old: list = []
    rp = _Packer(50_000)
    rp.extend(rows, old.append)
    old.append(rp.flush())
    for compress in (False, True):
        new: list = []
        cp = _ChunkPacker(50_000)
        for start in range(0, 400, 61):
            cp.extend(Chunk.of_encoded(rows[start : start + 61]), new.append)
        new.append(cp.flush())
        assert [len(b) for b in new] == [len(b) for b in old]
        got = _spooled(new, compress=compress)
        assert got == _spooled(old, compress=compress)
        assert [k for b in got for k in b[2]] == [e.key for e in rows]
        assert _spooled(new, compress=compress) == got  # spooled again (already compressed): the same
