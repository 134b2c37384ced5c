#include "client/socket.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "nws/error.hpp"

namespace nws::detail {
namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int err) { return std::strerror(err); }

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

// One non-blocking connect attempt bounded by `deadline`.  Returns the fd, or
// -1 with `why` set.
int try_connect(const addrinfo& ai, Clock::time_point deadline, std::string& why) {
  int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol);
  if (fd < 0) { why = errno_text(errno); return -1; }
  auto fail = [&](int err) { why = errno_text(err); ::close(fd); return -1; };

  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) return fail(errno);
    for (;;) {
      pollfd p{fd, POLLOUT, 0};
      int r = ::poll(&p, 1, remaining_ms(deadline));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return fail(errno);
      if (r == 0) return fail(ETIMEDOUT);
      break;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return fail(errno);
    if (err != 0) return fail(err);
  }
  // Blocking from here on: waits are bounded by poll(), not by EAGAIN loops.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) return fail(errno);
  int one = 1;
  // Requests are small and latency-bound; keepalive notices dead peers
  // during unboundedly long blocking fetches.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  return fd;
}

}  // namespace

Socket& Socket::operator=(Socket&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

Socket Socket::connect(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
  const std::string where = host + ":" + std::to_string(port);
  const auto deadline = Clock::now() + timeout;

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    std::string why = rc == EAI_SYSTEM ? errno_text(errno) : ::gai_strerror(rc);
    throw Error(Errc::connection, "cannot resolve NWS server host '" + host + "': " + why);
  }

  std::string why = "no address";
  int fd = -1;
  for (addrinfo* ai = found; ai && fd < 0; ai = ai->ai_next) {
    fd = try_connect(*ai, deadline, why);
    if (fd < 0 && Clock::now() >= deadline) break;
  }
  ::freeaddrinfo(found);
  if (fd < 0) throw Error(Errc::connection, "cannot connect to NWS server " + where + ": " + why);
  return Socket(fd);
}

void Socket::send_all(std::initializer_list<std::string_view> parts) {
  std::vector<iovec> iov;
  iov.reserve(parts.size());
  for (auto p : parts)
    if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});

  std::size_t first = 0;
  while (first < iov.size()) {
    msghdr msg{};
    msg.msg_iov = iov.data() + first;
    msg.msg_iovlen = iov.size() - first;
    ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);  // MSG_NOSIGNAL: EPIPE instead of SIGPIPE
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SocketError("send failed: " + errno_text(errno));
    }
    // Advance past what was written, possibly in the middle of a buffer.
    auto left = static_cast<std::size_t>(n);
    while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (first < iov.size()) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
}

bool Socket::wait_readable(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  int r = ::poll(&p, 1, timeout_ms);
  if (r < 0) {
    if (errno == EINTR) return false;
    throw SocketError("poll failed: " + errno_text(errno));
  }
  // POLLHUP/POLLERR count as readable: the following recv reports them.
  return r > 0;
}

std::size_t Socket::recv_some(char* buf, std::size_t n) {
  for (;;) {
    ssize_t r = ::recv(fd_, buf, n, 0);
    if (r >= 0) return static_cast<std::size_t>(r);
    if (errno == EINTR) continue;
    throw SocketError("receive failed: " + errno_text(errno));
  }
}

void Socket::shutdown() noexcept {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

void Socket::close() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace nws::detail
