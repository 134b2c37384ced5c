// Leased fetch (reliable consume): nws::Lease handles behind external
// pointers (R/lease.R keeps them in its "nwsLease" objects).  The value is
// converted as a fetched one (glue::value_list, then R/values.R); a result
// stored by ack_store is encoded as nwsStore encodes it.  Durations are in
// seconds (glue::duration_arg); a blocking lease takes a timeout and R's
// interrupt check, as a blocking fetch does.
#include <string_view>
#include <utility>
#include <vector>

#include "common.h"
#include "nws/portable.hpp"
#include "portable.h"

using glue::deref;
using NameOf = nws::args::NameOf;

namespace {

// Leases whose R object was collected while R ran inside a blocking call's
// interrupt check: the core held that call's connection, so releasing them
// there would wait for ever.  They are released by the next lease call.
std::vector<nws::Lease>& abandoned() {
  static std::vector<nws::Lease> leases;
  return leases;
}

void release_abandoned() {
  std::vector<nws::Lease> leases = std::move(abandoned());
  abandoned().clear();
  leases.clear();  // each unsettled one releases its value (errors ignored)
}

// The R object of a lease was collected: an unsettled lease gives its value
// back (nws::Lease's destructor), now or, inside an interrupt check, later.
void finalize_lease(nws::Lease* l) {
  if (l == nullptr) return;
  if (glue::in_interrupt_check() && !l->settled()) abandoned().push_back(std::move(*l));
  delete l;
}

using LeasePtr = Rcpp::XPtr<nws::Lease, Rcpp::PreserveStorage, finalize_lease, false>;

Rcpp::List handle(nws::Lease&& l) {
  auto* held = new nws::Lease(std::move(l));
  LeasePtr ptr(held, true);
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("found") = true, Rcpp::Named("ptr") = ptr,
                                      Rcpp::Named("id") = static_cast<double>(held->id()),
                                      Rcpp::Named("variable") = glue::utf8(held->variable()));
  return out;
}

nws::Lease& lease_of(SEXP l) { return deref<nws::Lease>(l); }

}  // namespace

// A blocking lease: timeout in seconds (NULL: for ever).  An interrupt ends
// it as it ends a fetch, but a value that had arrived goes back to its
// variable (the core's rule), so the interrupt carries none.
// [[Rcpp::export(.nws_lease)]]
SEXP nws_lease(SEXP w, SEXP var, SEXP duration, SEXP timeout) {
  NWS_BEGIN
  release_abandoned();
  const std::string name = glue::name_arg(var, NameOf::variable);
  const std::chrono::milliseconds d = glue::duration_arg(duration);
  auto& ws = deref<nws::Workspace>(w);
  glue::InterruptWatch watch;
  const nws::Wait wait = glue::wait_arg(timeout, watch.check());
  try {
    nws::Lease held = ws.lease(name, d, wait);
    if (watch.fired()) {
      // The interrupt came as the value did: the program asked to stop,
      // so the value goes back, as the core does when it sees the cancel.
      try {
        held.release();
      } catch (const nws::Error&) {
        // The connection went, or the lease ended: the value is back anyway.
      }
      return glue::interrupted(nullptr);
    }
    return handle(std::move(held));
  } catch (const nws::Error&) {
    if (watch.fired()) return glue::interrupted(nullptr);
    throw;
  }
  NWS_END
}

// Never waits: nothing when the variable has no value.
// [[Rcpp::export(.nws_lease_try)]]
SEXP nws_lease_try(SEXP w, SEXP var, SEXP duration) {
  NWS_BEGIN
  release_abandoned();
  const std::string name = glue::name_arg(var, NameOf::variable);
  const std::chrono::milliseconds d = glue::duration_arg(duration);
  std::optional<nws::Lease> got = deref<nws::Workspace>(w).lease_try(name, d);
  if (!got) return glue::nothing();
  return handle(std::move(*got));
  NWS_END
}

// The leased value, as .nws_retrieve returns a fetched one (still there
// after the lease is settled).
// [[Rcpp::export(.nws_lease_value)]]
SEXP nws_lease_value(SEXP l) {
  NWS_BEGIN
  return glue::value_list(lease_of(l).value());
  NWS_END
}

// NA for a lease restored from a saved session (it is gone).
// [[Rcpp::export(.nws_lease_settled)]]
SEXP nws_lease_settled(SEXP l) {
  Rcpp::XPtr<nws::Lease> x(l);
  if (x.get() == nullptr) return Rcpp::wrap(NA_LOGICAL);
  return Rcpp::wrap(x->settled());
}

// [[Rcpp::export(.nws_lease_ack)]]
SEXP nws_lease_ack(SEXP l) {
  NWS_BEGIN
  release_abandoned();
  lease_of(l).ack();
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_lease_release)]]
SEXP nws_lease_release(SEXP l) {
  NWS_BEGIN
  release_abandoned();
  lease_of(l).release();
  return R_NilValue;
  NWS_END
}

// [[Rcpp::export(.nws_lease_renew)]]
SEXP nws_lease_renew(SEXP l, SEXP duration) {
  NWS_BEGIN
  release_abandoned();
  const std::chrono::milliseconds d = glue::duration_arg(duration);
  lease_of(l).renew(d);
  return R_NilValue;
  NWS_END
}

// Stores a value encoded by R/values.R (as .nws_store) into `var` of the
// lease's workspace and acknowledges the lease, in one step.
// [[Rcpp::export(.nws_lease_ack_store)]]
SEXP nws_lease_ack_store(SEXP l, SEXP var, double descriptor, Rcpp::RawVector bytes) {
  NWS_BEGIN
  release_abandoned();
  const std::string name = glue::name_arg(var, NameOf::variable);
  auto& lease = lease_of(l);
  const std::string_view b(reinterpret_cast<const char*>(RAW(bytes)), static_cast<std::size_t>(Rf_xlength(bytes)));
  lease.ack_store(name, static_cast<std::uint64_t>(descriptor), b);
  return R_NilValue;
  NWS_END
}

// The same with a portable value (as .nws_store_portable): encoded before
// anything is sent, so a value R cannot write portably leaves the lease held.
// [[Rcpp::export(.nws_lease_ack_store_portable)]]
SEXP nws_lease_ack_store_portable(SEXP l, SEXP var, SEXP x) {
  NWS_BEGIN
  release_abandoned();
  const std::string name = glue::name_arg(var, NameOf::variable);
  auto& lease = lease_of(l);
  const std::string bytes = glue::portable_bytes(x);
  lease.ack_store(name, nws::portable::descriptor_for(nws::Language::r), bytes);
  return R_NilValue;
  NWS_END
}
