"""The Sleigh class: the original 1.6 API over the core's master."""

from __future__ import annotations

import atexit
import itertools
import os
import pickle
import sys
import weakref
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from .. import _core
from .._errors import NwsTimeoutException
from . import _named, _tasks
from ._tasks import SleighTaskError

__all__ = ["Sleigh", "SleighPending", "sshcmd", "sshforwardcmd", "launch"]

_DEFAULT_PORT = _core.DEFAULT_PORT

# SLEIGH.md §8, the Python 1.6.4 options, and ours.
_OPTIONS: Dict[str, Any] = {
    "nwsHost": None,            # None: $PythonSleighNwsHost, $NWS_HOST, else localhost (see Sleigh)
    "nwsPort": None,
    "nwsHostRemote": None,      # where workers connect, if not where the master does
    "nwsPortRemote": None,
    "launch": "local",          # 'local', 'web', 'slurm', or a function (machine, **options) -> prefix
    "workerCount": None,        # local: one per core; slurm: $SLURM_NTASKS; function: len(nodeList)
    "nodeList": None,           # for a launch function: one worker per entry
    "scriptExec": None,         # accepted for old scripts; workers are `python -m nws.sleigh.worker`
    "scriptDir": None,
    "scriptName": None,
    "modulePath": None,         # import path for workers (local: the master's sys.path)
    "workingDir": None,         # the master's current directory
    "logDir": None,             # workers' output files (<ws>_<id>.txt) go there
    "user": None,               # for sshcmd and friends; with password, also the NWS user
    "passwd": None,             # accepted, unused
    "wsNameTemplate": "sleigh_ride_%04d",
    "userWsNameTemplate": "sleigh_user_%04d",
    "verbose": False,           # workers' output into files in workingDir (when no logDir)
    "redirectOutput": True,     # workers' print() into output@<rank> (when no logDir)
    # Beyond the original:
    "python": None,             # the workers' interpreter (default: this one; Python workers only)
    "language": "python",       # the workers' language: python, r, java, perl or ruby
    "load": (),                 # what workers load before their first task (modules, packages, files)
    "workerProgram": None,      # the workers' command (default: this Python, or the language's worker program)
    "progress": False,          # a progress bar (tqdm) on jobs, when stderr is a terminal
    "slurmArgs": (),            # extra srun/sbatch options
    "inboxDepth": 2,            # chunks queued per worker
    "stopTimeout": 10.0,        # seconds stop() waits for workers to go
    "joinTimeout": None,        # eachWorker waits this long for the group (None: for ever)
    # TLS and credentials (docs/security.md), for the master's connections
    # and its workers' (in their environment: NWS_TLS, NWS_TLS_CA, ...):
    "tls": None,
    "tlsCa": None,
    "tlsCert": None,
    "tlsKey": None,
    "tlsServerName": None,
    "password": None,           # with user: SCRAM-SHA-256
    "token": None,
}

_running: "weakref.WeakSet[Sleigh]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for s in list(_running):
        try:
            s.stop()
        except Exception:  # noqa: BLE001 - the interpreter is going away
            pass


def sshcmd(machine: str, **kw: Any) -> List[str]:
    """The launch function for ssh: ``ssh -n -x [-l user] machine``."""
    return list(_core.sleigh_ssh_prefix(machine, kw.get("user") or ""))


def sshforwardcmd(machine: str, **kw: Any) -> List[str]:
    """ssh with a reverse tunnel, ``-R [nwsHostRemote:]nwsPortRemote:nwsHost:nwsPort``,
    so workers reach the server through it (they connect to
    nwsHostRemote:nwsPortRemote on their machine; Sleigh sets those to
    localhost and nwsPort unless given)."""
    remote_port = kw.get("nwsPortRemote") or kw["nwsPort"]
    return list(_core.sleigh_ssh_forward_prefix(machine, kw.get("user") or "", int(remote_port), kw["nwsHost"],
                                                int(kw["nwsPort"]), ""))


def _is_iterable_arg(x: Any) -> bool:
    if isinstance(x, (str, bytes, bytearray, dict)):
        return False
    try:
        iter(x)
    except TypeError:
        return False
    return True


