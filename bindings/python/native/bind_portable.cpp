// Portable values (docs/values.md): Python objects <-> the core's Writer and
// decoded Node tree.  The walk is here, in C++, so a list of a million
// numbers costs no Python call per element; what numpy and pandas need
// (dtypes, masks, DataFrames) is lowered and raised by nws/_portable.py,
// and packed data crosses in one copy each way.
#include <cstring>

#include "call.hpp"
#include "nws/error.hpp"
#include "nws/portable.hpp"

namespace nws_py {
namespace {

namespace p = nws::portable;

[[noreturn]] void refuse(const std::string& what) { throw nws::Error(nws::Errc::serialisation, what); }

std::string type_name(py::handle v) { return Py_TYPE(v.ptr())->tp_name; }

// nws._portable, imported once it is needed.  Never released: a static
// py::object would be destroyed after the interpreter is gone.
py::module_& helpers() {
  static auto* m = new py::module_(py::module_::import("nws._portable"));
  return *m;
}

// A module the value's own type proves is imported already (a numpy array
// means numpy is loaded); never imports anything itself.
py::object loaded(const char* name) {
  py::dict modules = py::module_::import("sys").attr("modules");
  return modules.contains(name) ? py::object(modules[name]) : py::object();
}

bool instance_of(py::handle v, const char* module, const char* type) {
  py::object m = loaded(module);
  return m && py::isinstance(v, m.attr(type));
}

std::string utf8_of(py::handle s) {
  Py_ssize_t n = 0;
  const char* data = PyUnicode_AsUTF8AndSize(s.ptr(), &n);
  if (!data) {
    PyErr_Clear();
    refuse("a str with a lone surrogate is not text; store it as bytes");
  }
  return std::string(data, static_cast<std::size_t>(n));
}

void write(p::Writer& w, py::handle v, int depth);

// (element name, contiguous array or list, bitmap bytes or None) from nws._portable.lower_array.
void write_vector(p::Writer& w, py::handle lowered) {
  const auto t = lowered.cast<py::tuple>();
  const auto element = t[0].cast<std::string>();
  if (element == "string") {
    const auto items = t[1].cast<py::list>();
    w.string_vector(items.size());
    for (auto item : items) item.is_none() ? w.null() : w.string(utf8_of(item));
    return;
  }
  static const std::pair<const char*, p::Element> elements[] = {
      {"boolean", p::Element::boolean}, {"int32", p::Element::int32},         {"int64", p::Element::int64},
      {"float64", p::Element::float64}, {"timestamp", p::Element::timestamp}};
  p::Element type{};
  for (const auto& [name, e] : elements)
    if (element == name) type = e;
  const py::buffer_info data = t[1].cast<py::buffer>().request();
  const std::size_t count = static_cast<std::size_t>(data.size);
  std::string missing;
  if (!t[2].is_none()) missing = t[2].cast<std::string>();
  w.vector(type, count, data.ptr, missing.empty() ? nullptr : reinterpret_cast<const std::uint8_t*>(missing.data()));
}

void write_table(p::Writer& w, py::handle lowered) {
  // (rows, [(name, lowered column), ...])
  const auto t = lowered.cast<py::tuple>();
  const auto columns = t[1].cast<py::list>();
  w.table(columns.size(), t[0].cast<std::size_t>());
  for (auto c : columns) {
    const auto pair = c.cast<py::tuple>();
    w.key(utf8_of(pair[0]));
    write_vector(w, pair[1]);
  }
}

void write(p::Writer& w, py::handle v, int depth) {
  if (depth > static_cast<int>(p::max_depth)) refuse("the value nests deeper than " + std::to_string(p::max_depth));
  PyObject* o = v.ptr();
  if (o == Py_None) return w.null();
  if (PyBool_Check(o)) return w.boolean(o == Py_True);
  if (PyLong_Check(o)) {
    int overflow = 0;
    const long long i = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow) refuse("the int " + py::str(v).cast<std::string>() + " does not fit in 64 bits");
    return w.integer(i);
  }
  if (PyFloat_Check(o)) return w.real(PyFloat_AS_DOUBLE(o));
  if (PyUnicode_Check(o)) return w.string(utf8_of(v));
  if (PyBytes_Check(o)) return w.bytes(std::string_view(PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o))));
  if (PyByteArray_Check(o) || PyMemoryView_Check(o)) {
    const py::bytes b(py::reinterpret_steal<py::object>(PyBytes_FromObject(o)));
    return w.bytes(b.cast<std::string_view>());
  }
  if (PyList_Check(o) || PyTuple_Check(o)) {
    const auto seq = py::reinterpret_borrow<py::sequence>(v);
    w.list(seq.size());
    for (auto item : seq) write(w, item, depth + 1);
    return;
  }
  if (PyDict_Check(o)) {
    const auto d = py::reinterpret_borrow<py::dict>(v);
    w.map(d.size());
    for (auto [k, item] : d) {
      if (!PyUnicode_Check(k.ptr()))
        refuse("a dict key of type " + type_name(k) + " (portable maps have str keys)");
      w.key(utf8_of(k));
      write(w, item, depth + 1);
    }
    return;
  }
  static const auto* datetime_type = new py::object(py::module_::import("datetime").attr("datetime"));
  if (py::isinstance(v, *datetime_type)) return w.timestamp(helpers().attr("datetime_ns")(v).cast<std::int64_t>());
  if (instance_of(v, "numpy", "ndarray")) return write_vector(w, helpers().attr("lower_array")(v));
  if (instance_of(v, "numpy", "generic")) return write(w, helpers().attr("numpy_scalar")(v), depth);
  if (instance_of(v, "pandas", "DataFrame")) return write_table(w, helpers().attr("lower_frame")(v));
  refuse("a " + type_name(v) + " has no portable form (docs/values.md): " +
         helpers().attr("advice")(v).cast<std::string>());
}

