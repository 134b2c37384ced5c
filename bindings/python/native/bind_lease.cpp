// Leased fetch (NwsLease): nws._core.Workspace.lease / lease_try and
// nws._core.Lease over nws::Lease.  Values stay (descriptor, bytes) here;
// unpickling, the portable option and the `with` form are Python's job
// (nws/_lease.py).  Durations arrive in seconds, as every Python duration
// does, and go to the core in milliseconds for it to judge.
#include <algorithm>
#include <cmath>

#include "call.hpp"

namespace nws_py {
namespace {

using nws::args::NameOf;

// Seconds -> the core's milliseconds.  Only the type is judged here (a
// string, a bool or None is a TypeError, as for timeouts) and NaN and the
// infinities, which have no milliseconds; the range (1 ms to about 24
// days) is the core's rule, and its message names the milliseconds it was
// given.  A positive duration under half a millisecond counts as 1 ms, not
// as 0.
std::chrono::milliseconds lease_duration(py::handle seconds) {
  if (seconds.is_none()) throw py::type_error("duration must be a number of seconds, not None");
  const double s = *optional_number(seconds, "duration");
  if (!std::isfinite(s))
    throw nws::Error(nws::Errc::invalid_argument,
                     "a lease's duration must be a finite number of seconds (0.001 to about 24 days), not " +
                         std::string(std::isnan(s) ? "nan" : s > 0 ? "inf" : "-inf"));
  const double ms = std::clamp(s * 1000.0, -1e15, 1e15);  // the core refuses it by its size
  long long count = std::llround(ms);
  if (count == 0 && ms > 0) count = 1;
  return std::chrono::milliseconds(count);
}

py::object lease(nws::Workspace& ws, const std::optional<std::string>& var, py::handle duration,
                 py::handle timeout) {
  const std::string v = name_arg(var, NameOf::variable);
  const std::chrono::milliseconds d = lease_duration(duration);
  CallScope scope;
  const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
  // Interrupted after the value arrived, the core gives the value back
  // itself before raising: nothing travels with the interrupt.
  nws::Lease held = scope.run([&] { return ws.lease(v, d, wait); });
  return py::cast(std::move(held));
}

py::object lease_try(nws::Workspace& ws, const std::optional<std::string>& var, py::handle duration) {
  const std::string v = name_arg(var, NameOf::variable);
  const std::chrono::milliseconds d = lease_duration(duration);
  std::optional<nws::Lease> held = without_gil([&] { return ws.lease_try(v, d); });
  if (!held) return py::none();
  return py::cast(std::move(*held));
}

// (descriptor, bytes): the leased value, as retrieve() gives a fetched one;
// a portable value's bytes move out (PortableEncoded), so call it once.
py::tuple take_value(nws::Lease& l) {
  nws::Value& v = l.value();
  if (nws::portable::is_portable(v.descriptor))
    return py::make_tuple(v.descriptor, py::cast(PortableEncoded{std::move(v.bytes)}));
  return py::make_tuple(v.descriptor, to_bytes(v.bytes));
}

}  // namespace

void bind_lease(py::module_& m, py::class_<nws::Workspace>& workspace) {
  m.attr("DEFAULT_LEASE_DURATION") =
      std::chrono::duration<double>(nws::Lease::kDefaultDuration).count();  // seconds

  workspace
      .def("lease", &lease, py::arg("var"), py::arg("duration"), py::arg("timeout") = py::none(),
           "Blocking leased fetch: a Lease.")
      .def("lease_try", &lease_try, py::arg("var"), py::arg("duration"), "Leased fetchTry: a Lease, or None.");

  py::class_<nws::Lease>(m, "Lease", "A value held under a lease (nws::Lease); unsettled, it is released when freed.")
      .def("take_value", &take_value, "(descriptor, bytes) of the value; a portable value's bytes move out.")
      .def_property_readonly("id", &nws::Lease::id)
      .def_property_readonly("variable", [](const nws::Lease& l) { return to_bytes(l.variable()); })
      .def_property_readonly("settled", &nws::Lease::settled)
      .def("ack", [](nws::Lease& l) { without_gil([&] { l.ack(); }); })
      .def(
          "ack_store",
          [](nws::Lease& l, const std::optional<std::string>& var, std::uint64_t descriptor, const py::bytes& value) {
            const std::string v = name_arg(var, NameOf::variable);
            std::string_view bytes = view_of(value);
            without_gil([&] { l.ack_store(v, descriptor, bytes); });
          },
          py::arg("var"), py::arg("descriptor"), py::arg("value"))
      .def(
          "ack_store_encoded",
          [](nws::Lease& l, const std::optional<std::string>& var, std::uint64_t descriptor,
             const PortableEncoded& value) {
            const std::string v = name_arg(var, NameOf::variable);
            without_gil([&] { l.ack_store(v, descriptor, value.bytes); });
          },
          py::arg("var"), py::arg("descriptor"), py::arg("value"))
      .def("release", [](nws::Lease& l) { without_gil([&] { l.release(); }); })
      .def(
          "renew",
          [](nws::Lease& l, py::handle duration) {
            const std::chrono::milliseconds d = lease_duration(duration);
            without_gil([&] { l.renew(d); });
          },
          py::arg("duration"));
}

}  // namespace nws_py