def _element_iterables(elementArgs: Any) -> List[Iterable]:
    """The original rule: a list of iterables gives one argument per
    iterable (zipped: the shortest decides); anything else (a list of
    plain values, a range, a generator) is one iterable; a scalar, one task."""
    if isinstance(elementArgs, list):
        if elementArgs and all(_is_iterable_arg(a) for a in elementArgs):
            return elementArgs
        return [elementArgs]
    if _is_iterable_arg(elementArgs):
        return [elementArgs]
    return [[elementArgs]]


def _known_length(iterables: Sequence[Iterable]) -> Optional[int]:
    try:
        return min(len(it) for it in iterables)  # type: ignore[arg-type]
    except TypeError:
        return None


def _values_of(chunk: Tuple) -> List[Any]:
    """A chunk's result tuple from the core -> its values (errors in place)."""
    first, count, status, payload, rank, _failed, _seconds = chunk
    if status == "ok":
        return pickle.loads(payload)
    message = payload.decode("utf-8", "replace")
    return [SleighTaskError("task %d: %s" % (first + i, message), None, "", first + i, rank) for i in range(count)]


class _ChunkStream:
    """A pickled job's results as (index, value) pairs, a chunk at a time
    (named jobs have the same face: _named.OutcomeStream)."""

    chunked = True

    def __init__(self, job: Any, order: str) -> None:
        self.job, self.order = job, order

    def next(self, timeout: Optional[float]) -> Optional[List[Tuple[int, Any]]]:
        chunk = self.job.next(self.order, timeout)
        if chunk is None:
            return None
        return list(zip(range(chunk[0], chunk[0] + chunk[1]), _values_of(chunk)))

    def close(self) -> None:
        self.job.close()

    @property
    def id(self) -> int:
        return self.job.id


class _Progress:
    """tqdm when asked for and stderr is a terminal; otherwise nothing."""

    def __init__(self, enabled: bool, total: Optional[int], desc: str) -> None:
        self._bar = None
        if enabled and sys.stderr is not None and sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit="task")

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class _Feeder:
    """Cuts a stream of argument tuples into chunks for a job."""

    def __init__(self, job: Any, elements: Iterator[Tuple], total: Optional[int], chunk: Optional[int],
                 workers: int) -> None:
        self.job = job
        self.elements = elements
        self.total = total
        self.added = 0
        self.exhausted = False
        self.fixed_chunk = chunk
        self.workers = max(workers, 1)
        self.first_bytes: Optional[int] = None

    def _size(self) -> int:
        if self.fixed_chunk:
            return self.fixed_chunk
        if self.total is not None:
            return _core.sleigh_chunk_size(self.total, self.workers, self.first_bytes or 0)
        return self.job.adaptive_chunk_size()

    def feed_one(self) -> int:
        """Adds one chunk; returns its element count (0 at the end)."""
        if self.exhausted:
            return 0
        if self.first_bytes is None and self.fixed_chunk is None:
            # An element's size bounds the chunk (no chunk grows past what
            # the server keeps in memory).
            first = next(self.elements, None)
            if first is None:
                self.exhausted = True
                return 0
            self.first_bytes = len(_tasks.dumps(first))
            self.elements = itertools.chain([first], self.elements)
        batch = list(itertools.islice(self.elements, self._size()))
        if not batch:
            self.exhausted = True
            return 0
        estimate = (self.first_bytes or 0) * len(batch)
        if estimate and self.job.spills(estimate):
            # A large chunk of a local sleigh: pickled straight into the
            # file the workers map, not through the server.
            path = self.job.spill_path()
            try:
                _tasks.dump_to(batch, path)
            except BaseException:
                if os.path.exists(path):
                    os.unlink(path)
                raise
            self.job.add_spilled_chunk(self.added, len(batch), path)
        else:
            self.job.add_chunk(self.added, len(batch), _tasks.dumps(batch))
        self.added += len(batch)
        return len(batch)


class _Collector:
    """Gathers a job's results, a batch of (index, value) pairs at a time:
    into a list in element order, or into the accumulator, with the
    progress bar."""

    def __init__(self, accumulator: Optional[Callable], progress: _Progress) -> None:
        self.accumulator = accumulator
        self.progress = progress
        self.results: List[Any] = []
        self.received = 0
        self.batches = 0

    def take(self, pairs: List[Tuple[int, Any]]) -> None:
        if not pairs:
            return
        if self.accumulator is not None:
            self.accumulator(pairs)
        else:
            end = max(i for i, _ in pairs) + 1
            if len(self.results) < end:
                self.results.extend([None] * (end - len(self.results)))
            for i, value in pairs:
                self.results[i] = value
        self.received += len(pairs)
        self.batches += 1
        self.progress.update(len(pairs))


