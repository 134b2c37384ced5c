// SCRAM-SHA-256 (RFC 5802, RFC 7677): how a password proves itself without
// crossing the network, and how the server proves it knows the secret too.
// The message layout is ours to write; every cryptographic step (PBKDF2,
// HMAC-SHA-256, SHA-256, random nonces, constant-time comparison) is
// OpenSSL's.  Used by the client (ScramClient) and the server (ScramServer,
// and verify_password for the web interface's Basic authentication).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace nws::security {

inline constexpr std::string_view kScramMechanism = "SCRAM-SHA-256";
inline constexpr int kScramIterations = 4096;  // RFC 7677's minimum; what PostgreSQL uses

// What a server stores for a user (RFC 5803's layout, as PostgreSQL keeps it):
// SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>, base64.
// Neither key lets anyone log in; the password is not recoverable from them.
struct ScramSecret {
  int iterations = 0;
  std::string salt;        // raw bytes
  std::string stored_key;  // SHA-256(ClientKey), raw
  std::string server_key;  // raw
};

// A new secret for `password`, with a random 16-byte salt.
ScramSecret make_scram_secret(std::string_view password, int iterations = kScramIterations);
std::string format_scram_secret(const ScramSecret& s);
// Nothing when `text` is not a SCRAM-SHA-256 secret of that layout.
std::optional<ScramSecret> parse_scram_secret(std::string_view text);
// Whether `password` is the one `secret` was made from (PBKDF2 once).
bool verify_password(const ScramSecret& secret, std::string_view password);

std::string base64_encode(std::string_view raw);
std::optional<std::string> base64_decode(std::string_view text);
// `n` random bytes from OpenSSL's generator.
std::string random_bytes(std::size_t n);

class ScramClient {
 public:
  // `nonce` is for tests (RFC 7677's vector); empty: 18 random bytes.
  ScramClient(std::string user, std::string password, std::string nonce = {});
  // client-first-message: "n,,n=USER,r=NONCE".
  std::string first();
  // client-final-message for the server's first message.  Throws
  // std::runtime_error saying what is wrong with a malformed one.
  std::string final(std::string_view server_first);
  // Whether the server's final message proves it holds this user's secret.
  bool server_verified(std::string_view server_final) const;

 private:
  std::string user_, password_, nonce_, first_bare_;
  std::string server_signature_;
};

class ScramServer {
 public:
  // `lookup` finds a user's secret.  For a user it does not know, the
  // exchange goes on with a salt made from `fake_key` and the name (the
  // same on every try, like a real one) and fails only at the end, so an
  // answer never says whether a user exists.
  using Lookup = std::function<std::optional<ScramSecret>(std::string_view user)>;
  ScramServer(Lookup lookup, std::string fake_key);

  // server-first-message; nothing when the client's message is malformed.
  std::optional<std::string> first(std::string_view client_first);
  // server-final-message ("v=..."); nothing when the proof is wrong, the
  // user unknown or the message malformed.
  std::optional<std::string> final(std::string_view client_final);
  // The user who proved themselves (after a successful final()).
  const std::string& user() const { return user_; }

 private:
  Lookup lookup_;
  std::string fake_key_;
  std::string user_, first_bare_, server_first_, nonce_;
  std::optional<ScramSecret> secret_;
  ScramSecret fake_;
  bool started_ = false;
};

}  // namespace nws::security
