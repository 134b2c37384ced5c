#!/usr/bin/env python3
"""Writes one language's constants and exception classes from the core's
tables (core/include/nws/*.def; see tables.py).

    generate.py LANGUAGE OUTPUT [--core DIR]

LANGUAGE is python, r, java, perl or ruby; OUTPUT a file (a directory for
java: the package directory of org.networkspaces).  The packages run this at
build time; the output is never committed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("python", "r", "java", "perl", "ruby")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("language", choices=LANGUAGES)
    p.add_argument("output", type=Path)
    p.add_argument("--core", type=Path, default=HERE.parent.parent, help="the core directory (holding VERSION)")
    a = p.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import tables

    t = tables.load(a.core)
    importlib.import_module("emit_" + a.language).emit(t, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
