// Time stamps and latency percentiles for the load generator.
#pragma once

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace bench {

// CLOCK_MONOTONIC through the vDSO: about 20 ns, no system call.
inline std::uint64_t now_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

inline std::uint64_t seconds_to_ns(double s) { return static_cast<std::uint64_t>(s * 1e9); }

// Every sample is kept (a few hundred thousand at most per run), so the
// percentiles are exact rather than bucketed.
class Latencies {
 public:
  Latencies() { ns_.reserve(1 << 20); }
  void add(std::uint64_t ns) { ns_.push_back(ns); }
  std::size_t count() const { return ns_.size(); }
  // p in [0, 100]; microseconds; 0 when there are no samples.
  double percentile_us(double p) {
    if (ns_.empty()) return 0;
    auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(ns_.size() - 1) + 0.5);
    std::nth_element(ns_.begin(), ns_.begin() + static_cast<std::ptrdiff_t>(k), ns_.end());
    return static_cast<double>(ns_[k]) / 1000.0;
  }

 private:
  std::vector<std::uint64_t> ns_;
};

}  // namespace bench
