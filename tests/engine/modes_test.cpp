// The value containers of PROTOCOL.md §9.2-§9.5 as seen through the
// non-iterated verbs: which value comes out, what stays, which index.
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class ModesTest : public EngineTest {
 protected:
  void SetUp() override { open(a); }
  Session& a = connect(0);
};

TEST_F(ModesTest, StoreCreatesFifoThatFetchesInStoreOrderThenFails) {
  for (int i = 0; i < 10; ++i) store(a, "ws", "x", std::to_string(i));
  EXPECT_EQ(list_vars(a), "x\t10\t0\t0\tfifo");
  for (int i = 0; i < 10; ++i) {
    RecordedReply r = call(a, {"fetchTry", "ws", "x"});
    EXPECT_TRUE(IsValue(r, std::to_string(i)));
    // §9.3: the index of a fetched value is B, the count of values gone before it.
    EXPECT_EQ(r.index, i);
  }
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "x"}), 1));
}

TEST_F(ModesTest, FifoFindReturnsOldestAndKeepsIt) {
  store(a, "ws", "x", "first");
  store(a, "ws", "x", "second");
  EXPECT_TRUE(IsValue(call(a, {"find", "ws", "x"}), "first"));
  EXPECT_TRUE(IsValue(call(a, {"findTry", "ws", "x"}), "first"));
  EXPECT_EQ(list_vars(a), "x\t2\t0\t0\tfifo");
}

TEST_F(ModesTest, FifoFindIndexFollowsFetchedValues) {
  store(a, "ws", "x", "v0");
  store(a, "ws", "x", "v1");
  EXPECT_EQ(call(a, {"fetch", "ws", "x"}).index, 0);
  RecordedReply r = call(a, {"findTry", "ws", "x"});
  EXPECT_TRUE(IsValue(r, "v1"));
  EXPECT_EQ(r.index, 1);
}

TEST_F(ModesTest, FetchedValueKeepsDescriptorBytesAndVariableId) {
  ASSERT_TRUE(IsShort(call(a, {"store", "ws", "x", "00000000000050331651", std::string("\0\x01\xff", 3)}), 0));
  RecordedReply r = call(a, {"fetch", "ws", "x"});
  EXPECT_TRUE(IsValue(r, std::string("\0\x01\xff", 3)));
  EXPECT_EQ(r.descriptor, 50331651u);
  // OQ4: ids are a server-wide counter rendered in the 20-byte id field.
  EXPECT_EQ(r.var_id.size(), 20u);
  EXPECT_EQ(r.var_id.find_first_not_of("0123456789"), std::string::npos) << r.var_id;
}

TEST_F(ModesTest, DescriptorIsReturnedVerbatimUpToSixtyFourBits) {
  ASSERT_TRUE(IsShort(call(a, {"store", "ws", "x", "18446744073709551615", "v"}), 0));
  EXPECT_EQ(call(a, {"fetch", "ws", "x"}).descriptor, 18446744073709551615u);
}

TEST_F(ModesTest, DescriptorFieldAcceptsSurroundingSpacesAndPlusSign) {
  // §2: numeric fields are parsed like Python int().
  ASSERT_TRUE(IsShort(call(a, {"store", "ws", "x", " +16777217 ", "v"}), 0));
  EXPECT_EQ(call(a, {"fetch", "ws", "x"}).descriptor, kPythonString);
}

TEST_F(ModesTest, EmptyStringRoundTripsThenSecondFetchTryFails) {
  store(a, "ws", "x", "");
  RecordedReply r = call(a, {"fetchTry", "ws", "x"});
  EXPECT_TRUE(IsValue(r, ""));
  EXPECT_EQ(r.descriptor & 1u, 1u);  // §21 item 7: still a direct string
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "x"}), 1));
}

TEST_F(ModesTest, VariablesOfOneWorkspaceAreIndependent) {
  store(a, "ws", "x", "for x");
  store(a, "ws", "y", "for y");
  EXPECT_TRUE(IsValue(call(a, {"fetch", "ws", "y"}), "for y"));
  EXPECT_TRUE(IsValue(call(a, {"fetch", "ws", "x"}), "for x"));
}

TEST_F(ModesTest, SameNamedVariablesInTwoWorkspacesAreIndependent) {
  open(a, "other");
  store(a, "ws", "x", "in ws");
  store(a, "other", "x", "in other");
  EXPECT_TRUE(IsValue(call(a, {"fetch", "other", "x"}), "in other"));
  EXPECT_TRUE(IsValue(call(a, {"fetch", "ws", "x"}), "in ws"));
}

