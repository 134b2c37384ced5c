// nws._core.Server: one connection and the workspace-level verbs.
#include "call.hpp"
#include "client/calls.hpp"  // list vars of a workspace by name (the original API allows any name)

namespace nws_py {
namespace {

nws::Server connect(const std::string& host, int port, double connect_timeout, bool kill_server_on_close,
                    const std::string& owner_label) {
  if (port < 0 || port > 65535) throw py::value_error("port must be between 0 and 65535");
  if (!(connect_timeout > 0)) throw py::value_error("connect_timeout must be > 0");
  nws::ConnectOptions o;
  o.host = host;
  o.port = static_cast<std::uint16_t>(port);
  o.connect_timeout = std::chrono::milliseconds(static_cast<long long>(connect_timeout * 1000));
  o.kill_server_on_close = kill_server_on_close;
  o.owner_label = owner_label;
  return without_gil([&] { return nws::Server(o); });
}

}  // namespace

void bind_server(py::module_& m) {
  py::class_<nws::Server>(m, "Server", "One connection to an NWS server (the C++ nws::Server).")
      .def(py::init(&connect), py::arg("host"), py::arg("port"), py::arg("connect_timeout") = 10.0,
           py::arg("kill_server_on_close") = false, py::arg("owner_label") = std::string())
      .def(
          "open_ws",
          [](nws::Server& s, const std::string& name, bool persistent, bool create) {
            return without_gil([&] { return s.open_ws(name, persistent, create); });
          },
          py::arg("name"), py::arg("persistent"), py::arg("create"))
      .def(
          "use_ws",
          [](nws::Server& s, const std::string& name, bool create) {
            return without_gil([&] { return s.use_ws(name, create); });
          },
          py::arg("name"), py::arg("create"))
      .def(
          "mktemp_ws",
          [](nws::Server& s, const std::string& name_template) {
            return to_bytes(without_gil([&] { return s.mktemp_ws(name_template); }));
          },
          py::arg("name_template"))
      .def(
          "delete_ws", [](nws::Server& s, const std::string& name) { without_gil([&] { s.delete_ws(name); }); },
          py::arg("name"))
      .def(
          "list_wss",
          [](nws::Server& s, const std::string& name) {
            return to_bytes(without_gil([&] { return s.list_wss_text(name); }));
          },
          py::arg("name") = std::string())
      .def(
          "list_vars",
          [](nws::Server& s, const std::string& ws) {
            // Sent as is: the server answers 2001 for a workspace this
            // connection never opened, which becomes the usual exception.
            std::shared_ptr<nws::detail::Connection> conn = s.connection();
            return to_bytes(without_gil([&] {
              return nws::detail::expect_text(*conn, nws::detail::Op{"list vars", ws, {}},
                                              nws::detail::Outgoing{conn->encode(nullptr, {"list vars", ws})});
            }));
          },
          py::arg("ws"))
      .def("close", [](nws::Server& s) { without_gil([&] { s.close(); }); })
      .def_property_readonly("closed", &nws::Server::closed)
      .def_property_readonly("host", &nws::Server::host)
      .def_property_readonly("port", &nws::Server::port)
      .def_property_readonly("supports_cancel", &nws::Server::supports_cancel)
      .def_property_readonly("cookie_format", &nws::Server::cookie_format)
      .def_property_readonly("owner_label", &nws::Server::owner_label);
}

}  // namespace nws_py
