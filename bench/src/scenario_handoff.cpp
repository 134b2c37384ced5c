// Scenario 2: hand-off between two connections.  A stores x and then blocks
// fetching y; B blocks fetching x and then stores y.  One round trip is A's
// store of x to A's receipt of y, timed by A.  Redis: LPUSH + BRPOP.  The
// floor is a two-hop relay: A -> server -> B -> server -> A, each message
// the size of the NWS store request or fetch reply it stands for.
#include <atomic>
#include <exception>
#include <stdexcept>
#include <thread>

#include "clock.hpp"
#include "scenarios.hpp"

namespace bench {

Results run_handoff(const Options& o) {
  // A connects first: the floor pairs connections in accept order.
  auto a = make_blocking_target(o.target, o.port, Pattern::hand_off, o.size);
  auto b = make_blocking_target(o.target, o.port, Pattern::hand_off, o.size);
  const std::string value(o.size, 'x');

  std::atomic<bool> stop{false};
  std::exception_ptr b_error;
  std::thread bt([&] {
    try {
      for (;;) {
        b->fetch("x");
        if (stop.load()) break;  // A's last store only wakes us
        b->store("y", value);
      }
    } catch (...) {
      b_error = std::current_exception();
    }
  });

  const std::uint64_t warm_end = now_ns() + seconds_to_ns(o.warmup);
  const std::uint64_t end = warm_end + seconds_to_ns(o.seconds);
  Latencies lat;
  std::uint64_t first = 0, last = 0;
  try {
    for (;;) {
      std::uint64_t t0 = now_ns();
      a->store("x", value);
      a->fetch("y");
      std::uint64_t t1 = now_ns();
      if (t0 >= warm_end) {
        if (!first) first = t0;
        last = t1;
        lat.add(t1 - t0);
      }
      if (t1 >= end) break;
    }
    stop.store(true);
    a->store("x", value);
  } catch (...) {
    bt.detach();  // B is blocked on a connection that is going away with the process
    throw;
  }
  bt.join();
  if (b_error) std::rethrow_exception(b_error);

  Results r;
  const double secs = static_cast<double>(last - first) / 1e9;
  r.set("round_trips_per_s", static_cast<double>(lat.count()) / secs);
  r.set("p50_us", lat.percentile_us(50));
  r.set("p99_us", lat.percentile_us(99));
  r.set("samples", static_cast<double>(lat.count()));
  return r;
}

}  // namespace bench
