"""Trivial-task throughput of the Python sleigh, for bench/sleigh/languages.sh:
N tasks of x -> x + 1 on 2 local workers, best of --repeat runs, as the
pickled callable and as the named function ``trivial_tasks:inc`` (the
portable path every other language's master uses).  Prints markdown rows.

    python bench/sleigh/python/trivial.py [--tasks 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from nws.sleigh import Sleigh  # noqa: E402
from trivial_tasks import inc  # noqa: E402


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    xs = list(range(args.tasks))
    want = [x + 1 for x in xs]
    with Sleigh(workerCount=2, modulePath=HERE) as s:
        s.eachElem(inc, xs[:100])  # warm up: workers joined, functions loaded
        s.eachElem("trivial_tasks:inc", [xs[:100]])

        def pickled():
            assert s.eachElem(inc, xs) == want

        def named():
            assert s.eachElem("trivial_tasks:inc", [xs]) == want

        rows = [("Python sleigh (pickled callable)", best(pickled, args.repeat)),
                ("Python sleigh (named, portable)", best(named, args.repeat))]
    for label, seconds in rows:
        print("| %s | %.0f |" % (label, args.tasks / seconds))


if __name__ == "__main__":
    main()
