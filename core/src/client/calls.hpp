// The request shapes Server, Workspace and Iterator share: a request that
// must succeed, and turning a value reply into the public Fetched.
#pragma once

#include <string>

#include "client/connection.hpp"
#include "client/status.hpp"

namespace nws::detail {

// A request answered by a short reply; raises the mapped error on a non-zero status.
void expect_ok(Connection& conn, const Op& op, const Outgoing& request);

// A request answered by a long reply that must succeed (listings, mktemp ws);
// returns its value bytes.
std::string expect_text(Connection& conn, const Op& op, const Outgoing& request);

Fetched to_fetched(Reply&& reply);

}  // namespace nws::detail
