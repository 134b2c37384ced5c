// A stored value meeting blocked clients (PROTOCOL.md §9.1, §17.11).
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class DeliveryTest : public EngineTest {
 protected:
  void SetUp() override {
    for (Session* s : {&writer, &a, &b, &c}) open(*s);
  }
  Session& writer = connect(0);
  Session& a = connect(1);
  Session& b = connect(2);
  Session& c = connect(3);
};

TEST_F(DeliveryTest, BlockedFetchOnMissingVariableIsReleasedByStoreAsInWorkedExample) {
  // §17.11 step by step.
  call_blocking(a, {"fetch", "ws", "x"});
  EXPECT_EQ(list_vars(writer), "x\t0\t1\t0\tunknown");
  store(writer, "ws", "x", "hi");
  RecordedReply r = released(a);
  EXPECT_TRUE(IsValue(r, "hi"));
  EXPECT_EQ(r.descriptor, kPythonString);
  EXPECT_EQ(r.index, 0);
  const std::string id = r.var_id;
  EXPECT_EQ(list_vars(writer), "x\t0\t0\t0\tfifo");
  // The consumed value counts in B: the next value stored carries index 1.
  store(writer, "ws", "x", "next");
  r = call(b, {"findTry", "ws", "x"});
  EXPECT_TRUE(IsValue(r, "next"));
  EXPECT_EQ(r.index, 1);
  EXPECT_EQ(r.var_id, id);  // the unknown variable became fifo: same id
}

TEST_F(DeliveryTest, StoreTurnsUnknownIntoFifoKeepingWaiters) {
  call_blocking(a, {"find", "ws", "x"});
  call_blocking(b, {"fetch", "ws", "x"});
  call_blocking(c, {"fetch", "ws", "x"});
  EXPECT_EQ(list_vars(writer), "x\t0\t2\t1\tunknown");
  store(writer, "ws", "x", "v");
  EXPECT_TRUE(IsValue(released(a), "v"));
  EXPECT_TRUE(IsValue(released(b), "v"));
  EXPECT_TRUE(engine.is_blocked(c));
  EXPECT_EQ(list_vars(writer), "x\t0\t1\t0\tfifo");
}

TEST_F(DeliveryTest, AllFindersThenOnlyTheFirstFetcherGetTheValue) {
  store(writer, "ws", "x", "seed");
  call(writer, {"fetch", "ws", "x"});  // x is now an empty fifo with B = 1
  call_blocking(a, {"fetch", "ws", "x"});
  call_blocking(b, {"find", "ws", "x"});
  call_blocking(c, {"find", "ws", "x"});
  std::size_t before = sink.log().size();
  store(writer, "ws", "x", "v");
  const auto& log = sink.log();
  ASSERT_EQ(log.size(), before + 4);
  // Finders first even though they blocked after the fetcher, then the
  // fetcher, then the storing client's own reply.
  EXPECT_EQ(log[before].session, b.id);
  EXPECT_EQ(log[before + 1].session, c.id);
  EXPECT_EQ(log[before + 2].session, a.id);
  EXPECT_EQ(log[before + 3].session, writer.id);
  for (std::size_t i = before; i < before + 3; ++i) {
    EXPECT_TRUE(IsValue(log[i], "v"));
    EXPECT_EQ(log[i].index, 1);  // the same index to everyone
    EXPECT_EQ(log[i].descriptor, kPythonString);
    EXPECT_EQ(log[i].var_id, log[before].var_id);
  }
  for (Session* s : {&a, &b, &c}) released(*s);
}

TEST_F(DeliveryTest, ValueConsumedByWaitingFetcherIsNotKept) {
  call_blocking(a, {"fetch", "ws", "x"});
  store(writer, "ws", "x", "v");
  released(a);
  EXPECT_TRUE(IsLongError(call(b, {"fetchTry", "ws", "x"}), 1));
}

