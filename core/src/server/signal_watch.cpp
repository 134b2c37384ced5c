#include "server/signal_watch.hpp"

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace nws::server {

SignalWatch::SignalWatch(EventLoop& loop, std::function<void(int)> on_signal)
    : loop_(loop), on_signal_(std::move(on_signal)) {
  sigset_t set;
  ::sigemptyset(&set);
  ::sigaddset(&set, SIGINT);
  ::sigaddset(&set, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &set, &previous_);
  fd_ = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    throw std::system_error(err, std::generic_category(), "signalfd");
  }
  try {
    loop_.add(fd_, EPOLLIN, this);
  } catch (...) {
    ::close(fd_);
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    throw;
  }
}

SignalWatch::~SignalWatch() {
  loop_.remove(fd_);
  ::close(fd_);
  ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void SignalWatch::on_events(std::uint32_t) {
  signalfd_siginfo info{};
  if (::read(fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) return;
  on_signal_(static_cast<int>(info.ssi_signo));
}

}  // namespace nws::server
