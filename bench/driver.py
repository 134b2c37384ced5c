#!/usr/bin/env python3
"""Runs the NWS benchmark scenarios against nws-server, redis-server and the
raw TCP floor, alternating targets, under two CPU placements, and prints one
table.  Called by bench/run.sh after the build; see bench/README.md.

Every run gets fresh servers (so no run inherits another's memory or
connections), and the machine is checked to be idle before each round.
"""

import argparse
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TARGETS = ("nws", "redis", "floor")
PLACEMENTS = {
    "unpinned": [],
    "pinned": ["taskset", "-c", "0"],  # servers and generator all on CPU 0
}

# ---------------------------------------------------------------- scenarios


class Block:
    """One scenario configuration: the same load-generator arguments run
    against each of `targets`, and the metrics shown for it."""

    def __init__(self, sid, title, args, metrics, targets=TARGETS, repeats=None, timeout=120):
        self.sid = sid            # "1", "3@64", ...
        self.title = title
        self.args = args          # load-generator arguments (without target/port)
        self.metrics = metrics    # [(json key, label, higher_is_better, format)]
        self.targets = targets
        self.repeats = repeats    # None: the run's default
        self.timeout = timeout


def blocks(quick):
    d = 0.3 if quick else 1.5         # measured seconds of timed runs
    w = 0.1 if quick else 0.2         # warm-up seconds
    timed = ["--seconds", str(d), "--warmup", str(w)]
    rate = lambda key, label: (key, label, True, "rate")
    lat = lambda key, label: (key, label, False, "us")
    out = [
        Block("1", "one connection: store + fetch of 10 bytes (LPUSH + RPOP)",
              ["--scenario", "pairs", "--size", "10"] + timed,
              [rate("pairs_per_s", "pairs/s"), lat("p50_us", "p50 µs"), lat("p99_us", "p99 µs")]),
        Block("2", "hand-off: A stores x, waits for y; B waits for x, stores y (LPUSH + BRPOP)",
              ["--scenario", "handoff", "--size", "10"] + timed,
              [rate("round_trips_per_s", "round trips/s"), lat("p50_us", "p50 µs"), lat("p99_us", "p99 µs")]),
    ]
    for n in (1, 8, 64, 256):
        out.append(Block(f"3@{n}", f"{n} connection(s), own variable each, store + fetch of 10 bytes "
                                   "(raw wire, epoll generator)",
                         ["--scenario", "many", "--conns", str(n), "--size", "10"] + timed,
                         [rate("requests_per_s", "requests/s"), lat("p99_us", "p99 µs")]))
    out.append(Block("4", "fan-out: 64 blocked finds (subscribers), one store (PUBLISH): until all 64 have it "
                          "(raw wire, epoll generator)",
                     ["--scenario", "fanout", "--conns", "64", "--size", "10",
                      "--iterations", "30" if quick else "300"],
                     [lat("p50_us", "p50 µs"), lat("p99_us", "p99 µs")]))
    out.append(Block("5@1MiB", "1 MiB values",
                     ["--scenario", "large", "--size", str(1 << 20), "--seconds", "0.3" if quick else "1",
                      "--iterations", "5"],
                     [rate("store_MBps", "store MB/s"), rate("fetch_MBps", "fetch MB/s")]))
    out.append(Block("5@64MiB", "64 MiB values (NWS spools values of 16 MiB and more to disk)",
                     ["--scenario", "large", "--size", str(64 << 20), "--seconds", "0.3" if quick else "1.5",
                      "--iterations", "2" if quick else "3"],
                     [rate("store_MBps", "store MB/s"), rate("fetch_MBps", "fetch MB/s")]))
    count = 200000 if quick else 1000000
    out.append(Block("6", f"memory: {count:,} values of 10 bytes in one variable (list), per million",
                     ["--scenario", "memory", "--size", "10", "--count", str(count)],
                     [("rss_MB_per_million", "server RSS MB per million values", False, "mb"),
                      ("used_memory_MB_per_million", "used_memory MB per million (Redis INFO)", False, "mb")],
                     targets=("nws", "redis"), repeats=1))
    conns = 2000 if quick else 10000
    out.append(Block("7", f"{conns:,} idle connections, and scenario 1 beside them",
                     ["--scenario", "idle", "--conns", str(conns), "--size", "10"] + timed,
                     [("rss_growth_MB", "server RSS growth MB", False, "mb"),
                      ("rss_KiB_per_conn", "KiB per connection", False, "mb"),
                      rate("pairs_per_s", "pairs/s"), lat("p50_us", "p50 µs"), lat("p99_us", "p99 µs")],
                     targets=("nws", "redis"), timeout=180))
    return out


# ---------------------------------------------------------------- machine


def cpu_times():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return idle, sum(fields[:8])


