"""How Python values travel (PROTOCOL.md section 8).

Writing:

* ``str``   -> a direct string: its UTF-8 bytes, descriptor 0x01000001.
* ``bytes`` -> a direct binary string: the bytes, descriptor 0x01000003.
* anything else -> pickled (protocol :data:`PICKLE_PROTOCOL`), descriptor
  0x01000000 (Python's language id, 1, in bits 24-31).

Reading:

* direct string -> ``str`` (``bytes`` if the binary flag is set);
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

from ._errors import NwsPicklingException, NwsUnpicklingException

#: The pickle protocol used for values that are not str or bytes.
#: Protocol 2 is readable by every Python that ever ran an NWS client
#: (the original clients on Python 2.3+ and any Python 3).  Programs that
#: only exchange values with Python 3.8+ may raise it to 5 for speed.
PICKLE_PROTOCOL = 2

DIRECT_STRING = 0x1
BINARY = 0x2
PYTHON_LANGUAGE = 1

_PYTHON = PYTHON_LANGUAGE << 24
DESC_STR = _PYTHON | DIRECT_STRING
DESC_BYTES = _PYTHON | DIRECT_STRING | BINARY
DESC_PICKLE = _PYTHON

# Writer language ids (PROTOCOL.md section 8; 11 is the C++ client's).
_LANGUAGES = {
    1: "Python",
    2: "Matlab",
    3: "R",
    4: "Perl",
    5: "Ruby",
    6: "Octave",
    7: "Java",
    8: "C#",
    9: "Objective-C",
    10: "Emacs Lisp",
    11: "C++",
}


def language_name(language_id: int) -> str:
    """The display name of a writer language id ("R", "Java", ...)."""
    return _LANGUAGES.get(language_id, "language %d" % language_id)


def encode_text(s: str) -> bytes:
    """UTF-8, with surrogate escapes turned back into the bytes they stand for."""
    return s.encode("utf-8", "surrogateescape")


def decode_text(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("utf-8", "surrogateescape")


def encode(value: Any, ws_name: str, var_name: str) -> Tuple[int, bytes]:
    """The (descriptor, bytes) under which ``value`` is stored."""
    if isinstance(value, str):
        try:
            return DESC_STR, encode_text(value)
        except UnicodeEncodeError as e:  # a lone surrogate that no bytes stand for
            raise NwsPicklingException(e, ws_name, var_name) from e
    if isinstance(value, bytes):
        return DESC_BYTES, value
    try:
        return DESC_PICKLE, pickle.dumps(value, PICKLE_PROTOCOL)
    except Exception as e:
        raise NwsPicklingException(e, ws_name, var_name) from e


def decode(descriptor: int, data: bytes, ws_name: str, var_name: str, missing: Any = None) -> Any:
    """The Python value for a retrieved (descriptor, bytes)."""
    if descriptor & DIRECT_STRING:
        return data if descriptor & BINARY else decode_text(data)
    if not data:
        return missing
    language = (descriptor >> 24) & 0xFF
    if language not in (0, PYTHON_LANGUAGE):
        name = language_name(language)
        why = ValueError(
            "the value was serialised by %s (language id %d), not by Python; "
            "only plain strings can be read across languages" % (name, language)
        )
        raise NwsUnpicklingException(why, ws_name, var_name, data, name)
    try:
        return pickle.loads(data)
    except Exception as e:
        raise NwsUnpicklingException(e, ws_name, var_name, data, "Python") from e
