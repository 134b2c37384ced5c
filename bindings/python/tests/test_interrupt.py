"""Ctrl-C: a SIGINT sent to this process while it is blocked in a fetch or
find raises KeyboardInterrupt within half a second; the workspace stays
usable; the abandoned request swallows nothing."""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time

import pytest
from conftest import var_counts, wait_blocked
from fake_server import FakeServer

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


def test_a_value_that_wins_the_race_comes_with_the_interrupt():
    # A server that, when the client withdraws its blocked fetch, answers
    # that the value had already been sent (docs/protocol-extensions.md,
    # NwsCancel case 2).  Ctrl-C must still take effect, and the value must
    # not be lost: the KeyboardInterrupt carries it.
    def script(peer):
        requested = peer.handshake_new({b"NwsCancel": b""})
        assert requested == {b"NwsCancel": b"1"}
        assert peer.read_request()[0] == b"open ws"
        peer.short_reply(0)
        assert peer.read_request()[:3] == [b"fetch", b"race", b"x"]
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the client waits
        assert peer.read_request() == [b"cancel"]
        peer.long_reply(0, 0x01000000, pickle.dumps({"won": "the race"}, 2))
        peer.short_reply(1)  # "No blocked request to cancel."
        assert peer.read_request()[0] == b"store"
        peer.short_reply(0)

    fake = FakeServer(script)
    ws = NetWorkSpace("race", serverHost="127.0.0.1", serverPort=fake.port)
    with pytest.raises(KeyboardInterrupt) as info:
        ws.fetch("x")
    assert info.value.nws_value == {"won": "the race"}
    ws.store("y", "still usable")
    ws.close()
    fake.join()


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
