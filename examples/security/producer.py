#!/usr/bin/env python3
"""The producer of docs/security.md's worked example.

    producer.py HOST PORT CA TASKS WORKERS

Connects over TLS (trusting the CA file) as user `producer`, whose password
comes from $PRODUCER_PASSWORD, and stores TASKS tasks into workspace
`jobs`, then one "STOP" per worker.  The users file lets `producer` store
into `jobs` and nothing else: it shows that a fetch from `jobs` is refused,
and that the connection goes on after the refusal.
"""
import os
import sys

from nws.client import NetWorkSpace, NwsPermissionDeniedException

host, port, ca, tasks, workers = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

jobs = NetWorkSpace("jobs", serverHost=host, serverPort=port, useUse=True, create=False,
                    tls=True, tlsCa=ca, user="producer", password=os.environ["PRODUCER_PASSWORD"])
for i in range(1, tasks + 1):
    jobs.store("task", {"id": i, "x": i / 2}, portable=True)
try:
    jobs.fetchTry("task")
    sys.exit("producer: a fetch from jobs was allowed; the users file says it must not be")
except NwsPermissionDeniedException as e:
    print("producer: fetch refused, as the rules say:", e)
for _ in range(workers):
    jobs.store("task", "STOP")
print("producer: stored %d tasks" % tasks)
jobs.close()
