// The connection's security options from Python (call.hpp, apply_security):
// TLS (docs/security.md) and the credentials of a server that requires
// them, onto nws::ConnectOptions.  The core judges what it can only judge
// when connecting (files that do not exist, a certificate it refuses);
// this refuses what Python's own rules refuse, before anything is sent.
#include <string_view>

#include "call.hpp"

namespace nws_py {
namespace {

std::string type_name(py::handle v) { return Py_TYPE(v.ptr())->tp_name; }

std::string no_nul(std::string s, const std::string& what) {
  if (s.find('\0') != std::string::npos) throw py::value_error(what + " must not contain a NUL character");
  return s;
}

// A str (or, for file names, bytes or os.PathLike); None is "not given".
std::string text(py::handle v, const std::string& what) {
  if (v.is_none()) return {};
  if (!PyUnicode_Check(v.ptr())) throw py::type_error(what + " must be a str or None, not " + type_name(v));
  return no_nul(v.cast<std::string>(), what);
}

std::string path(py::handle v, const std::string& what) {
  if (v.is_none()) return {};
  PyObject* p = PyOS_FSPath(v.ptr());
  if (p == nullptr) {
    PyErr_Clear();
    throw py::type_error(what + " must be a path (str, bytes or os.PathLike) or None, not " + type_name(v));
  }
  py::object fs = py::reinterpret_steal<py::object>(p);
  if (PyBytes_Check(fs.ptr())) return no_nul(std::string(view_of(py::reinterpret_borrow<py::bytes>(fs))), what);
  return no_nul(fs.cast<std::string>(), what);
}

}  // namespace

void apply_security(nws::ConnectOptions& o, const py::dict& security) {
  std::optional<bool> tls;
  for (auto [key, value] : security) {
    if (!PyUnicode_Check(key.ptr())) throw py::type_error("security option names must be strings");
    const std::string k = key.cast<std::string>();
    if (k == "tls") {
      if (value.is_none()) continue;
      if (!PyBool_Check(value.ptr()))
        throw py::type_error("tls must be True, False or None, not " + type_name(value));
      tls = value.cast<bool>();
    } else if (k == "tlsCa") {
      o.tls.ca_file = path(value, k);
    } else if (k == "tlsCert") {
      o.tls.cert_file = path(value, k);
    } else if (k == "tlsKey") {
      o.tls.key_file = path(value, k);
    } else if (k == "tlsServerName") {
      o.tls.server_name = text(value, k);
    } else if (k == "user") {
      o.user = text(value, k);
    } else if (k == "password") {
      o.password = text(value, k);
    } else if (k == "token") {
      o.token = text(value, k);
    } else {
      throw py::type_error("unknown security option '" + k +
                           "' (tls, tlsCa, tlsCert, tlsKey, tlsServerName, user, password, token)");
    }
  }
  if (tls == false) {
    // The core's rule: a CA or a client certificate turns TLS on.
    for (auto [given, name] : {std::pair{&o.tls.ca_file, "tlsCa"}, std::pair{&o.tls.cert_file, "tlsCert"}})
      if (!given->empty())
        throw py::value_error(std::string("tls=False, but ") + name + " was given (it turns TLS on)");
  }
  o.tls.enabled = tls.value_or(false);
}

void bind_security(py::module_& m) {
  // The options as apply_security takes them, checked, with only what was
  // given: tls (bool), the paths and names as str (a sleigh hands them to
  // its workers in their environment, NWS_TLS_CA=...).
  m.def(
      "check_security",
      [](const py::dict& security) {
        nws::ConnectOptions o;
        apply_security(o, security);
        py::dict out;
        if (security.contains("tls") && !security["tls"].is_none()) out["tls"] = o.tls.enabled;
        auto put = [&out](const char* key, const std::string& v) {
          if (v.empty()) return;
          PyObject* text = PyUnicode_DecodeFSDefaultAndSize(v.data(), static_cast<Py_ssize_t>(v.size()));
          if (text == nullptr) throw py::error_already_set();
          out[key] = py::reinterpret_steal<py::object>(text);
        };
        put("tlsCa", o.tls.ca_file);
        put("tlsCert", o.tls.cert_file);
        put("tlsKey", o.tls.key_file);
        put("tlsServerName", o.tls.server_name);
        put("user", o.user);
        put("password", o.password);
        put("token", o.token);
        return out;
      },
      py::arg("security"));
}

}  // namespace nws_py
