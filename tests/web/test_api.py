"""The JSON API (/api/...) against a real server with real clients at work:
workspaces, variables and their waiters, values (text, other languages,
large, spooled, paged), connections, deletions, errors."""

from __future__ import annotations

from conftest import unique, wait_until


def workspace_row(server, name):
    doc = server.get_json("/api/workspaces?limit=1000")
    rows = [w for w in doc["workspaces"] if w["name"] == name]
    return rows[0] if rows else None


def variable_row(server, ws, var):
    doc = server.get_json("/api/variables?ws=%s" % ws)
    rows = [v for v in doc["variables"] if v["name"] == var]
    return rows[0] if rows else None


def test_server_document_describes_this_server(server, connect):
    doc = server.get_json("/api/server")
    assert doc["nws_port"] == server.port
    assert doc["web_port"] == server.web_port
    assert doc["spool_threshold"] == 1 << 20
    ws = connect()
    ws.store("x", "hello")
    after = server.get_json("/api/server")
    assert after["values"] >= 1 and after["value_bytes"] >= 5
    assert after["connections"] >= 1


def test_workspaces_show_owner_persistence_variables_and_clients(server, connect):
    name = unique()
    owner = connect(name, persistent=True)
    owner.store("a", 1)
    owner.store("b", 2)
    user = connect(name, useUse=True)
    user.store("c", 3)
    row = workspace_row(server, name)
    assert row is not None
    assert row["persistent"] is True
    assert row["variables"] == 3
    assert row["clients"] == 2
    assert row["owner"].startswith("127.0.0.1:")
    assert row["sleigh"] is False
    user.close()
    wait_until(lambda: workspace_row(server, name)["clients"] == 1, what="the user's connection to be gone")
    owner.server.deleteWs(name)
    assert workspace_row(server, name) is None


def test_workspaces_are_paged_in_name_order(server, connect):
    prefix = unique("page")
    names = ["%s_%03d" % (prefix, i) for i in range(25)]
    keep = [connect(n) for n in names]
    first = server.get_json("/api/workspaces?after=%s&limit=10" % prefix)
    assert [w["name"] for w in first["workspaces"]] == names[:10]
    assert first["next"] == names[9]
    second = server.get_json("/api/workspaces?after=%s&limit=10" % first["next"])
    assert [w["name"] for w in second["workspaces"]] == names[10:20]
    assert len(keep) == 25


def test_a_blocked_fetcher_and_finder_are_shown_on_their_variable_and_connection(server, connect, blocked):
    ws = connect()
    name = ws.currentWs()
    fetcher = blocked(name, "job", "fetch")
    finder = blocked(name, "flag", "find")
    row = wait_until(lambda: (r := variable_row(server, name, "job")) and r["fetchers"] and r,
                     what="the fetcher to show")
    assert len(row["fetchers"]) == 1 and row["finders"] == []
    who = row["fetchers"][0]
    assert who["peer"].startswith("127.0.0.1:") and who["blocked_seconds"] >= 0
    flag = wait_until(lambda: (r := variable_row(server, name, "flag")) and r["finders"] and r,
                      what="the finder to show")
    assert len(flag["finders"]) == 1

    conns = server.get_json("/api/connections?limit=1000")["connections"]
    mine = [c for c in conns if c["id"] == who["connection"]]
    assert len(mine) == 1
    assert mine[0]["blocked"]["workspace"] == name
    assert mine[0]["blocked"]["variable"] == "job"
    assert mine[0]["blocked"]["kind"] == "fetch"
    assert mine[0]["requests"] >= 2  # its use ws, its fetch

    metrics = server.get_text("/metrics")
    assert 'nws_blocked_requests{kind="fetch"}' in metrics

    ws.store("job", "work")
    ws.store("flag", "up")
    fetcher.finish()
    finder.finish()
    assert fetcher.result == "work" and finder.result == "up"
    assert variable_row(server, name, "job")["fetchers"] == []
    after = [c for c in server.get_json("/api/connections?limit=1000")["connections"] if c["id"] == who["connection"]]
    assert after == []


def test_values_are_described_text_shown_others_not(server, connect):
    ws = connect()
    ws.declare("v", "fifo")
    ws.store("v", "plain <b>text</b>")
    ws.store("v", {"a": [1, 2, 3]})
    ws.store("v", b"\x00\x01binary")
    doc = server.get_json("/api/values?ws=%s&var=v" % ws.currentWs())
    assert doc["mode"] == "fifo" and doc["total"] == 3 and doc["next_fetched"] == "oldest"
    text, native, raw = doc["values"]
    assert text["kind"] == "text" and text["text"] == "plain <b>text</b>" and text["truncated"] is False
    assert native["kind"] == "serialized" and native["language"] == "Python"
    assert native["size"] > len("abc")  # a pickle of the dict, whatever its protocol
    assert "text" not in native
    assert raw["kind"] in ("binary", "serialized") and "text" not in raw
    assert [v["position"] for v in doc["values"]] == [0, 1, 2]


