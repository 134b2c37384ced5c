"""Python API for NetWorkSpaces: the original ``nws.client``, on Python 3.

NetWorkSpaces (NWS) lets programs on many machines, in many languages,
coordinate through named *workspaces* of named *variables* held by an NWS
server.  ``store`` adds a value to a variable; ``fetch`` removes and returns
one, waiting until there is one; ``find`` returns one without removing it;
the ``...Try`` forms never wait.

Example (start a server first, e.g. ``python -m nws.server``; a program
that names no server uses $NWS_HOST and $NWS_PORT, else localhost:8765)::

    >>> from nws.client import NetWorkSpace
    >>> ws = NetWorkSpace('test')
    >>> ws.store('dict example', {'a': 1, 'b': [2, 3]})
    >>> ws.fetch('dict example')
    {'a': 1, 'b': [2, 3]}

Values: ``str`` travels as a plain string (readable by every language),
``bytes`` as a binary string, anything else as a pickle (see nws._values).

Beyond the original API: ``NwsServer`` and ``NetWorkSpace`` are context
managers (closing the connection on exit); every call that can block
(fetch, find, fetchFile, findFile, ifetch, ifind, lease) takes ``timeout=`` in
seconds and raises NwsTimeoutException when it passes; Ctrl-C interrupts a
blocked call with KeyboardInterrupt and the objects stay usable; leased
fetch (``with ws.lease('task') as task: ...``, see NetWorkSpace.lease) hands
a value back to its variable if its consumer dies before acknowledging it.

Threads: see :mod:`nws._guard`.  In short, give each thread that blocks
its own NetWorkSpace; short calls may share one.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from typing import IO, Any, Dict, Optional, Tuple, Union

from . import _core, _errors
from ._errors import *  # noqa: F401,F403 - the exception classes, re-exported as the original client did
from ._errors import NwsConnectException, _attach_value
from ._guard import ConnectionGuard
from ._iterator import NwsValueIterator
from ._lease import Lease
from ._tables import FIFO, LIFO, MULTI, SINGLE
from ._textfile import NwsTextFile
from ._values import DESC_BYTES, decode, decode_text, encode, encode_name

__all__ = [
    "NwsServer",
    "NetWorkSpace",
    "NwsValueIterator",
    "NwsTextFile",
    "Lease",
    *_errors.__all__,  # the exception classes, re-exported as the original client did
    "FIFO",
    "LIFO",
    "MULTI",
    "SINGLE",
    "STRING",
    "DICT",
    "OPT_SSLKEY",
    "OPT_SSLCERT",
    "OPT_SSL",
    "OPT_DEADMAN",
    "OPT_METADATATOSERVER",
    "OPT_METADATAFROMSERVER",
    "WS_NAME",
    "WS_MINE",
    "WS_OWNER",
    "WS_PERSISTENT",
    "WS_NUMVARS",
    "WS_VARLIST",
    "V_VARIABLE",
    "V_VALUES",
    "V_FETCHERS",
    "V_FINDERS",
    "V_MODE",
    "NWS_PORT",
]

#: The port of the default server: a program that names no server talks to
#: $NWS_HOST:$NWS_PORT when they are set, else to localhost:NWS_PORT.
NWS_PORT = _core.DEFAULT_PORT

# The variable modes FIFO, LIFO, MULTI and SINGLE (see NetWorkSpace.declare)
# come from the core's table.

# Listing formats (see NetWorkSpace.listVars and NwsServer.listWss).
STRING = "string"
DICT = "dict"

# Connection options (the original 2.0 API's connopts keys).
OPT_SSLKEY = "SSLKey"
OPT_SSLCERT = "SSLCertificate"
OPT_SSL = "SSL"
OPT_DEADMAN = "KillServerOnClose"
OPT_METADATATOSERVER = "MetadataToServer"
OPT_METADATAFROMSERVER = "MetadataFromServer"

# Fields of a listWss(format=DICT) record.
WS_NAME = 0
WS_MINE = 1
WS_OWNER = 2
WS_PERSISTENT = 3
WS_NUMVARS = 4
WS_VARLIST = 5

# Fields of a listVars(format=DICT) record.
V_VARIABLE = 0
V_VALUES = 1
V_FETCHERS = 2
V_FINDERS = 3
V_MODE = 4

_FORMATS = (STRING, DICT)

#: A file name argument: a str, bytes or os.PathLike.
PathArg = Union[str, bytes, "os.PathLike[str]"]

# The ones a pickled connection does not carry: the new connection takes
# them from $NWS_PASSWORD / $NWS_TOKEN, as a sleigh worker does.
_SECRETS = ("password", "token")


def _given(**options: Any) -> Dict[str, Any]:
    """The security options given (not None), for nws._core to check."""
    return {k: v for k, v in options.items() if v is not None}


def _flag(value: Any) -> bool:
    """A connopts value as a switch: '', '0', 'False', 'false', 'no' are off."""
    return str(value) not in ("", "0", "False", "false", "no")


def _check_format(format: str) -> None:
    if format not in _FORMATS:
        raise ValueError("illegal format: %r (use STRING or DICT)" % (format,))


def _writer(fobj: Any) -> Any:
    """fobj.write, after the original client's sanity checks."""
    mode = getattr(fobj, "mode", None)
    if (isinstance(mode, str) and "b" not in mode) or getattr(fobj, "closed", False) or not hasattr(fobj, "write"):
        raise TypeError("fobj must be a binary mode file object opened for writing")
    return fobj.write


