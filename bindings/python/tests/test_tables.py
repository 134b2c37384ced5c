"""The exception classes and constants are the core's tables, exactly: the
generated nws/_tables.py is compared with what the C++ core itself holds
(nws._core reads the same .def files through the compiler), row by row."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

import nws
import nws.client as client
from nws import _core, _errors, _tables, _values

# Python's own classes, on top of the table (see nws/_errors.py).
PYTHON_OWN = {"NwsPicklingException", "NwsUnpicklingException", "NwsConnectionBusyException",
              "NwsUnsupportedMethodException"}
# The original client's names for the kinds it had; every other kind is
# Nws<Kind>Exception.
ORIGINAL = {"error": "NwsException", "communication": "NwsServerException", "connection": "NwsConnectException",
            "no_such_workspace": "NwsNoWorkSpaceException", "unsupported": "NwsUnsupportedOperationException"}

ROWS = _core.error_kinds()  # (id, code, parent, Kind, name, description)


def class_name(row) -> str:
    return ORIGINAL.get(row[0], "Nws%sException" % row[3])


def test_the_core_table_is_not_empty_and_has_one_root():
    assert len(ROWS) >= 17
    assert [r[0] for r in ROWS if r[2] is None] == ["error"]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_every_row_has_its_class(row):
    id_, code, parent, kind, name, description = row
    cls = getattr(client, class_name(row))  # importable from nws.client, as the original classes were
    assert (cls.code, cls.kind, cls.kind_name) == (code, kind, name)
    assert cls.__doc__ == description
    assert cls.__module__ == "nws.client"
    if parent is None:
        assert cls.__bases__[0] is Exception
    else:
        parent_row = next(r for r in ROWS if r[0] == parent)
        assert cls.__bases__[0] is getattr(client, class_name(parent_row))
    if code is not None:
        assert _tables.BY_CODE[code] is cls
        exc = _errors._from_native(code, "message", 7, "reason")
        assert type(exc) is cls and (str(exc), exc.status, exc.reason) == ("message", 7, "reason")


def test_no_class_lacks_a_row():
    names = {class_name(r) for r in ROWS}
    assert set(_tables.__all__) == names
    assert {r[0] for r in _tables.ERRORS} == {r[0] for r in ROWS}
    assert set(_tables.BY_CODE) == {r[1] for r in ROWS if r[1] is not None}
    # Every exception class nws.client offers is a row's, or Python's own.
    offered = {n for n in client.__all__ if isinstance(getattr(client, n), type)
               and issubclass(getattr(client, n), BaseException)}
    assert offered == names | PYTHON_OWN


def test_python_own_classes_sit_where_they_belong():
    assert issubclass(client.NwsPicklingException, client.NwsSerialisationException)
    assert issubclass(client.NwsUnpicklingException, client.NwsSerialisationException)
    assert client.NwsConnectionBusyException.__bases__ == (client.NwsException,)
    assert client.NwsUnsupportedMethodException.__bases__ == (client.NwsException,)


def test_builtin_bases_let_python_code_catch_them():
    assert issubclass(client.NwsTimeoutException, TimeoutError)
    assert issubclass(client.NwsInvalidArgumentException, ValueError)
    assert issubclass(client.NwsInvalidArgumentException, TypeError)


def test_languages_match_the_core():
    native = _core.languages()  # (id, number, display)
    assert _tables.LANGUAGES == {id_: number for id_, number, _ in native}
    assert _tables.LANGUAGE_NAMES == {number: display for _, number, display in native if number}
    for number, display in _tables.LANGUAGE_NAMES.items():
        assert _values.language_name(number) == display
    assert _values.PYTHON_LANGUAGE == _tables.LANGUAGES["python"]


def test_descriptor_bits_match_the_core():
    assert (_tables.DIRECT_STRING, _tables.BINARY) == (_core.DIRECT_STRING, _core.BINARY)
    assert (_tables.LANGUAGE_SHIFT, _tables.LANGUAGE_MASK) == (_core.LANGUAGE_SHIFT, _core.LANGUAGE_MASK)
    python = _tables.LANGUAGES["python"] << _core.LANGUAGE_SHIFT
    assert _values.DESC_STR == python | _core.DIRECT_STRING
    assert _values.DESC_BYTES == python | _core.DIRECT_STRING | _core.BINARY
    assert _values.DESC_PICKLE == python


def test_modes_match_the_core():
    native = _core.modes()  # (name, standard, declarable)
    assert _tables.MODES == tuple(name for name, standard, _ in native if standard)
    assert _tables.DECLARABLE_MODES == tuple(name for name, _, declarable in native if declarable)
    assert (client.FIFO, client.LIFO, client.MULTI, client.SINGLE) == _tables.MODES


def test_version_is_core_VERSION_everywhere():
    version = _core.version()
    assert _tables.VERSION == version
    assert nws.__version__ == version
    assert metadata.version("nws") == version
    repo_version = Path(__file__).resolve().parents[3] / "core" / "VERSION"
    assert repo_version.read_text().strip() == version


def test_default_port_is_the_core_one():
    assert client.NWS_PORT == _core.DEFAULT_PORT
