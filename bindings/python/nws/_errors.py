"""The exception classes of the nws package.

Most are generated at build time from the core's error table
(core/include/nws/errors.def -> nws/_tables.py): one class per kind, with
the original nws.client's names where it had the kind (NwsException,
NwsServerException, NwsConnectException, NwsNoWorkSpaceException,
NwsUnsupportedOperationException) and Nws<Kind>Exception otherwise.  Each
carries the row it comes from (``kind``, ``code``, ``kind_name``), and the
server's ``status`` and ``reason`` when the server refused a request.
NwsTimeoutException is also a builtin TimeoutError, and
NwsInvalidArgumentException a ValueError and a TypeError.

Python's own, defined here: NwsPicklingException and NwsUnpicklingException
(kinds of NwsSerialisationException), NwsConnectionBusyException (a rule of
this binding's threads, see nws._guard) and the original API's
NwsUnsupportedMethodException.
"""

from __future__ import annotations

from typing import Any, Optional

from . import _tables
from ._tables import *  # noqa: F401,F403 - the generated classes
from ._tables import NwsException, NwsSerialisationException

__all__ = list(_tables.__all__) + [
    "NwsPicklingException",
    "NwsUnpicklingException",
    "NwsConnectionBusyException",
    "NwsUnsupportedMethodException",
]


class NwsConnectionBusyException(NwsException):
    """Another thread is blocked in fetch/find/ifetch/ifind on the same
    connection (or this thread called back into it from a file callback).

    A connection carries one request at a time; a blocked request holds it
    until a value arrives.  Give each thread that blocks its own
    NetWorkSpace (and so its own connection).
    """


class NwsUnsupportedMethodException(NwsException):
    """The method is not supported (kept for compatibility with the original
    API)."""


class NwsPicklingException(NwsSerialisationException):
    """A value could not be serialised for ``store()``.

    ``exception`` is the error pickle raised.
    """

    def __init__(self, exception: BaseException, wsName: str, varName: str) -> None:
        super().__init__(exception, wsName, varName)
        self.exception = exception
        self._wsName = wsName
        self._varName = varName

    def __str__(self) -> str:
        return "cannot store the value of %r in workspace %r: %s: %s" % (
            self._varName,
            self._wsName,
            type(self.exception).__name__,
            self.exception,
        )


class NwsUnpicklingException(NwsSerialisationException):
    """A retrieved value could not be turned back into a Python object.

    Either its pickle is broken or, more often, another language wrote it
    (R's serialize(), Java objects...): only plain strings cross languages.
    ``exception`` says why, ``obj`` holds the raw bytes, ``language`` the
    writer's language name (when the value says).  The message is the one
    every language gives for such a value.
    """

    def __init__(
        self,
        exception: BaseException,
        wsName: str,
        varName: str,
        obj: bytes,
        language: Optional[str] = None,
        message: str = "",
    ) -> None:
        super().__init__(exception, wsName, varName, obj)
        self.exception = exception
        self._wsName = wsName
        self._varName = varName
        self.obj = obj
        self.language = language
        self._message = message

    def __str__(self) -> str:
        return self._message or "cannot read the value of %r in workspace %r: %s" % (
            self._varName, self._wsName, self.exception)


def _attach_value(exc: BaseException, convert: Any) -> None:
    """Ctrl-C (or another signal handler's exception) during a blocking call
    whose value had already been sent: the native layer raises the handler's
    exception with the raw reply as ``nws_reply``; give it the value the
    call would have returned as ``nws_value``, so the program can keep it."""
    reply = getattr(exc, "nws_reply", None)
    if reply is None or hasattr(exc, "nws_value"):
        return
    try:
        setattr(exc, "nws_value", convert(reply))  # noqa: B010 (not a declared attribute)
    except Exception:  # e.g. an unpicklable value: leave the raw reply
        pass


def _from_native(code: int, message: str, status: int, reason: str) -> NwsException:
    """The exception for a native client error (called by nws._core): the
    class of its code in the core's table."""
    cls = _tables.BY_CODE.get(code, NwsException)
    exc = cls(message)
    exc.status = status
    exc.reason = reason
    return exc


# The original client defined these in nws.client, which re-exports them:
# show (and pickle) them under that name.
for _name in __all__:
    globals()[_name].__module__ = "nws.client"
del _name
