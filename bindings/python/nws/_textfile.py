"""NwsTextFile: the text file view of a variable made by NetWorkSpace.makefile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List, Optional

from ._errors import NwsOperationException

if TYPE_CHECKING:
    from .client import NetWorkSpace


class NwsTextFile:
    """A file-like view of a FIFO variable holding lines of text.

    Writing ('w', 'a'): every completed line (with its newline) is stored as
    one string value; text after the last newline is stored by flush() or
    close().  'w' deletes the variable first.

    Reading ('r'): the values, walked with an ifindTry iterator (so they are
    left in place), read as one stream of text; reading ends at the newest
    value.  Values that are not strings raise ValueError.
    """

    def __init__(self, ws: "NetWorkSpace", varName: str, mode: str) -> None:
        if mode not in ("r", "w", "a"):
            raise ValueError("illegal mode specified: %r" % (mode,))
        self._ws = ws
        self._varName = varName
        self.name = varName
        self.mode = mode
        self.closed = False
        self._pending: List[str] = []  # written text not yet ending in a newline
        self._unread = ""  # read from the variable, not yet returned
        if mode == "w":
            try:
                ws.deleteVar(varName)
            except NwsOperationException:
                pass  # nothing to empty
        ws.declare(varName, "fifo")
        self._it = ws.ifindTry(varName) if mode == "r" else None

    # -- reading ------------------------------------------------------------

    def _check(self, reading: bool) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        if reading and self.mode != "r":
            raise ValueError("read operation not allowed in mode %r" % (self.mode,))
        if not reading and self.mode == "r":
            raise ValueError("write operation not allowed in mode %r" % (self.mode,))

    def _next_value(self) -> Optional[str]:
        assert self._it is not None
        try:
            value = next(self._it)
        except StopIteration:
            return None
        if not isinstance(value, str):
            raise ValueError("read a non-string from %r: %r" % (self, value))
        return value

    def read(self, n: int = -1) -> str:
        """Read up to n characters (all remaining text if n < 0)."""
        self._check(True)
        parts = [self._unread]
        have = len(self._unread)
        while n < 0 or have < n:
            value = self._next_value()
            if value is None:
                break
            parts.append(value)
            have += len(value)
        text = "".join(parts)
        if n < 0:
            self._unread = ""
            return text
        self._unread = text[n:]
        return text[:n]

    def readline(self) -> str:
        """Read one line, with its newline ('' at the end)."""
        self._check(True)
        text = self._unread
        while "\n" not in text:
            value = self._next_value()
            if value is None:
                break
            text += value
        cut = text.find("\n") + 1 or len(text)
        self._unread = text[cut:]
        return text[:cut]

    def readlines(self) -> List[str]:
        return list(self)

    def __iter__(self) -> "NwsTextFile":
        self._check(True)
        return self

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    # -- writing ------------------------------------------------------------

    def write(self, s: str) -> int:
        """Write text; each completed line becomes one value."""
        self._check(False)
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        lines = s.split("\n")
        if len(lines) > 1:
            self._ws.store(self._varName, "".join(self._pending) + lines[0] + "\n")
            for line in lines[1:-1]:
                self._ws.store(self._varName, line + "\n")
            self._pending = []
        if lines[-1]:
            self._pending.append(lines[-1])
        return len(s)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Store text written since the last newline as a value of its own."""
        if self.closed:
            raise ValueError("I/O operation on closed file")
        if self.mode == "r":
            return
        text = "".join(self._pending)
        self._pending = []
        if text:
            self._ws.store(self._varName, text)

    # -- the rest of the file protocol ------------------------------------

    def close(self) -> None:
        if self.closed:
            return
        try:
            if self.mode != "r":
                self.flush()
        finally:
            self.closed = True

    def readable(self) -> bool:
        return self.mode == "r"

    def writable(self) -> bool:
        return self.mode != "r"

    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        return False

    def __enter__(self) -> "NwsTextFile":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<%s nws file %r, mode %r>" % ("closed" if self.closed else "open", self.name, self.mode)
