// Iterated retrieval: ifetch/ifetchTry/ifind/ifindTry (PROTOCOL.md §7.4,
// §9.3-§9.6, §11, §21 items 12-15).  The iterator state lives in the
// client, so these tests play the client: (id, index) from each success.
#include "engine_harness.hpp"

#include "protocol/fields.hpp"

namespace nws::engine::test {
namespace {

struct Iter {
  std::string id;  // "" before the first success
  std::int64_t index = 0;
};

class IteratorTest : public EngineTest {
 protected:
  void SetUp() override {
    open(a);
    open(other);
  }
  // One step as the Python client sends it: ID20 (spaces when empty) and
  // N20 index; the state advances only on success.
  RecordedReply step(Iter& it, const std::string& verb, const std::string& var = "x", Session* s = nullptr) {
    std::string id20 = it.id;
    id20.resize(20, ' ');
    RecordedReply r = call(s ? *s : a, {verb, "ws", var, id20, proto::n20(it.index)});
    if (r.status == 0) {
      it.id = r.var_id;
      it.index = r.index;
    }
    return r;
  }
  void store_all(const std::string& var, int from, int to) {
    for (int i = from; i < to; ++i) store(a, "ws", var, std::to_string(i));
  }
  Session& a = connect(0);
  Session& other = connect(1);
};

TEST_F(IteratorTest, FifoWorkedExampleTable) {
  // §11: values a,b,c stored, none fetched.
  for (const char* v : {"a", "b", "c"}) store(a, "ws", "x", v);
  Iter it;
  RecordedReply r = step(it, "ifindTry");
  EXPECT_TRUE(IsValue(r, "a"));
  EXPECT_EQ(r.index, 0);
  const std::string v = r.var_id;
  EXPECT_EQ(v.size(), 20u);
  r = step(it, "ifindTry");
  EXPECT_TRUE(IsValue(r, "b"));
  EXPECT_EQ(r.index, 1);
  EXPECT_EQ(r.var_id, v);
  r = step(it, "ifindTry");
  EXPECT_TRUE(IsValue(r, "c"));
  EXPECT_EQ(r.index, 2);
  // Step 4: the Try verb ends, the blocking verb waits for the next store.
  EXPECT_TRUE(IsLongError(step(it, "ifindTry"), 1));
  EXPECT_EQ(it.index, 2);  // a failed step leaves the state alone
  call_blocking(a, {"ifind", "ws", "x", it.id, proto::n20(it.index)});
  store(other, "ws", "x", "d");
  r = released(a);
  EXPECT_TRUE(IsValue(r, "d"));
  EXPECT_EQ(r.index, 3);
  EXPECT_EQ(r.var_id, v);
}

TEST_F(IteratorTest, IfindTryEndsThenSameIteratorSeesOnlyNewValuesAndResetSeesAll) {
  // §21 item 12.
  store_all("x", 0, 10);
  Iter it;
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(IsValue(step(it, "ifindTry"), std::to_string(i)));
  EXPECT_TRUE(IsLongError(step(it, "ifindTry"), 1));
  store_all("x", 10, 20);
  for (int i = 10; i < 20; ++i) EXPECT_TRUE(IsValue(step(it, "ifindTry"), std::to_string(i)));
  EXPECT_TRUE(IsLongError(step(it, "ifindTry"), 1));
  Iter reset;
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(IsValue(step(reset, "ifindTry"), std::to_string(i)));
  EXPECT_TRUE(IsLongError(step(reset, "ifindTry"), 1));
  EXPECT_EQ(list_vars(a), "x\t20\t0\t0\tfifo");
}

TEST_F(IteratorTest, IfetchTryConsumesEveryValueInOrder) {
  store_all("x", 0, 10);
  Iter it;
  for (int i = 0; i < 10; ++i) {
    RecordedReply r = step(it, "ifetchTry");
    EXPECT_TRUE(IsValue(r, std::to_string(i)));
    EXPECT_EQ(r.index, i);
  }
  EXPECT_TRUE(IsLongError(step(it, "ifetchTry"), 1));
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tfifo");
}

TEST_F(IteratorTest, TwoInterleavedIfetchTryIteratorsConsumeEachValueOnce) {
  store_all("x", 0, 10);
  Iter one, two;
  for (int i = 0; i < 10; i += 2) {
    EXPECT_TRUE(IsValue(step(one, "ifetchTry"), std::to_string(i)));
    EXPECT_TRUE(IsValue(step(two, "ifetchTry", "x", &other), std::to_string(i + 1)));
  }
  EXPECT_TRUE(IsLongError(step(one, "ifetchTry"), 1));
  EXPECT_TRUE(IsLongError(step(two, "ifetchTry", "x", &other), 1));
}

TEST_F(IteratorTest, TwoInterleavedIfindTryIteratorsEachSeeEveryValue) {
  store_all("x", 0, 10);
  Iter one, two;
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(IsValue(step(one, "ifindTry"), std::to_string(i)));
    EXPECT_TRUE(IsValue(step(two, "ifindTry", "x", &other), std::to_string(i)));
  }
  EXPECT_TRUE(IsLongError(step(one, "ifindTry"), 1));
  EXPECT_TRUE(IsLongError(step(two, "ifindTry", "x", &other), 1));
}

TEST_F(IteratorTest, FindIteratorSkipsToOldestSurvivorWhenOthersFetched) {
  store_all("x", 0, 5);
  Iter it;
  EXPECT_TRUE(IsValue(step(it, "ifindTry"), "0"));
  for (int i = 0; i < 3; ++i) call(other, {"fetch", "ws", "x"});  // B = 3
  // p = max(0 - 3 + 1, 0) = 0: the oldest value newer than the one seen.
  RecordedReply r = step(it, "ifindTry");
  EXPECT_TRUE(IsValue(r, "3"));
  EXPECT_EQ(r.index, 3);
}

TEST_F(IteratorTest, IfetchAfterIfindOnFifoFailsWhenNotAtTheFront) {
  store_all("x", 0, 3);
  Iter it;
  EXPECT_TRUE(IsValue(step(it, "ifindTry"), "0"));
  RecordedReply r = step(it, "ifetchTry");  // p = 1 > 0
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(r.reason, "ifetch* only supported at beginning of FIFO");
  // The blocking form fails the same way instead of waiting.
  r = call(a, {"ifetch", "ws", "x", it.id, proto::n20(it.index)});
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(list_vars(a), "x\t3\t0\t0\tfifo");
}

TEST_F(IteratorTest, LifoIteratorsOnlyTakeTheFirstStep) {
  declare(a, "ws", "s", "lifo");
  store_all("s", 0, 3);
  Iter finder;
  RecordedReply r = step(finder, "ifindTry", "s");
  EXPECT_TRUE(IsValue(r, "2"));
  EXPECT_EQ(r.index, 0);
  r = step(finder, "ifindTry", "s");
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(r.reason, "ifind* not supported on LIFO");
  Iter fetcher;
  EXPECT_TRUE(IsValue(step(fetcher, "ifetchTry", "s"), "2"));
  r = step(fetcher, "ifetchTry", "s");
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(r.reason, "ifetch* not supported on LIFO");
  // Blocking iterated verbs fail rather than wait.
  EXPECT_TRUE(IsLongError(call(a, {"ifind", "ws", "s", finder.id, proto::n20(0)}), 1));
  // Only the first ifetchTry step removed a value.
  EXPECT_EQ(list_vars(a), "s\t2\t0\t0\tlifo");
}

TEST_F(IteratorTest, MultiIteratorsOnlyTakeTheFirstStep) {
  declare(a, "ws", "m", "multi");
  store_all("m", 0, 2);
  Iter it;
  EXPECT_TRUE(IsValue(step(it, "ifindTry", "m"), "1"));
  EXPECT_TRUE(IsLongError(step(it, "ifindTry", "m"), 1));
}

TEST_F(IteratorTest, SingleIteratorSees100And101ThenOnlyTheLatest) {
  // §9.5 / §21 item 15.
  declare(a, "ws", "one", "single");
  Iter it;
  store(a, "ws", "one", "100");
  EXPECT_TRUE(IsValue(step(it, "ifindTry", "one"), "100"));
  store(a, "ws", "one", "101");
  EXPECT_TRUE(IsValue(step(it, "ifindTry", "one"), "101"));
  store(a, "ws", "one", "102");
  store(a, "ws", "one", "103");
  RecordedReply r = step(it, "ifindTry", "one");
  EXPECT_TRUE(IsValue(r, "103"));
  EXPECT_EQ(r.index, 3);
  EXPECT_TRUE(IsLongError(step(it, "ifindTry", "one"), 1));
  store(a, "ws", "one", "104");
  store(a, "ws", "one", "105");
  EXPECT_TRUE(IsValue(step(it, "ifindTry", "one"), "105"));
  EXPECT_TRUE(IsLongError(step(it, "ifindTry", "one"), 1));
}

TEST_F(IteratorTest, SingleIfetchTryTakesTheValueOnce) {
  declare(a, "ws", "one", "single");
  store(a, "ws", "one", "v");
  Iter it;
  RecordedReply r = step(it, "ifetchTry", "one");
  EXPECT_TRUE(IsValue(r, "v"));
  EXPECT_EQ(r.index, 0);
  EXPECT_TRUE(IsLongError(step(it, "ifetchTry", "one"), 1));
  store(a, "ws", "one", "w");  // index 1, which the iterator has not seen
  r = step(it, "ifetchTry", "one");
  EXPECT_TRUE(IsValue(r, "w"));
  EXPECT_EQ(r.index, 1);
}

TEST_F(IteratorTest, SingleIfetchPastTheCurrentValueFails) {
  declare(a, "ws", "one", "single");
  store(a, "ws", "one", "v");
  Iter it;
  EXPECT_TRUE(IsValue(step(it, "ifindTry", "one"), "v"));
  // p = 1: the value present is the one already seen.
  EXPECT_TRUE(IsLongError(step(it, "ifetchTry", "one"), 1));
  EXPECT_EQ(list_vars(a), "one\t1\t0\t0\tsingle");
}

TEST_F(IteratorTest, DeletedVariableEndsIteratorsWithIdMismatchAndComesBackUnknown) {
  // §21 item 14, and Q2 on the failing step.
  store_all("x", 0, 2);
  Iter finder, fetcher;
  EXPECT_TRUE(IsValue(step(finder, "ifindTry"), "0"));
  EXPECT_TRUE(IsValue(step(fetcher, "ifetchTry"), "0"));
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "x"}), 0));
  RecordedReply r = step(finder, "ifind");  // blocking verb: fails, does not wait
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(r.reason, "Variable id mismatch.");
  EXPECT_TRUE(IsLongError(step(fetcher, "ifetch"), 1));
  EXPECT_EQ(list_vars(a), "x\t0\t0\t0\tunknown");
}

