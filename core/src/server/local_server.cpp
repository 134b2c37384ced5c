// nws::LocalServer: the event loop of a server::Server on its own thread.
#include "nws/local_server.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "client/quiet_thread.hpp"
#include "server/server.hpp"

namespace nws {

struct LocalServer::State {
  std::string host;
  std::uint16_t port = 0;
  std::unique_ptr<server::Server> server;
  std::thread thread;
  std::atomic<bool> running{false};
  std::mutex stop_mu;
};

LocalServer::LocalServer(const LocalServerOptions& options) : state_(std::make_unique<State>()) {
  server::ServerConfig config;
  config.bind = options.bind;
  config.port = options.port;
  if (!options.spool_dir.empty()) config.spool_parent = options.spool_dir;
  config.spool_threshold = options.spool_threshold;
  config.max_value_size = options.max_value_size;
  config.max_memory = options.max_memory;
  config.max_spool = options.max_spool;
  config.allow_client_shutdown = options.allow_client_shutdown;
  config.handle_signals = false;
  try {
    // The socket is bound and listening once the constructor returns, so a
    // client may connect at once; accepting starts with the thread.
    state_->server = std::make_unique<server::Server>(config);
  } catch (const std::exception& e) {
    throw Error(Errc::connection, "cannot start an NWS server on " + options.bind + ":" +
                                      std::to_string(options.port) + ": " + e.what());
  }
  state_->host = options.bind;
  state_->port = state_->server->port();
  state_->running = true;
  // The server's thread takes no asynchronous signal: they stay the host's.
  state_->thread = detail::quiet_thread([s = state_.get()] {
    try {
      s->server->run();
    } catch (const std::exception&) {
      // The loop itself failed (epoll_wait): the server is gone; clients
      // see their connections close.  Nothing may escape a thread.
    }
    s->running = false;
  });
}

LocalServer::~LocalServer() { stop(); }

const std::string& LocalServer::host() const { return state_->host; }
std::uint16_t LocalServer::port() const { return state_->port; }

ConnectOptions LocalServer::connect_options() const {
  ConnectOptions o;
  // A server bound to every address is reached on loopback.
  o.host = state_->host == "0.0.0.0" ? "127.0.0.1" : state_->host == "::" ? "::1" : state_->host;
  o.port = port();
  return o;
}

void LocalServer::stop() {
  std::lock_guard lock(state_->stop_mu);
  if (state_->thread.joinable()) {
    server::Server* srv = state_->server.get();
    srv->loop().post([srv] { srv->stop(); });
    state_->thread.join();
  }
  // Spool files and the engine go with the server, on this thread now that
  // the loop's has ended.
  state_->server.reset();
  state_->running = false;
}

bool LocalServer::running() const { return state_->running; }

}  // namespace nws
