"""The Sleigh Monitor (/api/sleigh and op=showMonitor) following a real
Python sleigh with real worker processes: workers, tasks done per worker,
total tasks, the errors its tasks logged."""

from __future__ import annotations

import os
import urllib.parse

import pytest

from nws.sleigh import Sleigh, SleighTaskError

from conftest import wait_until

import web_tasks

HERE = os.path.dirname(os.path.abspath(__file__))


def q(s):
    return urllib.parse.quote(s, safe="")


@pytest.fixture
def sleigh(server):
    s = Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=2, modulePath=HERE)
    yield s
    s.stop()


def test_the_monitor_follows_a_sleigh(server, sleigh):
    offered = [w["name"] for w in server.get_json("/api/workspaces?limit=1000")["workspaces"] if w["sleigh"]]
    assert sleigh.wsName in offered
    results = sleigh.eachElem(web_tasks.square, list(range(20)))
    assert results == [x * x for x in range(20)]
    # A worker counts a task done just after sending its result: the
    # monitor may trail the master by a moment.
    doc = wait_until(lambda: (d := server.get_json("/api/sleigh?ws=" + q(sleigh.wsName)))["tasks_done"] == 20 and d,
                     what="20 tasks counted done")
    assert doc["total_tasks"] == 20
    assert len(doc["workers"]) == 2 and doc["worker_count"] == 2
    assert sum(w["tasks_done"] for w in doc["workers"]) == 20
    # Nothing left in any inbox (a worker that never got to wait on its
    # inbox has none: null).
    assert all("@" in w["name"] and w["chunks_queued"] in (0, None) for w in doc["workers"])
    assert doc["errors_total"] == 0 and doc["errors"] == []

    page = server.get_text("/doit?op=showMonitor&monName=Sleigh%20Monitor&wsName=" + q(sleigh.wsName))
    assert '<span id="tasks-done">20</span>' in page and '<span id="total-tasks">20</span>' in page
    assert "Sleigh Monitor</a>" in server.get_text("/doit?op=listWss")


def test_the_monitor_shows_the_errors_tasks_logged(server, sleigh):
    results = sleigh.eachElem(web_tasks.fail_on_three, list(range(6)))
    assert isinstance(results[3], SleighTaskError)
    assert [r for i, r in enumerate(results) if i != 3] == [0, 1, 2, 4, 5]
    doc = wait_until(lambda: (d := server.get_json("/api/sleigh?ws=" + q(sleigh.wsName)))["tasks_done"] == 6 and d,
                     what="6 tasks counted done")
    assert doc["errors_total"] == 1
    assert "three is not allowed" in doc["errors"][0]["text"]
    page = server.get_text("/doit?op=showMonitor&wsName=" + q(sleigh.wsName))
    assert "three is not allowed" in page and '<span id="errors-total">1</span>' in page


def test_the_monitor_refuses_a_workspace_that_is_no_sleighs(server, connect):
    ws = connect()
    ws.store("nodeList", "a@0")
    status, _, body = server.request("GET", "/doit?op=showMonitor&wsName=" + q(ws.currentWs()))
    assert status == 404 and b"is not a sleigh" in body
