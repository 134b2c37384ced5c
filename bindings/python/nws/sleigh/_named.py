"""Jobs of a function named in the workers' language (cross-language sleighs).

A sleigh whose workers are R, Java, Perl or Ruby processes cannot run a
Python callable: it runs a function the workers have, by its name in their
language's form (``fit_model`` or ``pkg::fit_model`` for R,
``package.Class#method`` for Java, ``Module::function`` for Perl,
``Module.method`` for Ruby, ``module:function`` for Python).  Each
element's arguments travel as one portable list (docs/values.md), and each
result comes back as a portable value, so any language reads them.

The core does the rest (nws/sleigh_tasks.hpp): the function spec and its
name's form, chunking, framing, the load factor, lost chunks.  This module
only encodes arguments, decodes outcomes, and offers the same feeder and
result-stream faces as the pickled jobs, so Sleigh's loops serve both.
"""

from __future__ import annotations

from typing import Any, Iterator, List, Optional, Sequence, Tuple

from .. import _core
from . import _tasks
from ._tasks import SleighTaskError

Pair = Tuple[int, Any]


def spec(language: str, fun: Any) -> Optional[bytes]:
    """The function spec for ``fun`` on workers of ``language``: a name is
    checked against the language's form (NwsInvalidArgumentException, a
    ValueError, naming the form); None for a Python callable on Python
    workers (the pickled path); a TypeError for a callable on another
    language's workers."""
    if isinstance(fun, str):
        return _core.sleigh_named_function(language, fun)
    if language != "python":
        raise TypeError("this sleigh's workers are %s processes: pass the function's name in %s's form (%s), "
                        "not a Python %s" % (language, language, _core.sleigh_name_form(language),
                                             type(fun).__name__))
    if not callable(fun):
        raise TypeError("a sleigh runs a callable or a function's name (module:function), not %s"
                        % type(fun).__name__)
    return None


def encode_args(args: Sequence[Any]) -> bytes:
    """One element's arguments, as the portable list a named function takes."""
    return _core.portable_encode(list(args))


def outcome_pair(outcome: Tuple[int, bool, Optional[bytes], str, int]) -> Pair:
    """(index, value) of an element's outcome; a task that failed, or whose
    chunk was lost, gives a SleighTaskError in its value's place."""
    index, ok, value, error, rank = outcome
    if ok:
        try:
            return index, _core.portable_decode(value)
        except Exception as exc:  # noqa: BLE001 - the worker sent something unreadable: that element's error
            return index, SleighTaskError("task %d: its result is not a portable value: %s" % (index, exc), exc,
                                          "", index, rank)
    # The worker's text: "Type: message" first, then its trace.
    return index, SleighTaskError("task %d: %s" % (index, error.split("\n", 1)[0]), None, error, index, rank)


class ElementFeeder:
    """Feeds a named job one element at a time (the core cuts the chunks);
    the pickled jobs' _Feeder has the same face (feed_one, added, exhausted)."""

    def __init__(self, job: Any, elements: Iterator[Tuple], fixed: Sequence = (),
                 permute: Optional[Sequence[int]] = None) -> None:
        self.job = job
        self.elements = elements
        self.fixed = tuple(fixed)
        self.permute = permute
        self.added = 0
        self.exhausted = False

    def feed_one(self) -> int:
        """Adds the next element; returns 1, or 0 at the end."""
        if self.exhausted:
            return 0
        element = next(self.elements, None)
        if element is None:
            self.exhausted = True
            return 0
        self.job.add(encode_args(_tasks.arguments(element, self.fixed, self.permute)))
        self.added += 1
        return 1


class OutcomeStream:
    """A named job's results, one (index, value) pair at a time: the face
    of the pickled jobs' chunk stream (next, close)."""

    chunked = False  # outcomes come per element; chunks are the core's business

    def __init__(self, job: Any) -> None:
        self.job = job

    def next(self, timeout: Optional[float]) -> Optional[List[Pair]]:
        outcome = self.job.next(timeout)
        return None if outcome is None else [outcome_pair(outcome)]

    def close(self) -> None:
        self.job.close()

    @property
    def id(self) -> int:
        return self.job.id
