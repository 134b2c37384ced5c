"""NwsValueIterator: the iterators returned by ifetch, ifetchTry, ifind and
ifindTry (PROTOCOL.md section 11)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple

from ._errors import NwsOperationFailedException, _attach_value
from ._values import DIRECT_STRING, decode, encode_name

if TYPE_CHECKING:
    from .client import NetWorkSpace

_OPS = ("ifetch", "ifetchTry", "ifind", "ifindTry")


class NwsValueIterator:
    """Iterates over the values of a workspace variable.

    Made by NetWorkSpace.ifetch, ifetchTry, ifind and ifindTry.  The
    position (which value was seen last) is kept here, in the client, so
    iterators never disturb each other.

    Once it has raised StopIteration the iterator keeps raising it, as
    Python's iterator protocol asks, until restart() (continue after the
    last value seen: only newer values come) or reset() (start again from
    the oldest value).
    """

    def __init__(self, ws: "NetWorkSpace", varName: str, op: str, timeout: Optional[float] = None) -> None:
        """Internal: use the NetWorkSpace methods."""
        if op not in _OPS:
            raise ValueError("unknown iterator operation %r" % (op,))
        self._ws = ws
        self._varName = varName
        self._op = op
        self._blocking = op in ("ifetch", "ifind")
        # Python's sticky end: the core's iterator goes on after its end.
        self._stopped = False
        self._native = ws._native.iterator(encode_name(varName, "variable"), op.startswith("ifetch"),
                                           timeout if self._blocking else None)

    def restart(self) -> None:
        """Allow further steps after the end, from where the iterator
        stopped: only values newer than the last one seen are returned."""
        self._stopped = False

    def reset(self) -> None:
        """Start again from the oldest value of the variable."""
        self._stopped = False
        self._native.reset()

    def __iter__(self) -> "NwsValueIterator":
        return self

    def _step(self, write: Any = None) -> Optional[Tuple[Any, ...]]:
        """One step: (descriptor, bytes-or-count, ...), or None at the end."""
        reply: Any
        if self._blocking:
            try:
                reply = self._ws._call(self._op, self._native.next, blocking=True)
            except NwsOperationFailedException:
                # The server's "no more": the variable was deleted.
                return None
            except BaseException as e:
                # Interrupted after the value arrived: the position has
                # advanced, so the value goes with the interrupt.
                _attach_value(e, lambda r: decode(r[0], r[1], self._ws.curWs, self._varName))
                raise
            if write is not None:
                write(reply[1])
                reply = (reply[0], len(reply[1]))
        elif write is not None:
            reply = self._ws._call(self._op, self._native.try_next_to, write)
        else:
            reply = self._ws._call(self._op, self._native.try_next)
        return None if reply is None else tuple(reply)

    def _ended(self, reply: Optional[Tuple[Any, ...]]) -> bool:
        # An empty value that is not a direct string ends the iteration, as
        # in the original client.
        if reply is None or (not reply[0] & DIRECT_STRING and not reply[1]):
            self._stopped = True
            return True
        return False

    def __next__(self) -> Any:
        if self._stopped:
            raise StopIteration
        reply = self._step()
        if self._ended(reply):
            raise StopIteration
        assert reply is not None
        return decode(reply[0], reply[1], self._ws.curWs, self._varName)

    next = __next__  # the original (Python 2) spelling

    def writeTo(self, fobj: Any) -> int:
        """Write the next value's bytes to a binary file.

        it.writeTo(fobj) -> number of bytes written (0 at the end)

        The file helpers' counterpart of next(): the raw bytes are written,
        whatever the value's type.
        """
        if self._stopped:
            return 0
        from .client import _writer

        reply = self._step(_writer(fobj))
        if self._ended(reply):
            return 0
        assert reply is not None
        return int(reply[1])

    def __repr__(self) -> str:
        return "<NwsValueIterator %s(%r) on %r%s>" % (
            self._op,
            self._varName,
            self._ws.curWs,
            " stopped" if self._stopped else "",
        )
