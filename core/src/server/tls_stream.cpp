#include "server/tls_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "security/tls.hpp"

namespace nws::server {

TlsStream::TlsStream(const std::shared_ptr<security::TlsContext>& context, int fd) : ssl_(SSL_new(context->native())) {
  if (!ssl_) throw std::runtime_error("cannot start TLS: " + security::tls_error_text());
  SSL_set_fd(ssl_, fd);
  SSL_set_accept_state(ssl_);
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

TlsStream::Io TlsStream::outcome(int rc) {
  int e = SSL_get_error(ssl_, rc);
  int saved = errno;
  wants_write_ = e == SSL_ERROR_WANT_WRITE;
  switch (e) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: return Io::again;
    case SSL_ERROR_ZERO_RETURN: return Io::closed;
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_error() == 0) {
        if (saved == EAGAIN || saved == EWOULDBLOCK || saved == EINTR) return Io::again;
        if (saved == 0) return Io::closed;  // end of stream without close_notify
        error_ = std::strerror(saved);
        return Io::failed;
      }
      [[fallthrough]];
    default:
      error_ = security::tls_error_text();
      return Io::failed;
  }
}

TlsStream::Io TlsStream::handshake() {
  ERR_clear_error();
  errno = 0;
  int rc = SSL_do_handshake(ssl_);
  if (rc == 1) {
    established_ = true;
    wants_write_ = false;
    return Io::ok;
  }
  return outcome(rc);
}

TlsStream::Io TlsStream::read(char* buf, std::size_t n, std::size_t& got) {
  got = 0;
  constexpr std::size_t kReadOnAbove = 16 * 1024;
  while (got < n) {
    ERR_clear_error();
    errno = 0;
    std::size_t one = 0;
    int rc = SSL_read_ex(ssl_, buf + got, n - got, &one);
    if (rc == 1) {
      got += one;
      // A request or two has arrived and nothing more is buffered: stop
      // here rather than spend a read(2) learning that the socket is
      // empty (level-triggered epoll reports any more).  A large value
      // in flight reads on to amortise the calls.
      if (!SSL_has_pending(ssl_) && got < kReadOnAbove) return Io::ok;
      continue;
    }
    Io io = outcome(rc);
    if (got > 0 && io == Io::again) return Io::ok;
    if (got > 0 && io == Io::closed) return Io::ok;  // the end is seen again next time
    return io;
  }
  return Io::ok;
}

ssize_t TlsStream::recv(char* buf, std::size_t n) {
  std::size_t got = 0;
  switch (read(buf, n, got)) {
    case Io::ok: return static_cast<ssize_t>(got);
    case Io::closed: return 0;
    case Io::again: errno = EAGAIN; return -1;
    case Io::failed: break;
  }
  errno = EIO;
  return -1;
}

TlsStream::Io TlsStream::write(const char* buf, std::size_t n, std::size_t& put) {
  put = 0;
  ERR_clear_error();
  errno = 0;
  int rc = SSL_write_ex(ssl_, buf, n, &put);
  if (rc == 1) {
    wants_write_ = false;
    return Io::ok;
  }
  return outcome(rc);
}

bool TlsStream::pending() const { return SSL_has_pending(ssl_) == 1; }

std::string TlsStream::peer_subject() const {
  X509* cert = SSL_get1_peer_certificate(ssl_);
  if (!cert) return {};
  char buf[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  X509_free(cert);
  return buf;
}

}  // namespace nws::server
