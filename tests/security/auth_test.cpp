// Authentication against real servers: users (SCRAM-SHA-256) and the
// shared token; every refusal the same; nothing before authenticating.
#include <gtest/gtest.h>

#include "nws/client.hpp"
#include "protocol/status.hpp"
#include "raw_client.hpp"
#include "security_fixture.hpp"
#include "server_process.hpp"

namespace nws::test {
namespace {

const std::string kToken = "0123456789abcdef0123456789abcdef";

std::vector<std::string> auth_args() {
  static const std::string users = users_file({"user alice wonderland", "user bob builder"});
  static const std::string token = token_file(kToken);
  return {"--users", users, "--token-file", token};
}

ConnectOptions as(std::uint16_t port, std::string user, std::string password) {
  ConnectOptions o = options(port);
  o.user = std::move(user);
  o.password = std::move(password);
  return o;
}

Error refusal(const ConnectOptions& o) {
  try {
    Server s(o);
    s.list_wss();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "connected, but should have been refused";
  return Error(Errc::operation_failed, "connected");
}

TEST(Auth, RightPasswordAndTokenGetIn) {
  ServerProcess server(auth_args());
  Server alice(as(server.port(), "alice", "wonderland"));
  alice.open_ws("a").store("x", Value::text("from alice"));
  ConnectOptions t = options(server.port());
  t.token = kToken;
  Server tok(t);
  EXPECT_EQ(tok.open_ws("a").fetch("x").bytes, "from alice");
}

TEST(Auth, WrongPasswordUnknownUserNoCredentialsAndWrongTokenLookTheSame) {
  ServerProcess server(auth_args());
  ConnectOptions wrong_token = options(server.port());
  wrong_token.token = "fedcba9876543210fedcba9876543210";
  std::vector<Error> errors{refusal(as(server.port(), "alice", "wonderlanD")), refusal(as(server.port(), "carol", "x")),
                            refusal(wrong_token)};
  for (const Error& e : errors) {
    EXPECT_EQ(e.code(), Errc::authentication) << e.what();
    EXPECT_EQ(e.what(), std::string(errors[0].what()));
    EXPECT_NE(std::string(e.what()).find("authentication failed"), std::string::npos) << e.what();
  }
  Error none = refusal(options(server.port()));
  EXPECT_EQ(none.code(), Errc::authentication);
  EXPECT_EQ(std::string(none.what()), errors[0].what());

  // Neither is the server's answer on the wire any different.
  auto wire_refusal = [&](const std::string& user) {
    RawClient raw(server.port());
    proto::Dict req;
    req.set("NwsAuth", "1");
    req.set("MetadataFromServer", "1");
    raw.handshake(req);
    raw.request({"auth", "SCRAM-SHA-256", "n,,n=" + user + ",r=abcdefgh"});
    LongReply challenge = raw.read_long();
    EXPECT_EQ(challenge.status(), 0);
    std::string nonce = challenge.value.substr(2, challenge.value.find(',') - 2);
    raw.request({"auth", "SCRAM-SHA-256", "c=biws,r=" + nonce + ",p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="});
    LongReply r = raw.read_long();
    EXPECT_TRUE(raw.wait_closed(5000));
    return std::to_string(r.status()) + " " + std::string(r.head.metadata.get("nwsReason").value_or(""));
  };
  EXPECT_EQ(wire_refusal("alice"), wire_refusal("nobody"));
  EXPECT_EQ(wire_refusal("alice").substr(0, 2), "5 ");
}

TEST(Auth, NothingButAuthenticationBeforeIt) {
  ServerProcess server(auth_args());
  RawClient raw(server.port());
  proto::Dict req;
  req.set("NwsAuth", "1");
  req.set("MetadataFromServer", "1");
  raw.handshake(req);
  raw.request({"open ws", "x", "me", "no"});
  proto::Dict md;
  EXPECT_EQ(raw.read_short(&md), proto::kNotAuthenticated);
  EXPECT_NE(std::string(md.get("nwsReason").value_or("")).find("Authenticate first"), std::string::npos);
  LongReply l = raw.call_long({"list wss"});
  EXPECT_EQ(l.status(), proto::kNotAuthenticated);
  // Still allowed to authenticate, with the token.
  LongReply ok = raw.call_long({"auth", "token", kToken});
  EXPECT_EQ(ok.status(), 0);
  EXPECT_EQ(raw.call_short({"open ws", "x", "me", "no"}), 0);
  // ...once.
  EXPECT_EQ(raw.call_long({"auth", "token", kToken}).status(), proto::kFailed);
}

TEST(Auth, OriginalClientsAreRefusedWithTheReason) {
  ServerProcess server(auth_args());
  RawClient raw(server.port());
  raw.send("X000");
  ASSERT_EQ(raw.read_exact(4), "P000");
  raw.read_available(300);
  raw.send("R0000000");
  std::string tail;
  EXPECT_TRUE(raw.wait_closed(5000, &tail));
  EXPECT_EQ(tail.substr(0, 4), "E000");
  EXPECT_NE(tail.find("authentication failed"), std::string::npos) << tail;
}

TEST(Auth, ServerWithoutAuthTakesCredentialsAsNothing) {
  ServerProcess server;
  Server s(as(server.port(), "alice", "whatever"));
  s.open_ws("plain").store("x", Value::text("y"));
  EXPECT_EQ(s.open_ws("plain").fetch("x").bytes, "y");
}

TEST(Auth, TlsAndUsersTogether) {
  auto args = tls_args();
  auto more = auth_args();
  args.insert(args.end(), more.begin(), more.end());
  ServerProcess server(args);
  ConnectOptions o = tls_options(server.port());
  o.user = "bob";
  o.password = "builder";
  Server s(o);
  s.open_ws("both").store("x", Value::text("secret"));
  EXPECT_EQ(s.open_ws("both").fetch("x").bytes, "secret");
  o.password = "builders";
  EXPECT_EQ(refusal(o).code(), Errc::authentication);
}

TEST(Auth, TokenFileMustHoldALongToken) {
  std::string why = "started";
  try {
    ServerProcess s({"--token-file", token_file("short")});
  } catch (const std::exception& e) {
    why = e.what();
  }
  EXPECT_NE(why.find("shorter than 16 characters"), std::string::npos) << why;
}

}  // namespace
}  // namespace nws::test
