// §21 items 12-15: client-side iterators (§11) driving ifind*/ifetch* over
// fifo and single variables (§9.3, §9.5), and their end on deletion.
#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

using IteratorsTest = ConformanceTest;

void store_range(RawClient& c, const std::string& var, int from, int to) {
  for (int i = from; i < to; ++i) c.store("ws", var, std::to_string(i));
}

// Steps `it` until the server reports the end; returns the values seen.
std::vector<std::string> drain(Iterator& it, RawClient& c, std::string_view verb, const std::string& var) {
  std::vector<std::string> seen;
  for (int guard = 0; guard < 1000; ++guard) {
    LongReply r = it.step(c, verb, "ws", var);
    if (r.status() != 0) {
      // End of iteration: a non-zero status with an empty non-direct value.
      EXPECT_EQ(r.status(), 1);
      EXPECT_EQ(r.head.descriptor, 0u);
      EXPECT_TRUE(r.value.empty());
      break;
    }
    seen.push_back(r.value);
  }
  return seen;
}

std::vector<std::string> range(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back(std::to_string(i));
  return v;
}

TEST_F(IteratorsTest, IfindTryYieldsValuesInOrderThenOnlyNewOnesAfterRestartAndAllAfterReset) {
  RawClient c = connect_and_open("ws");
  store_range(c, "x", 0, 10);
  Iterator it;
  EXPECT_EQ(drain(it, c, "ifindTry", "x"), range(0, 10));
  EXPECT_EQ(it.index, 9) << "the index of the last value received";
  store_range(c, "x", 10, 20);
  // Restarting keeps the state (id, last index): only the new values.
  EXPECT_EQ(drain(it, c, "ifindTry", "x"), range(10, 20));
  it.reset();
  EXPECT_EQ(drain(it, c, "ifindTry", "x"), range(0, 20));
  EXPECT_EQ(find_var(list_vars(c, "ws"), "x")->values, 20) << "ifind never consumes";
}

TEST_F(IteratorsTest, IfindTryFirstStepMatchesExample17_6) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "x", "a");
  // R 2.0 sends the index left-justified and space-padded: "0" + 19 spaces.
  for (std::string index : {n20(0), std::string("0") + std::string(19, ' ')}) {
    LongReply r = c.call_long({"ifindTry", "ws", "x", spaces20(), index});
    ASSERT_EQ(r.status(), 0);
    EXPECT_EQ(r.value, "a");
    EXPECT_EQ(r.head.index, 0);
    EXPECT_EQ(r.head.var_id.find_first_not_of("0123456789"), std::string::npos) << r.head.var_id;
    LongReply next = c.call_long({"ifindTry", "ws", "x", r.head.var_id, std::string("0") + std::string(19, ' ')});
    EXPECT_EQ(next.status(), 1) << "nothing after index 0";
  }
}

TEST_F(IteratorsTest, IfetchTryConsumesEveryValue) {
  RawClient c = connect_and_open("ws");
  store_range(c, "x", 0, 10);
  Iterator it;
  EXPECT_EQ(drain(it, c, "ifetchTry", "x"), range(0, 10));
  EXPECT_EQ(list_vars(c, "ws"), "x\t0\t0\t0\tfifo");
}

TEST_F(IteratorsTest, TwoInterleavedIfetchTryIteratorsConsumeEachValueExactlyOnce) {
  RawClient c = connect_and_open("ws");
  RawClient d = connect_and_open("ws");
  store_range(c, "x", 0, 10);
  Iterator a, b;
  std::vector<std::string> seen;
  for (int step = 0; step < 10; ++step) {
    bool use_a = step % 2 == 0;
    LongReply r = use_a ? a.step(c, "ifetchTry", "ws", "x") : b.step(d, "ifetchTry", "ws", "x");
    ASSERT_EQ(r.status(), 0) << "step " << step;
    seen.push_back(r.value);
  }
  EXPECT_EQ(seen, range(0, 10));
  EXPECT_EQ(a.step(c, "ifetchTry", "ws", "x").status(), 1);
  EXPECT_EQ(b.step(d, "ifetchTry", "ws", "x").status(), 1);
}

