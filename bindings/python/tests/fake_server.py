"""A scripted stand-in for an NWS server, for behaviour a real server
cannot be made to show on demand: an old-style server without cookies or
NwsCancel, and a value that wins the race against a cancellation.

Speaks just enough of PROTOCOL.md (sections 2, 3, 6) for one connection."""

from __future__ import annotations

import socket
import threading
from typing import Callable, List, Optional


class Peer:
    """The server side of one accepted connection."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def read_exact(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("client closed the connection")
            buf += chunk
        return buf

    def read_dict(self) -> dict:
        out = {}
        for _ in range(int(self.read_exact(4))):
            key = self.read_exact(int(self.read_exact(4)))
            out[key] = self.read_exact(int(self.read_exact(4)))
        return out

    def read_request(self) -> List[bytes]:
        return [self.read_exact(int(self.read_exact(20))) for _ in range(int(self.read_exact(4)))]

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def short_reply(self, status: int) -> None:
        self.send(b"%04d" % status)

    def long_reply(self, status: int, descriptor: int, value: bytes, cookie: bool = True,
                   var_id: bytes = b"", index: int = 0) -> None:
        head = b"%04d%020d" % (status, descriptor)
        if cookie:
            head += var_id.ljust(20) + b"%020d" % index
        self.send(head + b"%020d" % len(value) + value)

    def handshake_new(self, advertise: dict) -> dict:
        """X000 -> P000 + advertisement; returns the client's requested options."""
        assert self.read_exact(4) == b"X000"
        body = b"".join(b"%04d%s%04d%s" % (len(k), k, len(v), v) for k, v in advertise.items())
        self.send(b"P000" + b"%04d" % len(advertise) + body)
        assert self.read_exact(4) == b"R000"
        requested = self.read_dict()
        self.send(b"A000")
        return requested

    def handshake_old(self, answer: bytes = b"2222") -> None:
        """The original old-style server: any greeting gets four digits."""
        self.read_exact(4)
        self.send(answer)

    def wait_closed(self) -> bool:
        """True once the client closes its end (nothing else may arrive)."""
        self.sock.settimeout(10)
        try:
            return self.sock.recv(1) == b""
        except OSError:
            return False


class FakeServer:
    """Accepts one connection on a free loopback port and runs script(peer)
    in a thread.  `error` holds what the script raised, if anything."""

    def __init__(self, script: Callable[[Peer], None]) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(1)
        self.port = self._listener.getsockname()[1]
        self.error: Optional[BaseException] = None
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(script,), daemon=True)
        self._thread.start()

    def _run(self, script: Callable[[Peer], None]) -> None:
        try:
            self._listener.settimeout(30)
            sock, _ = self._listener.accept()
            with sock:
                script(Peer(sock))
        except BaseException as e:  # reported by join()
            self.error = e
        finally:
            self.done.set()

    def join(self, timeout: float = 30) -> None:
        """Wait for the script to finish and re-raise its failure, if any."""
        self._thread.join(timeout)
        self._listener.close()
        assert not self._thread.is_alive(), "fake server script did not finish"
        if self.error is not None:
            raise self.error
