#!/usr/bin/env python3
"""TLS beside Redis's TLS (bench/tls/run.sh runs this; bench/README.md, "TLS").

Four targets in one run: nws-server plain and with --tls-cert/--tls-key,
redis-server plain and with --tls-port (Redis 7's own TLS, no client
certificates).  Two scenarios of nws-bench-load: `pairs` (one connection,
store + fetch of 10 bytes; Redis LPUSH + RPOP) and `large` (1 MiB values,
store and fetch timed separately).  With TLS the load tool gets --tls-ca:
NWS connects through the client library's TLS, Redis through OpenSSL in
bench's resp::Conn; both verify the server's certificate for 127.0.0.1.

As in bench/driver.py: every run starts its own server (a free port on
127.0.0.1, its own temporary directory) and stops it; each repeat starts
with a different target; the machine is checked to be idle before each
round; both placements (unpinned, and everything on CPU 0 with taskset);
the table shows the median of the repeats.  The certificates are made
for the run by scripts/make-test-certs.sh in a temporary directory.
"""

import argparse
import io
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import driver  # noqa: E402  (bench/driver.py: placements, idle gate, machine line, server helpers)

TARGETS = ("nws-plain", "nws-tls", "redis-plain", "redis-tls")
NAMES = {"nws-plain": "NWS plain", "nws-tls": "NWS TLS", "redis-plain": "Redis plain", "redis-tls": "Redis TLS"}


class Scenario:
    def __init__(self, sid, args, metrics):
        self.sid = sid
        self.args = args          # load-generator arguments (without target/port/tls)
        self.metrics = metrics    # [(key, label, higher_is_better, format)]


def scenarios(quick):
    d = "0.3" if quick else "1.5"
    w = "0.1" if quick else "0.2"
    return [
        Scenario("pairs", ["--scenario", "pairs", "--size", "10", "--seconds", d, "--warmup", w],
                 [("requests_per_s", "requests/s (store + fetch of 10 bytes, one connection)", True, "rate"),
                  ("p50_us", "p50 µs of one store + fetch", False, "us")]),
        Scenario("large 1 MiB", ["--scenario", "large", "--size", str(1 << 20), "--seconds",
                                 "0.3" if quick else "1", "--iterations", "5"],
                 [("store_MBps", "store MB/s", True, "rate"), ("fetch_MBps", "fetch MB/s", True, "rate")]),
    ]


# ---------------------------------------------------------------- servers


def redis_tls_ready(port, ca, timeout=10.0):
    """PING over TLS answered; returns the negotiated protocol and cipher."""
    ctx = ssl.create_default_context(cafile=ca)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as raw:
                with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return f"{s.version()} {s.cipher()[0]}"
        except (OSError, ssl.SSLError):
            pass
        time.sleep(0.02)
    return None


class Server:
    """One server of one target, started under the placement's prefix."""

    cipher = {}  # target -> negotiated protocol and cipher, as seen once

    def __init__(self, target, build, tmp, certs, prefix, seq):
        self.proc = None
        d = os.path.join(tmp, f"{target}-{seq}")
        os.makedirs(d)
        log = os.path.join(d, "out.log")
        tls = target.endswith("-tls")
        if target.startswith("nws"):
            cmd = [os.path.join(build, "core", "nws-server"), "--bind", "127.0.0.1", "--port", "0",
                   "--spool-dir", d, "--log-level", "warn", "--no-web"]
            if tls:
                cmd += ["--tls-cert", os.path.join(certs, "server.pem"), "--tls-key", os.path.join(certs, "server.key")]
            self.proc = driver.Server._spawn(prefix + cmd, log)
            self.port = int(driver.wait_for_line(log, r"listening on 127\.0\.0\.1:(\d+)", self.proc).group(1))
            return
        for _ in range(5):  # a free port can be taken between choosing and binding
            self.port = driver.free_port()
            cmd = ["redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", d,
                   "--maxclients", "10100", "--daemonize", "no"]
            if tls:
                cmd += ["--port", "0", "--tls-port", str(self.port),
                        "--tls-cert-file", os.path.join(certs, "server.pem"),
                        "--tls-key-file", os.path.join(certs, "server.key"),
                        "--tls-ca-cert-file", os.path.join(certs, "ca.pem"), "--tls-auth-clients", "no"]
            else:
                cmd += ["--port", str(self.port)]
            self.proc = driver.Server._spawn(prefix + cmd, log)
            if tls:
                got = redis_tls_ready(self.port, os.path.join(certs, "ca.pem"))
                if got:
                    Server.cipher.setdefault(target, got)
                    return
            elif driver.redis_ready(self.port):
                return
            self.stop()
        raise RuntimeError(f"redis-server did not start (see {log})")

    @property
    def pid(self):
        return self.proc.pid  # taskset execs the server

    def stop(self):
        driver.Server.stop(self)


