"""ifetch, ifetchTry, ifind, ifindTry: iteration, restart, reset, writeTo,
and how they end."""

from __future__ import annotations

import io
import threading

import pytest
from conftest import wait_blocked

from nws.client import SINGLE, NwsValueIterator


def fill(ws, var, values):
    for v in values:
        ws.store(var, v)


def test_ifindTry_sees_every_value_and_leaves_them(ws):
    fill(ws, "x", range(10))
    it = ws.ifindTry("x")
    assert isinstance(it, NwsValueIterator)
    assert iter(it) is it
    assert list(it) == list(range(10))
    assert ws.listVars(format="dict")["x"][1] == 10


def test_restart_continues_after_the_last_value_seen(ws):
    fill(ws, "x", range(10))
    it = ws.ifindTry("x")
    assert list(it) == list(range(10))
    fill(ws, "x", range(10, 20))
    assert list(it) == []  # stays stopped until restart()
    it.restart()
    assert list(it) == list(range(10, 20))


def test_reset_starts_again_from_the_oldest_value(ws):
    fill(ws, "x", range(10))
    it = ws.ifindTry("x")
    assert list(it) == list(range(10))
    fill(ws, "x", range(10, 20))
    it.reset()
    assert list(it) == list(range(20))


def test_ifetchTry_consumes_the_values(ws):
    fill(ws, "x", range(10))
    assert list(ws.ifetchTry("x")) == list(range(10))
    assert ws.fetchTry("x") is None


def test_two_ifetchTry_iterators_share_the_values(ws):
    fill(ws, "x", range(10))
    a, b = ws.ifetchTry("x"), ws.ifetchTry("x")
    seen = []
    for _ in range(5):
        seen += [next(a), next(b)]
    assert sorted(seen) == list(range(10))
    assert list(a) == [] and list(b) == []


def test_two_ifindTry_iterators_each_see_every_value(ws):
    fill(ws, "x", range(10))
    a, b = ws.ifindTry("x"), ws.ifindTry("x")
    seen_a, seen_b = [], []
    for _ in range(10):
        seen_a.append(next(a))
        seen_b.append(next(b))
    assert seen_a == seen_b == list(range(10))


def test_ifind_waits_for_new_values(ws, observer):
    fill(ws, "x", [1])
    it = ws.ifind("x")
    assert next(it) == 1
    got = []
    t = threading.Thread(target=lambda: got.append(next(it)))
    t.start()
    wait_blocked(observer, "x", finders=1)
    observer.store("x", 2)
    t.join(10)
    assert got == [2]


def test_ifetch_waits_and_consumes(ws, observer):
    it = ws.ifetch("x")
    got = []
    t = threading.Thread(target=lambda: got.append(next(it)))
    t.start()
    wait_blocked(observer, "x", fetchers=1)
    observer.store("x", "v")
    t.join(10)
    assert got == ["v"]
    assert ws.fetchTry("x") is None


def test_blocking_iterators_end_when_the_variable_is_deleted(ws, observer):
    fill(ws, "x", [1])
    it = ws.ifind("x")
    assert next(it) == 1
    ws.deleteVar("x")
    fill(ws, "x", [5])  # a new variable with a new id: the old iteration is over
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(StopIteration):
        next(it)  # and stays over


def test_blocked_ifind_ends_when_another_client_deletes_the_variable(ws, observer):
    it = ws.ifind("x")
    outcome = []

    def run():
        try:
            outcome.append(next(it))
        except StopIteration:
            outcome.append("stopped")

    t = threading.Thread(target=run)
    t.start()
    wait_blocked(observer, "x", finders=1)
    observer.deleteVar("x")
    t.join(10)
    assert outcome == ["stopped"]


def test_single_variable_iteration_follows_its_rules(ws):
    # PROTOCOL.md 9.5 / section 21 item 15.
    ws.declare("s", SINGLE)
    for v in (100, 101):
        ws.store("s", v)
    it = ws.ifindTry("s")
    assert list(it) == [101]
    ws.store("s", 103)
    it.restart()
    assert list(it) == [103]
    ws.store("s", 104)
    ws.store("s", 105)
    it.restart()
    assert list(it) == [105]
    fetcher = ws.ifetchTry("s")
    assert list(fetcher) == [105]
    assert ws.fetchTry("s") is None


def test_writeTo_writes_one_value_per_call(ws):
    fill(ws, "x", ["ab", b"\0\1\2", {"pickled": True}])
    it = ws.ifindTry("x")
    out = io.BytesIO()
    assert it.writeTo(out) == 2
    assert it.writeTo(out) == 3
    n = it.writeTo(out)
    assert n > 0
    assert out.getvalue()[:5] == b"ab\0\1\2"
    assert it.writeTo(out) == 0  # the end
    assert it.writeTo(out) == 0


def test_writeTo_on_a_blocking_iterator(ws):
    fill(ws, "x", [b"data"])
    out = io.BytesIO()
    assert ws.ifetch("x").writeTo(out) == 4
    assert out.getvalue() == b"data"


def test_next_is_available_under_its_python2_name(ws):
    fill(ws, "x", [1])
    assert ws.ifindTry("x").next() == 1
