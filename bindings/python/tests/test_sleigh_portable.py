"""Functions run by name (cross-language sleighs) against a real server and
real worker processes: Python workers running ``module:function`` with
portable arguments and results, and a sleigh of another language's workers
launched with that language's program and environment."""

from __future__ import annotations

import collections
import os
import signal
import stat
import subprocess
import sys

import pytest

import sleigh_support as sup
from nws import _core
from nws.client import NetWorkSpace
from nws.sleigh import Sleigh, SleighPending, SleighTaskError
from nws.sleigh._sleigh import _foreign_manual_command

try:
    import numpy
except ImportError:  # numpy is optional: vectors then come back as lists
    numpy = None

HERE = os.path.dirname(os.path.abspath(__file__))
WORKERS = 2


@pytest.fixture(scope="module")
def sleigh(server):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=WORKERS, modulePath=HERE) as s:
        assert s.status(True, 30) == (WORKERS, True)
        yield s


def vector(values):
    return numpy.array(values, dtype="float64") if numpy is not None else [float(v) for v in values]


# ---- eachElem by name ----------------------------------------------------------------

def test_a_named_function_takes_and_returns_portable_values_in_order(sleigh):
    n = 20
    results = sleigh.eachElem("sleigh_support:typed", [
        list(range(n)),
        [i + 0.25 for i in range(n)],
        ["s%d" % i for i in range(n)],
        [[i, "two", 3.5] for i in range(n)],
        [{"a": i, "b": 0.5} for i in range(n)],
        [None] * n,
        [vector([i, i + 1]) for i in range(n)],
    ], chunkSize=3)
    assert len(results) == n
    for i, r in enumerate(results):
        assert r["types"] == ["int", "float", "str", "list", "dict", "NoneType"]
        assert type(r["i"]) is int and r["i"] == i + 1
        assert type(r["x"]) is float and r["x"] == (i + 0.25) * 2
        assert r["s"] == "S%d" % i
        assert r["items"] == [i, "two", 3.5, 3]
        assert r["mapping"] == {"a": 2 * i, "b": 1.0}
        assert r["nothing"] is None
        if numpy is not None:
            assert isinstance(r["vector"], numpy.ndarray) and r["vector"].dtype == numpy.float64
        assert list(r["vector"]) == [2.0 * i, 2.0 * (i + 1)]


def test_fixed_args_arg_permute_and_dotted_attributes(sleigh):
    assert sleigh.eachElem("sleigh_support:add", [[1, 2, 3]], [10]) == [11, 12, 13]
    assert sleigh.eachElem("sleigh_support:describe", [[1, 2]], ["f"], argPermute=[1, 0]) == [["f", 1], ["f", 2]]
    assert sleigh.eachElem("sleigh_support:Scaler.scale", [1.5, 2]) == [4.5, 6]
    # A standard library function, by name, needs nothing loaded.
    assert sleigh.eachElem("math:hypot", [[3, 5], [4, 12]]) == [5.0, 13.0]


def test_non_blocking_with_an_accumulator(sleigh):
    seen = []
    pending = sleigh.eachElem("sleigh_support:square", range(30), blocking=False, accumulator=seen.extend,
                              chunkSize=4)
    assert isinstance(pending, SleighPending)
    assert pending.wait() is None
    assert sorted(seen) == [(i, i * i) for i in range(30)]
    assert pending.check() == 0
    assert pending.chunks is None  # results by name come per element


def test_non_blocking_check_counts_what_has_not_arrived(sleigh):
    pending = sleigh.eachElem("sleigh_support:gated", range(4), blocking=False)
    user = sleigh.userNws
    sup.wait_until(lambda: len(list(user.ifindTry("started"))) >= WORKERS, 30, "a task on every worker")
    assert pending.check() == 4  # every task is waiting for "go"
    user.store("go", True)
    assert pending.wait() == [0, 10, 20, 30]
    user.deleteVar("go")
    user.deleteVar("started")


def test_load_factor_bounds_what_is_outstanding(sleigh):
    seen = []
    assert sleigh.eachElem("sleigh_support:square", range(40), loadFactor=1, chunkSize=2,
                           accumulator=seen.extend) is None
    assert sorted(seen) == [(i, i * i) for i in range(40)]


def test_imap_and_starmap_by_name_keep_order(sleigh):
    assert list(sleigh.imap("sleigh_support:square", range(50))) == [x * x for x in range(50)]
    assert list(sleigh.imap("sleigh_support:add", range(5), range(10, 15))) == [10, 12, 14, 16, 18]
    assert list(sleigh.starmap("sleigh_support:add", [(1, 2), (3, 4)])) == [3, 7]


def test_imap_by_name_over_an_endless_stream_is_lazy(sleigh):
    import itertools

    stream = sleigh.imap("sleigh_support:square", itertools.count(), chunkSize=2, loadFactor=1)
    assert list(itertools.islice(stream, 7)) == [x * x for x in range(7)]
    stream.close()


