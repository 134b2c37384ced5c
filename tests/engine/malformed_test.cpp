// Requests that are framed correctly but wrong (PROTOCOL.md §6.4, §12,
// Q6/Q7/Q9; DESIGN OQ5): each gets an error of its verb's reply kind with a
// reason, and nothing is executed.
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class MalformedTest : public EngineTest {
 protected:
  void SetUp() override { open(a); }
  Session& a = connect(0);
};

TEST_F(MalformedTest, UnknownVerbGetsShortStatusOne) {
  RecordedReply r = call(a, {"frobnicate", "ws"});
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "Unknown verb \"frobnicate\"");
  EXPECT_FALSE(a.close_requested);
}

TEST_F(MalformedTest, VerbsAreCaseSensitiveAndSpaceExact) {
  // Even a would-be long verb gets a short reply when it is not a verb (Q7).
  for (const char* verb : {"Fetch", "fetchtry", "list  vars", "list_vars", "open  ws", " store"}) {
    RecordedReply r = call(a, {verb, "ws", "x"});
    EXPECT_TRUE(IsShort(r, 1)) << verb;
  }
}

struct VerbShape {
  const char* verb;
  bool is_long;
  std::size_t fewest;  // arguments after the verb
  std::size_t most;
};

const VerbShape kVerbs[] = {
    {"store", false, 4, 4},      {"fetch", true, 2, 4},       {"fetchTry", true, 2, 4},
    {"find", true, 2, 4},        {"findTry", true, 2, 4},     {"ifetch", true, 3, 4},
    {"ifetchTry", true, 3, 4},   {"ifind", true, 3, 4},       {"ifindTry", true, 3, 4},
    {"declare var", false, 3, 3},{"delete var", false, 2, 2}, {"delete ws", false, 1, 1},
    {"open ws", false, 3, 4},    {"use ws", false, 3, 4},     {"list vars", true, 1, 1},
    {"list wss", true, 0, 1},    {"mktemp ws", true, 0, 1},   {"deadman", false, 0, 0},
};

std::vector<std::string> request_with(const char* verb, std::size_t n) {
  std::vector<std::string> args{verb};
  // "ws" first so that a wrongly accepted request would act on a real workspace.
  for (std::size_t i = 0; i < n; ++i) args.push_back(i == 0 ? "ws" : "1");
  return args;
}

TEST_F(MalformedTest, TooFewArgumentsGetErrorOfTheVerbsKind) {
  for (const VerbShape& v : kVerbs) {
    if (v.fewest == 0) continue;
    RecordedReply r = call(a, request_with(v.verb, v.fewest - 1));
    if (v.is_long) EXPECT_TRUE(IsLongError(r, 1)) << v.verb;
    else EXPECT_TRUE(IsShort(r, 1)) << v.verb;
  }
  EXPECT_FALSE(a.close_requested);
  EXPECT_FALSE(a.deadman);
}

TEST_F(MalformedTest, TooManyArgumentsGetErrorOfTheVerbsKind) {
  for (const VerbShape& v : kVerbs) {
    RecordedReply r = call(a, request_with(v.verb, v.most + 1));
    if (v.is_long) EXPECT_TRUE(IsLongError(r, 1)) << v.verb;
    else EXPECT_TRUE(IsShort(r, 1)) << v.verb;
  }
  EXPECT_FALSE(a.deadman);
}

