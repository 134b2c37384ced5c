"""NWS requests/s with and without the web interface being watched.

Each run starts a fresh nws-server (its web interface on a free port) and
drives it with nws-bench-load's `many` scenario (N connections, each
storing and fetching 10-byte values on its own variable, raw wire).  In a
"polled" run a watcher fetches the workspace page (/doit?op=listWss) and
/metrics, each 10 times a second, for the whole run, as a browser tab and
a Prometheus scraper would.  Runs alternate (quiet, polled, polled, quiet,
...); the table shows the medians, and the median of each back-to-back
pair's ratio, which cancels the machine's slow drift.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import http.client


def wait_for_lines(path, proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(path) as f:
            text = f.read()
        nws = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
        web = re.search(r"web interface on http://127\.0\.0\.1:(\d+)/", text)
        if nws and web:
            return int(nws.group(1)), int(web.group(1))
        if proc.poll() is not None:
            raise RuntimeError("nws-server exited: " + text)
        time.sleep(0.02)
    raise RuntimeError("nws-server did not start")


class Watcher(threading.Thread):
    """GETs each path `rate` times a second until stopped, over one kept-alive
    connection as a browser and a Prometheus scraper do; counts the pages."""

    def __init__(self, port, paths, rate):
        super().__init__(daemon=True)
        self.port, self.paths, self.period = port, paths, 1.0 / rate
        self.stop_flag, self.pages, self.bytes = threading.Event(), 0, 0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        due = time.monotonic()
        while not self.stop_flag.is_set():
            for path in self.paths:
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                if r.status != 200:
                    raise RuntimeError("%s: HTTP %d" % (path, r.status))
                self.bytes += len(body)
                self.pages += 1
            due += self.period
            self.stop_flag.wait(max(0.0, due - time.monotonic()))


def pin(args, cpu):
    """The placement: with --pinned the server runs on CPU 0 and the load on
    CPU 1 (the watcher wherever the kernel puts it), which takes most of the
    run-to-run noise of a 2-CPU machine out of the figures."""
    return ["taskset", "-c", str(cpu)] if args.pinned else []


def one_run(build, polled, args, tmp):
    log = os.path.join(tmp, "server.log")
    cmd = pin(args, 0) + [os.path.join(build, "core", "nws-server"), "--port", "0", "--web-port", "0",
                          "--spool-dir", tmp, "--log-level", "warn"]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        port, web = wait_for_lines(log, proc)
        watcher = None
        if polled:
            watcher = Watcher(web, ["/doit?op=listWss", "/metrics"], args.rate)
            watcher.start()
        load = subprocess.run(pin(args, 1) + [os.path.join(build, "bench", "nws-bench-load"), "--target", "nws", "--port", str(port),
                               "--server-pid", str(proc.pid), "--scenario", "many", "--conns", str(args.conns),
                               "--size", "10", "--seconds", str(args.seconds), "--warmup", "0.3"],
                              capture_output=True, text=True, timeout=120)
        pages = 0
        if watcher:
            watcher.stop_flag.set()
            watcher.join()
            pages = watcher.pages
        if load.returncode != 0:
            raise RuntimeError(load.stderr.strip())
        result = json.loads(load.stdout.strip().splitlines()[-1])
        return result["requests_per_s"], pages
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def cpu_seconds(pid):
    """User + system CPU seconds a process has used (/proc/PID/stat)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_per_page(build, tmp, pages=2000):
    """The server's own CPU time per page, with a workspace of 64 variables
    to list: what each poll takes from the thread that serves NWS."""
    log = os.path.join(tmp, "cpu.log")
    with open(log, "w") as out:
        proc = subprocess.Popen([os.path.join(build, "core", "nws-server"), "--port", "0", "--web-port", "0",
                                 "--spool-dir", tmp, "--log-level", "warn"], stdout=out, stderr=subprocess.STDOUT)
    try:
        _, web = wait_for_lines(log, proc)
        conn = http.client.HTTPConnection("127.0.0.1", web, timeout=5)
        paths = ["/doit?op=listWss", "/metrics"]
        for path in paths:  # warm
            conn.request("GET", path)
            conn.getresponse().read()
        before = cpu_seconds(proc.pid)
        for i in range(pages):
            conn.request("GET", paths[i % 2])
            conn.getresponse().read()
        return (cpu_seconds(proc.pid) - before) / pages
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--repeats", type=int, default=31)
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--rate", type=float, default=10.0, help="polls per second of each URL")
    ap.add_argument("--unpinned", dest="pinned", action="store_false",
                    help="let the kernel place the server and the load (default: server on CPU 0, load on CPU 1)")
    args = ap.parse_args()
    quiet, polled, pages = [], [], []
    with tempfile.TemporaryDirectory(prefix="nws-bench-web-") as tmp:
        for i in range(args.repeats):
            for p in ((False, True) if i % 2 == 0 else (True, False)):
                rps, n = one_run(args.build, p, args, tmp)
                (polled if p else quiet).append(rps)
                if p:
                    pages.append(n)
                print("run %d %-6s %12.0f requests/s%s" % (i + 1, "polled" if p else "quiet", rps,
                                                         " (%d pages served)" % n if p else ""), file=sys.stderr)
    q, w = statistics.median(quiet), statistics.median(polled)
    # This machine drifts by tens of per cent over a minute: each repeat's
    # two runs are back to back, and the ratio of each pair cancels the drift.
    pair = statistics.median(p / r for p, r in zip(polled, quiet))
    print("| %d connections, store + fetch of 10 bytes, %s | requests/s (median of %d) |"
          % (args.conns, "pinned" if args.pinned else "unpinned", args.repeats))
    print("|---|---|")
    print("| nobody watching | %.0f |" % q)
    print("| workspace page and /metrics each polled %g×/s | %.0f |" % (args.rate, w))
    print("| polled / quiet, median of the %d back-to-back pairs (target ≥ 0.97×) | %.3f× |" % (args.repeats, pair))
    print("\npages served per polled run: %s" % ", ".join(str(n) for n in pages))
    with tempfile.TemporaryDirectory(prefix="nws-bench-web-") as tmp:
        per_page = server_cpu_per_page(args.build, tmp)
    share = per_page * 2 * args.rate
    print("server CPU per page (workspace page and /metrics alternately): %.0f µs; at %g polls/s of each, "
          "%.2f %% of the server's thread" % (per_page * 1e6, args.rate, share * 100))


if __name__ == "__main__":
    main()
