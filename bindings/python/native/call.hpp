// Running client calls with the GIL released.
//
// Every call into the C++ client releases the GIL, so other Python threads
// run while it waits on the network, and so a thread waiting for the
// connection's mutex never holds the GIL that the mutex holder's callbacks
// need.  Python callbacks (file writes and reads, the Ctrl-C check) take the
// GIL back for just as long as they run.
//
// Blocking calls (fetch, find, ifetch, ifind) also poll for signals: the
// cancel check of their nws::Wait (nws::args::wait) takes the GIL and runs
// PyErr_CheckSignals() every slice.  A signal handler that raises (Ctrl-C's
// KeyboardInterrupt) cancels the call: the check keeps the handler's
// exception and returns true, the core withdraws the request, and the
// handler's exception is raised once the call has unwound.
//
// If the value won the race (the server had sent it before it saw the
// withdrawal), the core raises Errc::cancelled carrying it (Error::arrived()).
// The handler's exception is raised all the same, so Ctrl-C takes effect,
// carrying the reply as its attribute `nws_reply` (the Python layer turns
// it into `nws_value`), so the value is not lost either.  Returning the
// value and re-raising the interrupt afterwards (PyErr_SetInterrupt) would
// not work: the interpreter checks for pending signals as soon as a C call
// returns, before the caller can even assign the result.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // std::optional arguments

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "nws/args.hpp"
#include "nws/client.hpp"
#include "nws/portable.hpp"

namespace nws_py {

namespace py = pybind11;

// Thrown by a Python callback through the C++ client once its Python error
// is stored in a CallScope; the CallScope raises the stored error instead.
struct CallbackFailed : std::exception {
  const char* what() const noexcept override { return "a Python callback raised an exception"; }
};

// Turns the value an interrupted call had received into what the Python
// layer expects as `nws_reply` (the call's usual result).
using ArrivedToPython = std::function<py::object(const nws::Fetched&)>;

// Raises the Python exception for a client error (errors.cpp); with
// `arrived`, the error's value is attached as `nws_reply`.
[[noreturn]] void raise_native(const nws::Error& e, const ArrivedToPython& arrived = {});

class CallScope {
 public:
  CallScope() = default;
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  // The Wait for a blocking call: the core's rule for the timeout (seconds;
  // none or +inf waits for ever) and the signal check described above.
  // Call it with the GIL held: a bad timeout raises at once.
  nws::Wait wait(std::optional<double> timeout_s) {
    return nws::args::wait(timeout_s, [this] {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() == 0) return false;
      pending_.emplace();  // takes the handler's exception out of the thread state
      return true;
    });
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
  // reports our own request); a value that arrived with the interrupt is
  // attached to it through `arrived`.
  template <class F>
  auto run(F&& call, const ArrivedToPython& arrived = {}) -> decltype(call()) {
    using R = decltype(call());
    std::optional<std::conditional_t<std::is_void_v<R>, int, R>> result;
    try {
      py::gil_scoped_release nogil;
      if constexpr (std::is_void_v<R>) {
        call();
      } else {
        result.emplace(call());
      }
    } catch (const nws::Error& e) {
      if (e.code() == nws::Errc::cancelled && e.arrived() && arrived) {
        if (pending_) raise_pending_with(arrived(*e.arrived()));
        raise_native(e, arrived);
      }
      raise_if_pending();
      throw;
    } catch (...) {
      raise_if_pending();
      throw;
    }
    raise_if_pending();  // a callback failed but the call went on (it cannot today)
    if constexpr (!std::is_void_v<R>) return std::move(*result);
  }

 private:
  void raise_if_pending() {
    if (!pending_) return;
    py::error_already_set e = std::move(*pending_);
    pending_.reset();
    throw e;
  }

  [[noreturn]] void raise_pending_with(py::object reply) {
    try {
      py::setattr(pending_->value(), "nws_reply", reply);
    } catch (py::error_already_set& e) {
      // An exception object without attributes (a handler raising a
      // builtin with __slots__): the interrupt still goes through.
      e.discard_as_unraisable("nws: attaching a value to an interrupting exception");
    }
    raise_if_pending();
    throw std::logic_error("unreachable");
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

// A number of seconds (or a port) as the core's rules take it: None is "not
// given"; any real number is passed on for the core to judge; anything else
// (a string, a bool) is a TypeError, Python's own rule for types.
std::optional<double> optional_number(py::handle value, const char* what);

// The security keywords of NwsServer, NetWorkSpace and Sleigh (tls, tlsCa,
// tlsCert, tlsKey, tlsServerName, user, password, token) onto `o`, checked
// with Python's rules: a wrong type is a TypeError, a NUL character or
// tls=False beside a CA or certificate (which turn TLS on) a ValueError.
// None or "" is "not given": the core then applies $NWS_TLS, $NWS_TLS_CA,
// ... $NWS_TOKEN.  Any other key is a TypeError (security.cpp).
void apply_security(nws::ConnectOptions& o, const py::dict& security);

// A name argument (bytes, or None for Python's null) through the core's rule.
inline std::string name_arg(const std::optional<std::string>& name, nws::args::NameOf what) {
  return nws::args::name(name ? std::optional<std::string_view>(*name) : std::nullopt, what);
}

// A portable value's bytes kept in C++ (bind_portable.cpp): encoded by the
// core's writer until the workspace stores them, or fetched until they are
// decoded, so an 80 MB vector is never copied into a bytes object between.
struct PortableEncoded {
  std::string bytes;
};

// (descriptor, value bytes, variable id, index): what the Python layer needs.
inline py::tuple fetched_tuple(const nws::Fetched& f) {
  return py::make_tuple(f.value.descriptor, to_bytes(f.value.bytes), to_bytes(f.var_id), f.index);
}
// The same, moving a portable value's bytes instead of copying them.
inline py::tuple fetched_tuple(nws::Fetched&& f) {
  if (!nws::portable::is_portable(f.value.descriptor)) return fetched_tuple(static_cast<const nws::Fetched&>(f));
  return py::make_tuple(f.value.descriptor, py::cast(PortableEncoded{std::move(f.value.bytes)}), to_bytes(f.var_id),
                        f.index);
}

// (text, rows) of a `list vars` reply (bind_server.cpp).
py::tuple var_listing(const nws::VarListing& listing);

void bind_errors(py::module_& m);
void bind_tables(py::module_& m);
void bind_server(py::module_& m);
void bind_workspace(py::module_& m);
void bind_lease(py::module_& m, py::class_<nws::Workspace>& workspace);  // from bind_workspace
void bind_iterator(py::module_& m);
void bind_local_server(py::module_& m);
void bind_sleigh(py::module_& m);
void bind_sleigh_tasks(py::module_& m);
void bind_portable(py::module_& m);
void bind_security(py::module_& m);
std::string portable_encode(py::handle value);

}  // namespace nws_py