def test_portable_values_are_described_by_type(server, connect):
    ws = connect()
    ws.store("p", {"a": 1, "b": [1, 2]}, portable=True)
    ws.store("p", [1.5, None], portable=True)
    ws._native.store(b"p", ws._native.retrieve("findTry", b"p")[0], b"\xc1NP\x01\x93")  # a list of 3 that ends early
    doc = server.get_json("/api/values?ws=%s&var=p" % ws.currentWs())
    first, second, broken = doc["values"]
    assert first["kind"] == "portable" and first["portable"] == "map of 2" and first["language"] == "Python"
    assert second["portable"] == "list of 2"
    assert broken["kind"] == "portable" and broken["portable"].startswith("not a valid portable value")
    page = server.get_text("/doit?op=showVar&wsName=%s&varName=p" % ws.currentWs())
    assert "map of 2, a portable value written by Python" in page


def test_a_large_value_is_previewed_not_loaded_and_a_spooled_one_says_so(server, connect):
    ws = connect()
    big = "x" * 100_000
    huge = "y" * (2 << 20)  # past the server's 1 MiB spool threshold
    ws.store("big", big)
    ws.store("huge", huge)
    b = server.get_json("/api/values?ws=%s&var=big" % ws.currentWs())["values"][0]
    assert b["size"] == 100_000 and b["truncated"] is True and len(b["text"]) == 4096
    h = server.get_json("/api/values?ws=%s&var=huge" % ws.currentWs())["values"][0]
    assert h["spooled"] is True and h["size"] == 2 << 20 and len(h["text"]) == 4096
    assert ws.fetch("huge") == huge  # looking took nothing


def test_values_are_paged(server, connect):
    ws = connect()
    ws.declare("many", "fifo")
    for i in range(250):
        ws.store("many", str(i))
    page = server.get_json("/api/values?ws=%s&var=many&offset=200&limit=100" % ws.currentWs())
    assert [v["text"] for v in page["values"]] == [str(i) for i in range(200, 250)]
    assert page["next_offset"] is None and page["total"] == 250
    first = server.get_json("/api/values?ws=%s&var=many&limit=100" % ws.currentWs())
    assert first["next_offset"] == 100 and len(first["values"]) == 100
    ws.fetch("many")
    shifted = server.get_json("/api/values?ws=%s&var=many&limit=1" % ws.currentWs())
    assert shifted["values"][0]["text"] == "1"


def test_text_that_is_not_utf8_is_replaced_not_refused(server, connect):
    ws = connect()
    ws.store("odd", "caf\u00e9 \u2603")
    doc = server.get_json("/api/values?ws=%s&var=odd" % ws.currentWs())
    assert doc["values"][0]["text"] == "caf\u00e9 \u2603"


def test_deleting_a_variable_releases_its_blocked_fetcher_with_an_error(server, connect, blocked):
    ws = connect()
    name = ws.currentWs()
    ws.store("keep", 1)
    b = blocked(name, "doomed")
    wait_until(lambda: (r := variable_row(server, name, "doomed")) and r["fetchers"], what="the fetcher")
    status, _, body = server.request("DELETE", "/api/variables?ws=%s&var=doomed" % name)
    assert status == 200, body
    b.finish()
    assert b.error is not None and b.result is None
    assert variable_row(server, name, "doomed") is None
    assert ws.fetch("keep") == 1  # the rest untouched
    status, _, _ = server.request("DELETE", "/api/variables?ws=%s&var=doomed" % name)
    assert status == 404


def test_a_cross_origin_deletion_is_refused_and_deletes_nothing(server, connect):
    ws = connect()
    ws.store("safe", 1)
    status, _, body = server.request("DELETE", "/api/variables?ws=%s&var=safe" % ws.currentWs(),
                                     headers={"Origin": "http://evil.example"})
    assert status == 403, body
    status, _, _ = server.request("POST", "/doit?op=deleteVar&wsName=%s&varName=safe" % ws.currentWs(),
                                  headers={"Origin": "http://evil.example"})
    assert status == 403
    assert ws.fetch("safe") == 1


def test_deleting_a_workspace(server, connect):
    name = unique()
    ws = connect(name)
    ws.store("x", 1)
    status, _, _ = server.request("DELETE", "/api/workspaces?ws=%s" % name)
    assert status == 200
    assert workspace_row(server, name) is None


def test_api_errors_are_clear(server):
    assert "error" in server.get_json("/api/variables?ws=no_such_ws", expect=404)
    assert "No workspace" in server.get_json("/api/values?ws=no_such_ws&var=x", expect=404)["error"]
    assert "Say which" in server.get_json("/api/values", expect=400)["error"]
    assert "/api/server" in server.get_json("/api/nothing_here", expect=404)["error"]
    status, _, body = server.request("POST", "/api/server")
    assert status == 405 and b"not allowed" in body
    assert server.get_json("/api/sleigh?ws=__default", expect=404)["error"].endswith("workerCount.")
