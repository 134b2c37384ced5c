// nws._core.Workspace: the variable-level verbs, bytes in and bytes out.
// Pickling, str/bytes rules and the original API's names are Python's job
// (nws/client.py); this is the thin layer over nws::Workspace, with every
// argument passed through the core's rules (nws/args.hpp) before anything
// is sent.
#include <algorithm>
#include <cstring>

#include "iterator.hpp"

namespace nws_py {
namespace {

using nws::args::NameOf;

nws::Retrieve parse_how(const std::string& how) {
  if (how == "fetch") return nws::Retrieve::fetch;
  if (how == "fetchTry") return nws::Retrieve::fetch_try;
  if (how == "find") return nws::Retrieve::find;
  if (how == "findTry") return nws::Retrieve::find_try;
  throw py::value_error("unknown retrieval '" + how + "' (fetch, fetchTry, find or findTry)");
}

bool blocks(nws::Retrieve how) { return how == nws::Retrieve::fetch || how == nws::Retrieve::find; }

py::object retrieve(nws::Workspace& ws, const std::string& how_name, const std::optional<std::string>& var,
                    py::object timeout) {
  const nws::Retrieve how = parse_how(how_name);
  const std::string v = name_arg(var, NameOf::variable);
  CallScope scope;
  const nws::Wait wait = blocks(how) ? scope.wait(optional_number(timeout, "timeout")) : nws::Wait{};
  std::optional<nws::Fetched> f = scope.run([&] { return ws.retrieve(how, v, wait); },
                                            [](const nws::Fetched& got) { return py::object(fetched_tuple(got)); });
  return f ? py::object(fetched_tuple(std::move(*f))) : py::none();
}

// The value goes to write(bytes) chunk by chunk; returns (descriptor, byte count).
py::object retrieve_to(nws::Workspace& ws, const std::string& how_name, const std::optional<std::string>& var,
                       py::object timeout, py::object write) {
  const nws::Retrieve how = parse_how(how_name);
  const std::string v = name_arg(var, NameOf::variable);
  CallScope scope;
  const nws::Wait wait = blocks(how) ? scope.wait(optional_number(timeout, "timeout")) : nws::Wait{};
  std::uint64_t count = 0;
  nws::ByteSink sink = scope.guarded([&](std::string_view chunk) {
    write(to_bytes(chunk));
    count += chunk.size();
  });
  // An interrupted call's value is in the file already: its count is the reply.
  std::optional<nws::Fetched> f =
      scope.run([&] { return ws.retrieve(how, v, wait, &sink); },
                [&](const nws::Fetched& got) { return py::object(py::make_tuple(got.value.descriptor, count)); });
  return f ? py::object(py::make_tuple(f->value.descriptor, count)) : py::none();
}

// Streams `length` bytes from read(n) -> bytes; returns how many bytes the
// reader supplied before running dry (the client pads the rest with zeros).
std::uint64_t store_stream(nws::Workspace& ws, const std::optional<std::string>& var, std::uint64_t descriptor,
                           std::uint64_t length, py::object read) {
  const std::string v = name_arg(var, NameOf::variable);
  CallScope scope;
  std::uint64_t supplied = 0;
  nws::ByteSource source = scope.guarded([&](char* buf, std::size_t n) -> std::size_t {
    py::object chunk = read(n);
    if (!PyBytes_Check(chunk.ptr())) {
      // Raised as a Python error so that CallScope keeps it (see guarded()).
      PyErr_Format(PyExc_TypeError, "the file's read() must return bytes, not %s", Py_TYPE(chunk.ptr())->tp_name);
      throw py::error_already_set();
    }
    std::string_view got = view_of(py::reinterpret_borrow<py::bytes>(chunk));
    const std::size_t size = std::min(got.size(), n);
    std::memcpy(buf, got.data(), size);
    supplied += size;
    return size;
  });
  scope.run([&] { ws.store_stream(v, descriptor, length, source); });
  return supplied;
}

IteratorState make_iterator(nws::Workspace& ws, const std::optional<std::string>& var, bool consuming,
                            py::object timeout) {
  const std::string v = name_arg(var, NameOf::variable);
  std::optional<double> seconds = optional_number(timeout, "timeout");
  nws::args::wait(seconds);  // a bad timeout is refused now, not at the first step
  return IteratorState{consuming ? ws.ifetch(v) : ws.ifind(v), seconds};
}

}  // namespace

void bind_workspace(py::module_& m) {
  py::class_<nws::Workspace> workspace(m, "Workspace", "A workspace reached through a Server's connection.");
  workspace.def_property_readonly("name", [](const nws::Workspace& ws) { return to_bytes(ws.name()); })
      .def_property_readonly("server", &nws::Workspace::server)
      .def(
          "store",
          [](nws::Workspace& ws, const std::optional<std::string>& var, std::uint64_t descriptor,
             const py::bytes& value) {
            const std::string v = name_arg(var, NameOf::variable);
            std::string_view bytes = view_of(value);
            without_gil([&] { ws.store(v, descriptor, bytes); });
          },
          py::arg("var"), py::arg("descriptor"), py::arg("value"))
      .def(
          "store_encoded",
          [](nws::Workspace& ws, const std::optional<std::string>& var, std::uint64_t descriptor,
             const PortableEncoded& value) {
            const std::string v = name_arg(var, NameOf::variable);
            without_gil([&] { ws.store(v, descriptor, value.bytes); });
          },
          py::arg("var"), py::arg("descriptor"), py::arg("value"))
      .def("store_stream", &store_stream, py::arg("var"), py::arg("descriptor"), py::arg("length"), py::arg("read"))
      .def("retrieve", &retrieve, py::arg("how"), py::arg("var"), py::arg("timeout") = py::none())
      .def("retrieve_to", &retrieve_to, py::arg("how"), py::arg("var"), py::arg("timeout"), py::arg("write"))
      .def(
          "declare",
          [](nws::Workspace& ws, const std::optional<std::string>& var, const std::optional<std::string>& mode) {
            const std::string v = name_arg(var, NameOf::variable);
            const nws::Mode m = nws::args::mode(mode ? std::optional<std::string_view>(*mode) : std::nullopt);
            without_gil([&] { ws.declare(v, m); });
          },
          py::arg("var"), py::arg("mode"))
      .def(
          "delete_var",
          [](nws::Workspace& ws, const std::optional<std::string>& var) {
            const std::string v = name_arg(var, NameOf::variable);
            without_gil([&] { ws.delete_var(v); });
          },
          py::arg("var"))
      .def("list_vars", [](nws::Workspace& ws) { return var_listing(without_gil([&] { return ws.list_vars(); })); })
      .def("iterator", &make_iterator, py::arg("var"), py::arg("consuming"), py::arg("timeout") = py::none())
      .def("close", [](nws::Workspace& ws) { without_gil([&] { ws.close(); }); })
      .def_property_readonly("closed", &nws::Workspace::closed);
  bind_lease(m, workspace);
}

}  // namespace nws_py
