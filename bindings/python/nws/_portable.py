"""What portable values need from numpy, pandas and datetime (docs/values.md).

The walk over a value is native (nws._core.portable_encode/decode); it
calls these functions only for the types whose rules are Python's own:
numpy arrays and scalars, pandas DataFrames, datetimes.  numpy and pandas
are optional: a value can only be a numpy array if numpy is loaded, and a
vector read without numpy installed comes back as a list.
"""

from __future__ import annotations

import datetime as _dt
import struct
from typing import Any, List, Optional, Tuple

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_NS = {"boolean": "?", "int32": "i4", "int64": "i8", "float64": "f8", "timestamp": "i8"}
_STRUCT = {"boolean": "?", "int32": "i", "int64": "q", "float64": "d", "timestamp": "q"}


# --- timestamps -----------------------------------------------------------

def datetime_ns(value: _dt.datetime) -> int:
    """Nanoseconds since the epoch of an aware datetime (a naive one is an error:
    it could be any time zone's)."""
    if value.utcoffset() is None:
        raise _error("a naive datetime has no portable form: give it a tzinfo "
                     "(datetime.timezone.utc, or .astimezone())")
    ns = getattr(value, "value", None)  # pandas.Timestamp keeps nanoseconds
    if isinstance(ns, int):
        return ns
    delta = value - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


