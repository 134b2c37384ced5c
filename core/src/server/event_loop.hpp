// The server's event loop: one level-triggered epoll instance on one thread.
//
// Why our own loop rather than asio's reactor: a request costs the server
// one recv and one send.  asio's edge-triggered reactor adds a third system
// call to every request (a speculative read that returns EAGAIN, or an
// epoll_ctl re-arm when speculation is off).  With level triggering a
// connection is read once per readiness report and never re-armed, so a
// request costs exactly recv + send plus a share of one epoll_wait: 13-20 %
// more requests per second (bench/RESULTS.md, "Before and after").
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace nws::server {

class EventLoop {
 public:
  // Something registered with the loop; `events` are EPOLL* bits.
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void on_events(std::uint32_t events) = 0;
  };

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Registration; `events` is the interest set (EPOLLIN, EPOLLOUT, or 0 to
  // hear only of errors and hang-ups).  Throws std::system_error.
  void add(int fd, std::uint32_t events, Handler* handler);
  void modify(int fd, std::uint32_t events, Handler* handler);
  void remove(int fd);

  // Runs `fn` once this turn's events have been handled: for work that must
  // not run inside the handler that asks for it.
  void defer(std::function<void()> fn);
  // The one call safe from any thread: runs `fn` on the loop's thread soon
  // (an embedded server is stopped this way).
  void post(std::function<void()> fn);
  // Runs `fn` after `delay` (coarse; used for back-off).
  void call_after(std::chrono::milliseconds delay, std::function<void()> fn);
  // Keeps `h` alive until the current turn ends: events for it may still be
  // waiting in this turn's batch.
  void retire(std::unique_ptr<Handler> h);

  // Dispatches events until stop().
  void run();
  void stop() { stopped_ = true; }
  // Runs deferred work and frees retired handlers (done after every turn;
  // the owner calls it once more when tearing down outside run()).
  void finish_turn();

 private:
  class Waker;
  int wait_timeout_ms() const;
  void run_due_timers();

  int epfd_ = -1;
  std::unique_ptr<Waker> waker_;
  bool stopped_ = false;
  std::vector<std::function<void()>> deferred_;
  std::vector<std::unique_ptr<Handler>> retired_;
  struct Timer {
    std::chrono::steady_clock::time_point due;
    std::function<void()> fn;
  };
  std::vector<Timer> timers_;
};

}  // namespace nws::server
