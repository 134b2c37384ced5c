// The web port under TLS and authentication: HTTPS with the test CA, plain
// HTTP to it told to use HTTPS, and only administrators let in.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cerrno>

#include "raw_client.hpp"
#include "security/scram.hpp"
#include "security/tls.hpp"
#include "security_fixture.hpp"
#include "server_process.hpp"

namespace nws::test {
namespace {

std::string request(const std::string& path, const std::string& authorization) {
  std::string r = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!authorization.empty()) r += "Authorization: Basic " + security::base64_encode(authorization) + "\r\n";
  return r + "\r\n";
}

// GET over TLS trusting the test CA; the whole response.
std::string https_get(std::uint16_t port, const std::string& path, const std::string& authorization = {}) {
  auto ctx = security::TlsContext::for_client(cert("ca.pem"), "", "");
  RawClient raw(port);
  SSL* ssl = SSL_new(ctx->native());
  SSL_set_fd(ssl, raw.fd());
  SSL_set1_host(ssl, "127.0.0.1");
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  if (SSL_connect(ssl) != 1) {
    SSL_free(ssl);
    throw std::runtime_error("TLS to the web port failed: " + security::tls_error_text());
  }
  std::string req = request(path, authorization);
  SSL_write(ssl, req.data(), static_cast<int>(req.size()));
  // "Connection: close": the server must end the connection once it has
  // answered (a connection left open would wait for the web idle timeout).
  timeval tv{10, 0};
  ::setsockopt(raw.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  int n;
  errno = 0;
  while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  const bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
  SSL_free(ssl);
  if (timed_out) throw std::runtime_error("the web server kept the connection open after answering " + path);
  return out;
}

std::vector<std::string> secured_args() {
  auto a = tls_args();
  a.insert(a.end(), {"--users", users_file({"user admin a1", "user worker w1", "allow admin all *",
                                            "allow worker fetch jobs", "allow token all *"}),
                     "--token-file", token_file("0123456789abcdef0123456789abcdef")});
  return a;
}

TEST(WebSecurity, HttpsAndOnlyAdministrators) {
  ServerProcess server(secured_args());
  ASSERT_NE(server.web_port(), 0);
  std::string none = https_get(server.web_port(), "/api/workspaces");
  EXPECT_EQ(none.rfind("HTTP/1.1 401", 0), 0u) << none;
  EXPECT_NE(none.find("WWW-Authenticate: Basic"), std::string::npos);
  EXPECT_EQ(https_get(server.web_port(), "/api/workspaces", "admin:wrong").rfind("HTTP/1.1 401", 0), 0u);
  EXPECT_EQ(https_get(server.web_port(), "/api/workspaces", "worker:w1").rfind("HTTP/1.1 401", 0), 0u);
  std::string admin = https_get(server.web_port(), "/api/workspaces", "admin:a1");
  EXPECT_EQ(admin.rfind("HTTP/1.1 200", 0), 0u) << admin.substr(0, 200);
  EXPECT_NE(admin.find("__default"), std::string::npos);
  EXPECT_EQ(https_get(server.web_port(), "/metrics", "token:0123456789abcdef0123456789abcdef").rfind("HTTP/1.1 200", 0),
            0u);
}

TEST(WebSecurity, PlainHttpToTheHttpsPortIsToldWhatToUse) {
  ServerProcess server(tls_args());
  RawClient raw(server.web_port());
  raw.send(request("/", ""));
  std::string tail;
  EXPECT_TRUE(raw.wait_closed(5000, &tail));
  EXPECT_EQ(tail.rfind("HTTP/1.1 400", 0), 0u) << tail;
  EXPECT_NE(tail.find("This port speaks HTTPS: use https://127.0.0.1:" + std::to_string(server.web_port())),
            std::string::npos)
      << tail;
  // Served over HTTPS meanwhile, and without users, to anyone.
  EXPECT_EQ(https_get(server.web_port(), "/api/workspaces").rfind("HTTP/1.1 200", 0), 0u);
}

}  // namespace
}  // namespace nws::test
