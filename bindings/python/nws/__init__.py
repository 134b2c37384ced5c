"""NetWorkSpaces for Python.

* nws.client -- the client API (NetWorkSpace, NwsServer, ...), compatible
  with the original nws.client.
* nws.server -- an NWS server inside this program (nws.server.local()), or
  the nws-server program shipped with this package.
"""

from ._core import version as _version

#: The version of NetWorkSpaces this package was built from (core/VERSION).
__version__: str = _version()
