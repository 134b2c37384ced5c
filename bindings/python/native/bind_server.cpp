// nws._core.Server: one connection and the workspace-level verbs.
#include "call.hpp"

namespace nws_py {
namespace {

using nws::args::NameOf;

// host None or "" and port None are "not given": the core then applies
// $NWS_HOST / $NWS_PORT, else localhost:8765.  `security`: TLS and
// credentials (apply_security), each not given taken from $NWS_TLS, ...
nws::Server connect(const std::optional<std::string>& host, py::object port, py::object connect_timeout,
                    bool kill_server_on_close, const py::dict& security) {
  nws::ConnectOptions o;
  apply_security(o, security);
  o.host = host.value_or(std::string());
  if (auto p = optional_number(port, "port")) o.port = nws::args::port(*p, nws::args::PortUse::connect);
  o.connect_timeout = nws::args::connect_timeout(optional_number(connect_timeout, "connect timeout"));
  o.kill_server_on_close = kill_server_on_close;
  return without_gil([&] { return nws::Server(o); });
}

// A listing's rows, names as bytes (they may hold bytes that are not UTF-8).
py::list ws_rows(const std::vector<nws::WsInfo>& rows) {
  py::list out;
  for (const nws::WsInfo& w : rows) {
    py::list names;
    for (const std::string& n : w.variable_names) names.append(to_bytes(n));
    out.append(py::make_tuple(to_bytes(w.name), w.mine, to_bytes(w.owner), w.persistent, w.variables, names));
  }
  return out;
}

}  // namespace

py::tuple var_listing(const nws::VarListing& listing) {
  py::list rows;
  for (const nws::VarInfo& v : listing.rows)
    rows.append(py::make_tuple(to_bytes(v.name), v.values, v.fetchers, v.finders, v.mode));
  return py::make_tuple(to_bytes(listing.text), rows);
}

void bind_server(py::module_& m) {
  py::class_<nws::Server>(m, "Server", "One connection to an NWS server (the C++ nws::Server).")
      .def(py::init(&connect), py::arg("host") = py::none(), py::arg("port") = py::none(),
           py::arg("connect_timeout") = py::none(), py::arg("kill_server_on_close") = false,
           py::arg("security") = py::dict())
      .def(
          "open_ws",
          [](nws::Server& s, const std::optional<std::string>& name, bool persistent, bool create) {
            const std::string n = name_arg(name, NameOf::workspace);
            return without_gil([&] { return s.open_ws(n, persistent, create); });
          },
          py::arg("name"), py::arg("persistent"), py::arg("create"))
      .def(
          "use_ws",
          [](nws::Server& s, const std::optional<std::string>& name, bool create) {
            const std::string n = name_arg(name, NameOf::workspace);
            return without_gil([&] { return s.use_ws(n, create); });
          },
          py::arg("name"), py::arg("create"))
      .def(
          "mktemp_ws",
          [](nws::Server& s, const std::optional<std::string>& name_template) {
            const std::string t = name_arg(name_template, NameOf::name_template);
            return to_bytes(without_gil([&] { return s.mktemp_ws(t); }));
          },
          py::arg("name_template"))
      .def(
          "delete_ws",
          [](nws::Server& s, const std::optional<std::string>& name) {
            const std::string n = name_arg(name, NameOf::workspace);
            without_gil([&] { s.delete_ws(n); });
          },
          py::arg("name"))
      .def(
          "list_wss",
          [](nws::Server& s) {
            nws::WsListing l = without_gil([&] { return s.list_wss(); });
            return py::make_tuple(to_bytes(l.text), ws_rows(l.rows));
          },
          "(text, rows) of one `list wss`: rows are (name, mine, owner, persistent, count, [names]).")
      .def(
          "list_vars",
          [](nws::Server& s, const std::optional<std::string>& ws) {
            const std::string n = name_arg(ws, NameOf::workspace);
            return var_listing(without_gil([&] { return s.list_vars(n); }));
          },
          py::arg("ws"), "(text, rows) of one `list vars`: rows are (name, values, fetchers, finders, mode).")
      .def("close", [](nws::Server& s) { without_gil([&] { s.close(); }); })
      .def_property_readonly("closed", &nws::Server::closed)
      .def_property_readonly("host", &nws::Server::host)
      .def_property_readonly("port", &nws::Server::port)
      .def_property_readonly("supports_cancel", &nws::Server::supports_cancel)
      .def_property_readonly("supports_lease", &nws::Server::supports_lease)
      .def_property_readonly("cookie_format", &nws::Server::cookie_format)
      .def_property_readonly("owner_label", &nws::Server::owner_label);
}

}  // namespace nws_py
