#include "security/scram.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace nws::security {
namespace {

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &len))
    throw std::runtime_error("HMAC-SHA-256 failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string salted_password(std::string_view password, std::string_view salt, int iterations) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                        EVP_sha256(), sizeof out, out) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string xor_of(std::string_view a, std::string_view b) {
  std::string out(a);
  for (std::size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] = static_cast<char>(out[i] ^ b[i]);
  return out;
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// "k=value" attributes separated by commas, in order.
std::vector<std::pair<char, std::string_view>> attributes(std::string_view msg) {
  std::vector<std::pair<char, std::string_view>> out;
  while (!msg.empty()) {
    auto comma = msg.find(',');
    std::string_view part = msg.substr(0, comma);
    if (part.size() < 2 || part[1] != '=') return {};
    out.emplace_back(part[0], part.substr(2));
    if (comma == std::string_view::npos) break;
    msg.remove_prefix(comma + 1);
  }
  return out;
}

// saslname (RFC 5802 §5.1): ',' and '=' escaped.
std::string escape_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ',') out += "=2C";
    else if (c == '=') out += "=3D";
    else out += c;
  }
  return out;
}

std::optional<std::string> unescape_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '=') { out += name[i]; continue; }
    if (name.substr(i, 3) == "=2C") out += ',';
    else if (name.substr(i, 3) == "=3D") out += '=';
    else return std::nullopt;
    i += 2;
  }
  return out;
}

bool printable_nonce(std::string_view n) {
  if (n.empty()) return false;
  for (unsigned char c : n)
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  return true;
}

ScramSecret secret_from(std::string_view salted, std::string salt, int iterations) {
  ScramSecret s;
  s.iterations = iterations;
  s.salt = std::move(salt);
  s.stored_key = sha256(hmac(salted, "Client Key"));
  s.server_key = hmac(salted, "Server Key");
  return s;
}

}  // namespace

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("the random number generator failed");
  return out;
}

std::string base64_encode(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * (text.size() / 4) + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t len = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && len > 0; --i) --len;
  out.resize(len);
  return out;
}

ScramSecret make_scram_secret(std::string_view password, int iterations) {
  std::string salt = random_bytes(16);
  return secret_from(salted_password(password, salt, iterations), salt, iterations);
}

std::string format_scram_secret(const ScramSecret& s) {
  return std::string(kScramMechanism) + "$" + std::to_string(s.iterations) + ":" + base64_encode(s.salt) + "$" +
         base64_encode(s.stored_key) + ":" + base64_encode(s.server_key);
}

std::optional<ScramSecret> parse_scram_secret(std::string_view text) {
  const std::string prefix = std::string(kScramMechanism) + "$";
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  text.remove_prefix(prefix.size());
  auto dollar = text.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  std::string_view head = text.substr(0, dollar), keys = text.substr(dollar + 1);
  auto c1 = head.find(':'), c2 = keys.find(':');
  if (c1 == std::string_view::npos || c2 == std::string_view::npos) return std::nullopt;
  ScramSecret s;
  std::string_view iter = head.substr(0, c1);
  if (iter.empty() || iter.size() > 7) return std::nullopt;
  for (char c : iter) {
    if (c < '0' || c > '9') return std::nullopt;
    s.iterations = s.iterations * 10 + (c - '0');
  }
  auto salt = base64_decode(head.substr(c1 + 1));
  auto stored = base64_decode(keys.substr(0, c2));
  auto server = base64_decode(keys.substr(c2 + 1));
  if (s.iterations < 1 || !salt || salt->empty() || !stored || stored->size() != SHA256_DIGEST_LENGTH || !server ||
      server->size() != SHA256_DIGEST_LENGTH)
    return std::nullopt;
  s.salt = std::move(*salt);
  s.stored_key = std::move(*stored);
  s.server_key = std::move(*server);
  return s;
}

bool verify_password(const ScramSecret& secret, std::string_view password) {
  ScramSecret again = secret_from(salted_password(password, secret.salt, secret.iterations), secret.salt,
                                  secret.iterations);
  return same(again.stored_key, secret.stored_key);
}

// ---- client ----

ScramClient::ScramClient(std::string user, std::string password, std::string nonce)
    : user_(std::move(user)), password_(std::move(password)), nonce_(std::move(nonce)) {
  if (nonce_.empty()) nonce_ = base64_encode(random_bytes(18));
}

