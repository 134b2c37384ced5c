// nws._core.LocalServer: the core's embedded server (nws::LocalServer), the
// event loop on a thread of this process.  nws.server.local() makes one.
#include "call.hpp"
#include "nws/local_server.hpp"

namespace nws_py {
namespace {

nws::LocalServer* start(py::object port, const std::string& bind, const std::optional<std::string>& spool_dir,
                        std::optional<std::uint64_t> spool_threshold, std::optional<std::uint64_t> max_value_size,
                        std::optional<std::uint64_t> max_memory, std::optional<std::uint64_t> max_spool) {
  nws::LocalServerOptions o;
  o.bind = bind;
  o.port = nws::args::port(optional_number(port, "port").value_or(0), nws::args::PortUse::listen);
  if (spool_dir) o.spool_dir = *spool_dir;
  if (spool_threshold) o.spool_threshold = *spool_threshold;
  if (max_value_size) o.max_value_size = *max_value_size;
  o.max_memory = max_memory;
  o.max_spool = max_spool;
  return without_gil([&] { return new nws::LocalServer(o); });
}

std::string address(const nws::LocalServer& s) {
  const nws::ConnectOptions o = s.connect_options();
  return o.host + ":" + std::to_string(*o.port);
}

}  // namespace

void bind_local_server(py::module_& m) {
  py::class_<nws::LocalServer>(m, "LocalServer",
                               "An NWS server running inside this process (nws::LocalServer); "
                               "make one with nws.server.local().")
      .def(py::init(&start), py::arg("port") = 0, py::arg("bind") = "127.0.0.1", py::arg("spool_dir") = py::none(),
           py::arg("spool_threshold") = py::none(), py::arg("max_value_size") = py::none(),
           py::arg("max_memory") = py::none(), py::arg("max_spool") = py::none())
      .def_property_readonly(
          "host", [](const nws::LocalServer& s) { return s.connect_options().host; },
          "The host clients connect to (loopback when bound to every address).")
      .def_property_readonly("port", &nws::LocalServer::port, "The port it listens on.")
      .def_property_readonly("address", &address, "'host:port'.")
      .def_property_readonly("running", &nws::LocalServer::running, "True until stop().")
      .def(
          "stop", [](nws::LocalServer& s) { without_gil([&] { s.stop(); }); },
          "Stop the server: every connection is closed, every workspace dropped, the port freed. "
          "Safe to call twice.")
      .def("__enter__", [](py::object self) { return self; })
      .def(
          "__exit__", [](nws::LocalServer& s, py::args) { without_gil([&] { s.stop(); }); })
      .def("__repr__", [](const nws::LocalServer& s) {
        return "<nws LocalServer " + address(s) + (s.running() ? " running>" : " stopped>");
      });
}

}  // namespace nws_py