class SleighPending:
    """A non-blocking job (``blocking=False``): ``check()`` says how many
    results are still to come, ``wait()`` returns them (or None with an
    accumulator)."""

    def __init__(self, stream: Any, collector: _Collector, total: int) -> None:
        self._stream, self._collector, self._total = stream, collector, total
        self._done = False

    def _drain(self, timeout: Optional[float]) -> bool:
        try:
            pairs = self._stream.next(timeout)
        except NwsTimeoutException:
            return False
        if pairs is None:
            self._done = True
            return False
        self._collector.take(pairs)
        return True

    def check(self) -> int:
        """The number of tasks whose results have not arrived yet."""
        while not self._done and self._drain(0):
            pass
        return self._total - self._collector.received

    def wait(self) -> Optional[List[Any]]:
        """Waits for every result: the list in task order, or None when an
        accumulator took them."""
        while not self._done:
            self._drain(None)
        self._collector.progress.close()
        return None if self._collector.accumulator is not None else self._collector.results

    @property
    def chunks(self) -> Optional[int]:
        """How many chunks (task messages) the results came in so far; None
        for a function run by name (its results come one per element)."""
        return self._collector.batches if self._stream.chunked else None

    def __repr__(self) -> str:
        return "<SleighPending job %d, %d of %d results>" % (self._stream.id, self._collector.received, self._total)


