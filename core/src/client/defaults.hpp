// The server a program talks to when it names none (nws::ConnectOptions).
#pragma once

#include <map>
#include <string>

#include "nws/client.hpp"

namespace nws::detail {

// `options` with host and port filled in: an empty host becomes $NWS_HOST or
// "localhost", a missing port $NWS_PORT or kDefaultPort.  Throws
// Errc::invalid_argument for an NWS_PORT that is not a port.
// TLS and credentials not given come from NWS_TLS, NWS_TLS_CA, NWS_TLS_CERT,
// NWS_TLS_KEY, NWS_TLS_SERVER_NAME, NWS_USER, NWS_PASSWORD and NWS_TOKEN.
ConnectOptions resolve_defaults(ConnectOptions options);

// The inverse for TLS and credentials: the variables that make a client
// started with them connect as `options` does (every one of them set, to ""
// when unused, so nothing stale is inherited).  A sleigh gives them to its
// workers.
std::map<std::string, std::string> connection_environment(const ConnectOptions& options);

}  // namespace nws::detail
