"""The core's tables, read from the X-macro files in core/include/nws/.

errors.def, values.def and modes.def are the one place where error kinds,
writer languages, descriptor bits and variable modes are defined.  The C++
core includes them; this module reads the same files so that every
binding's exception classes and constants can be generated from them
(generate.py), never copied by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

_CALL = re.compile(r"^\s*(NWS_[A-Z_]+)\s*\(", re.M)
_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[^,()"\s]+)\s*')


@dataclass
class ErrorKind:
    id: str
    code: Optional[int]  # None for a group
    parent: Optional[str]  # None for the root
    kind: str  # CamelCase
    name: str
    description: str
    children: List["ErrorKind"] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.code is None


@dataclass
class Language:
    id: str
    number: int
    display: str


@dataclass
class Flag:
    id: str
    mask: int
    description: str


@dataclass
class Field:
    id: str
    shift: int
    width: int
    description: str


@dataclass
class Mode:
    id: str
    name: str
    kind: str  # standard, special, internal


@dataclass
class Tables:
    errors: List[ErrorKind]
    languages: List[Language]
    flags: List[Flag]
    fields: List[Field]
    modes: List[Mode]
    version: str

    def error(self, id: str) -> ErrorKind:
        return next(e for e in self.errors if e.id == id)

    def ancestors(self, kind: ErrorKind) -> List[ErrorKind]:
        """`kind`'s parent, its parent's parent, ... up to the root."""
        out = []
        while kind.parent is not None:
            kind = self.error(kind.parent)
            out.append(kind)
        return out

    @property
    def root(self) -> ErrorKind:
        return next(e for e in self.errors if e.parent is None)

    @property
    def standard_modes(self) -> List[Mode]:
        return [m for m in self.modes if m.kind == "standard"]


def _unquote(token: str) -> str:
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError("expected a string literal, got %r" % token)
    return bytes(token[1:-1], "utf-8").decode("unicode_escape")


def _calls(path: Path) -> List[tuple]:
    """Every NWS_*(...) use in a .def file (not in #define lines)."""
    text = path.read_text(encoding="utf-8")
    out = []
    for m in _CALL.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:m.start()].lstrip().startswith(("#", "//")):
            continue
        pos = m.end()
        args = []
        while True:
            t = _TOKEN.match(text, pos)
            if not t:
                raise ValueError("%s: cannot read the arguments of %s" % (path, m.group(1)))
            args.append(t.group(1))
            pos = t.end()
            if text[pos] == ",":
                pos += 1
                continue
            if text[pos] == ")":
                break
            raise ValueError("%s: unexpected %r in %s" % (path, text[pos], m.group(1)))
        out.append((m.group(1), args))
    return out


def load(core: Path) -> Tables:
    """The tables of the core at `core` (the directory holding VERSION)."""
    inc = core / "include" / "nws"
    errors: List[ErrorKind] = []
    for macro, a in _calls(inc / "errors.def"):
        if macro == "NWS_ERROR_GROUP":
            id, parent, kind, name, desc = a
            errors.append(ErrorKind(id, None, None if parent == "none" else parent, kind, _unquote(name), _unquote(desc)))
        elif macro == "NWS_ERROR":
            id, code, parent, kind, name, desc = a
            errors.append(ErrorKind(id, int(code, 0), parent, kind, _unquote(name), _unquote(desc)))
    by_id: Dict[str, ErrorKind] = {e.id: e for e in errors}
    for e in errors:
        if e.parent is not None:
            if e.parent not in by_id:
                raise ValueError("errors.def: %s has an unknown parent %s" % (e.id, e.parent))
            by_id[e.parent].children.append(e)

    languages, flags, fields = [], [], []
    for macro, a in _calls(inc / "values.def"):
        if macro == "NWS_LANGUAGE":
            languages.append(Language(a[0], int(a[1], 0), _unquote(a[2])))
        elif macro == "NWS_DESCRIPTOR_FLAG":
            flags.append(Flag(a[0], int(a[1], 0), _unquote(a[2])))
        elif macro == "NWS_DESCRIPTOR_FIELD":
            fields.append(Field(a[0], int(a[1], 0), int(a[2], 0), _unquote(a[3])))

    modes = [Mode(a[0], _unquote(a[1]), a[2]) for macro, a in _calls(inc / "modes.def") if macro == "NWS_MODE"]
    version = (core / "VERSION").read_text(encoding="utf-8").strip()
    return Tables(errors, languages, flags, fields, modes, version)
