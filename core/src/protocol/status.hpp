// Reply status codes (PROTOCOL.md §12; 2 to 5 are our NwsCancel, NwsLease and NwsAuth extensions,
// docs/protocol-extensions.md).  The engine answers with them and the
// client maps them to errors; both take them from here.
#pragma once

#include <string_view>

namespace nws::proto {

// The one answer to every failed authentication (a wrong password, an
// unknown user, a wrong token, no credentials at all), so that it never
// tells which it was.
inline constexpr std::string_view kAuthFailed =
    "authentication failed: this server takes a known user with the right password, or the right token";

enum Status : int {
  kOk = 0,
  kFailed = 1,              // the generic failure: no value, bad mode, unknown verb ...
  kCancelled = 2,           // a blocked request withdrawn by `cancel`
  kLeaseNotHeld = 3,        // NwsLease: the lease named is not held by this connection
  kPermissionDenied = 4,    // NwsAuth: the connection's user may not do this (docs/security.md)
  kNotAuthenticated = 5,    // NwsAuth: authenticate first, or the credentials were refused
  kNoSuchWorkspace = 100,   // the workspace does not exist, or this connection's instance was deleted
  kInternalError = 2000,    // the server could not carry out the request
  kNotOpened = 2001,        // the workspace was never opened or used on this connection
};

}  // namespace nws::proto
