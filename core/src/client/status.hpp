// Turning a server status (PROTOCOL.md §12) into an nws::Error whose message
// says what was asked, of what, and what the server answered.
#pragma once

#include <string>
#include <string_view>

#include "nws/error.hpp"

namespace nws::detail {

// What a request was about, for messages: the verb as sent on the wire and
// the names it concerned (empty when not applicable).
struct Op {
  std::string_view verb;
  std::string_view ws;
  std::string_view var;
};

// "fetch of variable 'x' in workspace 'ws'", "open ws of workspace 'ws'", "list wss".
std::string describe(const Op& op);

// The error for a non-zero `status`; `reason` is the server's nwsReason (may be empty).
Error status_error(const Op& op, int status, std::string_view reason);

// Statuses that mean "your workspace handle is wrong", which even the Try
// verbs must report instead of answering "no value" (100, 2001, 2000).
bool is_hard_failure(int status);

}  // namespace nws::detail
