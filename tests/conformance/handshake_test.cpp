// §21 items 1-2: greetings, option negotiation, and what the negotiated
// options do to the framing of requests and replies (§3, §5.1, §6).
#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

using HandshakeTest = ConformanceTest;

// `open ws` of 17.1, then `store ws x "hello"` of 17.2, as exact bytes.
const std::string kOpenWs = test::encode_request({"open ws", "ws", "4242", "no"});
const std::string kStoreHello = test::encode_request({"store", "ws", "x", kPyString, "hello"});
const std::string kFetchX = test::encode_request({"fetch", "ws", "x"});

// Sends X000 and reads P000 + the advertised dict, entry by entry (the
// order of entries is unspecified).
proto::Dict read_advertisement(RawClient& c) {
  c.send("X000");
  EXPECT_EQ(c.read_exact(4), "P000");
  proto::Dict adv;
  int count = std::stoi(c.read_exact(4));
  for (int i = 0; i < count; ++i) {
    std::string key = c.read_exact(std::stoul(c.read_exact(4)));
    std::string value = c.read_exact(std::stoul(c.read_exact(4)));
    adv.set(key, value);
  }
  return adv;
}

TEST_F(HandshakeTest, NewStyleGreetingGetsNonEmptyAdvertisementAndEmptyRequestIsAccepted) {
  RawClient c(server_.port());
  proto::Dict adv = read_advertisement(c);
  ASSERT_FALSE(adv.empty()) << "an empty advertisement crashes the Python client";
  for (const char* key : {"MetadataToServer", "MetadataFromServer", "NwsCancel"})
    EXPECT_EQ(adv.get(key), std::optional<std::string_view>("")) << key << " must be advertised with ''";
  // Clients may not stop this server (no --allow-client-shutdown): the
  // option is not offered.  Its value limit is, for clients to check first.
  EXPECT_FALSE(adv.get("KillServerOnClose"));
  EXPECT_EQ(adv.get("NwsMaxValueSize"), std::optional<std::string_view>("8589934592"));
  c.send("R0000000");
  EXPECT_EQ(c.read_exact(4), "A000");
  // The command phase has begun: 17.1 is answered with a bare 0000.
  c.send(kOpenWs);
  EXPECT_EQ(c.read_exact(4), "0000");
}

TEST_F(HandshakeTest, Greeting1112GetsReply2223AndCookieLongReplies) {
  RawClient c(server_.port());
  c.send("1112");
  ASSERT_EQ(c.read_exact(4), "2223");
  c.send(kOpenWs + kStoreHello);
  ASSERT_EQ(c.read_exact(8), "00000000");
  c.send(kFetchX);
  // 17.3: 89 bytes; the variable id is the server's, 20 digits (OQ4).
  std::string reply = c.read_exact(89);
  EXPECT_EQ(reply.substr(0, 24), "0000" + std::string(kPyString));
  EXPECT_EQ(reply.substr(24, 20).find_first_not_of("0123456789"), std::string::npos) << reply.substr(24, 20);
  EXPECT_EQ(reply.substr(44), n20(0) + n20(5) + "hello");
}

TEST_F(HandshakeTest, Greeting0000GetsReply2223AndLongRepliesWithoutCookie) {
  RawClient c(server_.port());
  c.send("0000");
  ASSERT_EQ(c.read_exact(4), "2223");
  c.send(kOpenWs + kStoreHello + kFetchX);
  // 0000 + 0000 for open/store, then the 49-byte no-cookie reply of 17.3.
  EXPECT_EQ(c.read_exact(8 + 49), "00000000" "0000" + std::string(kPyString) + n20(5) + "hello");
  EXPECT_EQ(c.read_available(100), "") << "no cookie bytes may follow";
}

TEST_F(HandshakeTest, Greeting1111AlsoSelectsTheNoCookieFormat) {
  RawClient c(server_.port());
  c.send("1111");
  ASSERT_EQ(c.read_exact(4), "2223");
  c.send(kOpenWs + test::encode_request({"fetchTry", "ws", "x"}));
  // 0000, then a failed fetchTry without id and index: status + descriptor + length.
  EXPECT_EQ(c.read_exact(4 + 44), "0000" "0001" + n20(0) + n20(0));
}

TEST_F(HandshakeTest, RequestingAnUnadvertisedOptionGetsF000AndClose) {
  RawClient c(server_.port());
  read_advertisement(c);
  c.send("R000" "0001" "0003" "SSL" "0001" "1");
  std::string tail;
  ASSERT_TRUE(c.wait_closed(10000, &tail));
  EXPECT_EQ(tail, "F000");
}

