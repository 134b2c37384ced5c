"""One request at a time per connection, across Python threads.

A connection to the server carries one request at a time.  Threads sharing
it (through one NwsServer, or NetWorkSpace objects made from it) are
treated like this:

* short calls (store, fetchTry, listVars, ...) from several threads wait
  for each other and all work;
* while one thread is blocked in fetch/find/ifetch/ifind (which can last
  for ever: the value it waits for may have to come from another thread of
  the same program), any other thread's call raises
  NwsConnectionBusyException at once instead of waiting behind it;
* close() is always allowed, from any thread; a call blocked on the
  connection then raises NwsClosedException.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator, Optional

from ._errors import NwsConnectionBusyException


class ConnectionGuard:
    def __init__(self, where: str) -> None:
        self._where = where
        self._cond = threading.Condition()
        self._owner: Optional[int] = None  # thread ident of the call in progress
        self._blocking = False
        self._what = ""

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
            with self._cond:
                self._owner = None
                self._blocking = False
                self._cond.notify_all()
