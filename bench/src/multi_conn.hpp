// Many connections driven from one thread with epoll, for the scenarios
// with 8 to 10,000 connections.  On a 2-core machine a thread per
// connection would measure the generator's own scheduling; one thread
// keeping each connection's single request outstanding measures the server.
// NWS connections here speak the wire protocol directly (nws_wire.hpp), so
// these rows measure the server, not the client library.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nws_wire.hpp"
#include "options.hpp"
#include "resp.hpp"

namespace bench {

// One request and what its reply looks like.
struct Step {
  std::string request;
  nwsw::Kind nws_kind = nwsw::Kind::short_reply;  // NWS: which reply kind comes back
  std::size_t floor_bytes = 0;                     // floor: how many bytes come back
};

// The same operations for every target: NWS store/fetch/find, Redis
// LPUSH/RPOP, floor messages of the NWS sizes.
Step store_step(Target t, std::string_view var, std::string_view value);
Step fetch_step(Target t, std::string_view var, std::size_t value_len);

// Decodes one reply of any target, fed in pieces.
class ReplyReader {
 public:
  explicit ReplyReader(Target t) : target_(t) {}
  void start(const Step& step);
  // Consumes bytes up to the end of the reply; returns how many.
  std::size_t feed(const char* p, std::size_t n);
  bool done() const;
  // Throws if the reply is a failure (NWS status != 0, Redis error).
  void check() const;

 private:
  Target target_;
  std::optional<nws::proto::ReplyDecoder> nws_;
  resp::Reader redis_;
  std::size_t floor_left_ = 0;
};

// A blocking connection ready for requests: NWS negotiated and the bench
// workspace opened; Redis and floor simply connected.
int open_connection(Target t, std::uint16_t port);

// Sends on a blocking or non-blocking fd, waiting for room if needed.
void send_fully(int fd, std::string_view bytes);
// Sends `step` and reads its reply on a connection with nothing else outstanding.
void exchange(int fd, const Step& step, ReplyReader& reader);
// Reads one reply already started on `reader` (blocking until complete).
void read_reply(int fd, ReplyReader& reader);

class Poller {
 public:
  Poller();
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;
  void add(int fd, std::uint64_t tag);
  // Waits up to timeout_ms, then calls on_ready(tag) for each readable fd.
  template <class F>
  void wait(int timeout_ms, F&& on_ready) {
    int n = ::epoll_wait(ep_, events_.data(), static_cast<int>(events_.size()), timeout_ms);
    for (int i = 0; i < n; ++i) on_ready(events_[i].data.u64);
  }

 private:
  int ep_;
  std::vector<epoll_event> events_;
};

}  // namespace bench
