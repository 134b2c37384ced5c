// Rebuilding durable workspaces from the journal's records (the server's
// data log replays them at start).  Each record is applied as the change it
// recorded; nothing is journalled again while replaying.
#include <algorithm>
#include <vector>

#include "engine/engine.hpp"

namespace nws::engine {
namespace {
// Sets a flag for the extent of a scope.
class Flag {
 public:
  explicit Flag(bool& f) : f_(f), was_(f) { f_ = true; }
  ~Flag() { f_ = was_; }
  Flag(const Flag&) = delete;
  Flag& operator=(const Flag&) = delete;

 private:
  bool& f_;
  bool was_;
};
}  // namespace

Workspace* Engine::restored(std::string_view ws) {
  auto it = spaces_.find(ws);
  return it == spaces_.end() ? nullptr : it->second.get();
}

void Engine::restore_workspace(std::string_view name, std::string_view owner, bool persistent) {
  Flag replaying(restoring_);
  if (restored(name)) return;
  auto ws = create_workspace(std::string(name));
  ws->owner.assign(owner);
  ws->persistent = persistent;
  ws->durable = true;
}

void Engine::restore_delete_workspace(std::string_view name) {
  Flag replaying(restoring_);
  auto it = spaces_.find(name);
  if (it == spaces_.end() || it->second->instance == 0) return;  // __default stays
  destroy_workspace(std::shared_ptr<Workspace>(it->second));
}

void Engine::restore_declare(std::string_view ws, std::string_view var, Mode mode) {
  Flag replaying(restoring_);
  Workspace* w = restored(ws);
  if (!w) return;
  variable(*w, var, mode).declare(mode);
}

void Engine::restore_delete_variable(std::string_view ws, std::string_view var) {
  Flag replaying(restoring_);
  if (Workspace* w = restored(ws)) remove_variable(*w, var);
}

void Engine::restore_store(std::string_view ws, std::string_view var, IncomingValue&& v) {
  Flag replaying(restoring_);
  Workspace* w = restored(ws);
  if (!w) return;
  std::string_view reason;
  variable(*w, var, Mode::fifo).store(restore_session_, std::move(v), deliver_, reason);
}

void Engine::restore_taken(std::string_view ws, std::string_view var, std::uint64_t lease) {
  Flag replaying(restoring_);
  Workspace* w = restored(ws);
  Variable* v = w ? w->find(var) : nullptr;
  if (!v || leases_.count(lease)) return;  // a log never takes under a lease twice
  restore_lease_id_ = lease;
  Retrieval r{true, false, -1, lease ? 0 : -1, nullptr};
  std::string_view error;
  v->retrieve(restore_session_, r, deliver_, error);
}

void Engine::restore_leased(std::string_view ws, std::string_view var, std::uint64_t lease, IncomingValue&& v) {
  Flag replaying(restoring_);
  Workspace* w = restored(ws);
  if (!w || lease == 0 || leases_.count(lease)) return;
  // Held by no one: taken as a replayed fetch would take it, from a
  // variable of its own that it never enters.
  Variable& into = variable(*w, var, Mode::fifo);
  restore_lease_id_ = lease;
  ValueView view{v.descriptor, v.bytes, v.blob ? v.blob.operator->() : nullptr, v.metadata.get()};
  taken(into, view, restore_session_, 0);
}

void Engine::restore_acknowledged(std::uint64_t lease) {
  auto it = leases_.find(lease);
  if (it == leases_.end()) return;
  (it->second.bytes->spooled() ? holdings_.spool : holdings_.memory) -= it->second.bytes.size();
  leases_.erase(it);
}

void Engine::restore_given_back(std::uint64_t lease) {
  Flag replaying(restoring_);
  give_back(lease, "was given back");
}

void Engine::finish_restore() {
  std::vector<std::uint64_t> pending;
  for (const auto& [id, l] : leases_)
    if (!l.holder) pending.push_back(id);
  {
    Flag replaying(restoring_);
    for (auto it = pending.rbegin(); it != pending.rend(); ++it) give_back(*it, "was held when the server stopped");
  }
  if (!leases_.empty()) next_lease_id_ = std::max(next_lease_id_, leases_.rbegin()->first + 1);
  if (!pending.empty()) next_lease_id_ = std::max(next_lease_id_, pending.back() + 1);
}

}  // namespace nws::engine
