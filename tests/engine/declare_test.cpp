// `declare var` and the redeclaration table (PROTOCOL.md §7.1, §9.8).
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class DeclareTest : public EngineTest {
 protected:
  void SetUp() override { open(a); }
  RecordedReply declare_reply(const std::string& var, const std::string& mode) {
    return call(a, {"declare var", "ws", var, mode});
  }
  Session& a = connect(0);
};

TEST_F(DeclareTest, NewVariableGetsEachDeclarableMode) {
  for (const char* mode : {"fifo", "lifo", "multi", "single", "__time", "__barrier"})
    EXPECT_TRUE(IsShort(declare_reply(std::string("v") + mode, mode), 0)) << mode;
  EXPECT_EQ(list_vars(a),
            "v__barrier\t3\t0\t0\t__barrier\n"
            "v__time\t1\t0\t0\t__time\n"
            "vfifo\t0\t0\t0\tfifo\n"
            "vlifo\t0\t0\t0\tlifo\n"
            "vmulti\t0\t0\t0\tmulti\n"
            "vsingle\t0\t0\t0\tsingle");
}

TEST_F(DeclareTest, InvalidModeOnNewVariableFailsAndLeavesUnknownVariable) {
  // Quirk Q3.
  RecordedReply r = declare_reply("y", "stack");
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "Cannot change variable mode to \"stack\".");
  EXPECT_EQ(list_vars(a), "y\t0\t0\t0\tunknown");
}

TEST_F(DeclareTest, ModeNamesAreCaseSensitive) {
  EXPECT_TRUE(IsShort(declare_reply("y", "FIFO"), 1));
  EXPECT_EQ(list_vars(a), "y\t0\t0\t0\tunknown");
}

TEST_F(DeclareTest, UnknownModeIsNotDeclarable) {
  EXPECT_TRUE(IsShort(declare_reply("y", "unknown"), 1));
}

TEST_F(DeclareTest, UnknownVariableSwitchesToDeclaredMode) {
  call(a, {"findTry", "ws", "y"});
  EXPECT_TRUE(IsShort(declare_reply("y", "lifo"), 0));
  EXPECT_EQ(list_vars(a), "y\t0\t0\t0\tlifo");
}

TEST_F(DeclareTest, UnknownVariableLeftByFailedDeclareCanStillBeDeclared) {
  EXPECT_TRUE(IsShort(declare_reply("y", "bogus"), 1));
  EXPECT_TRUE(IsShort(declare_reply("y", "single"), 0));
  EXPECT_EQ(list_vars(a), "y\t0\t0\t0\tsingle");
}

TEST_F(DeclareTest, UnknownVariableKeepsItsWaitersWhenDeclared) {
  Session& b = connect(1);
  use(b);
  call_blocking(b, {"fetch", "ws", "y"});
  EXPECT_TRUE(IsShort(declare_reply("y", "lifo"), 0));
  EXPECT_EQ(list_vars(a), "y\t0\t1\t0\tlifo");
  store(a, "ws", "y", "v");
  RecordedReply r = released(b);
  EXPECT_TRUE(IsValue(r, "v"));
  EXPECT_EQ(r.index, 0);  // delivered by the lifo rule
}

TEST_F(DeclareTest, SameModeAgainIsANoOpThatKeepsValues) {
  declare(a, "ws", "y", "lifo");
  store(a, "ws", "y", "kept");
  EXPECT_TRUE(IsShort(declare_reply("y", "lifo"), 0));
  EXPECT_EQ(list_vars(a), "y\t1\t0\t0\tlifo");
}

TEST_F(DeclareTest, DifferentModeOnDeclaredVariableFailsAndChangesNothing) {
  declare(a, "ws", "y", "single");
  store(a, "ws", "y", "kept");
  for (const char* mode : {"fifo", "lifo", "multi", "__time", "__barrier", "nonsense"})
    EXPECT_TRUE(IsShort(declare_reply("y", mode), 1)) << mode;
  EXPECT_EQ(list_vars(a), "y\t1\t0\t0\tsingle");
}

TEST_F(DeclareTest, VariableCreatedByStoreIsFifoAndCannotBecomeSingle) {
  store(a, "ws", "y", "v");
  EXPECT_TRUE(IsShort(declare_reply("y", "single"), 1));
  EXPECT_TRUE(IsShort(declare_reply("y", "fifo"), 0));
  EXPECT_EQ(list_vars(a), "y\t1\t0\t0\tfifo");
}

TEST_F(DeclareTest, OnlyDeletingTheVariableAllowsANewMode) {
  store(a, "ws", "y", "v");
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "y"}), 0));
  EXPECT_TRUE(IsShort(declare_reply("y", "single"), 0));
  EXPECT_EQ(list_vars(a), "y\t0\t0\t0\tsingle");
}

TEST_F(DeclareTest, RClientFallbackFindsFirstAcceptedMode) {
  // The R nwsVariable helper tries the requested mode, then fifo, lifo,
  // multi, single, and relies on the failure statuses to stop.
  declare(a, "ws", "y", "multi");
  EXPECT_TRUE(IsShort(declare_reply("y", "single"), 1));
  EXPECT_TRUE(IsShort(declare_reply("y", "fifo"), 1));
  EXPECT_TRUE(IsShort(declare_reply("y", "lifo"), 1));
  EXPECT_TRUE(IsShort(declare_reply("y", "multi"), 0));
}

}  // namespace
}  // namespace nws::engine::test
