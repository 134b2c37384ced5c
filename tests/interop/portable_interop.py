"""Python's side of the portable interop matrix (portable_cases.md):

    pwrite(ws, cases_file)          store every case Python can write
    pread(ws, writer, cases_file)   check every case `writer` stored

Each case is built natively here; a reader compares what it read with its
own build of the case: doubles bit for bit, integer arrays by value
whatever their width, a masked array's mask too.
"""
from __future__ import annotations

import datetime as dt
import struct

import numpy as np
import pandas as pd

from nws.client import NwsUnpicklingException

ME = "Python"
UTC = dt.timezone.utc
TS = dt.datetime(2026, 12, 6, 15, 54, 34, 123456, tzinfo=UTC)
TS_NS = (int((TS.replace(microsecond=0) - dt.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 10**9
         + TS.microsecond * 1000)


def cases():
    """The cases as Python writes them, and as Python expects to read them."""
    return {
        "null": None,
        "true": True,
        "small_int": 42,
        "int": -1234567890123,
        "real": 3.25,
        "string": "héllo, wörld ✓ 你好",
        "bytes": b"\x00\x01\xfe\xff",
        "list": [1, "two", 3.5, None, True],
        "map": {"alpha": 1, "beta": "b", "gamma": 2.5},
        "nested": {"empty_list": [], "empty_map": {}, "inner": [1, ["x", True]]},
        "f64vec": np.array([1.5, -2.0, np.nan, np.inf, -np.inf, -0.0]),
        "i64vec": np.array([1, -2, 2**40, -(2**53)], dtype="int64"),
        "i64big": np.array([2**62, 1], dtype="int64"),
        "i32vec": np.array([1, -2, 2147483647, -2147483647], dtype="int32"),
        "boolvec": np.array([True, False, True]),
        "strvec": np.array(["a", "β", ""]),
        "missing": np.ma.MaskedArray(np.array([1, 0, 3], dtype="int32"), mask=[False, True, False]),
        "timestamp": TS,
        "tsvec": np.array([0, TS_NS], dtype="int64").view("datetime64[ns]"),
        "table": pd.DataFrame({"x": [1.5, 2.5, 3.5], "n": np.array([1, 2, 3], dtype="int32"),
                               "s": ["a", "b", "c"], "b": [True, False, True]}),
    }


def read_cases_file(path):
    """{case: (not written by, read error in)} from the markdown table."""
    table = {}
    for line in open(path, encoding="utf-8"):
        if not line.startswith("| ") or line.startswith("| case") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = lambda cell: {x.strip() for x in cell.split(",") if x.strip()}  # noqa: E731
        table[cells[0]] = (names(cells[2]), names(cells[3]))
    return table


def same(got, want) -> bool:
    if isinstance(want, np.ma.MaskedArray):
        return (isinstance(got, np.ma.MaskedArray) and
                np.array_equal(np.ma.getmaskarray(got), np.ma.getmaskarray(want)) and
                np.array_equal(got.data[~np.ma.getmaskarray(got)], want.data[~np.ma.getmaskarray(want)]))
    if isinstance(want, np.ndarray):
        if want.dtype.kind == "U":  # a vector of strings reads as a list
            return got == want.tolist()
        if not isinstance(got, np.ndarray) or isinstance(got, np.ma.MaskedArray) or got.shape != want.shape:
            return False
        if want.dtype.kind in "iu":
            return got.dtype.kind == "i" and np.array_equal(got, want)
        if want.dtype.kind == "f":
            return got.dtype == want.dtype and got.tobytes() == want.tobytes()
        return got.dtype == want.dtype and np.array_equal(got, want)
    if isinstance(want, pd.DataFrame):
        return (isinstance(got, pd.DataFrame) and list(got.columns) == list(want.columns) and len(got) == len(want)
                and all(same(got[c].to_numpy() if got[c].dtype != object else np.array(got[c].tolist()),
                             want[c].to_numpy() if want[c].dtype != object else np.array(want[c].tolist()))
                        for c in want.columns))
    if isinstance(want, float):
        return isinstance(got, float) and struct.pack("<d", got) == struct.pack("<d", want)
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(same(g, w) for g, w in zip(got, want))
    if isinstance(want, dict):
        return (isinstance(got, dict) and list(got) == list(want) and all(same(got[k], want[k]) for k in want))
    return type(got) is type(want) and got == want


def pwrite(ws, cases_file):
    table = read_cases_file(cases_file)
    for name, value in cases().items():
        if ME not in table[name][0]:
            ws.store(f"{ME}_p_{name}", value, portable=True)


def pread(ws, writer, cases_file, report):
    table = read_cases_file(cases_file)
    mine = cases()
    for name, (not_written, read_error) in table.items():
        var = f"{writer}_p_{name}"
        what = f"{ME} reads {writer}'s portable {name}"
        try:
            if writer in not_written:
                got = ws.findTry(var, "absent")
                report(got == "absent", f"{what}: {writer} has no such value, nothing stored")
            elif ME in read_error:
                try:
                    got = ws.find(var)
                    report(False, f"{what}: expected an error, read {got!r}")
                except NwsUnpicklingException as e:
                    report(True, f"{what}: refused ({e})")
            else:
                got = ws.find(var)
                report(same(got, mine[name]), f"{what} (got {got!r})")
        except Exception as e:  # noqa: BLE001 - any error is a failed check
            report(False, f"{what}: {e!r}")