TEST_F(HandshakeTest, AnythingButR000AfterTheAdvertisementClosesTheConnection) {
  RawClient c(server_.port());
  read_advertisement(c);
  c.send("Q000" "0000");
  std::string tail;
  ASSERT_TRUE(c.wait_closed(10000, &tail));
  EXPECT_EQ(tail.find("A000"), std::string::npos);
}

TEST_F(HandshakeTest, MetadataFromServerPrefixesEverySuccessReplyWithAnEmptyDict) {
  RawClient c = connect({{"MetadataFromServer", "1"}});
  c.send(kOpenWs);
  EXPECT_EQ(c.read_exact(8), "0000" "0000");  // dict count 0, then status 0
  c.send(kStoreHello + kFetchX);
  EXPECT_EQ(c.read_exact(8), "0000" "0000");
  std::string reply = c.read_exact(4 + 89);
  EXPECT_EQ(reply.substr(0, 28), "0000" "0000" + std::string(kPyString));
  EXPECT_EQ(reply.substr(48), n20(0) + n20(5) + "hello");
  c.send(test::encode_request({"list vars", "ws"}));
  EXPECT_EQ(c.read_exact(8 + 80 + 12), "0000" "0000" + n20(1) + spaces20() + n20(0) + n20(12) + "x\t0\t0\t0\tfifo");
}

TEST_F(HandshakeTest, MetadataFromServerErrorRepliesCarryNwsReason) {
  RawClient c = connect_and_open("ws", {{"MetadataFromServer", "1"}});
  // 17.4 exactly: the reason dict, then the 84-byte failed fetchTry.
  c.send(test::encode_request({"fetchTry", "ws", "x"}));
  EXPECT_EQ(c.read_exact(39 + 84), "0001" "0009" "nwsReason" "0018" "no value available" + long_error_bytes(1));
  // Short errors carry a reason too (text is informational: check presence).
  proto::Dict md;
  c.request({"store", "nowhere", "x", kPyString, "v"});
  EXPECT_EQ(c.read_short(&md), 2001);
  ASSERT_TRUE(md.contains("nwsReason"));
  EXPECT_FALSE(md.get("nwsReason")->empty());
  c.request({"declare var", "ws", "y", "no-such-mode"});
  EXPECT_EQ(c.read_short(&md), 1);
  EXPECT_TRUE(md.contains("nwsReason"));
}

TEST_F(HandshakeTest, MetadataToServerParsesTheLeadingDictOfEveryRequest) {
  RawClient c = connect({{"MetadataToServer", "1"}});
  // 17.5: a store preceded by {batchId: 3}; every other request by 0000.
  c.send("0000" + kOpenWs);
  EXPECT_EQ(c.read_exact(4), "0000");
  c.send("0001" "0007" "batchId" "0001" "3" + kStoreHello);
  EXPECT_EQ(c.read_exact(4), "0000");
  c.send("0000" + test::encode_request({"list vars", "ws"}));
  LongReply r = c.read_long();
  EXPECT_EQ(r.value, "x\t1\t0\t0\tfifo");
}

TEST_F(HandshakeTest, StoredRequestMetadataComesBackWithTheValue) {
  const proto::Dict both{{"MetadataToServer", "1"}, {"MetadataFromServer", "1"}};
  RawClient writer = connect_and_open("ws", both);
  RawClient reader = connect(both);
  reader.open("ws");
  writer.request({"store", "ws", "x", kPyString, "v1"}, proto::Dict{{"batchId", "3"}, {"delay", "0.5"}});
  ASSERT_EQ(writer.read_short(), 0);
  LongReply found = reader.call_long({"find", "ws", "x"});
  ASSERT_EQ(found.status(), 0);
  EXPECT_EQ(found.value, "v1");
  EXPECT_EQ(found.head.metadata, (proto::Dict{{"batchId", "3"}, {"delay", "0.5"}}));
  // A blocked fetcher receives the metadata of the store that releases it.
  LongReply first = reader.call_long({"fetch", "ws", "x"});
  ASSERT_EQ(first.value, "v1");
  reader.request({"fetch", "ws", "x"});
  RawClient observer = connect_and_open("ws");
  ASSERT_TRUE(wait_for_waiters(observer, "ws", "x", 1, 0));
  writer.request({"store", "ws", "x", kPyString, "v2"}, proto::Dict{{"batchId", "4"}});
  ASSERT_EQ(writer.read_short(), 0);
  LongReply released = reader.read_long();
  EXPECT_EQ(released.value, "v2");
  EXPECT_EQ(released.head.metadata, (proto::Dict{{"batchId", "4"}}));
}

}  // namespace
}  // namespace nws::conformance
