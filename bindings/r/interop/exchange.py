"""The Python half of the R <-> Python exchange (run by exchange.R).

Uses the workspace R opened: takes each string R stored in 'r to py' and
answers in 'py to r' with the string it got, prefixed, so R can check the
text survived both directions.  R sends "STOP" last.
Usage: python exchange.py PORT WORKSPACE
"""
import sys

from nws.client import NetWorkSpace


def main() -> int:
    port, name = int(sys.argv[1]), sys.argv[2]
    ws = NetWorkSpace(name, serverHost="127.0.0.1", serverPort=port, useUse=True)
    count = 0
    while True:
        s = ws.fetch("r to py", timeout=30)
        if not isinstance(s, str):
            ws.store("py to r", "python got a %s, not a str" % type(s).__name__)
            return 1
        if s == "STOP":
            break
        ws.store("py to r", "python saw: " + s)
        count += 1
    ws.store("py to r", "python done after %d" % count)
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
