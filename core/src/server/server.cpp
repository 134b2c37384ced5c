#include "server/server.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <random>

#include <sys/socket.h>

#include <algorithm>
#include <vector>

#include "protocol/handshake.hpp"
#include "server/connection.hpp"
#include "security/tls.hpp"
#include "server/log.hpp"
#include "server/security/authenticator.hpp"
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

Server::Server(ServerConfig config) : config_(std::move(config)) {
  if (config_.spool_threshold < 64) config_.spool_threshold = 64;
  spool_ = std::make_unique<SpoolDir>(config_.spool_parent);
  max_memory_ = config_.max_memory.value_or(default_max_memory());
  max_spool_ = config_.max_spool.value_or(default_max_spool(spool_->path()));
  max_connections_ = std::max<std::size_t>(config_.max_connections.value_or(default_max_connections()), 1);
  engine::EngineConfig ec;
  ec.now_text = local_time_text;
  ec.tmp_suffix = random_tmp_suffix();
  ec.clock_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  ec.max_listing_bytes = config_.max_listing_bytes;
  ec.allow_deadman = config_.allow_client_shutdown;
  ec.max_memory = max_memory_;
  // A random first lease id: an id from before a restart is never a new lease's.
  std::random_device rd;
  ec.first_lease_id = ((static_cast<std::uint64_t>(rd()) << 8) ^ rd()) % (std::uint64_t{1} << 40) + 1;
  if (!config_.tls_cert.empty())
    tls_ = security::TlsContext::for_server(config_.tls_cert, config_.tls_key, config_.tls_ca);
  if (!config_.users_file.empty() || !config_.token.empty()) {
    std::shared_ptr<const Users> users;
    if (!config_.users_file.empty()) users = std::make_shared<const Users>(Users::load(config_.users_file));
    authenticator_ = std::make_unique<ServerAuthenticator>(std::move(users), config_.token);
    ec.authenticator = authenticator_.get();
  }
  if (!config_.data_dir.empty()) {
    data_log_ = std::make_unique<durable::DataLog>(durable::DataLogConfig{config_.data_dir, config_.fsync});
    ec.journal = data_log_.get();
    ec.durability = config_.durability;
  }
  engine_ = std::make_unique<engine::Engine>(std::move(ec), *this);
  if (data_log_) open_data_log();
  advertised_.set(std::string(proto::kMetadataToServer), "");
  advertised_.set(std::string(proto::kMetadataFromServer), "");
  // Offered only when it would be honoured: a client that asks for it
  // otherwise is refused in the handshake, not fooled.
  if (config_.allow_client_shutdown) advertised_.set(std::string(proto::kKillServerOnClose), "");
  advertised_.set(std::string(proto::kNwsCancel), "");
  advertised_.set(std::string(proto::kNwsLease), "");
  if (tls_) advertised_.set(std::string(proto::kSsl), "");
  if (authenticator_) advertised_.set(std::string(proto::kNwsAuth), authenticator_->mechanisms());
  // Informational, like NwsWebPort: our clients refuse larger values before
  // sending a byte of them (docs/protocol-extensions.md).
  advertised_.set(std::string(proto::kNwsMaxValueSize), std::to_string(config_.max_value_size));
  listener_ = std::make_unique<Listener>(loop_, config_.bind, config_.port,
                                         [this](int fd, std::string peer) { accept(fd, std::move(peer)); });
  loop_.call_after(std::chrono::seconds(1), [this] { sweep(); });
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
  data_log_.reset();  // writes what is left, before the spool (its blobs) goes
  spool_.reset();
}

void Server::open_data_log() {
  // Values that large go back to the spool, as when they were stored.
  auto keep = [this](std::string_view bytes) -> proto::BlobRef {
    if (bytes.size() < config_.spool_threshold) return {};
    auto sink = spool_->make_sink(bytes.size());
    if (!sink || !sink->write(bytes)) return proto::Blob::copy_of(bytes);
    proto::BlobRef b = sink->finish();
    return b ? b : proto::Blob::copy_of(bytes);
  };
  durable::LoadReport r = data_log_->load(*engine_, keep);
  if (!r.damage.empty())
    log(LogLevel::warn, "data log {}: {}; loaded the {} records before it and cut the log there, dropping {} bytes{}",
        data_log_->path(), r.damage, r.frames, r.dropped_bytes,
        r.damaged_copy.empty() ? std::string() : " (kept in " + r.damaged_copy + ")");
  const engine::Holdings& h = engine_->holdings();
  log(LogLevel::info, "data log {}: loaded {} records ({} bytes) in {:.3f} s: {} values in durable workspaces; fsync {}",
      data_log_->path(), r.frames, r.bytes, r.seconds, h.values,
      config_.fsync == durable::FsyncPolicy::always ? "always" : config_.fsync == durable::FsyncPolicy::no ? "no" : "everysec");
  data_log_->on_pending([this] {
    if (log_sync_scheduled_) return;
    log_sync_scheduled_ = true;
    loop_.defer([this] { sync_log(); });
  });
}