std::string ScramClient::first() {
  first_bare_ = "n=" + escape_name(user_) + ",r=" + nonce_;
  return "n,," + first_bare_;
}

std::string ScramClient::final(std::string_view server_first) {
  auto a = attributes(server_first);
  if (a.size() < 3 || a[0].first != 'r' || a[1].first != 's' || a[2].first != 'i')
    throw std::runtime_error("malformed SCRAM challenge from the server");
  std::string_view nonce = a[0].second;
  if (nonce.size() <= nonce_.size() || nonce.substr(0, nonce_.size()) != nonce_)
    throw std::runtime_error("the server's SCRAM nonce does not extend ours");
  auto salt = base64_decode(a[1].second);
  int iterations = 0;
  for (char c : a[2].second) {
    if (c < '0' || c > '9' || iterations > 10'000'000) throw std::runtime_error("malformed SCRAM iteration count");
    iterations = iterations * 10 + (c - '0');
  }
  if (!salt || iterations < 1) throw std::runtime_error("malformed SCRAM salt or iteration count");

  const std::string without_proof = "c=biws,r=" + std::string(nonce);
  const std::string auth_message = first_bare_ + "," + std::string(server_first) + "," + without_proof;
  const std::string salted = salted_password(password_, *salt, iterations);
  const std::string client_key = hmac(salted, "Client Key");
  const std::string signature = hmac(sha256(client_key), auth_message);
  server_signature_ = hmac(hmac(salted, "Server Key"), auth_message);
  return without_proof + ",p=" + base64_encode(xor_of(client_key, signature));
}

bool ScramClient::server_verified(std::string_view server_final) const {
  if (server_final.substr(0, 2) != "v=") return false;
  auto sig = base64_decode(server_final.substr(2));
  return sig && !server_signature_.empty() && same(*sig, server_signature_);
}

// ---- server ----

ScramServer::ScramServer(Lookup lookup, std::string fake_key) : lookup_(std::move(lookup)), fake_key_(std::move(fake_key)) {}

std::optional<std::string> ScramServer::first(std::string_view client_first) {
  if (started_) return std::nullopt;
  started_ = true;
  // gs2-header: no channel binding ("n,,"; "y,," from a client that could
  // bind but thinks we cannot is as good), no authorisation identity.
  if (client_first.substr(0, 3) != "n,," && client_first.substr(0, 3) != "y,,") return std::nullopt;
  first_bare_ = std::string(client_first.substr(3));
  auto a = attributes(first_bare_);
  if (a.size() < 2 || a[0].first != 'n' || a[1].first != 'r' || !printable_nonce(a[1].second)) return std::nullopt;
  auto user = unescape_name(a[0].second);
  if (!user || user->empty()) return std::nullopt;
  user_ = *user;
  secret_ = lookup_(user_);
  if (!secret_) {
    // The same answer, every time, as for a user who exists.
    fake_.iterations = kScramIterations;
    fake_.salt = hmac(fake_key_, "salt:" + user_).substr(0, 16);
  }
  const ScramSecret& s = secret_ ? *secret_ : fake_;
  nonce_ = std::string(a[1].second) + base64_encode(random_bytes(18));
  server_first_ = "r=" + nonce_ + ",s=" + base64_encode(s.salt) + ",i=" + std::to_string(s.iterations);
  return server_first_;
}

std::optional<std::string> ScramServer::final(std::string_view client_final) {
  if (server_first_.empty()) return std::nullopt;
  auto proof_at = client_final.rfind(",p=");
  if (proof_at == std::string_view::npos) return std::nullopt;
  std::string_view without_proof = client_final.substr(0, proof_at);
  auto a = attributes(without_proof);
  if (a.size() < 2 || a[0].first != 'c' || a[0].second != "biws" || a[1].first != 'r' || a[1].second != nonce_)
    return std::nullopt;
  auto proof = base64_decode(client_final.substr(proof_at + 3));
  const std::string server_first = std::exchange(server_first_, {});  // one final per exchange
  if (!proof || !secret_) return std::nullopt;
  const std::string auth_message = first_bare_ + "," + server_first + "," + std::string(without_proof);
  const std::string signature = hmac(secret_->stored_key, auth_message);
  const std::string client_key = xor_of(*proof, signature);
  if (proof->size() != signature.size() || !same(sha256(client_key), secret_->stored_key)) return std::nullopt;
  return "v=" + base64_encode(hmac(secret_->server_key, auth_message));
}

}  // namespace nws::security
