#include "server/web/web_server.hpp"

#include <unistd.h>

#include <sys/socket.h>

#include "protocol/handshake.hpp"
#include "server/log.hpp"
#include "server/server.hpp"
#include "server/web/http_connection.hpp"

namespace nws::server::web {

WebServer::WebServer(Server& server, WebConfig config) : server_(server), config_(std::move(config)) {
  listener_ = std::make_unique<Listener>(server_.loop(), config_.bind, config_.port,
                                         [this](int fd, std::string peer) { accept(fd, std::move(peer)); });
  info_.bind = config_.bind;
  info_.port = listener_->port();
  server_.advertise(std::string(proto::kNwsWebPort), std::to_string(info_.port));
  server_.loop().call_after(std::chrono::seconds(5), [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.lock()) sweep();
  });
}

WebServer::~WebServer() {
  *alive_ = false;
  alive_.reset();
  listener_->close();
  for (auto& [ptr, c] : connections_) c->close();
  connections_.clear();
}

void WebServer::accept(int fd, std::string peer) {
  if (connections_.size() >= config_.max_connections) {
    // Full: the connection idle the longest makes room.  Someone holding
    // many idle connections open cannot lock the interface's users out.
    HttpConnection* oldest = nullptr;
    for (auto& [ptr, c] : connections_)
      if (!oldest || c->last_activity() < oldest->last_activity()) oldest = ptr;
    closed(*oldest);
  }
  HttpConnection* raw = nullptr;
  try {
    auto c = std::make_unique<HttpConnection>(*this, fd, std::move(peer));
    raw = c.get();
    connections_.emplace(raw, std::move(c));
    raw->start();
  } catch (const std::exception& e) {
    log(LogLevel::warn, "web: cannot take a connection: {}", e.what());
    if (raw && connections_.erase(raw)) return;  // its destructor closed the socket
    ::close(fd);
  }
}

void WebServer::closed(HttpConnection& c) {
  c.close();
  auto it = connections_.find(&c);
  if (it == connections_.end()) return;
  // Events for it may still wait in this turn's batch: free it afterwards.
  server_.loop().retire(std::move(it->second));
  connections_.erase(it);
}

void WebServer::sweep() {
  const auto now = HttpConnection::Clock::now();
  std::vector<HttpConnection*> idle;
  for (auto& [ptr, c] : connections_)
    if (now - c->last_activity() > (c->lingering() ? std::chrono::seconds(2) : config_.idle_timeout)) idle.push_back(ptr);
  for (HttpConnection* c : idle) closed(*c);
  server_.loop().call_after(std::chrono::seconds(5), [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.lock()) sweep();
  });
}

}  // namespace nws::server::web