def busy_fraction(window=0.5):
    i0, t0 = cpu_times()
    time.sleep(window)
    i1, t1 = cpu_times()
    return 1.0 - (i1 - i0) / max(1, t1 - t0)


class IdleGate:
    """Waits before each round until the whole machine is at most `limit`
    busy, for at most `wait` seconds a time and `budget` seconds in all;
    records what it saw so the report can say how quiet the runs were."""

    def __init__(self, limit, wait, budget):
        self.limit, self.wait, self.budget = limit, wait, budget
        self.checks = 0
        self.busy_runs = 0
        self.worst = 0.0

    def check(self, what):
        self.checks += 1
        deadline = time.monotonic() + min(self.wait, max(0.0, self.budget))
        start = time.monotonic()
        busy = busy_fraction()
        while busy > self.limit and time.monotonic() < deadline:
            busy = busy_fraction()
        self.budget -= time.monotonic() - start
        if busy > self.limit:
            self.busy_runs += 1
            self.worst = max(self.worst, busy)
            print(f"  warning: machine {busy:.0%} busy before {what}", file=sys.stderr)
        return busy


def machine_description(build):
    def first(pattern, path):
        try:
            with open(path) as f:
                for line in f:
                    m = re.match(pattern, line)
                    if m:
                        return m.group(1).strip()
        except OSError:
            pass
        return "?"

    compiler = "?"
    cache = os.path.join(build, "CMakeCache.txt")
    cxx = first(r"CMAKE_CXX_COMPILER:\w+=(.*)", cache)
    if cxx != "?":
        try:
            compiler = subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        except (OSError, IndexError):
            pass
    flags = first(r"CMAKE_CXX_FLAGS_RELEASE:\w+=(.*)", cache)
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.strip()
    mem_kib = int(first(r"MemTotal:\s+(\d+)", "/proc/meminfo") or 0)
    return {
        "cpus": str(os.cpu_count()),
        "cpu model": first(r"model name\s*:\s*(.*)", "/proc/cpuinfo"),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "compiler": f"{compiler} (Release, {flags})",
        "redis": redis,
    }


# ---------------------------------------------------------------- servers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_line(path, pattern, proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path) as f:
                m = re.search(pattern, f.read())
                if m:
                    return m
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    raise RuntimeError(f"server did not start (see {path})")


def redis_ready(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return True
        except OSError:
            pass
        time.sleep(0.02)
    return False


class Server:
    """One server process of one target, started under the placement's prefix."""

    def __init__(self, target, build, tmp, prefix, seq):
        self.proc = None
        d = os.path.join(tmp, f"{target}-{seq}")
        os.makedirs(d)
        log = os.path.join(d, "out.log")
        if target == "nws":
            cmd = [os.path.join(build, "core", "nws-server"), "--bind", "127.0.0.1", "--port", "0",
                   "--spool-dir", d, "--log-level", "warn"]
            self.proc = self._spawn(prefix + cmd, log)
            self.port = int(wait_for_line(log, r"listening on 127\.0\.0\.1:(\d+)", self.proc).group(1))
        elif target == "floor":
            cmd = [os.path.join(build, "bench", "nws-bench-floor"), "--port", "0"]
            self.proc = self._spawn(prefix + cmd, log)
            self.port = int(wait_for_line(log, r"listening on 127\.0\.0\.1:(\d+)", self.proc).group(1))
        else:
            for _ in range(5):  # a free port can be taken between choosing and binding
                self.port = free_port()
                cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                       "--appendonly", "no", "--dir", d, "--maxclients", "10100", "--daemonize", "no"]
                self.proc = self._spawn(prefix + cmd, log)
                if redis_ready(self.port):
                    break
                self.stop()
            else:
                raise RuntimeError(f"redis-server did not start (see {log})")

    @staticmethod
    def _spawn(cmd, log):
        with open(log, "w") as out:
            return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    @property
    def pid(self):
        return self.proc.pid  # taskset execs the server, so this is the server itself

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


# ---------------------------------------------------------------- running


def run_one(block, target, build, tmp, prefix, seq):
    server = Server(target, build, tmp, prefix, seq)
    try:
        cmd = prefix + [os.path.join(build, "bench", "nws-bench-load"), "--target", target,
                        "--port", str(server.port), "--server-pid", str(server.pid)] + block.args
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=block.timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {block.timeout} s"}
        if p.returncode != 0:
            return {"error": (p.stderr.strip() or f"exit {p.returncode}").splitlines()[-1]}
        return json.loads(p.stdout.strip().splitlines()[-1])
    finally:
        server.stop()


