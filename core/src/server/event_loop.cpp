#include "server/event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

namespace nws::server {
namespace {

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

void control(int epfd, int op, int fd, std::uint32_t events, EventLoop::Handler* h) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  if (::epoll_ctl(epfd, op, fd, &ev) != 0) throw_errno("epoll_ctl");
}

}  // namespace

// Work posted from other threads, and an eventfd that wakes the loop for it.
class EventLoop::Waker : public Handler {
 public:
  explicit Waker(EventLoop& loop) : loop_(loop), fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (fd_ < 0) throw_errno("eventfd");
    try {
      loop_.add(fd_, EPOLLIN, this);
    } catch (...) {
      ::close(fd_);
      throw;
    }
  }
  ~Waker() override { ::close(fd_); }

  void post(std::function<void()> fn) {
    {
      std::lock_guard lock(mu_);
      posted_.push_back(std::move(fn));
    }
    std::uint64_t one = 1;
    // Only EAGAIN (the counter is full, so a wake-up is pending) can fail.
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
  }

  void on_events(std::uint32_t) override {
    std::uint64_t count;
    [[maybe_unused]] auto n = ::read(fd_, &count, sizeof count);
    std::vector<std::function<void()>> now;
    {
      std::lock_guard lock(mu_);
      now.swap(posted_);
    }
    for (auto& fn : now) loop_.defer(std::move(fn));
  }

 private:
  EventLoop& loop_;
  int fd_;
  std::mutex mu_;
  std::vector<std::function<void()>> posted_;
};

EventLoop::EventLoop() : epfd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epfd_ < 0) throw_errno("epoll_create1");
  try {
    waker_ = std::make_unique<Waker>(*this);
  } catch (...) {
    ::close(epfd_);
    throw;
  }
}

EventLoop::~EventLoop() {
  waker_.reset();
  ::close(epfd_);
}

void EventLoop::post(std::function<void()> fn) { waker_->post(std::move(fn)); }

void EventLoop::add(int fd, std::uint32_t events, Handler* h) { control(epfd_, EPOLL_CTL_ADD, fd, events, h); }
void EventLoop::modify(int fd, std::uint32_t events, Handler* h) { control(epfd_, EPOLL_CTL_MOD, fd, events, h); }
void EventLoop::remove(int fd) {
  epoll_event ev{};
  ::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, &ev);  // a descriptor already closed is gone anyway
}

void EventLoop::defer(std::function<void()> fn) { deferred_.push_back(std::move(fn)); }

void EventLoop::call_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  timers_.push_back(Timer{std::chrono::steady_clock::now() + delay, std::move(fn)});
}

void EventLoop::retire(std::unique_ptr<Handler> h) { retired_.push_back(std::move(h)); }

int EventLoop::wait_timeout_ms() const {
  if (!deferred_.empty()) return 0;
  if (timers_.empty()) return -1;
  auto due = std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) {
               return a.due < b.due;
             })->due;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(due - std::chrono::steady_clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

void EventLoop::run_due_timers() {
  if (timers_.empty()) return;
  auto now = std::chrono::steady_clock::now();
  std::vector<Timer> due;
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (it->due <= now) {
      due.push_back(std::move(*it));
      it = timers_.erase(it);
    } else {
      ++it;
    }
  }
  for (Timer& t : due) t.fn();
}

void EventLoop::finish_turn() {
  // Deferred work may defer more (a connection finishing wakes a waiter
  // whose write fails): run until none is left.
  while (!deferred_.empty()) {
    std::vector<std::function<void()>> now;
    now.swap(deferred_);
    for (auto& fn : now) fn();
  }
  retired_.clear();
}

void EventLoop::run() {
  // 256 events per wait: enough to take a burst from every busy connection
  // in a few turns, small enough to stay in cache.
  std::array<epoll_event, 256> events;
  while (!stopped_) {
    int n = ::epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), wait_timeout_ms());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("epoll_wait");
    }
    for (int i = 0; i < n && !stopped_; ++i) static_cast<Handler*>(events[i].data.ptr)->on_events(events[i].events);
    run_due_timers();
    finish_turn();
  }
  finish_turn();
}

}  // namespace nws::server
