#include "security_fixture.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "security/scram.hpp"

namespace nws::test {
namespace {

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "nws-sec-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

struct CertDir {
  std::string path = make_temp_dir();
  CertDir() {
    std::string cmd = std::string("bash ") + NWS_MAKE_TEST_CERTS + " " + path;
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("scripts/make-test-certs.sh failed");
  }
  ~CertDir() { std::filesystem::remove_all(path); }
};

}  // namespace

const std::string& cert_dir() {
  static CertDir dir;
  return dir.path;
}

namespace {
// Users and token files go next to the certificates (removed with them).
std::string write_temp(const std::string& text) {
  static int n = 0;
  std::string path = cert_dir() + "/file-" + std::to_string(++n);
  std::ofstream(path) << text;
  return path;
}
}  // namespace

std::string cert(const std::string& name) { return cert_dir() + "/" + name; }

std::string users_file(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    if (line.rfind("user ", 0) == 0) {
      auto sp = line.find(' ', 5);
      std::string name = line.substr(5, sp - 5), password = line.substr(sp + 1);
      text += "user " + name + " " + security::format_scram_secret(security::make_scram_secret(password)) + "\n";
    } else {
      text += line + "\n";
    }
  }
  return write_temp(text);
}

std::string token_file(const std::string& token) { return write_temp(token + "\n"); }

ConnectOptions options(std::uint16_t port, const std::string& host) {
  ConnectOptions o;
  o.host = host;
  o.port = port;
  o.connect_timeout = std::chrono::milliseconds(5000);
  return o;
}

ConnectOptions tls_options(std::uint16_t port, const std::string& host) {
  ConnectOptions o = options(port, host);
  o.tls.enabled = true;
  o.tls.ca_file = cert("ca.pem");
  return o;
}

std::vector<std::string> tls_args(const std::string& name) {
  return {"--tls-cert", cert(name + ".pem"), "--tls-key", cert(name + ".key")};
}

}  // namespace nws::test
