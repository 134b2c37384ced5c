// `list vars` and `list wss`, byte for byte (PROTOCOL.md §7.5, §7.6,
// §17.7, §17.8, §21 items 6 and 8).
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class ListingTest : public EngineTest {
 protected:
  void SetUp() override { open(a); }
  Session& a = connect(0);
  Session& b = connect(1);
};

TEST_F(ListingTest, ListVarsReplyIsServerStringWithoutIdOrIndex) {
  store(a, "ws", "x", "v");
  RecordedReply r = call(a, {"list vars", "ws"});
  EXPECT_TRUE(IsValue(r, "x\t1\t0\t0\tfifo"));  // §17.7
  EXPECT_EQ(r.descriptor, kServerString);
  EXPECT_EQ(r.var_id, "");
  EXPECT_EQ(r.index, 0);
  EXPECT_TRUE(r.metadata.empty());
}

TEST_F(ListingTest, ListVarsOfEmptyWorkspaceIsEmptyString) {
  RecordedReply r = call(a, {"list vars", "ws"});
  EXPECT_TRUE(IsValue(r, ""));
  EXPECT_TRUE(r.has_value);
}

TEST_F(ListingTest, ListVarsMatchesConformanceChecklistItemSix) {
  declare(a, "ws", "foo", "single");
  for (int i = 0; i < 4; ++i) store(a, "ws", "foo", std::to_string(i));
  declare(a, "ws", "bar", "multi");
  store(a, "ws", "bar", "1");
  store(a, "ws", "bar", "2");
  store(a, "ws", "buz", "1");
  call(a, {"fetch", "ws", "buz"});
  declare(a, "ws", "bif", "lifo");
  // Sorted by name, TAB-separated, no trailing LF.
  EXPECT_EQ(list_vars(a),
            "bar\t2\t0\t0\tmulti\n"
            "bif\t0\t0\t0\tlifo\n"
            "buz\t0\t0\t0\tfifo\n"
            "foo\t1\t0\t0\tsingle");
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "bif"}), 0));
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "foo"}), 0));
  EXPECT_EQ(list_vars(a),
            "bar\t2\t0\t0\tmulti\n"
            "buz\t0\t0\t0\tfifo");
}

TEST_F(ListingTest, ListVarsSortsByByteValue) {
  for (const char* name : {"b", "B", "a", "_", "\xc3\xa9", "A1", "A"}) store(a, "ws", name, "v");
  EXPECT_EQ(list_vars(a),
            "A\t1\t0\t0\tfifo\n"
            "A1\t1\t0\t0\tfifo\n"
            "B\t1\t0\t0\tfifo\n"
            "_\t1\t0\t0\tfifo\n"
            "a\t1\t0\t0\tfifo\n"
            "b\t1\t0\t0\tfifo\n"
            "\xc3\xa9\t1\t0\t0\tfifo");
}

TEST_F(ListingTest, ListVarsCountsBlockedFetchersAndFinders) {
  Session& c = connect(2);
  Session& d = connect(3);
  for (Session* s : {&b, &c, &d}) use(*s);
  call_blocking(b, {"fetch", "ws", "x"});
  call_blocking(c, {"fetch", "ws", "x"});
  call_blocking(d, {"find", "ws", "x"});
  EXPECT_EQ(list_vars(a), "x\t0\t2\t1\tunknown");
  store(a, "ws", "x", "v");
  EXPECT_EQ(list_vars(a), "x\t0\t1\t0\tfifo");
  for (Session* s : {&b, &d}) released(*s);
}

TEST_F(ListingTest, ListWssShowsDefaultAndOpenedWorkspaceAsInWorkedExample) {
  store(a, "ws", "x", "v");
  RecordedReply r = call(a, {"list wss"});
  // §17.8 with our owner text "host:port (label)" (OQ10).
  EXPECT_TRUE(IsValue(r,
                      " __default\t[system]\tTrue\t0\t\n"
                      ">ws\t127.0.0.1:1000 (4242)\tFalse\t1\tx\n"));
  EXPECT_EQ(r.descriptor, kServerString);
  EXPECT_EQ(r.var_id, "");
  EXPECT_EQ(r.index, 0);
}

TEST_F(ListingTest, ListWssMarkIsPerConnection) {
  use(b);
  EXPECT_EQ(list_wss(b),
            " __default\t[system]\tTrue\t0\t\n"
            " ws\t127.0.0.1:1000 (4242)\tFalse\t0\t\n");
}

TEST_F(ListingTest, ListWssNamesVariablesSortedAndCommaJoined) {
  for (const char* name : {"zeta", "alpha", "Mid"}) store(a, "ws", name, "v");
  call(a, {"fetchTry", "ws", "unknown_one"});  // Q2 variables are listed too
  EXPECT_EQ(list_wss(a),
            " __default\t[system]\tTrue\t0\t\n"
            ">ws\t127.0.0.1:1000 (4242)\tFalse\t4\tMid,alpha,unknown_one,zeta\n");
}

TEST_F(ListingTest, ListWssSortsWorkspacesByName) {
  open(a, "b_ws");
  open(a, "A_ws");
  use(a, "zz");
  EXPECT_EQ(list_wss(a),
            ">A_ws\t127.0.0.1:1000 (4242)\tFalse\t0\t\n"
            " __default\t[system]\tTrue\t0\t\n"
            ">b_ws\t127.0.0.1:1000 (4242)\tFalse\t0\t\n"
            ">ws\t127.0.0.1:1000 (4242)\tFalse\t0\t\n"
            " zz\t\tFalse\t0\t\n");
}

