// The listening socket: accepts every waiting connection when the loop says
// it is readable, and backs off for a moment when out of descriptors.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "server/event_loop.hpp"
#include "server/log.hpp"

namespace nws::server {

class Listener : public EventLoop::Handler {
 public:
  // Called with each accepted, non-blocking socket and its "address:port".
  using AcceptFn = std::function<void(int fd, std::string peer)>;

  // Binds `address` (numeric IPv4 or IPv6) and `port` (0: any free port).
  // Throws std::runtime_error with the reason when it cannot.
  Listener(EventLoop& loop, const std::string& address, std::uint16_t port, AcceptFn on_accept);
  ~Listener() override;

  std::uint16_t port() const { return port_; }
  void close();
  void on_events(std::uint32_t events) override;

 private:
  // Stops accepting for `delay` (out of descriptors), then resumes.
  void pause_for(std::chrono::milliseconds delay);

  EventLoop& loop_;
  AcceptFn on_accept_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  bool resume_scheduled_ = false;
  LogRate failure_log_;
};

// "address:port" of a socket's peer, or "unknown".
std::string peer_name(int fd);

// Whether a numeric address reaches this machine only: 127.0.0.0/8, ::1, or
// an IPv4-mapped loopback address.  "0.0.0.0", "::" and any other address
// can be reached from elsewhere.
bool is_loopback_address(const std::string& numeric);

}  // namespace nws::server
