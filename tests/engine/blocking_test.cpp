// A connection with a blocked request: disconnecting, sending another
// request (PROTOCOL.md §5.4, §10.4, Q10, §21 item 18), and withdrawing it
// with our negotiated `cancel` (docs/protocol-extensions.md, NwsCancel).
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class BlockingTest : public EngineTest {
 protected:
  void SetUp() override {
    for (Session* s : {&a, &b, &c}) open(*s);
  }
  Session& a = connect(0);
  Session& b = connect(1);
  Session& c = connect(2);
};

TEST_F(BlockingTest, DisconnectWithdrawsBlockedFetcher) {
  call_blocking(b, {"fetch", "ws", "x"});
  EXPECT_EQ(list_vars(a), "x\t0\t1\t0\tunknown");
  engine.close_session(b);
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
  // No one is left to take the value: it is kept.
  store(a, "ws", "x", "v");
  EXPECT_EQ(list_vars(a), "x\t1\t0\t0\tfifo");
}

TEST_F(BlockingTest, DisconnectWithdrawsBlockedFinder) {
  call_blocking(b, {"find", "ws", "x"});
  engine.close_session(b);
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(BlockingTest, ValueAfterDisconnectGoesToTheNextFetcher) {
  call_blocking(b, {"fetch", "ws", "x"});
  call_blocking(c, {"fetch", "ws", "x"});
  std::size_t before = sink.log().size();
  engine.close_session(b);
  EXPECT_EQ(sink.log().size(), before);  // a closed connection gets nothing
  store(a, "ws", "x", "v");
  EXPECT_TRUE(IsValue(released(c), "v"));
}

TEST_F(BlockingTest, RequestWhileBlockedIsRefusedWithShortErrorAndClose) {
  call_blocking(b, {"fetch", "ws", "x"});
  auto replies = run(b, {"store", "ws", "y", "1", "sneaky"});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
  EXPECT_EQ(replies[0].reason, "Received a request while already blocking on a command.");
  EXPECT_TRUE(b.close_requested);
  EXPECT_FALSE(engine.is_blocked(b));
}

TEST_F(BlockingTest, RequestWhileBlockedIsNotExecuted) {
  // The original stored the pipelined value anyway; we must not.
  call_blocking(b, {"fetch", "ws", "x"});
  run(b, {"store", "ws", "y", "1", "sneaky"});
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(BlockingTest, RequestWhileBlockedWithdrawsTheBlockedRequest) {
  // Otherwise the next value would be handed to a dead connection and lost.
  call_blocking(b, {"fetch", "ws", "x"});
  call_blocking(c, {"fetch", "ws", "x"});
  run(b, {"fetchTry", "ws", "x"});
  EXPECT_EQ(list_vars(a), "x\t0\t1\t0\tunknown");
  store(a, "ws", "x", "v");
  EXPECT_TRUE(IsValue(released(c), "v"));
  EXPECT_EQ(sink.pending(b), 0u);
}

TEST_F(BlockingTest, BlockedFinderRefusedLikeBlockedFetcher) {
  call_blocking(b, {"find", "ws", "x"});
  auto replies = run(b, {"list wss"});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
  EXPECT_TRUE(b.close_requested);
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(BlockingTest, CloseAfterRefusalPurgesOwnedWorkspaceAsUsual) {
  open(b, "mine");
  call_blocking(b, {"fetch", "ws", "x"});
  run(b, {"deadman"});
  EXPECT_FALSE(b.deadman);  // the refused request did not run
  engine.close_session(b);
  EXPECT_EQ(engine.workspaces().count("mine"), 0u);
}

TEST_F(BlockingTest, CancelWithoutNegotiationIsARequestWhileBlocked) {
  call_blocking(b, {"fetch", "ws", "x"});
  auto replies = run(b, {"cancel"});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
  EXPECT_TRUE(b.close_requested);
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(BlockingTest, CancelWhileBlockedAnswersBlockedRequestThenCancel) {
  b.cancel_enabled = true;
  call_blocking(b, {"fetch", "ws", "x"});
  auto replies = run(b, {"cancel"});
  ASSERT_EQ(replies.size(), 2u);
  // 1: the withdrawn fetch, in its own (long) kind, status 2.
  EXPECT_TRUE(IsLongError(replies[0], 2));
  EXPECT_EQ(replies[0].reason, "Request cancelled.");
  // 2: the cancel itself.
  EXPECT_TRUE(IsShort(replies[1], 0));
  EXPECT_FALSE(b.close_requested);
  EXPECT_FALSE(engine.is_blocked(b));
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(BlockingTest, CancelledFindIsWithdrawnToo) {
  b.cancel_enabled = true;
  call_blocking(b, {"ifind", "ws", "x", "", "0"});
  auto replies = run(b, {"cancel"});
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_TRUE(IsLongError(replies[0], 2));
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(BlockingTest, ValueStoredAfterCancelGoesToNobody) {
  b.cancel_enabled = true;
  call_blocking(b, {"fetch", "ws", "x"});
  run(b, {"cancel"});
  store(a, "ws", "x", "v");
  EXPECT_EQ(sink.pending(b), 0u);
  EXPECT_EQ(list_vars(a), "x\t1\t0\t0\tfifo");
  // The connection is still usable.
  EXPECT_TRUE(IsValue(call(b, {"fetch", "ws", "x"}), "v"));
}

TEST_F(BlockingTest, ValueStoredAfterCancelGoesToTheNextWaiter) {
  b.cancel_enabled = true;
  call_blocking(b, {"fetch", "ws", "x"});
  call_blocking(c, {"fetch", "ws", "x"});
  run(b, {"cancel"});
  store(a, "ws", "x", "v");
  EXPECT_TRUE(IsValue(released(c), "v"));
  EXPECT_EQ(sink.pending(b), 0u);
}

TEST_F(BlockingTest, CancelWhenNotBlockedIsShortStatusOne) {
  // Also the race where the value won: the fetch was answered first.
  b.cancel_enabled = true;
  call_blocking(b, {"fetch", "ws", "x"});
  store(a, "ws", "x", "won the race");
  EXPECT_TRUE(IsValue(released(b), "won the race"));
  RecordedReply r = call(b, {"cancel"});
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "No blocked request to cancel.");
  EXPECT_FALSE(b.close_requested);
}

TEST_F(BlockingTest, CancelWhenNeverBlockedIsShortStatusOneWithoutNegotiation) {
  EXPECT_TRUE(IsShort(call(b, {"cancel"}), 1));
  EXPECT_FALSE(b.close_requested);
}

TEST_F(BlockingTest, OtherRequestWhileBlockedIsRefusedEvenWithCancelEnabled) {
  b.cancel_enabled = true;
  call_blocking(b, {"fetch", "ws", "x"});
  auto replies = run(b, {"store", "ws", "x", "1", "v"});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
  EXPECT_TRUE(b.close_requested);
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(BlockingTest, CancelWithArgumentsWhileBlockedIsRefused) {
  b.cancel_enabled = true;
  call_blocking(b, {"fetch", "ws", "x"});
  auto replies = run(b, {"cancel", "now"});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
  EXPECT_TRUE(b.close_requested);
}

TEST_F(BlockingTest, ReleasedSessionMayIssueTheNextRequest) {
  call_blocking(b, {"fetch", "ws", "x"});
  store(a, "ws", "x", "v");
  released(b);
  EXPECT_TRUE(IsShort(call(b, {"store", "ws", "x", "1", "w"}), 0));
  EXPECT_FALSE(b.close_requested);
}

}  // namespace
}  // namespace nws::engine::test
