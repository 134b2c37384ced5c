#include "engine/variable.hpp"

#include <algorithm>

#include "engine/session.hpp"
#include "nws/value.hpp"

namespace nws::engine {

namespace {
// The descriptor of strings the server makes (__time, __barrier): no language.
constexpr std::uint64_t kServerText = descriptor::direct_string;

std::int64_t start_position(std::int64_t request_index, std::int64_t base) {
  return std::max<std::int64_t>(request_index - base + 1, 0);
}
}  // namespace

bool Variable::declare(Mode m) {
  if (mode_ == m) return true;
  if (mode_ != Mode::unknown) return false;
  mode_ = m;
  return true;
}

std::int64_t Variable::value_count() const {
  switch (mode_) {
    case Mode::time: return 1;
    case Mode::barrier: return 3;
    case Mode::unknown: return 0;
    default: return static_cast<std::int64_t>(values_.size());
  }
}

namespace {
// A value the server makes up (time, barrier counts): a direct string.
ValueView server_text(std::string_view text) { return ValueView{kServerText, text, nullptr, nullptr}; }

ValueView view_of(const IncomingValue& v) {
  return ValueView{v.descriptor, v.bytes, v.blob ? v.blob.operator->() : nullptr, v.metadata.get()};
}
}  // namespace

void Variable::reply_value(Session& s, const ValueView& v, std::int64_t index, const Deliver& deliver) const {
  Reply r;
  r.is_long = true;
  r.descriptor = v.descriptor;
  r.var_id = id_;
  r.index = index;
  r.bytes = v.bytes;
  r.blob = v.blob;
  r.metadata = v.metadata;
  deliver(s, r);
}

void Variable::hand_out(Session& s, const ValueView& v, std::int64_t index, std::int64_t lease_ms,
                        const Deliver& deliver) {
  if (hooks_) {
    std::uint64_t lease = hooks_->taken(*this, v, s, lease_ms);
    if (lease_ms >= 0) index = static_cast<std::int64_t>(lease);
  }
  reply_value(s, v, index, deliver);
}

// §9.1: every finder, then the first fetcher; true if the value was consumed.
bool Variable::deliver_new_value(const ValueView& v, std::int64_t index, const Deliver& deliver) {
  while (!finders_.empty()) reply_value(release_first(finders_), v, index, deliver);
  if (fetchers_.empty()) return false;
  const std::int64_t lease_ms = fetchers_.front().lease_ms;
  hand_out(release_first(fetchers_), v, index, lease_ms, deliver);
  return true;
}

void Variable::give_back(IncomingValue&& v, const Deliver& deliver) {
  const ValueView incoming = view_of(v);
  switch (mode_) {
    case Mode::fifo:
      --base_;
      if (deliver_new_value(incoming, base_, deliver)) ++base_;
      else values_.push_front(std::move(v));
      return;
    case Mode::lifo:
    case Mode::multi:
      if (!deliver_new_value(incoming, 0, deliver)) values_.push_back(std::move(v));
      return;
    case Mode::single:
      if (!values_.empty()) return;  // a newer value took the slot
      --base_;
      if (deliver_new_value(incoming, base_, deliver)) ++base_;
      else values_.push_back(std::move(v));
      return;
    default:
      return;
  }
}

int Variable::store(Session& writer, IncomingValue&& v, const Deliver& deliver, std::string_view& reason) {
  if (mode_ == Mode::unknown) mode_ = Mode::fifo;
  const ValueView incoming = view_of(v);
  switch (mode_) {
    case Mode::fifo: {
      std::int64_t k = base_ + static_cast<std::int64_t>(values_.size());
      if (deliver_new_value(incoming, k, deliver)) ++base_;
      else values_.push_back(std::move(v));
      return kOk;
    }
    case Mode::lifo:
    case Mode::multi:
      if (!deliver_new_value(incoming, 0, deliver)) values_.push_back(std::move(v));
      return kOk;
    case Mode::single: {
      bool present = !values_.empty();
      std::int64_t k = base_ + (present ? 1 : 0);
      if (deliver_new_value(incoming, k, deliver)) {
        ++base_;
      } else if (present) {
        values_.pop_front();
        values_.push_back(std::move(v));
        ++base_;
      } else {
        values_.push_back(std::move(v));
      }
      return kOk;
    }
    case Mode::time:
      reason = "Store is not supported for this variable.";
      return kFailed;
    case Mode::barrier:
      if (!barrier_members_.insert(writer.id).second) {
        reason = "Client attempting to join barrier group, but is already a member";
        return kFailed;
      }
      return kOk;
    case Mode::unknown:
      break;
  }
  return kFailed;
}

Outcome Variable::retrieve(Session& who, const Retrieval& r, const Deliver& deliver, std::string_view& error) {
  if (r.lease_ms >= 0 && (mode_ == Mode::time || mode_ == Mode::barrier)) {
    error = "A leased fetch needs a variable that holds values (fifo, lifo, multi or single).";
    return Outcome::failed;
  }
  switch (mode_) {
    case Mode::unknown:
      return r.block ? Outcome::must_block : Outcome::no_value;
    case Mode::fifo: {
      std::int64_t p = start_position(r.index, base_);
      if (r.remove) {
        if (p > 0) { error = "ifetch* only supported at beginning of FIFO"; return Outcome::failed; }
        if (values_.empty()) return r.block ? Outcome::must_block : Outcome::no_value;
        hand_out(who, values_.front(), base_++, r.lease_ms, deliver);
        values_.pop_front();
        return Outcome::replied;
      }
      if (p < static_cast<std::int64_t>(values_.size())) {
        reply_value(who, values_.at(static_cast<std::size_t>(p)), base_ + p, deliver);
        return Outcome::replied;
      }
      return r.block ? Outcome::must_block : Outcome::no_value;
    }
    case Mode::lifo:
    case Mode::multi:
      if (r.index >= 0) {
        error = r.remove ? "ifetch* not supported on LIFO" : "ifind* not supported on LIFO";
        return Outcome::failed;
      }
      if (values_.empty()) return r.block ? Outcome::must_block : Outcome::no_value;
      if (r.remove) {
        hand_out(who, values_.back(), 0, r.lease_ms, deliver);
        values_.pop_back();
      } else {
        reply_value(who, values_.back(), 0, deliver);
      }
      return Outcome::replied;
    case Mode::single: {
      std::int64_t p = start_position(r.index, base_);
      if (p != 0 || values_.empty()) return r.block ? Outcome::must_block : Outcome::no_value;
      if (r.remove) {
        hand_out(who, values_.front(), base_++, r.lease_ms, deliver);
        values_.clear();
      } else {
        reply_value(who, values_.front(), base_, deliver);
      }
      return Outcome::replied;
    }
    case Mode::time: {
      std::string now = r.now_text && *r.now_text ? (*r.now_text)() : std::string();
      reply_value(who, server_text(now), std::max<std::int64_t>(r.index, 0), deliver);
      return Outcome::replied;
    }
    case Mode::barrier:
      return retrieve_barrier(who, r, deliver, error);
  }
  return Outcome::no_value;
}

void Variable::release_barrier_finders(std::size_t count, const Deliver& deliver) {
  const std::string text = std::to_string(count);
  const ValueView v = server_text(text);
  while (!finders_.empty()) reply_value(release_first(finders_), v, 0, deliver);
}

// §9.7: membership keyed by connection; fetch leaves, find waits for all.
Outcome Variable::retrieve_barrier(Session& who, const Retrieval& r, const Deliver& deliver, std::string_view& error) {
  bool member = barrier_members_.count(who.id) != 0;
  if (r.remove) {
    if (!member) { error = "Client has not joined this barrier group."; return Outcome::failed; }
    std::size_t before = barrier_members_.size();
    barrier_members_.erase(who.id);
    reply_value(who, server_text(""), 0, deliver);
    if (!finders_.empty() && finders_.size() >= barrier_members_.size()) release_barrier_finders(before, deliver);
    return Outcome::replied;
  }
  if (!r.block) {
    std::string text = std::to_string(finders_.size()) + " out of " + std::to_string(barrier_members_.size()) +
                       " at barrier";
    reply_value(who, server_text(text), 0, deliver);
    return Outcome::replied;
  }
  if (!member) { error = "Client has not joined this barrier group."; return Outcome::failed; }
  if (finders_.size() + 1 == barrier_members_.size()) {
    std::size_t count = barrier_members_.size();
    const std::string text = std::to_string(count);
    release_barrier_finders(count, deliver);
    reply_value(who, server_text(text), 0, deliver);
    return Outcome::replied;
  }
  return Outcome::must_block;
}

std::list<Waiter>::iterator Variable::block(Session& who, bool remove, std::int64_t lease_ms) {
  auto& q = remove ? fetchers_ : finders_;
  auto it = q.insert(q.end(), Waiter{&who, lease_ms});
  count_waiter(q, +1);
  return it;
}

void Variable::withdraw(std::list<Waiter>::iterator it, bool remove) {
  auto& q = remove ? fetchers_ : finders_;
  q.erase(it);
  count_waiter(q, -1);
}

Session& Variable::release_first(std::list<Waiter>& q) {
  Session& s = *q.front().session;
  q.pop_front();
  count_waiter(q, -1);
  s.blocked.reset();
  return s;
}

void Variable::count_waiter(const std::list<Waiter>& q, int change) {
  if (!holdings_) return;
  std::uint64_t& n = &q == &fetchers_ ? holdings_->fetchers : holdings_->finders;
  n += static_cast<std::uint64_t>(static_cast<std::int64_t>(change));
}

void Variable::leave_barrier(std::uint64_t session_id, const Deliver& deliver) {
  if (mode_ != Mode::barrier) return;
  const std::size_t before = barrier_members_.size();
  if (barrier_members_.erase(session_id) == 0) return;
  if (!finders_.empty() && finders_.size() >= barrier_members_.size()) release_barrier_finders(before, deliver);
}

void Variable::purge(const Deliver& deliver) {
  Reply r;
  r.is_long = true;
  r.status = kFailed;
  r.reason = "Variable purged.";
  for (auto* q : {&fetchers_, &finders_}) {
    while (!q->empty()) deliver(release_first(*q), r);
  }
  values_.clear();
}

}  // namespace nws::engine
