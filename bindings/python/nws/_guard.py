"""One request at a time per connection, across Python threads.

A connection to the server carries one request at a time.  Threads sharing
it (through one NwsServer, or NetWorkSpace objects made from it) are
treated like this:

* short calls (store, fetchTry, listVars, ...) from several threads wait
  for each other and all work;
* while one thread is blocked in fetch/find/ifetch/ifind/lease (which can
  last for ever: the value it waits for may have to come from another
  thread of the same program), any other thread's call raises
  NwsConnectionBusyException at once instead of waiting behind it;
* close() is always allowed, from any thread; a call blocked on the
  connection then raises NwsClosedException;
* a Lease dropped unsettled is released at once if the connection is free,
  else by the thread whose call holds it, when that call ends (``soon``):
  a destructor never waits behind a blocked call.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Callable, Iterator, List, Optional

from ._errors import NwsConnectionBusyException


class ConnectionGuard:
    def __init__(self, where: str) -> None:
        self._where = where
        self._cond = threading.Condition()
        self._owner: Optional[int] = None  # thread ident of the call in progress
        self._blocking = False
        self._what = ""
        self._deferred: List[Callable[[], object]] = []  # see soon()

    @contextlib.contextmanager
    def call(self, what: str, blocking: bool = False) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            while self._owner is not None:
                if self._owner == me:
                    raise NwsConnectionBusyException(
                        "%s called while this thread's %s on the connection to %s is still "
                        "running (a file object calling back into its workspace?)" % (what, self._what, self._where)
                    )
                if self._blocking:
                    raise NwsConnectionBusyException(
                        "%s: another thread is blocked in %s on the connection to %s; a connection "
                        "carries one request at a time, so give each thread that blocks its own "
                        "NetWorkSpace" % (what, self._what, self._where)
                    )
                self._cond.wait()
            self._owner = me
            self._blocking = blocking
            self._what = what
        try:
            yield
        finally:
            self._finish()

    def soon(self, fn: Callable[[], object]) -> None:
        """Runs fn, a short call whose failure does not matter (releasing a
        dropped Lease), now if the connection is free, else when the call
        holding it ends (in that call's thread).  Never waits."""
        with self._cond:
            if self._owner is not None:
                self._deferred.append(fn)
                return
            self._owner = threading.get_ident()
            self._blocking = False
            self._what = "a dropped lease's release"
            self._deferred.append(fn)
        self._finish()

    def _finish(self) -> None:
        """Ends the current owner's turn: runs the deferred calls, then
        lets the next thread in."""
        try:
            while True:
                with self._cond:
                    if not self._deferred:
                        break
                    fn = self._deferred.pop(0)
                try:
                    fn()
                except Exception:
                    pass
        finally:
            with self._cond:
                self._owner = None
                self._blocking = False
                self._cond.notify_all()
