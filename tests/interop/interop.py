#!/usr/bin/env python3
"""The Python side of the interop matrix (see README.md for the commands):

    interop.py PORT WS write VECDIR            store the vectors and a native value
    interop.py PORT WS read VECDIR WRITER      check what WRITER stored
    interop.py PORT WS pwrite CASES            store the portable cases (portable_interop.py)
    interop.py PORT WS pread WRITER CASES      check WRITER's portable cases
    interop.py PORT WS block VAR EXPECTED      fetch VAR (20 s timeout), expect EXPECTED
    interop.py PORT WS store VAR VALUE         store VALUE (a string)
    interop.py PORT WS fetchers VAR            wait until VAR has a blocked fetcher

Prints one "ok ..." or "FAIL ..." line per check.
"""
import os
import re
import sys

from nws.client import NetWorkSpace, NwsUnpicklingException

ME = "Python"
VECTORS = [("ascii", "ascii.txt", True), ("utf8", "utf8.txt", True), ("empty", "empty.txt", True),
           ("binary", "binary.bin", False), ("large", "large.bin", False)]
NATIVE = {"answer": 42, "list": [1, 2, 3]}


def report(ok, what):
    print(("ok " if ok else "FAIL ") + what, flush=True)


def main():
    port, ws_name, mode, *rest = sys.argv[1:]
    with NetWorkSpace(ws_name, serverHost="127.0.0.1", serverPort=int(port), useUse=True) as ws:
        if mode == "write":
            for name, file, text in VECTORS:
                data = open(os.path.join(rest[0], file), "rb").read()
                ws.store(f"{ME}_{name}", data.decode("utf-8") if text else data)
            ws.store(f"{ME}_native", NATIVE)
        elif mode == "read":
            vecdir, writer = rest
            for name, file, text in VECTORS:
                want = open(os.path.join(vecdir, file), "rb").read()
                what = f"{ME} reads {writer} {name}"
                try:
                    got = ws.find(f"{writer}_{name}", timeout=10)
                    if text:
                        report(isinstance(got, str) and got.encode("utf-8") == want, what)
                    else:
                        report(isinstance(got, bytes) and got == want, what)
                except Exception as e:  # noqa: BLE001 - any error is a failed check
                    report(False, f"{what}: {e!r}")
            what = f"{ME} reads {writer} native"
            try:
                got = ws.find(f"{writer}_native", timeout=10)
                report(writer == ME and got == NATIVE, f"{what} (got {got!r})")
            except NwsUnpicklingException as e:
                report(writer != ME and re.search(r"\b%s\b" % re.escape(writer), str(e)) is not None,
                       f"{what}: error names {writer}: {e}")
            except Exception as e:  # noqa: BLE001
                report(False, f"{what}: {e!r}")
        elif mode == "pwrite":
            import portable_interop
            portable_interop.pwrite(ws, rest[0])
        elif mode == "pread":
            import portable_interop
            portable_interop.pread(ws, rest[0], rest[1], report)
        elif mode == "block":
            var, expected = rest
            try:
                got = ws.fetch(var, timeout=20)
                report(got == expected, f"{ME} blocked fetch released with {got!r}")
            except Exception as e:  # noqa: BLE001
                report(False, f"{ME} blocked fetch: {e!r}")
        elif mode == "store":
            ws.store(rest[0], rest[1])
        elif mode == "fetchers":
            # Waits (20 s at most) until VAR has a blocked fetcher: list vars'
            # fetcher column.  Exit 0 when seen.
            import time
            from nws.client import DICT, V_FETCHERS
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                listing = ws.listVars(format=DICT)
                if rest[0] in listing and listing[rest[0]][V_FETCHERS] > 0:
                    return 0
                time.sleep(0.02)  # polling a condition, with a deadline
            print(f"FAIL no blocked fetcher seen on {rest[0]} within 20 s", flush=True)
            return 1
        else:
            raise SystemExit("unknown mode " + mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