TEST_F(DeliveryTest, ValueSeenOnlyByFindersIsKept) {
  call_blocking(a, {"find", "ws", "x"});
  store(writer, "ws", "x", "v");
  EXPECT_TRUE(IsValue(released(a), "v"));
  EXPECT_EQ(list_vars(writer), "x\t1\t0\t0\tfifo");
  EXPECT_TRUE(IsValue(call(b, {"fetchTry", "ws", "x"}), "v"));
}

TEST_F(DeliveryTest, EachStoreReleasesOneFetcherInBlockingOrder) {
  call_blocking(a, {"fetch", "ws", "x"});
  call_blocking(b, {"fetch", "ws", "x"});
  EXPECT_EQ(list_vars(writer), "x\t0\t2\t0\tunknown");
  store(writer, "ws", "x", "first");
  EXPECT_TRUE(IsValue(released(a), "first"));
  EXPECT_TRUE(engine.is_blocked(b));
  EXPECT_EQ(sink.pending(b), 0u);
  store(writer, "ws", "x", "second");
  EXPECT_TRUE(IsValue(released(b), "second"));
}

TEST_F(DeliveryTest, FifoIndexCountsValuesConsumedDirectlyByFetchers) {
  store(writer, "ws", "x", "v0");  // index 0, kept
  call(a, {"fetch", "ws", "x"});   // B = 1
  call_blocking(a, {"fetch", "ws", "x"});
  store(writer, "ws", "x", "v1");  // straight to a: index 1, B = 2
  EXPECT_EQ(released(a).index, 1);
  store(writer, "ws", "x", "v2");
  RecordedReply r = call(b, {"fetch", "ws", "x"});
  EXPECT_TRUE(IsValue(r, "v2"));
  EXPECT_EQ(r.index, 2);
}

TEST_F(DeliveryTest, FifoIndexOfValueDeliveredToFinderIsItsQueuePosition) {
  store(writer, "ws", "x", "v0");
  store(writer, "ws", "x", "v1");
  std::string id = call(a, {"ifindTry", "ws", "x", "", "0"}).var_id;
  // An iterator past the end waits for the next value, k = B + len(Q) = 2.
  call_blocking(a, {"ifind", "ws", "x", id, "1"});
  store(writer, "ws", "x", "v2");
  RecordedReply r = released(a);
  EXPECT_TRUE(IsValue(r, "v2"));
  EXPECT_EQ(r.index, 2);
}

TEST_F(DeliveryTest, LifoDeliversWithIndexZero) {
  declare(writer, "ws", "s", "lifo");
  call_blocking(a, {"find", "ws", "s"});
  call_blocking(b, {"fetch", "ws", "s"});
  store(writer, "ws", "s", "v");
  EXPECT_EQ(released(a).index, 0);
  EXPECT_EQ(released(b).index, 0);
  EXPECT_EQ(list_vars(writer), "s\t0\t0\t0\tlifo");
}

TEST_F(DeliveryTest, SingleDeliveryToFetcherAdvancesIndex) {
  declare(writer, "ws", "one", "single");
  call_blocking(a, {"fetch", "ws", "one"});
  store(writer, "ws", "one", "v");  // k = B + 0 = 0, consumed: B = 1
  EXPECT_EQ(released(a).index, 0);
  EXPECT_EQ(list_vars(writer), "one\t0\t0\t0\tsingle");
  store(writer, "ws", "one", "w");
  EXPECT_EQ(call(b, {"find", "ws", "one"}).index, 1);
}

TEST_F(DeliveryTest, StoreMetadataReachesBlockedFindersAndFetcher) {
  call_blocking(a, {"find", "ws", "x"});
  call_blocking(b, {"fetch", "ws", "x"});
  store(writer, "ws", "x", "v", proto::Dict{{"batchId", "3"}, {"k", "v"}});
  using Entries = std::vector<std::pair<std::string, std::string>>;
  const Entries expected{{"batchId", "3"}, {"k", "v"}};
  EXPECT_EQ(released(a).metadata, expected);
  EXPECT_EQ(released(b).metadata, expected);
}

}  // namespace
}  // namespace nws::engine::test
