#include "server/security/authenticator.hpp"

#include <openssl/crypto.h>

#include "security/scram.hpp"

namespace nws::server {
namespace {

using engine::AuthStep;
using Outcome = AuthStep::Outcome;

AuthStep failed() { return {}; }

// What the shared token may do: its rules in the users file, or everything
// without one.
std::shared_ptr<const engine::Access> token_access(const std::shared_ptr<const Users>& users) {
  static const Users none = Users::parse("", "(none)");
  return (users ? *users : none).access_for(std::string(kTokenPrincipal));
}

class Exchange final : public engine::AuthExchange {
 public:
  Exchange(const std::shared_ptr<const Users>& users, const std::string& token, const std::string& fake_key)
      : users_(users), token_(token), scram_([users](std::string_view u) { return users ? users->secret(u) : std::nullopt; }, fake_key) {}

  AuthStep step(std::string_view mechanism, std::string_view message) override {
    if (mechanism == "token") {
      // Compared in constant time; a token is tried once per connection.
      if (token_.empty() || steps_++ != 0 || message.size() != token_.size() ||
          CRYPTO_memcmp(message.data(), token_.data(), token_.size()) != 0)
        return failed();
      return {Outcome::done, "ok", token_access(users_)};
    }
    if (mechanism != security::kScramMechanism || !users_) return failed();
    switch (steps_++) {
      case 0: {
        auto challenge = scram_.first(message);
        if (!challenge) return failed();
        return {Outcome::more, std::move(*challenge), nullptr};
      }
      case 1: {
        auto proof = scram_.final(message);
        if (!proof) return failed();
        return {Outcome::done, std::move(*proof), users_->access_for(scram_.user())};
      }
      default: return failed();
    }
  }

 private:
  std::shared_ptr<const Users> users_;
  std::string token_;
  security::ScramServer scram_;
  int steps_ = 0;
};

}  // namespace

ServerAuthenticator::ServerAuthenticator(std::shared_ptr<const Users> users, std::string token)
    : users_(std::move(users)), token_(std::move(token)), fake_key_(security::random_bytes(32)) {}

std::unique_ptr<engine::AuthExchange> ServerAuthenticator::begin() {
  return std::make_unique<Exchange>(users_, token_, fake_key_);
}

std::shared_ptr<const engine::Access> ServerAuthenticator::verify(std::string_view user,
                                                                 std::string_view password) const {
  if (user == kTokenPrincipal) {
    if (token_.empty() || password.size() != token_.size() ||
        CRYPTO_memcmp(password.data(), token_.data(), token_.size()) != 0)
      return nullptr;
    return token_access(users_);
  }
  if (!users_) return nullptr;
  auto secret = users_->secret(user);
  if (!secret || !security::verify_password(*secret, password)) return nullptr;
  return users_->access_for(std::string(user));
}

std::string ServerAuthenticator::mechanisms() const {
  std::string m;
  if (users_) m = std::string(security::kScramMechanism);
  if (!token_.empty()) m += m.empty() ? "token" : " token";
  return m;
}

}  // namespace nws::server
