"""NetWorkSpaces for Python.

* nws.client -- the client API (NetWorkSpace, NwsServer, ...), compatible
  with the original nws.client.
* nws.server -- start the nws-server shipped with this package.
"""

__version__ = "0.1.0"
