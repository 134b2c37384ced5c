#!/usr/bin/env python3
"""The administrator of docs/security.md's worked example.

    admin.py HOST PORT CA setup          create `jobs` and `results` (persistent)
    admin.py HOST PORT CA check TASKS    fetch TASKS results and check each one

User `admin` (password in $ADMIN_PASSWORD) has every right.
"""
import os
import sys

from nws.client import NetWorkSpace

host, port, ca, what = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def open_ws(name):
    return NetWorkSpace(name, serverHost=host, serverPort=port, persistent=True,
                        tls=True, tlsCa=ca, user="admin", password=os.environ["ADMIN_PASSWORD"])


if what == "setup":
    open_ws("jobs").close()
    open_ws("results").close()
else:
    tasks = int(sys.argv[5])
    results = open_ws("results")
    seen = {}
    for _ in range(tasks):
        r = results.fetch("result")
        seen[int(r["id"])] = r
    assert sorted(seen) == list(range(1, tasks + 1)), sorted(seen)
    for i, r in seen.items():
        assert abs(r["y"] - (i / 2) ** 2) < 1e-12, (i, r)
    by = sorted({r["by"] for r in seen.values()})
    print("admin: all %d results right, computed by %s" % (tasks, ", ".join(by)))
    results.close()
