"""The sleigh matrix's Python master: ``master.py WORKER_LANG [LOAD]``.

Opens a sleigh of two local workers of WORKER_LANG on the server in
$NWS_HOST/$NWS_PORT, runs that language's matrix function by name over 20
elements, checks every result in Python's terms, checks that both workers
run it (eachWorker: once on each), stops the sleigh, and prints one line:
``ok python -> WORKER_LANG: 20 results`` (exit 0) or ``FAIL <reason>``
(exit 1).
"""

import os
import sys

from nws.sleigh import Sleigh, SleighTaskError

FUNCTIONS = {
    "python": "nws_matrix:combine",
    "r": "combine",
    "java": "org.networkspaces.matrix.Matrix#combine",
    "perl": "NwsMatrix::combine",
    "ruby": "NwsMatrix.combine",
}
ELEMENTS = 20


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)


def check_result(i, value, lang):
    check(not isinstance(value, SleighTaskError), "element %d failed: %s" % (i, value))
    check(isinstance(value, dict), "element %d: a %s, not a map" % (i, type(value).__name__))
    want = {"i": i + 1, "x": (i + 0.5) * 2, "label": "e%d@%s" % (i, lang), "n": 3, "lang": lang}
    check(set(value) == set(want), "element %d: keys %s" % (i, sorted(value)))
    for key in ("i", "n"):
        check(type(value[key]) is int, "element %d: %s is a %s, not an int" % (i, key, type(value[key]).__name__))
    check(type(value["x"]) is float, "element %d: x is a %s, not a float" % (i, type(value["x"]).__name__))
    for key, expected in want.items():
        check(value[key] == expected, "element %d: %s is %r, not %r" % (i, key, value[key], expected))


def run(lang, load):
    options = dict(nwsHost=os.environ["NWS_HOST"], nwsPort=int(os.environ["NWS_PORT"]), launch="local",
                   workerCount=2, language=lang)
    if load:
        options["load"] = [load]
    with Sleigh(**options) as s:
        # Both workers in before the job, so that both get chunks.
        workers, closed = s.status(True, 120)
        check((workers, closed) == (2, True), "%d workers joined (group closed: %s)" % (workers, closed))
        i = list(range(ELEMENTS))
        results = s.eachElem(FUNCTIONS[lang], [i, [k + 0.5 for k in i], ["e%d" % k for k in i],
                                               [["a", "b", "c"]] * ELEMENTS])
        check(len(results) == ELEMENTS, "%d results" % len(results))
        for k, value in enumerate(results):
            check_result(k, value, lang)
        # Trivial tasks may all go to the first worker (the core gives each
        # chunk to the least busy one): eachWorker runs the function on
        # each worker, so both are seen to run it.
        each = s.eachWorker(FUNCTIONS[lang], 7, 7.5, "e7", ["a", "b", "c"])
        check(len(each) == 2, "eachWorker gave %d results" % len(each))
        for value in each:
            check_result(7, value, lang)
    return len(results)


def main(argv):
    if len(argv) not in (2, 3) or argv[1] not in FUNCTIONS:
        print("usage: master.py WORKER_LANG [LOAD]  (WORKER_LANG: %s)" % ", ".join(FUNCTIONS), file=sys.stderr)
        return 2
    lang = argv[1]
    try:
        n = run(lang, argv[2] if len(argv) == 3 else None)
    except Exception as exc:  # noqa: BLE001 - one line for the matrix's log
        print("FAIL %s" % (exc if isinstance(exc, Failed) else "%s: %s" % (type(exc).__name__, exc)))
        return 1
    print("ok python -> %s: %d results" % (lang, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