TEST_F(IteratorTest, RecreatedVariableGetsANewId) {
  store(a, "ws", "x", "v");
  Iter it;
  step(it, "ifindTry");
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "x"}), 0));
  store(a, "ws", "x", "w");
  EXPECT_TRUE(IsLongError(step(it, "ifindTry"), 1));
  Iter fresh;
  RecordedReply r = step(fresh, "ifindTry");
  EXPECT_TRUE(IsValue(r, "w"));
  EXPECT_NE(r.var_id, it.id);
}

TEST_F(IteratorTest, ForeignIdIsAMismatch) {
  store(a, "ws", "x", "v");
  store(a, "ws", "y", "w");
  Iter on_y;
  step(on_y, "ifindTry", "y");
  Iter wrong{on_y.id, 0};
  EXPECT_TRUE(IsLongError(step(wrong, "ifindTry", "x"), 1));
}

TEST_F(IteratorTest, SpacePaddedIndexFromRTwoIsAccepted) {
  store_all("x", 0, 3);
  Iter it;
  step(it, "ifindTry");
  // R 2.0 sends the index left-justified: "0" followed by 19 spaces.
  RecordedReply r = call(a, {"ifindTry", "ws", "x", it.id, "0" + std::string(19, ' ')});
  EXPECT_TRUE(IsValue(r, "1"));
}

