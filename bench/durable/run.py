"""Durability's cost, beside Redis's (bench/durable/run.sh runs this).

Every run starts its own server in its own temporary directory, on the
same disk for both: nws-server with --data-dir --durable all --fsync P,
redis-server with --appendonly yes --appendfsync P.  The load is
nws-bench-load's `stores` scenario (N connections, one store each
outstanding; NWS store vs Redis LPUSH of 10-byte values).  Rounds
alternate which server goes first.  The restart rows fill each server
with a million values (the `memory` scenario: pipelined stores), stop it
cleanly, and time a fresh start until it answers.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nws:
    name = "NWS"

    def __init__(self, build, policy, work):
        self.cmd = [f"{build}/core/nws-server", "--bind", "127.0.0.1", "--port", "0", "--no-web",
                    "--data-dir", f"{work}/data", "--durable", "all", "--fsync", policy,
                    "--spool-dir", work, "--log-level", "info"]
        self.log = f"{work}/nws.log.txt"

    def start(self):
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=open(self.log, "a"), text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on .*:(\d+)", line)
        if not m:
            raise RuntimeError(f"nws-server did not start: {line!r}; see {self.log}")
        self.port = int(m.group(1))
        return time.perf_counter() - t0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)

    def loaded_seconds(self):
        found = re.findall(r"loaded \d+ records \(\d+ bytes\) in ([0-9.]+) s", open(self.log).read())
        return float(found[-1]) if found else None


class Redis:
    name = "Redis"

    def __init__(self, build, policy, work):
        self.port = free_port()
        self.cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "yes", "--appendfsync", policy, "--dir", work, "--maxclients", "10100",
                    "--logfile", f"{work}/redis.log"]

    def start(self):
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:  # ready when PING answers PONG (LOADING while the AOF loads)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return time.perf_counter() - t0
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited")
            time.sleep(0.002)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)


def load(build, server, scenario, **opts):
    cmd = [f"{build}/bench/nws-bench-load", "--scenario", scenario, "--target", server.name.lower(),
           "--port", str(server.port)]
    for k, v in opts.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build-bench")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--conns", type=int, default=50)
    ap.add_argument("--values", type=int, default=1_000_000)
    a = ap.parse_args()
    root = tempfile.mkdtemp(prefix="nws-bench-durable-", dir=os.environ.get("NWS_BENCH_DIR"))
    rows = []
    try:
        for policy in ("everysec", "always"):
            got = {"NWS": [], "Redis": []}
            for rnd in range(a.rounds):
                kinds = (Nws, Redis) if rnd % 2 == 0 else (Redis, Nws)
                for kind in kinds:
                    work = tempfile.mkdtemp(dir=root)
                    srv = kind(a.build, policy, work)
                    srv.start()
                    try:
                        r = load(a.build, srv, "stores", seconds=a.seconds, warmup=1, conns=a.conns, size=10)
                    finally:
                        srv.stop()
                    got[kind.name].append(r["requests_per_s"])
                    print(f"  {policy:8} round {rnd + 1} {kind.name:5}: {r['requests_per_s']:>10,.0f} stores/s"
                          f"  p50 {r['p50_us']:.0f} us  p99 {r['p99_us']:.0f} us", flush=True)
                    shutil.rmtree(work, ignore_errors=True)
            nws, redis = statistics.median(got["NWS"]), statistics.median(got["Redis"])
            rows.append((f"stores/s, {a.conns} connections, 10-byte values, fsync {policy} ↑",
                         f"{nws:,.0f}", f"{redis:,.0f}", f"{nws / redis:.2f}"))
        # Restart with a million values.
        times = {}
        for kind in (Nws, Redis):
            work = tempfile.mkdtemp(dir=root)
            srv = kind(a.build, "everysec", work)
            srv.start()
            load(a.build, srv, "memory", count=a.values, size=10, server_pid=srv.proc.pid)
            srv.stop()
            ready = srv.start()
            extra = ""
            if kind is Nws:
                extra = f" (replay and snapshot: {srv.loaded_seconds():.2f} s)"
            srv.stop()
            times[kind.name] = ready
            print(f"  restart with {a.values:,} values: {kind.name} ready in {ready:.2f} s{extra}", flush=True)
            shutil.rmtree(work, ignore_errors=True)
        rows.append((f"restart with {a.values:,} values: seconds until it answers ↓", f"{times['NWS']:.2f}",
                     f"{times['Redis']:.2f}", f"{times['NWS'] / times['Redis']:.2f}"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print()
    print(f"Medians of {a.rounds} rounds of {a.seconds:g} s; ratios are NWS ÷ Redis.")
    print()
    print("| measure | NWS | Redis | NWS/Redis |")
    print("|---|--:|--:|--:|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
