"""TLS, users, tokens and permissions (docs/security.md) against real
nws-server processes: the keyword options of NwsServer, NetWorkSpace and
Sleigh (tls, tlsCa, tlsCert, tlsKey, tlsServerName, user, password, token),
the errors a refusal gives (NwsTlsException, NwsAuthenticationException,
NwsPermissionDeniedException), and a sleigh whose workers inherit it all.
Certificates come from scripts/make-test-certs.sh (the `certs` fixture)."""

from __future__ import annotations

import os
import pickle
import socket
import time
from pathlib import Path

import pytest
from conftest import hash_password, unique

import sleigh_support as sup
from nws.client import (
    OPT_SSL,
    OPT_SSLCERT,
    OPT_SSLKEY,
    NetWorkSpace,
    NwsAuthenticationException,
    NwsConnectException,
    NwsOperationException,
    NwsPermissionDeniedException,
    NwsServer,
    NwsServerException,
    NwsTlsException,
)
from nws.sleigh import Sleigh

HERE = os.path.dirname(os.path.abspath(__file__))
ENVIRONMENT = ("NWS_TLS", "NWS_TLS_CA", "NWS_TLS_CERT", "NWS_TLS_KEY", "NWS_USER", "NWS_PASSWORD", "NWS_TOKEN")
# A refusal must come at once, not when a 60 s connect timeout passes.
QUICK = 10.0
PASSWORDS = {"producer": "pw-producer", "worker1": "pw-worker1", "admin": "pw-admin"}
TOKEN = "s3cret-token-for-tests"


