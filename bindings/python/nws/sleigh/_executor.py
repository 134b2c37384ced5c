"""Sleigh.executor(): a concurrent.futures.Executor on a sleigh, so code
written for ProcessPoolExecutor runs on one."""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import threading
from typing import Any, Callable, Dict, Optional

from . import _tasks
from ._sleigh import Sleigh, _values_of
from ._tasks import SleighTaskError


class _RemoteTraceback(Exception):
    """The worker's traceback, as the __cause__ of the exception a future raises."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.tb = text

    def __str__(self) -> str:
        return '\n"""\n%s"""' % self.tb


class SleighExecutor(cf.Executor):
    """Each ``submit`` is one task of one long-running job (the function and
    its arguments travel together, pickled with cloudpickle when needed);
    one thread sets the futures as results arrive.  ``shutdown`` does not
    stop the sleigh.  A task that raised sets its future's exception to the
    worker's exception (its traceback as ``__cause__``), or to a
    SleighTaskError when that exception could not be pickled."""

    def __init__(self, sleigh: Sleigh) -> None:
        self._sleigh = sleigh
        self._job = sleigh._m().each_elem(_tasks.dumps_function(_tasks.kwcall))
        self._futures: Dict[int, cf.Future] = {}
        self._lock = threading.Lock()
        self._next = itertools.count()
        self._shutdown = False
        self._thread = threading.Thread(target=self._collect, name="nws-sleigh-executor", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> cf.Future:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            index = next(self._next)
            future: cf.Future = cf.Future()
            future.set_running_or_notify_cancel()  # it goes to a worker at once: not cancellable
            self._futures[index] = future
            try:
                self._job.add_chunk(index, 1, _tasks.dumps([(fn, args, kwargs)]))
            except BaseException:
                del self._futures[index]
                raise
        return future

    def _collect(self) -> None:
        while True:
            try:
                chunk = self._job.next("arrival")
            except BaseException as exc:  # noqa: BLE001 - the sleigh failed: every open future learns it
                with self._lock:
                    futures, self._futures = list(self._futures.values()), {}
                for f in futures:
                    f.set_exception(exc)
                return
            if chunk is None:
                return
            first = chunk[0]
            for i, value in enumerate(_values_of(chunk)):
                with self._lock:
                    future = self._futures.pop(first + i, None)
                if future is None:
                    continue
                if isinstance(value, SleighTaskError):
                    exc: BaseException = value
                    if value.exception is not None:
                        exc = value.exception
                        exc.__cause__ = _RemoteTraceback(value.traceback)
                    future.set_exception(exc)
                else:
                    future.set_result(value)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            if self._shutdown:
                already = True
            else:
                already = False
                self._shutdown = True
        if not already:
            self._job.close()
        if wait:
            self._thread.join()

    def map(self, fn: Callable, *iterables: Any, timeout: Optional[float] = None, chunksize: int = 1) -> Any:
        """As Executor.map; chunksize > 1 sends that many calls per task."""
        if chunksize <= 1:
            return super().map(fn, *iterables, timeout=timeout)
        if timeout is not None:
            raise ValueError("SleighExecutor.map: timeout needs chunksize=1")
        return _raising(self._sleigh.imap(fn, *iterables, chunkSize=chunksize))


def _raising(values: Any) -> Any:
    for v in values:
        if isinstance(v, SleighTaskError):
            raise v.exception if v.exception is not None else v
        yield v
