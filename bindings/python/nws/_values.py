"""How Python values travel (PROTOCOL.md section 8).

Writing (the descriptor's bits and language ids are the core's table,
core/include/nws/values.def, generated into nws/_tables.py):

* ``str``   -> a direct string: its UTF-8 bytes (DESC_STR).
* ``bytes`` -> a direct binary string: the bytes (DESC_BYTES).
* anything else -> pickled (protocol :data:`PICKLE_PROTOCOL`), marked with
  Python's language id (DESC_PICKLE); or, when asked, in the portable
  encoding every language reads (docs/values.md, nws._portable).

Reading:

* direct string -> ``str`` (``bytes`` if the binary flag is set);
* portable (any writer) -> the Python value (numbers, lists, dicts, numpy
  arrays, DataFrames, datetimes); a corrupt one raises NwsUnpicklingException;
* serialised by Python (or by an unnamed writer) -> unpickled; a pickle
  that cannot be loaded raises NwsUnpicklingException;
* serialised by another language -> NwsUnpicklingException naming it;
* empty and not a direct string -> the caller's ``missing`` (None for
  fetch/find), as the original client did.

Text that is not valid UTF-8 (written by another client) comes back with
the undecodable bytes as surrogate escapes (``errors='surrogateescape'``),
so storing that ``str`` again writes exactly the same bytes.
"""

from __future__ import annotations

import pickle
from typing import Any, Tuple

from . import _core, _tables
from ._errors import NwsPicklingException, NwsUnpicklingException

#: The pickle protocol used for values that are not str or bytes.
#: Protocol 2 is readable by every Python that ever ran an NWS client
#: (the original clients on Python 2.3+ and any Python 3).  Programs that
#: only exchange values with Python 3.8+ may raise it to 5 for speed.
PICKLE_PROTOCOL = 2

# The descriptor bits and language ids: the core's table (nws/_tables.py).
DIRECT_STRING = _tables.DIRECT_STRING
BINARY = _tables.BINARY
PYTHON_LANGUAGE = _tables.LANGUAGES["python"]
NO_LANGUAGE = _tables.LANGUAGES["none"]

_PYTHON = PYTHON_LANGUAGE << _tables.LANGUAGE_SHIFT
DESC_STR = _PYTHON | DIRECT_STRING
DESC_BYTES = _PYTHON | DIRECT_STRING | BINARY
DESC_PICKLE = _PYTHON
PORTABLE = _tables.PORTABLE
DESC_PORTABLE = _PYTHON | PORTABLE


def language_name(language_id: int) -> str:
    """The display name of a writer language id ("R", "Java", ...)."""
    return _core.language_name(language_id)


def language_of(descriptor: int) -> int:
    """The writer language id of a descriptor."""
    return (descriptor >> _tables.LANGUAGE_SHIFT) & _tables.LANGUAGE_MASK


def encode_text(s: str) -> bytes:
    """UTF-8, with surrogate escapes turned back into the bytes they stand for."""
    return s.encode("utf-8", "surrogateescape")


def decode_text(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("utf-8", "surrogateescape")


def encode(value: Any, ws_name: str, var_name: str, portable: bool = False) -> Tuple[int, Any]:
    """The (descriptor, bytes) under which ``value`` is stored; a portable
    value's bytes stay native (_core.PortableEncoded, bytes() gives them)."""
    if isinstance(value, str):
        try:
            return DESC_STR, encode_text(value)
        except UnicodeEncodeError as e:  # a lone surrogate that no bytes stand for
            raise NwsPicklingException(e, ws_name, var_name) from e
    if isinstance(value, bytes):
        return DESC_BYTES, value
    if portable:
        try:
            return DESC_PORTABLE, _core.PortableEncoded(value)
        except Exception as e:
            raise NwsPicklingException(e, ws_name, var_name) from e
    try:
        return DESC_PICKLE, pickle.dumps(value, PICKLE_PROTOCOL)
    except Exception as e:
        raise NwsPicklingException(e, ws_name, var_name) from e


def decode(descriptor: int, data: Any, ws_name: str, var_name: str, missing: Any = None) -> Any:
    """The Python value for a retrieved (descriptor, bytes); a portable
    value's bytes may still be native (_core.PortableEncoded)."""
    if descriptor & DIRECT_STRING:
        return data if descriptor & BINARY else decode_text(data)
    if descriptor & PORTABLE:
        try:
            return _core.portable_decode(data)
        except Exception as e:
            why = "%s: %s" % (type(e).__name__, e)
            raise NwsUnpicklingException(e, ws_name, var_name, bytes(data), language_name(language_of(descriptor)),
                                         _unreadable(ws_name, var_name, descriptor, why)) from e
    if not data:
        return missing
    language = language_of(descriptor)
    if language not in (NO_LANGUAGE, PYTHON_LANGUAGE):
        message = _unreadable(ws_name, var_name, descriptor)
        raise NwsUnpicklingException(ValueError(message), ws_name, var_name, data, language_name(language), message)
    try:
        return pickle.loads(data)
    except Exception as e:
        why = "%s: %s" % (type(e).__name__, e)
        raise NwsUnpicklingException(e, ws_name, var_name, data, "Python",
                                     _unreadable(ws_name, var_name, descriptor, why)) from e


def _unreadable(ws_name: str, var_name: str, descriptor: int, why: str = "") -> str:
    """The core's message for a value Python cannot read (every language
    says the same)."""
    raw = _core.unreadable_value_message(encode_text(ws_name), encode_text(var_name), descriptor,
                                         encode_text(why))
    return decode_text(raw)


# The kinds of names, as the core's rule and TypeError's message call them.
_NAME_KINDS = {"workspace": "workspace name", "variable": "variable name", "name_template": "workspace name template"}


def encode_name(name: Any, kind: str) -> bytes:
    """A name as sent: UTF-8 bytes (names listed with undecodable bytes
    come back unchanged).  kind: 'workspace', 'variable' or 'name_template'.

    None, Python's null, goes through the core's rule, which refuses it
    with NwsInvalidArgumentException (the same kind and message in every
    language) before anything is sent.  Any other type is a TypeError.
    """
    if name is None:
        _core.check_name(None, kind)
    if not isinstance(name, str):
        raise TypeError("%s must be a string, not %s" % (_NAME_KINDS[kind], type(name).__name__))
    return encode_text(name)
