"""Ctrl-C: a SIGINT sent to this process while it is blocked in a fetch or
find raises KeyboardInterrupt within half a second; the workspace stays
usable; the abandoned request swallows nothing; and a value that had
arrived when the interrupt came goes with the KeyboardInterrupt."""

from __future__ import annotations

import io
import os
import signal
import threading
import time

import pytest
from conftest import var_counts, wait_blocked

from nws import _values
from nws.client import NetWorkSpace


@pytest.fixture(autouse=True)
def python_sigint_handler():
    """Python's own Ctrl-C handler, whatever this process inherited (a
    shell starts background jobs with SIGINT ignored, and then Python does
    not install its handler)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


class Interrupter:
    """Sends SIGINT to this process once `ready()` holds, from a thread, and
    records when."""

    def __init__(self, ready):
        self.sent_at = None
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()

    def _run(self, ready):
        ready()
        self.sent_at = time.monotonic()
        os.kill(os.getpid(), signal.SIGINT)

    def join(self):
        self._thread.join(10)


@pytest.mark.parametrize("how,kind", [("fetch", "fetchers"), ("find", "finders")])
def test_sigint_interrupts_a_blocked_call_quickly(ws, observer, how, kind):
    waiting = {"fetchers": 1} if kind == "fetchers" else {"finders": 1}
    sender = Interrupter(lambda: wait_blocked(observer, "x", **waiting))
    with pytest.raises(KeyboardInterrupt):
        getattr(ws, how)("x")
    raised_after = time.monotonic() - sender.sent_at
    sender.join()
    assert raised_after < 0.5
    # The request was withdrawn: nobody waits any more ...
    assert var_counts(observer, "x") == (0, 0, 0)
    # ... so a value stored after the interrupt is kept for the next fetcher.
    observer.store("x", "after the interrupt")
    assert var_counts(observer, "x") == (1, 0, 0)
    # And the interrupted workspace still works.
    assert ws.fetch("x") == "after the interrupt"
    ws.store("y", 1)
    assert ws.fetchTry("y") == 1


def test_sigint_interrupts_a_blocked_iterator_step(ws, observer):
    it = ws.ifind("x")
    sender = Interrupter(lambda: wait_blocked(observer, "x", finders=1))
    with pytest.raises(KeyboardInterrupt):
        next(it)
    sender.join()
    observer.store("x", 1)
    assert next(it) == 1


def test_sigint_interrupts_a_fetch_with_a_timeout(ws, observer):
    sender = Interrupter(lambda: wait_blocked(observer, "x", fetchers=1))
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        ws.fetch("x", timeout=60)
    sender.join()
    assert time.monotonic() - start < 30


def _interrupted(call):
    """Runs call(), which must raise KeyboardInterrupt; returns that."""
    with pytest.raises(KeyboardInterrupt) as info:
        call()
    return info.value


RACES = [
    ("fetch", lambda ws: ws.fetch("x"), "arrived"),
    ("fetch with a timeout", lambda ws: ws.fetch("x", timeout=60), "arrived"),
    ("find", lambda ws: ws.find("x"), "arrived"),
    ("ifetch step", lambda ws: next(ws.ifetch("x")), "arrived"),
    ("ifind step", lambda ws: next(ws.ifind("x")), "arrived"),
]


@pytest.mark.parametrize("call,expected", [r[1:] for r in RACES], ids=[r[0] for r in RACES])
def test_a_value_that_arrived_with_ctrl_c_comes_with_the_interrupt(race_peer, call, expected):
    # Ctrl-C must take effect (KeyboardInterrupt), and the value the server
    # had already sent must not be lost: the interrupt carries it.
    peer = race_peer()
    ws = NetWorkSpace("race", serverHost="127.0.0.1", serverPort=peer.port)
    interrupt = _interrupted(lambda: call(ws))
    assert interrupt.nws_value == expected
    ws.store("y", "the connection is still in step")
    ws.close()
    assert peer.finish().split() == ["BLOCKED", "CANCELLED"]


def test_a_pickled_value_that_arrived_with_ctrl_c_stays_raw(race_peer):
    peer = race_peer("--descriptor", str(_values.DESC_PICKLE), "--value", "not a pickle")
    ws = NetWorkSpace("race", serverHost="127.0.0.1", serverPort=peer.port)
    interrupt = _interrupted(lambda: ws.fetch("x"))
    # A value Python cannot read stays available, raw.
    assert not hasattr(interrupt, "nws_value")
    assert interrupt.nws_reply[:2] == (_values.DESC_PICKLE, b"not a pickle")
    ws.close()
    peer.finish()


@pytest.mark.parametrize("how", ["fetchFile", "findFile"])
def test_a_file_value_that_arrived_with_ctrl_c_is_in_the_file(race_peer, how):
    peer = race_peer("--value", "file contents")
    ws = NetWorkSpace("race", serverHost="127.0.0.1", serverPort=peer.port)
    out = io.BytesIO()
    interrupt = _interrupted(lambda: getattr(ws, how)("x", out))
    assert interrupt.nws_value == len(b"file contents")
    assert out.getvalue() == b"file contents"
    ws.close()
    assert peer.finish().split() == ["BLOCKED", "CANCELLED"]


def test_an_iterator_interrupted_with_its_value_goes_on(race_peer):
    # The step that was interrupted delivered its value (with the
    # interrupt), so the iteration is not over: the next step asks the
    # server again (this peer has nothing newer: the end).
    peer = race_peer()
    ws = NetWorkSpace("race", serverHost="127.0.0.1", serverPort=peer.port)
    it = ws.ifind("x")
    assert _interrupted(lambda: next(it)).nws_value == "arrived"
    assert "stopped" not in repr(it)
    with pytest.raises(StopIteration):  # the peer has no newer value
        next(it)
    ws.close()
    peer.finish()


def test_a_custom_sigint_handler_runs_and_its_exception_is_raised(ws, observer):
    class Stop(Exception):
        pass

    calls = []

    def handler(signum, frame):
        calls.append(signum)
        raise Stop()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        sender = Interrupter(lambda: wait_blocked(observer, "x", fetchers=1))
        with pytest.raises(Stop):
            ws.fetch("x")
        sender.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert calls == [signal.SIGINT]
    assert var_counts(observer, "x") == (0, 0, 0)


def test_a_handler_that_does_not_raise_lets_the_call_go_on(ws, observer):
    calls = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))

    def interrupt_then_store():
        wait_blocked(observer, "x", fetchers=1)
        os.kill(os.getpid(), signal.SIGINT)
        # The handler runs in the main thread, which is inside fetch.
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.005)
        observer.store("x", "delivered")

    helper = threading.Thread(target=interrupt_then_store)
    try:
        helper.start()
        assert ws.fetch("x", timeout=20) == "delivered"
        helper.join(10)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert calls == [signal.SIGINT]


def test_sigint_gives_up_a_manual_sleighs_wait_for_its_workers(server, ws):
    """launch='web' waits in the constructor until a person has started the
    workers: Ctrl-C ends that wait, and the sleigh's workspace goes."""
    from conftest import unique, wait_until

    from nws.sleigh import Sleigh

    template = unique("intr") + "_%04d"
    prefix = template.split("%")[0]

    def sleigh_workspaces():
        return [line[1:].split("\t")[0] for line in ws.server.listWss().split("\n") if prefix in line]

    def waiting_for_a_person():
        for name in sleigh_workspaces():
            probe = NetWorkSpace(name, serverHost=server.host, serverPort=server.port, useUse=True)
            try:
                if probe.findTry("runMe"):
                    return True
            finally:
                probe.close()
        return False

    sender = Interrupter(lambda: wait_until(waiting_for_a_person, 30, "the manual launch's runMe"))
    with pytest.raises(KeyboardInterrupt):
        Sleigh(nwsHost=server.host, nwsPort=server.port, launch="web", wsNameTemplate=template)
    raised_after = time.monotonic() - sender.sent_at
    sender.join()
    assert raised_after < 0.5
    wait_until(lambda: not sleigh_workspaces(), 10, "the given-up sleigh's workspace to go")