def run_one(sc, target, build, tmp, certs, prefix, seq, timeout=120):
    server = Server(target, build, tmp, certs, prefix, seq)
    try:
        cmd = prefix + [os.path.join(build, "bench", "nws-bench-load"), "--target", target.split("-")[0],
                        "--port", str(server.port), "--server-pid", str(server.pid)] + sc.args
        if target.endswith("-tls"):
            cmd += ["--tls-ca", os.path.join(certs, "ca.pem")]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout} s"}
        if p.returncode != 0:
            return {"error": (p.stderr.strip() or f"exit {p.returncode}").splitlines()[-1]}
        res = json.loads(p.stdout.strip().splitlines()[-1])
        if "pairs_per_s" in res:
            res["requests_per_s"] = 2 * res["pairs_per_s"]  # a pair is two requests
        return res
    finally:
        server.stop()


# ---------------------------------------------------------------- report


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


def print_table(results, scs, placements, out):
    out.write("| scenario | metric | placement | NWS plain | NWS TLS | Redis plain | Redis TLS | NWS TLS / Redis TLS "
              "| NWS TLS / plain | Redis TLS / plain |\n")
    out.write("|---|---|---|--:|--:|--:|--:|--:|--:|--:|\n")
    verdicts = []
    for sc in scs:
        for key, label, higher, kind in sc.metrics:
            arrow = "↑" if higher else "↓"
            for pl in placements:
                r = results.get((sc.sid, pl), {})
                v = {t: r.get(t, {}).get(key) for t in TARGETS}
                cells = [("error" if v[t] is None and "error" in r.get(t, {}) else driver.fmt(v[t], kind))
                         for t in TARGETS]
                out.write(f"| {sc.sid} | {label} {arrow} | {pl} | " + " | ".join(cells) + " | "
                          f"{ratio(v['nws-tls'], v['redis-tls'])} | {ratio(v['nws-tls'], v['nws-plain'])} | "
                          f"{ratio(v['redis-tls'], v['redis-plain'])} |\n")
                n, x = v["nws-tls"], v["redis-tls"]
                if higher and n is not None and x is not None:
                    verdicts.append((f"{sc.sid} {label.split(' (')[0]} ({pl})", n >= x))
    return verdicts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build-bench", help="build directory with nws-server and nws-bench-load")
    ap.add_argument("--repeats", type=int, help="runs per target per scenario and placement (default 3, quick 1)")
    ap.add_argument("--placements", default="unpinned,pinned", help="comma-separated: unpinned,pinned")
    ap.add_argument("--quick", action="store_true", help="short smoke run")
    ap.add_argument("--idle-limit", type=float, default=0.10, help="busy fraction counted as idle")
    args = ap.parse_args()

    build = os.path.abspath(args.build)
    repeats = args.repeats or (1 if args.quick else 3)
    placements = [p for p in args.placements.split(",") if p]
    for p in placements:
        if p not in driver.PLACEMENTS:
            sys.exit(f"unknown placement {p}")
    scs = scenarios(args.quick)

    machine = driver.machine_description(build)
    machine["openssl"] = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    print("machine:", "; ".join(f"{k}: {v}" for k, v in machine.items()), file=sys.stderr)
    gate = driver.IdleGate(args.idle_limit, wait=2 if args.quick else 10, budget=10 if args.quick else 90)
    tmp = tempfile.mkdtemp(prefix="nws-bench-tls-")
    certs = os.path.join(tmp, "certs")
    subprocess.run(["bash", os.path.join(ROOT, "scripts", "make-test-certs.sh"), certs], check=True)
    raw = {}  # (scenario, placement) -> target -> [results]
    started = time.monotonic()
    seq = 0
    try:
        for pl in placements:
            prefix = driver.PLACEMENTS[pl]
            for sc in scs:
                for rep in range(repeats):
                    busy = gate.check(f"{sc.sid} ({pl}, run {rep + 1})")
                    order = list(TARGETS[rep % len(TARGETS):]) + list(TARGETS[:rep % len(TARGETS)])
                    for t in order:
                        seq += 1
                        res = run_one(sc, t, build, tmp, certs, prefix, seq)
                        res["busy_before"] = round(busy, 3)
                        raw.setdefault((sc.sid, pl), {}).setdefault(t, []).append(res)
                        shown = res.get("error") or ", ".join(
                            f"{k}={res[k]:.4g}" for k in (m[0] for m in sc.metrics) if k in res)
                        print(f"  [{time.monotonic() - started:4.0f}s] {pl:8} {sc.sid:11} {t:11} {shown}",
                              file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    results = {k: {t: driver.median_results(runs) for t, runs in v.items()} for k, v in raw.items()}
    elapsed = time.monotonic() - started

    out = io.StringIO()
    out.write("## Machine\n\n")
    for k, v in machine.items():
        out.write(f"- {k}: {v}\n")
    for t, c in Server.cipher.items():
        out.write(f"- {NAMES[t]} negotiated: {c}\n")
    out.write(f"\n## TLS beside Redis's TLS ({'quick' if args.quick else 'full'} run: median of {repeats} "
              f"run(s) per target per placement; {elapsed:.0f} s)\n\n")
    out.write("Placements: *unpinned* = no affinity; *pinned* = server and load generator on CPU 0 "
              "(`taskset -c 0`).  ↑ higher is better, ↓ lower is better.  NWS through the C++ client "
              "library, Redis through bench's RESP codec (OpenSSL for TLS).  MB = 10^6 bytes.\n\n")
    verdicts = print_table(results, scs, placements, out)
    met = [name for name, ok in verdicts if ok]
    missed = [name for name, ok in verdicts if not ok]
    out.write(f"\nTarget NWS TLS ≥ Redis TLS: met on {len(met)} of {len(verdicts)} rate rows"
              + (f"; missed on: {', '.join(missed)}" if missed else "") + ".\n")
    out.write(f"\nIdle check: machine more than {args.idle_limit:.0%} busy before {gate.busy_runs} of "
              f"{gate.checks} rounds" + (f" (worst {gate.worst:.0%})" if gate.busy_runs else "") + ".\n")
    errors = [(k, t, r["error"]) for k, v in results.items() for t, r in v.items() if "error" in r]
    for (sid, pl), t, e in errors:
        out.write(f"- error: {sid} {pl} {t}: {e}\n")

    report = out.getvalue()
    sys.stdout.write("\n" + report)
    with open(os.path.join(build, "bench-tls-report.md"), "w") as f:
        f.write(report)
    dump = os.path.join(build, "bench-tls-results.json")
    with open(dump, "w") as f:
        json.dump({"machine": machine, "quick": args.quick, "repeats": repeats,
                   "runs": [{"scenario": sid, "placement": pl, "target": t, "results": runs}
                            for (sid, pl), v in raw.items() for t, runs in v.items()]}, f, indent=1)
    print(f"\n(this table: {os.path.join(build, 'bench-tls-report.md')}; every run: {dump})", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
