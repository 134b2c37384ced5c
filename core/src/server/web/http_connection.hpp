// One HTTP connection to the web interface: reads requests (Beast's parser,
// fed from the loop), answers each through route(), writes the response,
// keeps the connection for the next request unless asked not to.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "server/event_loop.hpp"
#include "server/tls_stream.hpp"

namespace nws::server::web {

class WebServer;

class HttpConnection : public EventLoop::Handler {
 public:
  using Clock = std::chrono::steady_clock;

  HttpConnection(WebServer& owner, int fd, std::string peer);
  ~HttpConnection() override;

  void start();
  void on_events(std::uint32_t events) override;
  Clock::time_point last_activity() const { return last_activity_; }
  // Its last response is written and it is only waiting for the peer to
  // close (a lingering close: closing with unread input would reset the
  // connection and could destroy the response before the peer reads it).
  bool lingering() const { return lingering_; }
  // Ends the connection (idle too long, or the server stopping).
  void close();

 private:
  struct Parser;
  void read();
  // TLS (when the server has a certificate): the first bytes must be a
  // ClientHello, then the handshake runs before any HTTP.
  void handshake_tls();
  ssize_t receive(char* buf, std::size_t n);
  // Whether the request may see the interface; if not, answers 401.
  bool authorised(const struct HttpRequest& r);
  // Parses what has arrived; answers each complete request.
  void process();
  void answer_error(int status, const std::string& why);
  bool flush();
  // After the last response: stop sending, read and drop what the peer
  // still sends until it closes.
  void linger();
  void update_interest();

  WebServer& owner_;
  int fd_;
  std::string peer_;
  std::unique_ptr<Parser> parser_;
  std::string in_;
  std::string out_;
  std::size_t out_offset_ = 0;
  bool close_after_write_ = false;
  bool lingering_ = false;
  std::size_t discarded_ = 0;
  bool closed_ = false;
  std::uint32_t interest_ = 0;
  std::unique_ptr<TlsStream> tls_;
  bool hello_seen_ = false;  // the first byte was a TLS ClientHello's
  Clock::time_point last_activity_ = Clock::now();
};

}  // namespace nws::server::web
