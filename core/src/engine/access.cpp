// The engine's side of permissions: which right each request needs on
// which workspace, and the `auth` request.
#include "engine/engine.hpp"
#include "engine/quoted.hpp"
#include "protocol/status.hpp"

namespace nws::engine {
namespace {

std::string quoted_name(std::string_view s) { return quoted(s, '\''); }

using proto::Verb;

// What a right lets one do, for messages: "fetch from".
std::string_view doing(unsigned right) {
  switch (right) {
    case kRightRead: return "read";
    case kRightStore: return "store into";
    case kRightFetch: return "fetch from";
    case kRightDelete: return "delete in";
    case kRightCreate: return "create";
    default: return "stop the server through";
  }
}

}  // namespace

std::string rights_text(unsigned rights) {
  static constexpr std::pair<unsigned, std::string_view> kNames[] = {
      {kRightRead, "read"},     {kRightStore, "store"},   {kRightFetch, "fetch"},
      {kRightDelete, "delete"}, {kRightCreate, "create"}, {kRightShutdown, "shutdown"}};
  std::string out;
  for (auto [bit, name] : kNames)
    if (rights & bit) (out += out.empty() ? "" : ", ") += name;
  return out.empty() ? "nothing" : out;
}

bool Engine::may_stop_server(const Session& s) const {
  if (!config_.authenticator) return true;
  return s.authenticated && (!s.access || s.access->may_shutdown());
}

bool Engine::permitted(Session& s, const proto::VerbInfo& info, const Args& a) {
  if (!s.access) return true;
  unsigned need = 0;
  std::string name = a.size() > 1 ? std::string(a[1].view()) : std::string();
  switch (info.verb) {
    case Verb::store:
    case Verb::declare_var:
    case Verb::lease_ack_store: need = kRightStore; break;
    case Verb::fetch:
    case Verb::fetch_try:
    case Verb::ifetch:
    case Verb::ifetch_try:
    case Verb::lease_fetch:
    case Verb::lease_fetch_try: need = kRightFetch; break;
    case Verb::find:
    case Verb::find_try:
    case Verb::ifind:
    case Verb::ifind_try:
    case Verb::list_vars: need = kRightRead; break;
    case Verb::delete_var: need = kRightDelete; break;
    case Verb::delete_ws: {
      // A workspace's creator may always delete it.
      auto it = spaces_.find(name);
      if (it != spaces_.end() && !it->second->creator.empty() && it->second->creator == s.access->principal())
        return true;
      need = kRightDelete;
      break;
    }
    case Verb::open_ws:
    case Verb::use_ws: {
      if (spaces_.count(name)) {
        if (s.access->rights(name) != 0) return true;
        reply_short(s, proto::kPermissionDenied,
                    "Permission denied: user " + quoted_name(s.access->principal()) + " has no rights on workspace " +
                        quoted_name(name) + ".");
        return false;
      }
      need = kRightCreate;
      break;
    }
    case Verb::mktemp_ws: {
      // Checked against the name the template makes (patterns such as
      // `sleigh_ride_*` match whatever number it gets).
      const std::string tmpl = mktemp_template(a);
      name = format_mktemp_template(tmpl, 0).value_or(tmpl) + config_.tmp_suffix;
      need = kRightCreate;
      break;
    }
    case Verb::deadman:
      if (s.access->may_shutdown()) return true;
      reply_short(s, proto::kPermissionDenied,
                  "Permission denied: user " + quoted_name(s.access->principal()) + " may not stop the server.");
      return false;
    default: return true;  // list wss (filtered), cancel, the lease's own verbs, auth
  }
  const unsigned has = s.access->rights(name);
  if (has & need) return true;
  reply_error(s, info.long_reply, proto::kPermissionDenied,
              "Permission denied: user " + quoted_name(s.access->principal()) + " may not " + std::string(doing(need)) +
                  " workspace " + quoted_name(name) + " (allowed there: " + rights_text(has) + ").");
  return false;
}

void Engine::cmd_auth(Session& s, const Args& a) {
  if (!config_.authenticator) {
    reply_long_error(s, proto::kFailed, "This server does not ask for authentication; connect without credentials.");
    return;
  }
  if (s.authenticated) {
    reply_long_error(s, proto::kFailed, "This connection is already authenticated.");
    return;
  }
  if (!s.auth) s.auth = config_.authenticator->begin();
  AuthStep r = s.auth->step(a[1].view(), a[2].view());
  switch (r.outcome) {
    case AuthStep::Outcome::more: reply_long_text(s, std::move(r.message)); return;
    case AuthStep::Outcome::done:
      s.auth.reset();
      s.authenticated = true;
      s.access = std::move(r.access);
      reply_long_text(s, std::move(r.message));
      return;
    case AuthStep::Outcome::failed:
      s.auth.reset();
      reply_long_error(s, proto::kNotAuthenticated, proto::kAuthFailed);
      s.close_requested = true;
      return;
  }
}

}  // namespace nws::engine
