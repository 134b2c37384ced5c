"""Fixtures: one real nws-server (the one shipped in the package) on a free
loopback port for the whole session, and fresh workspaces per test."""

from __future__ import annotations

import itertools
import os
import time
from typing import Callable, Iterator

import pytest

import nws.server
from nws.client import DICT, V_FETCHERS, V_FINDERS, V_VALUES, NetWorkSpace

_names = itertools.count()


def unique(prefix: str = "pyt") -> str:
    """A workspace or variable name no other test uses."""
    return "%s_%d_%d" % (prefix, os.getpid(), next(_names))


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll `condition` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.005)


def var_counts(observer: NetWorkSpace, var: str, wsName: str = None) -> tuple:
    """(values, fetchers, finders) of a variable, (0, 0, 0) if it does not exist."""
    rec = observer.listVars(wsName, DICT).get(var)
    return (0, 0, 0) if rec is None else (rec[V_VALUES], rec[V_FETCHERS], rec[V_FINDERS])


def wait_blocked(observer: NetWorkSpace, var: str, fetchers: int = 0, finders: int = 0) -> None:
    """Wait until the server shows exactly this many clients blocked on `var`."""
    wait_until(
        lambda: var_counts(observer, var)[1:] == (fetchers, finders),
        what="%d fetcher(s) and %d finder(s) blocked on %r" % (fetchers, finders, var),
    )


@pytest.fixture(scope="session")
def server() -> Iterator[nws.server.LocalServer]:
    with nws.server.local(log_level="warn") as srv:
        yield srv


@pytest.fixture
def connect(server):
    """connect(name=None, **kw) -> NetWorkSpace on the session server, closed after the test."""
    made = []

    def make(name: str = None, **kw) -> NetWorkSpace:
        ws = NetWorkSpace(name or unique(), serverHost=server.host, serverPort=server.port, **kw)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()


@pytest.fixture
def ws(connect) -> NetWorkSpace:
    """A fresh workspace of its own."""
    return connect()


@pytest.fixture
def observer(connect, ws) -> NetWorkSpace:
    """A second connection using the same workspace as `ws`."""
    return connect(ws.currentWs(), useUse=True)