def datetime_of(ns: int) -> _dt.datetime:
    """The UTC datetime of a timestamp, rounded down to microseconds."""
    return _EPOCH + _dt.timedelta(microseconds=ns // 1000)


# --- numpy ----------------------------------------------------------------

def lower_array(a: Any) -> Tuple[str, Any, Optional[bytes]]:
    """(element, contiguous native array or list of str, missing bitmap) of a
    1-D numpy array or masked array."""
    import numpy as np

    if a.ndim != 1:
        raise _error("a %d-D numpy array has no portable form: pass a 1-D array "
                     "(ravel() it, or use a pandas DataFrame)" % a.ndim)
    mask = None
    if isinstance(a, np.ma.MaskedArray):
        m = np.ma.getmaskarray(a)
        mask = np.packbits(m, bitorder="little").tobytes() if m.any() else None
        a = a.data
    kind, size = a.dtype.kind, a.dtype.itemsize
    if kind == "b":
        return "boolean", np.ascontiguousarray(a, dtype="?"), mask
    if kind == "i" and size in (4, 8):
        element = "int32" if size == 4 else "int64"
        return element, np.ascontiguousarray(a, dtype="<" + _NS[element]), mask
    if kind == "f" and size == 8:
        return "float64", np.ascontiguousarray(a, dtype="<f8"), mask
    if kind == "M":
        ns = a.astype("datetime64[ns]")
        if not np.array_equal(ns.astype(a.dtype), a, equal_nan=True):
            raise _error("a datetime64 array with instants beyond what nanoseconds since 1970 hold (1677-2262)")
        nat = np.isnat(ns)
        if nat.any():
            bits = np.packbits(nat if mask is None else (nat | np.unpackbits(
                np.frombuffer(mask, np.uint8), count=len(a), bitorder="little").astype(bool)), bitorder="little")
            mask = bits.tobytes()
        return "timestamp", np.ascontiguousarray(ns.view("<i8")), mask
    if kind == "U" or (kind == "O" and all(x is None or isinstance(x, str) for x in a.tolist())):
        items = a.tolist()
        if mask is not None:
            m = np.unpackbits(np.frombuffer(mask, np.uint8), count=len(items), bitorder="little")
            items = [None if gone else x for x, gone in zip(items, m)]
        return "string", items, None
    raise _error("a numpy array of dtype %s has no portable form: convert it with astype() to "
                 "bool, int32, int64, float64, datetime64 or str" % a.dtype)


def numpy_scalar(x: Any) -> Any:
    """The plain Python value of a numpy scalar (np.int64 -> int, ...)."""
    import numpy as np

    if isinstance(x, np.datetime64):
        if np.isnat(x):
            return None
        return _ns_datetime(int(x.astype("datetime64[ns]").astype("i8")))
    if isinstance(x, (np.bool_, np.integer)) or (isinstance(x, np.floating) and x.dtype.itemsize == 8):
        return x.item()
    raise _error("a numpy %s has no portable form: convert it to float64, int64 or bool" % x.dtype)


class _NsDatetime(_dt.datetime):
    """An aware datetime that remembers nanoseconds (for numpy datetime64 scalars)."""
    value: int


def _ns_datetime(ns: int) -> _dt.datetime:
    d = datetime_of(ns)
    out = _NsDatetime(d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tzinfo=d.tzinfo)
    out.value = ns
    return out


def new_array(element: str, count: int) -> Any:
    """An uninitialised numpy array for a vector (filled natively), or None without numpy."""
    try:
        import numpy as np
    except ImportError:
        return None
    return np.empty(count, dtype="<" + _NS[element] if element != "boolean" else "?")


def finish_vector(element: str, array: Any, missing: Optional[bytes]) -> Any:
    import numpy as np

    if element == "timestamp":
        array = array.view("datetime64[ns]")
    if missing is None:
        return array
    mask = np.unpackbits(np.frombuffer(missing, np.uint8), count=len(array), bitorder="little").astype(bool)
    return np.ma.MaskedArray(array, mask=mask)


def list_vector(element: str, data: bytes, count: int, missing: Optional[bytes]) -> List[Any]:
    """A vector as a list, for Pythons without numpy."""
    items = list(struct.unpack("<%d%s" % (count, _STRUCT[element]), data))
    if element == "timestamp":
        items = [datetime_of(x) for x in items]
    if missing is not None:
        items = [None if missing[i // 8] >> (i % 8) & 1 else x for i, x in enumerate(items)]
    return items


# --- pandas ---------------------------------------------------------------

def lower_frame(df: Any) -> Tuple[int, List[Tuple[str, Any]]]:
    """(rows, [(name, lowered column)]) of a DataFrame."""
    import numpy as np
    import pandas as pd

    if not (isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1):
        raise _error("a DataFrame with an index of its own has no portable form: "
                     "reset_index() to make the index a column")
    columns = []
    for name in df.columns:
        if not isinstance(name, str):
            raise _error("a DataFrame column named %r: portable tables have str column names" % (name,))
        s = df[name]
        dtype = s.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]")
            column = lower_array(values)
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype) and hasattr(s.array, "_mask"):
            # Nullable Int32/Int64/boolean: data plus a mask.
            data = np.asarray(s.array._data)
            column = lower_array(np.ma.MaskedArray(data, mask=np.asarray(s.array._mask)))
        elif dtype == object or isinstance(dtype, pd.StringDtype):
            items = [None if (x is None or x is pd.NA or (isinstance(x, float) and x != x)) else x for x in s.tolist()]
            if not all(x is None or isinstance(x, str) for x in items):
                raise _error("the DataFrame column %r holds objects other than str: portable table columns "
                             "are bool, int32, int64, float64, datetime64 or str" % name)
            column = ("string", items, None)
        elif isinstance(dtype, pd.CategoricalDtype):
            column = ("string", [None if x is None or (isinstance(x, float) and x != x) else str(x)
                                 for x in s.astype(object).tolist()], None)
        else:
            column = lower_array(s.to_numpy())
        columns.append((name, column))
    return len(df), columns


def raise_table(rows: int, columns: List[Tuple[str, Any]]) -> Any:
    """A DataFrame of the columns (a dict of them without pandas)."""
    try:
        import numpy as np
        import pandas as pd
    except ImportError:
        return dict(columns)
    data = {}
    for name, column in columns:
        if isinstance(column, np.ma.MaskedArray):
            mask = np.ma.getmaskarray(column)
            kind = column.dtype.kind
            if kind == "f":
                column = column.filled(np.nan)
            elif kind == "M":
                column = column.filled(np.datetime64("NaT", "ns"))  # a unit: generic NaT is deprecated
            else:
                dtype = {"i4": "Int32", "i8": "Int64", "b1": "boolean"}[column.dtype.str[1:]]
                column = pd.array(column.data, dtype=dtype)
                column[mask] = pd.NA
        elif isinstance(column, list):
            column = pd.Series(column)  # pandas infers its own string dtype (object before pandas 3)
        if isinstance(column, np.ndarray) and column.dtype.kind == "M":
            column = pd.Series(column).dt.tz_localize("UTC")
        data[name] = column
    return pd.DataFrame(data, index=pd.RangeIndex(rows))


# --- errors ---------------------------------------------------------------

def advice(value: Any) -> str:
    """What to convert a value of an unsupported type to."""
    if isinstance(value, (set, frozenset)):
        return "store a list (sorted(...)) instead"
    if isinstance(value, complex):
        return "store its real and imag parts"
    return "store it natively (portable=False), or convert it to the types of docs/values.md"


def _error(message: str) -> Exception:
    # nws._values turns it into NwsPicklingException naming the variable.
    return TypeError(message)
