"""The sleigh's API against a real server (the session's embedded one) and
real local worker processes."""

from __future__ import annotations

import concurrent.futures as cf
import os
import threading
import time

import pytest

import sleigh_support as sup
from nws.client import NetWorkSpace
from nws.sleigh import Sleigh, SleighExecutor, SleighPending, SleighTaskError, launch, sshcmd, sshforwardcmd

HERE = os.path.dirname(os.path.abspath(__file__))
WORKERS = 2


@pytest.fixture(scope="module")
def sleigh(server):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=WORKERS, modulePath=HERE) as s:
        assert s.status(True, 30) == (WORKERS, True)
        yield s


# ---- eachElem --------------------------------------------------------------------

def test_each_elem_over_a_list(sleigh):
    assert sleigh.eachElem(sup.square, list(range(20))) == [x * x for x in range(20)]


def test_each_elem_over_several_lists_zips_them_shortest_first(sleigh):
    assert sleigh.eachElem(sup.add, [[1, 2, 3, 4], [10, 20, 30]]) == [11, 22, 33]


def test_each_elem_with_fixed_args_and_arg_permute(sleigh):
    assert sleigh.eachElem(sup.describe, [[1, 2], ["a", "b"]], ["f1", "f2"]) == [(1, "a", "f1", "f2"),
                                                                                (2, "b", "f1", "f2")]
    got = sleigh.eachElem(sup.describe, [[1, 2], ["a", "b"]], ["f"], argPermute=[2, 1, 0])
    assert got == [("f", "a", 1), ("f", "b", 2)]


def test_each_elem_over_a_generator_and_a_scalar(sleigh):
    assert sleigh.eachElem(sup.square, (x for x in range(7))) == [x * x for x in range(7)]
    assert sleigh.eachElem(sup.square, 5) == [25]
    assert sleigh.eachElem(sup.square, []) == []


