// Rcpp glue between R and the C++ client (nws/client.hpp).
//
// Handles: a Server, a Workspace and an Iterator live behind external
// pointers; R keeps them in the S3 objects made by R/*.R.
//
// Errors: an nws::Error never becomes an Rcpp exception (those lose the
// error kind).  NWS_END turns it into a small list of class
// "nws_failure_info" that the R wrapper .nws() turns into a classed R
// condition (R/errors.R), so the condition is raised from R code, after
// every C++ frame has unwound.
//
// Interrupts: a blocking call polls, every 50 ms slice, whether the user
// pressed Ctrl-C.  R_CheckUserInterrupt() would longjmp through the
// client's frames, so it runs inside R_ToplevelExec (Rcpp's
// checkUserInterrupt), which only reports that an interrupt was pending.
// The cancel check then throws Rcpp's InterruptedException; the client
// withdraws the request (the connection stays usable), rethrows it, and
// Rcpp's END_RCPP re-raises the interrupt in R once the C++ call is over.
#include <Rcpp.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "nws/client.hpp"

using Rcpp::XPtr;

namespace {

Rcpp::List failure(const nws::Error& e) {
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("kind") = std::string(nws::errc_name(e.code())), Rcpp::Named("message") = std::string(e.what()),
      Rcpp::Named("status") = e.status(), Rcpp::Named("reason") = e.reason());
  out.attr("class") = "nws_failure_info";
  return out;
}

// Any other exception (bad_alloc, ...) is left to Rcpp: a plain R error.
#define NWS_BEGIN try {
#define NWS_END                                     \
  }                                                 \
  catch (const nws::Error& e) {                     \
    return failure(e);                              \
  }

nws::Wait make_wait(double timeout) {
  nws::Wait w;
  if (!std::isnan(timeout) && timeout >= 0 && std::isfinite(timeout)) {
    w.deadline = nws::Clock::now() +
                 std::chrono::duration_cast<nws::Clock::duration>(std::chrono::duration<double>(timeout));
  }
  w.slice = std::chrono::milliseconds(50);
  // Throws Rcpp::internal::InterruptedException when an interrupt is pending.
  w.should_cancel = [] {
    Rcpp::checkUserInterrupt();
    return false;
  };
  return w;
}

Rcpp::RawVector to_raw(const std::string& s) {
  Rcpp::RawVector r(s.size());
  if (!s.empty()) std::memcpy(RAW(r), s.data(), s.size());
  return r;
}

Rcpp::List value_list(const nws::Value& v) {
  return Rcpp::List::create(Rcpp::Named("found") = true, Rcpp::Named("descriptor") = static_cast<double>(v.descriptor),
                            Rcpp::Named("language") = nws::language_name(v.language()),
                            Rcpp::Named("bytes") = to_raw(v.bytes));
}

Rcpp::List nothing() { return Rcpp::List::create(Rcpp::Named("found") = false); }

template <class T>
T& deref(SEXP p) {
  XPtr<T> x(p);
  if (x.get() == nullptr) throw nws::Error(nws::Errc::closed, "the object was closed or not initialised");
  return *x;
}

nws::Retrieve how_of(int how) {
  switch (how) {
    case 0: return nws::Retrieve::fetch;
    case 1: return nws::Retrieve::fetch_try;
    case 2: return nws::Retrieve::find;
    default: return nws::Retrieve::find_try;
  }
}

}  // namespace

// [[Rcpp::export(.nws_connect)]]
SEXP nws_connect(std::string host, int port, double connect_timeout) {
  NWS_BEGIN
  if (port < 0 || port > 65535) throw nws::Error(nws::Errc::invalid_argument, "port must be in 0..65535");
  nws::ConnectOptions o;
  o.host = host;
  o.port = static_cast<std::uint16_t>(port);
  o.connect_timeout = std::chrono::milliseconds(static_cast<long long>(connect_timeout * 1000));
  return XPtr<nws::Server>(new nws::Server(o), true);
  NWS_END
}

// [[Rcpp::export(.nws_server_close)]]
SEXP nws_server_close(SEXP s) {
  NWS_BEGIN
  deref<nws::Server>(s).close();
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_server_closed)]]
bool nws_server_closed(SEXP s) {
  XPtr<nws::Server> x(s);
  return x.get() == nullptr || x->closed();
}

// [[Rcpp::export(.nws_open_ws)]]
SEXP nws_open_ws(SEXP s, std::string name, bool persistent, bool create, bool use) {
  NWS_BEGIN
  auto& srv = deref<nws::Server>(s);
  nws::Workspace ws = use ? srv.use_ws(name, create) : srv.open_ws(name, persistent, create);
  return XPtr<nws::Workspace>(new nws::Workspace(ws), true);
  NWS_END
}

// [[Rcpp::export(.nws_ws_server)]]
SEXP nws_ws_server(SEXP w) {
  NWS_BEGIN
  return XPtr<nws::Server>(new nws::Server(deref<nws::Workspace>(w).server()), true);
  NWS_END
}

// [[Rcpp::export(.nws_mktemp_ws)]]
SEXP nws_mktemp_ws(SEXP s, std::string tmpl) {
  NWS_BEGIN
  return Rcpp::wrap(deref<nws::Server>(s).mktemp_ws(tmpl));
  NWS_END
}

