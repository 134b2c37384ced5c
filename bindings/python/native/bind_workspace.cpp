// nws._core.Workspace: the variable-level verbs, bytes in and bytes out.
// Pickling, str/bytes rules and the original API's names are Python's job
// (nws/client.py); this is the thin layer over nws::Workspace.
#include <algorithm>
#include <cstring>

#include "call.hpp"

namespace nws_py {
namespace {

nws::Retrieve parse_how(const std::string& how) {
  if (how == "fetch") return nws::Retrieve::fetch;
  if (how == "fetchTry") return nws::Retrieve::fetch_try;
  if (how == "find") return nws::Retrieve::find;
  if (how == "findTry") return nws::Retrieve::find_try;
  throw py::value_error("unknown retrieval '" + how + "' (fetch, fetchTry, find or findTry)");
}

bool blocks(nws::Retrieve how) { return how == nws::Retrieve::fetch || how == nws::Retrieve::find; }

py::object retrieve(nws::Workspace& ws, const std::string& how_name, const std::string& var,
                    std::optional<double> timeout) {
  const nws::Retrieve how = parse_how(how_name);
  CallScope scope;
  const nws::Wait wait = blocks(how) ? scope.wait(timeout) : nws::Wait{};
  std::optional<nws::Fetched> f = scope.run([&] { return ws.retrieve(how, var, wait); });
  return scope.finish(f ? py::object(fetched_tuple(*f)) : py::none());
}

// The value goes to write(bytes) chunk by chunk; returns (descriptor, byte count).
py::object retrieve_to(nws::Workspace& ws, const std::string& how_name, const std::string& var,
                       std::optional<double> timeout, py::object write) {
  const nws::Retrieve how = parse_how(how_name);
  CallScope scope;
  const nws::Wait wait = blocks(how) ? scope.wait(timeout) : nws::Wait{};
  std::uint64_t count = 0;
  nws::ByteSink sink = scope.guarded([&](std::string_view chunk) {
    write(to_bytes(chunk));
    count += chunk.size();
  });
  std::optional<nws::Fetched> f = scope.run([&] { return ws.retrieve(how, var, wait, &sink); });
  return scope.finish(f ? py::object(py::make_tuple(f->value.descriptor, count)) : py::none());
}

// Streams `length` bytes from read(n) -> bytes; returns how many bytes the
// reader supplied before running dry (the client pads the rest with zeros).
std::uint64_t store_stream(nws::Workspace& ws, const std::string& var, std::uint64_t descriptor, std::uint64_t length,
                           py::object read) {
  CallScope scope;
  std::uint64_t supplied = 0;
  nws::ByteSource source = scope.guarded([&](char* buf, std::size_t n) -> std::size_t {
    py::object chunk = read(n);
    if (!PyBytes_Check(chunk.ptr())) {
      // Raised as a Python error so that CallScope keeps it (see guarded()).
      PyErr_Format(PyExc_TypeError, "the file's read() must return bytes, not %s", Py_TYPE(chunk.ptr())->tp_name);
      throw py::error_already_set();
    }
    std::string_view v = view_of(py::reinterpret_borrow<py::bytes>(chunk));
    const std::size_t got = std::min(v.size(), n);
    std::memcpy(buf, v.data(), got);
    supplied += got;
    return got;
  });
  scope.run([&] { ws.store_stream(var, descriptor, length, source); });
  return supplied;
}

}  // namespace

void bind_workspace(py::module_& m) {
  py::class_<nws::Workspace>(m, "Workspace", "A workspace reached through a Server's connection.")
      .def_property_readonly("name", [](const nws::Workspace& ws) { return to_bytes(ws.name()); })
      .def_property_readonly("server", &nws::Workspace::server)
      .def(
          "store",
          [](nws::Workspace& ws, const std::string& var, std::uint64_t descriptor, const py::bytes& value) {
            std::string_view bytes = view_of(value);
            without_gil([&] { ws.store(var, descriptor, bytes); });
          },
          py::arg("var"), py::arg("descriptor"), py::arg("value"))
      .def("store_stream", &store_stream, py::arg("var"), py::arg("descriptor"), py::arg("length"), py::arg("read"))
      .def("retrieve", &retrieve, py::arg("how"), py::arg("var"), py::arg("timeout") = py::none())
      .def("retrieve_to", &retrieve_to, py::arg("how"), py::arg("var"), py::arg("timeout"), py::arg("write"))
      .def(
          "declare",
          [](nws::Workspace& ws, const std::string& var, const std::string& mode) {
            without_gil([&] { ws.declare(var, std::string_view(mode)); });
          },
          py::arg("var"), py::arg("mode"))
      .def(
          "delete_var",
          [](nws::Workspace& ws, const std::string& var) { without_gil([&] { ws.delete_var(var); }); },
          py::arg("var"))
      .def("list_vars",
           [](nws::Workspace& ws) { return to_bytes(without_gil([&] { return ws.list_vars_text(); })); })
      .def(
          "iterator",
          [](nws::Workspace& ws, const std::string& var, bool consuming) {
            return consuming ? ws.ifetch(var) : ws.ifind(var);
          },
          py::arg("var"), py::arg("consuming"))
      .def("close", [](nws::Workspace& ws) { without_gil([&] { ws.close(); }); })
      .def_property_readonly("closed", &nws::Workspace::closed);
}

}  // namespace nws_py
