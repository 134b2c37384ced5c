// Reply status codes (PROTOCOL.md §12; 2 and 3 are our NwsCancel and NwsLease extensions,
// docs/protocol-extensions.md).  The engine answers with them and the
// client maps them to errors; both take them from here.
#pragma once

namespace nws::proto {

enum Status : int {
  kOk = 0,
  kFailed = 1,              // the generic failure: no value, bad mode, unknown verb ...
  kCancelled = 2,           // a blocked request withdrawn by `cancel`
  kLeaseNotHeld = 3,        // NwsLease: the lease named is not held by this connection
  kNoSuchWorkspace = 100,   // the workspace does not exist, or this connection's instance was deleted
  kInternalError = 2000,    // the server could not carry out the request
  kNotOpened = 2001,        // the workspace was never opened or used on this connection
};

}  // namespace nws::proto
