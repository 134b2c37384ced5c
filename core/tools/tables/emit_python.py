"""nws/_tables.py for the Python binding: one exception class per row of
the error table, the writer languages, the descriptor bits and the modes.

The binding's own additions (pickling errors, the busy-connection error,
the attaching of an interrupted call's value) live in nws/_errors.py, on top
of these classes.
"""

from __future__ import annotations

from pathlib import Path

from common import NOTICE, quote, write

# The original nws.client's names where it had the kind; every other kind
# is Nws<Kind>Exception.
ORIGINAL_NAMES = {
    "error": "NwsException",
    "communication": "NwsServerException",
    "connection": "NwsConnectException",
    "no_such_workspace": "NwsNoWorkSpaceException",
    "unsupported": "NwsUnsupportedOperationException",
}
# Built-in exceptions a kind also is, so Python code that catches those
# catches ours.
BUILTIN_BASES = {
    "error": ["Exception"],
    "timeout": ["TimeoutError"],
    "invalid_argument": ["ValueError", "TypeError"],
}


def class_name(kind) -> str:
    return ORIGINAL_NAMES.get(kind.id, "Nws%sException" % kind.kind)


def _error_class(t, k) -> list:
    bases = ([class_name(t.error(k.parent))] if k.parent else []) + BUILTIN_BASES.get(k.id, [])
    lines = ["", "class %s(%s):" % (class_name(k), ", ".join(bases)),
             '    """%s"""' % k.description, ""]
    if k.parent is None:
        lines += ["    #: The class's row of the core's error table: its CamelCase kind, its",
                  "    #: stable code (None for a group, which is never raised itself) and",
                  "    #: its name in messages.  Every class below sets its own."]
    lines += ["    kind = %s" % quote(k.kind),
              "    code%s = %s" % (": Optional[int]" if k.parent is None else "", k.code),
              "    kind_name = %s" % quote(k.name)]
    if k.parent is None:
        lines += ["    #: The server's status code (PROTOCOL.md section 12) when the server",
                  "    #: refused the request, else -1 (the error is local).",
                  "    status: int = -1",
                  "    #: The server's explanation (its nwsReason), when it sent one.",
                  '    reason: str = ""']
    return lines + [""]


def emit(t, out: Path) -> None:
    lang = t.fields[0]
    lines = ['"""The core\'s tables for Python: exception classes and constants.', "", NOTICE, '"""', "",
             "from typing import Dict, Optional, Tuple", "",
             "#: core/VERSION when this file was generated.",
             "VERSION = %s" % quote(t.version), ""]
    for k in t.errors:
        lines += _error_class(t, k)
    lines += ["", "#: The class of every kind the client raises, by its code.",
              "BY_CODE: Dict[int, type] = {"]
    lines += ["    %d: %s," % (k.code, class_name(k)) for k in t.errors if k.code is not None]
    lines += ["}", "", "#: The table itself: (id, code, parent id, Kind, name, class); code and",
              "#: parent are None for a group and for the root.",
              "ERRORS: Tuple[Tuple[str, Optional[int], Optional[str], str, str, type], ...] = ("]
    lines += ["    (%s, %s, %s, %s, %s, %s)," % (quote(k.id), k.code, quote(k.parent) if k.parent else None,
                                                quote(k.kind), quote(k.name), class_name(k)) for k in t.errors]
    lines += [")", "", "#: Writer languages by id (descriptor bits %d-%d)." % (lang.shift, lang.shift + lang.width - 1),
              "LANGUAGES: Dict[str, int] = {"]
    lines += ["    %s: %d," % (quote(l.id), l.number) for l in t.languages]
    lines += ["}", "#: Their display names, by number (0, no language, has none).",
              "LANGUAGE_NAMES: Dict[int, str] = {"]
    lines += ["    %d: %s," % (l.number, quote(l.display)) for l in t.languages if l.number]
    lines += ["}", ""]
    for f in t.flags:
        lines += ["#: %s" % f.description, "%s = 0x%X" % (f.id.upper(), f.mask)]
    for f in t.fields:
        lines += ["#: %s" % f.description, "%s_SHIFT = %d" % (f.id.upper(), f.shift),
                  "%s_MASK = 0x%X" % (f.id.upper(), (1 << f.width) - 1)]
    lines += ["", "#: The modes programs declare, each also a constant named after it."]
    lines += ["%s = %s" % (m.id.upper(), quote(m.name)) for m in t.standard_modes]
    lines += ["MODES: Tuple[str, ...] = (%s,)" % ", ".join(m.id.upper() for m in t.standard_modes),
              "#: Every mode a client may declare (the special ones too).",
              "DECLARABLE_MODES: Tuple[str, ...] = (%s,)" % ", ".join(
                  quote(m.name) for m in t.modes if m.kind != "internal"),
              "", "#: The exception classes.",
              "__all__ = [%s]" % ", ".join(quote(class_name(k)) for k in t.errors), ""]
    write(out, "\n".join(lines))
