"""The ssh launchers (sshcmd, sshforwardcmd) against a real sshd on
127.0.0.1 with a throwaway key."""

from __future__ import annotations

import os
import socket

import sleigh_support as sup
from sleigh_support import required_env
from nws.sleigh import Sleigh, sshcmd, sshforwardcmd

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_on(sleigh: Sleigh, node: str) -> None:
    assert sleigh.status(True, 60) == (2, True)
    info = sleigh.workerInfo()
    assert [i["name"] for i in info] == ["%s@0" % node, "%s@1" % node]
    assert sleigh.eachElem(lambda x: x * 2, range(20)) == [x * 2 for x in range(20)]
    assert sorted(r[0] for r in sleigh.eachWorker(sup.who_am_i)) == [0, 1]
    return [i["pid"] for i in info]


def test_sshcmd_starts_workers_through_sshd(server):
    node = required_env("NWS_SLEIGH_SSH_NODE")
    with Sleigh(nwsHost=server.host, nwsPort=server.port, launch=sshcmd, nodeList=[node, node],
                modulePath=TESTS) as s:
        pids = run_on(s, node)
        ws = s.wsName
    sup.wait_until(lambda: not any(sup.in_process_table(p) for p in pids) and not sup.processes_of(ws), 10,
                   "the remote workers to go")


def test_sshforwardcmd_reaches_the_server_through_a_reverse_tunnel(server):
    node = required_env("NWS_SLEIGH_SSH_NODE")
    tunnel = free_port()  # nothing listens there but the tunnel's remote end
    with Sleigh(nwsHost=server.host, nwsPort=server.port, launch=sshforwardcmd, nodeList=[node, node],
                nwsPortRemote=tunnel, modulePath=TESTS) as s:
        pids = run_on(s, node)
        # The workers were told to connect to the tunnel, not to the server.
        env = open("/proc/%d/environ" % pids[0], "rb").read().split(b"\0")
        assert b"PythonSleighNwsPort=%d" % tunnel in env
        assert b"PythonSleighNwsPort=%d" % server.port not in env


def test_sshcmd_gives_workers_tls_and_the_token_but_no_command_line_shows_it(server_process, certs, tmp_path):
    # The core's launcher sends the token on ssh's standard input: no
    # process here or "there" (this machine's sshd) has it in its argv.
    node = required_env("NWS_SLEIGH_SSH_NODE")
    token = "ssh-token-0123456789abcdef0123456789"
    (tmp_path / "token").write_text(token + "\n")
    srv = server_process("--token-file", str(tmp_path / "token"), tls="server")
    seen_in_argv = []

    def scan_command_lines():
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if token.encode() in open("/proc/%s/cmdline" % entry, "rb").read():
                        seen_in_argv.append(entry)
                except OSError:
                    pass

    with Sleigh(nwsHost=srv.host, nwsPort=srv.port, launch=sshcmd, nodeList=[node, node], modulePath=TESTS,
                tlsCa=str(certs / "ca.pem"), token=token) as s:
        pids = run_on(s, node)
        scan_command_lines()
        env = open("/proc/%d/environ" % pids[0], "rb").read().split(b"\0")
        assert b"NWS_TOKEN=" + token.encode() in env
        assert b"NWS_TLS=1" in env
    assert seen_in_argv == []