def median_results(runs):
    """Per metric, the median over the runs that produced it."""
    ok = [r for r in runs if "error" not in r]
    out = {}
    for key in {k for r in ok for k, v in r.items() if isinstance(v, (int, float))}:
        vals = [r[key] for r in ok if key in r]
        out[key] = statistics.median(vals)
    errors = [r["error"] for r in runs if "error" in r]
    if errors:
        out["error"] = errors[0]
    return out


def fmt(value, kind):
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:,.0f}"
    if kind == "us":
        return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
    return f"{value:,.1f}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


def print_table(results, all_blocks, placements, out):
    out.write("| scenario | metric | placement | NWS | Redis | NWS/Redis | floor | NWS/floor |\n")
    out.write("|---|---|---|--:|--:|--:|--:|--:|\n")
    for b in all_blocks:
        for key, label, higher, kind in b.metrics:
            arrow = "↑" if higher else "↓"
            for pl in placements:
                r = results.get((b.sid, pl), {})
                vals = {t: r.get(t, {}).get(key) for t in TARGETS}
                if all(v is None for v in vals.values()) and not any("error" in r.get(t, {}) for t in TARGETS):
                    continue
                cells = []
                for t in TARGETS:
                    v = vals[t]
                    if v is None and t in b.targets and "error" in r.get(t, {}):
                        cells.append("error")
                    else:
                        cells.append(fmt(v, kind))
                out.write(f"| {b.sid} | {label} {arrow} | {pl} | {cells[0]} | {cells[1]} | "
                          f"{ratio(vals['nws'], vals['redis'])} | {cells[2]} | {ratio(vals['nws'], vals['floor'])} |\n")


def evaluate_targets(results, placements, out):
    """The issue's targets, each met or missed per placement."""

    def get(sid, pl, target, key):
        return results.get((sid, pl), {}).get(target, {}).get(key)

    checks = []
    for pl in placements:
        def add(name, value, goal, met):
            checks.append((pl, name, value, goal, met))

        n, r = get("3@64", pl, "nws", "requests_per_s"), get("3@64", pl, "redis", "requests_per_s")
        if n and r:
            add("3 @64 requests/s vs Redis", f"{n / r:.2f}×", "≥ 1.5×", n >= 1.5 * r)
        f = get("3@64", pl, "floor", "requests_per_s")
        if f and r:
            # Context for the row above: what a server doing no work reached.
            add("3 @64 raw TCP floor vs Redis (a server doing no work)", f"{f / r:.2f}×", "–", None)
        for sid, key in (("1", "pairs_per_s"), ("2", "round_trips_per_s")):
            n, r = get(sid, pl, "nws", key), get(sid, pl, "redis", key)
            if n and r:
                add(f"{sid} rate vs Redis", f"{n / r:.2f}×", "≥ 1.0×", n >= r)
            n, f = get(sid, pl, "nws", "p50_us"), get(sid, pl, "floor", "p50_us")
            if n and f:
                add(f"{sid} p50 vs raw TCP floor", f"{n / f:.2f}×", "≤ 1.3×", n <= 1.3 * f)
        for key, what in (("store_MBps", "store"), ("fetch_MBps", "fetch")):
            n = get("5@1MiB", pl, "nws", key)
            if n:
                add(f"5 1 MiB {what} MB/s", f"{n:,.0f}", "≥ 1,000", n >= 1000)
        n, r = get("6", pl, "nws", "rss_MB_per_million"), get("6", pl, "redis", "rss_MB_per_million")
        if n and r:
            add("6 RSS per small value vs Redis", f"{n / r:.2f}×", "≤ 2.0×", n <= 2 * r)
        for t in ("nws", "redis"):
            a, b = get("7", pl, t, "pairs_per_s"), get("1", pl, t, "pairs_per_s")
            if a and b:
                add(f"7 {t} pairs/s beside idle conns vs scenario 1", f"{a / b:.2f}×", "(keeps its figure)", None)

    out.write("| placement | target | measured | goal | |\n|---|---|--:|--:|---|\n")
    for pl, name, value, goal, met in checks:
        verdict = "" if met is None else ("met" if met else "**missed**")
        out.write(f"| {pl} | {name} | {value} | {goal} | {verdict} |\n")


