"""Serialization edge cases: datetimes, Decimal, NaN, numpy and pandas values, nesting, sizes."""

from __future__ import annotations

import datetime as dt
import decimal
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cio_toolkit import ValidationError
from cio_toolkit._serialize import dumps, loads, to_jsonable, to_timestamp, wire_size


def test_aware_datetimes_become_utc_z():
    paris = dt.timezone(dt.timedelta(hours=2))
    assert loads(dumps({"t": dt.datetime(2024, 6, 1, 12, 0, tzinfo=paris)})) == {"t": "2024-06-01T10:00:00Z"}
    assert to_jsonable(dt.datetime(2024, 6, 1, 12, 0, 0, 5000, tzinfo=dt.UTC)) == "2024-06-01T12:00:00.005Z"


def test_naive_datetime_is_rejected_naming_the_nested_field():
    with pytest.raises(ValidationError) as ei:
        dumps({"traits": {"visits": [{"at": dt.datetime(2024, 1, 1)}]}})
    assert ei.value.field == "traits.visits[0].at"
    assert "time zone" in str(ei.value)


def test_scalars_from_numpy_pandas_decimal_and_nan():
    value = {
        "d": decimal.Decimal("12.50"), "i": decimal.Decimal("3"), "dnan": decimal.Decimal("NaN"),
        "nan": float("nan"), "inf": math.inf, "np_i": np.int64(7), "np_f": np.float32(0.5), "np_b": np.bool_(True),
        "np_arr": np.array([1, 2]), "pd_ts": pd.Timestamp("2024-01-01 10:00", tz="Europe/Paris"),
        "nat": pd.NaT, "na": pd.NA, "date": dt.date(2024, 2, 29), "set": {1}, "tuple": (1, "a"),
        "np_dt": np.datetime64("2024-01-01T00:00:00"), "none": None,
    }
    assert to_jsonable(value) == {
        "d": 12.5, "i": 3, "dnan": None, "nan": None, "inf": None, "np_i": 7, "np_f": 0.5, "np_b": True,
        "np_arr": [1, 2], "pd_ts": "2024-01-01T09:00:00Z", "nat": None, "na": None, "date": "2024-02-29",
        "set": [1], "tuple": [1, "a"], "np_dt": "2024-01-01T00:00:00+00:00", "none": None,
    }


def test_row_from_a_dataframe_serializes():
    df = pd.DataFrame({"id": [1, 2], "score": [1.5, None], "at": pd.to_datetime(["2024-01-01", None], utc=True)})
    rows = df.to_dict("records")
    assert to_jsonable(rows[1]) == {"id": 2, "score": None, "at": None}


def test_wire_size_is_exact_utf8_bytes():
    obj = {"name": "Zoë 🚀", "n": 1}
    assert wire_size(obj) == len('{"name":"Zoë 🚀","n":1}'.encode())


def test_unserializable_object_names_its_type():
    with pytest.raises(ValidationError, match="not JSON serializable"):
        dumps({"x": object()})


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "1970-01-01T00:00:00Z"), ("2024-01-01T00:00:00+01:00", "2023-12-31T23:00:00Z"),
     ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"), (None, None)],
)
def test_to_timestamp(value, expected):
    assert to_timestamp(value) == expected


@pytest.mark.parametrize("bad", ["yesterday", "2024-01-01T00:00:00", True, float("nan")])
def test_to_timestamp_rejects(bad):
    with pytest.raises(ValidationError) as ei:
        to_timestamp(bad, field="timestamp")
    assert ei.value.field == "timestamp"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_plain_json_round_trips_and_size_matches(value):
    raw = dumps(value)
    assert loads(raw) == value
    assert wire_size(value) == len(raw)