py::object read(const p::Node& n);

py::object read_vector(const p::Node& n) {
  if (n.element == p::Element::string) {
    py::list out(n.count);
    for (std::size_t i = 0; i < n.count; ++i) {
      const auto& e = n.items[i];
      out[i] = e.kind == p::Kind::null ? py::none() : py::object(py::str(e.text.data(), e.text.size()));
    }
    return out;
  }
  // One copy: from the value's bytes straight into a new numpy array.
  py::object missing = n.missing.empty() ? py::none() : py::object(py::bytes(n.missing.data(), n.missing.size()));
  const std::string element(p::element_name(n.element));
  py::object array = helpers().attr("new_array")(element, n.count);
  if (array.is_none())  // no numpy: a list
    return helpers().attr("list_vector")(element, py::bytes(n.text.data(), n.text.size()), n.count, missing);
  const py::buffer_info target = array.cast<py::buffer>().request(true);
  if (!n.text.empty()) std::memcpy(target.ptr, n.text.data(), n.text.size());
  return helpers().attr("finish_vector")(element, array, missing);
}

py::object read(const p::Node& n) {
  switch (n.kind) {
    case p::Kind::null: return py::none();
    case p::Kind::boolean: return py::bool_(n.flag);
    case p::Kind::integer: return py::int_(n.integer);
    case p::Kind::real: return py::float_(n.real);
    case p::Kind::string: return py::str(n.text.data(), n.text.size());
    case p::Kind::bytes: return py::bytes(n.text.data(), n.text.size());
    case p::Kind::timestamp: return helpers().attr("datetime_of")(n.integer);
    case p::Kind::list: {
      py::list out(n.items.size());
      for (std::size_t i = 0; i < n.items.size(); ++i) out[i] = read(n.items[i]);
      return out;
    }
    case p::Kind::map: {
      py::dict out;
      for (std::size_t i = 0; i < n.items.size(); ++i) out[py::str(n.keys[i].data(), n.keys[i].size())] = read(n.items[i]);
      return out;
    }
    case p::Kind::vector: return read_vector(n);
    case p::Kind::table: {
      py::list columns;
      for (std::size_t i = 0; i < n.items.size(); ++i)
        columns.append(py::make_tuple(py::str(n.keys[i].data(), n.keys[i].size()), read_vector(n.items[i])));
      return helpers().attr("raise_table")(n.count, columns);
    }
  }
  return py::none();
}

}  // namespace

std::string portable_encode(py::handle value) {
  p::Writer w;
  write(w, value, 0);
  return w.finish();
}

void bind_portable(py::module_& m) {
  // An encoded value that stays in C++: the workspace's store_encoded sends
  // it from where the writer left it, without a copy into a bytes object
  // (80 MB for a 10-million-element vector).
  py::class_<PortableEncoded>(m, "PortableEncoded")
      .def(py::init([](py::handle value) { return PortableEncoded{portable_encode(value)}; }), py::arg("value"))
      .def("__len__", [](const PortableEncoded& e) { return e.bytes.size(); })
      .def("__bytes__", [](const PortableEncoded& e) { return py::bytes(e.bytes); });
  m.def(
      "portable_encode",
      [](py::handle value) { return py::bytes(portable_encode(value)); },
      "The portable encoding of a Python value (docs/values.md); NwsPicklingException-like errors name the type.");
  m.def(
      "portable_decode",
      [](py::handle data) {
        // bytes, or a fetched value still in C++ (PortableEncoded).
        if (py::isinstance<PortableEncoded>(data)) return read(p::decode(data.cast<const PortableEncoded&>().bytes));
        const std::string_view bytes = data.cast<py::bytes>().cast<std::string_view>();
        return read(p::decode(bytes));
      },
      "The Python value of a portable encoding.");
  m.def("portable_descriptor", [] { return p::descriptor_for(nws::Language::python); });
  m.def("portable_describe", [](py::bytes data) { return p::describe(data.cast<std::string_view>()); });
}

}  // namespace nws_py
