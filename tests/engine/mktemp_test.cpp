// `mktemp ws` (PROTOCOL.md §4, §7.7, §17.9, §21 item 11; DESIGN OQ7).
// A fresh engine's instance counter starts at 1 and nothing else has used
// it, so the first number a template sees is 1.
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class MktempTest : public EngineTest {
 protected:
  RecordedReply mktemp(const std::string& tmpl) { return call(a, {"mktemp ws", tmpl}); }
  std::string name_for(const std::string& tmpl) {
    RecordedReply r = mktemp(tmpl);
    EXPECT_EQ(r.status, 0) << tmpl << ": " << r.reason;
    return r.value;
  }
  Session& a = connect(0);
};

TEST_F(MktempTest, ReplyIsServerStringHoldingFormattedTemplatePlusSuffix) {
  RecordedReply r = mktemp("sleigh_ride_%04d");
  EXPECT_TRUE(IsValue(r, std::string("sleigh_ride_0001") + kTmpSuffix));
  EXPECT_EQ(r.descriptor, kServerString);
  EXPECT_EQ(r.var_id, "");
  EXPECT_EQ(r.index, 0);
  EXPECT_TRUE(r.metadata.empty());
}

TEST_F(MktempTest, DefaultTemplateWithoutArgument) {
  EXPECT_TRUE(IsValue(call(a, {"mktemp ws"}), std::string("__ws__1") + kTmpSuffix));
}

TEST_F(MktempTest, EmptyTemplateMeansDefault) {
  EXPECT_TRUE(IsValue(mktemp(""), std::string("__ws__1") + kTmpSuffix));
}

// One template per engine, each seeing the counter value 1.
struct Conversion {
  const char* tmpl;
  const char* expected;
};
class MktempConversionTest : public MktempTest, public ::testing::WithParamInterface<Conversion> {};

TEST_P(MktempConversionTest, FormatsTheCounterLikePrintf) {
  EXPECT_TRUE(IsValue(mktemp(GetParam().tmpl), std::string(GetParam().expected) + kTmpSuffix));
}

INSTANTIATE_TEST_SUITE_P(Templates, MktempConversionTest,
                         ::testing::Values(Conversion{"foo%d", "foo1"}, Conversion{"%d", "1"},
                                           Conversion{"__pyws__%d", "__pyws__1"},
                                           Conversion{"__Rws__%010d", "__Rws__0000000001"},
                                           Conversion{"x%i", "x1"}, Conversion{"x%u", "x1"},
                                           Conversion{"x%5d|", "x    1|"}, Conversion{"x%-5d|", "x1    |"},
                                           Conversion{"x%+d", "x+1"}, Conversion{"x% d", "x 1"},
                                           Conversion{"x%.3d", "x001"}, Conversion{"x%x", "x1"},
                                           Conversion{"x%#o", "x01"}, Conversion{"x%#X", "x0X1"},
                                           Conversion{"100%%_%d", "100%_1"}, Conversion{"%d%%", "1%"},
                                           Conversion{"a b%03dc", "a b001c"}));

TEST_F(MktempTest, HexConversionOfLargerCounter) {
  for (int i = 0; i < 5; ++i) mktemp("skip%d");  // consumes at least 1..5
  std::string name = name_for("h%x");
  // Whatever the counter is now, it is rendered in lowercase hex.
  std::string digits = name.substr(1, name.size() - 1 - std::string(kTmpSuffix).size());
  EXPECT_EQ(digits.find_first_not_of("0123456789abcdef"), std::string::npos) << name;
  EXPECT_GT(std::stoul(digits, nullptr, 16), 5u);
}

TEST_F(MktempTest, TemplateWithoutConversionFailsTwice) {
  // §21 item 11.
  for (int i = 0; i < 2; ++i) {
    RecordedReply r = mktemp("foo");
    EXPECT_TRUE(IsLongError(r, 1));
  }
  EXPECT_EQ(list_wss(a), " __default\t[system]\tTrue\t0\t\n");
}

