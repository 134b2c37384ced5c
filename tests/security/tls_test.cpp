// TLS against real servers, with certificates made by the openssl command:
// a round trip, every certificate a client must refuse, client
// certificates, and the two wrong-way-round cases (plain client to a TLS
// server, TLS client to a plain one), each a clear error at once while the
// server goes on serving others.
#include <gtest/gtest.h>

#include <chrono>

#include "nws/client.hpp"
#include "raw_client.hpp"
#include "security_fixture.hpp"
#include "server_process.hpp"

namespace nws::test {
namespace {

using Clock = std::chrono::steady_clock;

// The error connecting with `o` raises (its kind and message).
Error connect_error(const ConnectOptions& o) {
  try {
    Server s(o);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "connected, but should have been refused";
  return Error(Errc::operation_failed, "connected");
}

void round_trip(const ConnectOptions& o) {
  Server s(o);
  Workspace ws = s.open_ws("tls");
  std::string big(3 << 20, 'x');  // several TLS records, past the spool threshold's neighbourhood
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);
  ws.store("small", Value::text("hello over TLS"));
  ws.store("big", Value::binary(big));
  EXPECT_EQ(ws.fetch("small").bytes, "hello over TLS");
  EXPECT_EQ(ws.fetch("big").bytes, big);
}

TEST(Tls, RoundTripWithTheTestCa) {
  ServerProcess server(tls_args());
  round_trip(tls_options(server.port()));
  round_trip(tls_options(server.port(), "localhost"));  // by name as well as by address
}

TEST(Tls, ManyRepliesPipelinedThroughTls) {
  ServerProcess server(tls_args());
  Server s(tls_options(server.port()));
  Workspace ws = s.open_ws("many");
  for (int i = 0; i < 2000; ++i) ws.store("q", Value::text(std::to_string(i)));
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(ws.fetch("q").bytes, std::to_string(i));
}

TEST(Tls, UntrustedCertificateRefused) {
  ServerProcess server(tls_args("untrusted"));
  Error e = connect_error(tls_options(server.port()));
  EXPECT_EQ(e.code(), Errc::tls);
  EXPECT_NE(std::string(e.what()).find("not trusted"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("give the CA that signed it"), std::string::npos) << e.what();
}

TEST(Tls, ClientTrustingAnotherCaRefusesTheServer) {
  ServerProcess server(tls_args());
  ConnectOptions o = tls_options(server.port());
  o.tls.ca_file = cert("other-ca.pem");
  Error e = connect_error(o);
  EXPECT_EQ(e.code(), Errc::tls);
  EXPECT_NE(std::string(e.what()).find("unable to get local issuer certificate"), std::string::npos) << e.what();
}

TEST(Tls, ExpiredCertificateRefused) {
  ServerProcess server(tls_args("expired"));
  Error e = connect_error(tls_options(server.port()));
  EXPECT_EQ(e.code(), Errc::tls);
  EXPECT_NE(std::string(e.what()).find("certificate has expired"), std::string::npos) << e.what();
}

TEST(Tls, WrongHostNameRefused) {
  ServerProcess server(tls_args("wronghost"));
  Error e = connect_error(tls_options(server.port(), "localhost"));
  EXPECT_EQ(e.code(), Errc::tls);
  EXPECT_NE(std::string(e.what()).find("does not match the name 'localhost'"), std::string::npos) << e.what();
  // The name it does carry, given explicitly, is accepted.
  ConnectOptions o = tls_options(server.port(), "localhost");
  o.tls.server_name = "wrong.example";
  round_trip(o);
}

TEST(Tls, ClientCertificatesRequiredAndChecked) {
  auto args = tls_args();
  args.insert(args.end(), {"--tls-ca", cert("ca.pem")});
  ServerProcess server(args);

  ConnectOptions with = tls_options(server.port());
  with.tls.cert_file = cert("client.pem");
  with.tls.key_file = cert("client.key");
  round_trip(with);

  Error none = connect_error(tls_options(server.port()));
  EXPECT_EQ(none.code(), Errc::tls);
  EXPECT_NE(std::string(none.what()).find("certificate required"), std::string::npos) << none.what();

  ConnectOptions rogue = tls_options(server.port());
  rogue.tls.cert_file = cert("rogue-client.pem");
  rogue.tls.key_file = cert("rogue-client.key");
  Error bad = connect_error(rogue);
  EXPECT_EQ(bad.code(), Errc::tls);
  EXPECT_NE(std::string(bad.what()).find("unknown ca"), std::string::npos) << bad.what();
  EXPECT_TRUE(server.running());
}

TEST(Tls, PlainClientToTlsServerIsToldQuickly) {
  ServerProcess server(tls_args());
  const auto start = Clock::now();
  Error e = connect_error(options(server.port()));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(e.code(), Errc::tls);
  EXPECT_NE(std::string(e.what()).find("requires TLS"), std::string::npos) << e.what();

  // An original client, which does not look at the advertisement, is
  // refused by the server with the reason (E000), old-style or new.
  RawClient raw(server.port());
  raw.send("X000");
  ASSERT_EQ(raw.read_exact(4), "P000");
  raw.read_exact(4);  // the dict's count; the rest is read below
  raw.send("R0000000");
  std::string tail;
  EXPECT_TRUE(raw.wait_closed(5000, &tail));
  EXPECT_NE(tail.find("E000"), std::string::npos) << tail;
  EXPECT_NE(tail.find("requires TLS"), std::string::npos) << tail;

  RawClient old(server.port());
  old.send("1112");
  std::string old_tail;
  EXPECT_TRUE(old.wait_closed(5000, &old_tail));
  EXPECT_EQ(old_tail.substr(0, 4), "E000");

  round_trip(tls_options(server.port()));  // others are served throughout
}

TEST(Tls, TlsClientToPlainServerIsToldQuickly) {
  ServerProcess server;
  const ConnectOptions o = tls_options(server.port());  // makes the certificates first
  const auto start = Clock::now();
  Error e = connect_error(o);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(e.code(), Errc::tls);
  EXPECT_NE(std::string(e.what()).find("does not offer TLS"), std::string::npos) << e.what();

  // A client that starts TLS at once (a ClientHello as its first bytes)
  // gets a TLS alert and the close, not a protocol greeting.
  RawClient raw(server.port());
  raw.send(std::string("\x16\x03\x01\x00\x05hello", 10));
  std::string tail;
  EXPECT_TRUE(raw.wait_closed(5000, &tail));
  EXPECT_EQ(tail, std::string("\x15\x03\x01\x00\x02\x02\x46", 7));

  Server s(options(server.port()));
  s.open_ws("still").store("x", Value::text("served"));
  EXPECT_EQ(s.open_ws("still").fetch("x").bytes, "served");
}

TEST(Tls, TlsHandshakeGarbageEndsOnlyThatConnection) {
  ServerProcess server(tls_args());
  RawClient raw(server.port());
  proto::Dict ssl;
  ssl.set("SSL", "1");
  raw.send("X000");
  ASSERT_EQ(raw.read_exact(4), "P000");
  // The advertisement, then our request for TLS, then not TLS at all.
  raw.read_available(500);
  std::string request = "R000";
  ssl.encode(request);
  raw.send(request);
  ASSERT_EQ(raw.read_exact(4), "A000");
  raw.send(std::string(300, 'G'));
  EXPECT_TRUE(raw.wait_closed(5000));
  round_trip(tls_options(server.port()));
  EXPECT_TRUE(server.running());
}

TEST(Tls, ServerRefusesToStartWithBadFiles) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.key"},
       "cannot use the server's certificate '/nonexistent.pem'"},
      {{"--tls-cert", cert("server.pem"), "--tls-key", cert("client.key")}, "cannot use the server's private key"}};
  for (const auto& [args, says] : cases) {
    std::string why = "started";
    try {
      ServerProcess s(args);
    } catch (const std::exception& e) {
      why = e.what();
    }
    EXPECT_NE(why.find(says), std::string::npos) << why;
  }
}

}  // namespace
}  // namespace nws::test
