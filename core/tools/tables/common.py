"""What every emitter shares: the header of a generated file, and writing
only when the content changed (so builds that depend on the file do not
rerun needlessly)."""

from __future__ import annotations

from pathlib import Path

NOTICE = "Generated from core/include/nws/*.def by core/tools/tables; do not edit."


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")


def quote(s: str) -> str:
    """A string literal that Python, R, Java, Perl (double quotes) and Ruby
    all read the same: the tables hold plain ASCII text without $, @, \\,
    quotes or Ruby's #{."""
    assert all(32 <= ord(c) < 127 for c in s) and not set(s) & set('$@\\"') and "#{" not in s, s
    return '"' + s + '"'
