// One connection doing one blocking request at a time, for the scenarios
// that time single round trips (pairs, hand-off, large values, and pairs
// next to idle connections).  NWS goes through the client library
// (nws::Workspace), which is what users get; Redis and the floor go through
// bench's own socket code.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "nws/client.hpp"
#include "options.hpp"

namespace bench {

// How every client-library connection of the benchmarks connects.  With
// --tls-ca the connection switches to TLS after the handshake and verifies
// the server's certificate against that CA (the test certificates carry
// IP:127.0.0.1).
inline nws::ConnectOptions client_options(std::uint16_t port) {
  nws::ConnectOptions c;
  c.host = "127.0.0.1";  // not "localhost": no resolver, no IPv6 attempt first
  c.port = port;
  if (!tls_ca().empty()) {
    c.tls.enabled = true;
    c.tls.ca_file = tls_ca();
  }
  return c;
}

enum class Pattern {
  ping_pong,  // store waits for its acknowledgement; fetch asks for a value that is there
  hand_off,   // fetch blocks until another connection stores (Redis: BRPOP)
};

class BlockingTarget {
 public:
  virtual ~BlockingTarget() = default;
  // Stores `value` under `var` (NWS store, Redis LPUSH).
  virtual void store(std::string_view var, std::string_view value) = 0;
  // Takes a value of `var` (NWS fetch, Redis RPOP or BRPOP); returns its size.
  virtual std::size_t fetch(std::string_view var) = 0;
};

// `value_len` is the size of the values this connection will move: the
// floor needs it to mirror the NWS message sizes, and large values are
// received into a buffer of that size kept between calls.
std::unique_ptr<BlockingTarget> make_blocking_target(Target t, std::uint16_t port, Pattern pattern,
                                                     std::size_t value_len);

}  // namespace bench