TEST_F(IteratorsTest, TwoInterleavedIfindTryIteratorsEachSeeEveryValue) {
  RawClient c = connect_and_open("ws");
  store_range(c, "x", 0, 10);
  Iterator a, b;
  std::vector<std::string> seen_a, seen_b;
  for (int step = 0; step < 10; ++step) {
    LongReply ra = a.step(c, "ifindTry", "ws", "x");
    LongReply rb = b.step(c, "ifindTry", "ws", "x");
    ASSERT_EQ(ra.status(), 0);
    ASSERT_EQ(rb.status(), 0);
    seen_a.push_back(ra.value);
    seen_b.push_back(rb.value);
  }
  EXPECT_EQ(seen_a, range(0, 10));
  EXPECT_EQ(seen_b, range(0, 10));
}

TEST_F(IteratorsTest, IteratorsEndAfterDeleteVarBecauseTheIdChanged) {
  RawClient c = connect_and_open("ws");
  store_range(c, "x", 0, 3);
  Iterator finder, fetcher;
  ASSERT_EQ(finder.step(c, "ifind", "ws", "x").value, "0");
  ASSERT_EQ(fetcher.step(c, "ifetch", "ws", "x").value, "0");
  ASSERT_EQ(c.call_short({"delete var", "ws", "x"}), 0);
  store_range(c, "x", 10, 13);
  // The blocking verbs answer at once: id mismatch, status 1.
  for (auto* it : {&finder, &fetcher}) {
    std::string verb = it == &finder ? "ifind" : "ifetch";
    c.send(test::encode_request({verb, "ws", "x", it->id, n20(static_cast<std::uint64_t>(it->index))}));
    EXPECT_EQ(c.read_exact(84), long_error_bytes(1)) << verb;
  }
  EXPECT_EQ(find_var(list_vars(c, "ws"), "x")->values, 3) << "the new values are untouched";
}

// §9.5's Python test expectations: 100, 101, (102, 103 stored) 103, end;
// after 104 and 105 are stored: 105, end.
void check_single_iteration(RawClient& c, std::string_view verb) {
  ASSERT_EQ(c.call_short({"declare var", "ws", "s", "single"}), 0);
  Iterator it;
  auto next = [&] { return it.step(c, verb, "ws", "s"); };
  c.store("ws", "s", "100");
  EXPECT_EQ(next().value, "100");
  EXPECT_EQ(it.index, 0);
  c.store("ws", "s", "101");
  EXPECT_EQ(next().value, "101");
  EXPECT_EQ(it.index, 1);
  c.store("ws", "s", "102");
  c.store("ws", "s", "103");
  EXPECT_EQ(next().value, "103");
  EXPECT_EQ(it.index, 3);
  EXPECT_EQ(next().status(), 1);
  c.store("ws", "s", "104");
  c.store("ws", "s", "105");
  EXPECT_EQ(next().value, "105");
  EXPECT_EQ(it.index, 5);
  EXPECT_EQ(next().status(), 1);
  EXPECT_EQ(it.index, 5) << "a failed step leaves the state unchanged";
}

TEST_F(IteratorsTest, IfindTryOnSingleVariableFollowsSection9_5) {
  RawClient c = connect_and_open("ws");
  check_single_iteration(c, "ifindTry");
  EXPECT_EQ(find_var(list_vars(c, "ws"), "s")->values, 1) << "105 stays";
}

TEST_F(IteratorsTest, IfetchTryOnSingleVariableFollowsSection9_5) {
  RawClient c = connect_and_open("ws");
  check_single_iteration(c, "ifetchTry");
  EXPECT_EQ(find_var(list_vars(c, "ws"), "s")->values, 0) << "105 was consumed";
}

TEST_F(IteratorsTest, LifoSupportsOnlyTheFirstIterationStep) {
  RawClient c = connect_and_open("ws");
  ASSERT_EQ(c.call_short({"declare var", "ws", "l", "lifo"}), 0);
  store_range(c, "l", 0, 3);
  Iterator it;
  EXPECT_EQ(it.step(c, "ifindTry", "ws", "l").value, "2");
  EXPECT_EQ(it.step(c, "ifindTry", "ws", "l").status(), 1);
}

}  // namespace
}  // namespace nws::conformance
