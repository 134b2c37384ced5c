"""/metrics in the Prometheus text format, parsed by Prometheus's own
Python client, against real work."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from conftest import wait_until


def scrape(server):
    text = server.get_text("/metrics")
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def sample(samples, name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]


def test_metrics_parse_and_count_requests_by_verb(server, connect):
    ws = connect()
    before = scrape(server)
    for i in range(50):
        ws.store("m", i)
    for i in range(20):
        ws.fetch("m")
    after = scrape(server)
    assert sample(after, "nws_requests_total", verb="store") - sample(before, "nws_requests_total", verb="store") == 50
    assert sample(after, "nws_requests_total", verb="fetch") - sample(before, "nws_requests_total", verb="fetch") == 20


def test_the_latency_histogram_is_consistent(server, connect):
    ws = connect()
    for i in range(10):
        ws.store("h", i)
    s = scrape(server)
    count = sample(s, "nws_request_duration_seconds_count")
    assert count == sum(v for (n, _), v in s.items() if n == "nws_requests_total")
    buckets = sorted(((float(dict(l)["le"]), v) for (n, l), v in s.items() if n == "nws_request_duration_seconds_bucket"))
    assert buckets[-1] == (float("inf"), count)
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:]))  # cumulative
    assert sample(s, "nws_request_duration_seconds_sum") > 0


def test_values_bytes_and_spool_are_held_amounts(server, connect):
    ws = connect()
    before = scrape(server)
    ws.store("g", "a" * 1000)
    ws.store("g", "b" * (2 << 20))  # spooled: past the 1 MiB threshold
    mid = scrape(server)
    assert sample(mid, "nws_values") - sample(before, "nws_values") == 2
    assert sample(mid, "nws_value_bytes") - sample(before, "nws_value_bytes") >= 1000 + (2 << 20)
    assert sample(mid, "nws_spooled_bytes") - sample(before, "nws_spooled_bytes") >= 2 << 20
    ws.fetch("g")
    ws.fetch("g")
    after = scrape(server)
    assert sample(after, "nws_values") == sample(before, "nws_values")
    assert sample(after, "nws_spooled_bytes") == sample(before, "nws_spooled_bytes")


def test_blocked_requests_and_connections_are_gauges(server, connect, blocked):
    ws = connect()
    base = scrape(server)
    b = blocked(ws.currentWs(), "gauge")
    s = wait_until(lambda: (x := scrape(server)) and
                   sample(x, "nws_blocked_requests", kind="fetch") == sample(base, "nws_blocked_requests", kind="fetch") + 1
                   and x, what="the fetch to count as blocked")
    assert sample(s, "nws_connections") == sample(base, "nws_connections") + 1
    assert sample(s, "nws_connections_accepted_total") >= sample(base, "nws_connections_accepted_total") + 1
    ws.store("gauge", 1)
    b.finish()
    end = scrape(server)
    assert sample(end, "nws_blocked_requests", kind="fetch") == sample(base, "nws_blocked_requests", kind="fetch")
