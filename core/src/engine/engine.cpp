#include "engine/engine.hpp"
#include "engine/quoted.hpp"

#include <algorithm>

#include "protocol/fields.hpp"
#include "protocol/names.hpp"
#include "protocol/verbs.hpp"

namespace nws::engine {

namespace {

using proto::ArgKind;
using proto::Verb;

// The refusal of a request whose names the listings could not show
// (protocol/names.hpp), or nothing.
std::optional<std::string> name_error(const proto::VerbInfo& info, const std::vector<proto::Arg>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string_view what;
    switch (proto::arg_kind(&info, i)) {
      case ArgKind::workspace: what = "workspace name"; break;
      case ArgKind::variable: what = "variable name"; break;
      case ArgKind::owner_label: what = "owner label"; break;
      case ArgKind::name_template: what = "workspace name template"; break;
      default: continue;
    }
    if (proto::is_plain_name(args[i].view())) continue;
    if (auto problem = proto::name_problem(args[i].view()))
      return "Invalid " + std::string(what) + ": it " + *problem + " (names may not hold TAB, LF, CR or NUL, or exceed " +
             std::to_string(proto::kMaxNameBytes) + " bytes).";
  }
  return std::nullopt;
}

}  // namespace

Engine::Engine(EngineConfig config, ReplySink& sink)
    : config_(std::move(config)), sink_(sink), next_lease_id_(std::max<std::uint64_t>(config_.first_lease_id, 1)) {
  deliver_ = [this](Session& s, const Reply& r) { sink_.send(s, r); };
  // __default exists from the start: instance 0, owned by the system, persistent.
  auto ws = std::make_shared<Workspace>();
  ws->name = "__default";
  ws->instance = 0;
  ws->owner = "[system]";
  ws->persistent = true;
  ws->durable = config_.journal != nullptr;
  spaces_.emplace(ws->name, ws);
}

Engine::~Engine() = default;

Session& Engine::open_session(std::string peer, void* user) {
  auto s = std::make_unique<Session>();
  s->id = next_session_++;
  s->peer = std::move(peer);
  s->user = user;
  s->opened_ms = now_ms();
  s->authenticated = config_.authenticator == nullptr;
  Session& ref = *s;
  sessions_.emplace(ref.id, std::move(s));
  return ref;
}

void Engine::close_session(Session& s) {
  withdraw_blocked(s);
  // Its leases end unacknowledged: their values go to the next fetchers.
  for (std::uint64_t id : std::set<std::uint64_t>(s.leases)) give_back(id, "its connection closed");
  // Unlike the original, a member that goes leaves its barriers (the others
  // would otherwise wait for it for ever).
  for (const Session::JoinedBarrier& b : s.barriers) {
    auto ws = b.ws.lock();
    if (!ws || !ws->alive) continue;
    auto it = ws->vars.find(b.variable);
    if (it != ws->vars.end()) it->second->leave_barrier(s.id, deliver_);
  }
  // Only the real owner's departure purges a non-persistent workspace (OQ1).
  auto owned = std::move(s.owned);
  for (auto& ws : owned)
    if (ws->alive && !ws->persistent && ws->owner_session == s.id) destroy_workspace(ws);
  for (auto& [name, ws] : s.names) --ws->sessions;
  s.names.clear();
  sessions_.erase(s.id);
  commit();
}

void Engine::withdraw_blocked(Session& s) {
  if (!s.blocked) return;
  s.blocked->var->withdraw(s.blocked->at, s.blocked->remove);
  s.blocked.reset();
}

// ---- replies ---------------------------------------------------------------

void Engine::reply_short(Session& s, int status, std::string_view reason) {
  Reply r;
  r.status = status;
  r.reason = reason;
  sink_.send(s, r);
}

void Engine::reply_long_error(Session& s, int status, std::string_view reason) {
  Reply r;
  r.is_long = true;
  r.status = status;
  r.reason = reason;
  sink_.send(s, r);
}

void Engine::reply_error(Session& s, bool is_long, int status, std::string_view reason) {
  if (is_long) reply_long_error(s, status, reason);
  else reply_short(s, status, reason);
}

void Engine::reply_long_text(Session& s, std::string text) {
  Reply r;
  r.is_long = true;
  r.descriptor = 1;  // server-made direct string
  r.bytes = text;
  sink_.send(s, r);
}

// ---- helpers -----------------------------------------------------------------

