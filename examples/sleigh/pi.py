"""Monte Carlo pi on a sleigh: each task throws darts at the unit square
and counts those inside the quarter circle; the master adds the counts.

    python examples/sleigh/pi.py [--workers N] [--tasks T] [--darts D]

Runs on a local sleigh (one worker per core unless --workers), against the
server named by $NWS_HOST/$NWS_PORT, or one it starts inside itself if
there is none.  Prints the estimate and exits non-zero if it is not within
five standard errors of pi, so a test can run it.
"""

from __future__ import annotations

import argparse
import math
import time

from nws.sleigh import Sleigh


def darts(seed: int, n: int) -> int:
    """How many of n random points of the unit square fall in the quarter circle."""
    import random

    rng = random.Random(seed)
    inside = 0
    for _ in range(n):
        x, y = rng.random(), rng.random()
        inside += x * x + y * y <= 1.0
    return inside


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=None, help="local workers (default: one per core)")
    ap.add_argument("--tasks", type=int, default=200)
    ap.add_argument("--darts", type=int, default=20000, help="darts per task")
    args = ap.parse_args()

    start = time.monotonic()
    with Sleigh(workerCount=args.workers) as s:
        # One task per seed; the dart count is the same for every task (fixedArgs).
        counts = s.eachElem(darts, range(args.tasks), [args.darts])
        workers = s.status()[0]
    total = args.tasks * args.darts
    p = sum(counts) / total
    estimate = 4 * p
    error = 4 * math.sqrt(p * (1 - p) / total)
    print("pi ~ %.5f (+/- %.5f) from %d darts on %d workers in %.2f s"
          % (estimate, error, total, workers, time.monotonic() - start))
    return 0 if abs(estimate - math.pi) < 5 * error else 1


if __name__ == "__main__":
    raise SystemExit(main())
