"""Leased fetch (reliable consume, NwsLease): NetWorkSpace.lease and
leaseTry, and the Lease they return -- acknowledge, store-and-acknowledge,
release, renew, the `with` form; a value whose holder dies (its connection
closes, or it is SIGKILLed) or whose lease expires goes back to the head
of its variable for the next fetcher, exactly once.  No sleeps: whoever
waits for a value that comes back waits in a blocking call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from conftest import var_counts, wait_blocked, wait_until
from fake_server import FakeServer

from nws import _core, _values
from nws.client import (
    DICT,
    LIFO,
    V_VALUES,
    Lease,
    NetWorkSpace,
    NwsInvalidArgumentException,
    NwsLeaseLostException,
    NwsOperationException,
    NwsPicklingException,
    NwsTimeoutException,
    NwsUnpicklingException,
    NwsUnsupportedOperationException,
)


def values_in(observer, var):
    return var_counts(observer, var)[0]


def raw_descriptor(observer, var):
    """The descriptor of the value fetched from `var` (it is consumed)."""
    reply = observer._native.retrieve("fetchTry", var.encode())
    assert reply is not None
    return reply[0]


# -- acknowledge, release ------------------------------------------------------


def test_the_server_offers_leases(ws):
    assert ws.server._native.supports_lease


def test_lease_then_ack_removes_the_value_for_good(ws, observer):
    ws.store("task", "a")
    lease = ws.lease("task")
    assert isinstance(lease, Lease)
    assert lease.value == "a"
    assert (lease.variable, lease.settled) == ("task", False)
    assert isinstance(lease.id, int)
    assert "task" in repr(lease)
    # Held: the value has left its variable, as with fetch.
    assert observer.fetchTry("task") is None
    lease.ack()
    assert lease.settled
    assert observer.fetchTry("task") is None
    assert values_in(observer, "task") == 0


def test_release_gives_the_value_back_at_the_head_fifo(ws, observer):
    for v in (1, 2, 3):
        ws.store("q", v)
    lease = ws.lease("q")
    assert lease.value == 1
    lease.release()
    assert lease.settled
    assert [observer.fetch("q"), observer.fetch("q"), observer.fetch("q")] == [1, 2, 3]
    assert observer.fetchTry("q") is None


def test_release_gives_the_value_back_on_top_lifo(ws, observer):
    ws.declare("stack", LIFO)
    for v in (1, 2, 3):
        ws.store("stack", v)
    lease = ws.lease("stack")
    assert lease.value == 3
    lease.release()
    assert [observer.fetch("stack"), observer.fetch("stack"), observer.fetch("stack")] == [3, 2, 1]


def test_settling_twice_is_an_invalid_argument(ws):
    ws.store("t", 1)
    lease = ws.lease("t")
    lease.ack()
    for settle in (lease.ack, lease.release, lambda: lease.ackStore("out", 2), lambda: lease.renew(10)):
        with pytest.raises(NwsInvalidArgumentException, match="settled already"):
            settle()


def test_values_convert_as_fetch_converts_them(ws):
    stored = ["text", b"\x00bytes", {"a": [1, 2]}, 3.5, None]
    for v in stored:
        ws.store("v", v)
    got = []
    for _ in stored:
        with ws.lease("v") as v:
            got.append(v)
    assert got == stored
    assert type(got[1]) is bytes


def test_a_portable_value_is_leased_like_a_fetched_one(connect):
    ws = connect(portable=True)
    ws.store("p", {"n": [1, 2, 3], "s": "x"})
    with ws.lease("p") as v:
        assert v == {"n": [1, 2, 3], "s": "x"}


def test_an_unreadable_value_raises_on_access_and_the_with_form_gives_it_back(ws, observer):
    r_serialized = b"X\n\x00\x00\x00\x03\x00\x03\x06\x00\x00\x00\x00\x0e\x00\x00\x00\x01@E\x00\x00\x00\x00\x00\x00"
    observer._native.store(b"fromR", 3 << 24, r_serialized)
    lease = ws.lease("fromR")
    with pytest.raises(NwsUnpicklingException):
        lease.value
    assert not lease.settled  # still held: release it or drop it with ack
    lease.release()
    with pytest.raises(NwsUnpicklingException):
        with ws.lease("fromR"):
            pytest.fail("the block must not run")
    assert values_in(observer, "fromR") == 1  # given back


def test_lease_try_on_an_empty_or_missing_variable_is_none(ws, observer):
    assert ws.leaseTry("never stored") is None
    ws.store("t", "only")
    lease = ws.leaseTry("t", 30)
    assert lease is not None and lease.value == "only"
    assert ws.leaseTry("t") is None  # held, so empty
    lease.release()
    assert observer.fetchTry("t") == "only"


# -- ackStore ------------------------------------------------------------------


def test_ack_store_stores_the_result_and_ends_the_lease_in_one_step(ws, observer):
    ws.store("in", 21)
    lease = ws.lease("in")
    lease.ackStore("out", {"doubled": lease.value * 2})
    assert lease.settled
    assert observer.fetchTry("out") == {"doubled": 42}
    assert observer.fetchTry("in") is None
    assert values_in(observer, "in") == 0


def test_ack_store_writes_what_store_writes(connect, ws, observer):
    for v in ("x", "y", "z"):
        ws.store("in", v)
    ws.lease("in").ackStore("out", [1, 2], portable=True)
    assert raw_descriptor(observer, "out") == _values.DESC_PORTABLE
    ws.lease("in").ackStore("out", [1, 2])
    assert raw_descriptor(observer, "out") == _values.DESC_PICKLE
    ws.lease("in").ackStore("out", "text")
    assert raw_descriptor(observer, "out") == _values.DESC_STR
    # The workspace's portable default, as store has it.
    portable_ws = connect(ws.currentWs(), useUse=True, portable=True)
    portable_ws.store("in", "w")
    portable_ws.lease("in").ackStore("out", [1, 2])
    assert raw_descriptor(observer, "out") == _values.DESC_PORTABLE
    portable_ws.store("in", "w")
    portable_ws.lease("in").ackStore("out", [1, 2], portable=False)
    assert raw_descriptor(observer, "out") == _values.DESC_PICKLE
    assert values_in(observer, "in") == 0


def test_ack_store_of_an_unpicklable_value_keeps_the_lease(ws, observer):
    ws.store("in", 1)
    lease = ws.lease("in")
    with pytest.raises(NwsPicklingException):
        lease.ackStore("out", lambda: None)
    assert not lease.settled
    assert values_in(observer, "out") == 0
    lease.release()
    assert observer.fetchTry("in") == 1


# -- the with form -------------------------------------------------------------


def test_with_acknowledges_on_normal_exit(ws, observer):
    ws.store("task", "job")
    with ws.lease("task") as task:
        assert task == "job"
        assert values_in(observer, "task") == 0
    assert observer.fetchTry("task") is None
    assert values_in(observer, "task") == 0


@pytest.mark.parametrize("exc", [RuntimeError("failed"), KeyboardInterrupt()], ids=["error", "interrupt"])
def test_with_releases_on_an_exception_which_goes_on(ws, observer, exc):
    ws.store("task", "first")
    ws.store("task", "second")
    with pytest.raises(type(exc)):
        with ws.lease("task") as task:
            assert task == "first"
            raise exc
    assert [observer.fetchTry("task"), observer.fetchTry("task")] == ["first", "second"]


def test_with_leaves_a_lease_settled_in_the_block_alone(ws, observer):
    ws.store("task", 5)
    lease = ws.lease("task")
    with lease as task:
        lease.ackStore("done", task * 10)
    assert lease.settled
    assert observer.fetchTry("done") == 50
    ws.store("task", 6)
    lease = ws.lease("task")
    with lease:
        lease.release()
    assert observer.fetchTry("task") == 6
    # Settled in the block, then the block raises: nothing more either.
    ws.store("task", 7)
    lease = ws.lease("task")
    with pytest.raises(ValueError):
        with lease:
            lease.ack()
            raise ValueError
    assert observer.fetchTry("task") is None


def test_with_lease_try(ws, observer):
    ws.store("task", "t")
    lease = ws.leaseTry("task")
    assert lease is not None
    with lease as task:
        assert task == "t"
    assert values_in(observer, "task") == 0


def test_a_dropped_unsettled_lease_is_released(ws, observer):
    ws.store("task", "dropped")
    lease = ws.lease("task")
    assert observer.fetchTry("task") is None
    del lease
    assert observer.fetchTry("task") == "dropped"


def test_a_lease_dropped_while_its_connection_is_busy_is_released_after(ws, observer):
    # Another thread blocks in fetch on the lease's connection: the release
    # waits for that call to end instead of blocking the dropping thread.
    ws.store("task", "deferred")
    lease = ws.lease("task")
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("got", ws.fetch("other")))
    t.start()
    wait_blocked(observer, "other", fetchers=1)
    del lease  # returns at once
    assert observer.fetchTry("task") is None  # not yet released
    observer.store("other", "wake up")
    t.join(10)
    assert out == {"got": "wake up"}
    assert observer.fetch("task", timeout=10) == "deferred"


# -- the holder goes away --------------------------------------------------------


def test_closing_the_holders_connection_gives_the_value_back(connect, ws, observer):
    holder = connect(ws.currentWs(), useUse=True)
    ws.store("task", "held")
    lease = holder.lease("task")
    assert lease.value == "held"
    holder.close()
    assert observer.fetch("task", timeout=10) == "held"
    assert observer.fetchTry("task") is None


CHILD = textwrap.dedent("""
    import sys, time
    from nws.client import NetWorkSpace
    ws = NetWorkSpace(sys.argv[1], serverHost=sys.argv[2], serverPort=int(sys.argv[3]), useUse=True)
    lease = ws.lease("task")
    print("leased", lease.value, flush=True)
    time.sleep(600)
