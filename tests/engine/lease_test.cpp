// Leased fetch (NwsLease) in the engine: a leased value is out of its
// variable until acknowledged, and goes back to the head of the variable
// when the lease is released, expires or its connection closes.
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

// The engine's clock in these tests, moved by hand.
std::int64_t g_now = 0;

EngineConfig lease_config() {
  EngineConfig c = test_config();
  c.clock_ms = [] { return g_now; };
  c.first_lease_id = 500;
  return c;
}

class LeaseTest : public EngineTest {
 protected:
  LeaseTest() : EngineTest(lease_config()) { g_now = 0; }

  Session& client(int i) {
    Session& s = connect(i);
    s.lease_enabled = true;
    open(s);
    return s;
  }
  // A leased fetch that must succeed: the lease id (from the reply's index).
  std::uint64_t lease(Session& s, const std::string& var, const std::string& expect, const std::string& ms = "1000") {
    RecordedReply r = call(s, {"lease fetch", "ws", var, ms});
    EXPECT_TRUE(IsValue(r, expect));
    return static_cast<std::uint64_t>(r.index);
  }
  std::string fetch(Session& s, const std::string& var) {
    RecordedReply r = call(s, {"fetchTry", "ws", var});
    return r.status == 0 ? r.value : "<none>";
  }
  RecordedReply settle(Session& s, const std::string& verb, std::uint64_t id) {
    return call(s, {verb, std::to_string(id)});
  }
};

TEST_F(LeaseTest, RefusedUnlessNegotiated) {
  Session& s = connect(1);
  open(s);
  store(s, "ws", "task", "a");
  RecordedReply r = call(s, {"lease fetch", "ws", "task", "1000"});
  EXPECT_TRUE(IsLongError(r, kFailed));
  EXPECT_NE(r.reason.find("NwsLease"), std::string::npos) << r.reason;
  EXPECT_EQ(fetch(s, "task"), "a");  // nothing was taken
}

TEST_F(LeaseTest, AcknowledgedValueIsGone) {
  Session& s = client(1);
  store(s, "ws", "task", "a");
  std::uint64_t id = lease(s, "task", "a");
  EXPECT_GE(id, 500u);
  EXPECT_EQ(fetch(s, "task"), "<none>");
  EXPECT_TRUE(IsShort(settle(s, "lease ack", id), kOk));
  EXPECT_EQ(engine.lease_count(), 0u);
  // A second acknowledgement says the lease is no longer held, and why.
  RecordedReply again = settle(s, "lease ack", id);
  EXPECT_TRUE(IsShort(again, proto::kLeaseNotHeld));
  EXPECT_NE(again.reason.find("acknowledged"), std::string::npos) << again.reason;
}

TEST_F(LeaseTest, ReleasedValueGoesBackToTheFrontOfAFifo) {
  Session& s = client(1);
  for (const char* v : {"a", "b", "c"}) store(s, "ws", "task", v);
  std::uint64_t id = lease(s, "task", "a");
  EXPECT_TRUE(IsShort(settle(s, "lease release", id), kOk));
  EXPECT_EQ(fetch(s, "task"), "a");
  EXPECT_EQ(fetch(s, "task"), "b");
  EXPECT_EQ(fetch(s, "task"), "c");
}

TEST_F(LeaseTest, ReleasedValueGoesBackToTheTopOfALifo) {
  Session& s = client(1);
  declare(s, "ws", "stack", "lifo");
  for (const char* v : {"a", "b"}) store(s, "ws", "stack", v);
  std::uint64_t id = lease(s, "stack", "b");
  store(s, "ws", "stack", "c");
  EXPECT_TRUE(IsShort(settle(s, "lease release", id), kOk));
  EXPECT_EQ(fetch(s, "stack"), "b");
  EXPECT_EQ(fetch(s, "stack"), "c");
  EXPECT_EQ(fetch(s, "stack"), "a");
}

TEST_F(LeaseTest, ASingleVariableKeepsTheNewerValue) {
  Session& s = client(1);
  declare(s, "ws", "latest", "single");
  store(s, "ws", "latest", "old");
  std::uint64_t id = lease(s, "latest", "old");
  store(s, "ws", "latest", "new");
  EXPECT_TRUE(IsShort(settle(s, "lease release", id), kOk));
  EXPECT_EQ(fetch(s, "latest"), "new");
  EXPECT_EQ(fetch(s, "latest"), "<none>");
}

TEST_F(LeaseTest, ClosingTheHoldersConnectionHandsTheValueToTheNextFetcher) {
  Session& holder = client(1);
  Session& other = client(2);
  store(holder, "ws", "task", "a");
  lease(holder, "task", "a");
  call_blocking(other, {"fetch", "ws", "task"});
  engine.close_session(holder);
  EXPECT_TRUE(IsValue(released(other), "a"));
  EXPECT_EQ(fetch(other, "task"), "<none>");
  EXPECT_EQ(engine.lease_count(), 0u);
}

TEST_F(LeaseTest, ABlockedLeasedFetchTakesAStoredValueUnderALease) {
  Session& writer = client(1);  // the owner: the workspace outlives the waiter
  Session& waiter = client(2);
  call_blocking(waiter, {"lease fetch", "ws", "task", "1000"});
  store(writer, "ws", "task", "a");
  RecordedReply r = released(waiter);
  EXPECT_TRUE(IsValue(r, "a"));
  EXPECT_EQ(engine.lease_count(), 1u);
  engine.close_session(waiter);
  EXPECT_EQ(fetch(writer, "task"), "a");
}