Workspace* Engine::resolve(Session& s, std::string_view name, bool is_long) {
  auto it = s.names.find(name);
  if (it == s.names.end()) {
    reply_error(s, is_long, kNotOpened, "Workspace " + quoted(name) + " has not been opened.");
    return nullptr;
  }
  if (!it->second->alive) {
    reply_error(s, is_long, kNoSuchWorkspace, "No such workspace.");
    return nullptr;
  }
  return it->second.get();
}

std::shared_ptr<Workspace> Engine::create_workspace(const std::string& name) {
  // Any `wstype` is served by a standard workspace (OQ3), so both original
  // sleighs fall back to their classic protocol.
  auto ws = std::make_shared<Workspace>(name, &holdings_);
  ws->instance = next_instance_++;
  spaces_[name] = ws;
  if (config_.journal && config_.durability == Durability::all && !restoring_) make_durable(*ws);
  return ws;
}

std::string Engine::next_variable_id() { return proto::n20(static_cast<std::int64_t>(next_var_id_++)); }

Variable& Engine::variable(Workspace& ws, std::string_view name, Mode initial) {
  auto it = ws.vars.find(name);
  if (it != ws.vars.end()) return *it->second;
  return ws.add(std::make_unique<Variable>(std::string(name), next_variable_id(), initial, &holdings_, static_cast<TakeHooks*>(this), &ws));
}

bool Engine::refuse_if_full(Session& s, bool is_long) {
  if (config_.max_memory == 0 || holdings_.memory < config_.max_memory) return false;
  reply_error(s, is_long, kFailed,
              "The server's memory is full (" + std::to_string(holdings_.memory >> 20) + " of its " +
                  std::to_string(config_.max_memory >> 20) +
                  " MiB in use): nothing new can be made. Fetch or delete values, variables or workspaces to make "
                  "room (or start the server with a larger --max-memory).");
  return true;
}

Variable* Engine::variable_or_refuse(Session& s, Workspace& ws, std::string_view name, Mode initial, bool is_long) {
  if (Variable* v = ws.find(name)) return v;
  if (refuse_if_full(s, is_long)) return nullptr;
  return &variable(ws, name, initial);
}

void Engine::destroy_workspace(const std::shared_ptr<Workspace>& ws) {
  if (!ws->alive) return;
  auto it = spaces_.find(ws->name);
  if (it != spaces_.end() && it->second == ws) spaces_.erase(it);
  if (Journal* j = journal_of(ws.get())) j->delete_workspace(ws->name);
  ws->purge(deliver_);
}

// ---- dispatch ----------------------------------------------------------------

void Engine::refuse(Session& s, const proto::Request& request, int status, std::string_view reason) {
  const proto::VerbInfo* info = request.info;
  reply_error(s, info && info->long_reply, status, reason);
}

void Engine::execute(Session& s, proto::Request& request) {
  dispatch(s, request);
  commit();
}