TEST_F(ListingTest, ListWssShowsPersistenceAsTrue) {
  EXPECT_TRUE(IsShort(call(a, {"open ws", "keep", "77", "yes"}), 0));
  EXPECT_EQ(call(a, {"list wss", "keep"}).value, ">keep\t127.0.0.1:1000 (77)\tTrue\t0\t\n");
}

TEST_F(ListingTest, ListWssFilterSelectsOneWorkspace) {
  store(a, "ws", "x", "v");
  RecordedReply r = call(b, {"list wss", "ws"});
  EXPECT_TRUE(IsValue(r, " ws\t127.0.0.1:1000 (4242)\tFalse\t1\tx\n"));
  EXPECT_EQ(call(b, {"list wss", "__default"}).value, " __default\t[system]\tTrue\t0\t\n");
}

TEST_F(ListingTest, ListWssFilterWithoutMatchIsSingleLineFeed) {
  RecordedReply r = call(a, {"list wss", "nothing here"});
  EXPECT_TRUE(IsValue(r, "\n"));
}

TEST_F(ListingTest, ListWssWithEmptyFilterListsEverything) {
  EXPECT_EQ(call(a, {"list wss", ""}).value, list_wss(a));
  EXPECT_NE(list_wss(a).find("ws\t"), std::string::npos);
}

TEST_F(ListingTest, ListWssNeedsNoOpenAndListsWorkspacesOfOthers) {
  // b never opened anything, yet sees every workspace.
  EXPECT_EQ(list_wss(b),
            " __default\t[system]\tTrue\t0\t\n"
            " ws\t127.0.0.1:1000 (4242)\tFalse\t0\t\n");
}

TEST_F(ListingTest, ListWssWithNoWorkspacesAtAllIsSingleLineFeed) {
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "ws"}), 0));
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "__default"}), 0));
  EXPECT_EQ(list_wss(a), "\n");
}

}  // namespace
}  // namespace nws::engine::test

namespace nws::engine::test {
namespace {

// A listing longer than the engine's limit is refused with a reason instead
// of being built whole (the server sets 8 MiB; docs/limits.md).
TEST(ListingLimit, AListingOverTheLimitIsRefusedWithAReason) {
  RecordingSink sink;
  EngineConfig config{[] { return std::string(kNowText); }, kTmpSuffix};
  config.max_listing_bytes = 200;
  Engine engine(config, sink);
  Session& s = engine.open_session("127.0.0.1:1000");
  engine.execute(s, make_request({"open ws", "ws", "me", "no"}));
  for (int i = 0; i < 10; ++i)
    engine.execute(s, make_request({"declare var", "ws", "variable" + std::to_string(i), "fifo"}));
  sink.take(s);
  engine.execute(s, make_request({"list vars", "ws"}));
  auto r = sink.take(s);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(IsLongError(r[0], 1));
  EXPECT_NE(r[0].reason.find("The listing of 10 variables would be longer than 200 bytes"), std::string::npos)
      << r[0].reason;
  // `list wss` of two workspaces is short enough.
  engine.execute(s, make_request({"list wss"}));
  r = sink.take(s);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 0);
}

// With a memory limit, nothing new is made once it is reached; what exists
// is still served.
TEST(MemoryLimit, NoNewVariableOrWorkspacePastTheLimit) {
  RecordingSink sink;
  EngineConfig config{[] { return std::string(kNowText); }, kTmpSuffix};
  config.max_memory = 20'000;
  Engine engine(config, sink);
  Session& s = engine.open_session("127.0.0.1:1000");
  engine.execute(s, make_request({"open ws", "ws", "me", "no"}));
  sink.take(s);
  int made = 0;
  for (; made < 1000; ++made) {
    engine.execute(s, make_request({"declare var", "ws", "v" + std::to_string(made), "fifo"}));
    auto r = sink.take(s);
    ASSERT_EQ(r.size(), 1u);
    if (r[0].status != 0) {
      EXPECT_NE(r[0].reason.find("memory is full"), std::string::npos) << r[0].reason;
      break;
    }
  }
  EXPECT_GT(made, 10);
  EXPECT_LT(made, 1000);
  EXPECT_GE(engine.holdings().memory, config.max_memory);
  engine.execute(s, make_request({"open ws", "other", "me", "no"}));
  EXPECT_TRUE(IsShort(sink.take(s).at(0), 1));
  // What exists goes on working, and deleting makes room again.
  engine.execute(s, make_request({"fetchTry", "ws", "v0"}));
  EXPECT_TRUE(IsLongError(sink.take(s).at(0), 1));  // no value, but no refusal for memory either
  for (int i = 0; i < 5; ++i) engine.execute(s, make_request({"delete var", "ws", "v" + std::to_string(i)}));
  sink.take(s);
  engine.execute(s, make_request({"declare var", "ws", "fresh", "fifo"}));
  EXPECT_TRUE(IsShort(sink.take(s).at(0), 0));
}

}  // namespace
}  // namespace nws::engine::test
