// Scenario 1: one connection, store then fetch of a small value, repeated.
// Redis: LPUSH then RPOP.  Floor: two ping-pongs of the NWS message sizes.
#include <stdexcept>

#include "clock.hpp"
#include "scenarios.hpp"

namespace bench {

void measure_pairs(BlockingTarget& t, const Options& o, Results& r, const std::string& prefix) {
  const std::string value(o.size, 'x');
  const std::uint64_t warm_end = now_ns() + seconds_to_ns(o.warmup);
  const std::uint64_t end = warm_end + seconds_to_ns(o.seconds);
  Latencies lat;
  std::uint64_t first = 0, last = 0;
  for (;;) {
    std::uint64_t t0 = now_ns();
    t.store("v", value);
    if (t.fetch("v") != value.size()) throw std::runtime_error("fetched a value of the wrong size");
    std::uint64_t t1 = now_ns();
    if (t0 >= warm_end) {
      if (!first) first = t0;
      last = t1;
      lat.add(t1 - t0);
    }
    if (t1 >= end) break;
  }
  const double secs = static_cast<double>(last - first) / 1e9;
  r.set(prefix + "pairs_per_s", static_cast<double>(lat.count()) / secs);
  r.set(prefix + "p50_us", lat.percentile_us(50));
  r.set(prefix + "p99_us", lat.percentile_us(99));
  r.set(prefix + "samples", static_cast<double>(lat.count()));
}

Results run_pairs(const Options& o) {
  Results r;
  auto t = make_blocking_target(o.target, o.port, Pattern::ping_pong, o.size);
  measure_pairs(*t, o, r);
  return r;
}

}  // namespace bench
