// Names the listings could not show (protocol/names.hpp): refused with an
// error reply of the verb's kind, and nothing is created.
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class NamesTest : public EngineTest {
 protected:
  void SetUp() override { open(a); }
  Session& a = connect(0);
};

TEST_F(NamesTest, AVariableNameWithATabIsRefusedAndNotCreated) {
  RecordedReply r = call(a, {"store", "ws", "a\tb", "00000000000016777217", "v"});
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "Invalid variable name: it contains a TAB (names may not hold TAB, LF, CR or NUL, or exceed "
                      "4096 bytes).");
  EXPECT_EQ(list_vars(a), "");
}

TEST_F(NamesTest, RetrievalsGetALongErrorReply) {
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "ws", "a\nb"}), 1));
  EXPECT_TRUE(IsLongError(call(a, {"find", "ws", std::string("a\0b", 3)}), 1));
  EXPECT_TRUE(IsLongError(call(a, {"ifindTry", "ws", "a\rb", std::string(20, ' '), "0"}), 1));
  EXPECT_EQ(list_vars(a), "");
}

TEST_F(NamesTest, WorkspaceNamesAndOwnerLabelsFollowTheSameRule) {
  EXPECT_TRUE(IsShort(call(a, {"open ws", "w\tx", "me", "no"}), 1));
  EXPECT_TRUE(IsShort(call(a, {"open ws", "fine", "me\n", "no"}), 1));
  EXPECT_TRUE(IsShort(call(a, {"use ws", std::string(4097, 'w'), "", "no"}), 1));
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "w\tx"}), 1));
  EXPECT_TRUE(IsLongError(call(a, {"list wss", "w\tx"}), 1));
  EXPECT_TRUE(IsLongError(call(a, {"mktemp ws", "t\t%d"}), 1));
  EXPECT_EQ(list_wss(a).find("w\tx"), std::string::npos);
  EXPECT_EQ(list_wss(a).find("fine"), std::string::npos);
}

TEST_F(NamesTest, TheLimitIsInclusiveAndEmptyNamesStayAllowed) {
  const std::string longest(4096, 'n');
  store(a, "ws", longest, "v");
  store(a, "ws", "", "empty name");  // the original accepts it, and so do we
  EXPECT_TRUE(IsShort(call(a, {"store", "ws", longest + "n", "00000000000016777217", "v"}), 1));
  EXPECT_EQ(list_vars(a), "\t1\t0\t0\tfifo\n" + longest + "\t1\t0\t0\tfifo");
}

}  // namespace
}  // namespace nws::engine::test
