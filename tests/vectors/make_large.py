#!/usr/bin/env python3
"""Writes large.bin: 1 MiB (1048576 bytes) of pseudo-random bytes, the same
on every run (a 64-bit xorshift generator with a fixed seed), so a reader can
compare what it fetched with the file byte for byte.

    python3 make_large.py [OUTPUT]      # default: large.bin beside this script
"""
import os
import sys

SIZE = 1 << 20


def large_bytes() -> bytes:
    x = 0x9E3779B97F4A7C15  # fixed seed
    out = bytearray()
    mask = (1 << 64) - 1
    while len(out) < SIZE:
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        out += x.to_bytes(8, "little")
    return bytes(out[:SIZE])


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "large.bin")
    with open(path, "wb") as f:
        f.write(large_bytes())
