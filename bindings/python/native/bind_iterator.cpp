// nws._core.Iterator: the client-side (id, index) state of ifetch/ifind.
#include "call.hpp"

namespace nws_py {

void bind_iterator(py::module_& m) {
  py::class_<nws::Iterator>(m, "Iterator", "Iteration state over one variable (PROTOCOL.md section 11).")
      .def(
          "next",
          [](nws::Iterator& it, std::optional<double> timeout) {
            CallScope scope;
            const nws::Wait wait = scope.wait(timeout);
            nws::Fetched f = scope.run([&] { return it.next(wait); });
            return scope.finish(fetched_tuple(f));
          },
          py::arg("timeout") = py::none(), "Blocking step (ifetch/ifind): (descriptor, bytes, var id, index).")
      .def(
          "try_next",
          [](nws::Iterator& it) -> py::object {
            auto f = without_gil([&] { return it.try_next(); });
            if (!f) return py::none();
            return fetched_tuple(*f);
          },
          "Non-blocking step (ifetchTry/ifindTry); None at the end.")
      .def(
          "try_next_to",
          [](nws::Iterator& it, py::object write) -> py::object {
            CallScope scope;
            std::uint64_t count = 0;
            nws::ByteSink sink = scope.guarded([&](std::string_view chunk) {
              write(to_bytes(chunk));
              count += chunk.size();
            });
            auto f = scope.run([&] { return it.try_next(&sink); });
            if (!f) return py::none();
            return py::make_tuple(f->value.descriptor, count);
          },
          py::arg("write"), "Non-blocking step streaming the value to write(bytes): (descriptor, byte count).")
      .def("restart", &nws::Iterator::restart)
      .def("reset", &nws::Iterator::reset)
      .def_property_readonly("ended", &nws::Iterator::ended)
      .def_property_readonly("consuming", &nws::Iterator::consuming);
}

}  // namespace nws_py
