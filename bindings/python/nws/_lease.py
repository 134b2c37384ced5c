"""Lease: a value taken under a lease (NetWorkSpace.lease and leaseTry).

Leased fetch is reliable consume (the NwsLease extension,
docs/protocol-extensions.md): the value leaves its variable as with fetch,
but stays the server's until the lease is settled.  If the holder's
connection closes (the program dies), or the lease's duration passes,
first, the value goes back to the head of its variable and the next
fetcher gets it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ._values import decode, encode, encode_name

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Type

    from . import _core
    from .client import NetWorkSpace


class Lease:
    """A value held under a lease, made by NetWorkSpace.lease and leaseTry.

    ``value`` is the value, as fetch would have returned it.  Settle the
    lease once:

    * ``ack()`` -- done with it: the value is gone for good;
    * ``ackStore(varName, val)`` -- store a result into a variable of the
      same workspace and acknowledge, in one step (both or neither
      happen, so a consumer that dies in between never duplicates its
      result);
    * ``release()`` -- give the value back now (to the head of its
      variable: the next fetch gets it).

    ``renew(duration)`` makes the lease end ``duration`` seconds from now.
    Settling a lease that is no longer held (it expired, or the server
    restarted) raises NwsLeaseLostException, whose message says what became
    of the value; settling twice raises NwsInvalidArgumentException.

    As a context manager it gives the value, acknowledges it on normal
    exit and releases it when the block raises (the exception goes on)::

        with ws.lease('task') as task:
            work(task)

    A lease settled inside the block (``ackStore``, say) is left alone on
    exit.  A Lease dropped unsettled is released.
    """

    def __init__(self, ws: "NetWorkSpace", varName: str, native: "_core.Lease") -> None:
        """Internal: use NetWorkSpace.lease and leaseTry."""
        self._native = native
        self._ws = ws
        self._varName = varName
        self._raw: Any = native.take_value()  # (descriptor, bytes) until decoded
        self._decoded = False
        self._value: Any = None

    @property
    def value(self) -> Any:
        """The value, converted as fetch converts it (a str, bytes, an
        unpickled or portable value).  One that cannot be read raises
        NwsUnpicklingException here; the lease is still held, to be
        released (another reader may manage) or acknowledged (dropped)."""
        if not self._decoded:
            descriptor, data = self._raw
            self._value = decode(descriptor, data, self._ws.curWs, self._varName, None)
            self._decoded = True
            self._raw = None
        return self._value

    @property
    def id(self) -> int:
        """The server's number for this lease."""
        return self._native.id

    @property
    def variable(self) -> str:
        """The name of the variable the value was leased from."""
        return self._varName

    @property
    def settled(self) -> bool:
        """True once acknowledged (ack, ackStore) or released, or once a
        settling call found the lease lost."""
        return self._native.settled

    def ack(self) -> None:
        """Acknowledge the value: it is gone for good.

        lease.ack()
        """
        self._ws._call("ack", self._native.ack)

    def ackStore(self, varName: str, val: Any, portable: Optional[bool] = None) -> None:
        """Store a value into a variable of the same workspace and
        acknowledge the lease, atomically: both happen or neither.

        lease.ackStore(varName, val)
        lease.ackStore(varName, val, portable=True)

        val is written exactly as NetWorkSpace.store writes it (portable:
        default the workspace's ``portable``).  If the store is refused,
        nothing is stored and the lease is still held.
        """
        var = encode_name(varName, "variable")
        ws = self._ws
        descriptor, data = encode(val, ws.curWs, varName, ws.portable if portable is None else portable)
        native = self._native.ack_store if isinstance(data, bytes) else self._native.ack_store_encoded
        ws._call("ackStore", native, var, descriptor, data)

    def release(self) -> None:
        """Give the value back now: it goes to the head of its variable
        (fifo: first out; lifo: top), for the next fetch.

        lease.release()
        """
        self._ws._call("release", self._native.release)

    def renew(self, duration: float) -> None:
        """Make the lease end ``duration`` seconds from now (unless settled
        before).

        lease.renew(duration)
        """
        self._ws._call("renew", self._native.renew, duration)

    def _release_quietly(self) -> None:
        # The value goes back whatever happens: released now, or by the
        # server when the lease ends or the connection closes.
        if self._native.settled:
            return
        try:
            self.release()
        except Exception:
            pass

    def __enter__(self) -> Any:
        try:
            return self.value
        except BaseException:
            self._release_quietly()  # unreadable here: another reader may manage
            raise

    def __exit__(
        self,
        exc_type: "Optional[Type[BaseException]]",
        exc: Optional[BaseException],
        tb: "Optional[TracebackType]",
    ) -> None:
        if self._native.settled:
            return
        if exc_type is None:
            self.ack()
        else:
            self._release_quietly()

    def __del__(self) -> None:
        # Unsettled: give the value back now rather than when the lease
        # ends.  Through the connection's guard, which defers the release
        # while another call holds the connection (a destructor must not
        # wait behind a blocked fetch).
        native = getattr(self, "_native", None)
        if native is None or native.settled:
            return
        try:
            server = self._ws.server
            if not server.closed:
                server._guard.soon(native.release)
        except Exception:
            pass

    def __repr__(self) -> str:
        state = " settled" if self._native.settled else ""
        return "<Lease %d of %r in %r%s>" % (self.id, self._varName, self._ws.curWs, state)
