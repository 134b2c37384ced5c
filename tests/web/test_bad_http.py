"""Bad HTTP costs its sender, never the server or its NWS clients: garbage,
an oversized head or body, a client that vanishes mid-request, many
connections at once."""

from __future__ import annotations

import socket

from conftest import unique


def raw(server, data: bytes, read=True) -> bytes:
    s = socket.create_connection((server.host, server.web_port), timeout=10)
    try:
        s.sendall(data)
        if not read:
            return b""
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk
    finally:
        s.close()


def still_serving(server, connect):
    ws = connect()
    ws.store("alive", "yes")
    assert ws.fetch("alive") == "yes"
    assert "<h1>Workspaces</h1>" in server.get_text("/")


def test_garbage_gets_a_400_and_the_connection_closes(server, connect):
    reply = raw(server, b"\x16\x03\x01\x02\x00garbage that is not HTTP\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 ")
    still_serving(server, connect)


def test_an_oversized_head_gets_431(server, connect):
    reply = raw(server, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 431 ")
    still_serving(server, connect)


def test_an_oversized_body_gets_413(server, connect):
    reply = raw(server, b"POST /doit HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" + b"a" * 70_000)
    assert reply.startswith(b"HTTP/1.1 413 ")
    still_serving(server, connect)


def test_a_client_gone_mid_request_costs_nothing(server, connect):
    for _ in range(20):
        raw(server, b"GET /doit?op=listWss HTTP/1.1\r\nHost: x\r\nContent-Le", read=False)
    still_serving(server, connect)


def test_pipelined_requests_are_answered_in_order(server, connect):
    ws = connect()
    ws.store("pipe", "1")
    reply = raw(server, b"GET /api/server HTTP/1.1\r\nHost: x\r\n\r\n"
                        b"GET /nonsense?op=listClients HTTP/1.1\r\nHost: x\r\n\r\n"
                        b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert reply.count(b"HTTP/1.1 200 OK") == 3
    a, b, c = reply.index(b'"nws_port"'), reply.index(b"<h1>Connections</h1>"), reply.index(b"nws_requests_total")
    assert a < b < c


def test_many_connections_at_once_and_the_nws_port_unaffected(server, connect):
    socks = [socket.create_connection((server.host, server.web_port), timeout=10) for _ in range(200)]
    try:
        still_serving(server, connect)
    finally:
        for s in socks:
            s.close()
    assert "<h1>Workspaces</h1>" in server.get_text("/")


def test_unknown_methods_are_refused(server):
    status, headers, _ = server.request("PUT", "/doit?op=listWss")
    assert status == 405 and "GET" in headers["allow"]
    assert server.get_text("/clientCode/nws.py", expect=404)
    name = unique()
    assert name not in server.get_text("/")


def test_thousands_of_pipelined_requests_in_one_send(server, connect):
    one = b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = raw(server, one * 5000 + b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert reply.count(b"HTTP/1.1 204 No Content") == 5001
    still_serving(server, connect)
