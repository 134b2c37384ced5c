// nws-server: one event loop (one thread) serving every connection.  The
// engine is single-threaded by design: on a few cores a cross-thread hand-off
// costs more than the work of a request.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>

#include "engine/engine.hpp"
#include "server/event_loop.hpp"
#include "server/listener.hpp"
#include "server/spool.hpp"

namespace nws::server {

// $TMPDIR, else /tmp.
std::string default_spool_parent();

struct ServerConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8765;
  std::string spool_parent = default_spool_parent();
  std::uint64_t spool_threshold = 16u << 20;   // never below 64 bytes
  std::uint64_t max_value_size = 8ull << 30;
  // SIGINT and SIGTERM stop the server (nws-server); an embedded server
  // leaves the host's signals alone.
  bool handle_signals = true;
};

class Connection;
class SignalWatch;

class Server : public engine::ReplySink {
 public:
  explicit Server(ServerConfig config);
  ~Server() override;

  // The port actually bound (useful with port 0).
  std::uint16_t port() const { return listener_->port(); }
  // Runs until stop(), SIGINT/SIGTERM, or a deadman connection closing.
  void run();
  // From the loop's thread (a handler, or before run()); from another
  // thread, loop().post() it.
  void stop();

  // For connections.
  engine::Engine& engine() { return *engine_; }
  EventLoop& loop() { return loop_; }
  const ServerConfig& config() const { return config_; }
  SpoolDir& spool() { return *spool_; }
  const proto::Dict& advertised() const { return advertised_; }
  // The one buffer every connection reads into: a read is decoded before
  // the loop does anything else and the decoder copies what it keeps, so
  // no connection needs its own (an idle one then costs no buffer at all).
  std::span<char> read_buffer() { return {read_buffer_.get(), kReadBufferSize}; }
  void connection_closed(Connection& c, bool kill_server);

 private:
  void send(engine::Session& to, const engine::Reply& reply) override;
  void accept(int fd, std::string peer);

  ServerConfig config_;
  EventLoop loop_;
  std::unique_ptr<SpoolDir> spool_;
  std::unique_ptr<engine::Engine> engine_;
  proto::Dict advertised_;
  std::unique_ptr<Listener> listener_;
  std::unique_ptr<SignalWatch> signals_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  static constexpr std::size_t kReadBufferSize = 64 * 1024;
  std::unique_ptr<char[]> read_buffer_{new char[kReadBufferSize]};
  bool stopping_ = false;
};

}  // namespace nws::server
