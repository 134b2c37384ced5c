"""Portable values (docs/values.md): every type of the table round-trips
through a real server exactly, numpy and pandas map as documented, what has
no portable form is refused naming its type, and a corrupt portable value
is an unpickling error, not a crash."""

from __future__ import annotations

import datetime as dt
import math
import struct

import numpy as np
import pandas as pd
import pytest

from nws import _core
from nws._values import DESC_PORTABLE, PORTABLE
from nws.client import NwsPicklingException, NwsUnpicklingException

UTC = dt.timezone.utc


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def same(a, b) -> bool:
    """Deep equality with doubles compared bit for bit and numpy arrays by dtype and content."""
    if isinstance(a, np.ma.MaskedArray) or isinstance(b, np.ma.MaskedArray):
        return (isinstance(a, np.ma.MaskedArray) and isinstance(b, np.ma.MaskedArray) and a.dtype == b.dtype
                and np.array_equal(np.ma.getmaskarray(a), np.ma.getmaskarray(b))
                and np.array_equal(a.data[~np.ma.getmaskarray(a)], b.data[~np.ma.getmaskarray(b)]))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.tobytes() == b.tobytes())
    if isinstance(a, float) and isinstance(b, float):
        return bits(a) == bits(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def round_trip(ws, value):
    ws.store("v", value, portable=True)
    return ws.fetch("v")


@pytest.mark.parametrize("value", [
    None, True, False, 0, -1, 2**63 - 1, -2**63, 3.25, -0.0, math.inf, -math.inf, "", "héllo ✓ 😀",
    b"\x00\xff", [], {}, [1, "two", 3.5, None, True], {"a": 1, "b": [{"c": None}]},
    dt.datetime(2026, 12, 6, 15, 54, 34, 123456, tzinfo=UTC),
    dt.datetime(1900, 1, 1, tzinfo=UTC),
], ids=repr)
def test_scalars_and_containers_round_trip(ws, value):
    assert same(round_trip(ws, value), value)


def test_nan_keeps_its_bits(ws):
    payload = struct.unpack("<d", struct.pack("<Q", 0x7FF00000000007A2))[0]  # R's NA_real_
    got = round_trip(ws, [math.nan, payload])
    assert bits(got[0]) == bits(math.nan) and bits(got[1]) == bits(payload)


def test_values_carry_the_portable_descriptor(ws):
    ws.store("v", [1, 2], portable=True)
    descriptor, fetched = ws._native.retrieve("findTry", b"v")[:2]
    data = bytes(fetched)  # a portable value's bytes stay native until decoded
    assert descriptor == DESC_PORTABLE and descriptor & PORTABLE
    assert data[:4] == b"\xc1NP\x01"
    assert _core.portable_describe(data) == "list of 2"


def test_strings_and_bytes_stay_plain(ws):
    ws.store("s", "text", portable=True)
    ws.store("b", b"\x01", portable=True)
    assert not ws._native.retrieve("findTry", b"s")[0] & PORTABLE
    assert not ws._native.retrieve("findTry", b"b")[0] & PORTABLE


def test_workspace_default(connect):
    ws = connect(portable=True)
    ws.store("v", {"x": 1})
    assert ws._native.retrieve("findTry", b"v")[0] & PORTABLE
    ws.store("p", {"x": 1}, portable=False)  # one store can still pickle
    assert not ws._native.retrieve("findTry", b"p")[0] & PORTABLE
    ws.portable = False
    ws.store("q", [1])
    assert not ws._native.retrieve("findTry", b"q")[0] & PORTABLE


@pytest.mark.parametrize("dtype", ["bool", "int32", "int64", "float64"])
def test_numpy_vectors(ws, dtype):
    a = np.array([1, 0, 1, 1], dtype=dtype)
    got = round_trip(ws, a)
    assert same(got, a) and got.flags.writeable


def test_special_doubles_in_a_vector(ws):
    a = np.array([1.5, -2.0, np.nan, np.inf, -np.inf, -0.0])
    assert same(round_trip(ws, a), a)


def test_datetime64_vectors_any_unit(ws):
    a = np.array(["1970-01-01T00:00:00", "2026-12-06T15:54:34.123456789"], dtype="datetime64[ns]")
    assert same(round_trip(ws, a), a)
    seconds = np.array(["2000-01-01T00:00:00"], dtype="datetime64[s]")
    assert same(round_trip(ws, seconds), seconds.astype("datetime64[ns]"))


def test_masked_arrays_carry_missing(ws):
    a = np.ma.MaskedArray(np.array([1, 0, 3], dtype="int32"), mask=[False, True, False])
    got = round_trip(ws, a)
    assert same(got, a)


def test_string_arrays_read_as_lists(ws):
    assert round_trip(ws, np.array(["a", "β", ""])) == ["a", "β", ""]


def test_ten_million_doubles(ws):
    a = np.arange(10_000_000, dtype="float64") / 7
    got = round_trip(ws, a)
    assert got.dtype == np.float64 and np.array_equal(got, a)


def test_dataframes(ws):
    df = pd.DataFrame({
        "x": [1.5, 2.5, np.nan],
        "n": np.array([1, 2, 3], dtype="int32"),
        "s": ["a", None, "c"],
        "b": [True, False, True],
        "i": pd.array([1, None, 3], dtype="Int64"),
        "t": pd.to_datetime(["2026-01-01", "2026-06-01", None]).tz_localize("UTC").as_unit("ns"),
    })
    got = round_trip(ws, df)
    pd.testing.assert_frame_equal(got, df)


def test_dataframe_with_an_index_is_refused(ws):
    df = pd.DataFrame({"x": [1.0]}, index=["row"])
    with pytest.raises(NwsPicklingException, match="reset_index"):
        ws.store("v", df, portable=True)


@pytest.mark.parametrize("value, says", [
    ({1, 2}, "set"),
    ({1: "a"}, "dict key of type int"),
    (2**64, "does not fit in 64 bits"),
    (dt.datetime(2026, 1, 1), "naive datetime"),
    (np.zeros((2, 2)), "2-D numpy array"),
    (np.zeros(2, dtype="float32"), "dtype float32"),
    (1 + 2j, "complex"),
    ("\ud800", None),  # a str is stored plain, never portable: no error
])
def test_what_has_no_portable_form_is_refused(ws, value, says):
    if says is None:
        with pytest.raises(NwsPicklingException, match="surrogate"):
            ws.store("v", [value], portable=True)
        return
    with pytest.raises(NwsPicklingException, match=says):
        ws.store("v", value, portable=True)
    assert ws.findTry("v") is None  # nothing was stored


def test_a_corrupt_portable_value_is_an_unpickling_error(ws):
    good = _core.portable_encode([1, 2, 3])
    ws._native.store(b"v", DESC_PORTABLE, good[:-1])
    with pytest.raises(NwsUnpicklingException, match="truncated"):
        ws.fetch("v")
    ws.store("after", [1], portable=True)  # the connection goes on
    assert ws.fetch("after") == [1]


def test_iterators_decode_portable_values(ws):
    for i in range(3):
        ws.store("v", {"i": i}, portable=True)
    assert [x["i"] for x in ws.ifindTry("v")] == [0, 1, 2]


def test_without_numpy_vectors_read_as_lists(ws, monkeypatch):
    from nws import _portable

    monkeypatch.setattr(_portable, "new_array", lambda element, count: None)  # as if numpy were missing
    ws.store("v", np.ma.MaskedArray(np.array([1.5, 0.0, -2.0]), mask=[False, True, False]), portable=True)
    ws.store("t", np.array(["2026-12-06T15:54:34.123456"], dtype="datetime64[us]"), portable=True)
    assert ws.fetch("v") == [1.5, None, -2.0]
    assert ws.fetch("t") == [dt.datetime(2026, 12, 6, 15, 54, 34, 123456, tzinfo=UTC)]


def test_numpy_scalars_are_plain_values(ws):
    got = round_trip(ws, [np.int64(7), np.float64(0.5), np.bool_(True), np.datetime64("2026-12-06T00:00:00", "ns")])
    assert same(got, [7, 0.5, True, dt.datetime(2026, 12, 6, tzinfo=UTC)])
    with pytest.raises(NwsPicklingException, match="float32"):
        ws.store("v", np.float32(1.5), portable=True)
