"""Every exception class, raised by a real situation."""

from __future__ import annotations

import socket

import pytest
from conftest import unique
from fake_server import FakeServer

from nws.client import (
    NetWorkSpace,
    NwsClosedException,
    NwsConnectException,
    NwsConnectionDroppedException,
    NwsDeclarationFailedException,
    NwsException,
    NwsInvalidArgumentException,
    NwsNoWorkSpaceException,
    NwsOperationException,
    NwsOperationFailedException,
    NwsPicklingException,
    NwsServer,
    NwsTimeoutException,
    NwsUnpicklingException,
    NwsUnsupportedOperationException,
)


def test_connect_exception_when_nothing_listens():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        port = s.getsockname()[1]
        with pytest.raises(NwsConnectException, match="connect"):
            NwsServer("127.0.0.1", port)
        with pytest.raises(NwsConnectException):
            NetWorkSpace("x", serverHost="127.0.0.1", serverPort=port)


def test_connect_exception_when_the_peer_is_not_an_nws_server():
    def script(peer):
        peer.read_exact(4)
        peer.send(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    fake = FakeServer(script)
    with pytest.raises(NwsConnectException, match="not an NWS server"):
        NwsServer("127.0.0.1", fake.port)
    fake.join()


def test_unsupported_connection_options_raise_connect_exception(server):
    with pytest.raises(NwsConnectException, match="unsupported connection option.*Bogus"):
        NwsServer(server.host, server.port, connopts={"Bogus": "1"})


def test_connection_dropped_when_the_server_goes_away(server_process):
    srv = server_process()
    ws = NetWorkSpace("doomed", serverHost=srv.host, serverPort=srv.port)
    ws.store("x", 1)
    assert srv.stop() == 0
    with pytest.raises(NwsConnectionDroppedException):
        ws.store("x", 2)
        ws.store("x", 3)  # the first may still be written into the socket buffer
    with pytest.raises(NwsConnectionDroppedException, match="lost"):
        ws.fetchTry("x")
    ws.close()


def test_closed_exception_after_close(ws):
    ws.close()
    with pytest.raises(NwsClosedException, match="closed"):
        ws.fetchTry("x")
    assert isinstance(NwsClosedException("x"), NwsConnectionDroppedException)


def test_unsupported_operation_on_a_server_without_cookies():
    # An original old-style server greeted with X000 answers 2222: replies
    # without the cookie fields, so no iterators (PROTOCOL.md section 11).
    def script(peer):
        peer.handshake_old(b"2222")
        assert peer.read_request()[0] == b"open ws"
        peer.short_reply(0)
        assert peer.read_request()[:3] == [b"fetchTry", b"old", b"x"]
        peer.long_reply(0, 0x01000001, b"no cookie", cookie=False)
        peer.wait_closed()

    fake = FakeServer(script)
    ws = NetWorkSpace("old", serverHost="127.0.0.1", serverPort=fake.port)
    for make in (ws.ifetch, ws.ifetchTry, ws.ifind, ws.ifindTry):
        with pytest.raises(NwsUnsupportedOperationException):
            make("x")
    assert ws.fetchTry("x") == "no cookie"
    ws.close()
    fake.join()


def test_operation_exception_carries_status_and_reason(ws):
    with pytest.raises(NwsOperationException) as info:
        ws.deleteVar("never")
    assert type(info.value) is NwsOperationFailedException
    assert info.value.status == 1
    assert "does not exist" in info.value.reason
    assert "delete var" in str(info.value)


def test_no_workspace_exception(server, ws):
    with pytest.raises(NwsNoWorkSpaceException) as info:
        NetWorkSpace(unique(), serverHost=server.host, serverPort=server.port, create=False)
    assert info.value.status == 100
    ws.server.deleteWs(ws.currentWs())
    with pytest.raises(NwsNoWorkSpaceException):
        ws.store("x", 1)
    # The Try forms too: a workspace that is gone is not "no value".
    with pytest.raises(NwsNoWorkSpaceException):
        ws.fetchTry("x")
    with pytest.raises(NwsNoWorkSpaceException):
        list(ws.ifindTry("x"))


def test_declaration_failed_exception(ws):
    ws.declare("v", "lifo")
    with pytest.raises(NwsDeclarationFailedException):
        ws.declare("v", "fifo")
    with pytest.raises(NwsInvalidArgumentException):
        ws.declare("w", "__nonsense")  # refused before it is sent: not a mode of the table


def test_pickling_and_unpickling_exceptions(ws):
    with pytest.raises(NwsPicklingException) as p:
        ws.store("x", (i for i in range(3)))
    assert "generator" in str(p.value)
    ws._native.store(b"y", 0x01000000, b"garbage")
    with pytest.raises(NwsUnpicklingException) as u:
        ws.find("y")
    assert u.value.obj == b"garbage"
    assert "'y'" in str(u.value)


def test_timeout_exception(ws):
    with pytest.raises(NwsTimeoutException) as info:
        ws.fetch("x", timeout=0.05)
    assert isinstance(info.value, TimeoutError)
    assert isinstance(info.value, NwsOperationException)


def test_cancel_without_nwscancel_closes_the_connection():
    # Against a server that does not offer NwsCancel (the original), a
    # timed-out fetch can only be withdrawn by closing the connection.
    def script(peer):
        assert peer.handshake_new({b"NwsWebPort": b"8766"}) == {}
        assert peer.read_request()[0] == b"open ws"
        peer.short_reply(0)
        assert peer.read_request()[0] == b"fetch"
        assert peer.wait_closed()

    fake = FakeServer(script)
    ws = NetWorkSpace("orig", serverHost="127.0.0.1", serverPort=fake.port)
    with pytest.raises(NwsTimeoutException, match="closed"):
        ws.fetch("x", timeout=0.1)
    with pytest.raises(NwsConnectionDroppedException):
        ws.fetchTry("x")
    fake.join()


def test_everything_is_an_nws_exception():
    for cls in (NwsConnectException, NwsClosedException, NwsNoWorkSpaceException, NwsTimeoutException):
        assert issubclass(cls, NwsException)
