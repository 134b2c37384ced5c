"""timeout= on every blocking call: raises NwsTimeoutException (a
TimeoutError) in about that time, withdraws the request, keeps the
connection usable."""

from __future__ import annotations

import time

import pytest
from conftest import var_counts

from nws.client import NwsTimeoutException


def timed(fn, *args, **kw):
    start = time.monotonic()
    with pytest.raises(NwsTimeoutException) as info:
        fn(*args, **kw)
    return time.monotonic() - start, info.value


@pytest.mark.parametrize("how", ["fetch", "find"])
def test_blocking_retrieval_times_out(ws, how):
    elapsed, exc = timed(getattr(ws, how), "empty", timeout=0.3)
    assert 0.3 <= elapsed < 3.0
    assert isinstance(exc, TimeoutError)
    assert "timed out" in str(exc)


def test_a_timed_out_fetch_leaves_no_waiter_behind(ws, observer):
    timed(ws.fetch, "x", timeout=0.1)
    assert var_counts(observer, "x") == (0, 0, 0)
    # A value stored now is kept for the next fetcher, not swallowed.
    observer.store("x", "later")
    assert var_counts(observer, "x") == (1, 0, 0)
    assert ws.fetch("x", timeout=5) == "later"


def test_timeout_zero_returns_a_present_value_or_times_out_at_once(ws):
    ws.store("x", 1)
    assert ws.fetch("x", timeout=0) == 1
    elapsed, _ = timed(ws.fetch, "x", timeout=0)
    assert elapsed < 1.0


def test_a_value_arriving_in_time_is_returned(ws, observer):
    observer.store("x", "ready")
    assert ws.find("x", timeout=10) == "ready"
    assert ws.fetch("x", timeout=10.0) == "ready"


@pytest.mark.parametrize("how", ["ifetch", "ifind"])
def test_blocking_iterators_time_out_per_step_and_can_go_on(ws, observer, how):
    ws.store("x", 1)
    it = getattr(ws, how)("x", timeout=0.2)
    assert next(it) == 1
    elapsed, _ = timed(next, it)
    assert elapsed >= 0.2
    observer.store("x", 2)
    assert next(it) == 2  # the timeout did not end the iteration


def test_invalid_timeouts_are_refused(ws):
    with pytest.raises(ValueError):
        ws.fetch("x", timeout=-1)
    with pytest.raises(ValueError):
        ws.find("x", timeout=float("nan"))
    with pytest.raises(TypeError):
        ws.fetch("x", timeout="1")


def test_infinite_timeout_means_wait(ws, observer):
    observer.store("x", 5)
    assert ws.fetch("x", timeout=float("inf")) == 5