void Engine::dispatch(Session& s, proto::Request& request) {
  std::string_view verb = request.verb();
  ++s.operations;
  s.last_operation.assign(verb.substr(0, 64));

  if (s.blocked) {
    if (s.cancel_enabled && verb == proto::verb_name(Verb::cancel) && request.args.size() == 1) {
      cmd_cancel(s);
      return;
    }
    // §5.4: error, close; the refused request does not run and the blocked
    // one is withdrawn so no later value is lost to it.
    withdraw_blocked(s);
    reply_short(s, kFailed, "Received a request while already blocking on a command.");
    s.close_requested = true;
    return;
  }

  const proto::VerbInfo* info = request.info;
  if (request.refusal) {
    reply_error(s, info && info->long_reply, kFailed, *request.refusal);
    if (request.close_after_reply) s.close_requested = true;
    return;
  }
  if (!info) {
    reply_short(s, kFailed, "Unknown verb " + quoted(verb));
    return;
  }
  const Args& a = request.args;
  if (a.size() < info->min_args || a.size() > info->max_args) {
    reply_error(s, info->long_reply, kFailed,
                "Wrong number of arguments for " + quoted(verb) + ": got " + std::to_string(a.size() - 1) + ".");
    return;
  }
  if (auto bad = name_error(*info, a)) {
    reply_error(s, info->long_reply, kFailed, *bad);
    return;
  }
  if (info->verb == Verb::auth) {
    cmd_auth(s, a);
    return;
  }
  if (!s.authenticated) {
    reply_error(s, info->long_reply, proto::kNotAuthenticated,
                "Authenticate first (the auth request): this server serves only authenticated connections.");
    return;
  }
  if (!permitted(s, *info, a)) return;

  switch (info->verb) {
    case Verb::store: cmd_store(s, request); return;
    case Verb::fetch: cmd_retrieve(s, a, true, true, false); return;
    case Verb::fetch_try: cmd_retrieve(s, a, true, false, false); return;
    case Verb::find: cmd_retrieve(s, a, false, true, false); return;
    case Verb::find_try: cmd_retrieve(s, a, false, false, false); return;
    case Verb::ifetch: cmd_retrieve(s, a, true, true, true); return;
    case Verb::ifetch_try: cmd_retrieve(s, a, true, false, true); return;
    case Verb::ifind: cmd_retrieve(s, a, false, true, true); return;
    case Verb::ifind_try: cmd_retrieve(s, a, false, false, true); return;
    case Verb::declare_var: cmd_declare(s, a); return;
    case Verb::delete_var: cmd_delete_var(s, a); return;
    case Verb::delete_ws: cmd_delete_ws(s, a); return;
    case Verb::open_ws: cmd_open(s, a, true); return;
    case Verb::use_ws: cmd_open(s, a, false); return;
    case Verb::list_vars: cmd_list_vars(s, a); return;
    case Verb::list_wss: cmd_list_wss(s, a); return;
    case Verb::mktemp_ws: cmd_mktemp(s, a); return;
    case Verb::cancel: cmd_cancel(s); return;
    case Verb::lease_fetch:
    case Verb::lease_fetch_try:
    case Verb::lease_ack:
    case Verb::lease_ack_store:
    case Verb::lease_release:
    case Verb::lease_renew:
      if (!s.lease_enabled) {
        reply_error(s, info->long_reply, kFailed,
                    "Leases were not negotiated on this connection: request the NwsLease option in the handshake.");
        return;
      }
      if (info->verb == Verb::lease_fetch) cmd_lease_fetch(s, a, true);
      else if (info->verb == Verb::lease_fetch_try) cmd_lease_fetch(s, a, false);
      else if (info->verb == Verb::lease_ack_store) cmd_lease_ack_store(s, request);
      else cmd_lease_end(s, a, info->verb);
      return;
    case Verb::auth: return;  // answered above
    case Verb::deadman:
      if (!config_.allow_deadman) {
        reply_short(s, kFailed,
                    "This server does not let clients stop it; start nws-server with --allow-client-shutdown to allow it.");
        return;
      }
      s.deadman = true;
      reply_short(s, kOk);
      return;
  }
}

// ---- verbs -------------------------------------------------------------------

void Engine::cmd_cancel(Session& s) {
  if (!s.blocked) {
    reply_short(s, kFailed, "No blocked request to cancel.");
    return;
  }
  withdraw_blocked(s);
  reply_long_error(s, kCancelled, "Request cancelled.");
  reply_short(s, kOk);
}

void Engine::cmd_store(Session& s, proto::Request& r) { store_value(s, r, true); }

bool Engine::store_value(Session& s, proto::Request& r, bool reply) {
  const Args& a = r.args;
  Workspace* ws = resolve(s, a[1].view(), false);
  if (!ws) return false;
  auto descriptor = proto::parse_uint(a[3].view());
  if (!descriptor) {
    reply_short(s, kInternalError, "Descriptor " + quoted(a[3].view()) + " is not an unsigned 64-bit integer.");
    return false;
  }
  IncomingValue v;
  v.descriptor = *descriptor;
  // Small values are packed by the variable straight from the request;
  // larger ones keep the request's buffer (or spool file) as their blob.
  proto::Arg& value = r.args[4];
  if (value.blob || value.size() > ValueQueue::kPackedMax) {
    v.blob = value.take_blob();
    v.bytes = v.blob.view();
  } else {
    v.bytes = value.view();
  }
  if (!r.metadata.empty()) v.metadata = std::make_shared<const proto::Dict>(std::move(r.metadata));
  Variable* found = variable_or_refuse(s, *ws, a[2].view(), Mode::fifo, false);
  if (!found) return false;
  Variable& var = *found;
  // Journalled before the store: a waiter it goes to is journalled as
  // taking it (time and barrier variables hold no values).
  if (Journal* j = journal_of(ws); j && var.mode() != Mode::time && var.mode() != Mode::barrier)
    j->store(ws->name, var.name(), ValueView{v.descriptor, v.bytes, nullptr, v.metadata.get()});
  std::string_view reason;
  int status = var.store(s, std::move(v), deliver_, reason);
  if (status == kOk && var.mode() == Mode::barrier) s.barriers.push_back({s.names.find(a[1].view())->second, var.name()});
  if (reply || status != kOk) reply_short(s, status, reason);
  return status == kOk;
}

