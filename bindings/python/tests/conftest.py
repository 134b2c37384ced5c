"""Fixtures: one embedded NWS server (nws.server.local()) on a free loopback
port for the whole session, fresh workspaces per test, and -- the one place
that starts server processes -- the shipped nws-server program as a process
of its own, for the tests that need one (a server that dies, a deadman
connection, `python -m nws.server`, TLS and users: see `certs` and
`hash_password`), and the scripted race peer (tests/support/race_peer.py)."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Sequence

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
    with nws.server.local() as srv:
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


class ServerProcess:
    """An NWS server running as a process of its own: ``host``, ``port``,
    ``process`` (the subprocess.Popen), ``stop()`` (its exit status)."""

    def __init__(self, command: Sequence[str], args: Sequence[str]) -> None:
        argv = list(command) + ["--bind", "127.0.0.1", "--port", "0", "--log-level", "warn"] + list(args)
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        # The program's first line says where it listens: "nws-server
        # listening on 127.0.0.1:PORT".  readline() returns at once if the
        # program dies (end of file).
        assert self.process.stdout is not None
        self.banner = self.process.stdout.readline()
        m = re.fullmatch(r"nws-server listening on (\S+):(\d+)\n", self.banner)
        if not m:
            self.process.kill()
            self.process.wait()
            raise AssertionError("nws-server did not start (it said %r)" % self.banner)
        self.host, self.port = m.group(1), int(m.group(2))

    def stop(self, timeout: float = 10.0) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()
        return self.process.returncode


REPOSITORY = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Path:
    """A directory of test certificates made by scripts/make-test-certs.sh
    (ca.pem, server.pem/.key, expired, wronghost, other-ca, untrusted,
    client, rogue-client: see its header), made once per session."""
    directory = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", str(REPOSITORY / "scripts" / "make-test-certs.sh"), str(directory)], check=True)
    return directory


def hash_password(password: str) -> str:
    """The users-file secret of `password` (nws-server --hash-password)."""
    out = subprocess.run([nws.server.binary(), "--hash-password"], input=password + "\n", capture_output=True,
                         text=True, check=True, timeout=60)
    secret = out.stdout.strip()
    assert secret.startswith("SCRAM-SHA-256$"), out
    return secret


@pytest.fixture
def server_process(request) -> Iterator[Callable[..., ServerProcess]]:
    """server_process(*args, module=False, tls=None, client_ca=None) ->
    ServerProcess: the shipped nws-server program (with module=True:
    `python -m nws.server`), with extra command-line arguments, stopped
    after the test.  tls='server' (or 'expired', 'wronghost', 'untrusted')
    adds --tls-cert/--tls-key with that pair from the `certs` directory;
    client_ca='ca' adds --tls-ca with that CA (client certificates
    required)."""
    started: List[ServerProcess] = []

    def start(*args: str, module: bool = False, tls: Optional[str] = None,
              client_ca: Optional[str] = None) -> ServerProcess:
        command = [sys.executable, "-m", "nws.server"] if module else [nws.server.binary()]
        extra = list(args)
        if tls is not None or client_ca is not None:
            directory = request.getfixturevalue("certs")
            if tls is not None:
                extra += ["--tls-cert", str(directory / (tls + ".pem")), "--tls-key", str(directory / (tls + ".key"))]
            if client_ca is not None:
                extra += ["--tls-ca", str(directory / (client_ca + ".pem"))]
        srv = ServerProcess(command, extra)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


class RacePeer:
    """tests/support/race_peer.py: a scripted server that sends SIGINT to
    this process when a blocking call arrives, then answers the cancel as a
    server does when the value won the race.  Deterministic: no sleeps."""

    SCRIPT = Path(__file__).resolve().parents[3] / "tests" / "support" / "race_peer.py"

    def __init__(self, args: Sequence[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(self.SCRIPT), "--signal-pid", str(os.getpid()), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # "PORT <n>"
        if not line.startswith("PORT "):
            self.process.kill()
            self.process.wait()
            raise AssertionError("race_peer.py did not start (it said %r)" % line)
        self.port = int(line.split()[1])

    def finish(self) -> str:
        """What the peer printed after its port ("BLOCKED", "CANCELLED"),
        once it has ended (the client closed its connection)."""
        assert self.process.stdout is not None
        out = self.process.stdout.read()
        assert self.process.wait(30) == 0
        self.process.stdout.close()
        return out


@pytest.fixture
def race_peer() -> Iterator[Callable[..., RacePeer]]:
    """race_peer(*args) -> RacePeer, ended after the test."""
    started: List[RacePeer] = []

    def start(*args: str) -> RacePeer:
        peer = RacePeer(args)
        started.append(peer)
        return peer

    yield start
    for peer in started:
        if peer.process.poll() is None:
            peer.process.kill()
            peer.process.wait()
        if peer.process.stdout is not None:
            peer.process.stdout.close()
