"""Run an NWS server from Python: the nws-server program shipped in the wheel.

From a program::

    import nws.server
    from nws.client import NetWorkSpace

    with nws.server.local() as srv:          # a free port on 127.0.0.1
        ws = NetWorkSpace('demo', serverPort=srv.port)
        ...

From a shell, with the same options as nws-server (``--help`` lists them)::

    python -m nws.server                     # 127.0.0.1:8765
    python -m nws.server --port 0 --log-level debug

The server keeps its state in memory (large values spool to a private
directory under ``--spool-dir``); stopping it discards everything.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any, List, Optional, Sequence

__all__ = ["LocalServer", "local", "start", "binary", "main"]

#: Environment variable naming another nws-server program to run.
BINARY_ENV = "NWS_SERVER_BINARY"


def binary() -> str:
    """The path of the nws-server program: $NWS_SERVER_BINARY if set, else
    the one installed with this package (nws/bin/nws-server)."""
    override = os.environ.get(BINARY_ENV)
    if override:
        return override
    path = Path(os.path.abspath(__file__)).parent / "bin" / "nws-server"
    if not path.is_file():
        raise FileNotFoundError(
            "the nws-server program is missing from this installation (%s); reinstall the nws package "
            "or set %s" % (path, BINARY_ENV)
        )
    return str(path)


class LocalServer:
    """A running nws-server child process.

    Attributes: ``host`` and ``port`` (where clients connect), ``process``
    (the subprocess.Popen).  ``stop()`` (or leaving the ``with`` block)
    shuts it down.
    """

    def __init__(self, process: "subprocess.Popen[bytes]", host: str, port: int) -> None:
        self.process = process
        self.host = host
        self.port = port

    @property
    def address(self) -> str:
        """'host:port'."""
        return "%s:%d" % (self.host, self.port)

    def running(self) -> bool:
        """True while the server process is alive."""
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> int:
        """Stop the server (SIGTERM; SIGKILL if it lingers past ``timeout``
        seconds) and return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> "LocalServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return "<LocalServer %s %s>" % (self.address, "running" if self.running() else "stopped")


def _read_listening_line(process: "subprocess.Popen[bytes]", timeout: float) -> str:
    """The server's first stdout line, which says where it listens."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    deadline = time.monotonic() + timeout
    buf = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("nws-server did not report its port within %.0f s" % timeout)
            if not sel.select(left):
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError("nws-server exited before it was listening (status %s)" % process.wait())
            buf += chunk
    return buf.split(b"\n", 1)[0].decode("utf-8", "replace")


def start(
    port: int = 0,
    bind: str = "127.0.0.1",
    *,
    spool_dir: Optional[str] = None,
    spool_threshold: Optional[int] = None,
    max_value_size: Optional[int] = None,
    log_level: str = "warn",
    args: Sequence[str] = (),
    stderr: Optional[IO[Any]] = None,
    timeout: float = 30.0,
) -> LocalServer:
    """Start nws-server and return once it accepts connections.

    port -- TCP port; 0 (the default) picks a free one (see .port).
    bind -- address to listen on (default loopback only).
    spool_dir, spool_threshold, max_value_size, log_level -- the program's
        options of the same names; args -- further command-line arguments.
    stderr -- where the server's log goes (default: this process's stderr).
    timeout -- seconds to wait for the server to start.
    """
    argv: List[str] = [binary(), "--bind", bind, "--port", str(port), "--log-level", log_level]
    if spool_dir is not None:
        argv += ["--spool-dir", str(spool_dir)]
    if spool_threshold is not None:
        argv += ["--spool-threshold", str(spool_threshold)]
    if max_value_size is not None:
        argv += ["--max-value-size", str(max_value_size)]
    argv += list(args)
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr)
    try:
        line = _read_listening_line(process, timeout)
        # "nws-server listening on HOST:PORT"
        host, _, port_text = line.rpartition(" ")[2].rpartition(":")
        server = LocalServer(process, host, int(port_text))
    except BaseException:
        process.kill()
        process.wait()
        raise
    return server


def local(port: int = 0, bind: str = "127.0.0.1", **options: Any) -> LocalServer:
    """A server for this program: ``with nws.server.local() as srv: ...``.

    Same arguments as start(); the server stops when the block ends.
    """
    return start(port, bind, **options)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """``python -m nws.server [options]``: run nws-server in the foreground
    (this process becomes the server, so Ctrl-C and signals reach it)."""
    program = binary()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.flush()
    sys.stderr.flush()
    # argv[0] "nws-server": the program's usage text then reads as usual.
    os.execv(program, ["nws-server"] + args)


if __name__ == "__main__":
    main()