bool Server::hold_for_log(Connection& c) {
  if (!data_log_ || !data_log_->unsynced()) return false;
  held_for_log_.push_back(&c);
  return true;
}

void Server::sync_log() {
  log_sync_scheduled_ = false;
  if (!data_log_->sync()) {
    // The disk refused (full?): replies keep waiting; try again soon.
    log_sync_scheduled_ = true;
    loop_.call_after(std::chrono::seconds(1), [this] { sync_log(); });
    return;
  }
  std::vector<Connection*> held;
  held.swap(held_for_log_);
  for (Connection* c : held)
    if (connections_.count(c)) c->resume_after_log();
}

void Server::watch_leases() {
  auto due = engine_->next_lease_deadline();
  if (!due || (lease_timer_due_ && *lease_timer_due_ <= *due)) return;
  lease_timer_due_ = *due;
  const auto delay = std::chrono::milliseconds(std::max<std::int64_t>(*due - engine_->now_ms(), 0));
  loop_.call_after(delay, [this, at = *due] {
    if (lease_timer_due_ != at) return;  // a sooner deadline took over
    lease_timer_due_.reset();
    engine_->expire_leases();
    watch_leases();
  });
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
  if (connections_.size() >= max_connections_) {
    // Refused at once, with a reason our clients show (a refusal instead of
    // the greeting's answer, docs/protocol-extensions.md); original clients
    // see the connection end.
    proto::Dict why;
    why.set("nwsReason", "the server is serving its maximum of " + std::to_string(max_connections_) +
                             " connections; try again later");
    std::string refusal(proto::kRefused);
    why.encode(refusal);
    ++stats_.connections_refused;
    [[maybe_unused]] auto n = ::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
    refused_log_.note([&](std::uint64_t held_back) {
      log(LogLevel::warn, "refused {}: {} connections already ({} more refused since the last such line)", peer,
          max_connections_, held_back);
    });
    return;
  }
  // Out of memory (or epoll refusing the descriptor) costs this one client
  // its connection, never the server.
  Connection* raw = nullptr;
  try {
    auto c = std::make_unique<Connection>(*this, fd, peer);
    raw = c.get();
    connections_.emplace(raw, std::move(c));
    raw->start();
    ++stats_.connections_accepted;
  } catch (const std::exception& e) {
    log(LogLevel::warn, "cannot take the connection from {}: {}", peer, e.what());
    if (raw && connections_.erase(raw)) return;  // its destructor closed the socket
    ::close(fd);
  }
}

void Server::want_turn(Connection& c) {
  turns_.push_back(&c);
  if (turns_scheduled_) return;
  turns_scheduled_ = true;
  // Due at once: run after this turn's events, and without blocking the
  // next epoll_wait.
  loop_.call_after(std::chrono::milliseconds(0), [this] { run_turns(); });
}

void Server::run_turns() {
  turns_scheduled_ = false;
  std::vector<Connection*> now;
  now.swap(turns_);
  for (Connection* c : now)
    if (connections_.count(c)) c->take_turn();  // gone ones were dropped from the map
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

std::optional<std::string> Server::admit_value(std::uint64_t length, Reservation& reserved) {
  const engine::Holdings& held = engine_->holdings();
  const auto mib = [](std::uint64_t b) { return std::to_string((b + (1u << 20) - 1) >> 20) + " MiB"; };
  if (length >= config_.spool_threshold) {
    if (max_spool_ && held.spool + in_flight_.spool + length > max_spool_)
      return "The server's spool is full: " + mib(held.spool + in_flight_.spool) + " of its " + mib(max_spool_) +
             " are in use, and this value needs " + mib(length) +
             ". Fetch or delete values to make room (or start the server with a larger --max-spool).";
    in_flight_.spool += length;
    reserved.spool += length;
  } else {
    if (max_memory_ && held.memory + in_flight_.memory + length > max_memory_)
      return "The server's memory for values is full: " + mib(held.memory + in_flight_.memory) + " of its " +
             mib(max_memory_) + " are in use. Fetch or delete values to make room (or start the server with a "
             "larger --max-memory).";
    in_flight_.memory += length;
    reserved.memory += length;
  }
  return std::nullopt;
}

void Server::release(Reservation& reserved) {
  in_flight_.memory -= reserved.memory;
  in_flight_.spool -= reserved.spool;
  reserved = {};
}

void Server::sweep() {
  if (stopping_) return;
  const auto now = std::chrono::steady_clock::now();
  std::vector<Connection*> expired;
  for (auto& [ptr, c] : connections_)
    if (c->expired(now)) expired.push_back(ptr);
  for (Connection* c : expired) c->expire();
  loop_.call_after(std::chrono::seconds(1), [this] { sweep(); });
}

void Server::send(engine::Session& to, const engine::Reply& reply) {
  if (to.user) static_cast<Connection*>(to.user)->queue_reply(reply);
}

}  // namespace nws::server
