// §21 items 9, 10, 11, 19: workspace lifetime and ownership (§10.4, OQ1),
// deletion and per-connection resolution (§7.2, §10.2), `mktemp ws` (§7.7).
#include <regex>

#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

using WorkspacesTest = ConformanceTest;

TEST_F(WorkspacesTest, NonPersistentWorkspaceDisappearsAfterItsOpenerDisconnects) {
  RawClient opener = connect_and_open("ws");
  opener.store("ws", "x", "v");
  RawClient observer = connect();
  ASSERT_TRUE(lists_workspace(list_wss(observer), "ws"));
  opener.close();
  // The server handles the close asynchronously: poll with a deadline.
  EXPECT_TRUE(wait_for_workspace(observer, "ws", false));
}

TEST_F(WorkspacesTest, PersistentWorkspaceOutlivesItsOpenerUntilDeleteWs) {
  RawClient opener = connect();
  ASSERT_EQ(opener.call_short({"open ws", "kept", "label", "yes"}), 0);
  opener.store("kept", "x", "v");
  opener.open("marker");  // non-persistent: its purge shows the close was handled
  opener.close();
  RawClient observer = connect();
  ASSERT_TRUE(wait_for_workspace(observer, "marker", false));
  std::string listing = list_wss(observer);
  EXPECT_TRUE(lists_workspace(listing, "kept")) << listing;
  ASSERT_EQ(observer.call_short({"use ws", "kept", "", "no"}), 0);
  EXPECT_EQ(list_vars(observer, "kept"), "x\t1\t0\t0\tfifo") << "its variables survive too";
  ASSERT_EQ(observer.call_short({"delete ws", "kept"}), 0);
  EXPECT_FALSE(lists_workspace(list_wss(observer), "kept"));
}

// OQ1 (docs/architecture.md): a second connection that `open ws`-es somebody else's
// workspace gets the `>` mark but does not purge it when it leaves.
TEST_F(WorkspacesTest, OnlyTheRealOwnersDisconnectPurgesANonPersistentWorkspace) {
  RawClient owner = connect_and_open("ws");
  owner.store("ws", "x", "v");
  RawClient other = connect_and_open("ws");
  EXPECT_EQ(other.call_long({"list wss", "ws"}).value.substr(0, 4), ">ws\t") << "Q1 mark kept";
  // Park `other` in a blocked fetch so that its close is observable.
  other.request({"fetch", "ws", "parked"});
  RawClient observer = connect();
  ASSERT_EQ(observer.call_short({"use ws", "ws", "", "no"}), 0);
  ASSERT_TRUE(wait_for_waiters(observer, "ws", "parked", 1, 0));
  other.close();
  ASSERT_TRUE(wait_for_waiters(observer, "ws", "parked", 0, 0)) << "the close was processed";
  EXPECT_TRUE(lists_workspace(list_wss(observer), "ws"));
  EXPECT_EQ(find_var(list_vars(observer, "ws"), "x")->values, 1);
  owner.close();
  EXPECT_TRUE(wait_for_workspace(observer, "ws", false));
}

TEST_F(WorkspacesTest, UsedAndMktempWorkspacesAreNeverPurgedByDisconnect) {
  RawClient c = connect();
  ASSERT_EQ(c.call_short({"use ws", "used", "", "no"}), 0);
  c.store("used", "x", "v");
  LongReply tmp = c.call_long({"mktemp ws", "tmp%d"});
  ASSERT_EQ(tmp.status(), 0);
  c.open("marker");
  c.close();
  RawClient observer = connect();
  ASSERT_TRUE(wait_for_workspace(observer, "marker", false));
  std::string listing = list_wss(observer);
  EXPECT_TRUE(lists_workspace(listing, "used")) << listing;
  EXPECT_TRUE(lists_workspace(listing, tmp.value)) << listing;
}

TEST_F(WorkspacesTest, OwnerDisconnectReleasesOtherClientsWaitersWithStatus1) {
  RawClient owner = connect_and_open("ws");
  RawClient waiter = connect();
  ASSERT_EQ(waiter.call_short({"use ws", "ws", "", "no"}), 0);
  waiter.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(owner, "ws", "x", 1, 0));
  owner.close();
  EXPECT_EQ(waiter.read_exact(84), long_error_bytes(1)) << "Variable purged.";
  EXPECT_EQ(waiter.call_short({"store", "ws", "x", kPyString, "v"}), 100) << "the instance is gone";
}

TEST_F(WorkspacesTest, DeleteWsByAnotherConnectionMakesTheNextStoreFailWith100) {
  RawClient first = connect_and_open("ws");
  first.store("ws", "x", "v");
  RawClient second = connect();
  ASSERT_EQ(second.call_short({"delete ws", "ws"}), 0) << "no prior open needed";
  EXPECT_EQ(first.call_short({"store", "ws", "x", kPyString, "w"}), 100);
  first.request({"fetchTry", "ws", "x"});
  EXPECT_EQ(first.read_exact(84), long_error_bytes(100));
  // Re-opening resolves the name again, to a fresh instance.
  first.open("ws");
  EXPECT_EQ(first.call_short({"store", "ws", "x", kPyString, "w"}), 0);
  EXPECT_EQ(list_vars(first, "ws"), "x\t1\t0\t0\tfifo");
  EXPECT_EQ(second.call_short({"delete ws", "nothing"}), 1);
}