""")


@pytest.fixture
def lease_holder(server):
    """lease_holder(wsName) -> a child process that has leased a value of
    `task` (the line it printed says which); SIGKILLed by the test."""
    children = []

    def start(ws_name):
        child = subprocess.Popen([sys.executable, "-c", CHILD, ws_name, server.host, str(server.port)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        children.append(child)
        line = child.stdout.readline()
        assert line.startswith("leased "), line
        return child, line.split(None, 1)[1].rstrip("\n")

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait(30)
        child.stdout.close()


def test_a_sigkilled_holders_value_goes_to_a_blocked_fetcher_exactly_once(ws, observer, lease_holder):
    ws.store("task", "job 1")
    child, leased = lease_holder(ws.currentWs())
    assert leased == "job 1"
    assert values_in(observer, "task") == 0
    # Another connection waits for a value; the holder dies.
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("got", observer.fetch("task", timeout=30)))
    t.start()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(30)
    t.join(30)
    assert out == {"got": "job 1"}
    assert ws.fetchTry("task") is None  # exactly once


def test_a_sigkilled_holders_value_goes_back_to_the_head(ws, observer, lease_holder):
    ws.store("task", "first")
    child, leased = lease_holder(ws.currentWs())
    assert leased == "first"
    ws.store("task", "second")
    os.kill(child.pid, signal.SIGKILL)
    child.wait(30)
    wait_until(lambda: values_in(observer, "task") == 2, what="the killed holder's value to come back")
    assert [ws.fetchTry("task"), ws.fetchTry("task"), ws.fetchTry("task")] == ["first", "second", None]


def test_an_expired_lease_goes_to_a_blocked_fetcher_and_its_ack_is_lost(ws, observer):
    ws.store("task", "slow")
    lease = ws.lease("task", duration=0.2)
    # Blocks until the lease expires and the value comes back.
    assert observer.fetch("task", timeout=30) == "slow"
    with pytest.raises(NwsLeaseLostException, match="expired") as info:
        lease.ack()
    assert isinstance(info.value, NwsOperationException)
    assert info.value.kind == "LeaseLost"
    assert lease.settled
    assert observer.fetchTry("task") is None  # the lost ack removed nothing


def test_an_expired_lease_with_ack_store_stores_nothing(ws, observer):
    ws.store("task", "slow")
    lease = ws.lease("task", 0.2)
    assert observer.fetch("task", timeout=30) == "slow"
    with pytest.raises(NwsLeaseLostException, match="expired"):
        lease.ackStore("result", "duplicate")
    assert observer.fetchTry("result") is None


def test_an_expired_lease_in_a_with_block_raises_lease_lost_at_the_end(ws, observer):
    ws.store("task", "slow")
    with pytest.raises(NwsLeaseLostException):
        with ws.lease("task", 0.2) as task:
            assert observer.fetch("task", timeout=30) == task


def test_renew_extends_the_lease(ws, observer):
    ws.store("task", "long")
    lease = ws.lease("task", duration=2.0)
    lease.renew(60)
    assert not lease.settled
    # Past the first duration, the value has not come back ...
    with pytest.raises(NwsTimeoutException):
        observer.fetch("task", timeout=2.5)
    # ... and the lease is still held.
    lease.ack()
    assert observer.fetchTry("task") is None


def test_renew_can_shorten_the_lease(ws, observer):
    ws.store("task", "short")
    lease = ws.lease("task", duration=60)
    lease.renew(0.2)
    assert observer.fetch("task", timeout=30) == "short"
    with pytest.raises(NwsLeaseLostException, match="expired"):
        lease.release()


# -- blocking: timeout, threads, Ctrl-C ------------------------------------------


def test_a_blocking_lease_waits_for_a_value(ws, observer):
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("lease", ws.lease("later", timeout=30)))
    t.start()
    wait_blocked(observer, "later", fetchers=1)  # the GIL is free meanwhile
    observer.store("later", "arrived")
    t.join(30)
    lease = out["lease"]
    assert lease.value == "arrived"
    lease.ack()


def test_a_blocking_lease_times_out(ws, observer):
    start = time.monotonic()
    with pytest.raises(NwsTimeoutException):
        ws.lease("empty", timeout=0.2)
    assert time.monotonic() - start < 10
    assert var_counts(observer, "empty") == (0, 0, 0)
    observer.store("empty", "later")
    assert ws.fetch("empty", timeout=5) == "later"


@pytest.fixture
def python_sigint_handler():
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_interrupts_a_blocked_lease(ws, observer, python_sigint_handler):
    def interrupt():
        wait_blocked(observer, "x", fetchers=1)
        os.kill(os.getpid(), signal.SIGINT)

    sender = threading.Thread(target=interrupt, daemon=True)
    sender.start()
    with pytest.raises(KeyboardInterrupt):
        ws.lease("x")
    sender.join(10)
    assert var_counts(observer, "x") == (0, 0, 0)  # the request was withdrawn
    observer.store("x", "after the interrupt")
    with ws.lease("x") as v:
        assert v == "after the interrupt"


def test_ctrl_c_as_the_value_arrives_gives_the_value_back(python_sigint_handler):
    # The server had sent the value before it saw the withdrawal: the core
    # releases it, and the interrupt takes effect (no NwsCancelledException,
    # no value travelling with it: it is back in its variable).
    seen = []

    def script(peer):
        peer.handshake_new({b"NwsCancel": b"", b"NwsLease": b""})
        assert peer.read_request()[0] == b"open ws"
        peer.short_reply(0)
        request = peer.read_request()
        assert request[:4] == [b"lease fetch", b"race", b"x", b"60000"], request
        os.kill(os.getpid(), signal.SIGINT)
        assert peer.read_request()[0] == b"cancel"
        peer.long_reply(0, 1, b"arrived", var_id=b"race", index=7)
        peer.short_reply(1)  # the cancel came too late
        seen.append(peer.read_request())
        peer.short_reply(0)
        assert peer.read_request()[0] == b"store"
        peer.short_reply(0)
        peer.wait_closed()

    fake = FakeServer(script)
    ws = NetWorkSpace("race", serverHost="127.0.0.1", serverPort=fake.port)
    with pytest.raises(KeyboardInterrupt) as info:
        ws.lease("x", 60)
    assert not hasattr(info.value, "nws_value")
    ws.store("y", "the connection is still in step")
    ws.close()
    fake.join()
    assert seen == [[b"lease release", b"7"]]


# -- arguments and servers without leases ------------------------------------------


@pytest.mark.parametrize("duration", [0, -1, -0.5, 1e9, float("inf"), float("-inf"), float("nan")])
def test_a_bad_duration_is_refused(ws, observer, duration):
    ws.store("t", 1)
    with pytest.raises(NwsInvalidArgumentException, match="lease"):
        ws.lease("t", duration)
    with pytest.raises(NwsInvalidArgumentException, match="lease"):
        ws.leaseTry("t", duration)
    lease = ws.lease("t", 30)
    with pytest.raises(NwsInvalidArgumentException, match="lease"):
        lease.renew(duration)
    assert not lease.settled
    lease.release()
    assert values_in(observer, "t") == 1


def test_a_tiny_positive_duration_is_one_millisecond_not_zero(ws, observer):
    ws.store("t", 1)
    lease = ws.lease("t", 1e-6)
    assert observer.fetch("t", timeout=30) == 1
    with pytest.raises(NwsLeaseLostException, match="expired after 1 ms"):
        lease.ack()


@pytest.mark.parametrize("duration", ["10", None, True, [1]])
def test_a_duration_that_is_not_a_number_is_a_type_error(ws, observer, duration):
    ws.store("t", 1)
    with pytest.raises(TypeError, match="duration"):
        ws.lease("t", duration)
    with pytest.raises(TypeError, match="duration"):
        ws.leaseTry("t", duration)
    lease = ws.lease("t")
    with pytest.raises(TypeError, match="duration"):
        lease.renew(duration)
    lease.release()
    assert values_in(observer, "t") == 1


def test_bad_names_and_timeouts_are_refused(ws, observer):
    ws.store("t", 1)
    with pytest.raises(NwsInvalidArgumentException, match="variable name is missing"):
        ws.lease(None)
    with pytest.raises(NwsInvalidArgumentException, match="variable name is missing"):
        ws.leaseTry(None)
    with pytest.raises(TypeError, match="variable name must be a string"):
        ws.lease(b"t")
    with pytest.raises(NwsInvalidArgumentException, match="timeout"):
        ws.lease("t", timeout=-1)
    with pytest.raises(TypeError, match="timeout"):
        ws.lease("t", timeout="1")
    lease = ws.lease("t")
    with pytest.raises(NwsInvalidArgumentException, match="variable name is missing"):
        lease.ackStore(None, 2)
    with pytest.raises(TypeError, match="variable name must be a string"):
        lease.ackStore(3, 2)
    assert not lease.settled
    lease.release()
    assert values_in(observer, "t") == 1
    assert set(observer.listVars(format=DICT)) == {"t"}


def test_the_default_duration_is_the_cores(ws):
    assert _core.DEFAULT_LEASE_DURATION == 300.0


def test_a_server_without_leases_raises_unsupported():
    def script(peer):
        peer.handshake_old(b"2222")
        assert peer.read_request()[0] == b"open ws"
        peer.short_reply(0)
        assert peer.read_request()[:3] == [b"fetchTry", b"old", b"x"]
        peer.long_reply(0, 0x01000001, b"still usable", cookie=False)
        peer.wait_closed()

    fake = FakeServer(script)
    ws = NetWorkSpace("old", serverHost="127.0.0.1", serverPort=fake.port)
    with pytest.raises(NwsUnsupportedOperationException, match="NwsLease"):
        ws.lease("x")
    with pytest.raises(NwsUnsupportedOperationException, match="NwsLease"):
        ws.leaseTry("x")
    assert ws.fetchTry("x") == "still usable"
    ws.close()
    fake.join()


def test_a_held_value_is_not_counted_in_the_listing(ws, observer):
    # Held values are out of the variable: the listing counts what is left.
    for v in range(3):
        ws.store("t", v)
    lease = ws.lease("t")
    assert observer.listVars(format=DICT)["t"][V_VALUES] == 2
    lease.release()
    assert observer.listVars(format=DICT)["t"][V_VALUES] == 3