void Engine::cmd_retrieve(Session& s, const Args& a, bool remove, bool block, bool iterated) {
  Workspace* ws = resolve(s, a[1].view(), true);
  if (!ws) return;
  Retrieval r{remove, block, -1, -1, &config_.now_text};
  std::string var_id;
  if (iterated) {
    std::string_view id = a[3].view();
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    var_id.assign(id);
    if (!var_id.empty()) {
      if (a.size() < 5) {
        r.index = -999;
      } else {
        auto idx = proto::parse_int(a[4].view());
        if (!idx) {
          reply_long_error(s, kFailed, "Value index " + quoted(a[4].view()) + " is not an integer.");
          return;
        }
        r.index = *idx;
      }
    }
  }
  // Quirk Q2: retrieving a missing variable creates it as `unknown`.
  Variable* found = variable_or_refuse(s, *ws, a[2].view(), Mode::unknown, true);
  if (!found) return;
  Variable& var = *found;
  if (!var_id.empty() && var_id != var.id()) {
    reply_long_error(s, kFailed, "Variable id mismatch.");
    return;
  }
  answer_retrieval(s, *ws, var, r);
}

void Engine::answer_retrieval(Session& s, Workspace& ws, Variable& var, const Retrieval& r) {
  std::string_view error;
  switch (var.retrieve(s, r, deliver_, error)) {
    case Outcome::replied: return;
    case Outcome::failed: reply_long_error(s, kFailed, error); return;
    case Outcome::no_value: reply_long_error(s, kFailed, "no value available"); return;
    case Outcome::must_block: {
      auto b = std::make_unique<Session::Blocked>();
      b->ws = s.names[ws.name];
      b->var = &var;
      b->remove = r.remove;
      b->lease_ms = r.lease_ms;
      b->since_ms = now_ms();
      b->at = var.block(s, r.remove, r.lease_ms);
      s.blocked = std::move(b);
      return;
    }
  }
}

void Engine::cmd_declare(Session& s, const Args& a) {
  Workspace* ws = resolve(s, a[1].view(), false);
  if (!ws) return;
  // Quirk Q3: even a failed declaration leaves the variable behind as unknown.
  Variable* found = variable_or_refuse(s, *ws, a[2].view(), Mode::unknown, false);
  if (!found) return;
  Variable& var = *found;
  std::optional<Mode> m = parse_mode(a[3].view());
  if (!m || !declarable(*m) || !var.declare(*m)) {
    // The original's text, quotes included (legacy recordings py*-metadata).
    reply_short(s, kFailed, "Cannot change variable mode to " + quoted(a[3].view()) + ".");
    return;
  }
  if (Journal* j = journal_of(ws)) j->declare(ws->name, var.name(), var.mode());
  reply_short(s, kOk);
}

void Engine::cmd_delete_var(Session& s, const Args& a) {
  Workspace* ws = resolve(s, a[1].view(), false);
  if (!ws) return;
  std::string name(a[2].view());
  auto it = ws->vars.find(name);
  if (it == ws->vars.end()) {
    reply_short(s, kFailed, "Variable " + quoted(name) + " does not exist in workspace " + quoted(ws->name) + ".");
    return;
  }
  remove_variable(*ws, name);
  reply_short(s, kOk);
}

bool Engine::remove_variable(Workspace& ws, std::string_view name) {
  std::unique_ptr<Variable> var = ws.take(name);
  if (!var) return false;
  if (Journal* j = journal_of(&ws)) j->delete_variable(ws.name, var->name());
  var->purge(deliver_);
  return true;
}

bool Engine::delete_variable(std::string_view workspace, std::string_view variable) {
  auto it = spaces_.find(workspace);
  bool done = it != spaces_.end() && remove_variable(*it->second, variable);
  commit();
  return done;
}

bool Engine::delete_workspace(std::string_view name) {
  auto it = spaces_.find(name);
  if (it == spaces_.end()) return false;
  destroy_workspace(std::shared_ptr<Workspace>(it->second));
  commit();
  return true;
}

void Engine::bind_name(Session& s, const std::string& name, std::shared_ptr<Workspace> ws) {
  auto [it, added] = s.names.try_emplace(name);
  if (!added) {
    if (it->second == ws) return;
    --it->second->sessions;
  }
  ++ws->sessions;
  it->second = std::move(ws);
}

void Engine::unbind_name(Session& s, std::string_view name) {
  auto it = s.names.find(name);
  if (it == s.names.end()) return;
  --it->second->sessions;
  s.names.erase(it);
}

