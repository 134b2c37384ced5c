// Scenario 5: large values.  Store a value of o.size bytes, then fetch it
// back, repeatedly; the two directions are timed separately.  The value is
// sent from, and received into, buffers allocated and touched once.
#include <algorithm>
#include <stdexcept>

#include "clock.hpp"
#include "scenarios.hpp"

namespace bench {

Results run_large(const Options& o) {
  auto t = make_blocking_target(o.target, o.port, Pattern::ping_pong, o.size);
  const std::string value(o.size, 'x');

  // One round unmeasured: connection set-up, buffers faulted in everywhere.
  t->store("big", value);
  if (t->fetch("big") != value.size()) throw std::runtime_error("fetched a value of the wrong size");

  std::uint64_t store_ns = 0, fetch_ns = 0;
  std::uint64_t best_store = ~0ull, best_fetch = ~0ull;
  int rounds = 0;
  const std::uint64_t start = now_ns();
  const std::uint64_t end = start + seconds_to_ns(o.seconds);
  while (rounds < o.iterations || now_ns() < end) {
    std::uint64_t t0 = now_ns();
    t->store("big", value);
    std::uint64_t t1 = now_ns();
    if (t->fetch("big") != value.size()) throw std::runtime_error("fetched a value of the wrong size");
    std::uint64_t t2 = now_ns();
    store_ns += t1 - t0;
    fetch_ns += t2 - t1;
    best_store = std::min(best_store, t1 - t0);
    best_fetch = std::min(best_fetch, t2 - t1);
    ++rounds;
  }

  // bytes per ns = GB/s; x1000 = MB/s (10^6 bytes).
  const double bytes = static_cast<double>(value.size()) * rounds;
  Results r;
  r.set("store_MBps", bytes / static_cast<double>(store_ns) * 1000.0);
  r.set("fetch_MBps", bytes / static_cast<double>(fetch_ns) * 1000.0);
  r.set("best_store_ms", static_cast<double>(best_store) / 1e6);
  r.set("best_fetch_ms", static_cast<double>(best_fetch) / 1e6);
  r.set("rounds", rounds);
  return r;
}

}  // namespace bench
