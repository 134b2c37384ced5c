// What every part of the Rcpp glue shares: R arguments through the core's
// rules (nws/args.hpp), values and errors as R lists, handles behind
// external pointers, and R's interrupt check for blocking calls.
//
// Errors: an nws::Error never becomes an R error here (R's error would
// longjmp past C++ destructors, and Rcpp's exceptions lose the error kind).
// NWS_END returns it as a list of class "nws_failure_info", which the R
// wrapper .nws() (R/errors.R) raises as a classed condition once every C++
// frame has unwound.  A blocking call that an interrupt ended returns a list
// of class "nws_interrupt_info" instead, which .nws() re-signals as an
// interrupt (with the value, if it had arrived).
#pragma once

#include <Rcpp.h>

#include <functional>
#include <optional>
#include <string>

#include "nws/client.hpp"

namespace glue {

Rcpp::List failure(const nws::Error& e);

#define NWS_BEGIN try {
#define NWS_END                   \
  }                               \
  catch (const nws::Error& e) {   \
    return ::glue::failure(e);    \
  }

// ---- arguments: R values in, the core's rules applied -------------------

// A name (workspace, variable, template): one string, UTF-8 on the wire.
// NULL, NA and anything but one string are the core's missing name.
std::string name_arg(SEXP x, nws::args::NameOf what);
// A mode by name ("fifo", ...), checked by the core before anything is sent.
nws::Mode mode_arg(SEXP x);
// A port: NULL is "not given" (nullopt: the caller decides what that means).
std::optional<std::uint16_t> port_arg(SEXP x, nws::args::PortUse use);
// A host: NULL or "" is "not given" ($NWS_HOST, else localhost).
std::string host_arg(SEXP x);
// A timeout in seconds for a blocking call (NULL: for ever), polling `cancel`.
nws::Wait wait_arg(SEXP timeout, std::function<bool()> cancel);
// A connect timeout in seconds (NULL: the core's default).
std::chrono::milliseconds connect_timeout_arg(SEXP x);
// A lease's duration in seconds (NULL: nws::Lease::kDefaultDuration),
// rounded up to whole milliseconds; the core refuses what is out of range
// (below 1 ms, above about 24 days) before anything is sent.
std::chrono::milliseconds duration_arg(SEXP x);
// The TLS and credential options of a connection, from R's named list
// (tls, tlsCa, tlsCert, tlsKey, tlsServerName, user, password, token;
// missing or NULL: not given, so the core's environment fallbacks apply),
// set on `o`.  A wrong type is the core's invalid_argument, naming the
// option and what R gave.
void security_args(SEXP options, nws::ConnectOptions& o);
// "" for the empty string (one string), used where "" means "this one".
bool is_empty_string(SEXP x);

// ---- interrupts ---------------------------------------------------------

// The cancel check of a blocking call, polled every Wait::kSlice on R's
// thread.  R_CheckUserInterrupt() would longjmp through the core's frames
// when an interrupt is pending; inside R_ToplevelExec it cannot: the jump
// ends there and R_ToplevelExec returns FALSE.  The check then returns true
// (it never throws) and remembers that the interrupt is now ours to
// re-signal, since R has consumed it.
class InterruptWatch {
 public:
  std::function<bool()> check();
  bool fired() const { return fired_; }

 private:
  bool fired_ = false;
};

// Whether R is running inside a blocking call's interrupt check, that is
// while the core holds a connection's lock.  R code (a finalizer) that runs
// then must not start another call on any connection: it would wait for
// that lock for ever (see the lease finalizer, src/lease.cpp).
bool in_interrupt_check();

// ---- results ------------------------------------------------------------

// A value for R/values.R: its descriptor, what the core reads from it
// (direct string, binary, writer language, portable) and its bytes.  With
// `decode`, a portable value comes decoded instead of as bytes: `value`,
// or `error` (why R cannot read it), so the bytes are copied once, into
// R's own vectors (a fetched value is gone from the server: the error goes
// back to R/values.R, which names the variable).  Files take the bytes.
Rcpp::List value_list(const nws::Value& v, bool decode = true);
// "No value" from a Try form.
Rcpp::List nothing();
// An interrupted blocking call: the value that arrived with the interrupt,
// or none.
Rcpp::List interrupted(const nws::Fetched* arrived, bool decode = true);

// Runs a blocking retrieval with R's interrupt check: its value (or
// nothing), or, when an interrupt ended it, interrupted() carrying what had
// arrived.  `call` takes the Wait and returns std::optional<nws::Fetched>;
// `decode` as for value_list.
template <class Call>
SEXP blocking(SEXP timeout, Call call, bool decode = true) {
  InterruptWatch watch;
  const nws::Wait wait = wait_arg(timeout, watch.check());
  try {
    std::optional<nws::Fetched> got = call(wait);
    if (watch.fired()) return interrupted(got ? &*got : nullptr, decode);
    return got ? value_list(got->value, decode) : nothing();
  } catch (const nws::Error& e) {
    // The program asked to stop: the interrupt wins over what ended the
    // call, and a value that came with it goes along.
    if (watch.fired()) return interrupted(e.code() == nws::Errc::cancelled ? e.arrived() : nullptr, decode);
    throw;
  }
}

// ---- handles ------------------------------------------------------------

// The object behind an external pointer made by this glue.
template <class T>
T& deref(SEXP p) {
  Rcpp::XPtr<T> x(p);
  if (x.get() == nullptr) throw nws::Error(nws::Errc::closed, "the object was closed, or restored from a saved session");
  return *x;
}

SEXP utf8(const std::string& s);

}  // namespace glue
