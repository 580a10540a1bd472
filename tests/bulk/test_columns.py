"""The column-wise pre-flight against the row encoder: the same calls, messageIds, rejections and batches."""

from __future__ import annotations

import datetime as dt
import random
import struct

import orjson
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_toolkit import PayloadTooLargeError, bulk
from cio_toolkit._wire import Packer, pack_bounds
from cio_toolkit.bulk._columns import Chunk, ColumnEncoder, unsupported
from cio_toolkit.bulk._fingerprint import Digest
from cio_toolkit.bulk._mapping import Encoded, Rejected, RowEncoder
from cio_toolkit.bulk._preflight import Scan, _Resume, scan
from cio_toolkit.bulk._progress import make_progress
from cio_toolkit.bulk._report import LoadReport
from cio_toolkit.bulk._sources import open_source
from cio_toolkit.bulk._spool import _ChunkPacker, _Packer

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
TEXTS = ["plain", "", "ünïcødé ✓", "emoji 🎉", 'quote " and \\ backslash', "ctrl \x00\x01\x08\x0c\n\r\t\x1f end",
         "\u2028 line sep", "/slash", "x" * 1200, "é" * 600]


def _floats(n: int, rng: random.Random) -> list[float | None]:
    special = [0.0, -0.0, 1.0, 100.0, 0.1, 1e-4, 9.99e-5, 1e9, 999999999.5, 1e15, 1e16, 1e21, 5e-324, 1.5e-7,
               float("nan"), float("inf"), -float("inf"), None, 2 / 3, 123456.789, -87093631832.47427]
    out: list[float | None] = []
    for i in range(n):
        if i < len(special):
            out.append(special[i])
        elif i % 3 == 0:
            out.append(struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0])
        else:
            out.append(round(rng.uniform(-1e7, 1e7), rng.randint(0, 6)))
    return out


def varied_table(n: int = 300, seed: int = 1) -> pa.Table:
    """Ids, events, text with escapes and unicode, numbers of every range, nulls, timestamps, dates."""
    rng = random.Random(seed)
    ids = [None if i % 41 == 0 else ("" if i % 53 == 0 else f"u-{i}-{TEXTS[i % 3]}") for i in range(n)]
    ids[7] = "L" * 151  # over the id limit
    events = [None if i % 37 == 0 else ("e" * 101 if i % 59 == 0 else f"ev {TEXTS[i % 8][:20]}") for i in range(n)]
    stamps = [None if i % 13 == 0 else T0 + dt.timedelta(microseconds=rng.randint(0, 10**12)) for i in range(n)]
    return pa.table({
        "user_id": pa.array(ids, pa.string()),
        "anonymous_id": pa.array([None if i % 2 else f"a{i}" for i in range(n)], pa.large_string()),
        "event": events,
        "timestamp": pa.array(stamps, pa.timestamp("us", tz="Europe/Oslo")),
        "text": [None if i % 5 == 0 else TEXTS[i % len(TEXTS)] for i in range(n)],
        "amount": pa.array(_floats(n, rng), pa.float64()),
        "ratio": pa.array([None if i % 4 == 0 else rng.random() for i in range(n)], pa.float32()),
        "count": pa.array([None if i % 6 == 0 else rng.randint(-(2**62), 2**62) for i in range(n)], pa.int64()),
        "small": pa.array([i % 200 for i in range(n)], pa.uint8()),
        "flag": [None if i % 7 == 0 else bool(i % 2) for i in range(n)],
        "when": pa.array([None if i % 9 == 0 else T0 + dt.timedelta(days=i) for i in range(n)],
                         pa.timestamp("ns", tz="UTC")),
        "day": pa.array([None if i % 11 == 0 else dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(n)]),
        "tier": pa.array([["gold", "silver", None][i % 3] for i in range(n)]).dictionary_encode(),
        "nothing": pa.nulls(n),
        "big": ["y" * 33_000 if i == 11 else "b" for i in range(n)],  # one call over 32 KB
    })


def _rows(enc: RowEncoder, table: pa.Table, first: int = 0) -> tuple[list[tuple], list[tuple]]:
    good, bad, ordinal = [], [], first
    for batch in table.to_batches(max_chunksize=128):
        for item in enc.encode(batch, ordinal):
            if isinstance(item, Rejected):
                bad.append((item.ordinal, item.key, item.field, item.reason, item.limit, item.actual))
            else:
                good.append((item.ordinal, item.key, item.message_id, item.body))
        ordinal += batch.num_rows
    return good, bad


def _columns(enc: ColumnEncoder, table: pa.Table, first: int = 0) -> tuple[list[tuple], list[tuple]]:
    good, bad, ordinal = [], [], first
    for batch in table.to_batches(max_chunksize=128):
        chunk, rejected = enc.encode(batch, ordinal)
        bodies = [b[:-1] for b in chunk.bodies.to_pylist()]  # each body carries the comma that packs it
        good += list(zip(chunk.ordinals.tolist(), chunk.keys.to_pylist(), chunk.ids.to_pylist(), bodies,
                         strict=True))
        bad += [(r.ordinal, r.key, r.field, r.reason, r.limit, r.actual) for r in rejected]
        ordinal += batch.num_rows
    return good, bad


