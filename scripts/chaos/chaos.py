"""The chaos test (scripts/chaos.sh runs it): producers and consumers in
several languages move numbered values through leased fetches while
clients are SIGKILLed at random and the server is killed and restarted
every few seconds.  At the end every value produced must have been
consumed exactly once.

Each producer appends to produced-ID the numbers whose stores were
acknowledged; each consumption is a "ID:N|CONSUMER" value stored into
`done` in the same step as the lease's acknowledgement.  A store whose
answer was lost may or may not have landed: such values are counted apart
("in doubt"), never as lost or duplicated.
"""
import argparse
import collections
import os
import random
import re
import socket
import signal
import subprocess
import sys
import tempfile
import time

from nws.client import NetWorkSpace

HERE = os.path.dirname(os.path.abspath(__file__))
WORKERS = {
    "python": lambda: [sys.executable, os.path.join(HERE, "worker.py")],
    "ruby": lambda: ["ruby", os.path.join(HERE, "worker.rb")],
    "perl": lambda: ["perl", os.path.join(HERE, "worker.pl")],
}


class Server:
    """nws-server on a fixed port with a data directory, killed and restarted."""

    def __init__(self, binary, work, port, log):
        self.cmd = [binary, "--bind", "127.0.0.1", "--port", str(port), "--no-web", "--data-dir",
                    os.path.join(work, "data"), "--fsync", "always", "--spool-dir", work, "--log-level", "warn"]
        self.log = open(log, "a")
        self.proc = None

    def start(self):
        for _ in range(100):
            self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=self.log, text=True)
            line = self.proc.stdout.readline()
            if "listening on" in line:
                return
            # The port may still be held for a moment, or the data log's
            # lock by the server just killed: try again.
            self.proc.wait()
            time.sleep(0.05)
        raise RuntimeError("nws-server did not restart; see its log")

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=180)
    ap.add_argument("--languages", default="python,ruby,perl")
    ap.add_argument("--restart-every", type=float, default=4.0, help="seconds between server kills")
    ap.add_argument("--kill-every", type=float, default=0.7, help="seconds between client kills")
    ap.add_argument("--server", required=True)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    langs = a.languages.split(",")
    work = tempfile.mkdtemp(prefix="nws-chaos-")
    out = os.path.join(work, "out")
    os.mkdir(out)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    os.environ["NWS_HOST"], os.environ["NWS_PORT"] = "127.0.0.1", str(port)
    server = Server(a.server, work, port, os.path.join(work, "server.log"))
    server.start()
    NetWorkSpace("chaos", persistent=True).close()  # made persistent, so durable
    print(f"chaos: {a.seconds:g} s, languages {', '.join(langs)}, seed {seed}, work in {work}", flush=True)

    clients = {}  # ident -> (process, role, language)
    generation = collections.Counter()

    def spawn(role, lang):
        generation[(role, lang)] += 1
        ident = f"{lang}-{role[0]}{generation[(role, lang)]}"
        proc = subprocess.Popen(WORKERS[lang]() + [role, ident, out], stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(work, f"{ident}.err"), "w"))
        clients[ident] = (proc, role, lang)

    for lang in langs:
        spawn("producer", lang)
        spawn("consumer", lang)
        spawn("consumer", lang)

    kills = restarts = 0
    start = time.monotonic()
    next_restart = start + a.restart_every
    next_kill = start + a.kill_every
    while time.monotonic() - start < a.seconds:
        now = time.monotonic()
        if now >= next_restart:
            server.kill()
            server.start()
            restarts += 1
            next_restart = now + a.restart_every * rng.uniform(0.5, 1.5)
        if now >= next_kill:
            ident = rng.choice(sorted(clients))
            proc, role, lang = clients.pop(ident)
            proc.kill()
            proc.wait()
            kills += 1
            spawn(role, lang)
            next_kill = now + a.kill_every * rng.uniform(0.5, 1.5)
        for ident, (proc, role, lang) in list(clients.items()):
            if proc.poll() is not None:  # a worker must never end by itself
                sys.exit(f"chaos: {ident} exited with {proc.returncode}: "
                         + open(os.path.join(work, f"{ident}.err")).read()[-2000:])
        elapsed = time.monotonic() - start
        if int(elapsed) % 10 == 0 and elapsed - int(elapsed) < 0.1:
            print(f"chaos: {elapsed:5.0f} s, {restarts} server restarts, {kills} clients killed", flush=True)
        time.sleep(0.1)

    # Producers stop; consumers empty the queue, then stop; what a killed
    # consumer held comes back and is drained here, as a consumer would.
    for ident, (proc, role, lang) in list(clients.items()):
        if role == "producer":
            proc.kill()
            proc.wait()
            del clients[ident]
    ws = NetWorkSpace("chaos", persistent=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        listing = ws.listVars()
        m = re.search(r"^queue\t(\d+)", listing, re.M)
        if not m or m.group(1) == "0":
            break
        time.sleep(0.2)
    for proc, role, lang in clients.values():
        proc.kill()
        proc.wait()
    # A clean restart: whatever a killed consumer still held is back in the
    # queue once the server has started again (its lease ended with it).
    ws.close()
    server.stop()
    server.start()
    ws = NetWorkSpace("chaos", persistent=True)
    drained = 0
    while True:
        lease = ws.leaseTry("queue")
        if lease is None:
            break
        lease.ackStore("done", f"{lease.value}|drain")
        drained += 1

    consumed = collections.Counter()
    by_language = collections.Counter()
    while True:
        v = ws.fetchTry("done")
        if v is None:
            break
        value, who = v.rsplit("|", 1)
        consumed[value] += 1
        by_language[who.split("-")[0]] += 1
    ws.close()
    server.stop()

    produced = set()
    for name in os.listdir(out):
        if name.startswith("produced-"):
            ident = name[len("produced-"):]
            with open(os.path.join(out, name)) as f:
                produced.update(f"{ident}:{line.strip()}" for line in f if line.strip())
    duplicated = sum(1 for v, n in consumed.items() if n > 1)
    lost = len(produced - set(consumed))
    in_doubt = len(set(consumed) - produced)
    print(f"chaos: {restarts} server restarts, {kills} clients killed, seed {seed}")
    print(f"chaos: consumed by language: {dict(sorted(by_language.items()))} ({drained} drained at the end)")
    print(f"produced {len(produced)}  consumed {sum(consumed.values())}  duplicated {duplicated}  lost {lost}"
          f"  (in doubt: {in_doubt} stores whose answer a kill cut off, each consumed once)")
    if duplicated or lost:
        print(f"chaos: FAILED; the run's files are in {work}", file=sys.stderr)
        sys.exit(1)
    if not produced or restarts == 0 or kills == 0:
        sys.exit("chaos: FAILED: the run moved nothing, or killed nothing")


if __name__ == "__main__":
    main()
