// nws._core's portable sleigh jobs (nws/sleigh_tasks.hpp): functions named
// in any worker language, elements in and outcomes out as portable bytes.
// The Python layer encodes each element's argument list and decodes each
// value (nws._core.portable_encode / portable_decode); chunking, framing,
// the load factor and lost chunks are the core's.
#include <mutex>

#include "call.hpp"
#include "nws/sleigh_tasks.hpp"

namespace nws_py {
namespace {

namespace sl = nws::sleigh;

// The core's MapJob is not thread-safe: Python threads sharing one job (a
// SleighPending checked from another thread) take turns here.  The mutex
// is only ever taken with the GIL released, so a thread waiting for it
// never holds the GIL its holder's Ctrl-C check needs.
struct MapJobHandle {
  MapJobHandle(py::object m, sl::MapJob j) : master(std::move(m)), job(std::move(j)) {}
  py::object master;  // keeps the SleighMaster the job points into alive
  sl::MapJob job;
  std::mutex mu;
};

// Text from a worker or the core, never refused for a stray byte: a lost
// chunk's message is whatever its worker said.
py::str lenient_text(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

// (index, ok, value bytes or None, error text, rank)
py::tuple outcome_tuple(const sl::ElementOutcome& o) {
  return py::make_tuple(o.index, o.ok, o.ok ? py::object(to_bytes(o.value)) : py::object(py::none()),
                        lenient_text(o.error), o.rank);
}

sl::Order order_named(const std::string& name) {
  if (name == "elements") return sl::Order::elements;
  if (name == "arrival") return sl::Order::arrival;
  throw nws::Error(nws::Errc::invalid_argument, "unknown order '" + name + "' (elements or arrival)");
}

std::unique_ptr<MapJobHandle> each_elem(const py::object& master, const py::bytes& spec,
                                        std::optional<std::int64_t> total, std::int64_t chunk_size,
                                        std::optional<double> load_factor, const std::string& order) {
  auto& m = master.cast<sl::Master&>();
  sl::MapOptions o;
  o.total = total;
  o.chunk_size = chunk_size;
  o.load_factor = load_factor;
  o.order = order_named(order);
  std::string_view s = view_of(spec);
  return std::make_unique<MapJobHandle>(master, without_gil([&] { return sl::MapJob::each_elem(m, s, o); }));
}

std::unique_ptr<MapJobHandle> each_worker(const py::object& master, const py::bytes& spec, const py::bytes& args,
                                          py::object timeout) {
  auto& m = master.cast<sl::Master&>();
  std::string_view s = view_of(spec);
  std::string_view a = view_of(args);
  CallScope scope;
  const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
  return std::make_unique<MapJobHandle>(master, scope.run([&] { return sl::MapJob::each_worker(m, s, a, wait); }));
}

// Runs `f(job)` with the GIL released and the job's mutex held.
template <class F>
auto locked(MapJobHandle& h, CallScope& scope, F&& f) {
  return scope.run([&] {
    std::lock_guard lock(h.mu);
    return f(h.job);
  });
}

template <class F>
auto locked(MapJobHandle& h, F&& f) {
  CallScope scope;
  return locked(h, scope, std::forward<F>(f));
}

}  // namespace

void bind_sleigh_tasks(py::module_& m) {
  py::class_<MapJobHandle>(m, "SleighMapJob",
                           "A portable sleigh job (nws::sleigh::MapJob): element argument bytes in, one outcome per "
                           "element out.")
      .def_static("each_elem", &each_elem, py::arg("master"), py::arg("spec"), py::arg("total") = py::none(),
                  py::arg("chunk_size") = 0, py::arg("load_factor") = py::none(), py::arg("order") = "elements")
      .def_static("each_worker", &each_worker, py::arg("master"), py::arg("spec"), py::arg("args"),
                  py::arg("timeout") = py::none())
      .def(
          "add",
          [](MapJobHandle& h, const py::bytes& args, py::object timeout) {
            std::string_view a = view_of(args);
            CallScope scope;
            const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
            locked(h, scope, [&](sl::MapJob& j) { j.add(a, wait); });
          },
          py::arg("args"), py::arg("timeout") = py::none(),
          "Adds an element (the portable encoding of its argument list); waits for room under the load factor.")
      .def("close", [](MapJobHandle& h) { locked(h, [](sl::MapJob& j) { j.close(); }); })
      .def(
          "next",
          [](MapJobHandle& h, py::object timeout) -> py::object {
            CallScope scope;
            const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
            auto o = locked(h, scope, [&](sl::MapJob& j) { return j.next(wait); });
            return o ? py::object(outcome_tuple(*o)) : py::object(py::none());
          },
          py::arg("timeout") = py::none(),
          "(index, ok, value bytes or None, error text, rank), or None once the job is closed and every outcome "
          "was taken.")
      .def(
          "drain",
          [](MapJobHandle& h) {
            auto got = locked(h, [](sl::MapJob& j) { return j.drain(); });
            py::list out;
            for (const auto& o : got) out.append(outcome_tuple(o));
            return out;
          },
          "The outcomes that have arrived, without waiting (sends a partly filled chunk first).")
      .def_property_readonly("remaining", [](MapJobHandle& h) { return locked(h, [](sl::MapJob& j) { return j.remaining(); }); })
      .def_property_readonly("added", [](MapJobHandle& h) { return locked(h, [](sl::MapJob& j) { return j.added(); }); })
      .def_property_readonly("taken", [](MapJobHandle& h) { return locked(h, [](sl::MapJob& j) { return j.taken(); }); })
      // Chunks, as the pickled jobs count them: the Python layer paces a
      // stream by these (imap's window), never by elements.
      .def_property_readonly("outstanding", [](MapJobHandle& h) { return locked(h, [](sl::MapJob& j) { return j.job().outstanding(); }); })
      .def_property_readonly("undelivered", [](MapJobHandle& h) { return locked(h, [](sl::MapJob& j) { return j.job().undelivered(); }); })
      .def_property_readonly("id", [](MapJobHandle& h) { return locked(h, [](sl::MapJob& j) { return j.job().id(); }); });

  m.def("sleigh_worker_languages", &sl::worker_languages, "The worker languages' ids.");
  m.def("sleigh_language_id", [](const std::string& name) { return sl::language_id(name); }, py::arg("name"));
  m.def("sleigh_env_prefix", [](const std::string& lang) { return sl::env_prefix_for(lang); }, py::arg("language"));
  m.def("sleigh_name_form", [](const std::string& lang) { return std::string(sl::name_form(lang)); },
        py::arg("language"));
  m.def("sleigh_default_worker_program", [](const std::string& lang) { return sl::default_worker_program(lang); },
        py::arg("language"));
  m.def(
      "sleigh_named_function",
      [](const std::string& lang, const std::string& name) { return to_bytes(sl::named_function(lang, name)); },
      py::arg("language"), py::arg("name"), "A function spec naming `name` in `language` (its form is checked).");
  m.def(
      "sleigh_decode_function_spec",
      [](const py::bytes& spec) {
        const sl::FunctionSpec s = sl::decode_function_spec(view_of(spec));
        return py::make_tuple(s.language, s.name, to_bytes(s.serialized));
      },
      py::arg("spec"), "(language, name, serialized bytes) of a function spec.");
}

}  // namespace nws_py
