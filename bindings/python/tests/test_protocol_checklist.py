"""PROTOCOL.md section 21 (the conformance checklist), scenario by scenario,
through this binding.  Items about raw handshake bytes (1, 2) are shown as
far as a client sees them."""

from __future__ import annotations

import threading

import pytest
from conftest import unique, var_counts, wait_blocked, wait_until
from fake_server import FakeServer

from nws.client import (
    DICT,
    LIFO,
    MULTI,
    OPT_DEADMAN,
    SINGLE,
    WS_MINE,
    WS_PERSISTENT,
    NetWorkSpace,
    NwsDeclarationFailedException,
    NwsNoWorkSpaceException,
    NwsOperationException,
    NwsServer,
    NwsUnsupportedOperationException,
)


def in_thread(fn):
    out = {}

    def body():
        try:
            out["result"] = fn()
        except BaseException as e:
            out["error"] = e

    t = threading.Thread(target=body)
    t.start()
    return t, out


def test_01_new_style_and_old_style_servers_are_both_spoken(ws):
    # New style (ours): option negotiation, cookies, NwsCancel.
    assert ws.server._native.cookie_format and ws.server._native.supports_cancel
    # Old style without cookies ("2222"), e.g. an original server greeted
    # by an old client: replies have no id/index fields.
    def script(peer):
        peer.handshake_old(b"2222")
        peer.read_request()
        peer.short_reply(0)
        peer.read_request()
        peer.long_reply(0, 0x01000001, b"old", cookie=False)
        peer.wait_closed()

    fake = FakeServer(script)
    with NetWorkSpace("w", serverHost="127.0.0.1", serverPort=fake.port) as old:
        assert not old.server._native.cookie_format
        assert old.fetchTry("x") == "old"
    fake.join()


def test_02_metadata_from_server_gives_error_reasons(ws):
    with pytest.raises(NwsOperationException) as info:
        ws.deleteVar("absent")
    assert info.value.reason  # the nwsReason of a reply preceded by a DICT


def test_03_fifo_is_the_default(ws):
    for i in range(10):
        ws.store("v", i)
    assert [ws.fetchTry("v") for _ in range(10)] == list(range(10))
    assert ws.fetchTry("v", "none") == "none"


def test_04_lifo_reverses_and_single_keeps_the_last(ws):
    ws.declare("l", LIFO)
    ws.declare("s", SINGLE)
    for i in range(10):
        ws.store("l", i)
        ws.store("s", i)
    assert [ws.fetchTry("l") for _ in range(10)] == list(range(9, -1, -1))
    assert ws.fetchTry("s") == 9
    assert ws.fetchTry("s") is None


def test_05_redeclaration(ws):
    ws.declare("v", LIFO)
    ws.declare("v", LIFO)
    with pytest.raises(NwsDeclarationFailedException):
        ws.declare("v", MULTI)
    ws.store("f", 1)
    with pytest.raises(NwsDeclarationFailedException):
        ws.declare("f", SINGLE)


def test_06_listing_of_variables(ws):
    ws.declare("foo", SINGLE)
    for i in range(4):
        ws.store("foo", i)
    ws.declare("bar", MULTI)
    ws.store("bar", 1)
    ws.store("bar", 2)
    ws.store("buz", 1)
    ws.fetch("buz")
    ws.declare("bif", LIFO)
    ws.store("gone", 1)
    ws.deleteVar("gone")
    assert ws.listVars() == "bar\t2\t0\t0\tmulti\nbif\t0\t0\t0\tlifo\nbuz\t0\t0\t0\tfifo\nfoo\t1\t0\t0\tsingle"


def test_07_empty_string(ws):
    ws.store("e", "")
    assert ws.fetchTry("e", None) == ""
    assert ws.fetchTry("e", "failed") == "failed"


def test_08_listing_of_workspaces(ws):
    ws.store("a", 1)
    text = ws.server.listWss()
    lines = text.split("\n")
    assert text.endswith("\n") and lines[-1] == ""
    for line in lines[:-1]:
        f = line.split("\t")
        assert len(f) == 5
        assert f[2] in ("True", "False")
        assert int(f[3]) == (len(f[4].split(",")) if f[4] else 0)
    wss = ws.server.listWss(DICT)
    assert "__default" in wss
    assert wss[ws.currentWs()][WS_MINE] and not wss["__default"][WS_MINE]


def test_09_non_persistent_workspaces_die_with_their_owner(server, ws):
    temp, kept = unique(), unique()
    owner = NwsServer(server.host, server.port)
    owner.openWs(temp)
    owner.openWs(kept, persistent=True)
    owner.close()
    wait_until(lambda: temp not in ws.server.listWss(DICT), what="purge")
    assert ws.server.listWss(DICT)[kept][WS_PERSISTENT]
    ws.server.deleteWs(kept)
    assert kept not in ws.server.listWss(DICT)


def test_10_deleted_workspace_fails_for_other_connections(ws, observer):
    observer.server.deleteWs(ws.currentWs())
    with pytest.raises(NwsNoWorkSpaceException) as info:
        ws.store("x", 1)
    assert info.value.status == 100


