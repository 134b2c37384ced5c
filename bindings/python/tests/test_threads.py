"""Threads (documented in nws/_guard.py and the README): short calls on a
shared connection work from any thread; while one thread is blocked in
fetch/find on it, other threads get NwsConnectionBusyException at once;
threads with their own NetWorkSpace run freely (the GIL is released while
a call waits)."""

from __future__ import annotations

import threading

import pytest
from conftest import wait_blocked

from nws.client import DICT, V_VALUES, NwsClosedException, NwsConnectionBusyException


def run_in_thread(fn):
    out = {}

    def body():
        try:
            out["result"] = fn()
        except BaseException as e:  # reported to the test
            out["error"] = e

    t = threading.Thread(target=body)
    t.start()
    return t, out


def test_short_calls_from_many_threads_on_one_workspace_all_work(ws):
    def producer(k):
        for i in range(50):
            ws.store("shared", (k, i))

    threads = [threading.Thread(target=producer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert ws.listVars(format=DICT)["shared"][V_VALUES] == 200
    got = list(ws.ifetchTry("shared"))
    assert sorted(got) == sorted((k, i) for k in range(4) for i in range(50))
    for k in range(4):  # each producer's values stay in its order
        assert [i for kk, i in got if kk == k] == list(range(50))


def test_a_call_while_another_thread_blocks_on_the_connection_raises_busy(ws, observer):
    t, out = run_in_thread(lambda: ws.fetch("x"))
    wait_blocked(observer, "x", fetchers=1)
    with pytest.raises(NwsConnectionBusyException, match="blocked in fetch"):
        ws.store("x", "would deadlock")
    with pytest.raises(NwsConnectionBusyException):
        ws.find("y")
    observer.store("x", "from elsewhere")
    t.join(10)
    assert out == {"result": "from elsewhere"}
    ws.store("z", 1)  # free again
    assert ws.fetch("z") == 1


def test_threads_with_their_own_workspaces_block_independently(connect, ws):
    name = ws.currentWs()
    consumers = [connect(name, useUse=True) for _ in range(3)]
    runs = [run_in_thread(lambda c=c: c.fetch("job")) for c in consumers]
    wait_blocked(ws, "job", fetchers=3)
    for i in range(3):
        ws.store("job", i)
    results = []
    for t, out in runs:
        t.join(10)
        results.append(out["result"])
    assert sorted(results) == [0, 1, 2]


def test_close_from_another_thread_releases_a_blocked_call(connect, ws):
    waiter = connect(ws.currentWs(), useUse=True)  # not the owner: closing it purges nothing
    t, out = run_in_thread(lambda: waiter.fetch("x"))
    wait_blocked(ws, "x", fetchers=1)
    waiter.close()
    t.join(10)
    assert isinstance(out.get("error"), NwsClosedException)
    wait_blocked(ws, "x", fetchers=0)


def test_a_file_callback_calling_back_into_its_workspace_gets_a_clear_error(ws):
    class Echo:
        def write(self, data):
            ws.store("echo", data)

    ws.store("v", b"x")
    with pytest.raises(NwsConnectionBusyException, match="still running"):
        ws.fetchFile("v", Echo())
    ws.store("after", 1)
    assert ws.fetch("after") == 1
