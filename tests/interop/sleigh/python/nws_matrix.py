"""The sleigh matrix's function on Python workers, run by name as
``nws_matrix:combine`` by a master of any language (tests/interop/sleigh)."""

LANG = "python"


def combine(i, x, label, tags):
    """i integer, x real, label string, tags three strings -> a map whose
    types the master checks in its own terms."""
    return {"i": i + 1, "x": x * 2, "label": label + "@" + LANG, "n": len(tags), "lang": LANG}
