"""What travels inside the core's envelopes, Python's side of it.

* A job's function: ``cloudpickle.dumps((fun, fixedArgs, argPermute))``
  (cloudpickle, so lambdas, closures and functions of ``__main__`` travel
  by value), stored once per sleigh by the core.
* A chunk: the pickled list of its elements' argument tuples (cloudpickle,
  protocol 5: as fast as pickle for plain data, and an argument defined in
  ``__main__`` -- a function handed to an executor -- travels by value,
  where plain pickle would name a ``__main__`` the worker does not have).
* A chunk's outcome: the pickled list of its values, one per element, a
  :class:`SleighTaskError` in the place of each element that raised.
"""

from __future__ import annotations

import pickle
import traceback
from typing import Any, Callable, List, Optional, Sequence, Tuple

import cloudpickle

PROTOCOL = 5


def dumps(obj: Any) -> bytes:
    return cloudpickle.dumps(obj, PROTOCOL)


def dump_to(obj: Any, path: str) -> None:
    """Pickles straight into a file: large bytes-like objects go to the
    file without a copy into the pickle."""
    with open(path, "wb") as f:
        cloudpickle.dump(obj, f, PROTOCOL)


def dumps_function(fun: Callable, fixed: Sequence = (), permute: Optional[Sequence[int]] = None) -> bytes:
    if not callable(fun):
        raise TypeError("a sleigh runs a callable, not %s" % type(fun).__name__)
    return cloudpickle.dumps((fun, tuple(fixed), None if permute is None else tuple(permute)), PROTOCOL)


def arguments(element: Tuple, fixed: Sequence = (), permute: Optional[Sequence[int]] = None) -> Tuple:
    """A task's arguments: its element's, then the job's fixed ones, in
    argPermute's order when given (eachElem's rule, for pickled functions
    on the worker and named ones on the master)."""
    full = tuple(element) + tuple(fixed)
    if permute is not None:
        full = tuple(full[i] for i in permute)
    return full


class SleighTaskError(Exception):
    """A task raised on a worker: in the results in that task's place (the
    job goes on).  ``exception`` is the worker's exception (None if it could
    not be pickled, and for a function run by name, whose worker sends
    text), ``traceback`` the worker's traceback text (by name: its
    ``Type: message`` line first), ``index`` the element's position in the
    job, ``rank`` the worker's rank."""

    def __init__(self, message: str, exception: Optional[BaseException] = None, traceback: str = "",
                 index: int = -1, rank: int = -1) -> None:
        super().__init__(message)
        self.exception = exception
        self.traceback = traceback
        self.index = index
        self.rank = rank

    def __reduce__(self):
        return (SleighTaskError, (self.args[0], self.exception, self.traceback, self.index, self.rank))

    def __str__(self) -> str:
        return self.args[0]

    @classmethod
    def capture(cls, exc: BaseException, index: int, rank: int) -> "SleighTaskError":
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        carried: Optional[BaseException] = exc
        try:
            pickle.loads(pickle.dumps(exc, PROTOCOL))
        except Exception:
            carried = None  # it would not survive the trip: its text still does
        exc.__traceback__ = None
        return cls("task %d raised %s: %s" % (index, type(exc).__name__, exc), carried, text, index, rank)


class Runner:
    """A job's function on a worker: runs a chunk, one element at a time,
    catching each element's exception so the others still run."""

    def __init__(self, blob: Any) -> None:
        self.fun, self.fixed, self.permute = cloudpickle.loads(blob)

    def _arguments(self, element: Tuple) -> Tuple:
        return arguments(element, self.fixed, self.permute)

    def __call__(self, elements: List[Tuple], first: int, rank: int) -> Tuple[List[Any], int, str]:
        fun = self.fun
        plain = not self.fixed and self.permute is None
        out: List[Any] = []
        failed = 0
        log = ""
        n = len(elements)
        # One try for the whole loop: entering it per element would cost
        # more than a trivial task.  After a failure the loop resumes at the
        # next element.
        while len(out) < n:
            try:
                rest = elements if not out else elements[len(out):]
                if plain:
                    for a in rest:
                        out.append(fun(*a))
                else:
                    for a in rest:
                        out.append(fun(*self._arguments(a)))
            except BaseException as exc:  # noqa: B902 - a task's SystemExit is that task's error
                err = SleighTaskError.capture(exc, first + len(out), rank)
                out.append(err)
                failed += 1
                if not log:
                    log = str(err)
        return out, failed, log


def kwcall(fun: Callable, args: Tuple, kwargs: dict) -> Any:
    """The function of an executor's job: each element carries its own call."""
    return fun(*args, **kwargs)
