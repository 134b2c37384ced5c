#include "server/server.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <random>

#include "protocol/handshake.hpp"
#include "server/connection.hpp"
#include "server/log.hpp"
#include "server/signal_watch.hpp"

namespace nws::server {
namespace {

// The `__time` text: asctime layout in local time, without the newline (OQ9).
std::string local_time_text() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
  return std::string(buf, n);
}

// "__nwss" + 8 characters of [A-Za-z0-9_], the shape of the original's temp-file
// names as recorded in the legacy transcripts.
std::string random_tmp_suffix() {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
  std::random_device rd;
  std::string s = "__nwss";
  for (int i = 0; i < 8; ++i) s += kChars[rd() % (sizeof kChars - 1)];
  return s;
}

}  // namespace

std::string default_spool_parent() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

Server::Server(ServerConfig config) : config_(std::move(config)) {
  if (config_.spool_threshold < 64) config_.spool_threshold = 64;
  spool_ = std::make_unique<SpoolDir>(config_.spool_parent);
  engine_ = std::make_unique<engine::Engine>(engine::EngineConfig{local_time_text, random_tmp_suffix()}, *this);
  advertised_.set(std::string(proto::kMetadataToServer), "");
  advertised_.set(std::string(proto::kMetadataFromServer), "");
  advertised_.set(std::string(proto::kKillServerOnClose), "");
  advertised_.set(std::string(proto::kNwsCancel), "");
  listener_ = std::make_unique<Listener>(loop_, config_.bind, config_.port,
                                         [this](int fd, std::string peer) { accept(fd, std::move(peer)); });
  if (config_.handle_signals) {
    signals_ = std::make_unique<SignalWatch>(loop_, [this](int signal_number) {
      log(LogLevel::info, "signal {} received: shutting down", signal_number);
      stop();
    });
  }
}

Server::~Server() {
  stop();
  loop_.finish_turn();
  // The engine holds the last references to spooled values: dropping it
  // unlinks their files before the spool directory goes.
  engine_.reset();
  spool_.reset();
}

void Server::run() {
  if (!stopping_) loop_.run();
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  listener_->close();
  // Retired, not destroyed: stop() may run inside a connection's handler,
  // and deferred work may still name a connection.
  for (auto& [ptr, c] : connections_) {
    c->shutdown();
    loop_.retire(std::move(c));
  }
  connections_.clear();
  loop_.stop();
}

void Server::accept(int fd, std::string peer) {
  // Out of memory (or epoll refusing the descriptor) costs this one client
  // its connection, never the server.
  Connection* raw = nullptr;
  try {
    auto c = std::make_unique<Connection>(*this, fd, peer);
    raw = c.get();
    connections_.emplace(raw, std::move(c));
    raw->start();
  } catch (const std::exception& e) {
    log(LogLevel::warn, "cannot take the connection from {}: {}", peer, e.what());
    if (raw && connections_.erase(raw)) return;  // its destructor closed the socket
    ::close(fd);
  }
}

void Server::connection_closed(Connection& c, bool kill_server) {
  // Events for it may still wait in this turn's batch: free it afterwards.
  if (auto it = connections_.find(&c); it != connections_.end()) {
    loop_.retire(std::move(it->second));
    connections_.erase(it);
  }
  if (kill_server) {
    log(LogLevel::info, "a deadman connection closed: shutting down");
    stop();
  }
}

void Server::send(engine::Session& to, const engine::Reply& reply) {
  if (to.user) static_cast<Connection*>(to.user)->queue_reply(reply);
}

}  // namespace nws::server
