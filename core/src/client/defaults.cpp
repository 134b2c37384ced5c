#include "client/defaults.hpp"

#include <cstdlib>
#include <string>

#include "protocol/fields.hpp"

namespace nws::detail {
namespace {

const char* environment(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

}  // namespace

ConnectOptions resolve_defaults(ConnectOptions options) {
  if (options.host.empty()) {
    const char* host = environment("NWS_HOST");
    options.host = host ? host : "localhost";
  }
  if (!options.port) {
    const char* text = environment("NWS_PORT");
    if (!text) {
      options.port = kDefaultPort;
    } else {
      auto n = proto::parse_int(text);
      try {
        options.port = args::port(n ? std::optional<double>(static_cast<double>(*n)) : std::nullopt,
                                  args::PortUse::connect);
      } catch (const Error&) {
        throw Error(Errc::invalid_argument,
                    "the environment variable NWS_PORT is '" + std::string(text) +
                        "', which is not a port number from 1 to 65535; unset it or fix it");
      }
    }
  }
  return options;
}

}  // namespace nws::detail