TEST_F(MktempTest, FailedTemplateConsumesOneCounterValue) {
  EXPECT_TRUE(IsLongError(mktemp("foo"), 1));
  EXPECT_EQ(name_for("foo%d"), std::string("foo2") + kTmpSuffix);
}

TEST_F(MktempTest, TemplatesThatAreNotOneIntegerConversionFail) {
  for (const char* tmpl : {"%d%d", "a%db%x", "%%", "100%%", "%s", "x%f", "trailing%", "x%5"})
    EXPECT_TRUE(IsLongError(mktemp(tmpl), 1)) << tmpl;
}

TEST_F(MktempTest, CounterIsSharedWithWorkspaceCreation) {
  open(a, "one");  // instance 1
  open(a, "two");  // instance 2
  EXPECT_EQ(name_for("t%d"), std::string("t3") + kTmpSuffix);
}

TEST_F(MktempTest, ConsecutiveNamesDifferAndGrow) {
  std::string first = name_for("n%06d");
  std::string second = name_for("n%06d");
  EXPECT_NE(first, second);
  EXPECT_LT(first, second);  // zero-padded, so byte order is number order
}

TEST_F(MktempTest, CreatedWorkspaceIsUnownedNotPersistentAndResolved) {
  std::string name = name_for("tmp%d");
  // Resolved for the caller: usable without an open.
  store(a, name, "x", "v");
  EXPECT_TRUE(IsValue(call(a, {"fetch", name, "x"}), "v"));
  EXPECT_EQ(call(a, {"list wss", name}).value, " " + name + "\t\tFalse\t1\tx\n");
}

TEST_F(MktempTest, CreatedWorkspaceSurvivesItsCreatorsDisconnect) {
  std::string name = name_for("tmp%d");
  engine.close_session(a);
  Session& b = connect(1);
  EXPECT_EQ(call(b, {"list wss", name}).value, " " + name + "\t\tFalse\t0\t\n");
}

TEST_F(MktempTest, FirstOpenOfTemporaryWorkspaceClaimsIt) {
  std::string name = name_for("tmp%d");
  EXPECT_TRUE(IsShort(call(a, {"open ws", name, "99", "no"}), 0));
  EXPECT_EQ(call(a, {"list wss", name}).value, ">" + name + "\t127.0.0.1:1000 (99)\tFalse\t0\t\n");
}

TEST_F(MktempTest, OtherConnectionsMustOpenTheTemporaryWorkspace) {
  std::string name = name_for("tmp%d");
  Session& b = connect(1);
  EXPECT_TRUE(IsShort(call(b, {"store", name, "x", "1", "v"}), 2001));
}

TEST_F(MktempTest, CollisionSkipsToAnUnusedName) {
  // Three creations use counter values 1..3; one of them occupies the name
  // that value 4 will produce, so mktemp must move on to 5.
  open(a, std::string("c1") + kTmpSuffix);
  open(a, std::string("c2") + kTmpSuffix);
  open(a, std::string("c4") + kTmpSuffix);
  EXPECT_EQ(name_for("c%d"), std::string("c5") + kTmpSuffix);
}

TEST_F(MktempTest, ThousandCollisionsFail) {
  // 1000 creations use counter values 1..1000 and occupy exactly the names
  // that values 1001..2000 would produce: every attempt collides.
  for (int n = 1001; n <= 2000; ++n) use(a, "c" + std::to_string(n) + kTmpSuffix);
  RecordedReply r = mktemp("c%d");
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(engine.workspaces().size(), 1001u);  // __default + the 1000
  // The next value is past the occupied range again.
  EXPECT_EQ(name_for("c%d"), std::string("c2001") + kTmpSuffix);
}

TEST_F(MktempTest, CreationMetadataWithUnknownTypeStillCreatesStandardWorkspace) {
  // OQ3: an unknown wstype is served by a standard workspace.
  RecordedReply r = call(a, {"mktemp ws", "sleigh_ride_%04d"}, proto::Dict{{"wstype", "sleigh"}});
  ASSERT_EQ(r.status, 0);
  store(a, r.value, "x", "v");
  EXPECT_EQ(list_vars(a, r.value), "x\t1\t0\t0\tfifo");
}

}  // namespace
}  // namespace nws::engine::test
