"""A Python worker's side of functions run by name (cross-language sleighs).

A master of any language names a function ``module:function`` (attributes
after the colon may be dotted: ``pkg.mod:Class.method``); the worker
imports the module, follows the attributes, and calls the result with the
element's portable argument list.  Names are resolved once per function
(the core's function id is the key), and so are failures: a missing module
is every element's error, said once per element, never a dead worker.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import Any, Callable, Dict, List, Optional, Tuple

from .. import _core

# Frames of a task's traceback sent back with its error: enough to see
# where it failed, short enough to read in a list of results.
TRACE_FRAMES = 6


def resolve(name: str) -> Callable:
    """The callable named ``module:function[.attr...]``."""
    module_name, sep, path = name.partition(":")
    if not sep or not module_name or not path:
        raise ValueError("%r is not a Python function name: write it as module:function" % name)
    obj: Any = importlib.import_module(module_name)
    for attr in path.split("."):
        obj = getattr(obj, attr)
    if not callable(obj):
        raise TypeError("%s is a %s, not a function" % (name, type(obj).__name__))
    return obj


def load_entry(entry: str) -> None:
    """One entry of the sleigh's load list: a module name, or a ``.py``
    file (imported as a module, its directory put on sys.path first)."""
    if entry.endswith(".py") and os.path.isfile(entry):
        directory, file = os.path.split(os.path.abspath(entry))
        if directory not in sys.path:
            sys.path.insert(0, directory)
        importlib.import_module(file[:-3])
    else:
        importlib.import_module(entry)


def describe(exc: BaseException, skip: int = 0) -> str:
    """``Type: message`` and a short traceback (the last frames, without
    the worker's own `skip` outermost ones)."""
    tb = exc.__traceback__
    for _ in range(skip):
        if tb is not None:
            tb = tb.tb_next
    head = type(exc).__name__
    text = str(exc)
    lines = traceback.format_list(traceback.extract_tb(tb)[-TRACE_FRAMES:]) if tb is not None else []
    out = "%s: %s" % (head, text) if text else head
    if lines:
        out += "\nTraceback (most recent call last):\n" + "".join(lines).rstrip("\n")
    return out


def arguments_of(decoded: Any) -> List[Any]:
    """The positional arguments from an element's decoded argument list.  A
    master whose language writes a list of like values as a vector (Perl,
    Ruby: docs/values.md) sends a vector: its items are the arguments."""
    if isinstance(decoded, list):
        return decoded
    if hasattr(decoded, "tolist") and not isinstance(decoded, dict):
        return list(decoded.tolist())
    raise TypeError("an element's arguments must be a list, not %s" % type(decoded).__name__)


class NamedFunctions:
    """The functions this worker runs by name, resolved once each."""

    def __init__(self) -> None:
        self._functions: Dict[bytes, Callable] = {}
        self._failures: Dict[bytes, str] = {}
        self._load_error: Optional[str] = None

    def load(self, entries: List[str]) -> None:
        for entry in entries:
            try:
                load_entry(entry)
            except BaseException as exc:  # noqa: B902 - a module's SystemExit is its failure to load
                self._load_error = "loading %s failed: %s" % (entry, describe(exc, skip=1))
                return

    def _function(self, function_id: bytes, name: str) -> Tuple[Optional[Callable], str]:
        fn = self._functions.get(function_id)
        if fn is not None:
            return fn, ""
        if function_id not in self._failures:
            try:
                fn = self._functions[function_id] = resolve(name)
                return fn, ""
            except BaseException as exc:  # noqa: B902 - an import's SystemExit too
                self._failures[function_id] = "cannot find %s: %s" % (name, describe(exc, skip=1))
        return None, self._failures[function_id]

    def call(self, function_id: bytes, name: str, args: bytes) -> Tuple[bool, Any]:
        """(True, the portable bytes of fn(*args)) or (False, the error's text)."""
        if self._load_error is not None:
            return False, self._load_error
        fn, error = self._function(function_id, name)
        if fn is None:
            return False, error
        try:
            arguments = arguments_of(_core.portable_decode(args))
        except Exception as exc:  # noqa: BLE001 - that element's error
            return False, "the arguments of %s are not a portable list: %s" % (name, describe(exc))
        try:
            value = fn(*arguments)
        except BaseException as exc:  # noqa: B902 - a task's SystemExit is that task's error
            return False, describe(exc, skip=1)
        try:
            return True, _core.portable_encode(value)
        except Exception as exc:  # noqa: BLE001 - the value's fault, that element's error
            return False, "the result of %s (a %s) has no portable form: %s" % (name, type(value).__name__, exc)