# ---- eachWorker by name --------------------------------------------------------------

def test_each_worker_by_name_runs_once_on_every_worker_in_rank_order(sleigh):
    assert sleigh.eachWorker("sleigh_support:on_rank") == [[0, WORKERS], [1, WORKERS]]
    assert sleigh.eachWorker("sleigh_support:add", 2, 3) == [5, 5]
    pending = sleigh.eachWorker("sleigh_support:add", "a", "b", blocking=False)
    assert pending.wait() == ["ab", "ab"]


# ---- errors ----------------------------------------------------------------------------

def test_an_element_that_raises_is_that_elements_error_and_the_others_run(sleigh):
    got = sleigh.eachElem("sleigh_support:fails_on_multiples_of", range(10), [3], argPermute=[1, 0], chunkSize=4)
    for x, value in enumerate(got):
        if x % 3 == 0:
            assert isinstance(value, SleighTaskError)
            assert str(value) == "task %d: ValueError: no multiples of 3, please: %d" % (x, x)
            assert value.index == x and value.rank in range(WORKERS)
            assert value.exception is None  # another language's master could not rebuild it either
            assert "in fails_on_multiples_of" in value.traceback  # the worker's frame
        else:
            assert value == x
    # Worker-side errors are logged where the Sleigh Monitor shows them.
    log = NetWorkSpace(sleigh.wsName, serverHost=sleigh.options["nwsHost"], serverPort=sleigh.options["nwsPort"],
                       useUse=True)
    assert any("ValueError: no multiples of 3" in line for line in log.ifindTry("logError"))
    log.close()


def test_a_result_without_a_portable_form_is_that_elements_error(sleigh):
    [value] = sleigh.eachElem("sleigh_support:a_set", [1])
    assert isinstance(value, SleighTaskError)
    assert "the result of sleigh_support:a_set (a set) has no portable form" in str(value)


def test_a_function_the_workers_cannot_find_is_every_elements_error(sleigh):
    got = sleigh.eachElem("no_such_module_here:f", range(3))
    assert all(isinstance(v, SleighTaskError) for v in got)
    assert all("cannot find no_such_module_here:f: ModuleNotFoundError" in str(v) for v in got)
    [missing] = sleigh.eachElem("sleigh_support:no_such_function", [1])
    assert "AttributeError" in str(missing)


def test_arguments_without_a_portable_form_fail_on_the_master(sleigh):
    with pytest.raises(Exception, match="set has no portable form"):
        sleigh.eachElem("sleigh_support:square", [[{1, 2}]])  # one element: a set
    # The sleigh goes on.
    assert sleigh.eachElem("sleigh_support:square", [3]) == [9]


def test_a_name_not_of_the_languages_form_is_refused_naming_the_form(sleigh):
    with pytest.raises(ValueError, match="'square' is not a python function name: write it as module:function"):
        sleigh.eachElem("square", [1])
    with pytest.raises(ValueError, match="module:function"):
        sleigh.eachWorker("sleigh_support.square")
    with pytest.raises(TypeError, match="a sleigh runs a callable or a function's name"):
        sleigh.eachElem(42, [1])


def test_another_languages_function_is_refused_by_python_workers(sleigh):
    # Below the Sleigh API, which always names the workers' own language:
    # the core's worker refuses a chunk for another language's function.
    job = _core.SleighMapJob.each_elem(sleigh._master, _core.sleigh_named_function("r", "fit_model"), total=1)
    job.add(_core.portable_encode([1]))
    job.close()
    index, ok, value, error, rank = job.next(30)
    assert (index, ok, value) == (0, False, None)
    assert "a r function (fit_model) was sent to a python worker" in error
    assert job.next(30) is None


# ---- loading what named functions need ------------------------------------------------

def test_load_imports_modules_and_files_before_the_first_task(server, tmp_path):
    (tmp_path / "loaded_helpers.py").write_text("def triple(x):\n    return 3 * x\n")
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=1, modulePath=HERE,
                load=[str(tmp_path / "loaded_helpers.py"), "json"]) as s:
        assert s.eachElem("loaded_helpers:triple", [1, 2]) == [3, 6]
        assert s.eachElem("json:dumps", [[[1, 2]]]) == ["[1, 2]"]


def test_a_load_that_fails_is_every_named_tasks_error(server):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=1, modulePath=HERE,
                load="no_such_module_to_load") as s:
        [value] = s.eachElem("sleigh_support:square", [2])
        assert isinstance(value, SleighTaskError)
        assert "loading no_such_module_to_load failed: ModuleNotFoundError" in str(value)
        # Pickled functions do not depend on the load list.
        assert s.eachElem(sup.square, [2]) == [4]


