// Verbs the server does not know (PROTOCOL.md §12, Quirk Q7): a short reply
// with status 1, whatever the verb looks like, and the connection stays in
// step for the next request.
#include "harness.hpp"

namespace nws::test {
namespace {

using UnknownVerb = BadInputTest;

TEST_F(UnknownVerb, GetsShortStatusOneAndTheConnectionStaysUsable) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker(true);
  const std::vector<std::string> verbs = {
      "bogus", "", "STORE", "Store", "store ", " fetch", "list  vars", "fetchtry", "delete",
      std::string("fetch\0", 6), std::string("\xff\xfe\x00\x01", 4), std::string(60000, 'v'),
      "cancel me",  // near our extension's verb
  };
  for (const std::string& verb : verbs) {
    std::string what = "unknown verb '" + verb.substr(0, 16) + "' (" + std::to_string(verb.size()) + " bytes)";
    SCOPED_TRACE(what);
    // Arguments that would harm the bystander if the verb were mistaken for
    // a real one.
    c.request({verb, kBystanderWs, "kept"});
    proto::Dict md;
    EXPECT_EQ(c.read_short(&md), 1);
    auto reason = md.get("nwsReason");
    ASSERT_TRUE(reason.has_value()) << "an error reply without nwsReason";
    EXPECT_NE(reason->find("nknown verb"), std::string::npos) << *reason;
    LongReply next = c.call_long({"findTry", kBystanderWs, "kept"});
    EXPECT_EQ(next.status(), 0);
    EXPECT_TRUE(next.value == bystander_value());
    expect_server_healthy(what);
  }
}

TEST_F(UnknownVerb, AVerbOverTheFieldLimitIsRefusedAndTheConnectionStaysUsable) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker(true);
  c.request({std::string(100000, 'v'), kBystanderWs, "kept"});
  proto::Dict md;
  EXPECT_EQ(c.read_short(&md), 1);
  ASSERT_TRUE(md.get("nwsReason"));
  EXPECT_NE(md.get("nwsReason")->find("longer than the 65536 bytes"), std::string::npos) << *md.get("nwsReason");
  LongReply next = c.call_long({"findTry", kBystanderWs, "kept"});
  EXPECT_EQ(next.status(), 0);
  EXPECT_TRUE(next.value == bystander_value());
  expect_server_healthy("a 100000-byte verb");
}

TEST_F(UnknownVerb, ManyPipelinedUnknownVerbsEachGetOneReplyInOrder) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker();
  // Unknown verbs interleaved with real stores: every request gets exactly
  // one reply, in order, and only the real ones take effect.
  std::string burst;
  for (int i = 0; i < 500; ++i) {
    burst += encode_request({"verb" + std::to_string(i), kArena, "burst"});
    burst += encode_request({"store", kArena, "burst", n20_field(1), std::to_string(i)});
  }
  c.send(burst);
  for (int i = 0; i < 500; ++i) {
    ASSERT_EQ(c.read_short(), 1) << "reply to unknown verb " << i;
    ASSERT_EQ(c.read_short(), 0) << "reply to store " << i;
  }
  EXPECT_EQ(var_line("burst"), "burst\t500\t0\t0\tfifo");
  EXPECT_EQ(c.call_long({"fetch", kArena, "burst"}).value, "0");
  expect_server_healthy("500 pipelined unknown verbs");
}

}  // namespace
}  // namespace nws::test
