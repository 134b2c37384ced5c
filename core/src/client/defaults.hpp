// The server a program talks to when it names none (nws::ConnectOptions).
#pragma once

#include "nws/client.hpp"

namespace nws::detail {

// `options` with host and port filled in: an empty host becomes $NWS_HOST or
// "localhost", a missing port $NWS_PORT or kDefaultPort.  Throws
// Errc::invalid_argument for an NWS_PORT that is not a port.
ConnectOptions resolve_defaults(ConnectOptions options);

}  // namespace nws::detail
