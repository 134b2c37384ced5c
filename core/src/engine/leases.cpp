// Leased fetch (NwsLease): a fetch whose value is kept until the holder
// acknowledges it, and goes back to its variable if the lease ends
// otherwise (docs/protocol-extensions.md).
#include <algorithm>

#include "engine/engine.hpp"
#include "engine/quoted.hpp"
#include "protocol/fields.hpp"
#include "protocol/verbs.hpp"

namespace nws::engine {
namespace {

std::string quoted_name(std::string_view s) { return quoted(s, '\''); }

// A lease lasts at least a millisecond and at most about 24 days.
constexpr std::int64_t kMaxLeaseMs = 2'147'483'647;
// How many ended leases are remembered, so that a late acknowledgement is
// told what became of its lease.
constexpr std::size_t kEndedRemembered = 4096;

std::optional<std::int64_t> lease_duration(std::string_view text) {
  auto ms = proto::parse_int(text);
  if (!ms || *ms < 1 || *ms > kMaxLeaseMs) return std::nullopt;
  return ms;
}

std::string bad_duration(std::string_view text) {
  return "Lease duration \"" + std::string(text.substr(0, 64)) + "\" is not a whole number of milliseconds from 1 to " +
         std::to_string(kMaxLeaseMs) + ".";
}

}  // namespace

void Engine::cmd_lease_fetch(Session& s, const Args& a, bool block) {
  Workspace* ws = resolve(s, a[1].view(), true);
  if (!ws) return;
  auto ms = lease_duration(a[3].view());
  if (!ms) {
    reply_long_error(s, kFailed, bad_duration(a[3].view()));
    return;
  }
  Variable* found = variable_or_refuse(s, *ws, a[2].view(), Mode::unknown, true);
  if (!found) return;
  answer_retrieval(s, *ws, *found, Retrieval{true, block, -1, *ms, &config_.now_text});
}

std::uint64_t Engine::taken(Variable& var, const ValueView& v, Session& who, std::int64_t lease_ms) {
  Workspace* ws = var.owner();
  if (lease_ms < 0) {
    if (Journal* j = journal_of(ws)) j->taken(ws->name, var.name(), 0);
    return 0;
  }
  const std::uint64_t id = restoring_ ? restore_lease_id_ : next_lease_id_++;
  Lease l;
  l.holder = restoring_ ? nullptr : &who;
  if (ws) l.ws = ws->weak_from_this();
  l.var = var.name();
  l.var_id = var.id();
  l.descriptor = v.descriptor;
  l.bytes = v.blob ? proto::BlobRef::share(v.blob) : proto::Blob::copy_of(v.bytes);
  if (v.metadata) l.metadata = std::make_shared<const proto::Dict>(*v.metadata);
  l.duration_ms = lease_ms;
  l.deadline_ms = now_ms() + lease_ms;
  // Held values still count against the quotas.
  (l.bytes->spooled() ? holdings_.spool : holdings_.memory) += l.bytes.size();
  if (l.holder) {
    lease_deadlines_.emplace(l.deadline_ms, id);
    who.leases.insert(id);
  }
  leases_.insert_or_assign(id, std::move(l));
  if (Journal* j = journal_of(ws)) j->taken(ws->name, var.name(), id);
  return id;
}

void Engine::remember_ended(std::uint64_t id, std::string why) {
  ended_leases_.insert_or_assign(id, std::move(why));
  if (ended_leases_.size() > kEndedRemembered) ended_leases_.erase(ended_leases_.begin());
}

void Engine::give_back(std::uint64_t id, std::string_view why) {
  auto it = leases_.find(id);
  if (it == leases_.end()) return;
  Lease l = std::move(it->second);
  leases_.erase(it);
  lease_deadlines_.erase({l.deadline_ms, id});
  if (l.holder) l.holder->leases.erase(id);
  (l.bytes->spooled() ? holdings_.spool : holdings_.memory) -= l.bytes.size();
  auto ws = l.ws.lock();
  Variable* var = ws && ws->alive ? ws->find(l.var) : nullptr;
  if (!var || var->id() != l.var_id) {
    remember_ended(id, std::string(why) + "; its variable " + quoted_name(l.var) + " had been deleted, so the value is gone");
    return;
  }
  remember_ended(id, std::string(why) + "; its value went back to variable " + quoted_name(l.var) + " of workspace " +
                         quoted_name(ws->name) + " for the next fetch");
  if (Journal* j = journal_of(ws.get())) j->given_back(id);
  var->give_back(l.take(), deliver_);
}

Lease* Engine::held_lease(Session& s, std::string_view id_text) {
  auto id = proto::parse_uint(id_text);
  if (id && s.leases.count(*id)) return &leases_.at(*id);
  std::string why;
  if (!id) {
    why = "Lease id \"" + std::string(id_text.substr(0, 64)) + "\" is not a lease id (a whole number).";
  } else if (auto ended = ended_leases_.find(*id); ended != ended_leases_.end() && !leases_.count(*id)) {
    why = "Lease " + std::to_string(*id) + " is no longer held: it " + ended->second + ".";
  } else {
    why = "No lease " + std::to_string(*id) +
          " is held by this connection: it was never given to it, it ended already, or the server restarted since.";
  }
  reply_short(s, proto::kLeaseNotHeld, why);
  return nullptr;
}

void Engine::cmd_lease_end(Session& s, const Args& a, proto::Verb verb) {
  Lease* l = held_lease(s, a[1].view());
  if (!l) return;
  const std::uint64_t id = *proto::parse_uint(a[1].view());
  switch (verb) {
    case proto::Verb::lease_ack: {
      auto ws = l->ws.lock();
      if (Journal* j = journal_of(ws && ws->alive ? ws.get() : nullptr)) j->acknowledged(id);
      (l->bytes->spooled() ? holdings_.spool : holdings_.memory) -= l->bytes.size();
      lease_deadlines_.erase({l->deadline_ms, id});
      s.leases.erase(id);
      leases_.erase(id);
      remember_ended(id, "was acknowledged already");
      break;
    }
    case proto::Verb::lease_release:
      give_back(id, "was released");
      break;
    case proto::Verb::lease_renew: {
      auto ms = lease_duration(a[2].view());
      if (!ms) {
        reply_short(s, kFailed, bad_duration(a[2].view()));
        return;
      }
      lease_deadlines_.erase({l->deadline_ms, id});
      l->duration_ms = *ms;
      l->deadline_ms = now_ms() + *ms;
      lease_deadlines_.emplace(l->deadline_ms, id);
      break;
    }
    default:
      break;
  }
  reply_short(s, kOk);
}

void Engine::cmd_lease_ack_store(Session& s, proto::Request& r) {
  // The lease is checked first: if it is not held, nothing is stored.
  if (!held_lease(s, r.args[5].view())) return;
  if (!store_value(s, r, false)) return;  // the lease stays held
  proto::Request ack;
  ack.args.resize(2);
  ack.args[1].bytes.assign(r.args[5].view());
  cmd_lease_end(s, ack.args, proto::Verb::lease_ack);
}

void Engine::expire_leases() {
  const std::int64_t now = now_ms();
  while (!lease_deadlines_.empty() && lease_deadlines_.begin()->first <= now) {
    const std::uint64_t id = lease_deadlines_.begin()->second;
    give_back(id, "expired after " + std::to_string(leases_.at(id).duration_ms) + " ms unacknowledged");
  }
  commit();
}

std::optional<std::int64_t> Engine::next_lease_deadline() const {
  if (lease_deadlines_.empty()) return std::nullopt;
  return lease_deadlines_.begin()->first;
}

// ---- durability ----------------------------------------------------------------

void Engine::make_durable(Workspace& ws) {
  ws.durable = true;
  journal_workspace(*config_.journal, ws);
}

void Engine::journal_workspace(Journal& j, const Workspace& ws) const {
  j.workspace(ws);
  for (const auto& entry : ws.ordered) {
    const std::string_view name = entry.first;
    const Variable& var = *entry.second;
    j.declare(ws.name, name, var.mode());
    if (var.mode() == Mode::time || var.mode() == Mode::barrier) continue;
    var.values().visit(0, var.values().size(), [&](std::size_t, const ValueView& v) { j.store(ws.name, name, v); });
  }
  for (const auto& [id, l] : leases_) {
    auto lw = l.ws.lock();
    if (lw.get() == &ws) j.leased(ws.name, l.var, id, l.view());
  }
}

void Engine::write_snapshot(Journal& j) const {
  for (const auto& [name, ws] : spaces_)
    if (ws->durable) journal_workspace(j, *ws);
  j.commit();
}

}  // namespace nws::engine
