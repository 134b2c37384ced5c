// nws-server: one event loop (one thread) serving every connection.  The
// engine is single-threaded by design: on a few cores a cross-thread hand-off
// costs more than the work of a request.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.hpp"
#include "server/config.hpp"
#include "server/event_loop.hpp"
#include "server/listener.hpp"
#include "server/log.hpp"
#include "server/spool.hpp"
#include "server/stats.hpp"

namespace nws::security {
class TlsContext;
}

namespace nws::server {

class ServerAuthenticator;

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
  const engine::Engine& engine() const { return *engine_; }
  EventLoop& loop() { return loop_; }
  const ServerConfig& config() const { return config_; }
  SpoolDir& spool() { return *spool_; }
  const SpoolDir& spool() const { return *spool_; }
  const proto::Dict& advertised() const { return advertised_; }
  // TLS for the NWS and web ports (null: plain text).
  const std::shared_ptr<security::TlsContext>& tls() const { return tls_; }
  // Whether connections must authenticate.
  bool requires_auth() const { return authenticator_ != nullptr; }
  const ServerAuthenticator* authenticator() const { return authenticator_.get(); }
  // Adds an option to what the handshake advertises to connections made
  // from now on (NwsWebPort, once the web interface has its port).
  void advertise(std::string key, std::string value) { advertised_.set(std::move(key), std::move(value)); }
  ServerStats& stats() { return stats_; }
  const ServerStats& stats() const { return stats_; }
  std::size_t connection_count() const { return connections_.size(); }
  // The one buffer every connection reads into: a read is decoded before
  // the loop does anything else and the decoder copies what it keeps, so
  // no connection needs its own (an idle one then costs no buffer at all).
  std::span<char> read_buffer() { return {read_buffer_.get(), kReadBufferSize}; }
  void connection_closed(Connection& c, bool kill_server);
  // `c` had its turn's worth of requests answered and has more set aside:
  // it goes on next turn, after everybody else's events of this one.
  void want_turn(Connection& c);

  // Whether a store's value of `length` bytes fits the memory or spool
  // quota now (with what other requests already have on the way): the
  // reason to refuse it, or nothing, and then `reserved` holds the bytes
  // reserved for it until release().
  struct Reservation {
    std::uint64_t memory = 0;
    std::uint64_t spool = 0;
  };
  std::optional<std::string> admit_value(std::uint64_t length, Reservation& reserved);
  void release(Reservation& reserved);

  // Durability: a connection with replies to send while the data log holds
  // changes not yet on disk waits for the end of the turn's sync (then
  // resume_after_log() goes on with it).  True if `c` must wait.
  bool hold_for_log(Connection& c);
  const durable::DataLog* data_log() const { return data_log_.get(); }
  // Arms the timer of the earliest lease deadline (after a request).
  void watch_leases();

  // The limits in force, defaults resolved.
  std::uint64_t max_memory() const { return max_memory_; }
  std::uint64_t max_spool() const { return max_spool_; }
  std::size_t max_connections() const { return max_connections_; }

 private:
  void send(engine::Session& to, const engine::Reply& reply) override;
  void accept(int fd, std::string peer);
  // Closes connections past their handshake, request or idle deadline;
  // runs every second.
  void sweep();
  void run_turns();
  void sync_log();
  void open_data_log();

  ServerConfig config_;
  EventLoop loop_;
  std::unique_ptr<SpoolDir> spool_;
  std::unique_ptr<durable::DataLog> data_log_;  // before the engine, which writes to it
  std::vector<Connection*> held_for_log_;
  bool log_sync_scheduled_ = false;
  std::optional<std::int64_t> lease_timer_due_;
  std::shared_ptr<security::TlsContext> tls_;
  std::unique_ptr<ServerAuthenticator> authenticator_;  // before the engine, which uses it
  std::unique_ptr<engine::Engine> engine_;
  proto::Dict advertised_;
  std::unique_ptr<Listener> listener_;
  std::unique_ptr<SignalWatch> signals_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  static constexpr std::size_t kReadBufferSize = 64 * 1024;
  std::unique_ptr<char[]> read_buffer_{new char[kReadBufferSize]};
  bool stopping_ = false;
  ServerStats stats_;
  std::uint64_t max_memory_ = 0;       // 0: no limit
  std::uint64_t max_spool_ = 0;        // 0: no limit
  std::size_t max_connections_ = 0;
  Reservation in_flight_;              // reserved by requests still arriving
  LogRate refused_log_;
  std::vector<Connection*> turns_;  // connections waiting to go on (want_turn)
  bool turns_scheduled_ = false;
};

}  // namespace nws::server
