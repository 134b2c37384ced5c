#include "resp.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace bench::resp {

void append_command(std::string& out, std::initializer_list<std::string_view> args) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (auto a : args) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
}

void append_command_head(std::string& out, std::initializer_list<std::string_view> args_before_last,
                         std::size_t last_len) {
  out += '*';
  out += std::to_string(args_before_last.size() + 1);
  out += "\r\n";
  for (auto a : args_before_last) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
  out += '$';
  out += std::to_string(last_len);
  out += "\r\n";
}

void Reader::reset() {
  done_ = error_ = in_bulk_ = false;
  bulk_left_ = bulk_len_ = 0;
  line_.clear();
  status_.clear();
  integer_ = 0;
  top_len_ = -1;
  open_.clear();
}

// One element finished: count it against the innermost open array, closing
// arrays that are complete; the reply ends when nothing is open.
void Reader::element_done() {
  while (!open_.empty()) {
    if (--open_.back() > 0) return;
    open_.pop_back();
  }
  done_ = true;
}

std::size_t Reader::feed(const char* p, std::size_t n) {
  std::size_t used = 0;
  while (used < n && !done_) {
    if (in_bulk_) {
      std::size_t take = std::min(bulk_left_, n - used);
      // Payload bytes go to the buffer; the trailing CRLF is just skipped.
      std::size_t payload_left = bulk_left_ > 2 ? bulk_left_ - 2 : 0;
      std::size_t copy = std::min(take, payload_left);
      if (copy) std::memcpy(bulk_.data() + (bulk_len_ - payload_left), p + used, copy);
      used += take;
      bulk_left_ -= take;
      if (bulk_left_ == 0) {
        in_bulk_ = false;
        element_done();
      }
      continue;
    }
    const void* nl = std::memchr(p + used, '\n', n - used);
    if (!nl) {
      line_.append(p + used, n - used);
      used = n;
      break;
    }
    auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - p);
    line_.append(p + used, end - used);
    used = end + 1;
    if (line_.empty() || line_.back() != '\r') throw std::runtime_error("RESP line without CR");
    line_.pop_back();
    const char type = line_[0];
    std::string_view rest(line_.data() + 1, line_.size() - 1);
    auto number = [&] {
      std::int64_t v = 0;
      bool neg = !rest.empty() && rest[0] == '-';
      for (std::size_t i = neg ? 1 : 0; i < rest.size(); ++i) {
        if (rest[i] < '0' || rest[i] > '9') throw std::runtime_error("bad RESP number: " + line_);
        v = v * 10 + (rest[i] - '0');
      }
      return neg ? -v : v;
    };
    switch (type) {
      case '+':
        if (open_.empty()) status_ = line_;
        element_done();
        break;
      case '-':
        error_ = true;
        status_ = line_;
        element_done();
        break;
      case ':':
        integer_ = number();
        element_done();
        break;
      case '$': {
        std::int64_t len = number();
        if (len < 0) {  // nil
          bulk_len_ = 0;
          element_done();
          break;
        }
        bulk_len_ = static_cast<std::size_t>(len);
        if (bulk_.size() < bulk_len_) bulk_.resize(bulk_len_);
        bulk_left_ = bulk_len_ + 2;
        in_bulk_ = true;
        break;
      }
      case '*': {
        std::int64_t len = number();
        if (open_.empty() && top_len_ < 0) top_len_ = len;
        if (len <= 0) element_done();
        else open_.push_back(len);
        break;
      }
      default:
        throw std::runtime_error("unexpected RESP reply: " + line_);
    }
    line_.clear();
  }
  return used;
}

}  // namespace bench::resp

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "net.hpp"
#include "options.hpp"

