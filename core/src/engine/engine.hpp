// The NWS engine: every verb of PROTOCOL.md §7 with the semantics of §9-§14.
// No sockets, no clocks, no threads: requests in, replies out through a sink,
// so every rule can be tested without a network.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/reply.hpp"
#include "engine/session.hpp"
#include "engine/workspace.hpp"
#include "protocol/request_decoder.hpp"

namespace nws::engine {

// Where replies go.  send() must use the reply before returning.
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  virtual void send(Session& to, const Reply& reply) = 0;
};

struct EngineConfig {
  // The `__time` text (asctime layout, no newline).  Injected: no clocks here.
  std::function<std::string()> now_text;
  // Appended to `mktemp ws` names: "__nwss" + 8 characters (§7.7).
  std::string tmp_suffix = "__nwss000000";
  // `list wss` / `list vars` replies longer than this are refused.
  std::size_t max_listing_bytes = SIZE_MAX;
  // Memory (Holdings::memory, which variables and workspaces count towards
  // too) past which no variable or workspace is created; 0: no limit.
  std::uint64_t max_memory = 0;
  // Whether `deadman` may make a connection stop the server on close.
  bool allow_deadman = true;
  // A monotonic clock in milliseconds, for monitoring only (when a
  // connection opened, since when a request is blocked).  Injected like
  // now_text; none: every time is 0.
  std::function<std::int64_t()> clock_ms;
};

class Engine {
 public:
  Engine(EngineConfig config, ReplySink& sink);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // A new connection.  `peer` is "host:port".  The reference stays valid
  // until close_session().
  Session& open_session(std::string peer, void* user = nullptr);
  // The connection went away: withdraws its blocked request and purges the
  // non-persistent workspaces it owns (only the real owner purges: OQ1).
  void close_session(Session& s);

  // Executes one request.  Replies (to this session and to released
  // waiters) go to the sink; a blocking request may get none yet.
  // Afterwards, s.close_requested says the connection must close once its
  // replies are written.
  // The request is used in place (its buffers may be taken over).
  void execute(Session& s, proto::Request& request);
  void execute(Session& s, proto::Request&& request) { execute(s, request); }

  bool is_blocked(const Session& s) const { return s.blocked != nullptr; }

  // What the stored values take (memory and spool), for the server's quotas.
  const Holdings& holdings() const { return holdings_; }

  // Answers `request` with an error of its verb's kind without carrying it
  // out (the server could not: out of memory, ...).
  void refuse(Session& s, const proto::Request& request, int status, std::string_view reason);

  // Introspection (monitoring, tests).
  std::size_t session_count() const { return sessions_.size(); }
  const std::map<std::string, std::shared_ptr<Workspace>, std::less<>>& workspaces() const { return spaces_; }
  // Sessions by id: the order they opened in.
  const std::map<std::uint64_t, std::unique_ptr<Session>>& sessions() const { return sessions_; }
  std::int64_t now_ms() const { return config_.clock_ms ? config_.clock_ms() : 0; }

  // What an administrator (the web interface) does, with the semantics of
  // `delete ws` and `delete var`: blocked clients get their errors.  False
  // when there is no such workspace or variable.
  bool delete_workspace(std::string_view name);
  bool delete_variable(std::string_view workspace, std::string_view variable);

 private:
  using Args = std::vector<proto::Arg>;

  void reply_short(Session& s, int status, std::string_view reason = {});
  void reply_long_error(Session& s, int status, std::string_view reason);
  void reply_long_text(Session& s, std::string text);
  void reply_error(Session& s, bool is_long, int status, std::string_view reason);

  // Resolves a workspace through the session's own map (§10.2); on failure
  // replies with 2001/100 in the given reply kind and returns null.
  Workspace* resolve(Session& s, std::string_view name, bool is_long);
  std::shared_ptr<Workspace> create_workspace(const std::string& name);
  Variable& variable(Workspace& ws, std::string_view name, Mode initial);
  // The variable, made if it does not exist and the memory quota allows;
  // otherwise replies with an error of the given kind and returns null.
  Variable* variable_or_refuse(Session& s, Workspace& ws, std::string_view name, Mode initial, bool is_long);
  // True (having replied with an error) when nothing new may be made.
  bool refuse_if_full(Session& s, bool is_long);
  std::string next_variable_id();
  void destroy_workspace(const std::shared_ptr<Workspace>& ws);
  // Removes a variable, answering its waiters (delete var).
  bool remove_variable(Workspace& ws, std::string_view name);
  // The session's name -> instance map, keeping Workspace::sessions counted.
  void bind_name(Session& s, const std::string& name, std::shared_ptr<Workspace> ws);
  void unbind_name(Session& s, std::string_view name);
  void withdraw_blocked(Session& s);

  void cmd_declare(Session& s, const Args& a);
  void cmd_delete_ws(Session& s, const Args& a);
  void cmd_delete_var(Session& s, const Args& a);
  void cmd_retrieve(Session& s, const Args& a, bool remove, bool block, bool iterated);
  void cmd_list_vars(Session& s, const Args& a);
  void cmd_list_wss(Session& s, const Args& a);
  void cmd_mktemp(Session& s, const Args& a);
  void cmd_open(Session& s, const Args& a, bool claim);
  void cmd_store(Session& s, proto::Request& r);
  void cmd_cancel(Session& s);
  void refuse_listing(Session& s, std::size_t count, std::string_view what);

  EngineConfig config_;
  ReplySink& sink_;
  Deliver deliver_;
  std::map<std::uint64_t, std::unique_ptr<Session>> sessions_;
  std::uint64_t next_session_ = 1;
  std::map<std::string, std::shared_ptr<Workspace>, std::less<>> spaces_;  // sorted for `list wss`
  std::uint64_t next_instance_ = 1;
  std::uint64_t next_var_id_ = 1;
  Holdings holdings_;
};

}  // namespace nws::engine