class Sleigh:
    """A pool of worker processes fed through one NWS workspace.

    ``Sleigh(**options)`` with the original options (SLEIGH.md §8):
    ``launch='local'`` (default; ``workerCount`` workers, one per core),
    a function such as :func:`sshcmd` / :func:`sshforwardcmd` with
    ``nodeList`` (one worker per entry), ``'slurm'`` (srun inside an
    allocation, sbatch outside one), or ``'web'`` (a person starts the
    workers with the command in ``runMe``).  With no server named
    (``nwsHost``/``nwsPort``, ``$PythonSleighNwsHost``, ``$NWS_HOST``) and
    none listening on localhost:8765, a local sleigh starts a server inside
    this program.  Use it as a context manager, or call ``stop()``.

    TLS and credentials (docs/security.md): ``tls``, ``tlsCa``, ``tlsCert``,
    ``tlsKey``, ``tlsServerName``, ``password`` (with ``user``, which is
    also the login name launch functions such as sshcmd get) and ``token``,
    as NwsServer takes them.  The master connects with them and the core's
    launcher hands them to the workers in their environment ($NWS_TLS,
    $NWS_TLS_CA, ..., $NWS_PASSWORD, $NWS_TOKEN); workers an ssh launch
    starts get the password or token on the command's standard input, never
    on a command line.  Workers a person starts (``launch='web'``) need
    those variables set where they run.

    Cross-language sleighs: ``language`` names the workers' language
    (``'python'``, the default, ``'r'``, ``'java'``, ``'perl'`` or
    ``'ruby'``, any case), and ``load`` what each worker loads before its
    first task (R packages or ``.R`` files, Python modules or ``.py``
    files, Perl modules, Ruby files; Java ignores it).  Workers of another
    language are started with that language's worker program
    (``$NWS_SLEIGH_RSCRIPT``, ``$NWS_SLEIGH_CLASSPATH``, ...: see
    docs/sleigh-languages.md), or with ``workerProgram`` (a list of
    words), and run functions by name in their form
    (``'pkg::fit_model'``, ``'org.example.Stats#mean'``,
    ``'Stats::mean'``, ``'Stats.mean'``); arguments and results travel as
    portable values (docs/values.md).  Python workers take a name too
    (``'module:function'``) besides a callable.
    """

    def __init__(self, **options: Any) -> None:
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            raise TypeError("Sleigh: unknown option(s) %s" % ", ".join(unknown))
        if os.environ.get("PythonSleighAllowed", "").upper() == "FALSE":
            raise RuntimeError("Sleigh: a sleigh cannot be created inside a sleigh worker")
        o = dict(_OPTIONS)
        o.update(options)
        self.options = o
        self._server = None  # an embedded server we started
        self._master = None
        self._nws = self._user_nws = None
        launch_opt = o["launch"]
        if launch_opt == "service":
            raise ValueError("Sleigh: launch='service' (the Windows service) is not supported; use 'local', "
                             "'web', 'slurm' or a launch function such as sshcmd")
        if callable(launch_opt):
            kind = "command"
        elif launch_opt in ("local", "slurm", "web"):
            kind = "manual" if launch_opt == "web" else launch_opt
        else:
            raise ValueError("Sleigh: launch must be 'local', 'web', 'slurm' or a function, not %r" % (launch_opt,))
        # Checked before anything starts (TypeError, ValueError).
        self._security = _core.check_security(_security_of(o))
        self.language = _core.sleigh_language_id(str(o["language"]))
        own = self.language == "python"
        load = _load_list(o["load"])
        host, port = self._resolve_server(o, kind)
        o["nwsHost"], o["nwsPort"] = host, port
        python = o["python"] or sys.executable
        working_dir = o["workingDir"] or os.getcwd()
        log_dir = o["logDir"] or (working_dir if o["verbose"] else "")
        module_path = o["modulePath"]
        if module_path is None and launch_opt == "local" and own:
            # As multiprocessing's spawn does: local workers import what the master can.
            module_path = os.pathsep.join(p for p in sys.path if p and os.path.isdir(p))
        node_list = list(o["nodeList"] or [])
        prefixes: Dict[str, List[str]] = {}
        remote_host, remote_port = o["nwsHostRemote"], o["nwsPortRemote"]
        if kind == "command":
            if not node_list:
                node_list = ["localhost"] * 3  # the original's default
            if launch_opt is sshforwardcmd:
                remote_host = remote_host or "localhost"
                remote_port = remote_port or port
            opts = dict(o, nwsHostRemote=remote_host, nwsPortRemote=remote_port)
            for node in node_list:
                prefixes[node] = [str(w) for w in launch_opt(node, **opts)]
        worker_count = int(o["workerCount"] or 0)
        if own:
            manual = "import nws.sleigh; nws.sleigh.launch('{ws}', '{host}', {port}, userNwsName='{userws}'%s)" % (
                ", load=%r" % (load,) if load else "")
        else:
            manual = _foreign_manual_command(self.language, load) if kind == "manual" else ""
        try:
            self._master = _core.SleighMaster(
                host=host, port=port, ws_template=o["wsNameTemplate"], user_ws_template=o["userWsNameTemplate"],
                kind=kind, worker_count=worker_count, node_list=node_list, prefixes=prefixes,
                worker_program=_worker_program(o["workerProgram"], python, own),
                working_dir=working_dir, log_dir=log_dir,
                module_path=module_path or "", redirect_output=bool(o["redirectOutput"]) and not log_dir,
                remote_host=remote_host or "", remote_port=remote_port, slurm_args=list(o["slurmArgs"]),
                extra_env={}, manual_command=manual,
                inbox_depth=int(o["inboxDepth"]), stop_wait=float(o["stopTimeout"]), security=self._security,
                language=self.language, load=load)
        except BaseException:
            if self._server is not None:
                self._server.stop()
            raise
        self._user_nws = None
        self._nws = None
        _running.add(self)

    def _resolve_server(self, o: Dict[str, Any], kind: str) -> Tuple[Optional[str], Optional[int]]:
        """The core's rule for the master's server; a server of our own if it says so."""
        host, port, start_embedded = _core.sleigh_choose_server(
            o["nwsHost"], o["nwsPort"], "PythonSleigh", kind)
        if start_embedded:
            import nws.server

            self._server = nws.server.local()
            return self._server.host, self._server.port
        return host, port

    # ---- properties of the original ----

    @property
    def nws(self) -> Any:
        """A NetWorkSpace on the sleigh workspace (its monitoring variables,
        ``logError``, workers' ``output@<rank>``)."""
        if self._nws is None:
            from ..client import NetWorkSpace

            self._nws = NetWorkSpace(self._m().ws_name, serverHost=self.options["nwsHost"],
                                     serverPort=self.options["nwsPort"], useUse=True, create=False,
                                     **self._security)
        return self._nws

    @property
    def userNws(self) -> Any:
        """A NetWorkSpace on the sleigh's user workspace (workers see it as SleighUserNws)."""
        if self._user_nws is None:
            from ..client import NetWorkSpace

            m = self._m()
            self._user_nws = NetWorkSpace(m.user_ws_name, serverHost=self.options["nwsHost"],
                                          serverPort=self.options["nwsPort"], useUse=True, create=False,
                                          **self._security)
        return self._user_nws

    @property
    def wsName(self) -> str:
        return self._m().ws_name

    @property
    def userWsName(self) -> str:
        return self._m().user_ws_name

    def _m(self) -> Any:
        if self._master is None or self._master.stopped:
            raise RuntimeError("Sleigh: this sleigh has been stopped")
        return self._master

    def _workers_hint(self) -> int:
        m = self._m()
        return max(m.workers_alive, m.launched, 1)

    def _progress(self, kw: Dict[str, Any], total: Optional[int], desc: str) -> _Progress:
        return _Progress(bool(kw.get("progress", self.options["progress"])), total, desc)

    # ---- jobs ----

    def eachElem(self, fun: Callable, elementArgs: Any = [], fixedArgs: Sequence = [], **kw: Any) -> Any:  # noqa: B006
        """Runs ``fun`` once per element: task i gets the i-th element of
        each iterable in ``elementArgs`` followed by ``fixedArgs`` (reordered
        by ``argPermute``).  Returns the results in task order (a task that
        raised gives a SleighTaskError in its place), or None with an
        ``accumulator`` (called with lists of ``(task index, value)``).

        ``fun`` is a callable, or a function's name in the workers' language
        (``'module:function'`` for Python workers; see the class): a named
        function takes and returns portable values (docs/values.md).

        Options: ``blocking`` (default True; False returns a SleighPending),
        ``loadFactor`` (at most loadFactor x workers chunks outstanding, at least one per worker),
        ``accumulator``, ``argPermute``, ``chunkSize`` (default: automatic),
        ``progress`` (a progress bar).
        """
        _check_kw("eachElem", kw, {"argPermute", "blocking", "loadFactor", "accumulator", "chunkSize", "progress"})
        iterables = _element_iterables(elementArgs)
        total = _known_length(iterables)
        job, feeder, stream = self._map_job(fun, zip(*iterables), total, kw.get("chunkSize"), "arrival",
                                            fixedArgs, kw.get("argPermute"))
        collector = _Collector(kw.get("accumulator"), self._progress(kw, total, "eachElem"))
        blocking = kw.get("blocking", True)
        # The core's rule for a load factor; a non-blocking job feeds at once.
        # The window only closes when a chunk goes out, so a result is
        # waited for with no chunk half filled.
        limit = _core.sleigh_outstanding_limit(kw.get("loadFactor") if blocking else None, self._workers_hint())
        try:
            while True:
                while not feeder.exhausted and job.outstanding < limit:
                    feeder.feed_one()
                if feeder.exhausted:
                    break
                collector.take(stream.next(None))
            job.close()
        except BaseException:
            job.close()
            collector.progress.close()
            raise
        pending = SleighPending(stream, collector, feeder.added)
        return pending.wait() if blocking else pending

    def _map_job(self, fun: Any, elements: Iterator[Tuple], total: Optional[int], chunk: Optional[int], order: str,
                 fixed: Sequence = (), permute: Optional[Sequence[int]] = None) -> Tuple[Any, Any, Any]:
        """(job, feeder, result stream) of an eachElem/imap job: pickled for a
        Python callable, portable for a function named in the workers' language."""
        spec = _named.spec(self.language, fun)
        m = self._m()
        if spec is None:
            job = m.each_elem(_tasks.dumps_function(fun, fixed, permute))
            return job, _Feeder(job, elements, total, chunk, self._workers_hint()), _ChunkStream(job, order)
        # The core paces nothing here (no load factor): the window is ours,
        # by the same rule as the pickled jobs'.
        job = _core.SleighMapJob.each_elem(m, spec, total=total, chunk_size=int(chunk or 0), order=order)
        return job, _named.ElementFeeder(job, elements, fixed, permute), _named.OutcomeStream(job)

    def eachWorker(self, fun: Callable, *workerArgs: Any, **kw: Any) -> Any:
        """Runs ``fun(*workerArgs)`` once on every worker (each exactly once,
        the workers waiting at a barrier until all are done).  Returns the
        results in rank order (or a SleighPending with ``blocking=False``,
        or None with an ``accumulator``)."""
        _check_kw("eachWorker", kw, {"blocking", "accumulator", "progress", "timeout"})
        m = self._m()
        timeout = kw.get("timeout", self.options["joinTimeout"])
        spec = _named.spec(self.language, fun)
        if spec is None:
            job = m.each_worker(_tasks.dumps_function(fun), _tasks.dumps([tuple(workerArgs)]), timeout)
            stream, total = _ChunkStream(job, "arrival"), m.workers_alive
        else:
            job = _core.SleighMapJob.each_worker(m, spec, _named.encode_args(workerArgs), timeout)
            stream, total = _named.OutcomeStream(job), job.added
        collector = _Collector(kw.get("accumulator"), self._progress(kw, None, "eachWorker"))
        pending = SleighPending(stream, collector, total)
        return pending.wait() if kw.get("blocking", True) else pending

    def imap(self, fun: Callable, *iterables: Iterable, **kw: Any) -> Iterator[Any]:
        """Like the builtin map, lazily and in order: ``fun(a, b, ...)`` for
        each element of the iterables (shortest wins), at most ``loadFactor``
        (default 10) chunks per worker outstanding.  A task that raised
        yields a SleighTaskError in its place."""
        _check_kw("imap", kw, {"loadFactor", "chunkSize", "progress"})
        return self._stream(fun, zip(*iterables), _known_length(iterables), kw, "imap")

    def starmap(self, fun: Callable, iterable: Iterable[Sequence], **kw: Any) -> Iterator[Any]:
        """imap with the arguments of each call given as one sequence."""
        _check_kw("starmap", kw, {"loadFactor", "chunkSize", "progress"})
        return self._stream(fun, (tuple(a) for a in iterable), _known_length([iterable]), kw, "starmap")

    def _stream(self, fun: Any, elements: Iterator[Tuple], total: Optional[int], kw: Dict[str, Any],
                desc: str) -> Iterator[Any]:
        job, feeder, stream = self._map_job(fun, elements, total, kw.get("chunkSize"), "elements")
        limit = _core.sleigh_outstanding_limit(kw.get("loadFactor", 10), self._workers_hint())
        progress = self._progress(kw, total, desc)

        def generate() -> Iterator[Any]:
            try:
                while True:
                    # Lazy: at most `limit` chunks sent or waiting to be taken.
                    while not feeder.exhausted and job.outstanding + job.undelivered < limit:
                        feeder.feed_one()
                    if feeder.exhausted:
                        job.close()
                    pairs = stream.next(None)
                    if pairs is None:
                        return
                    progress.update(len(pairs))
                    yield from (value for _, value in pairs)
            finally:
                job.close()
                progress.close()

        return generate()

    # ---- the pool ----

    def status(self, closeGroup: bool = False, timeout: float = 0) -> Tuple[int, bool]:
        """``(number of workers, group closed)``; waits up to ``timeout``
        seconds for the group to close, and with ``closeGroup`` closes it
        then with the workers that joined."""
        return self._m().status(bool(closeGroup), float(timeout))

    def workerInfo(self) -> List[Dict[str, Any]]:
        """One dict per joined worker, in rank order: host, os, pid, python,
        nws, rank, logfile (and id, name)."""
        out = []
        for record in self._m().worker_info():
            d: Dict[str, Any] = {}
            for line in record.split("\n"):
                k, _, v = line.partition("=")
                d[k] = v
            d["language"] = d.get("language", "")
            if self.language == "python":
                d["python"] = d["language"]  # the original's key
            for k in ("rank", "pid", "id"):
                if k in d:
                    d[k] = int(d[k])
            out.append(d)
        return sorted(out, key=lambda d: d.get("rank", 0))

    def executor(self) -> "SleighExecutor":
        """A concurrent.futures.Executor running on this sleigh: Python
        callables (pickled) on Python workers only."""
        from ._executor import SleighExecutor

        if self.language != "python":
            raise TypeError("Sleigh.executor() runs Python callables; this sleigh's workers are %s processes "
                            "(use eachElem or imap with a function's name)" % self.language)

        return SleighExecutor(self)

    def stop(self) -> None:
        """Stops the workers (each sentinel ends its worker), deletes the
        sleigh's workspaces, and waits for the processes it started."""
        if self._master is not None and not self._master.stopped:
            for ws in (self._user_nws, self._nws):
                if ws is not None:
                    ws.close()
            self._master.stop()
        if self._server is not None:
            self._server.stop()
        _running.discard(self)

    def __enter__(self) -> "Sleigh":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        if self._master is None or self._master.stopped:
            return "<Sleigh stopped>"
        return "<Sleigh %s, %d workers>" % (self._master.ws_name, self._master.workers_alive)


