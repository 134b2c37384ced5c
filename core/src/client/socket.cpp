#include "client/socket.hpp"

#include <fcntl.h>
#include <arpa/inet.h>
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
#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "nws/error.hpp"
#include "security/tls.hpp"

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
    fd_ = std::exchange(o.fd_, -1);
    ssl_ = std::exchange(o.ssl_, nullptr);
    tls_context_ = std::move(o.tls_context_);
  }
  return *this;
}

namespace {
void set_io_timeout(int fd, std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(t.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// Why an SSL call on a blocking socket failed, as words.
std::string ssl_failure(SSL* ssl, int rc, int saved_errno) {
  int e = SSL_get_error(ssl, rc);
  if (e == SSL_ERROR_ZERO_RETURN) return "the server closed the connection";
  if (e == SSL_ERROR_SYSCALL) {
    std::string queued = ERR_peek_error() ? security::tls_error_text() : "";
    if (!queued.empty()) return queued;
    if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) return "timed out";
    return saved_errno ? errno_text(saved_errno) : "the server closed the connection";
  }
  return security::tls_error_text();
}
}  // namespace

void Socket::start_tls(std::shared_ptr<security::TlsContext> context, const std::string& server_name,
                       std::chrono::milliseconds timeout, const std::string& where) {
  SSL* ssl = SSL_new(context->native());
  if (!ssl) throw Error(Errc::tls, "cannot start TLS with NWS server " + where + ": " + security::tls_error_text());
  SSL_set_fd(ssl, fd_);
  // The certificate must name the host (a DNS name, or an IP address).
  in6_addr ip6{};
  in_addr ip4{};
  const bool is_ip = ::inet_pton(AF_INET, server_name.c_str(), &ip4) == 1 ||
                     ::inet_pton(AF_INET6, server_name.c_str(), &ip6) == 1;
  if (is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), server_name.c_str());
  } else {
    SSL_set1_host(ssl, server_name.c_str());
    SSL_set_tlsext_host_name(ssl, server_name.c_str());
  }
  set_io_timeout(fd_, timeout);
  ERR_clear_error();
  errno = 0;
  int rc = SSL_connect(ssl);
  int saved = errno;
  set_io_timeout(fd_, std::chrono::milliseconds(0));
  if (rc != 1) {
    std::string verify = security::verify_failure(ssl);
    std::string why = ssl_failure(ssl, rc, saved);
    SSL_free(ssl);
    if (!verify.empty()) {
      std::string advice;
      if (verify.find("expired") != std::string::npos) advice = "; the server needs a new certificate";
      else if (verify.find("hostname mismatch") != std::string::npos || verify.find("IP address mismatch") != std::string::npos)
        advice = ": the certificate does not match the name '" + server_name +
                 "' (connect by a name it carries, or give that name as the TLS server name)";
      else advice = ": the certificate is not trusted (certificate verify failed); give the CA that signed it (the TLS CA option)";
      throw Error(Errc::tls, "TLS with NWS server " + where + " failed: the server's certificate was refused (" +
                                 verify + ")" + advice);
    }
    throw Error(Errc::tls, "TLS with NWS server " + where + " failed: " + why);
  }
  ssl_ = ssl;
  tls_context_ = std::move(context);
}

void Socket::send_tls(std::initializer_list<std::string_view> parts) {
  // A request's parts (header, value) as one TLS record when small: one
  // encryption, one segment, one read for the server, as the plain path's
  // single sendmsg.  Large values go part by part, uncopied.
  constexpr std::size_t kCoalesce = 16 * 1024;
  std::size_t total = 0;
  for (auto p : parts) total += p.size();
  if (parts.size() > 1 && total <= kCoalesce) {
    char joined[kCoalesce];
    std::size_t at = 0;
    for (auto p : parts) {
      if (p.empty()) continue;  // an empty view's data() may be null: no memcpy from it
      std::memcpy(joined + at, p.data(), p.size());
      at += p.size();
    }
    return send_tls({std::string_view(joined, at)});
  }
  for (auto p : parts) {
    while (!p.empty()) {
      ERR_clear_error();
      int n = SSL_write(ssl_, p.data(), static_cast<int>(std::min<std::size_t>(p.size(), 1u << 30)));
      if (n <= 0) {
        int saved = errno;
        if (SSL_get_error(ssl_, n) == SSL_ERROR_SYSCALL && saved == EINTR) continue;
        throw SocketError("send failed: " + ssl_failure(ssl_, n, saved));
      }
      p.remove_prefix(static_cast<std::size_t>(n));
    }
  }
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
  if (ssl_) return send_tls(parts);
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
  if (ssl_ && SSL_has_pending(ssl_)) return true;  // already read from the socket, in OpenSSL's buffer
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
  while (ssl_) {
    ERR_clear_error();
    errno = 0;
    int r = SSL_read(ssl_, buf, static_cast<int>(std::min<std::size_t>(n, 1u << 30)));
    if (r > 0) return static_cast<std::size_t>(r);
    int saved = errno;
    int e = SSL_get_error(ssl_, r);
    if (e == SSL_ERROR_ZERO_RETURN) return 0;
    if (e == SSL_ERROR_SYSCALL && saved == EINTR) continue;
    if (e == SSL_ERROR_SYSCALL && saved == 0 && ERR_peek_error() == 0) return 0;  // closed without close_notify
    throw SocketError("receive failed: " + ssl_failure(ssl_, r, saved));
  }
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
  if (ssl_) SSL_free(ssl_);
  ssl_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace nws::detail
