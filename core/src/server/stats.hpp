// What the server counts for monitoring (/metrics): requests by verb, how
// long carrying them out took, connections taken and refused.  Plain
// counters on the loop's thread: counting costs a request two clock reads
// and three increments.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "protocol/verbs.hpp"

namespace nws::server {

struct ServerStats {
  static constexpr std::size_t kVerbs = proto::kVerbCount;
  // Upper bounds of the latency histogram's buckets, in microseconds.  The
  // time is the server's own (decode done to replies queued); a blocking
  // request counts the time to block, not the wait.
  static constexpr std::array<std::uint32_t, 12> kLatencyBoundsUs{5,    10,   25,   50,    100,   250,
                                                                  500,  1000, 2500, 10000, 100000, 1000000};

  std::array<std::uint64_t, kVerbs + 1> requests{};  // by proto::Verb; the last: unknown verbs
  std::array<std::uint64_t, kLatencyBoundsUs.size() + 1> latency{};  // per bucket (not cumulative); last: +Inf
  std::uint64_t latency_sum_ns = 0;
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;

  void record(const proto::VerbInfo* info, std::uint64_t ns) {
    ++requests[info ? static_cast<std::size_t>(info->verb) : kVerbs];
    latency_sum_ns += ns;
    std::size_t b = 0;
    while (b < kLatencyBoundsUs.size() && ns > std::uint64_t{kLatencyBoundsUs[b]} * 1000) ++b;
    ++latency[b];
  }
};

}  // namespace nws::server
