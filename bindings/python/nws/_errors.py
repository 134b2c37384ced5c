"""The exception classes of the nws package.

The hierarchy is the original nws.client's::

    NwsException
    ├── NwsServerException              talking to the server failed
    │   ├── NwsConnectException         cannot connect / handshake refused
    │   ├── NwsConnectionDroppedException   the connection is gone
    │   │   └── NwsClosedException      ... because close() was called
    │   └── NwsUnsupportedOperationException   the server cannot do this
    ├── NwsOperationException           the server refused an operation
    │   ├── NwsNoWorkSpaceException     no such workspace
    │   ├── NwsDeclarationFailedException   declare() of a conflicting mode
    │   ├── NwsPicklingException        a value could not be pickled
    │   ├── NwsUnpicklingException      a value could not be unpickled
    │   └── NwsTimeoutException         a blocking call's timeout passed
    ├── NwsConnectionBusyException      another thread holds the connection
    └── NwsUnsupportedMethodException   (kept from the original API)

NwsClosedException, NwsTimeoutException and NwsConnectionBusyException are
additions; NwsTimeoutException is also a builtin TimeoutError.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = [
    "NwsException",
    "NwsServerException",
    "NwsConnectException",
    "NwsConnectionDroppedException",
    "NwsClosedException",
    "NwsUnsupportedOperationException",
    "NwsOperationException",
    "NwsNoWorkSpaceException",
    "NwsDeclarationFailedException",
    "NwsPicklingException",
    "NwsUnpicklingException",
    "NwsTimeoutException",
    "NwsConnectionBusyException",
    "NwsUnsupportedMethodException",
]


class NwsException(Exception):
    """Base class for every exception raised by the nws package."""

    #: The server's status code (PROTOCOL.md section 12) when the server
    #: refused a request, else -1.
    status: int = -1
    #: The server's explanation (its ``nwsReason``), when it sent one.
    reason: str = ""


class NwsServerException(NwsException):
    """Communicating with the NWS server failed."""


class NwsConnectException(NwsServerException):
    """The NWS server could not be reached, or refused the connection."""


class NwsConnectionDroppedException(NwsServerException):
    """The connection to the NWS server was lost; make a new one."""


class NwsClosedException(NwsConnectionDroppedException):
    """The connection was closed by this program (``close()``)."""


class NwsUnsupportedOperationException(NwsServerException):
    """The server (or this connection to it) does not support the operation.

    For example iterators on a server that answers in the old reply format
    without cookies.
    """


class NwsOperationException(NwsException):
    """The server refused an operation (any non-zero status)."""


class NwsNoWorkSpaceException(NwsOperationException):
    """The workspace does not exist, was deleted, or was never opened on
    this connection."""


class NwsDeclarationFailedException(NwsOperationException):
    """``declare()`` failed: the variable already has another mode, or the
    mode is unknown to the server."""


class NwsTimeoutException(NwsOperationException, TimeoutError):
    """A blocking call's ``timeout`` passed before a value arrived.

    The request has been withdrawn: a value stored later goes to the next
    fetcher, not to this abandoned call.  Also a builtin ``TimeoutError``.
    """


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


class NwsPicklingException(NwsOperationException):
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


class NwsUnpicklingException(NwsOperationException):
    """A retrieved value could not be turned back into a Python object.

    Either its pickle is broken or, more often, another language wrote it
    (R's serialize(), Java objects...): only plain strings cross languages.
    ``exception`` says why, ``obj`` holds the raw bytes, ``language`` the
    writer's language name (when the value says).
    """

    def __init__(
        self,
        exception: BaseException,
        wsName: str,
        varName: str,
        obj: bytes,
        language: Optional[str] = None,
    ) -> None:
        super().__init__(exception, wsName, varName, obj)
        self.exception = exception
        self._wsName = wsName
        self._varName = varName
        self.obj = obj
        self.language = language

    def __str__(self) -> str:
        why = str(self.exception)
        if self.language in (None, "Python"):  # a broken pickle: say what broke
            why = "%s: %s" % (type(self.exception).__name__, why)
        return "cannot unpickle the value of %r in workspace %r: %s" % (self._varName, self._wsName, why)


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


# Client error codes (nws::Errc names, see core/include/nws/error.hpp) to
# classes.  A code missing here would be a bug: tests check every code.
_BY_CODE: Dict[str, type] = {
    "connection": NwsConnectException,
    "connection dropped": NwsConnectionDroppedException,
    "closed": NwsClosedException,
    "no such workspace": NwsNoWorkSpaceException,
    "not opened": NwsNoWorkSpaceException,
    "declaration failed": NwsDeclarationFailedException,
    "operation failed": NwsOperationException,
    "server error": NwsOperationException,
    "protocol": NwsServerException,
    "serialisation": NwsOperationException,
    "cancelled": NwsOperationException,
    "timeout": NwsTimeoutException,
    "unsupported": NwsUnsupportedOperationException,
    "invalid argument": ValueError,
}


def _from_native(code: str, message: str, status: int, reason: str) -> Any:
    """Build the exception for a native client error (called by nws._core)."""
    cls = _BY_CODE.get(code, NwsException)
    exc = cls(message)
    if isinstance(exc, NwsException):
        exc.status = status
        exc.reason = reason
    return exc


# The original client defined these in nws.client, which re-exports them:
# show (and pickle) them under that name.
for _cls in list(_BY_CODE.values()) + [NwsException, NwsServerException, NwsConnectionBusyException,
                                        NwsUnsupportedMethodException, NwsPicklingException,
                                        NwsUnpicklingException]:
    if issubclass(_cls, NwsException):
        _cls.__module__ = "nws.client"
del _cls