def test_load_entries_are_checked(server):
    with pytest.raises(ValueError, match="no ':'"):
        Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=1, load=["a:b"])


# ---- faults and lifecycle --------------------------------------------------------------

def test_sigkill_of_a_worker_during_a_named_job_every_result_exactly_once(server):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=3, modulePath=HERE) as s:
        assert s.status(True, 30) == (3, True)
        pids = {i["rank"]: i["pid"] for i in s.workerInfo()}
        user = s.userNws
        calls = collections.Counter()
        values = {}

        def accumulate(pairs):
            calls.update(i for i, _ in pairs)
            values.update(pairs)

        pending = s.eachElem("sleigh_support:gated", range(30), chunkSize=2, accumulator=accumulate, blocking=False)
        started = lambda: list(user.ifindTry("started"))  # noqa: E731
        sup.wait_until(lambda: sup.rank_of_started(started()) == {0, 1, 2}, 30, "a task on every worker")
        victim = 1
        on_victim = [x for rank, x, pid in started() if rank == victim]
        os.kill(pids[victim], signal.SIGKILL)
        sup.wait_until(lambda: s._master.workers_alive == 2, 10, "the master to see the death")
        user.store("go", True)
        assert pending.wait() is None
        assert calls == collections.Counter(range(30))  # every result exactly once
        assert values == {x: x * 10 for x in range(30)}
        # The killed worker's elements ran again elsewhere.
        assert {x for rank, x, pid in started() if x in on_victim and rank != victim} == set(on_victim)
        assert [r[0] for r in s.eachWorker("sleigh_support:on_rank")] == [0, 2]
        sup.reap([pids[victim]])


def test_stop_after_a_named_job_leaves_no_process(server):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=2, modulePath=HERE) as s:
        s.status(True, 30)
        pids = [i["pid"] for i in s.workerInfo()]
        ws = s.wsName
        assert s.eachElem("sleigh_support:square", [2, 3]) == [4, 9]
    assert not any(sup.in_process_table(p) for p in pids)
    assert sup.processes_of(ws) == set()


# ---- the worker's language -----------------------------------------------------------

def test_a_python_worker_refuses_a_launch_for_another_language(server):
    env = dict(os.environ)
    env.update(_core.sleigh_worker_environment("PythonSleigh", "sleigh_ride_never", server.host, server.port, "",
                                               os.getcwd(), HERE, "r", []))
    out = subprocess.run([sys.executable, "-m", "nws.sleigh.worker"], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "this is a python worker, but the sleigh sleigh_ride_never launched it for r tasks" in out.stderr


FAKE_WORKER = """#!/bin/sh
# Stands in for another language's interpreter: records how it was started.
{{ printf '%s\\n' "$@"; echo ---; env; }} > "{out}/worker.$$"
"""


def test_another_languages_workers_get_its_program_and_environment(server, tmp_path, monkeypatch):
    fake = tmp_path / "Rscript"
    fake.write_text(FAKE_WORKER.format(out=tmp_path))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("NWS_SLEIGH_RSCRIPT", str(fake))
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=2, language="R",
                load=["/srv/models/fit.R", "stats"]) as s:
        assert s.language == "r"
        sup.wait_until(lambda: len(list(tmp_path.glob("worker.*"))) == 2, 30, "two workers to start")
        ws = s.wsName
        # A Python callable means nothing to R workers; a name in R's form does.
        with pytest.raises(TypeError, match=r"workers are r processes: pass the function's name in r's form "
                                            r"\(function or package::function\)"):
            s.eachElem(len, [1])
        with pytest.raises(ValueError, match="write it as function or package::function"):
            s.eachElem("stats:median", [1])
        with pytest.raises(TypeError, match="executor"):
            s.executor()
    for record in tmp_path.glob("worker.*"):
        args, _, env = record.read_text().partition("---\n")
        assert args.split("\n")[:4] == ["--no-save", "--no-restore", "-e",
                                        "library(nws); quit(save = 'no', status = cmdLaunch())"]
        lines = set(env.split("\n"))
        assert {"RSleighNwsName=" + ws, "RSleighLanguage=r", "RSleighLoad=/srv/models/fit.R:stats"} <= lines
        assert not any(line.startswith("PythonSleighNwsName=") for line in lines)


def test_the_manual_command_for_another_languages_workers():
    cmd = _foreign_manual_command("ruby", ["stats.rb"])
    assert cmd.startswith("env RubySleighNwsName=")
    assert "RubySleighLanguage=ruby" in cmd and "RubySleighLoad=stats.rb" in cmd
    assert cmd.endswith("-rnws/sleigh/worker -e NWS::Sleigh::Worker.main")


def test_unknown_languages_are_refused(server):
    with pytest.raises(ValueError, match="unknown worker language 'cobol'"):
        Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=1, language="cobol")
