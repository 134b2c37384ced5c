// The core's tables and rules as the C++ core itself sees them: the error
// kinds, the writer languages, the descriptor bits, the modes, the version,
// the argument rule for names and the message for unreadable values.
//
// nws/_tables.py is generated from the same .def files by a Python script;
// the tests compare the two, so the generator cannot drift from the core.
#include "call.hpp"
#include "nws/error.hpp"
#include "nws/mode.hpp"
#include "nws/value.hpp"
#include "nws/version.hpp"
#include "nws/client.hpp"

namespace nws_py {
namespace {

nws::args::NameOf name_of(const std::string& what) {
  if (what == "workspace") return nws::args::NameOf::workspace;
  if (what == "variable") return nws::args::NameOf::variable;
  if (what == "name_template") return nws::args::NameOf::name_template;
  throw py::value_error("unknown kind of name '" + what + "' (workspace, variable or name_template)");
}

py::list error_kinds() {
  py::list rows;
  for (const nws::ErrorKind& k : nws::error_kinds()) {
    rows.append(py::make_tuple(std::string(k.id), k.code < 0 ? py::object(py::none()) : py::object(py::int_(k.code)),
                               k.parent == "none" ? py::object(py::none()) : py::object(py::str(std::string(k.parent))),
                               std::string(k.kind), std::string(k.name), std::string(k.description)));
  }
  return rows;
}

// The languages as the C++ enum has them: (id, number, display name).
py::list languages() {
  py::list rows;
#define NWS_LANGUAGE(id, number, display) \
  rows.append(py::make_tuple(#id, static_cast<int>(nws::Language::id), nws::language_name(number)));
#include "nws/values.def"
  return rows;
}

py::list modes() {
  py::list rows;
  for (nws::Mode m : nws::all_modes())
    rows.append(py::make_tuple(std::string(nws::mode_name(m)), nws::standard(m), nws::declarable(m)));
  return rows;
}

}  // namespace

void bind_tables(py::module_& m) {
  m.def("version", [] { return std::string(nws::version()); }, "The core's version (core/VERSION).");
  m.def("error_kinds", &error_kinds,
        "The core's error table: (id, code or None, parent id or None, Kind, name, description) per row.");
  m.def("languages", &languages, "The writer languages: (id, number, display name) per row.");
  m.def("language_name", [](int id) { return nws::language_name(static_cast<std::uint8_t>(id)); },
        py::arg("id"), "The display name of a writer language id.");
  m.def("modes", &modes, "The modes: (name, standard, declarable) per row.");
  m.attr("DEFAULT_PORT") = nws::kDefaultPort;
  m.attr("DIRECT_STRING") = nws::descriptor::direct_string;
  m.attr("BINARY") = nws::descriptor::binary;
  m.attr("LANGUAGE_SHIFT") = nws::descriptor::language_shift;
  m.attr("LANGUAGE_MASK") = nws::descriptor::language_mask;
  m.def(
      "check_name",
      [](const std::optional<std::string>& name, const std::string& what) { name_arg(name, name_of(what)); },
      py::arg("name"), py::arg("what"), "The core's rule for a name (None is refused); what: workspace, variable.");
  m.def(
      "unreadable_value_message",
      [](const std::string& ws, const std::string& var, std::uint64_t descriptor, const std::string& why) {
        // bytes: the names may hold bytes that are not UTF-8.
        return to_bytes(nws::unreadable_value_message(ws, var, descriptor, nws::Language::python, why));
      },
      py::arg("ws"), py::arg("var"), py::arg("descriptor"), py::arg("why") = std::string(),
      "What Python says of a value it cannot read (the same words in every language).");
}

}  // namespace nws_py
