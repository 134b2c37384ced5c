// An NWS server inside this process: the server's event loop on a thread of
// its own, listening on a free loopback port by default.  With it a program
// (or a test) needs nothing installed but its language's NWS package; the
// standalone nws-server stays the way to run a server that many programs
// share.  Other processes can connect to it too, for as long as it runs.
// It never logs, and its thread blocks every asynchronous signal, so the
// host's signal handling (Ctrl-C) is untouched.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "nws/client.hpp"

namespace nws {

struct LocalServerOptions {
  std::string bind = "127.0.0.1";        // the address to listen on
  std::uint16_t port = 0;                // 0: a free port (see LocalServer::port)
  std::string spool_dir;                 // empty: $TMPDIR, else /tmp
  std::uint64_t spool_threshold = 16u << 20;  // values this large are spooled to disk
  std::uint64_t max_value_size = 8ull << 30;  // larger stores are refused
  // Quotas for the values held (nws-server's --max-memory, --max-spool):
  // none = nws-server's defaults, 0 = no limit.
  std::optional<std::uint64_t> max_memory;
  std::optional<std::uint64_t> max_spool;
  // Whether a client may stop it (deadman, KillServerOnClose): a server
  // inside the program is the program's own, so yes by default.
  bool allow_client_shutdown = true;
};

class LocalServer {
 public:
  // Starts listening before it returns.  Throws Errc::connection when it
  // cannot listen (the reason says why: address in use, ...).
  explicit LocalServer(const LocalServerOptions& options = {});
  // Stops the server (see stop()).
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  const std::string& host() const;
  std::uint16_t port() const;
  // Options that connect a client to this server.
  ConnectOptions connect_options() const;

  // Idempotent; safe from any thread but the server's own.  Closes every
  // connection, drops every workspace and removes the spool directory;
  // returns once the server's thread has ended.
  void stop();
  bool running() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace nws
