#include "client/defaults.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

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
  // TLS and credentials: each one not given comes from the environment, so
  // a sleigh's workers (and scripts) need no code to pass them on.
  auto fill = [](std::string& field, const char* name) {
    if (field.empty())
      if (const char* v = environment(name)) field = v;
  };
  if (!options.tls.enabled) {
    const char* on = environment("NWS_TLS");
    options.tls.enabled = on && std::string_view(on) != "0" && std::string_view(on) != "false" &&
                          std::string_view(on) != "no";
  }
  fill(options.tls.ca_file, "NWS_TLS_CA");
  fill(options.tls.cert_file, "NWS_TLS_CERT");
  fill(options.tls.key_file, "NWS_TLS_KEY");
  fill(options.tls.server_name, "NWS_TLS_SERVER_NAME");
  if (!options.tls.ca_file.empty() || !options.tls.cert_file.empty()) options.tls.enabled = true;
  if (options.token.empty()) {
    fill(options.user, "NWS_USER");
    if (!options.user.empty()) fill(options.password, "NWS_PASSWORD");
    else fill(options.token, "NWS_TOKEN");
  }
  return options;
}

std::map<std::string, std::string> connection_environment(const ConnectOptions& o) {
  // Files as absolute paths: a worker may start in another directory.
  auto absolute = [](const std::string& path) {
    if (path.empty() || path[0] == '/') return path;
    char cwd[4096];
    return ::getcwd(cwd, sizeof cwd) ? std::string(cwd) + "/" + path : path;
  };
  std::map<std::string, std::string> e;
  e["NWS_TLS"] = o.tls.enabled ? "1" : "";
  e["NWS_TLS_CA"] = absolute(o.tls.ca_file);
  e["NWS_TLS_CERT"] = absolute(o.tls.cert_file);
  e["NWS_TLS_KEY"] = absolute(o.tls.key_file);
  e["NWS_TLS_SERVER_NAME"] = o.tls.server_name;
  e["NWS_USER"] = o.token.empty() ? o.user : "";
  e["NWS_PASSWORD"] = o.token.empty() ? o.password : "";
  e["NWS_TOKEN"] = o.token;
  return e;
}

}  // namespace nws::detail
