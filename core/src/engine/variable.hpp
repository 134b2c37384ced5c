// One variable: its mode, its values and its waiters (PROTOCOL.md §9).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "engine/reply.hpp"
#include "nws/mode.hpp"
#include "engine/value_queue.hpp"
#include "protocol/blob.hpp"
#include "protocol/dict.hpp"

namespace nws::engine {

struct Session;
struct Workspace;
class Variable;

using nws::Mode;

// A blocked fetch or find.
struct Waiter {
  Session* session;
  std::int64_t lease_ms = -1;  // a leased fetch: how long the lease lasts
};

// What the engine does when a fetch takes a value from a variable: keep it
// under a lease (lease_ms >= 0: returns the lease's id, which the reply
// carries), and tell the journal.  Called before the value leaves.
class TakeHooks {
 public:
  virtual ~TakeHooks() = default;
  virtual std::uint64_t taken(Variable& var, const ValueView& v, Session& who, std::int64_t lease_ms) = 0;
};

// Delivers a reply to a session (the engine's sink, bound).
using Deliver = std::function<void(Session&, const Reply&)>;

// What a retrieval asks for.
struct Retrieval {
  bool remove = false;     // fetch-like
  bool block = false;      // not a Try verb
  std::int64_t index = -1; // -1: from the beginning (non-iterated or first step)
  std::int64_t lease_ms = -1;  // >= 0: a leased fetch (remove must be set)
  // The engine's clock for `__time` (per engine, so two engines never share one).
  const std::function<std::string()>* now_text = nullptr;
};

// replied: a value went out; failed: `error` says why (status 1).
enum class Outcome { replied, must_block, no_value, failed };

class Variable {
 public:
  Variable(std::string name, std::string id, Mode mode, Holdings* holdings = nullptr, TakeHooks* hooks = nullptr,
           Workspace* owner = nullptr)
      : name_(std::move(name)), id_(std::move(id)), mode_(mode), values_(holdings), holdings_(holdings),
        hooks_(hooks), owner_(owner) {
    if (holdings_) holdings_->memory += cost();
  }
  ~Variable() {
    if (holdings_) holdings_->memory -= cost();
  }
  Variable(const Variable&) = delete;
  Variable& operator=(const Variable&) = delete;

  const std::string& name() const { return name_; }
  const std::string& id() const { return id_; }
  Mode mode() const { return mode_; }
  Workspace* owner() const { return owner_; }
  // Declaring: switches an unknown variable, accepts the same mode.
  bool declare(Mode m);

  // Stores a value (PROTOCOL.md §9.1 and the mode's rule).  Returns the
  // status for the storing client; `reason` is set on failure.
  int store(Session& writer, IncomingValue&& v, const Deliver& deliver, std::string_view& reason);

  // Tries to answer `who` right away.  On Outcome::replied the reply was sent
  // through `deliver`; otherwise the caller blocks or fails the request.
  Outcome retrieve(Session& who, const Retrieval& r, const Deliver& deliver, std::string_view& error);

  // A value back from a lease that ended unacknowledged: it goes where the
  // next fetch takes from (fifo: the front; lifo/multi: the top; single:
  // the slot, unless a newer value was stored since), or straight to the
  // waiters.  A variable that cannot hold values drops it.
  void give_back(IncomingValue&& v, const Deliver& deliver);

  // Queues a blocked request; returns its position for withdrawal.
  std::list<Waiter>::iterator block(Session& who, bool remove, std::int64_t lease_ms = -1);
  void withdraw(std::list<Waiter>::iterator it, bool remove);
  // Answers every waiter with an error (deleted variable or workspace).
  void purge(const Deliver& deliver);
  // A barrier member's connection closed: it leaves the group, which may
  // release the members waiting for it (as a leaving fetch does, §9.7).
  void leave_barrier(std::uint64_t session_id, const Deliver& deliver);

  // For listings.
  std::int64_t value_count() const;
  std::size_t fetcher_count() const { return fetchers_.size(); }
  std::size_t finder_count() const { return finders_.size(); }
  // For monitoring: who waits, and the values (ValueQueue::visit pages them).
  const std::list<Waiter>& fetchers() const { return fetchers_; }
  const std::list<Waiter>& finders() const { return finders_; }
  const ValueQueue& values() const { return values_; }

 private:
  bool deliver_new_value(const ValueView& v, std::int64_t index, const Deliver& deliver);
  void reply_value(Session& s, const ValueView& v, std::int64_t index, const Deliver& deliver) const;
  // Hands the value the mode gives out next to a fetcher (telling the
  // hooks, which may put it under a lease whose id replaces `index`).
  void hand_out(Session& s, const ValueView& v, std::int64_t index, std::int64_t lease_ms, const Deliver& deliver);
  Outcome retrieve_barrier(Session& who, const Retrieval& r, const Deliver& deliver, std::string_view& error);
  void release_barrier_finders(std::size_t count, const Deliver& deliver);
  // Takes the first waiter of `q` off it; its session is no longer blocked.
  Session& release_first(std::list<Waiter>& q);
  // Keeps Holdings::fetchers / finders in step with `q`.
  void count_waiter(const std::list<Waiter>& q, int change);

  std::string name_;
  std::string id_;
  Mode mode_;
  ValueQueue values_;  // fifo: front is oldest; lifo/multi: back is newest; single: at most one
  std::int64_t base_ = 0;           // B: values that have left the front (fifo, single)
  std::list<Waiter> fetchers_;
  std::list<Waiter> finders_;
  std::set<std::uint64_t> barrier_members_;  // session ids
  Holdings* holdings_;
  TakeHooks* hooks_;
  Workspace* owner_;

  std::uint64_t cost() const { return Holdings::kVariableCost + name_.size() + id_.size(); }
};

}  // namespace nws::engine