def _security_of(o: Dict[str, Any]) -> Dict[str, Any]:
    """The connection's security options among a sleigh's options.  ``user``
    is the original's login name for sshcmd; it is the NWS user too when a
    ``password`` is given (else $NWS_USER is)."""
    names = ("tls", "tlsCa", "tlsCert", "tlsKey", "tlsServerName", "password", "token")
    given = {k: o[k] for k in names if o[k] is not None}
    if o["password"] is not None and o["user"] is not None:
        given["user"] = o["user"]
    return given


def _worker_program(given: Any, python: str, own: bool) -> List[str]:
    """The workers' command: as given, else this interpreter for Python
    workers, else empty (the core's program for the workers' language)."""
    if given is not None:
        if isinstance(given, str) or not given or not all(isinstance(w, str) for w in given):
            raise TypeError("Sleigh: workerProgram takes a non-empty list of str (the command's words)")
        return list(given)
    return [python, "-m", "nws.sleigh.worker"] if own else []


def _load_list(load: Any) -> List[str]:
    """The load option: one entry or a sequence of them (modules, packages,
    files: the workers' language decides)."""
    if load is None:
        return []
    if isinstance(load, (str, os.PathLike)):
        load = [load]
    entries = [os.fspath(e) for e in load]
    if not all(isinstance(e, str) for e in entries):
        raise TypeError("Sleigh: load takes names or paths (str), not %r" % (load,))
    return entries