TEST_F(LeaseTest, AnExpiredLeaseGivesItsValueBackAndALateAckIsTold) {
  Session& s = client(1);
  store(s, "ws", "task", "a");
  std::uint64_t id = lease(s, "task", "a", "100");
  ASSERT_EQ(engine.next_lease_deadline(), std::optional<std::int64_t>(100));
  g_now = 99;
  engine.expire_leases();
  EXPECT_EQ(engine.lease_count(), 1u);
  g_now = 100;
  engine.expire_leases();
  EXPECT_EQ(engine.lease_count(), 0u);
  EXPECT_FALSE(engine.next_lease_deadline());
  RecordedReply late = settle(s, "lease ack", id);
  EXPECT_TRUE(IsShort(late, proto::kLeaseNotHeld));
  EXPECT_NE(late.reason.find("expired after 100 ms"), std::string::npos) << late.reason;
  EXPECT_NE(late.reason.find("went back to variable 'task'"), std::string::npos) << late.reason;
  EXPECT_EQ(fetch(s, "task"), "a");
}

TEST_F(LeaseTest, RenewingMovesTheDeadline) {
  Session& s = client(1);
  store(s, "ws", "task", "a");
  std::uint64_t id = lease(s, "task", "a", "100");
  g_now = 50;
  EXPECT_TRUE(IsShort(call(s, {"lease renew", std::to_string(id), "100"}), kOk));
  g_now = 120;
  engine.expire_leases();
  EXPECT_EQ(engine.lease_count(), 1u);
  EXPECT_TRUE(IsShort(settle(s, "lease ack", id), kOk));
}

TEST_F(LeaseTest, AckStoreStoresAndAcknowledgesInOneStep) {
  Session& s = client(1);
  store(s, "ws", "task", "a");
  std::uint64_t id = lease(s, "task", "a");
  EXPECT_TRUE(IsShort(call(s, {"lease ack store", "ws", "done", "16777217", "A", std::to_string(id)}), kOk));
  EXPECT_EQ(engine.lease_count(), 0u);
  EXPECT_EQ(fetch(s, "done"), "A");
  // With a lease that is not held, nothing is stored.
  RecordedReply r = call(s, {"lease ack store", "ws", "done", "16777217", "B", std::to_string(id)});
  EXPECT_TRUE(IsShort(r, proto::kLeaseNotHeld));
  EXPECT_EQ(fetch(s, "done"), "<none>");
}

TEST_F(LeaseTest, AFailedStoreLeavesTheLeaseHeld) {
  Session& s = client(1);
  store(s, "ws", "task", "a");
  std::uint64_t id = lease(s, "task", "a");
  RecordedReply r = call(s, {"lease ack store", "elsewhere", "done", "16777217", "B", std::to_string(id)});
  EXPECT_TRUE(IsShort(r, kNotOpened));
  EXPECT_EQ(engine.lease_count(), 1u);
  EXPECT_TRUE(IsShort(settle(s, "lease ack", id), kOk));
}

TEST_F(LeaseTest, OnlyTheHolderSettlesALease) {
  Session& holder = client(1);
  Session& other = client(2);
  store(holder, "ws", "task", "a");
  std::uint64_t id = lease(holder, "task", "a");
  RecordedReply r = settle(other, "lease ack", id);
  EXPECT_TRUE(IsShort(r, proto::kLeaseNotHeld));
  EXPECT_NE(r.reason.find("No lease " + std::to_string(id)), std::string::npos) << r.reason;
  EXPECT_TRUE(IsShort(settle(holder, "lease ack", id), kOk));
}

TEST_F(LeaseTest, AValueWhoseVariableWasDeletedIsDropped) {
  Session& s = client(1);
  store(s, "ws", "task", "a");
  std::uint64_t id = lease(s, "task", "a");
  EXPECT_TRUE(IsShort(call(s, {"delete var", "ws", "task"}), kOk));
  EXPECT_TRUE(IsShort(settle(s, "lease release", id), kOk));
  EXPECT_EQ(fetch(s, "task"), "<none>");
}

TEST_F(LeaseTest, BadArgumentsAreRefusedWithReasons) {
  Session& s = client(1);
  store(s, "ws", "task", "a");
  for (const char* ms : {"0", "-5", "soon", "9999999999"}) {
    RecordedReply r = call(s, {"lease fetch", "ws", "task", ms});
    EXPECT_TRUE(IsLongError(r, kFailed)) << ms;
    EXPECT_NE(r.reason.find("milliseconds"), std::string::npos) << r.reason;
  }
  EXPECT_TRUE(IsShort(call(s, {"lease ack", "x1"}), proto::kLeaseNotHeld));
  declare(s, "ws", "clock", "__time");
  RecordedReply t = call(s, {"lease fetch", "ws", "clock", "100"});
  EXPECT_TRUE(IsLongError(t, kFailed));
  EXPECT_NE(t.reason.find("holds values"), std::string::npos) << t.reason;
  EXPECT_EQ(fetch(s, "task"), "a");
}

TEST_F(LeaseTest, AnEmptyVariableAnswersTheTryFormWithNoValue) {
  Session& s = client(1);
  RecordedReply r = call(s, {"lease fetchTry", "ws", "task", "100"});
  EXPECT_TRUE(IsLongError(r, kFailed));
  EXPECT_EQ(r.reason, "no value available");
}

}  // namespace
}  // namespace nws::engine::test
