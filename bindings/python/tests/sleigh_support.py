"""Helpers for the sleigh tests: the process table, and functions the
workers import by reference (this directory is on their module path)."""

from __future__ import annotations

import ctypes
import os
import time
from typing import Callable, Iterable, List, Set

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphaned descendants (workers of a master we kill) become our
    children, so that we can reap them: a reaped process is gone from the
    process table, a zombie is not."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def reap(pids: Iterable[int]) -> None:
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def in_process_table(pid: int) -> bool:
    """True while the process table holds `pid` (zombies included)."""
    return os.path.exists("/proc/%d" % pid)


def processes_of(ws_name: str) -> Set[int]:
    """Every process whose environment names the sleigh workspace `ws_name`
    (workers get it through the environment contract)."""
    needle = ("PythonSleighNwsName=%s\0" % ws_name).encode()
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as f:
                if needle in f.read() + b"\0":
                    found.add(int(entry))
        except OSError:
            continue
    return found


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Polls `condition` until it holds; returns the seconds it took, or
    fails after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(0.01)
    return time.monotonic() - start


# ---- task functions, imported by reference on the workers ----

def square(x):
    return x * x


def add(a, b):
    return a + b


def describe(*args):
    return args


def fails_on_multiples_of(n, x):
    if x % n == 0:
        raise ValueError("no multiples of %d, please: %d" % (n, x))
    return x


def who_am_i():
    import os

    return (SleighRank, SleighWorkerCount, os.getpid())  # noqa: F821 - worker builtins


def gated(x):
    """Says which worker started x (in the user workspace), then waits for
    the test's go-ahead there."""
    import os

    SleighUserNws.store("started", (SleighRank, x, os.getpid()))  # noqa: F821
    SleighUserNws.find("go")  # noqa: F821
    return x * 10


def rank_of_started(values: List) -> Set[int]:
    return {v[0] for v in values}


def required_env(name: str) -> str:
    """A variable scripts/test-sleigh.sh sets for the launcher tests (in
    tests/sleigh_launchers, which a plain pytest run does not collect):
    without it those tests fail, never skip."""
    import pytest

    value = os.environ.get(name)
    if not value:
        pytest.fail("%s is not set: run this through scripts/test-sleigh.sh, which starts the service" % name)
    return value


# ---- functions run by name (portable arguments and results) ----

def typed(i, x, s, items, mapping, nothing, vector):
    """Each argument's type as it arrived, and a value of each portable
    type back."""
    return {
        "i": i + 1,
        "x": x * 2,
        "s": s.upper(),
        "items": items + [len(items)],
        "mapping": {k: v * 2 for k, v in mapping.items()},
        "nothing": nothing,
        "vector": vector * 2 if hasattr(vector, "dtype") else [v * 2 for v in vector],
        "types": [type(a).__name__ for a in (i, x, s, items, mapping, nothing)],
    }


def a_set(x):
    return {x}


def on_rank():
    return [SleighRank, SleighWorkerCount]  # noqa: F821 - worker builtins


class Scaler:
    factor = 3

    @staticmethod
    def scale(x):
        return x * Scaler.factor
