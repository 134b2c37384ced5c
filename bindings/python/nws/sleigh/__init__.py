"""Sleigh: run a function over many elements on a pool of worker processes,
coordinated through one NWS workspace (the original nws.sleigh API)::

    from nws.sleigh import Sleigh

    with Sleigh() as s:                         # one local worker per core
        print(s.eachElem(lambda x: x * x, range(10)))

The core (nws/sleigh.hpp) does the work: workspace layout, join, chunks,
launchers, the worker loop and fault tolerance; this package pickles
functions (cloudpickle) and arguments, or runs a function by name with
portable arguments on workers of any language (``language='r'``, ...,
``s.eachElem('fit_model', ...)``), and offers the Python API:
:class:`Sleigh` (eachElem, eachWorker, imap, starmap, status, workerInfo,
executor, stop), :func:`sshcmd`, :func:`sshforwardcmd`, :func:`launch`.
Workers run ``python -m nws.sleigh.worker``.
"""

from ._executor import SleighExecutor
from ._sleigh import Sleigh, SleighPending, launch, sshcmd, sshforwardcmd
from ._tasks import SleighTaskError

__all__ = ["Sleigh", "SleighPending", "SleighExecutor", "SleighTaskError", "launch", "sshcmd", "sshforwardcmd"]
