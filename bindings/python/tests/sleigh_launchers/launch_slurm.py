"""The SLURM launcher against a real one-node SLURM: sbatch from outside
an allocation, srun steps inside one (a master run by salloc)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import sleigh_support as sup
from sleigh_support import required_env
from nws.sleigh import Sleigh

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_sbatch_from_outside_an_allocation(server, tmp_path):
    required_env("SLURM_CONF")
    env_job = os.environ.pop("SLURM_JOB_ID", None)
    try:
        with Sleigh(nwsHost=server.host, nwsPort=server.port, launch="slurm", workerCount=2, modulePath=TESTS,
                    logDir=str(tmp_path)) as s:
            assert s.status(True, 120) == (2, True)
            assert s.eachElem(lambda x: x + 1, range(50)) == list(range(1, 51))
            info = s.workerInfo()
            assert sorted(i["id"] for i in info) == [0, 1]  # SLURM_PROCID
            pids = [i["pid"] for i in info]
            ws = s.wsName
        sup.wait_until(lambda: not any(sup.in_process_table(p) for p in pids) and not sup.processes_of(ws), 10,
                       "the batch job's workers to go")
        squeue = subprocess.run(["squeue", "--noheader", "--name", ws], capture_output=True, text=True, check=True)
        assert squeue.stdout.strip() == ""
        assert sorted(os.listdir(tmp_path)) == [ws + ".txt", ws + "_0000.txt", ws + "_0001.txt"]
    finally:
        if env_job is not None:
            os.environ["SLURM_JOB_ID"] = env_job


MASTER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, sys.argv[1])
    import nws.server
    from nws.sleigh import Sleigh
    import sleigh_support as sup
    with nws.server.local() as srv, Sleigh(nwsHost=srv.host, nwsPort=srv.port, launch="slurm", modulePath=sys.argv[1]) as s:
        print("job", os.environ["SLURM_JOB_ID"], "ntasks", os.environ["SLURM_NTASKS"])
        print("status", *s.status(True, 120))
        print("sum", sum(s.eachElem(sup.square, range(100))))
        print("ranks", *sorted(r[0] for r in s.eachWorker(sup.who_am_i)))
""")


def test_srun_steps_inside_an_allocation(tmp_path):
    required_env("SLURM_CONF")
    script = tmp_path / "master.py"
    script.write_text(MASTER)
    out = subprocess.run(["salloc", "--ntasks=2", sys.executable, str(script), TESTS], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert lines["status"] == "2 True"
    assert lines["sum"] == str(sum(x * x for x in range(100)))
    assert lines["ranks"] == "0 1"
