// Turning a server status (PROTOCOL.md §12) into an nws::Error whose message
// says what was asked, of what, and what the server answered.
#pragma once

#include <string>
#include <string_view>

#include "nws/error.hpp"
#include "protocol/verbs.hpp"

namespace nws::detail {

// What a request was about: its verb, and for messages the names it
// concerned (empty when not applicable) and any further detail.
struct Op {
  proto::Verb verb;
  std::string_view ws{};
  std::string_view var{};
  std::string_view detail{};  // e.g. "with template 'x'"

  std::string_view name() const { return proto::verb_name(verb); }
  bool long_reply() const { return proto::verb_info(verb).long_reply; }
};

// "fetch of variable 'x' in workspace 'ws'", "open ws of workspace 'ws'", "list wss".
std::string describe(const Op& op);

// The error for a non-zero `status`; `reason` is the server's nwsReason (may be empty).
Error status_error(const Op& op, int status, std::string_view reason);

// Statuses that mean "your workspace handle is wrong", which even the Try
// verbs must report instead of answering "no value" (100, 2001, 2000, and
// the refusals of NwsAuth, 4 and 5).
bool is_hard_failure(int status);

}  // namespace nws::detail
