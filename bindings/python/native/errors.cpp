// nws::Error -> the Python exception classes generated from the core's
// error table (nws/_tables.py, wrapped by nws/_errors.py).
//
// The mapping from codes to classes lives in Python (nws/_errors.py,
// _from_native); this only hands it the code's stable number, the message,
// the server's status and its reason text.  Nothing from the client escapes
// as a raw C++ exception.
#include "call.hpp"

namespace nws_py {
namespace {

// The Python exception for `e`, built by nws._errors.
py::object make_exception(const nws::Error& e) {
  py::object factory = py::module_::import("nws._errors").attr("_from_native");
  return factory(static_cast<int>(e.code()), std::string(e.what()), e.status(), e.reason());
}

void set_python_error(const nws::Error& e, const ArrivedToPython& arrived) {
  try {
    py::object exc = make_exception(e);
    if (arrived && e.arrived()) py::setattr(exc, "nws_reply", arrived(*e.arrived()));
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  } catch (py::error_already_set& failure) {
    // The error module itself failed (a broken installation): keep the
    // message, and say why it is not the usual class.
    failure.discard_as_unraisable("nws: translating a client error");
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

}  // namespace

void raise_native(const nws::Error& e, const ArrivedToPython& arrived) {
  set_python_error(e, arrived);
  throw py::error_already_set();
}

std::optional<double> optional_number(py::handle value, const char* what) {
  if (value.is_none()) return std::nullopt;
  if (PyBool_Check(value.ptr()) || !PyNumber_Check(value.ptr()) || PyComplex_Check(value.ptr()))
    throw py::type_error(std::string(what) + " must be a number or None, not " + Py_TYPE(value.ptr())->tp_name);
  const double v = PyFloat_AsDouble(value.ptr());
  if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  return v;
}

void bind_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const nws::Error& e) {
      set_python_error(e, [](const nws::Fetched& f) { return py::object(fetched_tuple(f)); });
    }
  });
}

}  // namespace nws_py
