"""lib/nws/tables.rb for the Ruby gem: the error classes (NWS::<Kind>Error
under NWS::Error < StandardError) and the constants, each with the comment
RDoc shows for it (the gem's documentation check wants every one)."""

from __future__ import annotations

from pathlib import Path

from common import NOTICE, quote, write


def class_name(kind) -> str:
    return kind.kind if kind.kind.endswith("Error") else kind.kind + "Error"


def emit(t, out: Path) -> None:
    lines = ["# frozen_string_literal: true", "", "# The core's tables for Ruby: error classes and constants.",
             "# " + NOTICE, "", "# NetWorkSpaces for Ruby (see NWS::NetWorkSpace and NWS::Server).", "module NWS",
             "  # The version of NWS (the core's and this gem's).", "  VERSION = %s" % quote(t.version), ""]
    for k in t.errors:
        parent = "StandardError" if k.parent is None else class_name(t.error(k.parent))
        code = k.code if k.code is not None else "nil"
        lines += ["  # %s" % k.description, "  class %s < %s" % (class_name(k), parent),
                  "    # The kind's id in the core's error table.", "    KIND = %s" % quote(k.id),
                  "    # The kind's stable number (nil: a group, never raised itself).", "    CODE = %s" % code,
                  "    # The kind's stable name, as #code gives it and messages show it.",
                  "    NAME = %s" % quote(k.name), "  end", ""]
    lines += ["  # Each kind's class by its stable name (\"no such workspace\").", "  ERROR_CLASSES = {"]
    lines += ["    %s => %s," % (quote(k.name), class_name(k)) for k in t.errors]
    lines += ["  }.freeze", "", "  # The error table: [id, code (nil for a group), parent id, Kind, name, class].",
              "  ERROR_TABLE = ["]
    lines += ["    [%s, %s, %s, %s, %s, %s]," % (quote(k.id), k.code if k.code is not None else "nil",
                                                 quote(k.parent) if k.parent else "nil", quote(k.kind),
                                                 quote(k.name), class_name(k)) for k in t.errors]
    lines += ["  ].freeze", "", "  # Writer languages by id (their numbers are descriptor bits 24-31).",
              "  LANGUAGES = {"]
    lines += ["    %s: %d," % (l.id, l.number) for l in t.languages]
    lines += ["  }.freeze", "  # Writer languages' display names by number.", "  LANGUAGE_NAMES = {"]
    lines += ["    %d => %s," % (l.number, quote(l.display)) for l in t.languages if l.number]
    lines += ["  }.freeze", ""]
    for f in t.flags:
        lines += ["  # Descriptor bit: %s" % f.description, "  %s = 0x%X" % (f.id.upper(), f.mask)]
    for f in t.fields:
        lines += ["  # Descriptor field (position): %s" % f.description, "  %s_SHIFT = %d" % (f.id.upper(), f.shift),
                  "  # Descriptor field (mask, after the shift): %s" % f.description,
                  "  %s_MASK = 0x%X" % (f.id.upper(), (1 << f.width) - 1)]
    lines += ["", "  # The modes programs declare.",
              "  MODES = [%s].freeze" % ", ".join(quote(m.name) for m in t.standard_modes),
              "  # Every mode a client may declare (the standard ones and the server's special ones).",
              "  DECLARABLE_MODES = [%s].freeze" % ", ".join(quote(m.name) for m in t.modes if m.kind != "internal"),
              "end", ""]
    write(out, "\n".join(lines))
