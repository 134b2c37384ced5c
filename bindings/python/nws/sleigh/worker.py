"""A sleigh worker: ``python -m nws.sleigh.worker``, started by a sleigh's
launcher with the environment contract (``PythonSleighNwsHost``, ...), or
by :func:`nws.sleigh.launch` in a running interpreter.

The core runs the join, the sentinel and the loop; this module only turns
a chunk's bytes into calls and the calls' values into bytes: pickled chunks
from Python masters (functions by value), and portable calls from a master
of any language naming a function ``module:function`` (resolved here by
:mod:`nws.sleigh._resolve`).  While a task runs, user code sees the
original worker globals ``SleighRank``, ``SleighWorkerCount``, ``SleighNws``
and ``SleighUserNws`` (as builtins, and as attributes of this module).
"""

from __future__ import annotations

import builtins
import os
import pickle
import sys
from typing import Any, Dict, Optional, Tuple

from .. import _core
from . import _resolve, _tasks

PREFIX = "PythonSleigh"

SleighRank: int = -1
SleighWorkerCount: int = -1
SleighNws: Any = None
SleighUserNws: Any = None

_runners: Dict[bytes, _tasks.Runner] = {}
_env: Dict[str, Any] = {}


def _run(function_id: bytes, function: memoryview, payload: memoryview, meta: Tuple) -> Tuple[bytes, int, str]:
    runner = _runners.get(function_id)
    if runner is None:
        runner = _runners[function_id] = _tasks.Runner(function)
    elements = pickle.loads(payload)
    _job, first, _count, _barrier, rank = meta
    values, failed, log = runner(elements, first, rank)
    return _tasks.dumps(values), failed, log


_named = _resolve.NamedFunctions()


def _call(function_id: bytes, name: str, args: bytes, index: int) -> Tuple[bool, Any]:
    """One element of a portable chunk: (True, the value's portable bytes),
    or (False, the error's text) -- the core frames either."""
    return _named.call(function_id, name, args)


class _WorkspaceWriter:
    """sys.stdout/sys.stderr of a worker with redirectOutput: one value of
    ``output@<rank>`` per line, as the original workers did."""

    def __init__(self, ws: Any, var: str) -> None:
        self._ws, self._var, self._buf = ws, var, ""

    def write(self, text: str) -> int:
        self._buf += text
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            self._ws.store(self._var, line)
        return len(text)

    def flush(self) -> None:
        if self._buf:
            self._ws.store(self._var, self._buf)
            self._buf = ""


def _joined(rank: int, count: int) -> None:
    global SleighRank, SleighWorkerCount, SleighNws, SleighUserNws
    from ..client import NetWorkSpace

    host, port = _env["host"], _env["port"]
    SleighRank, SleighWorkerCount = rank, count
    SleighNws = NetWorkSpace(_env["sleigh_ws"], serverHost=host, serverPort=port, useUse=True, create=False)
    if _env["user_ws"]:
        SleighUserNws = NetWorkSpace(_env["user_ws"], serverHost=host, serverPort=port, useUse=True, create=False)
    for name in ("SleighRank", "SleighWorkerCount", "SleighNws", "SleighUserNws"):
        setattr(builtins, name, globals()[name])
    if _env["redirect_output"]:
        writer = _WorkspaceWriter(SleighNws, "output@%d" % rank)
        sys.stdout = sys.stderr = writer


def run(prefix: str = PREFIX) -> int:
    """Run a worker from the environment contract; returns its exit status."""
    _env.update(_core.sleigh_worker_env(prefix))
    if _env["module_path"]:
        sys.path[0:0] = [p for p in _env["module_path"].split(os.pathsep) if p and p not in sys.path]
    os.environ["PythonSleighAllowed"] = "FALSE"  # no sleigh inside a worker (the original's rule)
    # Before the join, so that the first task finds them; a failure is
    # every named task's error (shown to the master) rather than a worker
    # that dies before anyone can see why.
    _named.load([e for e in _env["load"].split(":") if e])
    language = "Python %d.%d.%d" % sys.version_info[:3]
    return _core.sleigh_worker(prefix, _run, _joined, language, _call)


def main(argv: Optional[list] = None) -> None:
    try:
        status = run()
    except Exception as exc:  # noqa: BLE001 - a worker reports and exits
        print("nws.sleigh.worker: %s" % exc, file=sys.__stderr__)
        status = 1
    sys.__stderr__.flush()
    os._exit(status)


if __name__ == "__main__":
    # Run as the package's module, so that nws.sleigh.worker.SleighRank
    # (imported by user code) is the one set here.
    from nws.sleigh import worker as _worker

    _worker.main()
