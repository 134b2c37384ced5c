"""NWS servers from Python: one inside this program, or the shipped program.

A server inside this program (the core's embedded server: its event loop
runs on a thread of this process, on a free loopback port)::

    import nws.server
    from nws.client import NetWorkSpace

    with nws.server.local() as srv:
        ws = NetWorkSpace('demo', serverHost=srv.host, serverPort=srv.port)
        ...

Other programs can connect to it too, for as long as it runs.  A server
that many programs share, and that outlives them, is the standalone
nws-server program, shipped in this package (same options as nws-server;
``--help`` lists them)::

    python -m nws.server                     # 127.0.0.1:8765
    nws-server --port 0 --log-level debug    # the console script

Either server keeps its state in memory (large values spool to a private
directory); stopping it discards everything.
"""

from __future__ import annotations

import atexit
import os
import sys
import weakref
from pathlib import Path
from typing import Optional, Sequence

from ._core import LocalServer

__all__ = ["LocalServer", "local", "binary", "main"]

#: Environment variable naming another nws-server program to run.
BINARY_ENV = "NWS_SERVER_BINARY"

# Servers still running when the interpreter exits are stopped first, so
# their threads never outlive the interpreter.
_running: "weakref.WeakSet[LocalServer]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for srv in list(_running):
        srv.stop()


def local(
    port: int = 0,
    bind: str = "127.0.0.1",
    *,
    spool_dir: Optional[str] = None,
    spool_threshold: Optional[int] = None,
    max_value_size: Optional[int] = None,
    max_memory: Optional[int] = None,
    max_spool: Optional[int] = None,
) -> LocalServer:
    """Start an NWS server inside this program and return it once it
    accepts connections: ``with nws.server.local() as srv: ...``.

    port -- TCP port; 0 (the default) picks a free one (see .port).
    bind -- address to listen on (default loopback only).
    spool_dir -- where values of spool_threshold bytes or more are kept
        (default $TMPDIR, else /tmp); max_value_size -- larger stores are
        refused (defaults: 16 MiB and 8 GiB); max_memory, max_spool -- the
        memory and disk the stored values may take, past which stores are
        refused until fetches make room (defaults: half the physical memory,
        nine tenths of the spool directory's free space; 0: no limit).

    The LocalServer has ``.host`` and ``.port`` (where clients connect),
    ``.running``, and ``.stop()`` (idempotent; leaving the ``with`` block
    calls it): every connection is closed, every workspace dropped, and the
    port freed.  A port in use raises NwsConnectException; a bad port
    NwsInvalidArgumentException.
    """
    srv = LocalServer(port, bind, spool_dir, spool_threshold, max_value_size, max_memory, max_spool)
    _running.add(srv)
    return srv


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
