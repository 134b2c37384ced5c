"""The HTML pages over plain HTTP: the original's URLs and op= names, what
they show, escaping of everything a user stored, deletion only behind a
confirmation and a POST."""

from __future__ import annotations

import urllib.parse

from conftest import unique, wait_until

EVIL = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


def q(s):
    return urllib.parse.quote(s, safe="")


def test_the_original_urls_answer(server, connect):
    ws = connect()
    ws.store("answer", "42")
    name = ws.currentWs()
    for path in ("/", "/doit", "/doit?op=listWss", "/?op=noSuchOp"):
        page = server.get_text(path)
        assert "<h1>Workspaces</h1>" in page and name in page, path
    assert "answer" in server.get_text("/doit?op=listVars&wsName=%s" % q(name))
    assert "<pre class=\"text\">42</pre>" in server.get_text("/doit?op=showVar&wsName=%s&varName=answer" % q(name))
    assert "<h1>Connections</h1>" in server.get_text("/doit?op=listClients")
    assert str(server.port) in server.get_text("/doit?op=showServerInfo")


def test_pages_are_not_cached_and_not_framed(server):
    status, headers, _ = server.request("GET", "/doit?op=listWss")
    assert status == 200
    assert headers["cache-control"] == "no-cache"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in headers["content-security-policy"]


def test_names_and_values_holding_markup_are_escaped(server, connect):
    name = unique() + EVIL
    ws = connect(name)
    ws.store(EVIL, EVIL)
    pages = [server.get_text("/doit?op=listWss&after=" + q(name[:-1])),
             server.get_text("/doit?op=listVars&wsName=" + q(name)),
             server.get_text("/doit?op=showVar&wsName=%s&varName=%s" % (q(name), q(EVIL)))]
    for page in pages:
        assert "<script>document.title" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page


def test_a_missing_workspace_or_variable_is_a_404_page(server):
    assert "No workspace named" in server.get_text("/doit?op=listVars&wsName=nothing_here", expect=404)
    assert "No workspace named" in server.get_text("/doit?op=showVar&wsName=nothing&varName=x", expect=404)


def test_a_link_to_delete_asks_first_and_deletes_nothing(server, connect):
    ws = connect()
    ws.store("precious", 1)
    name = ws.currentWs()
    for op in ("deleteVar", "confirmDeleteVar"):
        page = server.get_text("/doit?op=%s&wsName=%s&varName=precious" % (op, q(name)))
        assert "<h1>Delete?</h1>" in page and 'method="post"' in page
    page = server.get_text("/doit?op=deleteWs&wsName=%s" % q(name))
    assert "<h1>Delete?</h1>" in page
    assert ws.fetch("precious") == 1


def test_the_confirmed_post_deletes_and_goes_back_to_the_listing(server, connect):
    ws = connect()
    ws.store("gone", 1)
    ws.store("stays", 2)
    name = ws.currentWs()
    status, headers, _ = server.request("POST", "/doit?op=deleteVar&wsName=%s&varName=gone" % q(name),
                                        headers={"Origin": server.base_url})
    assert status == 303
    assert headers["location"] == "/doit?op=listVars&wsName=%s" % q(name)
    assert ws.fetchTry("gone") is None and ws.fetch("stays") == 2
    # A form's fields in the body count as in the query (the original's POSTs).
    other = unique()
    connect(other).store("x", 1)
    status, headers, _ = server.request("POST", "/doit", body="op=deleteWs&wsName=%s" % q(other),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303 and headers["location"] == "/doit?op=listWss"
    assert other not in server.get_text("/doit?op=listWss&after=" + q(other[:-1]))


def test_the_partial_page_is_the_content_alone(server, connect):
    ws = connect()
    ws.store("p", 1)
    part = server.get_text("/doit?op=listVars&wsName=%s&partial=1" % q(ws.currentWs()))
    assert part.startswith("<h1>") and "<html" not in part and "<script>" not in part


def test_a_blocked_fetcher_shows_on_the_variables_page(server, connect, blocked):
    ws = connect()
    name = ws.currentWs()
    b = blocked(name, "waiting_for_godot")
    page = wait_until(lambda: (t := server.get_text("/doit?op=listVars&wsName=%s" % q(name)))
                      and 'class="waiting"' in t and t, what="the page to show the fetcher")
    assert "waiting_for_godot" in page and "<ul class=\"waiters\"><li>#" in page
    ws.store("waiting_for_godot", "here")
    b.finish()
    assert b.result == "here"