def _both(kind: str, table: pa.Table, **kw) -> tuple[tuple, tuple, ColumnEncoder]:
    column_map = bulk.ColumnMap(**kw)
    old = RowEncoder(kind, table.schema, column_map)
    new = ColumnEncoder(RowEncoder(kind, table.schema, column_map))
    assert new.reason is None, new.reason
    want, got = _rows(old, table, 5), _columns(new, table, 5)
    assert old.non_finite == new.rows.non_finite
    return want, got, new


@pytest.mark.parametrize("kind", ["track", "identify", "page", "screen", "group", "delete", "suppress"])
@pytest.mark.parametrize("nulls", ["skip", "send"])
def test_column_path_gives_the_row_encoders_calls_ids_and_rejections(kind: str, nulls: str):
    table = varied_table()
    kw: dict = {"nulls": nulls, "user_id": "user_id", "anonymous_id": "anonymous_id"}
    if kind in ("page", "screen"):
        kw["name"] = "text"
    if kind == "group":
        kw["group_id"] = "event"
    want, got, enc = _both(kind, table, **kw)
    assert got == want
    good, bad = want
    assert len(good) > 100 and len(bad) > 5  # both kinds of rows are covered
    assert enc.row_wise_batches == 0  # every batch went column-wise; only flagged rows took the row path
    assert all(orjson.loads(body)["messageId"] == mid for _, _, mid, body in good)


def test_keys_email_roles_and_numeric_ids_match():
    n = 200
    table = pa.table({
        "id": pa.array([float(i) if i % 17 else None for i in range(n)]),  # integral floats read as ints
        "mail": [f"p{i}@example.com" if i % 3 else None for i in range(n)],
        "region": [["eu", "us", None][i % 3] for i in range(n)],
        "shop": pa.array([i % 5 for i in range(n)], pa.int32()),
        "plan": ["pro" if i % 2 else "free" for i in range(n)],
    })
    for kw in ({"user_id": "id", "email": "mail"}, {"email": "mail", "user_id": None},
               {"user_id": "id", "email": "mail", "key": ("region", "shop")}, {"user_id": "id", "key": ("shop",)}):
        cm = {k: v for k, v in kw.items() if v is not None}
        source = table if cm.get("user_id") else table.drop_columns(["id"])
        want, got, _ = _both("identify", source, **cm)
        assert got == want and want[0]


def test_string_timestamps_and_nested_values_take_the_row_path():
    nested = pa.table({"id": ["u1"], "address": pa.array([{"city": "Oslo"}]), "tags": pa.array([["a"]])})
    assert "payload column 'address'" in (unsupported(RowEncoder("identify", nested.schema)) or "")
    text_ts = pa.table({"id": ["u1"], "event": ["e"], "timestamp": ["2024-01-01T00:00:00Z"]})
    assert "parsed per row" in (unsupported(RowEncoder("track", text_ts.schema)) or "")
    plain = pa.table({"id": ["u1"], "event": ["e"], "props": ['{"a": 1}']})
    assert unsupported(RowEncoder("track", plain.schema, bulk.ColumnMap(json_columns=("props",)))) == "json_columns"
    assert unsupported(RowEncoder("track", plain.schema, api="track")) == "the Track v2 API"
    assert unsupported(RowEncoder("alias", pa.table({"id": ["u"], "previous_id": ["a"]}).schema)) == "alias calls"
    # Such a load still runs, row by row, and sends what the row encoder builds.
    report = bulk.load(None, nested, kind="identify", dry_run=True, journal=None, progress=None)
    assert report.status == "dry-run" and report.rows_read == 1 and report.rejected == 0


def test_a_batch_with_unreadable_rows_goes_row_by_row(tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_text('{"id": "u1", "plan": "a"}\n{not json\n{"id": "u3", "plan": "c"}\n')
    report = bulk.load(None, path, kind="identify", dry_run=True, journal=None, progress=None)
    assert report.rows_read == 3 and report.rejected == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=400), max_size=300), st.integers(min_value=420, max_value=3000))
def test_pack_bounds_cuts_where_the_packer_does(sizes: list[int], limit: int):
    packer: Packer[int] = Packer(limit)
    frames: list[int] = []
    packer.extend([b"x" * s for s in sizes], range(len(sizes)), lambda f: frames.append(f.payloads[-1] + 1))
    if (last := packer.flush()) is not None:
        frames.append(last.payloads[-1] + 1)
    assert (pack_bounds(sizes, limit) if sizes else []) == frames


def test_pack_bounds_refuses_a_part_no_body_holds():
    with pytest.raises(PayloadTooLargeError) as exc:
        pack_bounds([10, 990, 5], 1000)
    assert exc.value.limit == 1000 - 12 and exc.value.actual == 990


