// nws._core.Iterator: the client-side (id, index) state of ifetch/ifind.
// The core's end is not sticky; Python's StopIteration rule is kept by
// nws/_iterator.py.
#include "iterator.hpp"

namespace nws_py {

void bind_iterator(py::module_& m) {
  py::class_<IteratorState>(m, "Iterator", "Iteration state over one variable (PROTOCOL.md section 11).")
      .def(
          "next",
          [](IteratorState& s) {
            CallScope scope;
            const nws::Wait wait = scope.wait(s.timeout);
            // Interrupted after the value arrived: the position has advanced,
            // and the value goes with the interrupt.
            nws::Fetched f = scope.run([&] { return s.it.next(wait); },
                                       [](const nws::Fetched& got) { return py::object(fetched_tuple(got)); });
            return fetched_tuple(std::move(f));
          },
          "Blocking step (ifetch/ifind): (descriptor, bytes, var id, index).")
      .def(
          "try_next",
          [](IteratorState& s) -> py::object {
            auto f = without_gil([&] { return s.it.try_next(); });
            if (!f) return py::none();
            return fetched_tuple(std::move(*f));
          },
          "Non-blocking step (ifetchTry/ifindTry); None at the end.")
      .def(
          "try_next_to",
          [](IteratorState& s, py::object write) -> py::object {
            CallScope scope;
            std::uint64_t count = 0;
            nws::ByteSink sink = scope.guarded([&](std::string_view chunk) {
              write(to_bytes(chunk));
              count += chunk.size();
            });
            auto f = scope.run([&] { return s.it.try_next(&sink); });
            if (!f) return py::none();
            return py::make_tuple(f->value.descriptor, count);
          },
          py::arg("write"), "Non-blocking step streaming the value to write(bytes): (descriptor, byte count).")
      .def("reset", [](IteratorState& s) { s.it.reset(); }, "Forget the position: start again from the oldest value.")
      .def_property_readonly("ended", [](const IteratorState& s) { return s.it.ended(); })
      .def_property_readonly("consuming", [](const IteratorState& s) { return s.it.consuming(); });
}

}  // namespace nws_py
