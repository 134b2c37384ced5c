"""The Python half of bench/values/run.sh: times its side of each transfer.

    bench.py HOST PORT store KIND N     store N values of KIND, print each store's seconds
    bench.py HOST PORT fetch KIND N     fetch N values of KIND, print each fetch's seconds
    bench.py HOST PORT pickle N         store+fetch N pickled arrays, print each pair's seconds

KIND: portable (a 10-million-element float64 numpy array, portable) or raw
(the same array's bytes as a binary string).  Each timing covers the whole
conversion: numpy array -> value -> server, and server -> numpy array (or
bytes, for raw).
"""
import sys
import time

import numpy as np

from nws.client import NetWorkSpace

ELEMENTS = 10_000_000


def main():
    host, port, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ws = NetWorkSpace("bench_values", serverHost=host, serverPort=port, useUse=True)
    a = np.arange(ELEMENTS, dtype="float64") / 7
    if what == "store":
        kind, n = sys.argv[4], int(sys.argv[5])
        for _ in range(n):
            t = time.perf_counter()
            ws.store("py_" + kind, a if kind == "portable" else a.tobytes(), portable=(kind == "portable"))
            print(time.perf_counter() - t, flush=True)
    elif what == "fetch":
        kind, n = sys.argv[4], int(sys.argv[5])
        for _ in range(n):
            t = time.perf_counter()
            got = ws.fetch("r_" + kind)
            print(time.perf_counter() - t, flush=True)
            assert len(got) == ELEMENTS * (1 if kind == "portable" else 8)
    elif what == "pickle":
        for _ in range(int(sys.argv[4])):
            t = time.perf_counter()
            ws.store("py_pickle", a)
            got = ws.fetch("py_pickle")
            print(time.perf_counter() - t, flush=True)
            assert len(got) == ELEMENTS
    ws.close()


main()
