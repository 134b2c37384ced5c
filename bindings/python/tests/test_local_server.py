"""nws.server: the embedded server (nws.server.local(), the core's
nws::LocalServer inside this process), and the nws-server program shipped
in the package (`python -m nws.server`, the console script)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import textwrap

import pytest

import nws.server
from nws.client import (
    NetWorkSpace,
    NwsConnectException,
    NwsConnectionDroppedException,
    NwsInvalidArgumentException,
    NwsOperationException,
)

SEED_EXAMPLE = textwrap.dedent("""
    import sys
    from nws.client import NetWorkSpace
    ws = NetWorkSpace('test', serverPort=int(sys.argv[1]))
    ws.store('dict example', {'key': 'value', 'n': [1, 2, 3]})
    print(ws.fetch('dict example'))
""")


def run_seed_example(port: int) -> str:
    """The seed example in a process of its own, against `port`."""
    out = subprocess.run([sys.executable, "-c", SEED_EXAMPLE, str(port)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


# -- the embedded server ------------------------------------------------------


def test_local_server_stores_and_fetches_and_stops_at_the_end_of_the_block():
    with nws.server.local() as srv:
        assert isinstance(srv, nws.server.LocalServer)
        assert srv.running
        assert srv.host == "127.0.0.1" and srv.port > 0
        assert srv.address == "127.0.0.1:%d" % srv.port
        with NetWorkSpace("ctx", serverHost=srv.host, serverPort=srv.port) as ws:
            ws.store("x", [1, 2])
            assert ws.fetch("x") == [1, 2]
    assert not srv.running
    assert "stopped" in repr(srv)


def test_two_local_servers_are_independent():
    with nws.server.local() as a, nws.server.local() as b:
        assert a.port != b.port
        with NetWorkSpace("same name", serverHost=a.host, serverPort=a.port) as wa, \
                NetWorkSpace("same name", serverHost=b.host, serverPort=b.port) as wb:
            wa.store("x", "on a")
            wb.store("x", "on b")
            assert wa.fetch("x") == "on a"
            assert wb.fetch("x") == "on b"
            assert wa.fetchTry("x") is None


def test_stop_frees_the_port_and_drops_the_connections():
    srv = nws.server.local()
    port = srv.port
    ws = NetWorkSpace("doomed", serverHost=srv.host, serverPort=port)
    ws.store("x", 1)
    srv.stop()
    srv.stop()  # idempotent
    assert not srv.running
    with pytest.raises(NwsConnectionDroppedException):
        ws.fetchTry("x")
    ws.close()
    # Nothing listens there any more, and the port can be listened on again.
    with pytest.raises(NwsConnectException):
        NetWorkSpace("x", serverHost="127.0.0.1", serverPort=port)
    with nws.server.local(port) as again:
        assert again.port == port
        with NetWorkSpace("fresh", serverHost=again.host, serverPort=port) as fresh:
            assert fresh.listVars() == ""


def test_a_port_in_use_is_a_connect_exception():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        with pytest.raises(NwsConnectException, match="cannot start an NWS server"):
            nws.server.local(busy.getsockname()[1])


def test_local_passes_the_server_options(tmp_path):
    with nws.server.local(spool_dir=str(tmp_path), spool_threshold=64, max_value_size=1000) as srv:
        with NetWorkSpace("opts", serverHost=srv.host, serverPort=srv.port) as ws:
            ws.store("spooled", b"x" * 500)  # above the threshold: spooled under tmp_path
            spool_dirs = list(tmp_path.iterdir())  # the server's private spool directory
            assert len(spool_dirs) == 1 and any(spool_dirs[0].iterdir())
            assert ws.fetch("spooled") == b"x" * 500
            # The server says its limit when the connection opens: the
            # client refuses the value before sending any of it.
            with pytest.raises(NwsInvalidArgumentException, match="over the NWS server's limit of 1000 bytes"):
                ws.store("too big", b"x" * 2000)
    assert list(tmp_path.iterdir()) == []  # stopping removed the spool directory


def test_the_memory_quota_refuses_stores_until_fetches_make_room():
    value = b"q" * (64 * 1024)
    with nws.server.local(max_memory=1 << 20) as srv:
        with NetWorkSpace("quota", serverHost=srv.host, serverPort=srv.port) as ws:
            stored = 0
            with pytest.raises(NwsOperationException) as refused:
                for stored in range(100):
                    ws.store("v", value)
            assert "memory for values is full" in refused.value.reason
            assert 5 < stored < 100
            for _ in range(stored):  # nothing stored was dropped
                assert ws.fetch("v") == value
            ws.store("v", value)  # room again
            assert ws.fetchTry("v") == value


def test_other_processes_can_use_the_local_server():
    with nws.server.local() as srv:
        assert run_seed_example(srv.port) == "{'key': 'value', 'n': [1, 2, 3]}"


# -- the shipped nws-server program -----------------------------------------


def test_the_package_ships_an_executable_server():
    path = nws.server.binary()
    assert os.path.isfile(path) and os.access(path, os.X_OK)
    assert os.path.dirname(path).endswith(os.path.join("nws", "bin"))


def test_module_help_is_the_programs_help():
    ours = subprocess.run([sys.executable, "-m", "nws.server", "--help"], capture_output=True, text=True, timeout=60)
    program = subprocess.run(["nws-server", "--help"], executable=nws.server.binary(), capture_output=True,
                             text=True, timeout=60)
    assert ours.returncode == program.returncode == 0
    assert ours.stdout == program.stdout
    for option in ("--bind", "--port", "--spool-dir", "--spool-threshold", "--max-value-size", "--log-level"):
        assert option in ours.stdout


def test_console_script_is_installed():
    script = os.path.join(sysconfig.get_path("scripts"), "nws-server")
    assert os.path.isfile(script)
    out = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "nws-server" in out.stdout
    assert nws.__version__ in out.stdout


def test_python_m_nws_server_serves_the_seed_example(server_process):
    # `python -m nws.server` in one process, the seed example in another.
    srv = server_process(module=True)
    assert run_seed_example(srv.port) == "{'key': 'value', 'n': [1, 2, 3]}"
    assert srv.stop() == 0
