// Who may do what (docs/security.md).  The engine asks a connection's Access
// before each request and refuses with a clear error; how users prove who
// they are (SCRAM, tokens) and where rules come from (the users file) is the
// server's business, behind Authenticator.  No crypto here.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace nws::engine {

// Rights on a workspace, as bits.
enum Right : unsigned {
  kRightRead = 1,      // find, findTry, ifind, list vars
  kRightStore = 2,     // store, declare var
  kRightFetch = 4,     // fetch, fetchTry, ifetch, lease fetch (consumes)
  kRightDelete = 8,    // delete var, delete ws
  kRightCreate = 16,   // open/use of a workspace not there yet, mktemp ws
  kRightShutdown = 32, // deadman, KillServerOnClose (not per workspace)
  kAllRights = 63,
};

// "read, store" (or "nothing").
std::string rights_text(unsigned rights);

// What one authenticated user may do.
class Access {
 public:
  explicit Access(std::string principal) : principal_(std::move(principal)) {}
  virtual ~Access() = default;
  // The rights this user has on workspace `name`.
  virtual unsigned rights(std::string_view workspace) const = 0;
  // Whether the user may stop the server (deadman, KillServerOnClose).
  virtual bool may_shutdown() const = 0;
  // The user's name ("token" for the shared token).
  const std::string& principal() const { return principal_; }

 private:
  std::string principal_;
};

// One step of an authentication exchange.
struct AuthStep {
  enum class Outcome { more, done, failed };
  Outcome outcome = Outcome::failed;
  std::string message;                   // the server's answer (challenge or proof)
  std::shared_ptr<const Access> access;  // when done
};

// One connection's exchange, from its first `auth` request to the last.
class AuthExchange {
 public:
  virtual ~AuthExchange() = default;
  virtual AuthStep step(std::string_view mechanism, std::string_view message) = 0;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual std::unique_ptr<AuthExchange> begin() = 0;
};

}  // namespace nws::engine
