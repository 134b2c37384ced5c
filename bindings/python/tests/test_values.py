"""How values travel: str as a direct string, bytes as a direct binary
string, everything else pickled with Python's language id; and what comes
back from other writers."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest

import nws._values as values
from nws import _core
from nws.client import NwsPicklingException, NwsSerialisationException, NwsUnpicklingException

MiB = 1 << 20


@dataclass
class Point:  # module level, so pickle can find it
    x: int
    y: int


def raw(ws, var):
    """(descriptor, bytes) of the first value, as the server holds it."""
    reply = ws._native.retrieve("findTry", var.encode())
    assert reply is not None
    return reply[0], reply[1]


def raw_store(ws, var, descriptor, data):
    ws._native.store(var.encode(), descriptor, data)


@pytest.mark.parametrize("text", ["", "plain ASCII text", "héllo wörld — 日本語 ✓ 🎉", "line\nbreaks\ttabs\0nul"])
def test_str_round_trips_as_a_direct_utf8_string(ws, text):
    ws.store("s", text)
    assert raw(ws, "s") == (0x01000001, text.encode("utf-8"))
    got = ws.fetch("s")
    assert type(got) is str and got == text


def test_empty_string_is_a_value_not_missing(ws):
    ws.store("e", "")
    assert ws.fetchTry("e", "missing") == ""
    assert ws.fetchTry("e", "missing") == "missing"


@pytest.mark.parametrize("data", [b"", b"ascii", bytes(range(256)), bytes(range(256))[::-1] * 3])
def test_bytes_round_trip_as_a_direct_binary_string(ws, data):
    ws.store("b", data)
    assert raw(ws, "b") == (0x01000003, data)
    got = ws.fetch("b")
    assert type(got) is bytes and got == data


def test_64_mib_of_bytes_round_trip_exactly(ws):
    pattern = bytes(range(256)) * (64 * MiB // 256)
    data = bytes(b ^ (i & 0xFF) for i, b in enumerate(pattern[:4096])) + pattern[4096:]
    ws.store("big", data)
    assert ws.find("big") == data
    assert ws.fetch("big") == data
    assert ws.fetchTry("big") is None


def test_64_mib_string_round_trips_exactly(ws):
    text = ("0123456789abcdef" * (4 * MiB))[:-3] + "日"
    ws.store("bigs", text)
    assert ws.fetch("bigs") == text


@pytest.mark.parametrize(
    "value",
    [None, 0, -17, 2**100, 3.25, True, [1, "two", 3.0], ("t", 1), {"a": [1, 2], 3: None}, {1, 2},
     bytearray(b"\0\1"), Point(1, 2), {"dict example": {"nested": ["x"]}}],
)
def test_other_values_are_pickled(ws, value):
    ws.store("p", value)
    descriptor, data = raw(ws, "p")
    assert descriptor == 0x01000000
    assert data[:2] == b"\x80\x02"  # pickle protocol 2, see nws._values.PICKLE_PROTOCOL
    got = ws.fetch("p")
    assert got == value and type(got) is type(value)


def test_pickle_protocol_can_be_raised(ws, monkeypatch):
    monkeypatch.setattr(values, "PICKLE_PROTOCOL", 5)
    ws.store("p", [1, 2])
    assert raw(ws, "p")[1][:2] == b"\x80\x05"
    assert ws.fetch("p") == [1, 2]


def test_unpicklable_value_raises_and_stores_nothing(ws):
    with pytest.raises(NwsPicklingException) as info:
        ws.store("bad", lambda: 1)
    assert "bad" in str(info.value)
    assert info.value.exception is not None
    assert ws.fetchTry("bad", "nothing") == "nothing"
    ws.store("bad", 1)  # the connection is fine
    assert ws.fetch("bad") == 1


def test_string_that_cannot_be_utf8_encoded_raises_pickling_exception(ws):
    with pytest.raises(NwsPicklingException):
        ws.store("s", "lone \ud800 surrogate")


def test_value_serialised_by_another_language_names_it(ws):
    r_serialized = b"X\n\x00\x00\x00\x03\x00\x03\x06\x00\x00\x00\x00\x0e\x00\x00\x00\x01@E\x00\x00\x00\x00\x00\x00"
    raw_store(ws, "fromR", 3 << 24, r_serialized)
    with pytest.raises(NwsUnpicklingException) as info:
        ws.fetch("fromR")
    assert info.value.language == "R"
    assert "serialised by R" in str(info.value)
    # The words every language uses for such a value: the core's.
    core_message = _core.unreadable_value_message(ws.currentWs().encode(), b"fromR", 3 << 24).decode()
    assert str(info.value) == core_message
    assert "variable 'fromR' in workspace '%s'" % ws.currentWs() in core_message
    assert isinstance(info.value, NwsSerialisationException)
    assert info.value.obj == r_serialized
    # fetchTry does not hide it either (as in the original client).
    raw_store(ws, "fromJava", 7 << 24, b"\xac\xed\x00\x05")
    with pytest.raises(NwsUnpicklingException, match="Java"):
        ws.fetchTry("fromJava")


def test_direct_strings_from_other_languages_are_readable(ws):
    raw_store(ws, "rs", (3 << 24) | 1, "from R ✓".encode())
    raw_store(ws, "rraw", (3 << 24) | 3, b"\x00\xff")
    assert ws.fetch("rs") == "from R ✓"
    assert ws.fetch("rraw") == b"\x00\xff"


def test_broken_python_pickle_raises_unpickling_exception(ws):
    raw_store(ws, "broken", 0x01000000, b"\x80\x02not a pickle")
    with pytest.raises(NwsUnpicklingException) as info:
        ws.fetch("broken")
    assert info.value.obj == b"\x80\x02not a pickle"
    assert info.value.language == "Python"


def test_empty_serialised_value_reads_as_missing(ws):
    raw_store(ws, "e", 0x01000000, b"")
    raw_store(ws, "e", 0x01000000, b"")
    assert ws.fetchTry("e", "dflt") == "dflt"
    assert ws.fetch("e") is None


def test_text_that_is_not_utf8_survives_a_round_trip(ws):
    latin1 = "café".encode("latin-1")
    raw_store(ws, "t", (3 << 24) | 1, latin1)
    got = ws.fetch("t")
    assert isinstance(got, str)
    ws.store("t", got)
    assert raw(ws, "t")[1] == latin1


def test_pickles_from_the_original_python2_client_are_readable(ws):
    # What the original client stored for {'a': 1} (cPickle protocol 1).
    raw_store(ws, "old", 0x01000000, pickle.dumps({"a": 1}, 1))
    assert ws.fetch("old") == {"a": 1}
