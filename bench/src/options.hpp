// Command-line options of one load-generator run.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace bench {

enum class Target { nws, redis, floor };

struct Options {
  std::string scenario;
  Target target = Target::nws;
  std::uint16_t port = 0;
  pid_t server_pid = 0;       // for RSS (memory, idle)
  double seconds = 1.5;       // measured time of timed scenarios
  double warmup = 0.2;        // unmeasured time before it
  int conns = 1;              // many: connections; fanout: receivers; idle: idle connections
  std::size_t size = 10;      // value size in bytes
  int iterations = 200;       // fanout: rounds; large: minimum rounds
  long count = 1000000;       // memory: values stored
  std::string tls_ca;         // --tls-ca: speak TLS, trusting this CA (PEM); empty: plain TCP
};

const char* target_name(Target t);

// The CA file of --tls-ca for the whole run (empty: plain TCP).  Process-wide
// because the connections are made deep inside the scenarios: every
// client-library connection (client_options) and every resp::Conn reads it.
void set_tls_ca(std::string file);
const std::string& tls_ca();

// The workspace every NWS connection of a run opens.
inline constexpr const char* kWorkspace = "bench";

}  // namespace bench
