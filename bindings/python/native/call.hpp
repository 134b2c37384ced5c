// Running client calls with the GIL released.
//
// Every call into the C++ client releases the GIL, so other Python threads
// run while it waits on the network, and so a thread waiting for the
// connection's mutex never holds the GIL that the mutex holder's callbacks
// need.  Python callbacks (file writes and reads, the Ctrl-C check) take the
// GIL back for just as long as they run.
//
// Blocking calls (fetch, find, ifetch, ifind) also poll for signals: every
// slice of the wait the cancel check takes the GIL and runs
// PyErr_CheckSignals().  A signal handler that raises (Ctrl-C's
// KeyboardInterrupt) cancels the call; the client withdraws the request and
// the handler's exception is raised once the call has unwound.
//
// If the value won the race (the server had sent it before it saw the
// withdrawal), the handler's exception is still raised, so Ctrl-C takes
// effect, and carries the reply as its attribute `nws_reply` (the Python
// layer turns it into `nws_value`), so the value is not lost.  Returning the
// value and re-raising the interrupt afterwards (PyErr_SetInterrupt) does
// not work: the interpreter checks for pending signals as soon as a C call
// returns, before the caller can even assign the result.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // std::optional arguments (timeouts)

#include <chrono>
#include <cmath>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "nws/client.hpp"

namespace nws_py {

namespace py = pybind11;

// Thrown by a Python callback through the C++ client once its Python error
// is stored in a CallScope; the CallScope raises the stored error instead.
struct CallbackFailed : std::exception {
  const char* what() const noexcept override { return "a Python callback raised an exception"; }
};

class CallScope {
 public:
  CallScope() = default;
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  // The Wait for a blocking call: the timeout (seconds; none = for ever) and
  // the signal check described above.
  nws::Wait wait(std::optional<double> timeout_s) {
    nws::Wait w;
    if (timeout_s) {
      if (std::isnan(*timeout_s) || *timeout_s < 0) throw py::value_error("timeout must be None or a number >= 0");
      if (std::isfinite(*timeout_s)) {
        auto d = std::chrono::duration_cast<nws::Clock::duration>(std::chrono::duration<double>(*timeout_s));
        w.deadline = nws::Clock::now() + d;
      }
    }
    w.slice = std::chrono::milliseconds(50);
    w.should_cancel = [this] {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() == 0) return false;
      pending_.emplace();  // takes the handler's exception out of the thread state
      return true;
    };
    return w;
  }

  // Wraps a Python callable for use from a GIL-free call: runs it with the
  // GIL, and turns a Python exception into CallbackFailed (keeping it).
  template <class F>
  auto guarded(F&& f) {
    return [this, f = std::forward<F>(f)](auto&&... args) {
      py::gil_scoped_acquire gil;
      try {
        return f(std::forward<decltype(args)>(args)...);
      } catch (py::error_already_set& e) {
        if (!pending_) pending_.emplace(std::move(e));
        throw CallbackFailed();
      }
    };
  }

  // Runs `call` without the GIL.  With the GIL again: a stored Python error
  // wins over whatever the client threw (the client's "cancelled" merely
  // reports our own request).  After a blocking call that succeeded, pass
  // the Python result through finish().
  template <class F>
  auto run(F&& call) -> decltype(call()) {
    using R = decltype(call());
    if constexpr (std::is_void_v<R>) {
      try {
        py::gil_scoped_release nogil;
        call();
      } catch (...) {
        raise_if_pending();
        throw;
      }
    } else {
      std::optional<R> result;
      try {
        py::gil_scoped_release nogil;
        result.emplace(call());
      } catch (...) {
        raise_if_pending();
        throw;
      }
      return std::move(*result);
    }
  }

  // The result of a blocking call that succeeded: returned, unless a signal
  // handler raised meanwhile (the value won the race with the withdrawal):
  // then the handler's exception is raised carrying the result.
  py::object finish(py::object result) {
    if (!pending_) return result;
    try {
      py::setattr(pending_->value(), "nws_reply", result);
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable("nws: attaching a value to an interrupting exception");
    }
    raise_if_pending();
    return result;  // not reached
  }

 private:
  void raise_if_pending() {
    if (!pending_) return;
    py::error_already_set e = std::move(*pending_);
    pending_.reset();
    throw e;
  }

  std::optional<py::error_already_set> pending_;
};

// A non-blocking call: the GIL released, nothing to interrupt.
template <class F>
auto without_gil(F&& call) {
  CallScope scope;
  return scope.run(std::forward<F>(call));
}

inline py::bytes to_bytes(std::string_view s) { return py::bytes(s.data(), s.size()); }

// A bytes-like argument seen as a string_view (the object outlives the call).
inline std::string_view view_of(const py::bytes& b) {
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(b.ptr(), &data, &size) != 0) throw py::error_already_set();
  return {data, static_cast<std::size_t>(size)};
}

// (descriptor, value bytes, variable id, index): what the Python layer needs.
inline py::tuple fetched_tuple(const nws::Fetched& f) {
  return py::make_tuple(f.value.descriptor, to_bytes(f.value.bytes), to_bytes(f.var_id), f.index);
}

void bind_errors(py::module_& m);
void bind_server(py::module_& m);
void bind_workspace(py::module_& m);
void bind_iterator(py::module_& m);

}  // namespace nws_py
