// Leased fetch (NwsLease, docs/protocol-extensions.md): Workspace::lease and
// the Lease that settles it.
#include "client/calls.hpp"
#include "nws/client.hpp"
#include "protocol/fields.hpp"
#include "protocol/status.hpp"

namespace nws {
namespace {
using detail::Op;
using detail::Outgoing;
using proto::Verb;

std::string milliseconds_text(std::chrono::milliseconds d, const Op& op) {
  if (d.count() < 1 || d.count() > 2'147'483'647)
    throw Error(Errc::invalid_argument, detail::describe(op) + ": a lease lasts from 1 ms to about 24 days, not " +
                                            std::to_string(d.count()) + " ms");
  return std::to_string(d.count());
}

void require_leases(const detail::Connection& c, const Op& op) {
  if (!c.supports_lease())
    throw Error(Errc::unsupported, detail::describe(op) + ": the server at " + c.host() + ":" + std::to_string(c.port()) +
                                       " does not offer leases (NwsLease); it is an original NWS server or an older one");
}
}  // namespace

Lease Workspace::lease(const std::string& var, std::chrono::milliseconds duration, const Wait& wait) {
  detail::Connection& c = *conn_;
  const Op op{Verb::lease_fetch, name_, var};
  require_leases(c, op);
  const std::string ms = milliseconds_text(duration, op);
  detail::Reply r = c.round_trip(request(c, op, {name_, var, ms}), op, nullptr, &wait);
  if (r.status() != 0) throw detail::status_error(op, r.status(), r.reason());
  const bool interrupted = r.interrupted;
  Fetched f = detail::to_fetched(std::move(r));
  const auto id = static_cast<std::uint64_t>(f.index);
  Lease held(*this, var, std::move(f), id);
  if (interrupted) {
    // The caller will not see this lease: its value goes back now.
    held.release();
    throw Error(Errc::cancelled, detail::describe(op) + " was interrupted; the value that had arrived went back to its variable");
  }
  return held;
}

std::optional<Lease> Workspace::lease_try(const std::string& var, std::chrono::milliseconds duration) {
  detail::Connection& c = *conn_;
  const Op op{Verb::lease_fetch_try, name_, var};
  require_leases(c, op);
  const std::string ms = milliseconds_text(duration, op);
  detail::Reply r = c.round_trip(request(c, op, {name_, var, ms}), op);
  if (r.status() != 0) {
    if (detail::is_hard_failure(r.status())) throw detail::status_error(op, r.status(), r.reason());
    // "no value available", or a refusal (a time variable, a bad duration).
    if (r.reason() == "no value available" || r.reason().empty()) return std::nullopt;
    throw detail::status_error(op, r.status(), r.reason());
  }
  Fetched f = detail::to_fetched(std::move(r));
  const auto id = static_cast<std::uint64_t>(f.index);
  return Lease(*this, var, std::move(f), id);
}

Lease::Lease(Lease&& o) noexcept
    : ws_(o.ws_), var_(std::move(o.var_)), fetched_(std::move(o.fetched_)), id_(o.id_), settled_(o.settled_) {
  o.settled_ = true;
}

Lease& Lease::operator=(Lease&& o) noexcept {
  if (this == &o) return *this;
  if (!settled_) {
    try { release(); } catch (...) {}
  }
  ws_ = o.ws_;
  var_ = std::move(o.var_);
  fetched_ = std::move(o.fetched_);
  id_ = o.id_;
  settled_ = o.settled_;
  o.settled_ = true;
  return *this;
}

Lease::~Lease() {
  if (settled_ || ws_.closed()) return;
  try {
    release();
  } catch (...) {
    // The connection is gone (then the server gave the value back itself)
    // or the lease had ended: nothing to do.
  }
}

void Lease::settle(int verb_number, std::string_view duration_ms) {
  if (settled_)
    throw Error(Errc::invalid_argument, "lease " + std::to_string(id_) + " of variable '" + var_ +
                                            "' was settled already (acknowledged or released)");
  const auto verb = static_cast<Verb>(verb_number);
  detail::Connection& c = *ws_.conn_;
  const std::string id = std::to_string(id_);
  const Op op{verb, ws_.name(), var_};
  detail::Reply r = verb == Verb::lease_renew ? c.round_trip(request(c, op, {id, duration_ms}), op)
                                              : c.round_trip(request(c, op, {id}), op);
  if (verb != Verb::lease_renew) settled_ = true;  // whatever the answer: the lease is over
  if (r.status() == proto::kLeaseNotHeld) {
    Error e = detail::status_error(op, r.status(), r.reason());
    throw Error(Errc::lease_lost, e.what(), r.status(), std::string(r.reason()));
  }
  if (r.status() != 0) throw detail::status_error(op, r.status(), r.reason());
}

void Lease::ack() { settle(static_cast<int>(Verb::lease_ack), {}); }
void Lease::release() { settle(static_cast<int>(Verb::lease_release), {}); }

void Lease::renew(std::chrono::milliseconds duration) {
  const Op op{Verb::lease_renew, ws_.name(), var_};
  const std::string ms = milliseconds_text(duration, op);
  settle(static_cast<int>(Verb::lease_renew), ms);
}

void Lease::ack_store(const std::string& var, const Value& value, const Metadata* metadata) {
  ack_store(var, value.descriptor, value.bytes, metadata);
}

void Lease::ack_store(const std::string& var, std::uint64_t descriptor, std::string_view bytes,
                      const Metadata* metadata) {
  if (settled_)
    throw Error(Errc::invalid_argument, "lease " + std::to_string(id_) + " of variable '" + var_ +
                                            "' was settled already (acknowledged or released)");
  detail::Connection& c = *ws_.conn_;
  const Op op{Verb::lease_ack_store, ws_.name(), var};
  c.check_value_size(bytes.size(), op);
  std::string desc;
  proto::append_n20u(desc, descriptor);
  // The value is the fifth argument; the lease id follows it.
  const std::string id = std::to_string(id_);
  std::string head = c.encode(metadata, Verb::lease_ack_store, {ws_.name(), var, desc, bytes, id});
  detail::Reply r = c.round_trip(Outgoing{std::move(head)}, op);
  if (r.status() == 0) {
    settled_ = true;
    return;
  }
  // Not acknowledged: nothing was stored.  If the lease is gone, say so;
  // otherwise (the store was refused) the lease is still held.
  Error e = detail::status_error(op, r.status(), r.reason());
  if (r.status() == proto::kLeaseNotHeld) {
    settled_ = true;
    throw Error(Errc::lease_lost, e.what(), r.status(), std::string(r.reason()));
  }
  throw e;
}

}  // namespace nws
