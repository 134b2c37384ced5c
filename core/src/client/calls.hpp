// The request shapes Server, Workspace and Iterator share: a request that
// must succeed, and turning a value reply into the public Fetched.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "client/connection.hpp"
#include "client/status.hpp"

namespace nws::detail {

// The request for `op`: its verb, then `args` (with the connection's
// metadata prefix).
Outgoing request(const Connection& conn, const Op& op, std::initializer_list<std::string_view> args);

// A request answered by a short reply; raises the mapped error on a non-zero status.
void expect_ok(Connection& conn, const Op& op, const Outgoing& request);

// A request answered by a long reply that must succeed (listings, mktemp ws);
// returns its value bytes.
std::string expect_text(Connection& conn, const Op& op, const Outgoing& request);

Fetched to_fetched(Reply&& reply);

// The value of a successful retrieval.  If the call was interrupted after
// the value had arrived (Reply::interrupted), raises Errc::cancelled
// carrying it instead (see nws::Wait).
Fetched take_value(Reply&& reply, const Op& op);
[[noreturn]] void raise_interrupted(Fetched&& fetched, const Op& op);

}  // namespace nws::detail
