#!/usr/bin/env python3
"""A scripted NWS server for one test: a blocking call is interrupted after
its value has already been sent.  Every language's suite uses it to show
that such a call keeps both the value and the interrupt.

    race_peer.py [--signal-pid PID] [--value TEXT] [--descriptor N]

It listens on a free loopback port and prints `PORT <n>`, then serves one
connection: the handshake (it offers NwsCancel), any `open ws` / `use ws`
(status 0), and the first blocking `fetch`, `find`, `ifetch` or `ifind`.
When that request arrives it prints `BLOCKED` (and, with --signal-pid,
sends SIGINT to that process), then waits for the client's `cancel` and
answers as our server does when the value won the race: the value's long
reply (variable id "race", index 0), then status 1 for the cancel.
Afterwards it answers `fetchTry`/`findTry` with "no value", `ifetchTry`/
`ifindTry` with "no newer value", and anything else with status 0, until the
client leaves.  It prints `CANCELLED` when the cancel came, so a test can
tell that the interrupt, not a timeout, ended the wait.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys

LONG = {"fetch", "fetchTry", "find", "findTry", "ifetch", "ifetchTry", "ifind", "ifindTry", "list vars",
        "list wss", "mktemp ws"}
BLOCKING = {"fetch", "find", "ifetch", "ifind"}


def read_exact(conn: socket.socket, n: int) -> bytes:
    out = b""
    while len(out) < n:
        chunk = conn.recv(n - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return out


def read_dict(conn: socket.socket) -> dict:
    count = int(read_exact(conn, 4))
    d = {}
    for _ in range(count):
        k = read_exact(conn, int(read_exact(conn, 4)))
        d[k] = read_exact(conn, int(read_exact(conn, 4)))
    return d


def encode_dict(d: dict) -> bytes:
    out = b"%04d" % len(d)
    for k, v in d.items():
        out += b"%04d" % len(k) + k + b"%04d" % len(v) + v
    return out


class Peer:
    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.md_in = self.md_out = False

    def handshake(self) -> None:
        hello = read_exact(self.conn, 4)
        if not hello.startswith(b"X"):
            raise SystemExit("race_peer: an old-style client (%r); only X000 is served" % hello)
        offered = {b"NwsCancel": b"", b"MetadataToServer": b"", b"MetadataFromServer": b""}
        self.conn.sendall(b"P000" + encode_dict(offered))
        if read_exact(self.conn, 4) != b"R000":
            raise SystemExit("race_peer: no R000")
        asked = read_dict(self.conn)
        self.md_in = asked.get(b"MetadataToServer") == b"1"
        self.md_out = asked.get(b"MetadataFromServer") == b"1"
        self.conn.sendall(b"A000")

    def request(self) -> list:
        if self.md_in:
            read_dict(self.conn)
        argc = int(read_exact(self.conn, 4))
        return [read_exact(self.conn, int(read_exact(self.conn, 20))) for _ in range(argc)]

    def short(self, status: int) -> bytes:
        return (encode_dict({}) if self.md_out else b"") + b"%04d" % status

    def long(self, status: int, descriptor: int = 0, value: bytes = b"", var_id: bytes = b"") -> bytes:
        return ((encode_dict({}) if self.md_out else b"") + b"%04d" % status + b"%020d" % descriptor +
                var_id.ljust(20) + b"%020d" % 0 + b"%020d" % len(value) + value)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--signal-pid", type=int)
    p.add_argument("--value", default="arrived")
    p.add_argument("--descriptor", type=int, default=1, help="the value's descriptor (1: a direct string)")
    a = p.parse_args()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    print("PORT %d" % listener.getsockname()[1], flush=True)
    conn, _ = listener.accept()
    peer = Peer(conn)
    blocked = False
    try:
        peer.handshake()
        while True:
            args = peer.request()
            verb = args[0].decode()
            if verb in BLOCKING and not blocked:
                blocked = True
                print("BLOCKED", flush=True)
                if a.signal_pid:
                    os.kill(a.signal_pid, signal.SIGINT)
                cancel = peer.request()
                if cancel[0] != b"cancel":
                    raise SystemExit("race_peer: expected cancel, got %r" % cancel[0])
                print("CANCELLED", flush=True)
                conn.sendall(peer.long(0, a.descriptor, a.value.encode(), b"race") + peer.short(1))
            elif verb in LONG:
                conn.sendall(peer.long(1))
            else:
                conn.sendall(peer.short(0))
    except EOFError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
