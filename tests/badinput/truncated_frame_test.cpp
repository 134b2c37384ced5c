// Connections that close in the middle of a request (PROTOCOL.md §5.1): the
// half request must not run, and nothing else may be disturbed.
#include "harness.hpp"

namespace nws::test {
namespace {

using TruncatedFrame = BadInputTest;

// A store into the arena that, if it ever ran, would leave a variable behind.
std::string victim_store() {
  return encode_request({"store", BadInputTest::kArena, "half", n20_field(0x01000001), "never stored"});
}

// Sends the first `cut` bytes of `bytes` on a fresh attacker, then vanishes.
void send_cut_and_close(RawClient c, const std::string& bytes, std::size_t cut) {
  c.send(bytes.substr(0, cut));
  c.close();
}

TEST_F(TruncatedFrame, ClosingInsideTheArgumentCount) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (std::size_t cut : {1u, 2u, 3u}) {
    send_cut_and_close(attacker(), victim_store(), cut);
    expect_server_healthy("close after " + std::to_string(cut) + " bytes of argc");
    EXPECT_EQ(var_line("half"), std::nullopt);
  }
}

TEST_F(TruncatedFrame, ClosingInsideALengthField) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string req = victim_store();
  // Inside the verb's length, and inside the value's length (the last one).
  std::size_t value_len_at = req.size() - std::string("never stored").size() - 20;
  for (std::size_t cut : {std::size_t{4}, std::size_t{10}, std::size_t{23}, value_len_at + 1, value_len_at + 19}) {
    send_cut_and_close(attacker(), req, cut);
    expect_server_healthy("close after " + std::to_string(cut) + " bytes, inside a length field");
    EXPECT_EQ(var_line("half"), std::nullopt);
  }
}

TEST_F(TruncatedFrame, ClosingInsideAnArgument) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string req = victim_store();
  // Inside the verb, inside the workspace name, and one byte before the end
  // of the value: all the request but its last byte has arrived.
  for (std::size_t cut : {std::size_t{26}, std::size_t{50}, req.size() - 1}) {
    send_cut_and_close(attacker(), req, cut);
    expect_server_healthy("close after " + std::to_string(cut) + " bytes, inside an argument");
    EXPECT_EQ(var_line("half"), std::nullopt);
  }
}

TEST_F(TruncatedFrame, ClosingInsideTheMetadataDictionary) {
  ASSERT_NO_FATAL_FAILURE(start());
  std::string req;
  proto::Dict md{{"batchId", "3"}, {"delay", "0.5"}};
  md.encode(req);
  const std::size_t dict_size = req.size();
  req += victim_store();
  for (std::size_t cut = 1; cut < dict_size; cut += 3) {
    RawClient c(server().port());
    c.handshake(proto::Dict{{"MetadataToServer", "1"}});
    c.request({"use ws", kArena, "", "no"}, {});
    ASSERT_EQ(c.read_short(), 0);
    send_cut_and_close(std::move(c), req, cut);
    expect_server_healthy("close after " + std::to_string(cut) + " bytes of the metadata dictionary");
    EXPECT_EQ(var_line("half"), std::nullopt);
  }
}

TEST_F(TruncatedFrame, AHalfRequestOnAConnectionThatStaysOpenDoesNotBlockOthers) {
  ASSERT_NO_FATAL_FAILURE(start());
  // The server must not wait for the rest of one client's request before
  // serving anybody else (one event loop, no blocking reads).
  RawClient stuck = attacker();
  stuck.send(victim_store().substr(0, 60));
  expect_server_healthy("a half request left hanging");
  EXPECT_EQ(var_line("half"), std::nullopt);
  // The rest arrives: the request now runs, whole and only once.
  stuck.send(victim_store().substr(60));
  EXPECT_EQ(stuck.read_short(), 0);
  EXPECT_EQ(var_line("half"), "half\t1\t0\t0\tfifo");
}

}  // namespace
}  // namespace nws::test