// [[Rcpp::export(.nws_delete_ws)]]
SEXP nws_delete_ws(SEXP s, std::string name) {
  NWS_BEGIN
  deref<nws::Server>(s).delete_ws(name);
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_list_wss)]]
SEXP nws_list_wss(SEXP s, std::string name) {
  NWS_BEGIN
  auto& srv = deref<nws::Server>(s);
  auto rows = srv.list_wss(name);
  Rcpp::LogicalVector mine(rows.size()), persistent(rows.size());
  Rcpp::CharacterVector names(rows.size()), owner(rows.size()), vars(rows.size());
  Rcpp::NumericVector nvars(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    mine[i] = rows[i].mine;
    names[i] = Rcpp::String(rows[i].name, CE_UTF8);
    owner[i] = Rcpp::String(rows[i].owner, CE_UTF8);
    persistent[i] = rows[i].persistent;
    nvars[i] = static_cast<double>(rows[i].variables);
    std::string joined;
    for (std::size_t j = 0; j < rows[i].variable_names.size(); ++j) {
      if (j) joined += ',';
      joined += rows[i].variable_names[j];
    }
    vars[i] = Rcpp::String(joined, CE_UTF8);
  }
  return Rcpp::List::create(Rcpp::Named("text") = Rcpp::String(srv.list_wss_text(name), CE_UTF8),
                            Rcpp::Named("Owned") = mine, Rcpp::Named("Name") = names, Rcpp::Named("Owner") = owner,
                            Rcpp::Named("Persistent") = persistent, Rcpp::Named("NumVariables") = nvars,
                            Rcpp::Named("Variables") = vars);
  NWS_END
}

// [[Rcpp::export(.nws_ws_name)]]
SEXP nws_ws_name(SEXP w) {
  NWS_BEGIN
  return Rcpp::wrap(Rcpp::String(deref<nws::Workspace>(w).name(), CE_UTF8));
  NWS_END
}

// [[Rcpp::export(.nws_ws_close)]]
SEXP nws_ws_close(SEXP w) {
  NWS_BEGIN
  deref<nws::Workspace>(w).close();
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_store)]]
SEXP nws_store(SEXP w, std::string var, double descriptor, Rcpp::RawVector bytes) {
  NWS_BEGIN
  std::string_view b(reinterpret_cast<const char*>(RAW(bytes)), static_cast<std::size_t>(Rf_xlength(bytes)));
  deref<nws::Workspace>(w).store(var, static_cast<std::uint64_t>(descriptor), b);
  return R_NilValue;
  NWS_END
}

// how: 0 fetch, 1 fetchTry, 2 find, 3 findTry.  timeout < 0 or NA: for ever.
// [[Rcpp::export(.nws_retrieve)]]
SEXP nws_retrieve(SEXP w, int how, std::string var, double timeout) {
  NWS_BEGIN
  auto r = deref<nws::Workspace>(w).retrieve(how_of(how), var, make_wait(timeout));
  if (!r) return nothing();
  return value_list(r->value);
  NWS_END
}

// [[Rcpp::export(.nws_declare)]]
SEXP nws_declare(SEXP w, std::string var, std::string mode) {
  NWS_BEGIN
  deref<nws::Workspace>(w).declare(var, mode);
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_delete_var)]]
SEXP nws_delete_var(SEXP w, std::string var) {
  NWS_BEGIN
  deref<nws::Workspace>(w).delete_var(var);
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_list_vars)]]
SEXP nws_list_vars(SEXP w) {
  NWS_BEGIN
  auto& ws = deref<nws::Workspace>(w);
  std::string text = ws.list_vars_text();
  auto rows = ws.list_vars();
  Rcpp::CharacterVector names(rows.size()), modes(rows.size());
  Rcpp::NumericVector values(rows.size()), fetchers(rows.size()), finders(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    names[i] = Rcpp::String(rows[i].name, CE_UTF8);
    values[i] = static_cast<double>(rows[i].values);
    fetchers[i] = static_cast<double>(rows[i].fetchers);
    finders[i] = static_cast<double>(rows[i].finders);
    modes[i] = rows[i].mode;
  }
  return Rcpp::List::create(Rcpp::Named("text") = Rcpp::String(text, CE_UTF8), Rcpp::Named("Variable") = names,
                            Rcpp::Named("NumValues") = values, Rcpp::Named("NumFetchers") = fetchers,
                            Rcpp::Named("NumFinders") = finders, Rcpp::Named("Mode") = modes);
  NWS_END
}

// [[Rcpp::export(.nws_iterator)]]
SEXP nws_iterator(SEXP w, std::string var, bool consuming) {
  NWS_BEGIN
  auto& ws = deref<nws::Workspace>(w);
  return XPtr<nws::Iterator>(new nws::Iterator(consuming ? ws.ifetch(var) : ws.ifind(var)), true);
  NWS_END
}

// block: wait for the next value (timeout as for .nws_retrieve); else the Try form.
// [[Rcpp::export(.nws_iterator_next)]]
SEXP nws_iterator_next(SEXP it, bool block, double timeout) {
  NWS_BEGIN
  auto& iter = deref<nws::Iterator>(it);
  // As the original: after the end was reached, the next call goes on from
  // the same position (new values may have arrived since).
  iter.restart();
  if (block) return value_list(iter.next(make_wait(timeout)).value);
  auto r = iter.try_next();
  if (!r) return nothing();
  return value_list(r->value);
  NWS_END
}
