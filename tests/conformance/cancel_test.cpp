// A request sent while another is blocked: with the negotiated NwsCancel
// extension (docs/protocol-extensions.md) `cancel` withdraws the blocked
// request; without it the connection gets an error and is closed (§5.4,
// Q10).  Either way no later value may be lost to the abandoned request.
#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

using CancelTest = ConformanceTest;

const proto::Dict kCancel{{"NwsCancel", "1"}};

TEST_F(CancelTest, CancelAnswersTheBlockedFetchWithStatus2ThenItselfWith0) {
  RawClient a = connect_and_open("ws", kCancel);
  RawClient observer = connect_and_open("ws");
  a.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(observer, "ws", "x", 1, 0));
  a.send(test::encode_request({"cancel"}));
  EXPECT_EQ(a.read_exact(84 + 4), long_error_bytes(2) + "0000");
  EXPECT_EQ(find_var(list_vars(observer, "ws"), "x")->fetchers, 0);
  // The connection stays usable.
  a.store("ws", "y", "v");
  EXPECT_EQ(a.call_long({"fetchTry", "ws", "y"}).value, "v");
}

TEST_F(CancelTest, CancelledFindIsWithdrawnFromTheFinderQueue) {
  RawClient a = connect_and_open("ws", kCancel);
  RawClient observer = connect_and_open("ws");
  a.request({"find", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(observer, "ws", "x", 0, 1));
  a.send(test::encode_request({"cancel"}));
  EXPECT_EQ(a.read_exact(84 + 4), long_error_bytes(2) + "0000");
  EXPECT_EQ(find_var(list_vars(observer, "ws"), "x")->finders, 0);
}

TEST_F(CancelTest, CancelledReplyCarriesItsReasonWithMetadataFromServer) {
  RawClient a = connect_and_open("ws", {{"NwsCancel", "1"}, {"MetadataFromServer", "1"}});
  RawClient observer = connect_and_open("ws");
  a.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(observer, "ws", "x", 1, 0));
  a.request({"cancel"});
  LongReply cancelled = a.read_long();
  EXPECT_EQ(cancelled.status(), 2);
  EXPECT_EQ(cancelled.head.metadata.get("nwsReason"), std::optional<std::string_view>("Request cancelled."));
  proto::Dict md;
  EXPECT_EQ(a.read_short(&md), 0);
  EXPECT_TRUE(md.empty());
}

TEST_F(CancelTest, ValueStoredAfterCancelStaysInTheVariable) {
  RawClient a = connect_and_open("ws", kCancel);
  RawClient b = connect_and_open("ws");
  a.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(b, "ws", "x", 1, 0));
  a.request({"cancel"});
  ASSERT_EQ(a.read_long().status(), 2);
  ASSERT_EQ(a.read_short(), 0);
  b.store("ws", "x", "after");
  EXPECT_EQ(find_var(list_vars(b, "ws"), "x")->values, 1);
  // The store was acknowledged: had it gone to `a`, it would be there now.
  EXPECT_EQ(a.read_available(200), "");
  RawClient c = connect_and_open("ws");
  EXPECT_EQ(c.call_long({"fetchTry", "ws", "x"}).value, "after");
}

TEST_F(CancelTest, ValueStoredAfterCancelGoesToTheNextWaitingFetcher) {
  RawClient a = connect_and_open("ws", kCancel);
  RawClient next = connect_and_open("ws");
  RawClient writer = connect_and_open("ws");
  a.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 1, 0));
  next.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 2, 0));
  a.request({"cancel"});
  ASSERT_EQ(a.read_long().status(), 2);
  ASSERT_EQ(a.read_short(), 0);
  writer.store("ws", "x", "v");
  EXPECT_EQ(next.read_long().value, "v");
  EXPECT_EQ(a.read_available(200), "") << "the cancelled request got nothing more";
  EXPECT_EQ(list_vars(writer, "ws"), "x\t0\t0\t0\tfifo");
}

// The race the extension describes: the value arrives before the cancel.
TEST_F(CancelTest, CancelAfterTheValueArrivedDeliversTheValueAndFailsWithStatus1) {
  RawClient a = connect_and_open("ws", kCancel);
  RawClient b = connect_and_open("ws");
  a.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(b, "ws", "x", 1, 0));
  b.store("ws", "x", "won");  // acknowledged: the value was sent to `a`
  a.request({"cancel"});
  LongReply value = a.read_long();
  EXPECT_EQ(value.status(), 0);
  EXPECT_EQ(value.value, "won");
  EXPECT_EQ(a.read_short(), 1) << "no blocked request to cancel";
}

TEST_F(CancelTest, CancelWithNothingBlockedFailsWithStatus1) {
  RawClient a = connect_and_open("ws", kCancel);
  EXPECT_EQ(a.call_short({"cancel"}), 1);
  EXPECT_EQ(a.call_short({"store", "ws", "x", kPyString, "v"}), 0) << "still usable";
}

TEST_F(CancelTest, WithoutNegotiationARequestWhileBlockedGetsAnErrorAndTheConnectionCloses) {
  RawClient owner = connect_and_open("ws");
  RawClient a = connect();
  ASSERT_EQ(a.call_short({"use ws", "ws", "", "no"}), 0);
  a.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(owner, "ws", "x", 1, 0));
  // A pipelined store: refused, and it must not run (unlike the original).
  a.send(test::encode_request({"store", "ws", "y", kPyString, "pipelined"}));
  std::string tail;
  ASSERT_TRUE(a.wait_closed(10000, &tail));
  EXPECT_EQ(tail, "0001") << "exactly one short error, nothing else";
  EXPECT_TRUE(wait_for_waiters(owner, "ws", "x", 0, 0)) << "the blocked fetch was withdrawn";
  EXPECT_FALSE(find_var(list_vars(owner, "ws"), "y").has_value()) << "the refused store did not run";
  // A value stored now is not lost to the dead connection.
  owner.store("ws", "x", "kept");
  RawClient other = connect_and_open("ws");
  EXPECT_EQ(other.call_long({"fetchTry", "ws", "x"}).value, "kept");
}

TEST_F(CancelTest, WithoutNegotiationCancelIsJustAnotherRefusedRequest) {
  RawClient owner = connect_and_open("ws");
  RawClient a = connect();
  ASSERT_EQ(a.call_short({"use ws", "ws", "", "no"}), 0);
  a.request({"find", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(owner, "ws", "x", 0, 1));
  a.request({"cancel"});
  std::string tail;
  ASSERT_TRUE(a.wait_closed(10000, &tail));
  EXPECT_EQ(tail, "0001");
  EXPECT_TRUE(wait_for_waiters(owner, "ws", "x", 0, 0));
  owner.store("ws", "x", "kept");
  RawClient other = connect_and_open("ws");
  EXPECT_EQ(other.call_long({"fetchTry", "ws", "x"}).value, "kept");
}

}  // namespace
}  // namespace nws::conformance
