#include "client/status.hpp"

namespace nws::detail {
namespace {
constexpr int kNoSuchWorkspace = 100;
constexpr int kServerError = 2000;
constexpr int kNotOpened = 2001;

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Used when the server sent no nwsReason (a connection without
// MetadataFromServer never gets one).
std::string_view fallback_reason(int status, std::string_view verb) {
  switch (status) {
    case kNoSuchWorkspace: return "no such workspace (it does not exist, or was deleted since it was opened)";
    case kNotOpened: return "the workspace has not been opened or used on this connection";
    case kServerError: return "internal server error";
    default: return verb == "declare var" ? "the variable already has another mode, or the mode is unknown"
                                          : "the server refused the request";
  }
}
}  // namespace

std::string describe(const Op& op) {
  std::string s(op.verb);
  if (!op.var.empty()) s += " of variable " + quoted(op.var);
  if (!op.ws.empty()) s += (op.var.empty() ? " of workspace " : " in workspace ") + quoted(op.ws);
  return s;
}

Error status_error(const Op& op, int status, std::string_view reason) {
  Errc code = Errc::operation_failed;
  if (status == kNoSuchWorkspace) code = Errc::no_such_workspace;
  else if (status == kNotOpened) code = Errc::not_opened;
  else if (status == kServerError) code = Errc::server_error;
  else if (op.verb == "declare var") code = Errc::declaration_failed;

  std::string message = describe(op) + " failed (status " + std::to_string(status) + "): ";
  message += reason.empty() ? fallback_reason(status, op.verb) : reason;
  return Error(code, std::move(message), status, std::string(reason));
}

bool is_hard_failure(int status) {
  return status == kNoSuchWorkspace || status == kNotOpened || status == kServerError;
}

}  // namespace nws::detail
