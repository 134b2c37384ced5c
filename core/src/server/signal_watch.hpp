// SIGINT and SIGTERM as events of the loop: they are blocked for the thread
// and read from a signalfd, so a shutdown never interrupts a request half
// way through.
#pragma once

#include <signal.h>

#include <functional>

#include "server/event_loop.hpp"

namespace nws::server {

class SignalWatch : public EventLoop::Handler {
 public:
  // Throws std::system_error if no signalfd can be made.
  SignalWatch(EventLoop& loop, std::function<void(int signal_number)> on_signal);
  // Restores the thread's previous signal mask.
  ~SignalWatch() override;
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  void on_events(std::uint32_t events) override;

 private:
  EventLoop& loop_;
  std::function<void(int)> on_signal_;
  sigset_t previous_{};
  int fd_ = -1;
};

}  // namespace nws::server
