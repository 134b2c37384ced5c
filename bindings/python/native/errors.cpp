// nws::Error → the Python exception classes of nws._errors.
//
// The mapping from error codes to classes lives in Python (nws/_errors.py,
// _from_native); this translator only hands it the code's stable name, the
// message, the server's status and its reason text.  Nothing from the
// client escapes as a raw C++ exception.
#include "call.hpp"

namespace nws_py {
namespace {

void raise_from_native(const nws::Error& e) {
  try {
    py::object factory = py::module_::import("nws._errors").attr("_from_native");
    py::object exc = factory(std::string(nws::errc_name(e.code())), std::string(e.what()), e.status(), e.reason());
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  } catch (py::error_already_set& failure) {
    // The error module itself failed (a broken installation): keep the
    // message, and say why it is not the usual class.
    failure.discard_as_unraisable("nws: translating a client error");
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

}  // namespace

void bind_errors(py::module_& m) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const nws::Error& e) {
      raise_from_native(e);
    }
  });
  m.def(
      "errc_names", [] {
        py::list names;
        for (int i = 0; i <= static_cast<int>(nws::Errc::invalid_argument); ++i)
          names.append(std::string(nws::errc_name(static_cast<nws::Errc>(i))));
        return names;
      },
      "The names of every client error code, as _from_native receives them.");
}

}  // namespace nws_py
