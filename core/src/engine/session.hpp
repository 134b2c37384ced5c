// Per-connection engine state (PROTOCOL.md §4).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/access.hpp"
#include "engine/string_map.hpp"
#include "engine/variable.hpp"

namespace nws::engine {

struct Workspace;

struct Session {
  std::uint64_t id = 0;
  std::string peer;            // "host:port", used in owner strings
  void* user = nullptr;        // the server's connection object
  bool cancel_enabled = false; // negotiated NwsCancel
  bool lease_enabled = false;  // negotiated NwsLease
  std::set<std::uint64_t> leases;  // the leases this connection holds (ids)

  // Authentication (docs/security.md): until it succeeds, only `auth` is
  // served; afterwards `access` says what the user may do (none: anything).
  bool authenticated = true;
  std::unique_ptr<AuthExchange> auth;
  std::shared_ptr<const Access> access;

  // External name -> the instance this connection resolved (§10.2).
  StringMap<std::shared_ptr<Workspace>> names;
  // Instances this connection `open ws`-ed (the `>` mark, §10.4).
  std::vector<std::shared_ptr<Workspace>> owned;

  // The blocked request, if any.
  struct Blocked {
    std::shared_ptr<Workspace> ws;
    Variable* var = nullptr;
    std::list<Waiter>::iterator at;
    bool remove = false;
    std::int64_t lease_ms = -1;  // a leased fetch
    std::int64_t since_ms = 0;  // the engine's clock (EngineConfig::clock_ms) when it blocked
  };
  std::unique_ptr<Blocked> blocked;

  // The __barrier variables this connection joined: it leaves them when it
  // closes, so the others are not kept waiting for it.
  struct JoinedBarrier {
    std::weak_ptr<Workspace> ws;
    std::string variable;
  };
  std::vector<JoinedBarrier> barriers;

  bool deadman = false;        // closing this connection stops the server
  bool close_requested = false;// the engine asks the server to close after the reply

  // For monitoring.
  std::uint64_t operations = 0;
  std::string last_operation;
  std::int64_t opened_ms = 0;  // the engine's clock when the connection opened
  std::string label;           // the owner label of its last `open ws` (who the client says it is)
};

}  // namespace nws::engine
