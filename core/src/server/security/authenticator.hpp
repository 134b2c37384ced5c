// The server's Authenticator (engine/access.hpp): SCRAM-SHA-256 against the
// users file, and the shared token.
#pragma once

#include <memory>
#include <string>

#include "engine/access.hpp"
#include "server/security/users_file.hpp"

namespace nws::server {

class ServerAuthenticator final : public engine::Authenticator {
 public:
  // Either may be absent (no users file: no SCRAM; empty token: no token).
  ServerAuthenticator(std::shared_ptr<const Users> users, std::string token);

  std::unique_ptr<engine::AuthExchange> begin() override;
  // A user and password (or "token" and the token) given in one piece, as
  // HTTP Basic authentication gives them: what that user may do, or null.
  std::shared_ptr<const engine::Access> verify(std::string_view user, std::string_view password) const;
  // The NwsAuth advertisement: "SCRAM-SHA-256 token", or one of them.
  std::string mechanisms() const;

 private:
  std::shared_ptr<const Users> users_;
  std::string token_;
  std::string fake_key_;
};

}  // namespace nws::server