@pytest.fixture(autouse=True)
def no_security_environment(monkeypatch):
    """Only what a test gives: none of the core's fallbacks from here."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def secrets():
    return {user: hash_password(pw) for user, pw in PASSWORDS.items()}


def users_file(path: Path, secrets, rules=()) -> str:
    lines = ["# users for test_security.py"]
    lines += ["user %s %s" % (u, s) for u, s in secrets.items()]
    lines += ["group workers worker1"]
    lines += list(rules)
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def connect_ws(srv, **kw) -> NetWorkSpace:
    """A fresh workspace on the server process `srv`."""
    return NetWorkSpace(unique("sec"), serverHost=srv.host, serverPort=srv.port, **kw)


def round_trip(ws: NetWorkSpace) -> None:
    value = {"answer": 42, "list": [1, 2, 3]}
    ws.store("x", value)
    assert ws.fetch("x") == value


def refused_quickly(exc, match, call):
    """The call raises `exc` (message matching) well before any timeout."""
    start = time.monotonic()
    with pytest.raises(exc, match=match) as info:
        call()
    assert time.monotonic() - start < QUICK
    return info.value


# ---- 1. a TLS round trip ---------------------------------------------------------

def test_tls_round_trip_trusting_the_test_ca(server_process, certs):
    srv = server_process(tls="server")
    with NetWorkSpace(unique("sec"), serverHost=srv.host, serverPort=srv.port, tlsCa=str(certs / "ca.pem")) as ws:
        round_trip(ws)


def test_tls_round_trip_through_nwsserver_with_a_path_object(server_process, certs):
    srv = server_process(tls="server")
    with NwsServer(srv.host, srv.port, tls=True, tlsCa=certs / "ca.pem") as s:
        ws = s.openWs(unique("sec"))
        round_trip(ws)
        assert ws.currentWs() in s.listWss()


def test_tls_server_name_names_the_certificates_host(server_process, certs):
    # wronghost.pem names only wrong.example: connecting to 127.0.0.1 under
    # that name succeeds.
    srv = server_process(tls="wronghost")
    with connect_ws(srv, tlsCa=str(certs / "ca.pem"), tlsServerName="wrong.example") as ws:
        round_trip(ws)


def test_client_certificate_accepted_by_a_server_that_requires_one(server_process, certs):
    srv = server_process(tls="server", client_ca="ca")
    with connect_ws(srv, tlsCa=str(certs / "ca.pem"), tlsCert=str(certs / "client.pem"),
                    tlsKey=str(certs / "client.key")) as ws:
        round_trip(ws)


# ---- 2. certificates the client refuses ----------------------------------------

def test_server_certificate_from_an_untrusted_ca_is_refused(server_process, certs):
    srv = server_process(tls="untrusted")
    e = refused_quickly(NwsTlsException, "certificate verify failed|not trusted",
                        lambda: connect_ws(srv, tlsCa=str(certs / "ca.pem")))
    assert isinstance(e, NwsConnectException) and e.kind == "Tls"


def test_trusting_another_ca_refuses_the_server(server_process, certs):
    srv = server_process(tls="server")
    refused_quickly(NwsTlsException, "certificate verify failed|not trusted",
                    lambda: connect_ws(srv, tlsCa=str(certs / "other-ca.pem")))


def test_system_cas_do_not_trust_the_test_ca(server_process):
    srv = server_process(tls="server")
    refused_quickly(NwsTlsException, "certificate verify failed|not trusted", lambda: connect_ws(srv, tls=True))


def test_expired_server_certificate_is_refused(server_process, certs):
    srv = server_process(tls="expired")
    refused_quickly(NwsTlsException, "certificate has expired",
                    lambda: connect_ws(srv, tlsCa=str(certs / "ca.pem")))


def test_certificate_for_another_host_is_refused(server_process, certs):
    srv = server_process(tls="wronghost")
    refused_quickly(NwsTlsException, "does not match", lambda: connect_ws(srv, tlsCa=str(certs / "ca.pem")))


def test_a_server_name_the_certificate_lacks_is_refused(server_process, certs):
    srv = server_process(tls="server")
    refused_quickly(NwsTlsException, "does not match",
                    lambda: connect_ws(srv, tlsCa=str(certs / "ca.pem"), tlsServerName="wrong.example"))


@pytest.mark.parametrize("pair", [None, "rogue-client"])
def test_server_refuses_a_missing_or_untrusted_client_certificate(server_process, certs, pair):
    srv = server_process(tls="server", client_ca="ca")
    kw = {} if pair is None else {"tlsCert": str(certs / (pair + ".pem")), "tlsKey": str(certs / (pair + ".key"))}

    def attempt():
        # TLS 1.3: the server's refusal of the certificate may arrive with
        # the first reply rather than during the handshake.
        with connect_ws(srv, tlsCa=str(certs / "ca.pem"), **kw) as ws:
            ws.store("x", 1)

    refused_quickly(NwsConnectException, None, attempt)


# ---- 3. TLS on one side only ---------------------------------------------------

def test_plain_client_to_a_tls_server_is_told_tls_is_required(server_process):
    srv = server_process(tls="server")
    refused_quickly(NwsTlsException, "requires TLS",
                    lambda: NwsServer(srv.host, srv.port, connectTimeout=60))


def test_tls_client_to_a_plain_server_is_told_it_offers_none(server_process, certs):
    srv = server_process()
    refused_quickly(NwsTlsException, "does not offer TLS",
                    lambda: NwsServer(srv.host, srv.port, connectTimeout=60, tlsCa=str(certs / "ca.pem")))


# ---- 4. users and tokens -----------------------------------------------------------

@pytest.fixture
def users_server(server_process, tmp_path, secrets):
    return server_process("--users", users_file(tmp_path / "users", secrets))


def test_the_right_password_works(users_server):
    with connect_ws(users_server, user="producer", password=PASSWORDS["producer"]) as ws:
        round_trip(ws)


def test_wrong_password_unknown_user_and_no_credentials_get_the_same_refusal(users_server):
    refusals = [
        refused_quickly(NwsAuthenticationException, "authentication failed", lambda: connect_ws(users_server, **kw))
        for kw in ({"user": "producer", "password": "wrong"},
                   {"user": "nobody", "password": PASSWORDS["producer"]},
                   {})
    ]
    assert all(isinstance(e, NwsServerException) and e.kind == "Authentication" for e in refusals)
    # Nothing tells a wrong password from an unknown user or from none.
    assert len({str(e) for e in refusals}) == 1, [str(e) for e in refusals]


@pytest.fixture
def token_server(server_process, tmp_path):
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    return server_process("--token-file", str(path))


def test_the_token_works(token_server):
    with connect_ws(token_server, token=TOKEN) as ws:
        round_trip(ws)


@pytest.mark.parametrize("token", ["not-the-token", None])
def test_a_wrong_or_missing_token_is_refused(token_server, token):
    refused_quickly(NwsAuthenticationException, "authentication failed",
                    lambda: connect_ws(token_server, **({} if token is None else {"token": token})))


def test_credentials_and_tls_together(server_process, tmp_path, secrets, certs):
    srv = server_process("--users", users_file(tmp_path / "users", secrets), tls="server")
    with connect_ws(srv, tlsCa=str(certs / "ca.pem"), user="admin", password=PASSWORDS["admin"]) as ws:
        round_trip(ws)
    refused_quickly(NwsAuthenticationException, "authentication failed",
                    lambda: connect_ws(srv, tlsCa=str(certs / "ca.pem"), user="admin", password="wrong"))


# ---- 5. permissions ------------------------------------------------------------------

RULES = [
    "allow producer create,store,read jobs",
    "allow @workers fetch,read jobs",
    "allow admin all *",
]


@pytest.fixture
def rules_server(server_process, tmp_path, secrets):
    return server_process("--users", users_file(tmp_path / "users", secrets, RULES))


def as_user(srv, name, ws="jobs", **kw):
    return NetWorkSpace(ws, serverHost=srv.host, serverPort=srv.port, user=name, password=PASSWORDS[name], **kw)


def test_permission_denied_leaves_the_connection_usable(rules_server):
    producer = as_user(rules_server, "producer")
    try:
        producer.store("task", 1)
        with pytest.raises(NwsPermissionDeniedException,
                           match="[Pp]ermission denied: user 'producer' may not fetch from workspace 'jobs'") as info:
            producer.fetch("task")
        assert isinstance(info.value, NwsOperationException) and info.value.kind == "PermissionDenied"
        producer.store("task", 2)  # still connected, still allowed
        assert "task\t2\t" in producer.listVars()

        worker = as_user(rules_server, "worker1", useUse=True, create=False)
        try:
            with pytest.raises(NwsPermissionDeniedException, match="worker1"):
                worker.store("task", 3)
            assert worker.fetch("task") == 1
            assert worker.fetch("task") == 2
            assert worker.fetchTry("task") is None
        finally:
            worker.close()
    finally:
        producer.close()


def test_creating_a_workspace_needs_the_create_right(rules_server):
    with pytest.raises(NwsPermissionDeniedException, match="worker1"):
        as_user(rules_server, "worker1", ws="elsewhere")
    with as_user(rules_server, "admin", ws="elsewhere") as ws:  # admin may do anything
        round_trip(ws)


# ---- 6. the options in Python's idiom ------------------------------------------------

@pytest.fixture
def closed_port():
    """Where nothing listens: a call that got as far as connecting would
    fail with NwsConnectException, not with an argument error."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


