// §21 items 16-18: blocked fetch/find (§7.4, §9.1), their release by store,
// delete var and delete ws, and their withdrawal on disconnect.  A client is
// known to be blocked only when `list vars` shows it; never by waiting.
#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

using BlockingTest = ConformanceTest;

// Example 17.11: a fetch of a missing variable blocks, creates it as
// `unknown`, and is released with exactly the stored bytes.
TEST_F(BlockingTest, BlockedFetchIsReleasedByAnotherConnectionsStore) {
  RawClient a = connect_and_open("ws");
  RawClient b = connect_and_open("ws");
  a.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(b, "ws", "x", 1, 0));
  EXPECT_EQ(list_vars(b, "ws"), "x\t0\t1\t0\tunknown");
  b.request({"store", "ws", "x", kPyString, "hi"});
  EXPECT_EQ(b.read_short(), 0);
  std::string reply = a.read_exact(4 + 20 + 20 + 20 + 20 + 2);
  EXPECT_EQ(reply.substr(0, 24), "0000" + std::string(kPyString));
  std::string id = reply.substr(24, 20);
  EXPECT_EQ(id.find_first_not_of("0123456789"), std::string::npos) << id;
  EXPECT_EQ(reply.substr(44), n20(0) + n20(2) + "hi");
  EXPECT_EQ(list_vars(b, "ws"), "x\t0\t0\t0\tfifo") << "the value went straight to the fetcher";
  // The consumed value counted: the next one carries index 1, same id.
  b.store("ws", "x", "next");
  LongReply next = b.call_long({"fetchTry", "ws", "x"});
  EXPECT_EQ(next.head.index, 1);
  EXPECT_EQ(next.head.var_id, id);
}

TEST_F(BlockingTest, OneStoreReleasesOnlyTheFirstOfTwoBlockedFetchers) {
  RawClient first = connect_and_open("ws");
  RawClient second = connect_and_open("ws");
  RawClient writer = connect_and_open("ws");
  first.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 1, 0));
  second.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 2, 0));
  writer.store("ws", "x", "v1");
  EXPECT_EQ(first.read_long().value, "v1") << "fetchers are served in the order they blocked";
  // The store was acknowledged and the first fetcher served, so the server
  // is done with that store: the second fetcher must have got nothing.
  EXPECT_EQ(second.read_available(200), "");
  EXPECT_EQ(find_var(list_vars(writer, "ws"), "x")->fetchers, 1);
  EXPECT_EQ(find_var(list_vars(writer, "ws"), "x")->values, 0) << "a value given to a fetcher is consumed";
  writer.store("ws", "x", "v2");
  EXPECT_EQ(second.read_long().value, "v2");
  EXPECT_EQ(list_vars(writer, "ws"), "x\t0\t0\t0\tfifo");
}

TEST_F(BlockingTest, OneStoreReleasesEveryBlockedFinderAndKeepsTheValue) {
  std::vector<RawClient> finders;
  RawClient writer = connect_and_open("ws");
  for (int i = 0; i < 3; ++i) {
    finders.push_back(connect_and_open("ws"));
    finders.back().request({"find", "ws", "x"});
    ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 0, i + 1));
  }
  writer.store("ws", "x", "v");
  for (auto& f : finders) EXPECT_EQ(f.read_long().value, "v");
  EXPECT_EQ(list_vars(writer, "ws"), "x\t1\t0\t0\tfifo") << "finders do not consume";
}

TEST_F(BlockingTest, StoreServesAllFindersAndOneFetcherWhichConsumesTheValue) {
  RawClient finder = connect_and_open("ws");
  RawClient fetcher = connect_and_open("ws");
  RawClient writer = connect_and_open("ws");
  fetcher.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 1, 0));
  finder.request({"find", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 1, 1));
  writer.store("ws", "x", "v");
  LongReply found = finder.read_long();
  LongReply fetched = fetcher.read_long();
  EXPECT_EQ(found.value, "v");
  EXPECT_EQ(fetched.value, "v");
  EXPECT_EQ(found.head.index, fetched.head.index) << "all releases carry the same index";
  EXPECT_EQ(list_vars(writer, "ws"), "x\t0\t0\t0\tfifo");
}

