"""nws.server: the server shipped in the package, from Python and as
`python -m nws.server`, and the seed example against it."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap

import pytest

import nws.server
from nws.client import NetWorkSpace, NwsOperationException


def test_the_package_ships_an_executable_server():
    path = nws.server.binary()
    assert os.path.isfile(path) and os.access(path, os.X_OK)
    assert os.path.dirname(path).endswith(os.path.join("nws", "bin"))


def test_local_server_context_manager_starts_and_stops_it():
    with nws.server.local() as srv:
        assert srv.running()
        assert srv.host == "127.0.0.1" and srv.port > 0
        with NetWorkSpace("ctx", serverHost=srv.host, serverPort=srv.port) as ws:
            ws.store("x", [1, 2])
            assert ws.fetch("x") == [1, 2]
    assert not srv.running()
    assert srv.process.returncode == 0


def test_start_passes_the_server_options(tmp_path):
    srv = nws.server.start(spool_dir=str(tmp_path), spool_threshold=64, max_value_size=1000)
    try:
        with NetWorkSpace("opts", serverHost=srv.host, serverPort=srv.port) as ws:
            ws.store("spooled", b"x" * 500)  # above the threshold: spooled under tmp_path
            spool_dirs = list(tmp_path.iterdir())  # the server's private nws-spool-* directory
            assert len(spool_dirs) == 1 and any(spool_dirs[0].iterdir())
            assert ws.fetch("spooled") == b"x" * 500
            with pytest.raises(NwsOperationException):
                ws.store("too big", b"x" * 2000)
    finally:
        assert srv.stop() == 0


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


def test_python_m_nws_server_serves_the_seed_example():
    # `python -m nws.server` in one process, the seed example in another.
    server = subprocess.Popen([sys.executable, "-m", "nws.server", "--port", "0", "--log-level", "warn"],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith("nws-server listening on 127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        example = textwrap.dedent("""
            import sys
            from nws.client import NetWorkSpace, NwsOperationException
            ws = NetWorkSpace('test', serverPort=int(sys.argv[1]))
            ws.store('dict example', {'key': 'value', 'n': [1, 2, 3]})
            print(ws.fetch('dict example'))
        """)
        out = subprocess.run([sys.executable, "-c", example, str(port)], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "{'key': 'value', 'n': [1, 2, 3]}"
    finally:
        server.terminate()
        assert server.wait(10) == 0
        server.stdout.close()
