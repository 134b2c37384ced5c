// nws-server: one event loop (one thread) serving every connection.  The
// engine is single-threaded by design: on a few cores a cross-thread hand-off
// costs more than the work of a request.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>

#include <asio.hpp>

#include "engine/engine.hpp"
#include "server/spool.hpp"

namespace nws::server {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8765;
  std::string spool_parent = "/tmp";
  std::uint64_t spool_threshold = 16u << 20;   // never below 64 bytes
  std::uint64_t max_value_size = 8ull << 30;
};

class Connection;

class Server : public engine::ReplySink {
 public:
  explicit Server(ServerConfig config);
  ~Server() override;

  // The port actually bound (useful with port 0).
  std::uint16_t port() const { return port_; }
  // Runs until stop(), a signal, or a deadman connection closing.
  void run();
  void stop();

  // For connections.
  engine::Engine& engine() { return *engine_; }
  asio::io_context& io() { return io_; }
  const ServerConfig& config() const { return config_; }
  SpoolDir& spool() { return *spool_; }
  const proto::Dict& advertised() const { return advertised_; }
  void connection_closed(Connection& c, bool kill_server);

 private:
  void send(engine::Session& to, const engine::Reply& reply) override;
  void accept();

  ServerConfig config_;
  asio::io_context io_{1};
  asio::ip::tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer accept_retry_;
  std::unique_ptr<SpoolDir> spool_;
  std::unique_ptr<engine::Engine> engine_;
  proto::Dict advertised_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
  std::uint16_t port_ = 0;
  bool stopping_ = false;
};

}  // namespace nws::server
