// The scenarios of bench/README.md, one function each.  Every run measures
// one target; the driver alternates targets and repeats runs.
#pragma once

#include <string>

#include "blocking_targets.hpp"
#include "options.hpp"
#include "results.hpp"

namespace bench {

Results run_pairs(const Options& o);    // 1: store + fetch on one connection
Results run_handoff(const Options& o);  // 2: A stores x, waits for y; B waits for x, stores y
Results run_many(const Options& o);     // 3: N connections, each store + fetch on its own variable
Results run_fanout(const Options& o);   // 4: N blocked finders (subscribers), one store (publish)
Results run_large(const Options& o);    // 5: store and fetch of large values
Results run_memory(const Options& o);   // 6: server memory per stored small value
Results run_idle(const Options& o);     // 7: idle connections: server memory, pairs beside them
Results run_stores(const Options& o);   // 8: N connections storing only (durability's cost, bench/durable/)
Results run_many_steps(const Options& o, bool stores_only);  // 3 and 8

// Times store + fetch pairs of `o.size` bytes on `t` for o.warmup + o.seconds
// and reports pairs_per_s, p50_us, p99_us (keys prefixed with `prefix`).
void measure_pairs(BlockingTarget& t, const Options& o, Results& r, const std::string& prefix = "");

}  // namespace bench
