// The NWS engine: every verb of PROTOCOL.md §7 with the semantics of §9-§14.
// No sockets, no clocks, no threads: requests in, replies out through a sink,
// so every rule can be tested without a network.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/access.hpp"
#include "engine/journal.hpp"
#include "engine/lease.hpp"
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
  // Where durable workspaces' changes go (the server's data log), and which
  // workspaces are durable; no journal: none is.
  Journal* journal = nullptr;
  Durability durability = Durability::persistent;
  // The first lease id.  A server starts from a random one, so an id given
  // before a restart is never mistaken for a new lease.
  std::uint64_t first_lease_id = 1;
  // Who may connect and what each user may do (docs/security.md); none:
  // no authentication, and every connection may do everything.
  Authenticator* authenticator = nullptr;
};

class Engine : private TakeHooks {
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
  // Whether closing `s` may stop the server (KillServerOnClose): only for a
  // user with the shutdown right, when the server authenticates.
  bool may_stop_server(const Session& s) const;

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

  // Leases (docs/protocol-extensions.md, NwsLease).  The server calls
  // expire_leases() when the earliest deadline passes: those leases end
  // and their values go back to their variables.
  void expire_leases();
  std::optional<std::int64_t> next_lease_deadline() const;
  std::size_t lease_count() const { return leases_.size(); }

  // Rebuilding durable workspaces from the journal's records, in order
  // (the server's data log replays them before serving).  Records naming a
  // workspace or variable that is not there are skipped.
  void restore_workspace(std::string_view name, std::string_view owner, bool persistent);
  void restore_delete_workspace(std::string_view name);
  void restore_declare(std::string_view ws, std::string_view var, Mode mode);
  void restore_delete_variable(std::string_view ws, std::string_view var);
  void restore_store(std::string_view ws, std::string_view var, IncomingValue&& v);
  void restore_taken(std::string_view ws, std::string_view var, std::uint64_t lease);
  void restore_leased(std::string_view ws, std::string_view var, std::uint64_t lease, IncomingValue&& v);
  void restore_acknowledged(std::uint64_t lease);
  void restore_given_back(std::uint64_t lease);
  // Ends the replay: values still under a lease go back to their variables
  // (no connection holds them any more), latest lease first, so the
  // earliest taken is the first given out again.
  void finish_restore();
  // Writes every durable workspace, with its values and leases, to `j`
  // (a snapshot; the data log compacts itself with it).
  void write_snapshot(Journal& j) const;

 private:
  using Args = std::vector<proto::Arg>;

  void dispatch(Session& s, proto::Request& request);

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

  // Whether the session's user may make this request; if not, replies with
  // the refusal (the connection stays usable).
  bool permitted(Session& s, const proto::VerbInfo& info, const Args& a);
  void cmd_auth(Session& s, const Args& a);
  void cmd_declare(Session& s, const Args& a);
  void cmd_delete_ws(Session& s, const Args& a);
  void cmd_delete_var(Session& s, const Args& a);
  void cmd_retrieve(Session& s, const Args& a, bool remove, bool block, bool iterated);
  // Replies with what `r` finds in `var`, or blocks the session.
  void answer_retrieval(Session& s, Workspace& ws, Variable& var, const Retrieval& r);
  void cmd_list_vars(Session& s, const Args& a);
  void cmd_list_wss(Session& s, const Args& a);
  void cmd_mktemp(Session& s, const Args& a);
  // The template a `mktemp ws` request names, or the default one.
  static std::string mktemp_template(const Args& a);
  void cmd_open(Session& s, const Args& a, bool claim);
  void cmd_store(Session& s, proto::Request& r);
  void cmd_cancel(Session& s);
  void cmd_lease_fetch(Session& s, const Args& a, bool block);
  void cmd_lease_end(Session& s, const Args& a, proto::Verb verb);
  void cmd_lease_ack_store(Session& s, proto::Request& r);
  // Stores a request's value (`store`, `lease ack store`); its arguments
  // 1-4 are the workspace, variable, descriptor and value.  False (having
  // replied with an error) if it could not be stored.
  bool store_value(Session& s, proto::Request& r, bool reply);

  // TakeHooks: a fetch took a value from a variable.
  std::uint64_t taken(Variable& var, const ValueView& v, Session& who, std::int64_t lease_ms) override;
  // Ends a lease whose value is not acknowledged: the value goes back.
  void give_back(std::uint64_t id, std::string_view why);
  // The lease `id` as `s` holds it, or null (having replied with why not).
  Lease* held_lease(Session& s, std::string_view id_text);
  void remember_ended(std::uint64_t id, std::string why);
  void make_durable(Workspace& ws);
  void journal_workspace(Journal& j, const Workspace& ws) const;
  Journal* journal_of(const Workspace* ws) const {
    return ws && ws->durable && !restoring_ ? config_.journal : nullptr;
  }
  void commit() {
    if (config_.journal) config_.journal->commit();
  }
  Workspace* restored(std::string_view ws);
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
  std::map<std::uint64_t, Lease> leases_;
  std::set<std::pair<std::int64_t, std::uint64_t>> lease_deadlines_;  // (deadline, id)
  std::map<std::uint64_t, std::string> ended_leases_;  // why recent leases ended, for late acknowledgements
  std::uint64_t next_lease_id_;
  // While the journal is replayed: changes are not journalled again, and a
  // leased fetch replayed takes the lease id of its record.
  bool restoring_ = false;
  std::uint64_t restore_lease_id_ = 0;
  Session restore_session_;  // who replayed fetches are answered to (no one)
};

}  // namespace nws::engine
