"""The original nws.client API: names, constants, defaults, exception
hierarchy, and the additions (typing marker, help texts)."""

from __future__ import annotations

import inspect
import os
import pydoc

import nws
import nws.client as client


def test_mode_and_format_constants_have_the_original_values():
    assert (client.FIFO, client.LIFO, client.MULTI, client.SINGLE) == ("fifo", "lifo", "multi", "single")
    assert (client.STRING, client.DICT) == ("string", "dict")
    assert client.NWS_PORT == 8765


def test_listing_indexes_have_the_original_values():
    ws_fields = [client.WS_NAME, client.WS_MINE, client.WS_OWNER, client.WS_PERSISTENT, client.WS_NUMVARS,
                 client.WS_VARLIST]
    assert ws_fields == [0, 1, 2, 3, 4, 5]
    var_fields = [client.V_VARIABLE, client.V_VALUES, client.V_FETCHERS, client.V_FINDERS, client.V_MODE]
    assert var_fields == [0, 1, 2, 3, 4]


def test_connection_option_names_are_the_original_keys():
    assert client.OPT_DEADMAN == "KillServerOnClose"
    assert client.OPT_METADATATOSERVER == "MetadataToServer"
    assert client.OPT_METADATAFROMSERVER == "MetadataFromServer"


def test_exception_hierarchy_is_the_original_one():
    E = client
    expected_parents = {
        E.NwsServerException: E.NwsException,
        E.NwsConnectException: E.NwsServerException,
        E.NwsConnectionDroppedException: E.NwsServerException,
        E.NwsUnsupportedOperationException: E.NwsServerException,
        E.NwsOperationException: E.NwsException,
        E.NwsNoWorkSpaceException: E.NwsOperationException,
        E.NwsDeclarationFailedException: E.NwsOperationException,
        E.NwsPicklingException: E.NwsOperationException,
        E.NwsUnpicklingException: E.NwsOperationException,
        # additions
        E.NwsClosedException: E.NwsConnectionDroppedException,
        E.NwsTimeoutException: E.NwsOperationException,
        E.NwsLeaseLostException: E.NwsOperationException,
        E.NwsConnectionBusyException: E.NwsException,
    }
    for cls, parent in expected_parents.items():
        assert issubclass(cls, parent), (cls, parent)
    assert issubclass(E.NwsException, Exception)
    assert issubclass(E.NwsTimeoutException, TimeoutError)
    # Server-side and operation failures are separate branches.
    assert not issubclass(E.NwsOperationException, E.NwsServerException)
    assert not issubclass(E.NwsConnectionBusyException, E.NwsOperationException)


def test_exceptions_present_themselves_as_nws_client_classes():
    assert client.NwsNoWorkSpaceException.__module__ == "nws.client"
    assert client.NwsTimeoutException.__module__ == "nws.client"


def test_everything_in_all_exists():
    for name in client.__all__:
        assert hasattr(client, name), name


def _defaults(fn):
    return {k: p.default for k, p in inspect.signature(fn).parameters.items()
            if p.default is not inspect.Parameter.empty}


def test_constructor_defaults_are_the_original_ones():
    d = _defaults(client.NetWorkSpace.__init__)
    assert list(inspect.signature(client.NetWorkSpace.__init__).parameters)[:8] == [
        "self", "wsName", "serverHost", "serverPort", "useUse", "server", "create", "persistent"]
    assert d["wsName"] == "__default"
    # Not given: the core applies $NWS_HOST / $NWS_PORT, else the original
    # defaults, which the documentation states.
    assert (d["serverHost"], d["serverPort"]) == (None, None)
    doc = _words(client.NetWorkSpace.__init__.__doc__)
    assert "$NWS_HOST and $NWS_PORT if set, else 'localhost' and 8765" in doc
    assert (d["useUse"], d["server"], d["create"], d["persistent"]) == (False, None, True, False)
    s = _defaults(client.NwsServer.__init__)
    assert (s["host"], s["port"]) == (None, None)
    assert "$NWS_HOST if set, else 'localhost'" in _words(client.NwsServer.__init__.__doc__)
    assert "$NWS_PORT if set, else 8765" in _words(client.NwsServer.__init__.__doc__)


def _words(text):
    """Text with its line breaks and indentation as single spaces (Python
    3.13 strips docstrings' indentation, older versions keep it)."""
    return " ".join(text.split())


def test_method_defaults_are_the_original_ones():
    W, S = client.NetWorkSpace, client.NwsServer
    assert _defaults(W.fetchTry) == {"missing": None}
    assert _defaults(W.findTry) == {"missing": None}
    assert _defaults(W.listVars) == {"wsName": None, "format": "string"}
    assert _defaults(W.storeFile) == {"n": 0}
    assert _defaults(W.makefile) == {"mode": "r"}
    assert _defaults(S.mktempWs) == {"wsName": "__pyws__%d"}
    assert _defaults(S.listWss) == {"format": "string"}
    # Additions: leased fetch (durations in seconds; the core's default).
    assert _defaults(W.lease) == {"duration": 300.0, "timeout": None}
    assert _defaults(W.leaseTry) == {"duration": 300.0}
    assert _defaults(client.Lease.ackStore) == {"portable": None}


def test_every_blocking_call_takes_a_timeout_defaulting_to_none():
    W = client.NetWorkSpace
    for method in (W.fetch, W.find, W.fetchFile, W.findFile, W.ifetch, W.ifind, W.lease):
        assert _defaults(method).get("timeout", "absent") is None, method.__name__


def test_package_is_typed_and_documented():
    assert os.path.isfile(os.path.join(os.path.dirname(nws.__file__), "py.typed"))
    text = pydoc.render_doc(client.NetWorkSpace, renderer=pydoc.plaintext)
    for phrase in ("fetchTry(self, varName: 'str', missing: 'Any' = None)", "timeout", "NwsTimeoutException",
                   "declare", "SINGLE"):
        assert phrase in text, phrase
    for method in ("store", "fetch", "fetchTry", "find", "findTry", "declare", "deleteVar", "listVars",
                   "currentWs", "ifetch", "ifetchTry", "ifind", "ifindTry", "storeFile", "fetchFile",
                   "fetchTryFile", "findFile", "findTryFile", "makefile", "close", "lease", "leaseTry"):
        assert getattr(client.NetWorkSpace, method).__doc__, method
    for method in ("ack", "ackStore", "release", "renew", "value", "id", "variable", "settled"):
        assert getattr(client.Lease, method).__doc__, method
    for method in ("openWs", "useWs", "mktempWs", "deleteWs", "listWss", "close"):
        assert getattr(client.NwsServer, method).__doc__, method
    assert inspect.signature(client.NetWorkSpace.fetch).return_annotation == "Any"
