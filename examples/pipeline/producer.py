#!/usr/bin/env python3
"""Python's part of the pipeline: the producer, and the final check.

    producer.py PORT WS produce ITEMS WORKERS   store ITEMS work items, then one STOP per worker
    producer.py PORT WS check ITEMS             wait for Perl's report, compare with the expected one

A work item is a portable value (docs/values.md): a dict with the item's
id and its numbers as a numpy int64 array, which R reads as a named list
holding an integer vector.  The numbers come from a fixed seed, so check
can work out the expected report on its own (sum of squares per item,
their total).
"""
import random
import sys

import numpy as np

from nws.client import NetWorkSpace


def items(count):
    rng = random.Random(20240501)
    return [(i, [rng.randint(0, 999) for _ in range(rng.randint(5, 15))]) for i in range(1, count + 1)]


def expected_report(count):
    lines = ["item %02d: sum of squares %d" % (i, sum(n * n for n in ns)) for i, ns in items(count)]
    lines.append("total: %d" % sum(sum(n * n for n in ns) for _, ns in items(count)))
    return "\n".join(lines) + "\n"


def main():
    port, ws_name, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with NetWorkSpace(ws_name, serverHost="127.0.0.1", serverPort=int(port), useUse=True) as ws:
        if mode == "produce":
            for i, ns in items(count):
                ws.store("work", {"id": i, "numbers": np.array(ns, dtype="int64")}, portable=True)
            for _ in range(int(sys.argv[5])):
                ws.store("work", "STOP")
            print("python: produced %d work items" % count)
            return 0
        report = ws.fetch("report", timeout=120)
        want = expected_report(count)
        if report != want:
            print("python: WRONG report.\n--- got:\n%s--- expected:\n%s" % (report, want))
            return 1
        print("python: the report is right (%d items)" % count)
        return 0


if __name__ == "__main__":
    sys.exit(main())
