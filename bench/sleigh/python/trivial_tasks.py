"""The trivial task of bench/sleigh's per-language rows, for Python workers."""


def inc(x):
    return x + 1
