// The raw TCP floor's framing.  Each client message starts with this header
// and is `total` bytes long in all; the floor server discards the rest of it
// and sends `reply` bytes (zeros, no header) to the route's destination.
// Server-to-client messages carry no header: the client knows what size to
// expect, exactly as an NWS client knows the size of a short reply.  The
// sizes the load generator asks for are those of the NWS request and reply
// of the same step, so the floor moves the same bytes with no work between.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench::floor {

enum class Route : std::uint32_t {
  sender = 0,   // ping-pong: back to the connection that sent it
  partner = 1,  // relay: to its partner (each connection pairs with the previous unpaired one)
  others = 2,   // fan-out: to every other connection
  // hand-off: `relay` bytes to its partner, then `reply` bytes back to the
  // sender (the NWS server wakes the blocked fetcher, then acknowledges the
  // store)
  partner_and_sender = 3,
};

struct Header {
  std::uint32_t total;  // whole message, header included (>= sizeof(Header))
  std::uint32_t reply;  // bytes to send to the destination
  std::uint32_t route;  // Route
  std::uint32_t relay;  // bytes to the partner (Route::partner_and_sender)
};
static_assert(sizeof(Header) == 16);

// A message of `total` bytes; the payload after the header is zeros.
std::string message(std::size_t total, std::size_t reply, Route route, std::size_t relay = 0);

// Blocking client side: one connection, messages out, fixed-size replies in
// (copied into a buffer kept between calls).
class Conn {
 public:
  explicit Conn(std::uint16_t port);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Sends a `total`-byte message whose payload comes from `body` (at least
  // total - 16 bytes; only what is needed is sent).
  void send(std::size_t total, std::size_t reply, Route route, std::string_view body, std::size_t relay = 0);
  // Reads exactly n bytes into the reply buffer.
  void receive(std::size_t n);
  int fd() const { return fd_; }

 private:
  int fd_;
  std::vector<char> rbuf_;
  std::vector<char> reply_;
};

}  // namespace bench::floor
