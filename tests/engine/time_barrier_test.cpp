// The two pseudo-variable modes reachable by `declare var`: `__time`
// (PROTOCOL.md §9.6) and `__barrier` (§9.7).
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class TimeTest : public EngineTest {
 protected:
  void SetUp() override {
    open(a);
    declare(a, "ws", "t", "__time");
  }
  Session& a = connect(0);
};

TEST_F(TimeTest, EveryRetrievalVerbReturnsTheClockTextAsServerString) {
  for (const char* verb : {"fetch", "fetchTry", "find", "findTry"}) {
    RecordedReply r = call(a, {verb, "ws", "t"});
    EXPECT_TRUE(IsValue(r, kNowText)) << verb;
    EXPECT_EQ(r.descriptor, kServerString) << verb;
    EXPECT_EQ(r.index, 0) << verb;
    EXPECT_EQ(r.var_id.size(), 20u) << verb;
  }
}

TEST_F(TimeTest, TextComesFromTheInjectedClockEachTime) {
  int calls = 0;
  RecordingSink own_sink;
  EngineConfig config;
  config.now_text = [&calls] { return "tick " + std::to_string(++calls); };
  Engine clocked(config, own_sink);
  Session& s = clocked.open_session("127.0.0.1:2000");
  clocked.execute(s, make_request({"open ws", "ws", "1", "no"}));
  clocked.execute(s, make_request({"declare var", "ws", "t", "__time"}));
  clocked.execute(s, make_request({"fetch", "ws", "t"}));
  clocked.execute(s, make_request({"find", "ws", "t"}));
  auto replies = own_sink.take(s);
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[2].value, "tick 1");
  EXPECT_EQ(replies[3].value, "tick 2");
}

TEST_F(TimeTest, EachEngineUsesItsOwnClock) {
  // A second engine in the same process (tests, an embedded server) must
  // not replace the first one's clock.
  {
    RecordingSink other_sink;
    EngineConfig config;
    config.now_text = [] { return std::string("other clock"); };
    Engine other(config, other_sink);
    Session& s = other.open_session("127.0.0.1:2000");
    other.execute(s, make_request({"open ws", "ws", "1", "no"}));
    other.execute(s, make_request({"declare var", "ws", "t", "__time"}));
    other.execute(s, make_request({"find", "ws", "t"}));
    EXPECT_EQ(other_sink.take(s).back().value, "other clock");
    EXPECT_TRUE(IsValue(call(a, {"find", "ws", "t"}), kNowText));
  }
  // And the first engine still works once the second is gone.
  EXPECT_TRUE(IsValue(call(a, {"find", "ws", "t"}), kNowText));
}

TEST_F(TimeTest, FetchRemovesNothingAndListingShowsOneValue) {
  call(a, {"fetch", "ws", "t"});
  call(a, {"fetch", "ws", "t"});
  EXPECT_EQ(list_vars(a), "t\t1\t0\t0\t__time");
}

TEST_F(TimeTest, StoreIsRefused) {
  RecordedReply r = call(a, {"store", "ws", "t", "1", "x"});
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "Store is not supported for this variable.");
}

class BarrierTest : public EngineTest {
 protected:
  void SetUp() override {
    for (Session* s : {&a, &b, &c}) open(*s);
    declare(a, "ws", "bar", "__barrier");
  }
  RecordedReply join(Session& s) { return call(s, {"store", "ws", "bar", "1", "anything"}); }
  std::string find_try(Session& s) {
    RecordedReply r = call(s, {"findTry", "ws", "bar"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.descriptor, kServerString);
    return r.value;
  }
  Session& a = connect(0);
  Session& b = connect(1);
  Session& c = connect(2);
};

TEST_F(BarrierTest, StoreJoinsOnceAndSecondJoinIsAnError) {
  EXPECT_TRUE(IsShort(join(a), 0));
  RecordedReply r = join(a);
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "Client attempting to join barrier group, but is already a member");
  EXPECT_EQ(find_try(b), "0 out of 1 at barrier");
}

TEST_F(BarrierTest, FindTryReportsBlockedAndMembersEvenToNonMembers) {
  EXPECT_EQ(find_try(c), "0 out of 0 at barrier");
  join(a);
  join(b);
  call_blocking(a, {"find", "ws", "bar"});
  EXPECT_EQ(find_try(c), "1 out of 2 at barrier");
}

TEST_F(BarrierTest, LastMemberToArriveReleasesEveryone) {
  join(a);
  join(b);
  join(c);
  call_blocking(a, {"find", "ws", "bar"});
  call_blocking(b, {"find", "ws", "bar"});
  EXPECT_EQ(list_vars(c), "bar\t3\t0\t2\t__barrier");
  std::size_t before = sink.log().size();
  auto replies = run(c, {"find", "ws", "bar"});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsValue(replies[0], "3"));
  EXPECT_EQ(replies[0].descriptor, kServerString);
  RecordedReply ra = released(a), rb = released(b);
  EXPECT_TRUE(IsValue(ra, "3"));
  EXPECT_TRUE(IsValue(rb, "3"));
  // The waiting finders are answered before the one that arrived last.
  ASSERT_EQ(sink.log().size(), before + 3);
  EXPECT_EQ(sink.log()[before].session, a.id);
  EXPECT_EQ(sink.log()[before + 1].session, b.id);
  EXPECT_EQ(sink.log()[before + 2].session, c.id);
  EXPECT_EQ(list_vars(a), "bar\t3\t0\t0\t__barrier");
  // The group stays: it can meet again.
  call_blocking(a, {"find", "ws", "bar"});
  EXPECT_EQ(find_try(c), "1 out of 3 at barrier");
}

