// The client's side of authentication (NwsAuth, docs/protocol-extensions.md):
// SCRAM-SHA-256 for a user and password, or a shared token, over `auth`
// requests on a freshly negotiated connection.
#pragma once

#include <string>

#include "nws/client.hpp"

namespace nws::detail {

class Connection;

// Authenticates `c` with the credentials in `options`, using a mechanism
// from `offered` (the server's NwsAuth advertisement).  Throws
// nws::Error(Errc::authentication) when the server refuses them (always with
// the same words), or when the server cannot prove it knows the user's
// secret; Errc::unsupported when it offers no mechanism we have credentials for.
void authenticate(Connection& c, const ConnectOptions& options, const std::string& offered);

}  // namespace nws::detail