TEST_F(WorkspacesTest, DeleteWsForgetsTheDeletersOwnResolution) {
  RawClient c = connect_and_open("ws");
  ASSERT_EQ(c.call_short({"delete ws", "ws"}), 0);
  EXPECT_FALSE(lists_workspace(list_wss(c), "ws"));
  EXPECT_EQ(c.call_short({"store", "ws", "x", kPyString, "v"}), 2001);
}

TEST_F(WorkspacesTest, OpenWithCreateNoFailsWith100ForAMissingWorkspace) {
  RawClient c = connect();
  EXPECT_EQ(c.call_short({"open ws", "missing", "label", "no", "no"}), 100);
  EXPECT_EQ(c.call_short({"use ws", "missing", "", "no", "no"}), 100);
  EXPECT_FALSE(lists_workspace(list_wss(c), "missing"));
}

TEST_F(WorkspacesTest, MktempWithoutConversionFailsWithALongReplyEveryTime) {
  RawClient c = connect();
  for (int attempt = 0; attempt < 2; ++attempt) {
    c.send(test::encode_request({"mktemp ws", "foo"}));
    EXPECT_EQ(c.read_exact(84), long_error_bytes(1)) << "attempt " << attempt;
  }
  c.send(test::encode_request({"mktemp ws", "a%db%d"}));
  EXPECT_EQ(c.read_exact(84), long_error_bytes(1)) << "two conversions";
}

TEST_F(WorkspacesTest, MktempWithIntegerConversionCreatesAUsableWorkspaceStartingWithTheTemplate) {
  RawClient c = connect();
  LongReply a = c.call_long({"mktemp ws", "foo%d"});
  ASSERT_EQ(a.status(), 0);
  EXPECT_EQ(a.head.descriptor, 1u);
  EXPECT_EQ(a.value.rfind("foo", 0), 0u) << a.value;
  LongReply b = c.call_long({"mktemp ws", "foo%d"});
  ASSERT_EQ(b.status(), 0);
  EXPECT_NE(a.value, b.value);
  // The caller may use the name at once; nobody owns it.
  EXPECT_EQ(c.call_short({"store", a.value, "x", kPyString, "v"}), 0);
  LongReply line = c.call_long({"list wss", a.value});
  EXPECT_EQ(line.value, " " + a.value + "\t\tFalse\t1\tx\n");
}

TEST_F(WorkspacesTest, MktempNameHasTheShapeOfExample17_9) {
  RawClient c = connect();
  LongReply r = c.call_long({"mktemp ws", "sleigh_ride_%04d"});
  ASSERT_EQ(r.status(), 0);
  // The suffix has the shape of the recorded original's: "__nwss" and 8
  // characters (legacy vectors: tmp_7__nwss3_gz6ign).
  EXPECT_TRUE(std::regex_match(r.value, std::regex("sleigh_ride_[0-9]{4}__nwss[A-Za-z0-9_]{8}"))) << r.value;
}

TEST_F(WorkspacesTest, OperationsOnAWorkspaceNeverOpenedOnThisConnectionGet2001) {
  RawClient owner = connect_and_open("ws");
  owner.store("ws", "x", "v");
  RawClient c = connect();
  for (const std::string ws : {"ws", "__default", "never-created"}) {
    SCOPED_TRACE(ws);
    EXPECT_EQ(c.call_short({"store", ws, "x", kPyString, "v"}), 2001);
    EXPECT_EQ(c.call_short({"declare var", ws, "x", "fifo"}), 2001);
    EXPECT_EQ(c.call_short({"delete var", ws, "x"}), 2001);
    // Long verbs, blocking ones included, answer at once with a long error.
    for (const char* verb : {"fetch", "fetchTry", "find", "findTry"}) {
      c.send(test::encode_request({verb, ws, "x"}));
      EXPECT_EQ(c.read_exact(84), long_error_bytes(2001)) << verb;
    }
    for (const char* verb : {"ifetch", "ifetchTry", "ifind", "ifindTry"}) {
      c.send(test::encode_request({verb, ws, "x", spaces20(), n20(0)}));
      EXPECT_EQ(c.read_exact(84), long_error_bytes(2001)) << verb;
    }
    c.send(test::encode_request({"list vars", ws}));
    EXPECT_EQ(c.read_exact(84), long_error_bytes(2001));
  }
  EXPECT_EQ(list_vars(owner, "ws"), "x\t1\t0\t0\tfifo") << "nothing reached the workspace";
}

}  // namespace
}  // namespace nws::conformance