@pytest.mark.parametrize("chunk", [1, 3, 7, 100])
def test_explicit_chunks(sleigh, chunk):
    pending = sleigh.eachElem(sup.square, range(50), chunkSize=chunk, blocking=False)
    assert pending.wait() == [x * x for x in range(50)]
    assert pending.chunks == -(-50 // chunk)


def test_automatic_chunks_pack_tiny_tasks(sleigh):
    pending = sleigh.eachElem(sup.square, range(10000), blocking=False)
    assert pending.wait() == [x * x for x in range(10000)]
    # Four chunks per worker, as Pool.map does: not one message per element.
    assert pending.chunks == 4 * WORKERS


def test_chunks_of_large_elements_stay_small(sleigh):
    big = [bytes([i]) * (1 << 20) for i in range(80)]
    pending = sleigh.eachElem(len, big, blocking=False)
    assert pending.wait() == [1 << 20] * 80
    # By count, 80 / (4 x 2) = 10 elements a chunk; by size, at most 4 MiB:
    # three 1 MiB elements a chunk.
    assert pending.chunks == -(-80 // 3)


def test_non_blocking_each_elem(sleigh):
    pending = sleigh.eachElem(sup.gated, range(4), blocking=False)
    assert isinstance(pending, SleighPending)
    user = sleigh.userNws
    assert pending.check() == 4  # every task is waiting for "go"
    user.store("go", True)
    assert pending.wait() == [0, 10, 20, 30]
    assert pending.check() == 0
    user.deleteVar("go")
    user.deleteVar("started")


def test_load_factor_and_accumulator(sleigh):
    seen = []
    assert sleigh.eachElem(sup.square, range(40), loadFactor=1, chunkSize=2, accumulator=seen.extend) is None
    assert sorted(seen) == [(i, i * i) for i in range(40)]


def test_lambdas_and_closures_travel_by_value(sleigh):
    offset = 1000

    def closure(x):
        return x + offset

    assert sleigh.eachElem(lambda x: -x, [1, 2]) == [-1, -2]
    assert sleigh.eachElem(closure, [1, 2]) == [1001, 1002]
    # Arguments that plain pickle refuses go by value too.
    assert sleigh.eachElem(lambda f: f(3), [[lambda y: y * 2, lambda y: y + offset]]) == [6, 1003]


def test_a_task_that_raises_is_that_elements_error_and_the_job_goes_on(sleigh):
    got = sleigh.eachElem(sup.fails_on_multiples_of, range(10), [3], argPermute=[1, 0], chunkSize=4)
    for x, value in enumerate(got):
        if x % 3 == 0:
            assert isinstance(value, SleighTaskError)
            assert isinstance(value.exception, ValueError)
            assert value.index == x
            assert "fails_on_multiples_of" in value.traceback  # the worker's traceback
            assert "no multiples of 3, please: %d" % x in value.traceback
        else:
            assert value == x
    # Worker-side errors are logged where the Sleigh Monitor shows them.
    log = NetWorkSpace(sleigh.wsName, serverHost=sleigh.options["nwsHost"], serverPort=sleigh.options["nwsPort"],
                       useUse=True)
    assert any("ValueError" in line for line in log.ifindTry("logError"))
    log.close()


def test_an_unpicklable_exception_still_comes_back_as_text(sleigh):
    def raise_local():
        class Local(Exception):
            pass

        raise Local("defined inside the task")

    [value] = sleigh.eachElem(lambda _: raise_local(), [0])
    assert isinstance(value, SleighTaskError)
    assert "defined inside the task" in value.traceback


def test_bad_options_are_refused(sleigh, server):
    with pytest.raises(TypeError, match="unknown option"):
        sleigh.eachElem(sup.square, [1], chunksize=3)
    with pytest.raises(TypeError, match="unknown option"):
        Sleigh(nwsHost=server.host, nwsPort=server.port, workers=3)
    with pytest.raises(TypeError, match="callable"):
        sleigh.eachElem(42, [1])


# ---- eachWorker, imap, starmap ---------------------------------------------

def test_each_worker_runs_once_on_every_worker(sleigh):
    for _ in range(3):  # both barriers, and a reuse of the first
        got = sleigh.eachWorker(sup.who_am_i)
        assert [g[0] for g in got] == list(range(WORKERS))
        assert all(g[1] == WORKERS for g in got)
        assert len({g[2] for g in got}) == WORKERS


def test_each_worker_with_arguments_and_non_blocking(sleigh):
    pending = sleigh.eachWorker(sup.describe, "a", 1, blocking=False)
    assert pending.wait() == [("a", 1)] * WORKERS


def test_imap_keeps_order(sleigh):
    def jitter(x):
        import random
        import time

        time.sleep(random.random() / 100)
        return x

    assert list(sleigh.imap(jitter, range(60), chunkSize=1)) == list(range(60))
    assert list(sleigh.imap(sup.add, range(5), range(10, 100))) == [10, 12, 14, 16, 18]


def test_imap_over_an_endless_stream_is_lazy(sleigh):
    import itertools

    it = sleigh.imap(sup.square, itertools.count())
    assert [next(it) for _ in range(1000)] == [x * x for x in range(1000)]
    it.close()


def test_starmap(sleigh):
    assert list(sleigh.starmap(sup.add, [(1, 2), (3, 4)])) == [3, 7]


def test_imap_yields_a_failed_tasks_error_in_its_place(sleigh):
    got = list(sleigh.imap(sup.fails_on_multiples_of, [5] * 6, range(6)))
    assert isinstance(got[0], SleighTaskError) and isinstance(got[5], SleighTaskError)
    assert got[1:5] == [1, 2, 3, 4]


# ---- the pool ------------------------------------------------------------------------

def test_status_and_worker_info(sleigh):
    assert sleigh.status() == (WORKERS, True)
    info = sleigh.workerInfo()
    assert [i["rank"] for i in info] == list(range(WORKERS))
    for i in info:
        assert sup.in_process_table(i["pid"])
        assert i["python"].startswith("Python 3.")
        assert set(i) >= {"host", "os", "pid", "python", "nws", "rank", "logfile"}


def test_monitoring_variables(sleigh):
    sleigh.eachElem(sup.square, range(10))
    ws = NetWorkSpace(sleigh.wsName, serverHost=sleigh.options["nwsHost"], serverPort=sleigh.options["nwsPort"],
                      useUse=True)
    try:
        names = ws.findTry("nodeList").split()
        assert len(names) == WORKERS and all("@" in n for n in names)
        assert int(ws.findTry("totalTasks")) >= 10
        assert ws.findTry("rankCount") == "-1" and ws.findTry("workerCount") == str(WORKERS)
        assert sum(int(ws.findTry(n)) for n in names) >= 10  # elements done, per worker
    finally:
        ws.close()


def test_print_in_a_task_goes_to_output_at_rank(sleigh):
    def chatty(x):
        print("hello from", x)
        return x

    assert sleigh.eachElem(chatty, [7], chunkSize=1) == [7]
    lines = [line for rank in range(WORKERS) for line in sleigh.nws.ifindTry("output@%d" % rank)]
    assert "hello from 7" in lines


def test_no_sleigh_inside_a_worker(sleigh):
    def nested(_):
        from nws.sleigh import Sleigh as Inner

        Inner()

    [err] = sleigh.eachElem(nested, [0])
    assert isinstance(err, SleighTaskError) and "inside a sleigh worker" in str(err.exception)


def test_progress_bar_stays_off_without_a_terminal(sleigh, capfd):
    assert sleigh.eachElem(sup.square, range(100), progress=True) == [x * x for x in range(100)]
    assert "it/s" not in capfd.readouterr().err and "task/s" not in capfd.readouterr().err


def test_ssh_launch_functions():
    assert sshcmd("node1") == ["ssh", "-n", "-x", "node1"]
    assert sshcmd("node1", user="me") == ["ssh", "-n", "-x", "-l", "me", "node1"]
    assert sshforwardcmd("node1", nwsHost="h", nwsPort=8765, nwsPortRemote=9000) == [
        "ssh", "-n", "-x", "-R", "9000:h:8765", "node1"]


# ---- the executor --------------------------------------------------------------------

def test_executor_submit_map_as_completed_shutdown(sleigh):
    with sleigh.executor() as ex:
        assert isinstance(ex, cf.Executor) and isinstance(ex, SleighExecutor)
        f = ex.submit(sup.add, 2, b=3)
        assert f.result(timeout=30) == 5
        futures = [ex.submit(sup.square, x) for x in range(20)]
        assert sorted(f.result() for f in cf.as_completed(futures, timeout=30)) == [x * x for x in range(20)]
        assert list(ex.map(sup.square, range(10))) == [x * x for x in range(10)]
        assert list(ex.map(sup.square, range(10), chunksize=4)) == [x * x for x in range(10)]
        assert ex.submit(lambda: "lambda").result() == "lambda"
        bad = ex.submit(sup.fails_on_multiples_of, 2, 4)
        with pytest.raises(ValueError, match="no multiples of 2") as info:
            bad.result(timeout=30)
        assert "fails_on_multiples_of" in str(info.value.__cause__)  # the worker's traceback
    with pytest.raises(RuntimeError, match="shutdown"):
        ex.submit(sup.square, 1)
    # The sleigh itself goes on.
    assert sleigh.eachElem(sup.square, [3]) == [9]


def test_code_written_for_process_pool_executor_runs_unchanged(sleigh):
    def program(executor):
        with executor as pool:
            return sum(pool.map(sup.square, range(100)))

    import multiprocessing

    # spawn: this test process has threads (the embedded server), so no fork.
    assert program(sleigh.executor()) == program(cf.ProcessPoolExecutor(2, multiprocessing.get_context("spawn")))


# ---- lifecycle ------------------------------------------------------------------------

def test_context_manager_and_stop_leave_no_process(server):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=2, modulePath=HERE) as s:
        s.status(True, 30)
        pids = [i["pid"] for i in s.workerInfo()]
        ws = s.wsName
        assert s.eachElem(sup.square, [2]) == [4]
    # stop() has reaped its workers: gone from the process table at once.
    assert not any(sup.in_process_table(p) for p in pids)
    assert sup.processes_of(ws) == set()
    with pytest.raises(RuntimeError, match="stopped"):
        s.eachElem(sup.square, [1])
    s.stop()  # idempotent


def test_stop_with_tasks_running_leaves_no_process(server):
    s = Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=2, modulePath=HERE)
    s.status(True, 30)
    pids = [i["pid"] for i in s.workerInfo()]
    pending = s.eachElem(sup.gated, range(4), blocking=False)  # never released
    sup.wait_until(lambda: s.userNws.listVars() and "started" in s.userNws.listVars(), 30, "tasks to start")
    ws = s.wsName
    start = time.monotonic()
    s.stop()
    assert time.monotonic() - start < 10
    assert not any(sup.in_process_table(p) for p in pids)
    assert sup.processes_of(ws) == set()
    values = pending.wait()  # the job's open tasks failed: the sleigh stopped
    assert all(isinstance(v, SleighTaskError) for v in values)


