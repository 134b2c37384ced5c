// libFuzzer target: the authentication exchange (docs/security.md) and the
// users file.  The input's first byte picks what the rest is:
//   0: the steps of one exchange against a server with one user and a
//      token, as messages separated by NUL bytes, each "MECHANISM\tMESSAGE";
//   1: a users file;
//   2: a stored secret, then (after a NUL) a password to verify against it;
//   3: a server's first SCRAM message, to a client (then its final message).
// Nothing may crash, leak or hang; an exchange that succeeds must have
// presented the right token or the right password's proof.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "security/scram.hpp"
#include "server/security/authenticator.hpp"
#include "server/security/users_file.hpp"

namespace {

using namespace nws;

constexpr std::string_view kToken = "fuzz-token-0123456789";

// One user, "user", password "pencil", with a cheap iteration count so
// the fuzzer runs fast.
std::shared_ptr<const server::Users> users() {
  static auto u = std::make_shared<const server::Users>(server::Users::parse(
      "user user " + security::format_scram_secret(security::make_scram_secret("pencil", 2)) +
          "\ngroup g user\nallow @g read,fetch j*\nallow token all *\n",
      "fuzz"));
  return u;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

void exchange(std::string_view data) {
  static server::ServerAuthenticator auth(users(), std::string(kToken));
  auto ex = auth.begin();
  for (std::string_view step : split(data, '\0')) {
    auto tab = step.find('\t');
    std::string_view mechanism = step.substr(0, tab), message = tab == std::string_view::npos ? "" : step.substr(tab + 1);
    engine::AuthStep r = ex->step(mechanism, message);
    if (r.outcome == engine::AuthStep::Outcome::failed) return;
    if (r.outcome == engine::AuthStep::Outcome::done) {
      // Only the token itself, or a proof no fuzzer can forge, gets here.
      if (mechanism == "token" && message != kToken) std::abort();
      if (!r.access) std::abort();
      r.access->rights("jobs");
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 1 || size > 1 << 16) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  switch (bytes[0] % 4) {
    case 0: exchange(data); break;
    case 1:
      try {
        server::Users u = server::Users::parse(data, "fuzz");
        u.access_for("user")->rights("jobs");
        u.access_for("token")->may_shutdown();
      } catch (const std::runtime_error&) {
      }
      break;
    case 2: {
      auto parts = split(data, '\0');
      if (auto secret = security::parse_scram_secret(parts[0])) {
        if (secret->iterations > 16) break;  // keep each run cheap
        security::verify_password(*secret, parts.size() > 1 ? parts[1] : "");
      }
      security::base64_decode(parts[0]);
      break;
    }
    case 3: {
      security::ScramClient client("user", "pencil", "fuzznonce");
      client.first();
      try {
        std::string_view first = data.substr(0, data.find('\0'));
        // Cheap rounds only: an iteration count is the server's to choose.
        if (first.find("i=") != std::string_view::npos && first.size() - first.find("i=") > 4) break;
        client.final(first);
        client.server_verified(data.substr(first.size()));
      } catch (const std::runtime_error&) {
      }
      break;
    }
  }
  return 0;
}
