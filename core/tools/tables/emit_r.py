"""R/tables.R for the R package (written when the package is staged,
bindings/r/tools/stage.sh; never committed).

Every error kind becomes a condition class nws<Kind> (the root `error`
gives nwsError); a condition's class vector is its kind's class, then its
ancestors' up to nwsError, then "error" and "condition", as R's own
conditions are classed.  The writer languages, descriptor bits and modes
become constants the package encodes and checks values with.
"""

from __future__ import annotations

from pathlib import Path

from common import NOTICE, quote, write


def class_name(kind) -> str:
    return "nws" + kind.kind  # the root "Error" gives nwsError


def class_vector(t, kind) -> list:
    return [class_name(kind)] + [class_name(a) for a in t.ancestors(kind)] + ["error", "condition"]


def error_rows(t) -> list:
    rows = []
    for k in t.errors:
        rows.append("  %s = list(id = %s, code = %s, parent = %s, kind = %s, name = %s,\n"
                    "    classes = c(%s),\n"
                    "    description = %s)" % (
                        quote(k.name), quote(k.id), "%dL" % k.code if k.code is not None else "NA_integer_",
                        quote(k.parent) if k.parent else "NA_character_", quote(k.kind), quote(k.name),
                        ", ".join(quote(c) for c in class_vector(t, k)), quote(k.description)))
    return rows


def emit(t, out: Path) -> None:
    lines = ["# The core's tables for R: condition classes and constants.", "# " + NOTICE, "",
             "# The version of NetWorkSpaces (core/VERSION).",
             ".nwsVersion <- %s" % quote(t.version), "",
             "# Each error kind by its stable name (nws::errc_name): its id, its code",
             "# (NA for a group, which is never raised itself), its parent's id and the",
             "# class vector of its conditions, most specific first.",
             ".nwsErrorTable <- list("]
    lines += [",\n".join(error_rows(t)), ")", ""]
    lines += ["# Writer languages: descriptor bits 24-31 hold the number.", ".nwsLanguage <- c("]
    lines += [",\n".join("  %s = %dL" % (l.id, l.number) for l in t.languages), ")",
              "# Their display names, by number.", ".nwsLanguageName <- c("]
    lines += [",\n".join("  %s = %s" % (quote(str(l.number)), quote(l.display)) for l in t.languages), ")", ""]
    lines += ["# Descriptor bits (masks) and fields (shift and mask); doubles, as a",
              "# descriptor can exceed R's integers.", ".nwsDescriptor <- list("]
    items = ["  %s = %d" % (f.id, f.mask) for f in t.flags]
    for f in t.fields:
        items += ["  %s_shift = %d" % (f.id, f.shift), "  %s_mask = %d" % (f.id, (1 << f.width) - 1)]
    lines += [",\n".join(items), ")", ""]
    lines += ["# The modes programs declare, and every mode a client may declare.",
              ".nwsModes <- c(%s)" % ", ".join(quote(m.name) for m in t.standard_modes),
              ".nwsDeclarableModes <- c(%s)" % ", ".join(quote(m.name) for m in t.modes if m.kind != "internal"), ""]
    write(out, "\n".join(lines))
