"""Bad arguments go through the core's rules (nws/args.hpp): a None name,
an unknown mode, a bad port or timeout raise NwsInvalidArgumentException --
the kind every language gives, with the core's message -- before anything
is sent.  And names, ports and hosts not given reach the core as not given,
so $NWS_HOST / $NWS_PORT apply."""

from __future__ import annotations

import io
import re
import socket

import pytest
from conftest import unique

import nws.server
from nws.client import DICT, NetWorkSpace, NwsInvalidArgumentException, NwsServer

MISSING_VARIABLE = "the variable name is missing (null): pass a string"
MISSING_WORKSPACE = "the workspace name is missing (null): pass a string"


def refused(message_part):
    """pytest.raises for the core's invalid-argument error, whose message
    contains `message_part`."""
    return pytest.raises(NwsInvalidArgumentException, match=re.escape(message_part))


@pytest.fixture
def closed_port():
    """A port where nothing listens: a call that tried to connect would fail
    with NwsConnectException, not with an argument error."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


NONE_NAME_CALLS = [
    ("store", lambda ws: ws.store(None, 1)),
    ("fetch", lambda ws: ws.fetch(None)),
    ("fetch with timeout", lambda ws: ws.fetch(None, timeout=1)),
    ("fetchTry", lambda ws: ws.fetchTry(None)),
    ("find", lambda ws: ws.find(None)),
    ("findTry", lambda ws: ws.findTry(None)),
    ("declare", lambda ws: ws.declare(None, "fifo")),
    ("deleteVar", lambda ws: ws.deleteVar(None)),
    ("ifetch", lambda ws: ws.ifetch(None)),
    ("ifetchTry", lambda ws: ws.ifetchTry(None)),
    ("ifind", lambda ws: ws.ifind(None)),
    ("ifindTry", lambda ws: ws.ifindTry(None)),
    ("storeFile", lambda ws: ws.storeFile(None, io.BytesIO(b"data"))),
    ("fetchFile", lambda ws: ws.fetchFile(None, io.BytesIO())),
    ("fetchTryFile", lambda ws: ws.fetchTryFile(None, io.BytesIO())),
    ("findFile", lambda ws: ws.findFile(None, io.BytesIO())),
    ("findTryFile", lambda ws: ws.findTryFile(None, io.BytesIO())),
]


@pytest.mark.parametrize("call", [c for _, c in NONE_NAME_CALLS], ids=[n for n, _ in NONE_NAME_CALLS])
def test_a_none_variable_name_is_refused_before_anything_is_sent(ws, observer, call):
    with refused(MISSING_VARIABLE) as info:
        call(ws)
    # The same kind as every language, and still what Python code catches.
    assert info.value.kind == "InvalidArgument" and info.value.status == -1
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)
    assert observer.listVars(format=DICT) == {}
    ws.store("x", "still usable")
    assert ws.fetch("x") == "still usable"


def test_a_none_workspace_name_is_refused_before_connecting(closed_port):
    with refused(MISSING_WORKSPACE):
        NetWorkSpace(None, serverHost="127.0.0.1", serverPort=closed_port)


def test_none_workspace_names_on_a_server_are_refused(server):
    with NwsServer(server.host, server.port) as srv:
        before = srv.listWss()
        with refused(MISSING_WORKSPACE):
            srv.openWs(None)
        with refused(MISSING_WORKSPACE):
            srv.useWs(None)
        with refused(MISSING_WORKSPACE):
            srv.deleteWs(None)
        with refused("the workspace name template is missing"):
            srv.mktempWs(None)
        assert srv.listWss() == before


def test_other_types_of_names_are_still_type_errors(ws):
    with pytest.raises(TypeError, match="variable name must be a string, not bytes"):
        ws.store(b"x", 1)
    with pytest.raises(TypeError, match="not int"):
        ws.fetchTry(3)


@pytest.mark.parametrize("mode", ["stack", "FIFO", "", "__nonsense", "unknown"])
def test_an_unknown_mode_is_refused_before_anything_is_sent(ws, observer, mode):
    with refused("unknown mode '%s': use fifo, lifo, multi or single" % mode) as info:
        ws.declare("v", mode)
    assert isinstance(info.value, ValueError)
    assert observer.listVars(format=DICT) == {}


def test_a_none_mode_is_refused(ws, observer):
    with refused("the mode is missing"):
        ws.declare("v", None)
    assert observer.listVars(format=DICT) == {}


def test_the_special_modes_may_be_declared(ws):
    ws.declare("t", "__time")
    assert ws.listVars(format=DICT)["t"][4] == "__time"


@pytest.mark.parametrize("port", [0, -1, 65536, 1.5, float("nan")])
def test_a_bad_port_to_connect_to_is_refused(port):
    with refused("port must be a whole number from 1 to 65535"):
        NwsServer("127.0.0.1", port)
    with refused("port must be a whole number from 1 to 65535"):
        NetWorkSpace("x", serverHost="127.0.0.1", serverPort=port)


@pytest.mark.parametrize("port", [-1, 65536, 2.5])
def test_a_bad_port_to_listen_on_is_refused(port):
    with refused("port must be a whole number from 0 to 65535 (0: any free port)"):
        nws.server.local(port)


def test_a_port_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="port must be a number or None, not str"):
        NwsServer("127.0.0.1", "8765")


@pytest.mark.parametrize("timeout", [-1, -0.5, float("nan"), float("-inf")])
def test_a_bad_timeout_is_refused_before_anything_is_sent(ws, observer, timeout):
    with refused("timeout must be a number of seconds >= 0"):
        ws.fetch("x", timeout=timeout)
    with refused("timeout must be a number of seconds >= 0"):
        ws.findFile("x", io.BytesIO(), timeout=timeout)
    with refused("timeout must be a number of seconds >= 0"):
        ws.ifind("x", timeout=timeout)  # when the iterator is made, not at its first step
    assert observer.listVars(format=DICT) == {}


def test_a_bad_connect_timeout_is_refused(server):
    for bad in (0, -1, float("nan"), float("inf")):
        with refused("connect timeout must be a number of seconds > 0"):
            NwsServer(server.host, server.port, connectTimeout=bad)


def test_a_server_not_named_is_the_one_in_the_environment(server, monkeypatch):
    monkeypatch.setenv("NWS_HOST", server.host)
    monkeypatch.setenv("NWS_PORT", str(server.port))
    name = unique()
    with NetWorkSpace(name) as ws:
        ws.store("x", "from the environment")
        assert (ws.server.serverHost, ws.server.serverPort) == (server.host, server.port)
        with NetWorkSpace(name, serverHost=server.host, serverPort=server.port, useUse=True) as same:
            assert same.fetch("x") == "from the environment"
    with NwsServer() as srv:
        assert srv.serverPort == server.port


def test_a_bad_NWS_PORT_is_refused_clearly(monkeypatch):
    monkeypatch.setenv("NWS_PORT", "eighty")
    with refused("NWS_PORT is 'eighty'"):
        NwsServer()
