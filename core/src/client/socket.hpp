// A connected TCP socket: the only place the client touches the OS network API.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

struct ssl_st;

namespace nws::security {
class TlsContext;
}

namespace nws::detail {

// A failed send/recv/poll on an established connection.  Internal: the
// Connection turns it into nws::Error (connection_dropped or closed) with the
// context of the request, so it never reaches callers.
class SocketError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Socket {
 public:
  Socket() = default;
  ~Socket() { close(); }
  Socket(Socket&& o) noexcept : fd_(o.fd_), ssl_(o.ssl_), tls_context_(std::move(o.tls_context_)) {
    o.fd_ = -1;
    o.ssl_ = nullptr;
  }
  Socket& operator=(Socket&& o) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Resolves `host` and tries each address in turn, all within `timeout`.
  // The result is blocking, close-on-exec, with TCP_NODELAY and SO_KEEPALIVE.
  // Throws nws::Error(Errc::connection) naming the host and the last failure.
  static Socket connect(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);

  // Switches the connection to TLS as a client of `context`, verifying that
  // the server's certificate carries `server_name`, within `timeout`.
  // Throws nws::Error(Errc::tls) saying why it could not.
  void start_tls(std::shared_ptr<security::TlsContext> context, const std::string& server_name,
                 std::chrono::milliseconds timeout, const std::string& where);
  bool is_tls() const noexcept { return ssl_ != nullptr; }

  // Writes every byte of `parts` in order (gathered, so a large value is sent
  // from the caller's memory without first being copied behind its header).
  // Never raises SIGPIPE.  Throws SocketError.
  void send_all(std::initializer_list<std::string_view> parts);

  // Waits until data (or EOF, or an error) can be read.  timeout_ms < 0 waits
  // for ever.  Returns false when the time ran out or a signal interrupted the
  // wait, so callers get a chance to look at their cancel check.
  bool wait_readable(int timeout_ms);

  // Reads what is available, blocking if nothing is; 0 means end of stream.
  std::size_t recv_some(char* buf, std::size_t n);

  // Wakes any thread blocked on this socket (it then sees end of stream)
  // and tells the peer we are gone, without releasing the descriptor.
  void shutdown() noexcept;
  void close() noexcept;
  bool is_open() const noexcept { return fd_ >= 0; }

 private:
  explicit Socket(int fd) : fd_(fd) {}
  void send_tls(std::initializer_list<std::string_view> parts);
  int fd_ = -1;
  ssl_st* ssl_ = nullptr;  // after start_tls()
  std::shared_ptr<security::TlsContext> tls_context_;
};

}  // namespace nws::detail