TEST_F(ModesTest, LifoReturnsMostRecentFirstWithIndexZero) {
  declare(a, "ws", "s", "lifo");
  for (int i = 0; i < 5; ++i) store(a, "ws", "s", std::to_string(i));
  EXPECT_TRUE(IsValue(call(a, {"findTry", "ws", "s"}), "4"));
  for (int i = 4; i >= 0; --i) {
    RecordedReply r = call(a, {"fetchTry", "ws", "s"});
    EXPECT_TRUE(IsValue(r, std::to_string(i)));
    EXPECT_EQ(r.index, 0);
  }
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "s"}), 1));
}

TEST_F(ModesTest, MultiBehavesAsLifoButKeepsItsModeName) {
  // Q4 / DESIGN §3: multi is LIFO like the original.
  declare(a, "ws", "m", "multi");
  store(a, "ws", "m", "old");
  store(a, "ws", "m", "new");
  EXPECT_EQ(list_vars(a), "m\t2\t0\t0\tmulti");
  EXPECT_TRUE(IsValue(call(a, {"findTry", "ws", "m"}), "new"));
  EXPECT_TRUE(IsValue(call(a, {"fetchTry", "ws", "m"}), "new"));
  EXPECT_TRUE(IsValue(call(a, {"fetchTry", "ws", "m"}), "old"));
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "m"}), 1));
}

TEST_F(ModesTest, SingleKeepsOnlyTheLastValue) {
  declare(a, "ws", "one", "single");
  for (int i = 0; i < 10; ++i) store(a, "ws", "one", std::to_string(i));
  EXPECT_EQ(list_vars(a), "one\t1\t0\t0\tsingle");
  EXPECT_TRUE(IsValue(call(a, {"fetchTry", "ws", "one"}), "9"));
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "one"}), 1));
  EXPECT_EQ(list_vars(a), "one\t0\t0\t0\tsingle");
}

TEST_F(ModesTest, SingleIndexCountsReplacedAndFetchedValues) {
  declare(a, "ws", "one", "single");
  store(a, "ws", "one", "a");  // kept, B stays 0
  EXPECT_EQ(call(a, {"findTry", "ws", "one"}).index, 0);
  store(a, "ws", "one", "b");  // replaces a: B = 1
  RecordedReply r = call(a, {"findTry", "ws", "one"});
  EXPECT_TRUE(IsValue(r, "b"));
  EXPECT_EQ(r.index, 1);
  r = call(a, {"fetchTry", "ws", "one"});  // removes b with index B, then B = 2
  EXPECT_TRUE(IsValue(r, "b"));
  EXPECT_EQ(r.index, 1);
  store(a, "ws", "one", "c");  // nothing present: kept with index B = 2
  r = call(a, {"findTry", "ws", "one"});
  EXPECT_TRUE(IsValue(r, "c"));
  EXPECT_EQ(r.index, 2);
}

TEST_F(ModesTest, SingleFindLeavesTheValue) {
  declare(a, "ws", "one", "single");
  store(a, "ws", "one", "v");
  EXPECT_TRUE(IsValue(call(a, {"find", "ws", "one"}), "v"));
  EXPECT_TRUE(IsValue(call(a, {"fetch", "ws", "one"}), "v"));
}

TEST_F(ModesTest, FetchTryOfMissingVariableCreatesUnknownVariable) {
  // Quirk Q2: kept, because listings observe it.
  RecordedReply r = call(a, {"fetchTry", "ws", "ghost"});
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(r.reason, "no value available");
  EXPECT_EQ(list_vars(a), "ghost\t0\t0\t0\tunknown");
}

TEST_F(ModesTest, FindTryOfMissingVariableCreatesUnknownVariable) {
  EXPECT_TRUE(IsLongError(call(a, {"findTry", "ws", "ghost"}), 1));
  EXPECT_EQ(list_vars(a), "ghost\t0\t0\t0\tunknown");
}

TEST_F(ModesTest, BlockingFetchOfMissingVariableCreatesUnknownVariableWithAFetcher) {
  call_blocking(a, {"fetch", "ws", "ghost"});
  Session& b = connect(1);
  use(b);
  EXPECT_EQ(list_vars(b), "ghost\t0\t1\t0\tunknown");
}

TEST_F(ModesTest, StoreTurnsUnknownVariableIntoFifo) {
  call(a, {"fetchTry", "ws", "x"});
  store(a, "ws", "x", "1");
  store(a, "ws", "x", "2");
  EXPECT_EQ(list_vars(a), "x\t2\t0\t0\tfifo");
  EXPECT_TRUE(IsValue(call(a, {"fetch", "ws", "x"}), "1"));
}

}  // namespace
}  // namespace nws::engine::test
