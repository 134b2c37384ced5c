#include "server/server.hpp"

#include <ctime>
#include <random>

#include "protocol/handshake.hpp"
#include "server/connection.hpp"
#include "server/log.hpp"

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

Server::Server(ServerConfig config)
    : config_(std::move(config)),
      acceptor_(io_),
      signals_(io_, SIGINT, SIGTERM),
      accept_retry_(io_) {
  if (config_.spool_threshold < 64) config_.spool_threshold = 64;
  spool_ = std::make_unique<SpoolDir>(config_.spool_parent);
  engine_ = std::make_unique<engine::Engine>(engine::EngineConfig{local_time_text, random_tmp_suffix()}, *this);
  advertised_.set(std::string(proto::kMetadataToServer), "");
  advertised_.set(std::string(proto::kMetadataFromServer), "");
  advertised_.set(std::string(proto::kKillServerOnClose), "");
  advertised_.set(std::string(proto::kNwsCancel), "");

  asio::ip::tcp::endpoint ep(asio::ip::make_address(config_.bind), config_.port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();

  signals_.async_wait([this](const asio::error_code& ec, int sig) {
    if (ec) return;
    log(LogLevel::info, "signal {} received: shutting down", sig);
    stop();
  });
}

Server::~Server() {
  stop();
  connections_.clear();
  // The engine holds the last references to spooled values: dropping it
  // unlinks their files before the spool directory goes.
  engine_.reset();
  spool_.reset();
}

void Server::run() {
  accept();
  io_.run();
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  asio::error_code ec;
  acceptor_.close(ec);
  signals_.cancel(ec);
  accept_retry_.cancel();
  for (const auto& c : connections_) c->shutdown();
  connections_.clear();
  io_.stop();
}

void Server::accept() {
  acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      // Out of descriptors: wait for connections to go rather than spin.
      log(LogLevel::warn, "accept failed: {}", ec.message());
      accept_retry_.expires_after(std::chrono::milliseconds(50));
      accept_retry_.async_wait([this](const asio::error_code& e) { if (!e) accept(); });
      return;
    }
    auto c = std::make_shared<Connection>(*this, std::move(socket));
    connections_.insert(c);
    c->start();
    accept();
  });
}

void Server::connection_closed(Connection& c, bool kill_server) {
  connections_.erase(c.shared_from_this());
  if (kill_server) {
    log(LogLevel::info, "a deadman connection closed: shutting down");
    stop();
  }
}

void Server::send(engine::Session& to, const engine::Reply& reply) {
  if (to.user) static_cast<Connection*>(to.user)->queue_reply(reply);
}

}  // namespace nws::server