WRONG_TYPES = [
    ({"tls": "yes"}, "tls must be True, False or None, not str"),
    ({"tls": 1}, "tls must be True, False or None, not int"),
    ({"tlsCa": 42}, "tlsCa must be a path .* not int"),
    ({"tlsCert": ["a.pem"]}, "tlsCert must be a path .* not list"),
    ({"tlsKey": 1.5}, "tlsKey must be a path .* not float"),
    ({"tlsServerName": b"host"}, "tlsServerName must be a str or None, not bytes"),
    ({"user": 7}, "user must be a str or None, not int"),
    ({"password": b"pw"}, "password must be a str or None, not bytes"),
    ({"token": 123}, "token must be a str or None, not int"),
]
BAD_VALUES = [
    ({"tls": False, "tlsCa": "ca.pem"}, r"tls=False, but tlsCa was given \(it turns TLS on\)"),
    ({"tls": False, "tlsCert": "client.pem"}, r"tls=False, but tlsCert was given"),
    ({"password": "p\0w"}, "password must not contain a NUL character"),
    ({"tlsCa": "ca\0.pem"}, "tlsCa must not contain a NUL character"),
]
IDS = [next(iter(kw)) + "-" + type(kw[next(iter(kw))]).__name__ for kw, _ in WRONG_TYPES]


@pytest.mark.parametrize("kw,message", WRONG_TYPES, ids=IDS)
def test_a_wrong_type_is_a_type_error_before_connecting(closed_port, kw, message):
    for make in (lambda: NwsServer("127.0.0.1", closed_port, **kw),
                 lambda: NetWorkSpace("x", serverHost="127.0.0.1", serverPort=closed_port, **kw)):
        with pytest.raises(TypeError, match=message) as info:
            make()
        assert not isinstance(info.value, NwsConnectException)


@pytest.mark.parametrize("kw,message", BAD_VALUES, ids=["tls-ca", "tls-cert", "nul-password", "nul-path"])
def test_an_unusable_value_is_a_value_error_before_connecting(closed_port, kw, message):
    for make in (lambda: NwsServer("127.0.0.1", closed_port, **kw),
                 lambda: NetWorkSpace("x", serverHost="127.0.0.1", serverPort=closed_port, **kw)):
        with pytest.raises(ValueError, match=message):
            make()


def test_an_unknown_keyword_is_a_type_error(closed_port):
    with pytest.raises(TypeError, match="tlsca"):
        NwsServer("127.0.0.1", closed_port, tlsca="ca.pem")