TEST_F(IteratorTest, IdIsStrippedOfSurroundingSpaces) {
  store_all("x", 0, 2);
  Iter it;
  step(it, "ifindTry");
  RecordedReply r = call(a, {"ifindTry", "ws", "x", "  " + it.id + "  ", "0"});
  EXPECT_TRUE(IsValue(r, "1"));
}

TEST_F(IteratorTest, MissingIndexWithAnIdStartsFromTheBeginning) {
  // §7.4: valIndex defaults to -999, which puts p at 0.
  store_all("x", 0, 3);
  Iter it;
  step(it, "ifindTry");
  RecordedReply r = call(a, {"ifindTry", "ws", "x", it.id});
  EXPECT_TRUE(IsValue(r, "0"));
  EXPECT_EQ(r.index, 0);
}

TEST_F(IteratorTest, EmptyIdIgnoresTheIndex) {
  store_all("x", 0, 3);
  RecordedReply r = call(a, {"ifindTry", "ws", "x", std::string(20, ' '), "00000000000000000002"});
  EXPECT_TRUE(IsValue(r, "0"));
  // Not even parsed: garbage is fine when there is no id.
  r = call(a, {"ifindTry", "ws", "x", "", "not a number"});
  EXPECT_TRUE(IsValue(r, "0"));
}

TEST_F(IteratorTest, UnparsableIndexWithAnIdFailsWithLongStatusOne) {
  // OQ5: an error of the verb's kind, never silence.
  store_all("x", 0, 2);
  Iter it;
  step(it, "ifindTry");
  for (const char* verb : {"ifindTry", "ifind", "ifetchTry", "ifetch"})
    EXPECT_TRUE(IsLongError(call(a, {verb, "ws", "x", it.id, "1x"}), 1)) << verb;
  EXPECT_EQ(list_vars(a), "x\t2\t0\t0\tfifo");
}

TEST_F(IteratorTest, NonIteratedVerbsIgnoreIterationArguments) {
  store_all("x", 0, 2);
  RecordedReply r = call(a, {"findTry", "ws", "x", "no such id", "junk"});
  EXPECT_TRUE(IsValue(r, "0"));
  r = call(a, {"fetch", "ws", "x", "no such id", "00000000000000000005"});
  EXPECT_TRUE(IsValue(r, "0"));
}

TEST_F(IteratorTest, TimeIteratorRepeatsForeverWithTheSameIndex) {
  declare(a, "ws", "t", "__time");
  Iter it;
  for (int i = 0; i < 3; ++i) {
    RecordedReply r = step(it, "ifindTry", "t");
    EXPECT_TRUE(IsValue(r, kNowText));
    EXPECT_EQ(r.index, 0);
  }
  // The reply index is max(request index, 0).
  it.index = 7;
  EXPECT_EQ(step(it, "ifetch", "t").index, 7);
  EXPECT_EQ(step(it, "ifetchTry", "t").index, 7);
}

}  // namespace
}  // namespace nws::engine::test