TEST_F(MalformedTest, ShortestAndLongestValidFormsAreAccepted) {
  // The other side of the two tests above: no verb is stricter than §7.
  struct Valid {
    std::vector<std::string> args;
    bool is_long;
  };
  const std::vector<Valid> requests = {
      {{"store", "ws", "x", "1", "v"}, false},
      {{"store", "ws", "x", "1", "v"}, false},
      {{"store", "ws", "x", "1", "v"}, false},
      {{"store", "ws", "x", "1", "v"}, false},
      {{"store", "ws", "x", "1", "v"}, false},
      {{"store", "ws", "x", "1", "v"}, false},
      {{"fetch", "ws", "x"}, true},
      {{"fetch", "ws", "x", "id", "0"}, true},
      {{"fetchTry", "ws", "x"}, true},
      {{"find", "ws", "x"}, true},
      {{"find", "ws", "x", "id"}, true},
      {{"findTry", "ws", "x", "id", "0"}, true},
      {{"ifind", "ws", "x", ""}, true},
      {{"ifindTry", "ws", "x", "", "0"}, true},
      {{"ifetchTry", "ws", "x", ""}, true},
      {{"ifetch", "ws", "x", "", "0"}, true},
      {{"declare var", "ws", "x", "fifo"}, false},
      {{"delete var", "ws", "x"}, false},
      {{"list vars", "ws"}, true},
      {{"list wss"}, true},
      {{"list wss", "ws"}, true},
      {{"mktemp ws"}, true},
      {{"mktemp ws", "t%d"}, true},
      {{"open ws", "o", "1", "no"}, false},
      {{"open ws", "o", "1", "no", "yes"}, false},
      {{"use ws", "u", "", "no"}, false},
      {{"use ws", "u", "", "no", "no"}, false},
      {{"delete ws", "o"}, false},
      {{"deadman"}, false},
  };
  for (const Valid& v : requests) {
    RecordedReply r = call(a, v.args);
    EXPECT_EQ(r.status, 0) << v.args[0] << " with " << v.args.size() - 1 << " arguments: " << r.reason;
    EXPECT_EQ(r.is_long, v.is_long) << v.args[0];
  }
}

TEST_F(MalformedTest, NonIntegerDescriptorIs2000AndStoresNothing) {
  // Q9: parse as unsigned 64-bit, anything else is status 2000.
  for (const char* d : {"abc", "", "-1", "1.5", "18446744073709551616", "0x10", "1 2"}) {
    RecordedReply r = call(a, {"store", "ws", "x", d, "v"});
    EXPECT_TRUE(IsShort(r, 2000)) << "descriptor '" << d << "'";
  }
  EXPECT_EQ(list_vars(a), "");
}

TEST_F(MalformedTest, RefusedRequestGetsErrorOfItsVerbsKindAndDoesNotRun) {
  // The decoder refuses e.g. an argument over the size limit.
  proto::Request r = make_request({"store", "ws", "x", "1", ""});
  r.refusal = "Value too large.";
  engine.execute(a, std::move(r));
  auto replies = sink.take(a);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
  EXPECT_EQ(replies[0].reason, "Value too large.");
  EXPECT_FALSE(a.close_requested);
  EXPECT_EQ(list_vars(a), "");

  proto::Request f = make_request({"fetch", "ws", "x"});
  f.refusal = "Spool failure.";
  engine.execute(a, std::move(f));
  replies = sink.take(a);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsLongError(replies[0], 1));
  EXPECT_EQ(replies[0].reason, "Spool failure.");
  EXPECT_FALSE(engine.is_blocked(a));
}

TEST_F(MalformedTest, RefusedUnknownVerbGetsShortError) {
  proto::Request r = make_request({"whatever", "x"});
  r.refusal = "Too large.";
  engine.execute(a, std::move(r));
  auto replies = sink.take(a);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
}

TEST_F(MalformedTest, EmptyArgumentListIsShortErrorThenClose) {
  // §12: argc 0 gets a short error and the connection closes.
  proto::Request r = make_request({});
  r.refusal = "Empty request.";
  r.close_after_reply = true;
  engine.execute(a, std::move(r));
  auto replies = sink.take(a);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
  EXPECT_TRUE(a.close_requested);
}

TEST_F(MalformedTest, EmptyArgumentListWithoutRefusalIsStillAShortError) {
  proto::Request r = make_request({});
  engine.execute(a, std::move(r));
  auto replies = sink.take(a);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(IsShort(replies[0], 1));
}

TEST_F(MalformedTest, DeadmanMarksTheSession) {
  EXPECT_FALSE(a.deadman);
  EXPECT_TRUE(IsShort(call(a, {"deadman"}), 0));
  EXPECT_TRUE(a.deadman);
  EXPECT_FALSE(a.close_requested);
}

TEST_F(MalformedTest, MalformedRequestLeavesConnectionUsable) {
  // Unlike the original (Q6), nothing stays "blocking" after a bad request.
  call(a, {"fetch", "ws"});
  call(a, {"ifindTry", "ws", "x", "00000000000000000001", "junk"});
  EXPECT_FALSE(engine.is_blocked(a));
  store(a, "ws", "x", "v");
  EXPECT_FALSE(a.close_requested);
}

}  // namespace
}  // namespace nws::engine::test