def test_chunk_packer_makes_the_row_packers_batches_across_chunks():
    rng = random.Random(3)
    rows = [Encoded(i, f"k{i}", f"{i:036d}", b'{"n":"' + b"x" * rng.randint(10, 4000) + b'"}') for i in range(900)]
    old: list = []
    rp = _Packer(60_000)
    rp.extend(rows, old.append)
    old.append(rp.flush())
    new: list = []
    cp = _ChunkPacker(60_000)
    for start in range(0, 900, 77):  # chunk edges fall anywhere inside batches
        cp.extend(Chunk.of_encoded(rows[start : start + 77]), new.append)
    new.append(cp.flush())
    assert [b.body() for b in new] == [b.body() for b in old]
    assert [(b.ordinals, b.ids, b.keys) for b in new] == [(b.ordinals, b.ids, b.keys) for b in old]
    half, rest = new[0].split()
    assert half.calls() + rest.calls() == old[0].calls()


def _scan(table: pa.Table, *, row_wise: bool, batch_rows: int) -> tuple[list[bytes], str, LoadReport]:
    src = open_source(table, batch_rows=batch_rows)
    report = LoadReport(job="j", kind="track", api="pipelines", target="", source=src.describe)
    s = Scan(src, RowEncoder("track", src.schema), report, _Resume("j"), Digest(), make_progress(None))
    if row_wise:
        s.columns = None
    batches = [b.body() for b in scan(s, s.packer(60_000))]
    return batches, s.fingerprint().digest, report


def test_a_pass_packs_the_same_batches_and_fingerprint_either_way():
    table = pa.concat_tables([varied_table(300, seed=s) for s in range(8)])  # 2,400 rows, rejects throughout
    want, want_digest, want_report = _scan(table, row_wise=True, batch_rows=7_000)
    got, got_digest, got_report = _scan(table, row_wise=False, batch_rows=7_000)  # slices cut record batches
    assert got == want and got_digest == want_digest
    assert (got_report.rows_read, got_report.rejected, got_report.non_finite) == (
        want_report.rows_read, want_report.rejected, want_report.non_finite)
    assert got_report.rejections().equals(want_report.rejections())


def test_message_ids_are_the_ones_earlier_versions_sent():
    # Computed by the row-by-row encoder before the column path existed: a resume across versions
    # must find the rows it already delivered.
    table = pa.table({
        "user_id": ["u1", "ü2", "u3"], "event": ["signup", 'Köp "x"', "e\n3"],
        "timestamp": pa.array([dt.datetime(2024, 1, 1, 12, 30, 1, 234567, tzinfo=dt.UTC), None,
                               dt.datetime(1969, 7, 20, 20, 17, tzinfo=dt.UTC)], pa.timestamp("us", tz="UTC")),
        "amount": [0.25, None, 1e16], "n": [1, None, -3], "ok": [True, False, None]})
    chunk, rejected = ColumnEncoder(RowEncoder("track", table.schema)).encode(table.to_batches()[0], 0)
    assert rejected == [] and chunk.ids.to_pylist() == [
        "1d038152-6a70-5f97-8c58-dc0eab97e14d", "2ebce96d-b29f-5eeb-b9cb-25cc8dd646e3",
        "781a8c1e-036d-5f7b-8903-6b0d1a0b38e2"]


def test_iso_text_of_timestamps_matches_arrows_strftime():
    import pyarrow.compute as pc

    from cio_toolkit.bulk._cells import _iso_array

    rng = random.Random(4)
    ms = [rng.randint(-30_000_000_000_000, 250_000_000_000_000) for _ in range(5000)] + [0, -1, 86_399_999]
    arr = pa.array([*ms, None], pa.timestamp("ms", tz="UTC"))
    assert _iso_array(arr).equals(pc.strftime(arr, format="%Y-%m-%dT%H:%M:%SZ"))
    early = pa.array([-62_000_000_000_000], pa.timestamp("ms", tz="UTC"))  # year 5: Arrow's own strftime
    assert _iso_array(early).equals(pc.strftime(early, format="%Y-%m-%dT%H:%M:%SZ"))


def test_native_message_ids_are_hashlibs():
    # polars-hash's uuid5 kernel and the hashlib fallback must give the same ids, or a resume from a
    # machine with the other one installed would send delivered rows again.
    pytest.importorskip("polars_hash")
    from cio_toolkit.bulk._cells import _binaries
    from cio_toolkit.bulk._message_ids import _hashlib_ids, _native_ids, fast_message_id

    rng = random.Random(7)
    names = [b"", b"x", bytes(range(256)), "ünï 🎉 \x00".encode(), b"\xff\xfe not utf-8"]
    names += [rng.randbytes(n) for n in (54, 55, 56, 63, 64, 65, 119, 120, 128, 1000)]
    native = _native_ids()
    assert native is not None  # installed, and it passed its own probe
    arr = _binaries(names).slice(1)  # a slice: offsets not starting at 0
    expected = [fast_message_id(n) for n in names[1:]]
    assert native(arr).to_pylist() == expected
    assert _hashlib_ids(arr).to_pylist() == expected