def test_security_options_cannot_apply_to_an_existing_connection(server):
    with NwsServer(server.host, server.port) as s:
        with pytest.raises(ValueError, match="tlsCa, user cannot apply to an existing connection"):
            NetWorkSpace("x", server=s, tlsCa="ca.pem", user="u")


def test_the_original_connopts_ssl_keys(server_process, certs):
    srv = server_process(tls="server", client_ca="ca")
    connopts = {OPT_SSL: "1", OPT_SSLCERT: str(certs / "client.pem"), OPT_SSLKEY: str(certs / "client.key")}
    with NwsServer(srv.host, srv.port, connopts, tlsCa=str(certs / "ca.pem")) as s:
        round_trip(s.openWs(unique("sec")))
    plain = server_process()
    refused_quickly(NwsTlsException, "does not offer TLS",
                    lambda: NwsServer(plain.host, plain.port, {OPT_SSL: "1"}, tlsCa=str(certs / "ca.pem")))


def test_options_not_given_come_from_the_environment(server_process, tmp_path, secrets, certs, monkeypatch):
    srv = server_process("--users", users_file(tmp_path / "users", secrets), tls="server")
    monkeypatch.setenv("NWS_TLS_CA", str(certs / "ca.pem"))
    monkeypatch.setenv("NWS_USER", "producer")
    monkeypatch.setenv("NWS_PASSWORD", PASSWORDS["producer"])
    with connect_ws(srv) as ws:
        round_trip(ws)
    # A keyword wins over the environment.
    refused_quickly(NwsAuthenticationException, "authentication failed", lambda: connect_ws(srv, password="wrong"))


def test_a_pickled_workspace_reconnects_with_its_options_but_not_its_secrets(
        server_process, tmp_path, secrets, certs, monkeypatch):
    srv = server_process("--users", users_file(tmp_path / "users", secrets), tls="server")
    with connect_ws(srv, tlsCa=certs / "ca.pem", user="producer", password=PASSWORDS["producer"]) as ws:
        data = pickle.dumps(ws)
        assert PASSWORDS["producer"].encode() not in data
        with pytest.raises(NwsAuthenticationException):
            pickle.loads(data)  # TLS as before, but no password
        monkeypatch.setenv("NWS_PASSWORD", PASSWORDS["producer"])
        with pickle.loads(data) as copy:
            copy.store("from the copy", 1)
            assert ws.fetch("from the copy") == 1


# ---- 7. a sleigh's workers get TLS and credentials -----------------------------------

def run_sleigh(srv, **security):
    with Sleigh(nwsHost=srv.host, nwsPort=srv.port, workerCount=2, modulePath=HERE, **security) as s:
        assert s.status(True, 60) == (2, True)
        assert s.eachElem(sup.square, list(range(10))) == [x * x for x in range(10)]
        s.userNws.store("hello", "from the master")
        assert s.userNws.fetch("hello") == "from the master"
        hosts = s.workerInfo()
        assert len(hosts) == 2


def test_sleigh_on_a_tls_server_with_users(server_process, tmp_path, secrets, certs):
    srv = server_process("--users", users_file(tmp_path / "users", secrets), tls="server")
    run_sleigh(srv, tlsCa=str(certs / "ca.pem"), user="admin", password=PASSWORDS["admin"])


def test_sleigh_on_a_tls_server_with_a_token_and_client_certificates(server_process, tmp_path, certs):
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    srv = server_process("--token-file", str(path), tls="server", client_ca="ca")
    run_sleigh(srv, tlsCa=str(certs / "ca.pem"), tlsCert=str(certs / "client.pem"),
               tlsKey=str(certs / "client.key"), token=TOKEN)


def test_sleigh_with_wrong_credentials_is_refused(server_process, tmp_path, secrets, certs):
    srv = server_process("--users", users_file(tmp_path / "users", secrets), tls="server")
    with pytest.raises(NwsAuthenticationException, match="authentication failed"):
        Sleigh(nwsHost=srv.host, nwsPort=srv.port, workerCount=1, tlsCa=str(certs / "ca.pem"), user="admin",
               password="wrong")


def test_sleigh_option_types_are_checked_before_anything_starts(closed_port):
    with pytest.raises(TypeError, match="tlsCa must be a path"):
        Sleigh(nwsHost="127.0.0.1", nwsPort=closed_port, workerCount=1, tlsCa=42)
    with pytest.raises(TypeError, match="unknown option.*tlsca"):
        Sleigh(nwsHost="127.0.0.1", nwsPort=closed_port, workerCount=1, tlsca="ca.pem")
