// MapJob: a portable job fed one element at a time (nws/sleigh_tasks.hpp).
// The chunking rules are the core's (chunk_size, adaptive sizes, the load
// factor's limit), so every binding's eachElem cuts and paces work alike.
#include <algorithm>

#include "nws/sleigh_tasks.hpp"

namespace nws::sleigh {

MapJob MapJob::each_elem(Master& master, std::string_view function_spec, const MapOptions& options) {
  if (!is_function_spec(function_spec))
    throw Error(Errc::invalid_argument, "sleigh: a portable job needs a function spec (named_function)");
  if (options.chunk_size < 0) throw Error(Errc::invalid_argument, "sleigh: chunkSize must be positive");
  return MapJob(master, master.each_elem(function_spec), options);
}

MapJob MapJob::each_worker(Master& master, std::string_view function_spec, std::string_view element_args,
                           const Wait& wait) {
  if (!is_function_spec(function_spec))
    throw Error(Errc::invalid_argument, "sleigh: a portable job needs a function spec (named_function)");
  MapOptions o;
  o.order = Order::arrival;
  Job job = master.each_worker(function_spec, frame_elements({std::string(element_args)}), wait);
  MapJob m(master, std::move(job), o);
  m.closed_ = true;
  m.added_ = m.job_.outstanding();  // one element per worker
  return m;
}

// The workers a job is sized for: those alive, or launched while they join.
int MapJob::workers() const { return std::max({master_->workers_alive(), master_->launched(), 1}); }

std::int64_t MapJob::chunk_target() {
  if (options_.chunk_size > 0) return options_.chunk_size;
  if (options_.total) return chunk_size(*options_.total, workers(), first_bytes_);
  return job_.adaptive_chunk_size();
}

void MapJob::add(std::string_view element_args, const Wait& wait) {
  if (closed_) throw Error(Errc::invalid_argument, "sleigh: this job is closed: it takes no more elements");
  if (buffer_.empty()) {
    buffered_from_ = added_;
    if (first_bytes_ == 0) first_bytes_ = static_cast<std::int64_t>(element_args.size()) + 8;
    // Room under the load factor before a chunk starts filling, so that
    // a blocked add holds no elements back from a chunk.
    const std::int64_t room = limit();
    if (room != std::numeric_limits<std::int64_t>::max()) job_.wait_room(room, wait);
  }
  buffer_.emplace_back(element_args);
  ++added_;
  if (static_cast<std::int64_t>(buffer_.size()) >= chunk_target()) flush();
}

std::int64_t MapJob::limit() const { return outstanding_limit(options_.load_factor, workers()); }

bool MapJob::has_room() const {
  const std::int64_t room = limit();
  return room == std::numeric_limits<std::int64_t>::max() || job_.outstanding() + job_.undelivered() < room;
}

void MapJob::flush() {
  if (buffer_.empty()) return;
  const std::string payload = frame_elements(buffer_);
  const auto count = static_cast<std::int64_t>(buffer_.size());
  buffer_.clear();
  job_.add_chunk(buffered_from_, count, payload);
}

void MapJob::close() {
  if (closed_) return;
  flush();
  closed_ = true;
  job_.close();
}

bool MapJob::take_chunk(std::optional<ChunkResult> r) {
  if (!r) {
    finished_ = true;
    return false;
  }
  for (auto& o : element_outcomes(*r)) ready_.push_back(std::move(o));
  return true;
}

std::optional<ElementOutcome> MapJob::next(const Wait& wait) {
  while (ready_.empty()) {
    if (finished_) return std::nullopt;
    // Buffered elements are the job's last: with nothing else in flight,
    // their outcomes are the next, so they go now.
    if (job_.outstanding() == 0 && job_.undelivered() == 0) flush();
    if (!closed_ && job_.outstanding() == 0 && job_.undelivered() == 0) return std::nullopt;
    take_chunk(job_.next(options_.order, wait));
  }
  ElementOutcome o = std::move(ready_.front());
  ready_.pop_front();
  ++taken_;
  return o;
}

std::vector<ElementOutcome> MapJob::drain() {
  Wait now;
  now.deadline = Clock::now();
  while (!finished_ && job_.undelivered() > 0) {
    try {
      if (!take_chunk(job_.next(options_.order, now))) break;
    } catch (const Error& e) {
      if (e.code() != Errc::timeout) throw;
      break;
    }
  }
  std::vector<ElementOutcome> out(std::make_move_iterator(ready_.begin()), std::make_move_iterator(ready_.end()));
  ready_.clear();
  taken_ += static_cast<std::int64_t>(out.size());
  return out;
}

}  // namespace nws::sleigh