def lead_summary(results, all_blocks, placements, out):
    """How many rows NWS leads Redis on ("lead Redis on every row")."""
    for pl in placements:
        behind, total = [], 0
        for b in all_blocks:
            for key, label, higher, _ in b.metrics:
                r = results.get((b.sid, pl), {})
                n, x = r.get("nws", {}).get(key), r.get("redis", {}).get(key)
                if n is None or x is None:
                    continue
                total += 1
                if (n < x) if higher else (n > x):
                    behind.append(f"{b.sid} {label}")
        out.write(f"- {pl}: NWS ahead of Redis on {total - len(behind)} of {total} rows"
                  + (f"; behind on: {', '.join(behind)}" if behind else "") + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True, help="build directory with nws-server and the bench programs")
    ap.add_argument("--quick", action="store_true", help="short smoke run (about a minute)")
    ap.add_argument("--repeats", type=int, help="runs per target per scenario (median reported)")
    ap.add_argument("--placements", default="unpinned,pinned", help="comma-separated: unpinned,pinned")
    ap.add_argument("--only", help="comma-separated scenario ids or prefixes, e.g. 1,3@64,5")
    ap.add_argument("--idle-limit", type=float, default=0.10, help="busy fraction counted as idle")
    args = ap.parse_args()

    build = os.path.abspath(args.build)
    repeats = args.repeats or (1 if args.quick else 3)
    placements = [p for p in args.placements.split(",") if p]
    for p in placements:
        if p not in PLACEMENTS:
            sys.exit(f"unknown placement {p}")
    if "pinned" in placements and not shutil.which("taskset"):
        sys.exit("taskset not found (util-linux)")
    all_blocks = blocks(args.quick)
    if args.only:
        wanted = args.only.split(",")
        all_blocks = [b for b in all_blocks if any(b.sid == w or b.sid.startswith(w + "@") for w in wanted)]

    machine = machine_description(build)
    print("machine:", "; ".join(f"{k}: {v}" for k, v in machine.items()), file=sys.stderr)
    gate = IdleGate(args.idle_limit, wait=2 if args.quick else 10, budget=10 if args.quick else 90)
    tmp = tempfile.mkdtemp(prefix="nws-bench-")
    raw = {}      # (sid, placement) -> target -> [run results]
    started = time.monotonic()
    seq = 0
    try:
        for pl in placements:
            prefix = PLACEMENTS[pl]
            for b in all_blocks:
                n = b.repeats or repeats
                for rep in range(n):
                    busy = gate.check(f"{b.sid} ({pl}, run {rep + 1})")
                    # Alternate: each round starts with a different target.
                    order = list(b.targets[rep % len(b.targets):]) + list(b.targets[:rep % len(b.targets)])
                    for t in order:
                        seq += 1
                        res = run_one(b, t, build, tmp, prefix, seq)
                        res["busy_before"] = round(busy, 3)
                        raw.setdefault((b.sid, pl), {}).setdefault(t, []).append(res)
                        shown = res.get("error") or ", ".join(
                            f"{k}={v:.4g}" for k, v in res.items()
                            if k in {m[0] for m in b.metrics} and isinstance(v, (int, float)))
                        print(f"  [{time.monotonic() - started:5.0f}s] {pl:8} {b.sid:7} {t:5} {shown}",
                              file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    results = {k: {t: median_results(runs) for t, runs in v.items()} for k, v in raw.items()}
    elapsed = time.monotonic() - started

    out = io.StringIO()
    out.write("## Machine\n\n")
    for k, v in machine.items():
        out.write(f"- {k}: {v}\n")
    out.write(f"\n## Results ({'quick' if args.quick else 'full'} run: median of {repeats} run(s) per target "
              f"per placement; {elapsed:.0f} s)\n\n")
    out.write("Placements: *unpinned* = no affinity; *pinned* = servers and load generator all on CPU 0 "
              "(`taskset -c 0`).  ↑ higher is better, ↓ lower is better; ratios are NWS ÷ other.\n")
    out.write("Scenarios 3 and 4 drive NWS through the raw wire protocol from one epoll loop "
              "(server cost only); 1, 2, 5 and 7 go through the C++ client library (nws::Workspace).\n\n")
    print_table(results, all_blocks, placements, out)
    out.write("\n## Targets\n\n")
    evaluate_targets(results, placements, out)
    out.write("\n")
    lead_summary(results, all_blocks, placements, out)
    out.write(f"\nIdle check: machine more than {args.idle_limit:.0%} busy before {gate.busy_runs} of "
              f"{gate.checks} rounds" + (f" (worst {gate.worst:.0%})" if gate.busy_runs else "") + ".\n")
    errors = [(k, t, r["error"]) for k, v in results.items() for t, r in v.items() if "error" in r]
    for (sid, pl), t, e in errors:
        out.write(f"- error: scenario {sid} {pl} {t}: {e}\n")

    report = out.getvalue()
    sys.stdout.write("\n" + report)
    with open(os.path.join(build, "bench-report.md"), "w") as f:
        f.write(report)
    dump = os.path.join(build, "bench-results.json")
    with open(dump, "w") as f:
        json.dump({"machine": machine, "quick": args.quick, "repeats": repeats,
                   "runs": [{"scenario": sid, "placement": pl, "target": t, "results": runs}
                            for (sid, pl), v in raw.items() for t, runs in v.items()]}, f, indent=1)
    print(f"\n(this table: {os.path.join(build, 'bench-report.md')}; every run: {dump})", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