TEST_F(BlockingTest, DeleteVarReleasesBlockedFetchersAndFindersWithStatus1) {
  RawClient fetcher = connect_and_open("ws");
  RawClient finder = connect_and_open("ws");
  RawClient deleter = connect_and_open("ws");
  fetcher.request({"fetch", "ws", "x"});
  finder.request({"find", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(deleter, "ws", "x", 1, 1));
  EXPECT_EQ(deleter.call_short({"delete var", "ws", "x"}), 0);
  EXPECT_EQ(fetcher.read_exact(84), long_error_bytes(1));
  EXPECT_EQ(finder.read_exact(84), long_error_bytes(1));
  EXPECT_EQ(list_vars(deleter, "ws"), "");
  // Both connections stay usable.
  EXPECT_EQ(fetcher.call_long({"fetchTry", "ws", "x"}).status(), 1);
  EXPECT_EQ(finder.call_short({"store", "ws", "y", kPyString, "v"}), 0);
}

TEST_F(BlockingTest, DeleteVarReleaseCarriesTheVariablePurgedReason) {
  RawClient fetcher = connect_and_open("ws", {{"MetadataFromServer", "1"}});
  RawClient deleter = connect_and_open("ws");
  fetcher.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(deleter, "ws", "x", 1, 0));
  ASSERT_EQ(deleter.call_short({"delete var", "ws", "x"}), 0);
  LongReply r = fetcher.read_long();
  EXPECT_EQ(r.status(), 1);
  EXPECT_EQ(r.head.metadata.get("nwsReason"), std::optional<std::string_view>("Variable purged."));
}

TEST_F(BlockingTest, DeleteWsReleasesBlockedClientsWithStatus1) {
  RawClient fetcher = connect_and_open("ws");
  RawClient finder = connect_and_open("ws");
  RawClient deleter = connect_and_open("ws");
  fetcher.request({"fetch", "ws", "x"});
  finder.request({"find", "ws", "y"});
  ASSERT_TRUE(wait_for_waiters(deleter, "ws", "x", 1, 0));
  ASSERT_TRUE(wait_for_waiters(deleter, "ws", "y", 0, 1));
  EXPECT_EQ(deleter.call_short({"delete ws", "ws"}), 0);
  EXPECT_EQ(fetcher.read_exact(84), long_error_bytes(1));
  EXPECT_EQ(finder.read_exact(84), long_error_bytes(1));
  EXPECT_EQ(fetcher.call_short({"store", "ws", "x", kPyString, "v"}), 100);
}

TEST_F(BlockingTest, ClientsDisconnectingWhileBlockedLeaveTheWaiterCounts) {
  // The observer opens first and so owns the workspace: the waiters' own
  // disconnects must not purge it (OQ1).
  RawClient observer = connect_and_open("ws");
  RawClient fetcher = connect_and_open("ws");
  RawClient finder = connect_and_open("ws");
  fetcher.request({"fetch", "ws", "x"});
  finder.request({"find", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(observer, "ws", "x", 1, 1));
  fetcher.close();
  EXPECT_TRUE(wait_for_waiters(observer, "ws", "x", 0, 1));
  finder.close();
  EXPECT_TRUE(wait_for_waiters(observer, "ws", "x", 0, 0));
}

TEST_F(BlockingTest, ValueStoredAfterABlockedFetcherLeftIsKeptNotLost) {
  RawClient owner = connect_and_open("ws");
  RawClient leaver = connect();
  ASSERT_EQ(leaver.call_short({"use ws", "ws", "", "no"}), 0);
  leaver.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(owner, "ws", "x", 1, 0));
  leaver.close();
  ASSERT_TRUE(wait_for_waiters(owner, "ws", "x", 0, 0));
  owner.store("ws", "x", "kept");
  EXPECT_EQ(owner.call_long({"fetchTry", "ws", "x"}).value, "kept");
}

}  // namespace
}  // namespace nws::conformance
