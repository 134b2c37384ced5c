#!/usr/bin/env python3
"""Runs every code snippet of a README, so none can rot.

    run_snippets.py README.md --lang python --run 'PY {file}' [--ext .py]
                    [--server PATH] [--env NAME=VALUE ...]

Each fenced block tagged with LANG (```python, ```r, ...) is one whole
program.  The blocks run in the order they appear, each as its own process,
in one scratch directory, against one nws-server started here on a free
loopback port: NWS_HOST and NWS_PORT tell the programs where it is (every
binding connects there when it is given no server), so a README shows the
plain `NetWorkSpace('demo')` its readers will write.  Two blocks in a row can
be two programs sharing a workspace (one stores, the next reads).

--run is the command for one program; {file} is the snippet's file and
{dir} the scratch directory.  A block may name its file in its first line
with a comment `file: Name.java` (Java needs the class name).  A program
must exit 0 within --timeout seconds.  Blocks in other languages (```sh for
install commands) are not run here: the test scripts run those steps.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FENCE = re.compile(r"^```([A-Za-z0-9+_-]*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
FILE_NAME = re.compile(r"^\s*(?://|#)\s*file:\s*(\S+)")


def snippets(text: str, lang: str):
    for m in FENCE.finditer(text):
        if m.group(1).lower() == lang.lower():
            line = text.count("\n", 0, m.start()) + 1
            yield line, m.group(2)


def start_server(binary: str):
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", "0", "--log-level", "warn"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # "nws-server listening on 127.0.0.1:PORT"
    m = re.search(r":(\d+)\s*$", line)
    if not m:
        proc.kill()
        raise SystemExit("run_snippets: nws-server did not start (it said %r)" % line)
    return proc, int(m.group(1))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("readme", type=Path)
    p.add_argument("--lang", required=True)
    p.add_argument("--run", required=True, help="command for one program; {file}, {dir}")
    p.add_argument("--ext", default=None, help="file extension (default: from --lang)")
    p.add_argument("--server", default=os.environ.get("NWS_SERVER_BINARY"), help="nws-server to start")
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE for every program")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--min", type=int, default=1, help="fail if the README has fewer snippets")
    a = p.parse_args(argv)
    ext = a.ext or {"python": ".py", "r": ".R", "java": ".java", "perl": ".pl", "ruby": ".rb", "cpp": ".cpp"}.get(
        a.lang.lower(), "." + a.lang)
    if not a.server or not os.access(a.server, os.X_OK):
        raise SystemExit("run_snippets: no nws-server (--server or $NWS_SERVER_BINARY)")

    found = list(snippets(a.readme.read_text(encoding="utf-8"), a.lang))
    if len(found) < a.min:
        print("run_snippets: %s has %d %s snippet(s), expected at least %d" % (a.readme, len(found), a.lang, a.min),
              file=sys.stderr)
        return 1
    server, port = start_server(a.server)
    env = dict(os.environ, NWS_HOST="127.0.0.1", NWS_PORT=str(port))
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v
    failed = 0
    try:
        with tempfile.TemporaryDirectory(prefix="nws-snippets-") as scratch:
            for n, (line, code) in enumerate(found, 1):
                m = FILE_NAME.match(code)
                name = m.group(1) if m else "snippet%d%s" % (n, ext)
                path = Path(scratch) / name
                path.write_text(code, encoding="utf-8")
                cmd = a.run.format(file=shlex.quote(str(path)), dir=shlex.quote(scratch))
                start = time.monotonic()
                try:
                    r = subprocess.run(cmd, shell=True, cwd=scratch, env=env, stdin=subprocess.DEVNULL,
                                       capture_output=True, text=True, timeout=a.timeout)
                    ok, out = r.returncode == 0, r.stdout + r.stderr
                    why = "exit status %d" % r.returncode
                except subprocess.TimeoutExpired as e:
                    ok, out = False, (e.stdout or "") + (e.stderr or "") if isinstance(e.stdout, str) else ""
                    why = "no exit within %.0f s" % a.timeout
                where = "%s:%d" % (a.readme, line)
                if ok:
                    print("ok   %s (%s snippet %d, %.1f s)" % (where, a.lang, n, time.monotonic() - start))
                else:
                    failed += 1
                    print("FAIL %s (%s snippet %d): %s\n--- program\n%s--- output\n%s---" % (
                        where, a.lang, n, why, code, out), file=sys.stderr)
    finally:
        server.terminate()
        server.wait(10)
    print("run_snippets: %d of %d %s snippet(s) of %s passed" % (len(found) - failed, len(found), a.lang, a.readme))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
