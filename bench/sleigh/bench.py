"""The sleigh against other Python process pools, 2 local workers each:

  (a) 100,000 trivial tasks (x -> x + 1): tasks per second
  (b) 2,000 tasks of 1 ms CPU each: wall time
  (c) 200 tasks with a 1 MiB argument each: argument bytes per second

Peers: multiprocessing.Pool.map, concurrent.futures.ProcessPoolExecutor.map,
joblib (loky), Dask distributed (LocalCluster), Ray; each with its default
batching, as a user would call it.  Every pool is started and warmed up
before it is timed; each peer runs in a process of its own, one after the
other; each figure is the best of --repeat runs (one run when a run takes
over 10 s).  Prints one table, then the sleigh's targets.

    python bench/sleigh/bench.py [--workers 2] [--repeat 3] [--peers sleigh,pool,...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

N_TRIVIAL = 100_000
N_CPU = 2_000
N_BIG = 200
BIG = 1 << 20

PEERS = ["sleigh", "pool", "ppe", "joblib", "dask", "ray"]
TITLES = {
    "sleigh": "nws Sleigh",
    "pool": "multiprocessing.Pool",
    "ppe": "ProcessPoolExecutor",
    "joblib": "joblib (loky)",
    "dask": "Dask LocalCluster",
    "ray": "Ray",
}


def inc(x):
    return x + 1


def spin(x):
    """1 ms of CPU time, however loaded the machine is."""
    t = time.process_time()
    while time.process_time() - t < 0.001:
        pass
    return x


def size(b):
    return len(b)


def workloads():
    big = [bytes([i % 256]) * BIG for i in range(N_BIG)]  # distinct objects: no pickle memo
    return {
        "a": (inc, list(range(N_TRIVIAL)), [x + 1 for x in range(N_TRIVIAL)]),
        "b": (spin, list(range(N_CPU)), list(range(N_CPU))),
        "c": (size, big, [BIG] * N_BIG),
    }


# ---- one peer: a context manager giving map(f, items) -> list ----

class Peer:
    def __init__(self, name, workers):
        self.name, self.workers = name, workers

    def __enter__(self):
        w = self.workers
        if self.name == "sleigh":
            from nws.sleigh import Sleigh

            self.obj = Sleigh(workerCount=w)
            self.obj.status(True, 60)
            self.map = lambda f, xs: self.obj.eachElem(f, xs)
        elif self.name == "pool":
            import multiprocessing

            self.obj = multiprocessing.Pool(w)
            self.map = self.obj.map
        elif self.name == "ppe":
            import concurrent.futures

            self.obj = concurrent.futures.ProcessPoolExecutor(w)
            self.map = lambda f, xs: list(self.obj.map(f, xs))
        elif self.name == "joblib":
            from joblib import Parallel, delayed

            self.obj = Parallel(n_jobs=w, backend="loky")
            self.map = lambda f, xs: self.obj(delayed(f)(x) for x in xs)
        elif self.name == "dask":
            from dask.distributed import Client, LocalCluster

            self.cluster = LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None)
            self.obj = Client(self.cluster)
            self.map = lambda f, xs: self.obj.gather(self.obj.map(f, xs, pure=False))
        elif self.name == "ray":
            import ray

            ray.init(num_cpus=w, include_dashboard=False, log_to_driver=False)
            self.obj = ray
            self.remote = {}

            def ray_map(f, xs):
                r = self.remote.get(f)
                if r is None:
                    r = self.remote[f] = ray.remote(f)
                return ray.get([r.remote(x) for x in xs])

            self.map = ray_map
        else:
            raise SystemExit("unknown peer %s" % self.name)
        return self

    def __exit__(self, *exc):
        if self.name == "sleigh":
            self.obj.stop()
        elif self.name == "pool":
            self.obj.close()
            self.obj.join()
        elif self.name == "ppe":
            self.obj.shutdown()
        elif self.name == "dask":
            self.obj.close()
            self.cluster.close()
        elif self.name == "ray":
            self.obj.shutdown()


def run_peer(name, workers, repeat):
    loads = workloads()
    out = {}
    with Peer(name, workers) as peer:
        peer.map(inc, list(range(100)))  # warm up: every worker started, the functions shipped
        peer.map(spin, list(range(4)))
        peer.map(size, [b"x"] * 4)
        for key, (f, xs, expected) in loads.items():
            best = None
            for _ in range(repeat):
                t = time.perf_counter()
                got = peer.map(f, xs)
                took = time.perf_counter() - t
                if got != expected:
                    raise SystemExit("%s: wrong results for workload %s" % (name, key))
                best = took if best is None else min(best, took)
                if took > 10:
                    break
            out[key] = best
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--peer", help=argparse.SUPPRESS)  # run one peer, print JSON (internal)
    args = ap.parse_args()
    if args.peer:
        print(json.dumps(run_peer(args.peer, args.workers, args.repeat)))
        return 0

    results = {}
    for name in args.peers.split(","):
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--peer", name, "--workers",
                               str(args.workers), "--repeat", str(args.repeat)], capture_output=True, text=True)
        if proc.returncode != 0:
            print("%s failed:\n%s" % (name, proc.stderr[-2000:]), file=sys.stderr)
            results[name] = None
            continue
        results[name] = json.loads(proc.stdout.strip().splitlines()[-1])

    print("%d local workers, %d cores; best of %d" % (args.workers, os.cpu_count(), args.repeat))
    print("| peer | (a) 100k trivial: tasks/s | (b) 2000 x 1 ms CPU: s | (c) 200 x 1 MiB: GB/s |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        if r is None:
            print("| %s | failed | failed | failed |" % TITLES[name])
            continue
        print("| %s | %.0f | %.3f | %.2f |" % (TITLES[name], N_TRIVIAL / r["a"], r["b"], N_BIG * BIG / r["c"] / 1e9))

    s = results.get("sleigh")
    if s:
        print()

        def check(label, ok, detail):
            print("%s %s: %s" % ("met   " if ok else "MISSED", label, detail))

        rate = N_TRIVIAL / s["a"]
        for peer, factor in (("dask", 5), ("ray", 2), ("pool", 0.5)):
            if results.get(peer):
                other = N_TRIVIAL / results[peer]["a"]
                check("(a) >= %gx %s" % (factor, TITLES[peer]), rate >= factor * other,
                      "%.0f vs %.0f tasks/s (%.2fx)" % (rate, other, rate / other))
        if results.get("pool"):
            ratio = s["b"] / results["pool"]["b"]
            check("(b) <= 1.15x Pool's wall time", ratio <= 1.15, "%.3f s vs %.3f s (%.2fx)"
                  % (s["b"], results["pool"]["b"], ratio))
        gbs = N_BIG * BIG / s["c"] / 1e9
        check("(c) >= 1 GB/s of arguments", gbs >= 1.0, "%.2f GB/s" % gbs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
