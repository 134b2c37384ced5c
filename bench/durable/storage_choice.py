"""Which storage for durable workspaces (docs/durability.md, "Why a log").

A workspace variable is a queue: every store appends a value and every
fetch removes the oldest.  This times the two candidates doing exactly
that for N 10-byte values, one durable step per operation, on this disk:

  * an append-only file: one write() per operation (a store record, then
    a fetch record), with fdatasync after each write ("always") or none
    ("no", left to the kernel);
  * SQLite in WAL mode: one transaction per operation (INSERT for a
    store, DELETE of the oldest row for a fetch), synchronous=FULL
    ("always") or NORMAL (WAL's "sync at checkpoints").

(Reading back is not compared: the server's replay is C++, timed by
bench/durable/run.sh's restart row.)

    python3 bench/durable/storage_choice.py [N]     (default 20000)
"""
import os
import sqlite3
import struct
import sys
import tempfile
import time
import zlib

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
VALUE = b"x" * 10


def log_run(path, sync):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    t0 = time.perf_counter()
    for i in range(N):
        payload = b"\x05\x01w\x01q" + struct.pack("<B", 10) + VALUE
        os.write(fd, struct.pack("<QI", len(payload), zlib.crc32(payload)) + payload)
        if sync:
            os.fdatasync(fd)
        if i % 2:
            payload = b"\x06\x01w\x01q\x00"
            os.write(fd, struct.pack("<QI", len(payload), zlib.crc32(payload)) + payload)
            if sync:
                os.fdatasync(fd)
    elapsed = time.perf_counter() - t0
    os.close(fd)
    return elapsed


def sqlite_run(path, synchronous):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE v (seq INTEGER PRIMARY KEY, ws TEXT, var TEXT, value BLOB)")
    t0 = time.perf_counter()
    for i in range(N):
        db.execute("BEGIN")
        db.execute("INSERT INTO v (ws, var, value) VALUES ('w', 'q', ?)", (VALUE,))
        db.execute("COMMIT")
        if i % 2:
            db.execute("BEGIN")
            db.execute("DELETE FROM v WHERE seq = (SELECT min(seq) FROM v WHERE ws='w' AND var='q')")
            db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


def main():
    ops = N + N // 2
    print(f"{N:,} stores and {N // 2:,} fetches of 10-byte values, one durable step each ({ops:,} steps)")
    print()
    print("| storage | policy | µs per step | steps/s |")
    print("|---|---|--:|--:|")
    with tempfile.TemporaryDirectory(dir=os.environ.get("NWS_BENCH_DIR", ".")) as d:
        for name, policy, fn in [
            ("append-only log", "fdatasync each (always)", lambda p: log_run(p, True)),
            ("append-only log", "no sync (no / everysec)", lambda p: log_run(p, False)),
            ("SQLite WAL", "synchronous=FULL", lambda p: sqlite_run(p, "FULL")),
            ("SQLite WAL", "synchronous=NORMAL", lambda p: sqlite_run(p, "NORMAL")),
        ]:
            path = os.path.join(d, f"{name}-{policy}".replace(" ", "_").replace("/", "_"))
            t = fn(path)
            print(f"| {name} | {policy} | {t / ops * 1e6:.1f} | {ops / t:,.0f} |")


if __name__ == "__main__":
    main()
