#include "server/listener.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "server/log.hpp"

namespace nws::server {
namespace {

std::runtime_error socket_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

void configure_client_socket(int fd) {
  int one = 1;
  // Replies are whole messages: send each at once.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // Notice peers that vanished without a FIN, so their blocked requests end.
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
}

}  // namespace

std::string peer_name(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "unknown";
  char host[INET6_ADDRSTRLEN] = {};
  unsigned port = 0;
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
  } else {
    return "unknown";
  }
  return std::string(host) + ":" + std::to_string(port);
}

Listener::Listener(EventLoop& loop, const std::string& address, std::uint16_t port, AcceptFn on_accept)
    : loop_(loop), on_accept_(std::move(on_accept)) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &found); rc != 0)
    throw std::runtime_error("cannot listen on '" + address + "': not a numeric IPv4 or IPv6 address (" +
                             ::gai_strerror(rc) + ")");
  fd_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    ::freeaddrinfo(found);
    throw socket_error("socket");
  }
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc = ::bind(fd_, found->ai_addr, found->ai_addrlen);
  ::freeaddrinfo(found);
  if (rc != 0 || ::listen(fd_, SOMAXCONN) != 0) {
    auto err = socket_error("cannot listen on " + address + ":" + service);
    ::close(fd_);
    throw err;
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len);
  port_ = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                         : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  loop_.add(fd_, EPOLLIN, this);
}

Listener::~Listener() { close(); }

void Listener::close() {
  if (fd_ < 0) return;
  loop_.remove(fd_);
  ::close(fd_);
  fd_ = -1;
}

void Listener::on_events(std::uint32_t) {
  // A bounded batch per turn, so a flood of connections cannot starve the
  // clients already connected.
  for (int i = 0; i < 64 && fd_ >= 0; ++i) {
    int fd = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      configure_client_socket(fd);
      on_accept_(fd, peer_name(fd));  // owns fd from here, and never throws
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    // Out of descriptors or memory: the connection stays in the backlog.
    // Stop listening for 50 ms instead of spinning on it.
    const int err = errno;
    failure_log_.note([err](std::uint64_t held_back) {
      log(LogLevel::warn, "accept failed: {}; new clients wait (retrying every 50 ms; {} more failures since the last "
          "such line)", std::strerror(err), held_back);
    });
    pause_for(std::chrono::milliseconds(50));
    return;
  }
}

void Listener::pause_for(std::chrono::milliseconds delay) {
  // A failed epoll change is retried on the next timer rather than thrown:
  // the listener must outlive whatever went wrong.
  try {
    loop_.modify(fd_, 0, this);
  } catch (const std::exception& e) {
    log(LogLevel::error, "cannot pause the listener: {}", e.what());
  }
  if (resume_scheduled_) return;
  resume_scheduled_ = true;
  loop_.call_after(delay, [this, delay] {
    resume_scheduled_ = false;
    if (fd_ < 0) return;
    try {
      loop_.modify(fd_, EPOLLIN, this);
    } catch (const std::exception& e) {
      log(LogLevel::error, "cannot resume the listener: {}", e.what());
      pause_for(delay);
    }
  });
}

bool is_loopback_address(const std::string& numeric) {
  in_addr v4{};
  if (::inet_pton(AF_INET, numeric.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, numeric.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

}  // namespace nws::server
