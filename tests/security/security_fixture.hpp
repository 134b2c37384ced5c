// What the security tests share: certificates made once per test program
// by scripts/make-test-certs.sh, users files, and clients with options.
#pragma once

#include <string>
#include <vector>

#include "nws/client.hpp"

namespace nws::test {

// The directory of certificates (made on first use, removed at exit).
const std::string& cert_dir();
std::string cert(const std::string& name);  // cert_dir() + "/" + name

// A users file (written to a fresh temporary file) with the given lines;
// "user NAME PASSWORD" lines get the password's SCRAM secret.
std::string users_file(const std::vector<std::string>& lines);
// A token file holding `token`.
std::string token_file(const std::string& token);

// Options for a client of the server on `port` at 127.0.0.1 (or `host`).
ConnectOptions options(std::uint16_t port, const std::string& host = "127.0.0.1");
// The same, over TLS trusting the test CA.
ConnectOptions tls_options(std::uint16_t port, const std::string& host = "127.0.0.1");
// Server arguments for TLS with the test CA's server certificate.
std::vector<std::string> tls_args(const std::string& name = "server");

}  // namespace nws::test
