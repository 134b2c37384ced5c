"""A chaos-test client in Python (scripts/chaos.sh): a producer or a consumer.

    worker.py producer ID OUTDIR      stores ID:1, ID:2, ... into chaos/queue;
                                      appends each acknowledged number to OUTDIR/produced-ID
    worker.py consumer ID OUTDIR      leases values from chaos/queue and, for each,
                                      stores "VALUE|ID" into chaos/done and
                                      acknowledges in one step (ackStore)

The server is $NWS_HOST:$NWS_PORT; it is killed and restarted under us,
and we are killed too: every failure means connect again.  A store whose
answer was lost is never repeated (it may have landed): the producer moves
on to its next number, so no value is ever stored twice.
"""
import os
import sys
import time

from nws.client import NetWorkSpace, NwsException


def connect():
    while True:
        try:
            return NetWorkSpace("chaos", persistent=True)
        except NwsException:
            time.sleep(0.05)  # the server is restarting


def produce(ident, outdir):
    out = open(os.path.join(outdir, f"produced-{ident}"), "a", buffering=1)
    n = 0
    ws = connect()
    while True:
        n += 1
        try:
            ws.store("queue", f"{ident}:{n}")
        except NwsException:
            ws = connect()
            continue
        out.write(f"{n}\n")


def consume(ident, outdir):
    ws = connect()
    while True:
        try:
            lease = ws.lease("queue", duration=5.0, timeout=1.0)
        except TimeoutError:
            continue
        except NwsException:
            ws = connect()
            continue
        try:
            lease.ackStore("done", f"{lease.value}|{ident}")
        except NwsException:
            ws = connect()


if __name__ == "__main__":
    role, ident, outdir = sys.argv[1:4]
    (produce if role == "producer" else consume)(ident, outdir)
