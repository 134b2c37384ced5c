"""Fixtures for the web interface's tests: a real nws-server process (the
build's, or $NWS_SERVER) with its NWS port and web port both on free
loopback ports, real Python clients, and HTTP helpers."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Tuple

import pytest

from nws.client import NetWorkSpace

ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count()


def unique(prefix: str = "web") -> str:
    return "%s_%d_%d" % (prefix, os.getpid(), next(_names))


def wait_until(condition: Callable[[], object], timeout: float = 10.0, what: str = "condition"):
    """Poll `condition` until it returns something true; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        got = condition()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.01)


class Server:
    """nws-server with its web interface: host, port, web_port, base_url."""

    def __init__(self, *args: str) -> None:
        binary = os.environ.get("NWS_SERVER") or str(ROOT / "build" / "core" / "nws-server")
        argv = [binary, "--bind", "127.0.0.1", "--port", "0", "--web-port", "0", "--log-level", "warn"] + list(args)
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        first, second = self.process.stdout.readline(), self.process.stdout.readline()
        m1 = re.fullmatch(r"nws-server listening on (\S+):(\d+)\n", first)
        m2 = re.fullmatch(r"nws-server web interface on http://(\S+):(\d+)/\n", second)
        if not (m1 and m2):
            self.process.kill()
            raise AssertionError("nws-server did not start with its web interface (it said %r %r)" % (first, second))
        self.host, self.port, self.web_port = m1.group(1), int(m1.group(2)), int(m2.group(2))
        self.base_url = "http://%s:%d" % (self.host, self.web_port)

    def request(self, method: str, path: str, body: Optional[str] = None,
                headers: Optional[dict] = None) -> Tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection(self.host, self.web_port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def get_json(self, path: str, expect: int = 200) -> dict:
        status, headers, body = self.request("GET", path)
        assert status == expect, (path, status, body[:300])
        assert headers["content-type"] == "application/json"
        return json.loads(body)

    def get_text(self, path: str, expect: int = 200) -> str:
        status, _, body = self.request("GET", path)
        assert status == expect, (path, status, body[:300])
        return body.decode("utf-8")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        return self.process.returncode


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server("--spool-threshold", "1M")
    yield srv
    # A clean exit: the interface leaves nothing that stops the server from stopping.
    assert srv.stop() == 0


@pytest.fixture
def connect(server) -> Iterator[Callable[..., NetWorkSpace]]:
    """connect(name=None, **kw) -> NetWorkSpace on the server, closed after the test."""
    made: List[NetWorkSpace] = []

    def make(name: Optional[str] = None, **kw) -> NetWorkSpace:
        ws = NetWorkSpace(name or unique(), serverHost=server.host, serverPort=server.port, **kw)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()


class Blocked(threading.Thread):
    """A client of its own blocked in fetch (or find) of `var`; `.result`
    holds what it got, `.error` what it raised."""

    def __init__(self, server: Server, ws_name: str, var: str, how: str = "fetch") -> None:
        super().__init__(daemon=True)
        self.ws = NetWorkSpace(ws_name, serverHost=server.host, serverPort=server.port, useUse=True)
        self.var, self.how, self.result, self.error = var, how, None, None

    def run(self) -> None:
        try:
            self.result = getattr(self.ws, self.how)(self.var)
        except Exception as e:  # the test looks at it
            self.error = e

    def finish(self) -> None:
        self.join(10)
        assert not self.is_alive(), "the blocked client was never released"
        self.ws.close()


@pytest.fixture
def blocked(server) -> Iterator[Callable[..., Blocked]]:
    made: List[Blocked] = []

    def make(ws_name: str, var: str, how: str = "fetch") -> Blocked:
        b = Blocked(server, ws_name, var, how)
        b.start()
        made.append(b)
        return b

    yield make
    # Every test releases its blocked clients; one left blocked is a failure.
    for b in made:
        if b.is_alive():
            b.join(10)
        assert not b.is_alive(), "a blocked client was left blocked"
