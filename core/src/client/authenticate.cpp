#include "client/authenticate.hpp"

#include <sstream>
#include <stdexcept>

#include "client/connection.hpp"
#include "protocol/status.hpp"
#include "security/scram.hpp"

namespace nws::detail {
namespace {

constexpr std::string_view kToken = "token";

bool offers(const std::string& offered, std::string_view mechanism) {
  std::istringstream words(offered);
  std::string w;
  while (words >> w)
    if (w == mechanism) return true;
  return false;
}

// One `auth` step: the server's answer (the reply's value), or the error.
std::string step(Connection& c, std::string_view mechanism, std::string_view message) {
  const Op op{proto::Verb::auth, {}, {}, {}};
  Reply r = c.round_trip(Outgoing(c.encode(nullptr, proto::Verb::auth, {mechanism, message})), op);
  if (r.status() != proto::kOk) {
    std::string reason(r.reason().empty() ? proto::kAuthFailed : r.reason());
    throw Error(Errc::authentication, "the NWS server at " + c.host() + ":" + std::to_string(c.port()) +
                                          " refused the connection: " + reason,
                r.status(), reason);
  }
  return std::move(r.value);
}

}  // namespace

void authenticate(Connection& c, const ConnectOptions& options, const std::string& offered) {
  const std::string where = c.host() + ":" + std::to_string(c.port());
  if (!options.token.empty()) {
    if (!offers(offered, kToken))
      throw Error(Errc::unsupported, "the NWS server at " + where + " takes no token (it offers: " + offered +
                                         "); give a user and password");
    step(c, kToken, options.token);
    return;
  }
  if (!offers(offered, security::kScramMechanism))
    throw Error(Errc::unsupported, "the NWS server at " + where + " takes no user and password (it offers: " +
                                       offered + "); give a token");
  security::ScramClient scram(options.user, options.password);
  std::string challenge = step(c, security::kScramMechanism, scram.first());
  std::string proof;
  try {
    proof = scram.final(challenge);
  } catch (const std::runtime_error& e) {
    throw Error(Errc::protocol, "NWS server " + where + ": " + e.what());
  }
  std::string verdict = step(c, security::kScramMechanism, proof);
  // Mutual: a server that does not hold the user's secret cannot make this.
  if (!scram.server_verified(verdict))
    throw Error(Errc::authentication, "the NWS server at " + where +
                                          " could not prove that it knows this user's secret: it is not the server "
                                          "the users file belongs to");
}

}  // namespace nws::detail
