// Clients that get authentication (NwsAuth) wrong or turn hostile during
// it: garbage for every step, huge and truncated messages, vanishing
// mid-exchange, requests before authenticating, a password-guessing flood.
// Each is refused on its own connection; nobody else notices.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "harness.hpp"
#include "protocol/status.hpp"

namespace nws::test {
namespace {

class AuthExchange : public BadInputTest {
 protected:
  void SetUp() override {
    char path[] = "/tmp/nws-token-XXXXXX";
    int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    token_file_ = path;
    std::ofstream(token_file_) << kToken << "\n";
    users_file_ = token_file_ + ".users";
    // One user, "someone", password "pw" (made with nws-server --hash-password).
    std::ofstream(users_file_) << "user someone SCRAM-SHA-256$4096:9ujldhgBAgnMHeFr5vZSDg==$4vjTa9dMUmTs2Lfv9mmSvB7v5ezBZQVkWpHEeGJ1q8M=:Gzl6GCa9OIF6jzc9a7/oRFD6j8fHj/p5yzrcwRUFVBI=\n";
    use_token(kToken);
  }
  void TearDown() override {
    BadInputTest::TearDown();
    ::unlink(token_file_.c_str());
    ::unlink(users_file_.c_str());
  }
  void start_secured() { ASSERT_NO_FATAL_FAILURE(start({"--token-file", token_file_, "--users", users_file_})); }

  // A connection that negotiated NwsAuth (and metadata out) but has not
  // authenticated.
  RawClient unauthenticated() {
    RawClient c = connect_raw();
    proto::Dict o;
    o.set("NwsAuth", "1");
    o.set("MetadataFromServer", "1");
    c.handshake(o);
    return c;
  }

  static constexpr const char* kToken = "0123456789abcdef0123456789abcdef";
  std::string token_file_, users_file_;
};

TEST_F(AuthExchange, GarbageAtEveryStepIsRefusedAndCloses) {
  start_secured();
  std::mt19937 rng(7);
  auto junk = [&](std::size_t n) {
    std::string s(n, '\0');
    for (auto& ch : s) ch = static_cast<char>(rng() & 0xff);
    return s;
  };
  const std::vector<std::pair<std::string, std::string>> first_steps{
      {"SCRAM-SHA-256", junk(40)},       {"SCRAM-SHA-256", ""},        {"SCRAM-SHA-256", "n,,n=,r="},
      {"SCRAM-SHA-256", "n,,n=a,r=\x01"}, {"token", ""},                {"token", junk(32)},
      {"PLAIN", "\0user\0pass"},         {"", ""},                     {"token", std::string(kToken) + "x"},
      {"SCRAM-SHA-256", std::string(60000, 'n')}};
  for (const auto& [mechanism, message] : first_steps) {
    RawClient c = unauthenticated();
    LongReply r = c.call_long({"auth", mechanism, message});
    EXPECT_EQ(r.status(), proto::kNotAuthenticated) << mechanism;
    EXPECT_EQ(r.head.metadata.get("nwsReason").value_or(""), proto::kAuthFailed);
    EXPECT_TRUE(c.wait_closed(5000));
  }
  // A good first step, then garbage for the second.
  for (int i = 0; i < 5; ++i) {
    RawClient c = unauthenticated();
    LongReply challenge = c.call_long({"auth", "SCRAM-SHA-256", "n,,n=someone,r=abcdefgh"});
    ASSERT_EQ(challenge.status(), 0);
    LongReply r = c.call_long({"auth", "SCRAM-SHA-256", i == 0 ? std::string() : junk(static_cast<std::size_t>(i) * 50)});
    EXPECT_EQ(r.status(), proto::kNotAuthenticated);
    EXPECT_TRUE(c.wait_closed(5000));
  }
  expect_server_healthy("garbage authentication");
}

TEST_F(AuthExchange, NothingRunsBeforeAuthentication) {
  start_secured();
  RawClient c = unauthenticated();
  // Pipelined: a store, a fetch of the bystander's value, a delete.
  c.request({"store", kArena, "stolen", "16777217", "x"});
  c.request({"fetch", kBystanderWs, "kept"});
  c.request({"delete ws", kBystanderWs});
  EXPECT_EQ(c.read_short(), proto::kNotAuthenticated);
  EXPECT_EQ(c.read_long().status(), proto::kNotAuthenticated);
  EXPECT_EQ(c.read_short(), proto::kNotAuthenticated);
  EXPECT_EQ(list_vars().find("stolen"), std::string::npos);
  expect_bystander_intact("requests before authentication");
  // Still able to authenticate afterwards.
  EXPECT_EQ(c.call_long({"auth", "token", kToken}).status(), 0);
  expect_server_healthy("requests before authentication");
}

TEST_F(AuthExchange, ClientsVanishingMidExchangeLeaveNothingBehind) {
  start_secured();
  for (int i = 0; i < 50; ++i) {
    RawClient c = unauthenticated();
    if (i % 2) {
      c.request({"auth", "SCRAM-SHA-256", "n,,n=u" + std::to_string(i) + ",r=nonce"});
    } else {
      // Half an auth request: its head promises more than is sent.
      std::string req = "0003" + n20_field(4) + "auth" + n20_field(13) + "SCRAM-SHA-256" + n20_field(1000) + "n,,";
      c.send(req);
    }
    c.close();
  }
  expect_server_healthy("vanishing mid-exchange");
}

TEST_F(AuthExchange, AGuessingFloodDoesNotHoldUpOthers) {
  start_secured();
  for (int i = 0; i < 200; ++i) {
    RawClient c = unauthenticated();
    LongReply r = c.call_long({"auth", "token", "guess-" + std::to_string(i) + "-0123456789abcdef"});
    ASSERT_EQ(r.status(), proto::kNotAuthenticated);
    if (i % 50 == 0) EXPECT_LT(innocent_round_trip().count(), kInnocentRoundTripMs);
  }
  expect_server_healthy("guessing flood");
}

TEST_F(AuthExchange, AuthOnAServerWithoutItIsAnErrorNotAFailure) {
  use_token("");
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker(true);
  LongReply r = c.call_long({"auth", "token", "anything"});
  EXPECT_EQ(r.status(), proto::kFailed);
  EXPECT_NE(std::string(r.head.metadata.get("nwsReason").value_or("")).find("does not ask for authentication"),
            std::string::npos);
  EXPECT_EQ(c.call_short({"use ws", kArena, "", "no"}), 0);  // the connection goes on
  expect_server_healthy("auth without authentication");
}

}  // namespace
}  // namespace nws::test