def _foreign_manual_command(language: str, load: List[str]) -> str:
    """What a person runs to start one worker of another language by hand
    (launch='web'): that language's worker program with the environment
    contract ({ws}, {host}, ... are the core's placeholders)."""
    prefix = _core.sleigh_env_prefix(language)
    env = [("NwsName", "{ws}"), ("NwsHost", "{host}"), ("NwsPort", "{port}"), ("UserNwsName", "{userws}"),
           ("Language", language)]
    if load:
        env.append(("Load", ":".join(load)))
    words = ["%s%s=%s" % (prefix, k, _core.sleigh_shell_quote(v)) for k, v in env]
    words += [_core.sleigh_shell_quote(w) for w in _core.sleigh_default_worker_program(language)]
    return "env " + " ".join(words)


def _check_kw(what: str, kw: Dict[str, Any], allowed: set) -> None:
    unknown = sorted(set(kw) - allowed)
    if unknown:
        raise TypeError("%s: unknown option(s) %s (known: %s)" % (what, ", ".join(unknown), ", ".join(sorted(allowed))))


def launch(nwsName: str, nwsHost: str = "localhost", nwsPort: int = _DEFAULT_PORT, maxWorkers: int = 1000,
           userNwsName: str = "", **kw: Any) -> Any:
    """The manual start (the original ``launch``, pasted from runMe): starts
    one worker process for the sleigh ``nwsName`` on this machine and
    returns its subprocess.Popen.  Options: ``python``, ``workingDir``,
    ``logDir``, ``modulePath``, ``load`` (modules the worker imports first)."""
    import subprocess

    module_path = kw.get("modulePath") or os.pathsep.join(p for p in sys.path if p and os.path.isdir(p))
    env = dict(os.environ)  # the contract's variables (all of them, from the core) go over it
    env.update(_core.sleigh_worker_environment("PythonSleigh", nwsName, nwsHost, int(nwsPort), userNwsName or "",
                                               kw.get("workingDir") or os.getcwd(), module_path, "python",
                                               _load_list(kw.get("load"))))
    return subprocess.Popen([kw.get("python") or sys.executable, "-m", "nws.sleigh.worker"], env=env,
                            stdin=subprocess.DEVNULL, start_new_session=True)