def test_manual_launch(server):
    """launch='web': the master stores runMe and waits until a person has
    started the workers and deleted deleteMeWhenAllWorkersStarted."""
    made = {}

    def master():
        made["sleigh"] = Sleigh(nwsHost=server.host, nwsPort=server.port, launch="web", modulePath=HERE)

    t = threading.Thread(target=master)
    t.start()
    watcher = NetWorkSpace("__default", serverHost=server.host, serverPort=server.port)
    try:
        def sleigh_ws():
            return [w for w in watcher.server.listWss().split("\n") if "sleigh_ride_" in w]

        ws_name = None

        def run_me():
            nonlocal ws_name
            for line in sleigh_ws():
                name = line[1:].split("\t")[0]
                probe = NetWorkSpace(name, serverHost=server.host, serverPort=server.port, useUse=True)
                cmd = probe.findTry("runMe")
                probe.close()
                if cmd:
                    ws_name = name
                    return cmd
            return None

        sup.wait_until(lambda: run_me() is not None, 30, "runMe")
        probe = NetWorkSpace(ws_name, serverHost=server.host, serverPort=server.port, useUse=True)
        cmd = probe.findTry("runMe")
        assert cmd.startswith("import nws.sleigh; nws.sleigh.launch('%s'" % ws_name)
        user_ws = cmd.split("userNwsName='")[1].split("'")[0]
        procs = [launch(ws_name, server.host, server.port, userNwsName=user_ws, modulePath=HERE) for _ in range(2)]
        sup.wait_until(lambda: len((probe.findTry("nodeList") or "").split()) == 2, 30, "two workers to join")
        probe.deleteVar("deleteMeWhenAllWorkersStarted")
        t.join(30)
        probe.close()
        s = made["sleigh"]
        assert s.status() == (2, True)
        assert s.eachElem(sup.square, range(5)) == [0, 1, 4, 9, 16]
        s.stop()
        for p in procs:
            assert p.wait(10) is not None
    finally:
        watcher.close()


