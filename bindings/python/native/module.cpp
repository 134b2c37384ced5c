// nws._core: the native half of the nws package, over the core's public C++
// API (core/include/nws).  Everything Pythonic lives in the pure Python
// modules; see call.hpp for how calls release the GIL and take Ctrl-C.
#include "call.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "Native NetWorkSpaces client and embedded server (internal; use nws.client and nws.server).";
  nws_py::bind_errors(m);
  nws_py::bind_tables(m);
  nws_py::bind_server(m);
  nws_py::bind_workspace(m);
  nws_py::bind_iterator(m);
  nws_py::bind_local_server(m);
  nws_py::bind_sleigh(m);
  nws_py::bind_sleigh_tasks(m);
  nws_py::bind_portable(m);
  nws_py::bind_security(m);
}
