// Variables: store, the four retrievals, declare, delete, and iterators.
// Values travel as a descriptor and bytes; R/values.R encodes and decodes
// them, portable values excepted (src/portable_*.cpp).  Blocking calls take
// a timeout in seconds (NULL: for ever) and R's interrupt check
// (glue::blocking).
#include <cstring>
#include <string_view>

#include "common.h"
#include "nws/portable.hpp"
#include "portable.h"

using glue::deref;
using Rcpp::XPtr;
using NameOf = nws::args::NameOf;

namespace {

nws::Retrieve how_of(int how) {
  switch (how) {
    case 0: return nws::Retrieve::fetch;
    case 1: return nws::Retrieve::fetch_try;
    case 2: return nws::Retrieve::find;
    case 3: return nws::Retrieve::find_try;
  }
  throw nws::Error(nws::Errc::invalid_argument, "unknown retrieval " + std::to_string(how));
}

}  // namespace

// [[Rcpp::export(.nws_store)]]
SEXP nws_store(SEXP w, SEXP var, double descriptor, Rcpp::RawVector bytes) {
  NWS_BEGIN
  const std::string name = glue::name_arg(var, NameOf::variable);
  const std::string_view b(reinterpret_cast<const char*>(RAW(bytes)), static_cast<std::size_t>(Rf_xlength(bytes)));
  deref<nws::Workspace>(w).store(name, static_cast<std::uint64_t>(descriptor), b);
  return R_NilValue;
  NWS_END
}

// A value in R's portable encoding (docs/values.md; src/portable_write.cpp),
// stored with the portable descriptor.  The value is encoded before
// anything is sent: a value R cannot write portably stores nothing.
// [[Rcpp::export(.nws_store_portable)]]
SEXP nws_store_portable(SEXP w, SEXP var, SEXP x) {
  NWS_BEGIN
  const std::string name = glue::name_arg(var, NameOf::variable);
  auto& ws = deref<nws::Workspace>(w);
  const std::string bytes = glue::portable_bytes(x);
  ws.store(name, nws::portable::descriptor_for(nws::Language::r), bytes);
  return R_NilValue;
  NWS_END
}

// how: 0 fetch, 1 fetchTry, 2 find, 3 findTry.  The Try forms never wait
// (timeout is not used).  decode: a portable value comes decoded (see
// glue::value_list); the file functions take the bytes as they are.
// [[Rcpp::export(.nws_retrieve)]]
SEXP nws_retrieve(SEXP w, int how, SEXP var, SEXP timeout, bool decode = true) {
  NWS_BEGIN
  const nws::Retrieve h = how_of(how);
  const std::string name = glue::name_arg(var, NameOf::variable);
  auto& ws = deref<nws::Workspace>(w);
  return glue::blocking(timeout, [&](const nws::Wait& wait) { return ws.retrieve(h, name, wait); }, decode);
  NWS_END
}

// [[Rcpp::export(.nws_declare)]]
SEXP nws_declare(SEXP w, SEXP var, SEXP mode) {
  NWS_BEGIN
  const std::string name = glue::name_arg(var, NameOf::variable);
  const nws::Mode m = glue::mode_arg(mode);
  deref<nws::Workspace>(w).declare(name, m);
  return R_NilValue;
  NWS_END
}

// The mode's name, if the core accepts it (nwsVariable checks it before it
// touches the environment).
// [[Rcpp::export(.nws_mode)]]
SEXP nws_mode(SEXP mode) {
  NWS_BEGIN
  return Rcpp::wrap(std::string(nws::mode_name(glue::mode_arg(mode))));
  NWS_END
}

// The name, if the core accepts it (as for .nws_mode).
// [[Rcpp::export(.nws_variable_name)]]
SEXP nws_variable_name(SEXP var) {
  NWS_BEGIN
  return glue::utf8(glue::name_arg(var, NameOf::variable));
  NWS_END
}

// [[Rcpp::export(.nws_delete_var)]]
SEXP nws_delete_var(SEXP w, SEXP var) {
  NWS_BEGIN
  const std::string name = glue::name_arg(var, NameOf::variable);
  deref<nws::Workspace>(w).delete_var(name);
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_iterator)]]
SEXP nws_iterator(SEXP w, SEXP var, bool consuming) {
  NWS_BEGIN
  const std::string name = glue::name_arg(var, NameOf::variable);
  auto& ws = deref<nws::Workspace>(w);
  return XPtr<nws::Iterator>(new nws::Iterator(consuming ? ws.ifetch(name) : ws.ifind(name)), true);
  NWS_END
}

// One step.  block: wait for the next value (timeout as for .nws_retrieve);
// else the Try form, nothing at the end.  The end is not sticky (the core's
// rule): the next step goes on from the same position.
// [[Rcpp::export(.nws_iterator_next)]]
SEXP nws_iterator_next(SEXP it, bool block, SEXP timeout) {
  NWS_BEGIN
  auto& iter = deref<nws::Iterator>(it);
  if (!block) {
    auto r = iter.try_next();
    return r ? SEXP(glue::value_list(r->value)) : SEXP(glue::nothing());
  }
  return glue::blocking(timeout,
                        [&](const nws::Wait& wait) { return std::optional<nws::Fetched>(iter.next(wait)); });
  NWS_END
}