void Engine::cmd_delete_ws(Session& s, const Args& a) {
  std::string name(a[1].view());
  auto it = spaces_.find(name);
  if (it == spaces_.end()) {
    reply_short(s, kFailed, "Workspace " + quoted(name) + " does not exist.");
    return;
  }
  std::shared_ptr<Workspace> ws = it->second;
  destroy_workspace(ws);
  unbind_name(s, name);
  s.owned.erase(std::remove(s.owned.begin(), s.owned.end(), ws), s.owned.end());
  reply_short(s, kOk);
}

void Engine::cmd_open(Session& s, const Args& a, bool claim) {
  std::string name(a[1].view());
  bool create = a.size() < 5 || a[4].view() == "yes";
  auto it = spaces_.find(name);
  std::shared_ptr<Workspace> ws;
  if (it != spaces_.end()) {
    ws = it->second;
  } else if (!create) {
    reply_short(s, kNoSuchWorkspace, "No such workspace.");
    return;
  } else {
    if (refuse_if_full(s, false)) return;
    ws = create_workspace(name);
    if (s.access) ws->creator = s.access->principal();
  }
  bind_name(s, name, ws);
  if (claim) {
    s.label.assign(a[2].view().substr(0, 256));
    if (ws->owner.empty()) {
      ws->owner = s.peer + " (" + std::string(a[2].view()) + ")";
      ws->owner_session = s.id;
      ws->persistent = a[3].view() == "yes";
      if (ws->persistent && config_.journal && !ws->durable) make_durable(*ws);
    }
    // Quirk Q1: every `open ws` marks the workspace as this connection's.
    if (std::find(s.owned.begin(), s.owned.end(), ws) == s.owned.end()) s.owned.push_back(ws);
  }
  reply_short(s, kOk);
}

void Engine::cmd_list_vars(Session& s, const Args& a) {
  Workspace* ws = resolve(s, a[1].view(), true);
  if (!ws) return;
  std::string out;
  if (!append_list_vars(out, *ws, config_.max_listing_bytes)) return refuse_listing(s, ws->vars.size(), "variables");
  reply_long_text(s, std::move(out));
}

void Engine::refuse_listing(Session& s, std::size_t count, std::string_view what) {
  reply_long_error(s, kFailed,
                   "The listing of " + std::to_string(count) + " " + std::string(what) + " would be longer than " +
                       std::to_string(config_.max_listing_bytes) + " bytes, this server's limit; ask for less " +
                       "(list wss NAME lists one workspace).");
}

void Engine::cmd_list_wss(Session& s, const Args& a) {
  std::string filter = a.size() > 1 ? std::string(a[1].view()) : std::string();
  std::string out;
  auto mine = [&](const std::shared_ptr<Workspace>& ws) {
    return std::find(s.owned.begin(), s.owned.end(), ws) != s.owned.end();
  };
  // A user sees the workspaces they have some right on.
  auto visible = [&](const std::string& name) { return !s.access || s.access->rights(name) != 0; };
  const std::size_t limit = config_.max_listing_bytes;
  if (filter.empty()) {
    for (const auto& [name, ws] : spaces_)
      if (visible(name) && !append_list_wss_line(out, *ws, mine(ws), limit))
        return refuse_listing(s, spaces_.size(), "workspaces");
  } else if (auto it = spaces_.find(filter); it != spaces_.end() && visible(filter)) {
    if (!append_list_wss_line(out, *it->second, mine(it->second), limit))
      return refuse_listing(s, it->second->vars.size(), "variable names");
  }
  if (out.empty()) out.push_back('\n');  // not `out = "\n"`: GCC 12 -O3 -Wrestrict false positive
  reply_long_text(s, std::move(out));
}

std::string Engine::mktemp_template(const Args& a) {
  return a.size() > 1 && !a[1].view().empty() ? std::string(a[1].view()) : "__ws__%d";
}

void Engine::cmd_mktemp(Session& s, const Args& a) {
  if (refuse_if_full(s, true)) return;
  std::string tmpl = mktemp_template(a);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::uint64_t n = next_instance_++;
    auto formatted = format_mktemp_template(tmpl, n);
    if (!formatted) {
      reply_long_error(s, kFailed, "Template " + quoted(tmpl) + " must hold exactly one integer conversion such as %d.");
      return;
    }
    std::string name = *formatted + config_.tmp_suffix;
    if (spaces_.count(name)) continue;
    auto made = create_workspace(name);
    if (s.access) made->creator = s.access->principal();
    bind_name(s, name, made);
    reply_long_text(s, name);
    return;
  }
  reply_long_error(s, kFailed, "Could not find an unused workspace name for template " + quoted(tmpl) + ".");
}

}  // namespace nws::engine
