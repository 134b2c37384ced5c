// A job: chunks in, results out, in element or arrival order.
#include <algorithm>
#include <cmath>

#include <unistd.h>

#include "sleigh/spill.hpp"
#include "sleigh/state.hpp"

namespace nws::sleigh {
namespace {

// Waits on the sleigh's condition variable until `ready` holds, in slices,
// honouring the Wait's deadline and cancel check.
template <class Ready>
void wait_for(detail::SleighState& s, std::unique_lock<std::mutex>& lock, const Wait& wait, const char* what,
              Ready ready) {
  while (!ready()) {
    if (wait.deadline && Clock::now() >= *wait.deadline)
      throw Error(Errc::timeout, std::string("sleigh: timed out waiting for ") + what);
    if (wait.should_cancel) {
      lock.unlock();
      bool stop = true;
      try {
        stop = wait.should_cancel();
      } catch (...) {
      }
      lock.lock();
      if (stop) throw Error(Errc::cancelled, std::string("sleigh: cancelled while waiting for ") + what);
      if (ready()) return;
    }
    auto until = Clock::now() + wait.slice;
    if (wait.deadline) until = std::min(until, *wait.deadline);
    s.cv.wait_until(lock, until);
  }
}

}  // namespace

const char* chunk_status_name(ChunkStatus status) {
  switch (status) {
    case ChunkStatus::ok: return "ok";
    case ChunkStatus::failed: return "failed";
    case ChunkStatus::lost: return "lost";
  }
  return "failed";
}

std::int64_t Job::id() const { return j_->id; }

namespace {

// Adds a chunk whose payload is `payload`, or (spill_file not empty) the
// file of that name, which the job then owns.
void add(detail::SleighState& s, const std::shared_ptr<detail::JobState>& j, std::int64_t first, std::int64_t count,
         std::string_view payload, std::string spill_file) {
  if (count < 1) throw Error(Errc::invalid_argument, "sleigh: a chunk has at least one element");
  std::vector<detail::Send> sends;
  std::vector<detail::Finish> after;
  {
    std::lock_guard lock(s.mu);
    auto refuse = [&](const char* why) {
      if (!spill_file.empty()) unlink(spill_file.c_str());
      throw Error(Errc::invalid_argument, why);
    };
    if (j->closed) refuse("sleigh: the job is closed; no more chunks");
    if (j->each_worker) refuse("sleigh: an eachWorker job takes no chunks");
    if (!j->chunks.empty() && first < j->chunks.back()->first + j->chunks.back()->count)
      refuse("sleigh: chunks are added in element order, without overlap");
    auto c = std::make_unique<detail::Chunk>();
    c->index = static_cast<std::int64_t>(j->chunks.size());
    c->first = first;
    c->count = count;
    Task t;
    t.job = j->id;
    t.tag = first;
    t.count = count;
    t.function = j->function_id;
    t.payload = spill_file.empty() ? payload : std::string_view(spill_file);
    t.spilled = !spill_file.empty();
    c->envelope = encode(t);
    c->spill_file = std::move(spill_file);
    if (s.fatal || s.stopped) {
      // Nothing can run it: it fails at once, like the chunks before it.
      j->chunks.push_back(std::move(c));
      ChunkResult r;
      r.first = first;
      r.count = count;
      r.status = ChunkStatus::failed;
      r.payload = s.fatal ? *s.fatal : "sleigh: stopped";
      s.complete(*j->chunks.back(), *j, std::move(r), after);
    } else {
      s.pending.push_back(detail::ChunkRef{j, c.get()});
      j->chunks.push_back(std::move(c));
      sends = s.dispatch(after);
    }
  }
  s.cv.notify_all();
  s.add_total(count);
  s.send(sends);
  s.finish(after);
}

}  // namespace

void Job::add_chunk(std::int64_t first, std::int64_t count, std::string_view payload) {
  auto& s = *s_;
  std::string file;
  if (spills(payload.size())) {
    file = spill_path();
    detail::write_file(file, payload);
  }
  add(s, j_, first, count, payload, std::move(file));
}

bool Job::spills(std::size_t bytes) const {
  return !s_->spill_dir.empty() && bytes >= s_->options.spill_threshold;
}

std::string Job::spill_path() {
  auto& s = *s_;
  if (s.spill_dir.empty()) return {};
  return s.spill_dir + "/" + std::to_string(j_->id) + "-" + std::to_string(s.spill_seq++);
}

void Job::add_spilled_chunk(std::int64_t first, std::int64_t count, const std::string& path) {
  auto& s = *s_;
  if (s.spill_dir.empty() || path.rfind(s.spill_dir + "/", 0) != 0)
    throw Error(Errc::invalid_argument, "sleigh: '" + path + "' is not a path from spill_path()");
  add(s, j_, first, count, {}, path);
}

void Job::close() {
  auto& s = *s_;
  std::vector<detail::Finish> after;
  {
    std::lock_guard lock(s.mu);
    if (j_->closed) return;
    j_->closed = true;
    if (j_->complete() && !j_->finished) {
      j_->finished = true;
      after.push_back(detail::Finish{std::nullopt, j_->function_id});
      s.jobs.erase(j_->id);
    }
  }
  s.cv.notify_all();
  s.finish(after);
}

std::optional<ChunkResult> Job::next(Order order, const Wait& wait) {
  auto& s = *s_;
  std::unique_lock lock(s.mu);
  if (!j_->order) j_->order = order;
  if (*j_->order != order)
    throw Error(Errc::invalid_argument, "sleigh: a job's results are taken in one order only");
  auto total = [&] { return static_cast<std::int64_t>(j_->chunks.size()); };
  auto take = [&](detail::Chunk& c) {
    ChunkResult r = std::move(*c.result);
    c.result.reset();
    ++j_->delivered;
    return r;
  };
  if (order == Order::elements) {
    wait_for(s, lock, wait, "a result", [&] {
      return (j_->next_ordered < total() && j_->chunks[static_cast<std::size_t>(j_->next_ordered)]->done) ||
             (j_->closed && j_->next_ordered >= total());
    });
    if (j_->next_ordered >= total()) return std::nullopt;
    return take(*j_->chunks[static_cast<std::size_t>(j_->next_ordered++)]);
  }
  wait_for(s, lock, wait, "a result", [&] { return !j_->arrived.empty() || (j_->closed && j_->delivered >= total()); });
  if (j_->arrived.empty()) return std::nullopt;
  detail::Chunk* c = j_->arrived.front();
  j_->arrived.pop_front();
  return take(*c);
}

void Job::wait(const Wait& wait) {
  auto& s = *s_;
  std::unique_lock lock(s.mu);
  wait_for(s, lock, wait, "the job", [&] { return j_->done_count == static_cast<std::int64_t>(j_->chunks.size()); });
}

void Job::wait_room(std::int64_t limit, const Wait& wait) {
  auto& s = *s_;
  std::unique_lock lock(s.mu);
  wait_for(s, lock, wait, "room for more chunks", [&] {
    return static_cast<std::int64_t>(j_->chunks.size()) - j_->done_count < std::max<std::int64_t>(limit, 1);
  });
}

std::int64_t Job::outstanding() const {
  std::lock_guard lock(s_->mu);
  return static_cast<std::int64_t>(j_->chunks.size()) - j_->done_count;
}

std::int64_t Job::undelivered() const {
  std::lock_guard lock(s_->mu);
  return j_->done_count - j_->delivered;
}

bool Job::done() const {
  std::lock_guard lock(s_->mu);
  return j_->complete();
}

std::int64_t Job::adaptive_chunk_size() const {
  std::lock_guard lock(s_->mu);
  if (j_->measured == 0) return 1;
  // About 20 ms of work per chunk: long enough that a chunk's round trips
  // (well under a millisecond) do not matter, short enough to balance.
  const double per_element = j_->seconds / static_cast<double>(j_->measured);
  if (per_element <= 0) return 1 << 16;
  return static_cast<std::int64_t>(std::clamp(0.02 / per_element, 1.0, 65536.0));
}

}  // namespace nws::sleigh
