#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_request_decoder into core/fuzz/corpus/,
that of fuzz_data_log into core/fuzz/corpus_data_log/, and that of
fuzz_auth into core/fuzz/corpus_auth/.

Each seed is: one options byte, one byte giving how many piece sizes follow,
the piece sizes, then a valid stream built from the examples of PROTOCOL.md
section 17 (input layout: docs/fuzzing.md).  Run it again after changing the
layout; libFuzzer adds its own findings to a separate working directory.
"""
import pathlib

OUT = pathlib.Path(__file__).resolve().parent / "corpus"

# Options byte.
REQUESTS, HANDSHAKE, REPLIES = 0x00, 0x02, 0x03
METADATA = 0x04
SPOOL, NO_COOKIE = 0x08, 0x08
SMALL_MAX, LONG_REPLY = 0x10, 0x10
NO_SINK, WRITE_FAILS, FINISH_FAILS = 0x20, 0x40, 0x60
VALUE_SINK = 0x20


def n4(n):
    return b"%04d" % n


def n20(n):
    return b"%020d" % n


def request(*args):
    return n4(len(args)) + b"".join(n20(len(a)) + a for a in args)


def dict_(**entries):
    return n4(len(entries)) + b"".join(n4(len(k)) + k.encode() + n4(len(v)) + v.encode() for k, v in entries.items())


SP20 = b" " * 20
OPEN = request(b"open ws", b"ws", b"4242", b"no")                                    # 17.1
STORE = request(b"store", b"ws", b"x", b"00000000000016777217", b"hello")              # 17.2
FETCH = request(b"fetch", b"ws", b"x")                                                 # 17.3
IFIND = request(b"ifind", b"ws", b"x", SP20, b"00000000000000000000")                  # 17.6
LIST_VARS = request(b"list vars", b"ws")                                               # 17.7
LIST_WSS = request(b"list wss")                                                        # 17.8
MKTEMP = request(b"mktemp ws", b"sleigh_ride_%04d")                                    # 17.9
DECLARE = request(b"declare var", b"ws", b"y", b"single")                              # 17.10
STORE_BIG = request(b"store", b"ws", b"x", b"00000000000016777217", b"v" * 70)
# Arguments just below, at and above the fuzzer's limits (spool 8, max 16,
# failing sink writes past 64).
AROUND_SPOOL = request(b"store", b"seven77", b"eight888", b"v" * 70)
AROUND_MAX = request(b"store", b"ws", b"x", b"0123456789abcdef", b"v" * 17) + request(b"fetch", b"w" * 15, b"x" * 16)
AROUND_WRITE_LIMIT = request(b"store", b"ws", b"x", b"v" * 64) + request(b"store", b"ws", b"x", b"v" * 65)
FETCH_REPLY = b"0000" + n20(16777217) + b"00000000000482913367" + n20(0) + n20(5) + b"hello"
FETCH_REPLY_NO_COOKIE = b"0000" + n20(16777217) + n20(5) + b"hello"
FETCH_TRY_FAILURE = b"0001" + n20(0) + SP20 + n20(0) + n20(0)                          # 17.4
REASON = dict_(nwsReason="no value available")
LIST_VARS_REPLY = b"0000" + n20(1) + SP20 + n20(0) + n20(12) + b"x\t1\t0\t0\tfifo"

# Leased fetch (NwsLease): `lease ack store` has its value before its last
# argument, the one request shape where the value is not last.
LEASES = (request(b"lease fetch", b"ws", b"x", b"5000") + request(b"lease fetchTry", b"ws", b"x", b"1")
          + request(b"lease ack store", b"ws", b"done", b"00000000000016777217", b"result", b"42")
          + request(b"lease renew", b"42", b"100") + request(b"lease release", b"42") + request(b"lease ack", b"42"))

SEEDS = {
    "requests_all_examples": (REQUESTS, [], OPEN + STORE + FETCH + IFIND + LIST_VARS + LIST_WSS + MKTEMP + DECLARE),
    "requests_bytewise": (REQUESTS, [1], STORE + FETCH),
    "requests_odd_pieces": (REQUESTS, [3, 0, 17], OPEN + STORE),
    "requests_metadata": (REQUESTS | METADATA, [], dict_(batchId="3") + STORE + b"0000" + FETCH),
    "requests_argc_zero": (REQUESTS, [], b"0000" + FETCH),
    "requests_lenient_fields": (REQUESTS, [], b"+003" + b"5".ljust(20) + b"fetch" + b" +2".ljust(20) + b"ws"
                                + b"+0000000000000000001" + b"x"),
    "requests_max_arg_size": (REQUESTS | SMALL_MAX, [2], AROUND_MAX + FETCH),
    "requests_spool": (REQUESTS | SPOOL, [7], AROUND_SPOOL + FETCH),
    "requests_spool_and_max": (REQUESTS | SPOOL | SMALL_MAX, [], AROUND_SPOOL + AROUND_MAX),
    "requests_spool_no_sink": (REQUESTS | SPOOL | NO_SINK, [], STORE_BIG + FETCH),
    "requests_spool_write_fails": (REQUESTS | SPOOL | WRITE_FAILS, [30], AROUND_WRITE_LIMIT + FETCH),
    "requests_spool_finish_fails": (REQUESTS | SPOOL | FINISH_FAILS, [], STORE_BIG + FETCH),
    "handshake_old_cookie": (HANDSHAKE, [], b"1112" + FETCH),
    "handshake_old_no_cookie": (HANDSHAKE, [1], b"0000" + FETCH),
    "handshake_new_plain": (HANDSHAKE, [], b"X000" + b"R000" + b"0000" + LIST_WSS),
    "handshake_new_metadata": (HANDSHAKE, [4], b"X000" + b"R000" + dict_(MetadataToServer="1", MetadataFromServer="1")
                               + dict_(batchId="3") + STORE),
    "handshake_new_cancel": (HANDSHAKE, [], b"X000" + b"R000" + dict_(NwsCancel="1") + FETCH + request(b"cancel")),
    "requests_leases": (REQUESTS, [], OPEN + STORE + LEASES),
    "requests_leases_spool": (REQUESTS | SPOOL | SMALL_MAX, [9], LEASES + AROUND_SPOOL),
    "handshake_new_lease": (HANDSHAKE, [], b"X000" + b"R000" + dict_(NwsCancel="1", NwsLease="1") + LEASES),
    # Authentication (NwsAuth): the `auth` verb's steps, then requests.
    "handshake_new_auth": (HANDSHAKE, [], b"X000" + b"R000" + dict_(NwsAuth="1", SSL="1")
                           + request(b"auth", b"SCRAM-SHA-256", b"n,,n=user,r=abcdef")
                           + request(b"auth", b"SCRAM-SHA-256", b"c=biws,r=abcdefXYZ,p=AAAA")
                           + request(b"auth", b"token", b"0123456789abcdef") + OPEN),
    "handshake_refused": (HANDSHAKE, [], b"X000" + b"R000" + dict_(SSL="1")),
    "replies_short": (REPLIES, [], b"0000" + b"0001" + b"2001"),
    "replies_short_metadata": (REPLIES | METADATA, [], b"0000" + b"0000" + REASON + b"0001"),
    "replies_long_cookie": (REPLIES | LONG_REPLY, [], FETCH_REPLY + FETCH_TRY_FAILURE + LIST_VARS_REPLY),
    "replies_long_no_cookie": (REPLIES | LONG_REPLY | NO_COOKIE, [1], FETCH_REPLY_NO_COOKIE),
    "replies_long_metadata": (REPLIES | LONG_REPLY | METADATA, [], REASON + FETCH_TRY_FAILURE + b"0000" + FETCH_REPLY),
    "replies_value_sink": (REPLIES | LONG_REPLY | VALUE_SINK, [5], FETCH_REPLY + LIST_VARS_REPLY),
}


# fuzz_data_log: frame payloads of the data log (server/durable/record.hpp),
# each preceded by its length in 2 bytes, little-endian.
LOG_OUT = pathlib.Path(__file__).resolve().parent / "corpus_data_log"


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def s_(b):
    return varint(len(b)) + b


def value(v, **metadata):
    return varint(16777217) + s_(v) + varint(len(metadata)) + b"".join(s_(k.encode()) + s_(x.encode()) for k, x in metadata.items())


WS, DELETE_WS, DECLARE_OP, DELETE_VAR, STORE_OP, TAKEN, LEASED, ACK, GIVEN_BACK = range(1, 10)


def op(kind, *fields):
    return bytes([kind]) + b"".join(fields)


def frames(*payloads):
    return b"".join(len(p).to_bytes(2, "little") + p for p in payloads)


LOG_SEEDS = {
    "log_every_op": frames(
        op(WS, s_(b"w"), s_(b"127.0.0.1:1 (me)"), b"\x01"),
        op(DECLARE_OP, s_(b"w"), s_(b"stack"), s_(b"lifo")) + op(DECLARE_OP, s_(b"w"), s_(b"one"), s_(b"single")),
        op(STORE_OP, s_(b"w"), s_(b"q"), value(b"a")) + op(STORE_OP, s_(b"w"), s_(b"q"), value(b"b", k="v")),
        op(STORE_OP, s_(b"w"), s_(b"stack"), value(b"s1")) + op(STORE_OP, s_(b"w"), s_(b"stack"), value(b"s2")),
        op(TAKEN, s_(b"w"), s_(b"q"), varint(7)) + op(TAKEN, s_(b"w"), s_(b"stack"), varint(0)),
        op(LEASED, s_(b"w"), s_(b"q"), varint(9), value(b"held")),
        op(ACK, varint(7)) + op(STORE_OP, s_(b"w"), s_(b"done"), value(b"r")),
        op(GIVEN_BACK, varint(9)),
        op(DELETE_VAR, s_(b"w"), s_(b"one")),
        op(WS, s_(b"gone"), s_(b""), b"\x00") + op(DELETE_WS, s_(b"gone"))),
    "log_leases_left_held": frames(
        op(WS, s_(b"jobs"), s_(b"x"), b"\x01"),
        b"".join(op(STORE_OP, s_(b"jobs"), s_(b"task"), value(b"t%d" % i)) for i in range(5)),
        op(TAKEN, s_(b"jobs"), s_(b"task"), varint(100)),
        op(TAKEN, s_(b"jobs"), s_(b"task"), varint(101)),
        op(ACK, varint(100))),
}


# fuzz_auth: a selector byte, then its input (docs/fuzzing.md).
AUTH_OUT = pathlib.Path(__file__).resolve().parent / "corpus_auth"
AUTH_SEEDS = {
    "auth_token": b"\x00token\tfuzz-token-0123456789",
    "auth_wrong_token": b"\x00token\twrong",
    "auth_scram_two_steps": b"\x00SCRAM-SHA-256\tn,,n=user,r=abcdef\x00SCRAM-SHA-256\tc=biws,r=abcdef,p=AAAA",
    "auth_scram_unknown_user": b"\x00SCRAM-SHA-256\tn,,n=nobody,r=xyz",
    "users_file": b"\x01# users\nuser a SCRAM-SHA-256$2:c2FsdA==$"
                  + b"A" * 43 + b"=:" + b"B" * 43 + b"=\ngroup g a\nallow @g read,store j*\nallow * fetch x?\n",
    "secret_and_password": b"\x02SCRAM-SHA-256$2:c2FsdA==$" + b"A" * 43 + b"=:" + b"B" * 43 + b"=\x00pencil",
    "server_first": b"\x03r=fuzznonceXYZ,s=c2FsdA==,i=2\x00v=AAAA",
}


def main():
    OUT.mkdir(exist_ok=True)
    for name, (options, pieces, stream) in SEEDS.items():
        (OUT / name).write_bytes(bytes([options, len(pieces)] + pieces) + stream)
    LOG_OUT.mkdir(exist_ok=True)
    for name, data in LOG_SEEDS.items():
        (LOG_OUT / name).write_bytes(data)
    AUTH_OUT.mkdir(exist_ok=True)
    for name, data in AUTH_SEEDS.items():
        (AUTH_OUT / name).write_bytes(data)


if __name__ == "__main__":
    main()