def test_functions_and_classes_of_main_travel_by_value(server, tmp_path):
    """A script's own functions, handed over as functions or as arguments
    (the executor), reach workers whose __main__ is not the script."""
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text(
        "import sys\n"
        "from nws.sleigh import Sleigh\n"
        "class Point:\n"
        "    def __init__(self, x): self.x = x\n"
        "def norm(p): return abs(p.x)\n"
        "def twice(f, x): return f(f(x))\n"
        "def inc(x): return x + 1\n"
        "with Sleigh(nwsHost=sys.argv[1], nwsPort=int(sys.argv[2]), workerCount=2) as s:\n"
        "    print(s.eachElem(norm, [Point(-1), Point(2)]))\n"
        "    print(s.eachElem(twice, [[inc], [5]]))\n"
        "    with s.executor() as ex:\n"
        "        print(ex.submit(twice, inc, 1).result(), list(ex.map(norm, [Point(-3)])))\n")
    out = subprocess.run([sys.executable, str(script), server.host, str(server.port)], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == ["[1, 2]", "[7]", "3 [3]"]


def test_progress_bar_on_a_terminal(server, tmp_path):
    """progress=True draws a tqdm bar when stderr is a terminal (a pty here)."""
    import pty
    import subprocess
    import sys

    script = tmp_path / "bar.py"
    script.write_text(
        "import sys\n"
        "from nws.sleigh import Sleigh\n"
        "with Sleigh(nwsHost=sys.argv[1], nwsPort=int(sys.argv[2]), workerCount=2, progress=True) as s:\n"
        "    assert s.eachElem(abs, range(-50, 50)) == [abs(x) for x in range(-50, 50)]\n")
    master_fd, slave_fd = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal's width
    proc = subprocess.Popen([sys.executable, str(script), server.host, str(server.port)], stderr=slave_fd,
                            stdout=subprocess.DEVNULL, cwd=tmp_path)
    os.close(slave_fd)
    out = b""
    while True:
        try:
            chunk = os.read(master_fd, 4096)
        except OSError:  # the pty's other end closed: the program is done
            break
        if not chunk:
            break
        out += chunk
    os.close(master_fd)
    assert proc.wait(60) == 0, out
    assert b"eachElem" in out and b"100/100" in out
