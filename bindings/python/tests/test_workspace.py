"""NetWorkSpace: the variable verbs, modes, declarations and listings."""

from __future__ import annotations

import pickle

import pytest
from conftest import unique

from nws.client import (
    DICT,
    FIFO,
    LIFO,
    MULTI,
    SINGLE,
    V_FETCHERS,
    V_FINDERS,
    V_MODE,
    V_VALUES,
    V_VARIABLE,
    NetWorkSpace,
    NwsClosedException,
    NwsDeclarationFailedException,
    NwsInvalidArgumentException,
    NwsNoWorkSpaceException,
    NwsOperationException,
)


def test_constructor_opens_the_named_workspace(ws):
    assert ws.currentWs() == ws.curWs
    assert ws.currentWs() in ws.server.listWss(DICT)
    assert str(ws).startswith("NetWorkSpace %r" % ws.currentWs())


def test_default_workspace_name(server):
    with NetWorkSpace(serverHost=server.host, serverPort=server.port) as ws:
        assert ws.currentWs() == "__default"


def test_create_false_on_a_missing_workspace_raises(server):
    with pytest.raises(NwsNoWorkSpaceException):
        NetWorkSpace(unique(), serverHost=server.host, serverPort=server.port, create=False)


def test_store_then_fetch_removes_the_value(ws):
    ws.store("x", 42)
    assert ws.fetch("x") == 42
    assert ws.fetchTry("x") is None


def test_find_leaves_the_value(ws):
    ws.store("x", "kept")
    assert ws.find("x") == "kept"
    assert ws.findTry("x") == "kept"
    assert ws.fetch("x") == "kept"


def test_try_forms_return_missing_when_empty(ws):
    assert ws.fetchTry("nothing") is None
    assert ws.fetchTry("nothing", "dflt") == "dflt"
    assert ws.findTry("nothing", missing=7) == 7


def test_fifo_is_the_default_mode(ws):
    for i in range(10):
        ws.store("q", i)
    assert [ws.fetchTry("q") for _ in range(10)] == list(range(10))
    assert ws.fetchTry("q", "end") == "end"
    assert ws.listVars(format=DICT)["q"][V_MODE] == FIFO


def test_lifo_returns_the_newest_first(ws):
    ws.declare("s", LIFO)
    for i in range(5):
        ws.store("s", i)
    assert [ws.fetch("s") for _ in range(5)] == [4, 3, 2, 1, 0]


def test_multi_hands_out_every_value_once(ws):
    ws.declare("m", MULTI)
    for i in range(5):
        ws.store("m", i)
    assert sorted(ws.fetch("m") for _ in range(5)) == [0, 1, 2, 3, 4]
    assert ws.fetchTry("m") is None


def test_single_keeps_only_the_latest_value(ws):
    ws.declare("one", SINGLE)
    for i in range(4):
        ws.store("one", i)
    assert ws.listVars(format=DICT)["one"][V_VALUES] == 1
    assert ws.find("one") == 3
    assert ws.fetch("one") == 3
    assert ws.fetchTry("one") is None


def test_redeclaring_with_another_mode_fails(ws):
    ws.declare("v", FIFO)
    ws.declare("v", FIFO)  # the same mode again is fine
    with pytest.raises(NwsDeclarationFailedException):
        ws.declare("v", SINGLE)
    ws.store("stored", 1)
    with pytest.raises(NwsDeclarationFailedException):
        ws.declare("stored", SINGLE)  # store made it fifo


def test_declare_rejects_unknown_modes_locally(ws):
    with pytest.raises(NwsInvalidArgumentException):  # also a ValueError, as before
        ws.declare("v", "queue")
    with pytest.raises(TypeError):
        ws.declare("v", 3)
    assert ws.listVars() == ""


def test_deleteVar_removes_the_variable(ws):
    ws.store("gone", 1)
    ws.deleteVar("gone")
    assert "gone" not in ws.listVars(format=DICT)
    with pytest.raises(NwsOperationException):
        ws.deleteVar("gone")


def test_listVars_string_format_is_the_raw_listing(ws):
    ws.declare("foo", SINGLE)
    for i in range(4):
        ws.store("foo", i)
    ws.declare("bar", MULTI)
    ws.store("bar", 1)
    ws.store("bar", 2)
    ws.store("buz", 1)
    ws.fetch("buz")
    ws.declare("bif", LIFO)
    assert ws.listVars() == "\n".join(["bar\t2\t0\t0\tmulti", "bif\t0\t0\t0\tlifo", "buz\t0\t0\t0\tfifo",
                                       "foo\t1\t0\t0\tsingle"])


def test_listVars_dict_format(ws):
    ws.store("a", 1)
    rec = ws.listVars(format=DICT)["a"]
    assert rec == ("a", 1, 0, 0, "fifo")
    assert (rec[V_VARIABLE], rec[V_VALUES], rec[V_FETCHERS], rec[V_FINDERS], rec[V_MODE]) == ("a", 1, 0, 0, "fifo")
    assert ws.listVars(ws.currentWs(), DICT) == ws.listVars(format=DICT)


def test_listVars_of_an_empty_workspace(ws):
    assert ws.listVars() == ""
    assert ws.listVars(format=DICT) == {}


def test_listVars_of_another_workspace_opened_on_the_same_connection(ws):
    other = ws.server.openWs(unique())
    other.store("elsewhere", 1)
    assert list(ws.listVars(other.currentWs(), DICT)) == ["elsewhere"]


def test_listVars_of_a_workspace_not_opened_here_fails(ws, server):
    name = unique()
    with NetWorkSpace(name, serverHost=server.host, serverPort=server.port) as owner:
        owner.store("x", 1)
        with pytest.raises(NwsNoWorkSpaceException):
            ws.listVars(name)


def test_listVars_rejects_an_unknown_format(ws):
    with pytest.raises(ValueError):
        ws.listVars(format="table")


def test_names_must_be_strings(ws):
    with pytest.raises(TypeError):
        ws.store(b"x", 1)
    with pytest.raises(TypeError):
        ws.fetchTry(3)
    with pytest.raises(NwsInvalidArgumentException):  # None: the core's rule; also a TypeError
        NetWorkSpace(None)


def test_non_ascii_names_round_trip(ws):
    ws.store("größe", "ok")
    assert "größe" in ws.listVars(format=DICT)
    assert ws.fetch("größe") == "ok"


def test_context_manager_closes_the_connection(server):
    with NetWorkSpace(unique(), serverHost=server.host, serverPort=server.port) as ws:
        ws.store("x", 1)
    assert ws.server.closed
    with pytest.raises(NwsClosedException):
        ws.store("x", 2)


def test_close_shares_the_connection_with_the_server_object(ws):
    sibling = ws.server.openWs(unique())
    ws.close()
    with pytest.raises(NwsClosedException):
        sibling.fetchTry("x")


def test_workspace_pickles_as_a_reopened_workspace(ws):
    ws.store("x", "shared")
    copy = pickle.loads(pickle.dumps(ws))
    try:
        assert copy.currentWs() == ws.currentWs()
        assert copy.server is not ws.server
        assert copy.fetch("x") == "shared"
    finally:
        copy.close()