namespace bench::resp {

namespace {

std::string ssl_errors() {
  std::string out;
  char buf[256];
  while (unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown TLS error" : out;
}

// One client context for the process, trusting the --tls-ca file.
SSL_CTX* client_context() {
  static SSL_CTX* ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    if (!c) throw NetError("SSL_CTX_new: " + ssl_errors());
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    if (SSL_CTX_load_verify_locations(c, tls_ca().c_str(), nullptr) != 1)
      throw NetError("cannot load the CA file " + tls_ca() + ": " + ssl_errors());
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
    return c;
  }();
  return ctx;
}

[[noreturn]] void ssl_fail(const char* what, ::ssl_st* ssl, int rc, int saved_errno) {
  int e = SSL_get_error(ssl, rc);
  if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && saved_errno == 0 && ERR_peek_error() == 0))
    throw NetError("the server closed the connection");
  if (e == SSL_ERROR_SYSCALL && saved_errno != 0)
    throw NetError(std::string(what) + ": " + std::strerror(saved_errno));
  throw NetError(std::string(what) + ": " + ssl_errors());
}

}  // namespace

Conn::Conn(std::uint16_t port) : fd_(connect_loopback(port)), rbuf_(256 * 1024) {
  if (tls_ca().empty()) return;
  try {
    start_tls();
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

Conn::~Conn() {
  if (ssl_) SSL_free(ssl_);  // no close_notify: the benchmark's connections just end
  ::close(fd_);
}

void Conn::start_tls() {
  ssl_ = SSL_new(client_context());
  if (!ssl_) throw NetError("SSL_new: " + ssl_errors());
  SSL_set_fd(ssl_, fd_);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");  // as the NWS client checks its host
  ERR_clear_error();
  int rc = SSL_connect(ssl_);
  if (rc != 1) {
    int saved = errno;
    long v = SSL_get_verify_result(ssl_);
    if (v != X509_V_OK)
      throw NetError(std::string("TLS with Redis: certificate refused: ") + X509_verify_cert_error_string(v));
    ssl_fail("TLS handshake with Redis", ssl_, rc, saved);
  }
}

void Conn::write_all(std::string_view a, std::string_view b, std::string_view c) {
  if (!ssl_) return send_all(fd_, a, b, c);
  auto write = [&](std::string_view p) {
    while (!p.empty()) {
      ERR_clear_error();
      int n = SSL_write(ssl_, p.data(), static_cast<int>(std::min<std::size_t>(p.size(), INT_MAX)));
      if (n <= 0) {
        int saved = errno;
        if (SSL_get_error(ssl_, n) == SSL_ERROR_SYSCALL && saved == EINTR) continue;
        ssl_fail("TLS send", ssl_, n, saved);
      }
      p.remove_prefix(static_cast<std::size_t>(n));
    }
  };
  if (a.size() + b.size() + c.size() <= 16 * 1024) {
    tls_out_.assign(a);
    tls_out_.append(b);
    tls_out_.append(c);
    write(tls_out_);
  } else {
    write(a);
    write(b);
    write(c);
  }
}

std::size_t Conn::read_some(char* buf, std::size_t n) {
  if (!ssl_) return recv_some(fd_, buf, n);
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int r = SSL_read(ssl_, buf, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
    if (r > 0) return static_cast<std::size_t>(r);
    int saved = errno;
    if (SSL_get_error(ssl_, r) == SSL_ERROR_SYSCALL && saved == EINTR) continue;
    ssl_fail("TLS receive", ssl_, r, saved);
  }
}

void Conn::send(std::initializer_list<std::string_view> args) {
  out_.clear();
  append_command(out_, args);
  write_all(out_);
}

void Conn::send_with_value(std::initializer_list<std::string_view> args_before_last, std::string_view value) {
  out_.clear();
  append_command_head(out_, args_before_last, value.size());
  write_all(out_, value, "\r\n");
}

void Conn::send_raw(std::string_view bytes) { write_all(bytes); }

const Reader& Conn::read_reply() {
  reader_.reset();
  for (;;) {
    if (rbegin_ < rend_) rbegin_ += reader_.feed(rbuf_.data() + rbegin_, rend_ - rbegin_);
    if (reader_.done()) break;
    rbegin_ = rend_ = 0;
    rend_ = read_some(rbuf_.data(), rbuf_.size());
  }
  if (reader_.is_error()) throw std::runtime_error("Redis error: " + reader_.status_line());
  return reader_;
}

}  // namespace bench::resp