def _check_reader(fobj: Any) -> None:
    mode = getattr(fobj, "mode", None)
    if (isinstance(mode, str) and "b" not in mode) or getattr(fobj, "closed", False) or not hasattr(fobj, "read"):
        raise TypeError("fobj must be a binary mode file object opened for reading")


def _remaining(fobj: Any) -> Optional[int]:
    """Bytes left from the file's position to its end, if that can be known."""
    try:
        st = os.fstat(fobj.fileno())
        if stat.S_ISREG(st.st_mode):
            return max(st.st_size - int(fobj.tell()), 0)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    try:
        if fobj.seekable():
            here = int(fobj.tell())
            end = int(fobj.seek(0, io.SEEK_END))
            fobj.seek(here)
            return max(end - here, 0)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    return None


class NwsServer:
    """A connection to an NWS server, for the operations on workspaces as a
    whole: open, use, create, delete and list them.

    Operations on the variables of a workspace go through NetWorkSpace
    objects (``openWs`` and ``useWs`` return them; they share this
    connection).

    Usable as a context manager: the connection closes on exit.
    """

    def __init__(
        self,
        host: Optional[str] = None,
        port: Optional[int] = None,
        connopts: Optional[Dict[str, str]] = None,
        *,
        connectTimeout: Optional[float] = None,
        tls: Optional[bool] = None,
        tlsCa: Optional[PathArg] = None,
        tlsCert: Optional[PathArg] = None,
        tlsKey: Optional[PathArg] = None,
        tlsServerName: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        token: Optional[str] = None,
    ) -> None:
        """Connect to the NWS server at host:port.

        Arguments:

        host -- host name or address of the server (default: $NWS_HOST if
                set, else 'localhost').

        port -- its port (default: $NWS_PORT if set, else 8765, which is
                NWS_PORT).

        connopts -- connection options of the original 2.0 API.  Supported:
                OPT_DEADMAN ('KillServerOnClose': '1'): the server shuts
                down when this connection closes; OPT_SSL ('SSL': '1'),
                OPT_SSLCERT ('SSLCertificate': file) and OPT_SSLKEY
                ('SSLKey': file): tls, tlsCert and tlsKey below (the
                keywords win).  The metadata options are accepted and need
                nothing (the connection negotiates them itself).  Any other
                key raises NwsConnectException.

        connectTimeout -- seconds to wait for the connection and handshake
                (default 10).

        Security (docs/security.md); each one not given comes from the
        environment: $NWS_TLS=1, $NWS_TLS_CA, $NWS_TLS_CERT, $NWS_TLS_KEY,
        $NWS_USER, $NWS_PASSWORD, $NWS_TOKEN.

        tls -- True: TLS after the handshake.  The server's certificate
                must chain to the system's CAs (or tlsCa's) and carry the
                host's name (or tlsServerName's).

        tlsCa -- a PEM file of the CAs to trust instead of the system's
                (giving it turns TLS on).

        tlsCert, tlsKey -- a client certificate (PEM) and its key (default:
                in tlsCert), for a server that requires one (turns TLS on).

        tlsServerName -- the name the server's certificate must carry
                (default: host).

        user, password -- credentials for a server with users
                (SCRAM-SHA-256: the password never crosses the network).

        token -- the server's shared token, instead of user and password.

        Raises NwsConnectException if the server cannot be reached (its
        subclass NwsTlsException if TLS could not be set up),
        NwsAuthenticationException if the server refuses the credentials
        (or wants some), NwsInvalidArgumentException for a port that is not
        1 to 65535, TypeError for an option of the wrong type and
        ValueError for one that cannot be used (tls=False with tlsCa).
        """
        opts = dict(connopts or {})
        deadman = opts.pop(OPT_DEADMAN, None)
        opts.pop(OPT_METADATATOSERVER, None)
        opts.pop(OPT_METADATAFROMSERVER, None)
        ssl, ssl_cert, ssl_key = opts.pop(OPT_SSL, None), opts.pop(OPT_SSLCERT, None), opts.pop(OPT_SSLKEY, None)
        if opts:
            where = "the NWS server at %s:%s" % (host, port) if host or port is not None else "the default NWS server"
            raise NwsConnectException(
                "unsupported connection option(s) %s for %s" % (", ".join(sorted(opts)), where)
            )
        kill = deadman is not None and _flag(deadman)
        if tls is None and ssl is not None:
            tls = _flag(ssl)
        security = _given(tls=tls, tlsCa=tlsCa, tlsCert=tlsCert if tlsCert is not None else ssl_cert,
                          tlsKey=tlsKey if tlsKey is not None else ssl_key, tlsServerName=tlsServerName,
                          user=user, password=password, token=token)
        self._native = _core.Server(host, port, connectTimeout, kill, security)
        # What a pickled copy connects with (not the secrets).
        self._security = {k: v for k, v in security.items() if k not in _SECRETS}
        # Where the connection went, the defaults resolved (pickling
        # reconnects there).
        self.serverHost: str = self._native.host
        self.serverPort: int = self._native.port
        self._guard = ConnectionGuard("%s:%s" % (self.serverHost, self.serverPort))

    # -- plumbing -----------------------------------------------------------

    def _call(self, what: str, fn: Any, *args: Any, blocking: bool = False) -> Any:
        with self._guard.call(what, blocking):
            return fn(*args)

    def _open(self, wsName: Optional[str], useUse: bool, create: bool, persistent: bool) -> Any:
        name = encode_name(wsName, "workspace")
        if useUse:
            return self._call("useWs", self._native.use_ws, name, bool(create))
        return self._call("openWs", self._native.open_ws, name, bool(persistent), bool(create))

    # -- the original API ----------------------------------------------------

    def openWs(
        self,
        wsName: str,
        space: Optional["NetWorkSpace"] = None,
        create: bool = True,
        persistent: bool = False,
    ) -> "NetWorkSpace":
        """Open a workspace, taking ownership of it if nobody owns it yet.

        s.openWs(wsName[, space]) -> NetWorkSpace

        Arguments:

        wsName -- name of the workspace.

        space -- (internal, for compatibility) an existing NetWorkSpace
                named wsName to open again on this connection.

        create -- create the workspace if it does not exist (default
                True); with False a missing workspace raises
                NwsNoWorkSpaceException.

        persistent -- if this call makes us the owner: keep the workspace
                after our connection closes (default False: the server
                deletes it when its owner disconnects).

        Returns a NetWorkSpace sharing this connection.
        """
        if space is None:
            return NetWorkSpace(wsName, server=self, create=create, persistent=persistent)
        if space.currentWs() != wsName:
            raise ValueError("name of the specified workspace is incorrect")
        space._native = self._open(wsName, False, create, persistent)
        space.server = self
        return space

    def useWs(
        self,
        wsName: str,
        space: Optional["NetWorkSpace"] = None,
        create: bool = True,
        persistent: bool = False,
    ) -> "NetWorkSpace":
        """Use a workspace without taking ownership of it.

        s.useWs(wsName[, space]) -> NetWorkSpace

        Like openWs, but this connection never becomes the owner, so its
        closing never deletes the workspace.  ``persistent`` is accepted
        for compatibility and ignored.
        """
        if space is None:
            return NetWorkSpace(wsName, server=self, useUse=True, create=create)
        if space.currentWs() != wsName:
            raise ValueError("name of the specified workspace is incorrect")
        space._native = self._open(wsName, True, create, False)
        space.server = self
        return space

    def mktempWs(self, wsName: str = "__pyws__%d") -> str:
        """Create a workspace with a unique name and return that name.

        s.mktempWs([wsName]) -> str

        wsName is a template with one integer conversion (e.g.
        'job_%04d'); the server fills in a number and appends a suffix.
        The workspace is created unowned: open it (openWs) to own it.
        A template without a conversion raises NwsOperationException.
        """
        template = encode_name(wsName, "name_template")
        return decode_text(self._call("mktempWs", self._native.mktemp_ws, template))

    def deleteWs(self, wsName: str) -> None:
        """Delete a workspace and all its variables.

        s.deleteWs(wsName)

        Clients blocked on its variables are released with an error.
        Raises NwsOperationException if there is no such workspace.
        """
        self._call("deleteWs", self._native.delete_ws, encode_name(wsName, "workspace"))

    def listWss(self, format: str = STRING) -> Union[str, Dict[str, Tuple[Any, ...]]]:
        """List the server's workspaces.

        s.listWss([format]) -> str or dict

        format STRING (the default): the server's listing, one line per
        workspace ending with a newline; the TAB-separated fields are the
        name (prefixed with '>' if this connection owns it, else a space),
        the owner, persistence ('True'/'False'), the number of variables
        and their comma-separated names.

        format DICT: {name: (name, mine, owner, persistent, numVars,
        [varNames])}, indexed with WS_NAME, WS_MINE, WS_OWNER,
        WS_PERSISTENT, WS_NUMVARS and WS_VARLIST.
        """
        _check_format(format)
        text, rows = self._call("listWss", self._native.list_wss)
        if format == STRING:
            return decode_text(text)
        result: Dict[str, Tuple[Any, ...]] = {}
        for name, mine, owner, persistent, count, names in rows:
            name = decode_text(name)
            result[name] = (name, mine, decode_text(owner), persistent, count, [decode_text(n) for n in names])
        return result

    def close(self) -> None:
        """Close the connection (and so every NetWorkSpace using it).

        s.close()

        The server then deletes the non-persistent workspaces this
        connection owned.  Safe to call twice, and from another thread
        while a call is blocked (that call raises NwsClosedException).
        """
        self._native.close()

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._native.closed

    def __enter__(self) -> "NwsServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __reduce__(self) -> Any:
        # Like the original: an unpickled NwsServer is a new connection
        # (with the same TLS options and user; a password or token comes
        # from the environment there).
        if self._security:
            return (_reconnect, (NwsServer, (self.serverHost, self.serverPort), self._security))
        return (NwsServer, (self.serverHost, self.serverPort))

    def __str__(self) -> str:
        return "NwsServer %s:%s" % (self.serverHost, self.serverPort)

    def __repr__(self) -> str:
        return "<NwsServer %s:%s%s>" % (self.serverHost, self.serverPort, " closed" if self.closed else "")


