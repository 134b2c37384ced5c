#include "client/status.hpp"

#include "protocol/status.hpp"
#include "protocol/verbs.hpp"

namespace nws::detail {
namespace {

// Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false
// positive) about "'" + std::string(s) + "'".
std::string quoted(std::string_view s) {
  std::string q;
  q.reserve(s.size() + 2);
  q += '\'';
  q += s;
  q += '\'';
  return q;
}

// Used when the server sent no nwsReason (a connection without
// MetadataFromServer never gets one).
std::string_view fallback_reason(int status, proto::Verb verb) {
  switch (status) {
    case proto::kNoSuchWorkspace: return "no such workspace (it does not exist, or was deleted since it was opened)";
    case proto::kNotOpened: return "the workspace has not been opened or used on this connection";
    case proto::kInternalError: return "internal server error";
    case proto::kPermissionDenied: return "permission denied";
    case proto::kNotAuthenticated: return "authentication failed";
    default: return verb == proto::Verb::declare_var ? "the variable already has another mode" : "the server refused the request";
  }
}
}  // namespace

std::string describe(const Op& op) {
  std::string s(op.name());
  if (!op.var.empty()) s += " of variable " + quoted(op.var);
  if (!op.ws.empty()) s += (op.var.empty() ? " of workspace " : " in workspace ") + quoted(op.ws);
  if (!op.detail.empty()) (s += ' ') += op.detail;
  return s;
}

Error status_error(const Op& op, int status, std::string_view reason) {
  Errc code = Errc::operation_failed;
  if (status == proto::kNoSuchWorkspace) code = Errc::no_such_workspace;
  else if (status == proto::kNotOpened) code = Errc::not_opened;
  else if (status == proto::kInternalError) code = Errc::server_error;
  else if (status == proto::kPermissionDenied) code = Errc::permission_denied;
  else if (status == proto::kNotAuthenticated) code = Errc::authentication;
  else if (op.verb == proto::Verb::declare_var) code = Errc::declaration_failed;

  std::string message = describe(op) + " failed (status " + std::to_string(status) + "): ";
  message += reason.empty() ? fallback_reason(status, op.verb) : reason;
  return Error(code, std::move(message), status, std::string(reason));
}

bool is_hard_failure(int status) {
  return status == proto::kNoSuchWorkspace || status == proto::kNotOpened || status == proto::kInternalError ||
         status == proto::kPermissionDenied || status == proto::kNotAuthenticated;
}

}  // namespace nws::detail