TEST_F(BarrierTest, SoleMemberPassesAtOnce) {
  join(a);
  EXPECT_TRUE(IsValue(call(a, {"find", "ws", "bar"}), "1"));
}

TEST_F(BarrierTest, FindByNonMemberFails) {
  join(a);
  RecordedReply r = call(b, {"find", "ws", "bar"});
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(r.reason, "Client has not joined this barrier group.");
}

TEST_F(BarrierTest, FetchByNonMemberFails) {
  EXPECT_TRUE(IsLongError(call(a, {"fetch", "ws", "bar"}), 1));
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "bar"}), 1));
}

TEST_F(BarrierTest, FetchLeavesWithEmptyServerString) {
  join(a);
  join(b);
  RecordedReply r = call(a, {"fetch", "ws", "bar"});
  EXPECT_TRUE(IsValue(r, ""));
  EXPECT_EQ(r.descriptor, kServerString);
  EXPECT_EQ(find_try(c), "0 out of 1 at barrier");
  // Left: a second leave fails, and a join is allowed again.
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "bar"}), 1));
  EXPECT_TRUE(IsShort(join(a), 0));
}

TEST_F(BarrierTest, FetchTryAlsoLeaves) {
  join(a);
  EXPECT_TRUE(IsValue(call(a, {"fetchTry", "ws", "bar"}), ""));
  EXPECT_EQ(find_try(a), "0 out of 0 at barrier");
}

TEST_F(BarrierTest, MemberLeavingReleasesFindersWhoAreNowEveryone) {
  join(a);
  join(b);
  join(c);
  call_blocking(a, {"find", "ws", "bar"});
  call_blocking(b, {"find", "ws", "bar"});
  RecordedReply r = call(c, {"fetch", "ws", "bar"});
  EXPECT_TRUE(IsValue(r, ""));
  // They get the member count from before c left.
  EXPECT_TRUE(IsValue(released(a), "3"));
  EXPECT_TRUE(IsValue(released(b), "3"));
}

TEST_F(BarrierTest, MemberLeavingDoesNotReleaseWhileOthersAreMissing) {
  join(a);
  join(b);
  join(c);
  call_blocking(a, {"find", "ws", "bar"});
  call(c, {"fetch", "ws", "bar"});  // 1 blocked, 2 members left
  EXPECT_TRUE(engine.is_blocked(a));
  EXPECT_EQ(sink.pending(a), 0u);
  EXPECT_EQ(find_try(c), "1 out of 2 at barrier");
}

TEST_F(BarrierTest, ListingShowsThreeValues) {
  EXPECT_EQ(list_vars(a), "bar\t3\t0\t0\t__barrier");
}

}  // namespace
}  // namespace nws::engine::test

namespace nws::engine::test {
namespace {

// Unlike the original (PROTOCOL.md §9.7), a member whose connection closes
// leaves the group, so the members waiting for it are released.
class BarrierLeaveTest : public EngineTest {
 protected:
  void SetUp() override {
    for (Session* s : {&a, &b, &c}) open(*s);
    declare(a, "ws", "bar", "__barrier");
    for (Session* s : {&a, &b, &c}) EXPECT_TRUE(IsShort(call(*s, {"store", "ws", "bar", "1", "x"}), 0));
  }
  Session& a = connect(0);
  Session& b = connect(1);
  Session& c = connect(2);
};

TEST_F(BarrierLeaveTest, AClosedMemberReleasesTheOthersWaitingForIt) {
  call_blocking(a, {"find", "ws", "bar"});
  call_blocking(b, {"find", "ws", "bar"});
  engine.close_session(c);  // c never arrives
  EXPECT_TRUE(IsValue(released(a), "3"));
  EXPECT_TRUE(IsValue(released(b), "3"));
  EXPECT_EQ(call(a, {"findTry", "ws", "bar"}).value, "0 out of 2 at barrier");
}

TEST_F(BarrierLeaveTest, AClosedMemberNoLongerCounts) {
  engine.close_session(c);
  call_blocking(a, {"find", "ws", "bar"});
  EXPECT_TRUE(IsValue(call(b, {"find", "ws", "bar"}), "2"));
  EXPECT_TRUE(IsValue(released(a), "2"));
}

TEST_F(BarrierLeaveTest, AMemberThatAlreadyLeftChangesNothingWhenItCloses) {
  EXPECT_TRUE(IsValue(call(c, {"fetch", "ws", "bar"}), ""));  // leaves
  call_blocking(a, {"find", "ws", "bar"});
  engine.close_session(c);
  EXPECT_EQ(call(b, {"findTry", "ws", "bar"}).value, "1 out of 2 at barrier");
}

}  // namespace
}  // namespace nws::engine::test
