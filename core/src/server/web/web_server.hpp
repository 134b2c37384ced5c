// The web interface's listener and connections, on the server's own event
// loop (PROTOCOL.md §15; docs/web.md).  HTTP/1.1 is parsed and written by
// Boost.Beast; the pages are answered at once on the loop's thread, each a
// bounded amount of work (views.hpp), so the NWS port never waits long.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "server/listener.hpp"
#include "server/web/views.hpp"

namespace nws::server {
class Server;
}

namespace nws::server::web {

class HttpConnection;

struct WebConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8766;  // the original's default; 0: any free port
  std::size_t max_connections = 128;
  std::chrono::seconds idle_timeout{60};
};

class WebServer {
 public:
  // Binds (throws std::runtime_error with the reason when it cannot) and
  // advertises the port to NWS clients as NwsWebPort.
  WebServer(Server& server, WebConfig config);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  std::uint16_t port() const { return listener_->port(); }

  // For connections.
  Server& server() { return server_; }
  WebInfo& info() { return info_; }
  void closed(HttpConnection& c);

 private:
  void accept(int fd, std::string peer);
  void sweep();

  Server& server_;
  WebConfig config_;
  WebInfo info_;
  std::unique_ptr<Listener> listener_;
  std::unordered_map<HttpConnection*, std::unique_ptr<HttpConnection>> connections_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for the sweep timer
};

}  // namespace nws::server::web
