"""NwsServer: openWs, useWs, mktempWs, deleteWs, listWss, close, and its
context manager."""

from __future__ import annotations

import pickle

import pytest
from conftest import unique, wait_until

from nws.client import (
    DICT,
    WS_MINE,
    WS_NAME,
    WS_NUMVARS,
    WS_OWNER,
    WS_PERSISTENT,
    WS_VARLIST,
    NetWorkSpace,
    NwsClosedException,
    NwsNoWorkSpaceException,
    NwsOperationException,
    NwsServer,
)


@pytest.fixture
def srv(server):
    s = NwsServer(server.host, server.port)
    yield s
    s.close()


def test_openWs_returns_a_workspace_sharing_the_connection(srv):
    name = unique()
    ws = srv.openWs(name)
    assert isinstance(ws, NetWorkSpace)
    assert ws.currentWs() == name
    assert ws.server is srv
    ws.store("x", 1)
    assert srv.listWss(DICT)[name][WS_MINE] is True


def test_openWs_with_create_false_refuses_a_missing_workspace(srv):
    with pytest.raises(NwsNoWorkSpaceException):
        srv.openWs(unique(), create=False)


def test_useWs_does_not_take_ownership(srv, server):
    name = unique()
    ws = srv.useWs(name)
    ws.store("x", "v")
    rec = srv.listWss(DICT)[name]
    assert rec[WS_MINE] is False
    assert rec[WS_OWNER] == ""
    with pytest.raises(NwsNoWorkSpaceException):
        srv.useWs(unique(), create=False)


def test_openWs_persistent_is_shown_in_the_listing(srv):
    name = unique()
    srv.openWs(name, persistent=True)
    try:
        rec = srv.listWss(DICT)[name]
        assert rec[WS_PERSISTENT] is True
        assert "(" in rec[WS_OWNER]  # "host:port (label)"
    finally:
        srv.deleteWs(name)


def test_mktempWs_makes_unique_names_from_the_template(srv):
    a = srv.mktempWs("job_%d")
    b = srv.mktempWs("job_%d")
    assert a.startswith("job_") and b.startswith("job_") and a != b
    default = srv.mktempWs()
    assert default.startswith("__pyws__")
    # The workspace exists and is usable right away.
    ws = srv.openWs(a, create=False)
    ws.store("x", 1)
    assert ws.fetch("x") == 1


def test_mktempWs_without_a_conversion_fails(srv):
    for _ in range(2):
        with pytest.raises(NwsOperationException):
            srv.mktempWs("foo")


def test_deleteWs_removes_the_workspace(srv):
    name = unique()
    srv.openWs(name)
    assert name in srv.listWss(DICT)
    srv.deleteWs(name)
    assert name not in srv.listWss(DICT)
    with pytest.raises(NwsOperationException):
        srv.deleteWs(name)


def test_listWss_string_is_the_raw_listing(srv):
    name = unique()
    ws = srv.openWs(name)
    ws.store("b", 1)
    ws.store("a", 2)
    text = srv.listWss()
    assert isinstance(text, str) and text.endswith("\n")
    line = [ln for ln in text.split("\n") if ln[1:].startswith(name + "\t")][0]
    fields = line.split("\t")
    assert fields[0] == ">" + name
    assert fields[2] == "False"
    assert fields[3] == "2"
    assert fields[4] == "a,b"
    assert "__default" in text


def test_listWss_dict_records(srv):
    name = unique()
    ws = srv.openWs(name)
    ws.store("v1", 1)
    rec = srv.listWss(DICT)[name]
    assert rec[WS_NAME] == name
    assert rec[WS_NUMVARS] == 1
    assert rec[WS_VARLIST] == ["v1"]
    empty = srv.openWs(unique())
    assert srv.listWss(DICT)[empty.currentWs()][WS_VARLIST] == []


def test_listWss_rejects_an_unknown_format(srv):
    with pytest.raises(ValueError):
        srv.listWss("xml")


def test_close_is_idempotent_and_later_calls_fail(server):
    s = NwsServer(server.host, server.port)
    assert not s.closed
    s.close()
    s.close()
    assert s.closed
    with pytest.raises(NwsClosedException):
        s.listWss()


def test_closing_the_owner_connection_purges_its_workspace(srv, server):
    name = unique()
    with NwsServer(server.host, server.port) as owner:
        owner.openWs(name)
        assert name in srv.listWss(DICT)
    assert owner.closed
    wait_until(lambda: name not in srv.listWss(DICT), what="workspace purge")


def test_nwsserver_pickles_as_a_new_connection(srv):
    copy = pickle.loads(pickle.dumps(srv))
    try:
        assert (copy.serverHost, copy.serverPort) == (srv.serverHost, srv.serverPort)
        assert copy is not srv
        assert "__default" in copy.listWss(DICT)
    finally:
        copy.close()


def test_str_names_the_server(srv, server):
    assert str(srv) == "NwsServer %s:%d" % (server.host, server.port)
