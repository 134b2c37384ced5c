"""Faults: a worker killed mid-job, a master killed mid-job.  Each waits for
a condition with a deadline; none sleeps hoping a race goes its way."""

from __future__ import annotations

import collections
import glob
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import sleigh_support as sup
from nws.client import NetWorkSpace
from nws.sleigh import Sleigh

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module", autouse=True)
def subreaper():
    sup.become_subreaper()


def started(user: NetWorkSpace) -> list:
    return list(user.ifindTry("started"))


def test_sigkill_of_a_worker_mid_job_every_result_exactly_once(server):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=3, modulePath=HERE) as s:
        assert s.status(True, 30) == (3, True)
        pids = {i["rank"]: i["pid"] for i in s.workerInfo()}
        user = s.userNws
        calls = collections.Counter()

        def accumulate(pairs):
            calls.update(tag for tag, _ in pairs)
            accumulate.values.update(pairs)

        accumulate.values = {}
        pending = s.eachElem(sup.gated, range(30), chunkSize=2, accumulator=accumulate, blocking=False)
        # Every worker is inside a task, blocked until "go".
        sup.wait_until(lambda: sup.rank_of_started(started(user)) == {0, 1, 2}, 30, "a task on every worker")
        victim_rank = 1
        running_on_victim = [x for rank, x, pid in started(user) if rank == victim_rank]
        os.kill(pids[victim_rank], signal.SIGKILL)
        sup.wait_until(lambda: s._master.workers_alive == 2, 10, "the master to see the death")
        user.store("go", True)
        assert pending.wait() is None
        # Each element's result arrived exactly once, right.
        assert calls == collections.Counter(range(30))
        assert accumulate.values == {x: x * 10 for x in range(30)}
        # The killed worker's element ran again elsewhere.
        reruns = [(rank, x) for rank, x, pid in started(user) if x in running_on_victim and rank != victim_rank]
        assert {x for _, x in reruns} == set(running_on_victim)
        # The job went on without it, and so does the sleigh.
        assert s.eachElem(sup.square, range(10)) == [x * x for x in range(10)]
        assert [r[0] for r in s.eachWorker(sup.who_am_i)] == [0, 2]
        sup.reap([pids[victim_rank]])


MASTER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, sys.argv[4])
    import nws.server
    from nws.sleigh import Sleigh
    import sleigh_support as sup
    if sys.argv[1] == "embedded":          # the server dies with the master
        srv = nws.server.local()
        host, port = srv.host, srv.port
    else:                                  # a server that outlives the master
        host, port = sys.argv[2], int(sys.argv[3])
    s = Sleigh(nwsHost=host, nwsPort=port, workerCount=2, modulePath=sys.argv[4])
    s.status(True, 30)
    pending = s.eachElem(sup.gated, range(10), blocking=False)   # never released
    print(s.wsName, " ".join(str(i["pid"]) for i in s.workerInfo()), flush=True)
    u = s.userNws
    while len(list(u.ifindTry("started"))) < 2:
        time.sleep(0.01)
    print("busy", flush=True)
    time.sleep(3600)
""")


@pytest.mark.parametrize("where", ["separate", "embedded"])
def test_sigkill_of_the_master_leaves_no_worker_after_10_s(server, where, tmp_path):
    script = tmp_path / "master.py"
    script.write_text(MASTER)
    spill_dirs_before = set(glob.glob("/dev/shm/nws-sleigh-*"))
    master = subprocess.Popen([sys.executable, str(script), where, server.host, str(server.port), HERE],
                              stdout=subprocess.PIPE, text=True)
    try:
        ws_name, *pids = master.stdout.readline().split()
        pids = [int(p) for p in pids]
        assert len(pids) == 2 and master.stdout.readline() == "busy\n"  # both workers inside a task
        assert sup.processes_of(ws_name) == set(pids)
        master.send_signal(signal.SIGKILL)
        master.wait(10)

        def gone():
            sup.reap(pids)  # they are ours now (subreaper): reaped, not zombies
            return not any(sup.in_process_table(p) for p in pids) and not sup.processes_of(ws_name)

        took = sup.wait_until(gone, 10, "every worker of the killed master to go")
        assert took < 10
        # The master's directory for large chunks went with its workers.
        assert set(glob.glob("/dev/shm/nws-sleigh-*")) <= spill_dirs_before
    finally:
        if master.poll() is None:
            master.kill()
            master.wait()
        master.stdout.close()