class NetWorkSpace:
    """A workspace on an NWS server: store, fetch and find its variables.

    A workspace is like a dictionary shared over the network whose keys
    are variable names and whose entries are queues of values.  ``store``
    appends a value; ``fetch`` removes and returns one (which one depends
    on the variable's mode, see ``declare``), waiting if there is none;
    ``find`` returns one without removing it.  ``fetchTry`` and ``findTry``
    return a default instead of waiting.  When several clients wait in
    fetch on one variable, each stored value goes to exactly one of them.

    Usable as a context manager: the connection closes on exit.
    """

    def __init__(
        self,
        wsName: str = "__default",
        serverHost: Optional[str] = None,
        serverPort: Optional[int] = None,
        useUse: bool = False,
        server: Optional[NwsServer] = None,
        create: bool = True,
        persistent: bool = False,
        connopts: Optional[Dict[str, str]] = None,
        portable: bool = False,
        *,
        tls: Optional[bool] = None,
        tlsCa: Optional[PathArg] = None,
        tlsCert: Optional[PathArg] = None,
        tlsKey: Optional[PathArg] = None,
        tlsServerName: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        token: Optional[str] = None,
    ) -> None:
        """Connect to a server and open (or use) the workspace wsName.

        Arguments:

        wsName -- name of the workspace (default '__default').  Clients
                that name the same workspace on the same server share it.

        serverHost, serverPort -- where the server is (default:
                $NWS_HOST and $NWS_PORT if set, else 'localhost' and
                8765); ignored when server is given.

        useUse -- False (default): open the workspace, becoming its owner
                if it has none (an owned, non-persistent workspace is
                deleted when its owner disconnects).  True: only use it.

        server -- an NwsServer whose connection to share (normally via
                NwsServer.openWs / useWs).

        create -- create the workspace if it does not exist (default
                True); False raises NwsNoWorkSpaceException instead.

        persistent -- if we become the owner, keep the workspace after we
                disconnect (default False).

        connopts -- connection options, see NwsServer.

        portable -- store values that are not str or bytes in the portable
                encoding every language reads (docs/values.md) instead of
                pickling them (default False); also the attribute
                ``portable``, and store()'s argument of that name.

        tls, tlsCa, tlsCert, tlsKey, tlsServerName, user, password, token
                -- TLS and credentials (docs/security.md), see NwsServer;
                not with server (its connection has its own).

        Raises NwsConnectException (no server; NwsTlsException: TLS failed),
        NwsAuthenticationException, NwsNoWorkSpaceException,
        NwsPermissionDeniedException (the server's rules do not allow
        opening it), or NwsInvalidArgumentException (a None name, a bad
        port).
        """
        encode_name(wsName, "workspace")  # a bad name is refused before connecting
        security = _given(tls=tls, tlsCa=tlsCa, tlsCert=tlsCert, tlsKey=tlsKey, tlsServerName=tlsServerName,
                          user=user, password=password, token=token)
        if server is not None and security:
            raise ValueError("NetWorkSpace: %s cannot apply to an existing connection (server=); give them to "
                             "NwsServer" % ", ".join(sorted(security)))
        self.curWs = wsName
        self._useUse = bool(useUse)
        self._create = bool(create)
        self._persistent = bool(persistent)
        self.portable = bool(portable)
        own = server is None
        self.server: NwsServer = (NwsServer(serverHost, serverPort, connopts, **security) if server is None
                                  else server)
        try:
            self._native = self.server._open(wsName, self._useUse, self._create, self._persistent)
        except BaseException:
            if own:
                self.server.close()
            raise

    # -- plumbing -----------------------------------------------------------

    def _call(self, what: str, fn: Any, *args: Any, blocking: bool = False) -> Any:
        return self.server._call(what, fn, *args, blocking=blocking)

    def _decode(self, reply: Any, varName: str, missing: Any) -> Any:
        descriptor, data = reply[0], reply[1]
        return decode(descriptor, data, self.curWs, varName, missing)

    def _retrieve(self, how: str, varName: str, timeout: Optional[float], missing: Any) -> Any:
        var = encode_name(varName, "variable")
        blocking = how in ("fetch", "find")
        try:
            reply = self._call(how, self._native.retrieve, how, var, timeout, blocking=blocking)
        except BaseException as e:
            _attach_value(e, lambda r: self._decode(r, varName, None))
            raise
        if reply is None:
            return missing
        return self._decode(reply, varName, missing)

    def _try(self, how: str, varName: str, missing: Any) -> Any:
        # The core answers "no value" for the server's refusals of a Try
        # verb, and raises for a workspace that is gone (deleted, or never
        # opened on this connection).
        return self._retrieve(how, varName, None, missing)

    # -- values ----------------------------------------------------------------

    def store(self, varName: str, val: Any, portable: Optional[bool] = None) -> None:
        """Store a value into a variable (creating it, mode FIFO, if needed).

        ws.store(varName, val)
        ws.store(varName, val, portable=True)

        str is stored as a plain string, bytes as a binary string, any
        other value pickled, or, with portable (default: the workspace's
        ``portable``), in the portable encoding R, Java, Perl and Ruby read
        as their own types (numbers, lists, dicts, numpy arrays, pandas
        DataFrames, datetimes: docs/values.md).  Raises NwsPicklingException
        if the value cannot be pickled, or has no portable form.
        """
        var = encode_name(varName, "variable")
        descriptor, data = encode(val, self.curWs, varName, self.portable if portable is None else portable)
        native = self._native.store if isinstance(data, bytes) else self._native.store_encoded
        self._call("store", native, var, descriptor, data)

    def fetch(self, varName: str, timeout: Optional[float] = None) -> Any:
        """Remove and return a value of a variable, waiting for one.

        ws.fetch(varName[, timeout]) -> object

        Waits until the variable has a value (for ever, or at most
        ``timeout`` seconds: then NwsTimeoutException, and the request is
        withdrawn so a later value goes to someone else).  When several
        clients fetch the same variable, each value goes to only one.
        Ctrl-C raises KeyboardInterrupt and withdraws the request.
        """
        return self._retrieve("fetch", varName, timeout, None)

    def fetchTry(self, varName: str, missing: Any = None) -> Any:
        """Remove and return a value of a variable, or ``missing`` at once.

        ws.fetchTry(varName[, missing]) -> object

        Returns ``missing`` (default None) if the variable has no value, or
        if the server refuses the request for any other reason (as the
        original client did), except that a workspace that is gone (deleted,
        or never opened on this connection) raises NwsNoWorkSpaceException.
        """
        return self._try("fetchTry", varName, missing)

    def find(self, varName: str, timeout: Optional[float] = None) -> Any:
        """Return a value of a variable without removing it, waiting for one.

        ws.find(varName[, timeout]) -> object

        Like fetch, but the value stays in the variable.
        """
        return self._retrieve("find", varName, timeout, None)

    def findTry(self, varName: str, missing: Any = None) -> Any:
        """Return a value of a variable without removing it, or ``missing``.

        ws.findTry(varName[, missing]) -> object
        """
        return self._try("findTry", varName, missing)

    # -- leased fetch ------------------------------------------------------------

    def lease(self, varName: str, duration: float = _core.DEFAULT_LEASE_DURATION,
              timeout: Optional[float] = None) -> Lease:
        """Take a value of a variable under a lease, waiting for one.

        ws.lease(varName[, duration[, timeout]]) -> Lease

        Like fetch, but the value stays the server's until the Lease is
        settled (ack, ackStore, release).  If this connection closes (the
        program dies), or ``duration`` seconds (default 300) pass, first,
        the value goes back to the head of its variable and the next
        fetcher gets it.  Usual form::

            with ws.lease('task') as task:
                work(task)       # acknowledged when the block ends;
                                 # released if it raises

        Waits like fetch (``timeout``: NwsTimeoutException).  Ctrl-C raises
        KeyboardInterrupt; a value that had already arrived goes back to
        its variable.  A duration from 0.001 s to about 24 days, else
        NwsInvalidArgumentException.  A server without leases (the
        original one) raises NwsUnsupportedOperationException.
        """
        var = encode_name(varName, "variable")
        native = self._call("lease", self._native.lease, var, duration, timeout, blocking=True)
        return Lease(self, varName, native)

    def leaseTry(self, varName: str, duration: float = _core.DEFAULT_LEASE_DURATION) -> Optional[Lease]:
        """Take a value of a variable under a lease, or None at once.

        ws.leaseTry(varName[, duration]) -> Lease or None

        Like lease, without waiting: None if the variable has no value (or
        the server refuses, as fetchTry has it).
        """
        var = encode_name(varName, "variable")
        native = self._call("leaseTry", self._native.lease_try, var, duration)
        return None if native is None else Lease(self, varName, native)

    # -- variables and listings ----------------------------------------------

    def declare(self, varName: str, mode: str) -> None:
        """Declare a variable with a mode.

        ws.declare(varName, mode)

        Modes: FIFO ('fifo', first in first out, the default for variables
        created by store), LIFO ('lifo', a stack), MULTI ('multi', no
        particular order) and SINGLE ('single', only the latest value is
        kept).  A variable's mode cannot change once set: declaring
        another mode raises NwsDeclarationFailedException; declaring the
        same one again does nothing.  An unknown mode (or None) raises
        NwsInvalidArgumentException before anything is sent.  The server's
        special modes '__time' and '__barrier' may be declared too.
        """
        var = encode_name(varName, "variable")
        if mode is not None and not isinstance(mode, str):
            raise TypeError("variable mode must be a string, not %s" % type(mode).__name__)
        self._call("declare", self._native.declare, var, mode)

    def deleteVar(self, varName: str) -> None:
        """Delete a variable and its values.

        ws.deleteVar(varName)

        Clients blocked in fetch/find on it are released with an error.
        Raises NwsOperationException if it does not exist.
        """
        self._call("deleteVar", self._native.delete_var, encode_name(varName, "variable"))

    def listVars(self, wsName: Optional[str] = None, format: str = STRING) -> Union[str, Dict[str, Tuple[Any, ...]]]:
        """List the variables of this (or another) workspace.

        ws.listVars([wsName[, format]]) -> str or dict

        wsName -- the workspace to list (default: this one); it must have
                been opened on this connection.

        format STRING (the default): one line per variable, TAB-separated:
        name, number of values, number of blocked fetchers, number of
        blocked finders, mode.  DICT: {name: (name, values, fetchers,
        finders, mode)}, indexed with V_VARIABLE, V_VALUES, V_FETCHERS,
        V_FINDERS and V_MODE.
        """
        _check_format(format)
        if wsName is None or wsName == "" or wsName == self.curWs:
            text, rows = self._call("listVars", self._native.list_vars)
        else:
            text, rows = self._call("listVars", self.server._native.list_vars, encode_name(wsName, "workspace"))
        if format == STRING:
            return decode_text(text)
        result: Dict[str, Tuple[Any, ...]] = {}
        for name, values, fetchers, finders, mode in rows:
            name = decode_text(name)
            result[name] = (name, values, fetchers, finders, mode)
        return result

    def currentWs(self) -> str:
        """The name of this workspace.

        ws.currentWs() -> str
        """
        return self.curWs

    # -- iterators ---------------------------------------------------------------

    def ifetch(self, varName: str, timeout: Optional[float] = None) -> NwsValueIterator:
        """An iterator that fetches the values of a variable, waiting for
        each.

        ws.ifetch(varName[, timeout]) -> iterator

        Each step waits like fetch (at most ``timeout`` seconds per step).
        The iteration ends when the variable is deleted.  For FIFO and
        SINGLE variables.
        """
        return NwsValueIterator(self, varName, "ifetch", timeout)

    def ifetchTry(self, varName: str) -> NwsValueIterator:
        """An iterator that fetches the values of a variable until none is
        left.

        ws.ifetchTry(varName) -> iterator

        For FIFO and SINGLE variables.  See NwsValueIterator.restart.
        """
        return NwsValueIterator(self, varName, "ifetchTry")

    def ifind(self, varName: str, timeout: Optional[float] = None) -> NwsValueIterator:
        """An iterator over the values of a variable that leaves them in
        place, and waits for new ones at the end.

        ws.ifind(varName[, timeout]) -> iterator

        Unlike repeated find, each value is returned once.  Each step waits
        at most ``timeout`` seconds.  For FIFO and SINGLE variables.
        """
        return NwsValueIterator(self, varName, "ifind", timeout)

    def ifindTry(self, varName: str) -> NwsValueIterator:
        """An iterator over the values of a variable that leaves them in
        place and ends after the newest.

        ws.ifindTry(varName) -> iterator

        restart() later to see only the values stored since; reset() to
        start again from the oldest.  For FIFO and SINGLE variables.
        """
        return NwsValueIterator(self, varName, "ifindTry")

    # -- files ---------------------------------------------------------------------

    def storeFile(self, varName: str, fobj: IO[bytes], n: int = 0) -> int:
        """Store (up to n bytes of) a file's contents as one value.

        ws.storeFile(varName, fobj[, n]) -> number of bytes stored

        Reads from the file's current position: everything (n = 0, the
        default) or at most n bytes, streamed without loading the whole
        file.  Returns 0, storing nothing, when the file has nothing left.
        The value is a binary string (fetch returns bytes).  fobj must be
        opened in binary mode.
        """
        var = encode_name(varName, "variable")
        _check_reader(fobj)
        left = _remaining(fobj)
        if left is None:  # a stream of unknown length: read it first
            data = fobj.read() if n <= 0 else fobj.read(n)
            if not data:
                return 0
            self._call("storeFile", self._native.store, var, DESC_BYTES, bytes(data))
            return len(data)
        count = left if n <= 0 else min(n, left)
        if count <= 0:
            return 0
        supplied = self._call("storeFile", self._native.store_stream, var, DESC_BYTES, count, fobj.read)
        if supplied < count:
            warnings.warn(
                "storeFile: the file ended early; the value was padded with %d zero bytes" % (count - supplied),
                stacklevel=2,
            )
        return count

    def _to_file(self, how: str, varName: str, fobj: Any, timeout: Optional[float]) -> Optional[int]:
        var = encode_name(varName, "variable")
        write = _writer(fobj)
        blocking = how in ("fetch", "find")
        try:
            reply = self._call(how, self._native.retrieve_to, how, var, timeout, write, blocking=blocking)
        except BaseException as e:
            _attach_value(e, lambda r: int(r[1]))  # the bytes are in the file already
            raise
        return None if reply is None else int(reply[1])

    def _try_to_file(self, how: str, varName: str, fobj: Any) -> Union[int, bool]:
        n = self._to_file(how, varName, fobj, None)
        return False if n is None else n

    def fetchFile(self, varName: str, fobj: IO[bytes], timeout: Optional[float] = None) -> int:
        """Remove a value of a variable and write its bytes to a file.

        ws.fetchFile(varName, fobj[, timeout]) -> number of bytes written

        Waits like fetch.  The raw bytes are written, whatever the value's
        type, in chunks, never all in memory at once.
        """
        return self._to_file("fetch", varName, fobj, timeout) or 0

    def fetchTryFile(self, varName: str, fobj: IO[bytes]) -> Union[int, bool]:
        """Like fetchFile, but returns False at once if there is no value.

        ws.fetchTryFile(varName, fobj) -> number of bytes written, or False
        """
        return self._try_to_file("fetchTry", varName, fobj)

    def findFile(self, varName: str, fobj: IO[bytes], timeout: Optional[float] = None) -> int:
        """Write the bytes of a value of a variable to a file, leaving the
        value in place; waits like find.

        ws.findFile(varName, fobj[, timeout]) -> number of bytes written
        """
        return self._to_file("find", varName, fobj, timeout) or 0

    def findTryFile(self, varName: str, fobj: IO[bytes]) -> Union[int, bool]:
        """Like findFile, but returns False at once if there is no value.

        ws.findTryFile(varName, fobj) -> number of bytes written, or False
        """
        return self._try_to_file("findTry", varName, fobj)

    def makefile(self, varName: str, mode: str = "r") -> NwsTextFile:
        """A text file view of a variable.

        ws.makefile(varName[, mode]) -> file-like object

        'w' empties the variable, then each line written becomes one
        value; 'a' appends lines; 'r' reads the values (as ifindTry does,
        leaving them in place) as one stream of text.
        """
        if mode in ("r", "w", "a"):
            return NwsTextFile(self, varName, mode)
        if mode in ("rb", "wb", "ab"):
            raise ValueError("mode %r is not supported yet" % (mode,))
        raise ValueError("illegal mode specified: %r" % (mode,))

    # -- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection this workspace uses.

        ws.close()

        The connection is shared with the NwsServer (``ws.server``) and
        other workspaces opened through it; they are closed too.  Safe to
        call twice, and from another thread while a call blocks (that call
        raises NwsClosedException).
        """
        self.server.close()

    def __enter__(self) -> "NetWorkSpace":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __reduce__(self) -> Any:
        # Like the original: an unpickled NetWorkSpace opens the workspace
        # again on a new connection to the same server (with its TLS
        # options and user, see NwsServer.__reduce__).
        args = (
            self.curWs,
            self.server.serverHost,
            self.server.serverPort,
            self._useUse,
            None,
            self._create,
            self._persistent,
        )
        if self.server._security:
            return (_reconnect, (NetWorkSpace, args, self.server._security))
        return (NetWorkSpace, args)

    def __str__(self) -> str:
        return "NetWorkSpace %r [%s]" % (self.curWs, self.server)

    def __repr__(self) -> str:
        return "<NetWorkSpace %r on %s:%s>" % (self.curWs, self.server.serverHost, self.server.serverPort)


def _reconnect(cls: Any, args: Tuple[Any, ...], security: Dict[str, Any]) -> Any:
    """Unpickling an NwsServer or NetWorkSpace that had security options."""
    return cls(*args, **security)