def test_11_mktemp(ws):
    for _ in range(2):
        with pytest.raises(NwsOperationException):
            ws.server.mktempWs("foo")
    assert ws.server.mktempWs("foo%d").startswith("foo")


def test_12_ifindTry_restart_and_reset(ws):
    for i in range(10):
        ws.store("v", i)
    it = ws.ifindTry("v")
    assert list(it) == list(range(10))
    for i in range(10, 20):
        ws.store("v", i)
    it.restart()
    assert list(it) == list(range(10, 20))
    it.reset()
    assert list(it) == list(range(20))


def test_13_ifetchTry_consumes_and_interleaves(ws):
    for i in range(10):
        ws.store("v", i)
    a, b = ws.ifetchTry("v"), ws.ifetchTry("v")
    got = [next(x) for _ in range(5) for x in (a, b)]
    assert sorted(got) == list(range(10))
    for i in range(3):
        ws.store("w", i)
    c, d = ws.ifindTry("w"), ws.ifindTry("w")
    assert [(next(c), next(d)) for _ in range(3)] == [(0, 0), (1, 1), (2, 2)]


def test_14_iterators_end_after_delete(ws):
    ws.store("v", 1)
    finder, fetcher = ws.ifind("v"), ws.ifetch("v")
    assert next(finder) == 1
    ws.deleteVar("v")
    ws.store("v", 2)
    with pytest.raises(StopIteration):
        next(finder)
    assert next(fetcher) == 2  # a fresh ifetch starts from the beginning


def test_15_single_iteration(ws):
    ws.declare("s", SINGLE)
    ws.store("s", 100)
    ws.store("s", 101)
    it = ws.ifindTry("s")
    assert list(it) == [101]
    ws.store("s", 103)
    it.restart()
    assert list(it) == [103]
    ws.store("s", 104)
    ws.store("s", 105)
    it.restart()
    assert list(it) == [105]


def test_16_blocked_clients_are_released_by_stores(connect, ws):
    name = ws.currentWs()
    f1, f2 = connect(name, useUse=True), connect(name, useUse=True)
    t1, o1 = in_thread(lambda: f1.fetch("v"))
    wait_blocked(ws, "v", fetchers=1)
    t2, o2 = in_thread(lambda: f2.fetch("v"))
    wait_blocked(ws, "v", fetchers=2)
    ws.store("v", "one")
    t1.join(10)
    assert o1 == {"result": "one"}  # the first waiter, only
    assert var_counts(ws, "v") == (0, 1, 0)
    ws.store("v", "two")
    t2.join(10)
    assert o2 == {"result": "two"}
    finders = [connect(name, useUse=True) for _ in range(3)]
    runs = [in_thread(lambda c=c: c.find("w")) for c in finders]
    wait_blocked(ws, "w", finders=3)
    ws.store("w", "all")
    for t, out in runs:
        t.join(10)
        assert out == {"result": "all"}
    assert var_counts(ws, "w") == (1, 0, 0)


def test_17_delete_releases_blocked_clients_with_an_error(connect, ws):
    name = ws.currentWs()
    waiter = connect(name, useUse=True)
    t, out = in_thread(lambda: waiter.fetch("v"))
    wait_blocked(ws, "v", fetchers=1)
    ws.deleteVar("v")
    t.join(10)
    assert isinstance(out["error"], NwsOperationException)
    t, out = in_thread(lambda: waiter.find("w"))
    wait_blocked(ws, "w", finders=1)
    ws.server.deleteWs(name)
    t.join(10)
    assert isinstance(out["error"], NwsOperationException)


def test_18_disconnecting_while_blocked_leaves_the_counts(connect, ws):
    waiter = connect(ws.currentWs(), useUse=True)
    t, out = in_thread(lambda: waiter.fetch("v"))
    wait_blocked(ws, "v", fetchers=1)
    waiter.close()
    t.join(10)
    wait_blocked(ws, "v", fetchers=0)


def test_19_workspace_not_opened_on_this_connection(ws, connect):
    other = connect()
    with pytest.raises(NwsNoWorkSpaceException) as info:
        ws.listVars(other.currentWs())
    assert info.value.status == 2001


def test_20_multi_megabyte_values_round_trip(ws):
    data = bytes(range(256)) * (48 * 4096)  # 48 MiB
    ws.store("big", data)
    assert ws.fetch("big") == data


def test_21_deadman_connection_stops_the_server(server_process):
    srv = server_process("--allow-client-shutdown")
    deadman = NwsServer(srv.host, srv.port, connopts={OPT_DEADMAN: "1"})
    assert "__default" in deadman.listWss(DICT)
    deadman.close()
    assert srv.process.wait(10) == 0


def test_21_only_a_server_started_to_allow_it_can_be_stopped_by_a_client(server_process):
    srv = server_process()
    with pytest.raises(NwsUnsupportedOperationException, match="does not offer KillServerOnClose"):
        NwsServer(srv.host, srv.port, connopts={OPT_DEADMAN: "1"})
    assert srv.process.poll() is None
