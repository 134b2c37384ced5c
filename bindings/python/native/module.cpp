// nws._core: the native half of the nws package.  Everything Pythonic lives
// in the pure Python modules; see call.hpp for how calls release the GIL.
#include "call.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "Native NetWorkSpaces client (internal; use nws.client).";
  nws_py::bind_errors(m);
  nws_py::bind_server(m);
  nws_py::bind_workspace(m);
  nws_py::bind_iterator(m);
}
