// `delete var` and `delete ws` (PROTOCOL.md §7.2, §7.3, §9.1, §10.5,
// §21 item 17): values go, and blocked clients are told "Variable purged."
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class DeleteTest : public EngineTest {
 protected:
  void SetUp() override {
    for (Session* s : {&a, &b, &c, &d}) open(*s);
  }
  Session& a = connect(0);
  Session& b = connect(1);
  Session& c = connect(2);
  Session& d = connect(3);
};

TEST_F(DeleteTest, DeleteVarDiscardsValuesAndTheVariable) {
  store(a, "ws", "x", "v");
  store(a, "ws", "y", "w");
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "x"}), 0));
  EXPECT_EQ(list_vars(a), "y\t1\t0\t0\tfifo");
}

TEST_F(DeleteTest, DeleteVarOfMissingVariableFails) {
  RecordedReply r = call(a, {"delete var", "ws", "nope"});
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "Variable \"nope\" does not exist in workspace \"ws\".");
  EXPECT_EQ(list_vars(a), "");  // and creates nothing
}

TEST_F(DeleteTest, DeleteVarReleasesFetchersFirstThenFindersWithPurged) {
  call_blocking(b, {"find", "ws", "x"});
  call_blocking(c, {"fetch", "ws", "x"});
  call_blocking(d, {"fetch", "ws", "x"});
  std::size_t before = sink.log().size();
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "x"}), 0));
  const auto& log = sink.log();
  ASSERT_EQ(log.size(), before + 4);
  EXPECT_EQ(log[before].session, c.id);
  EXPECT_EQ(log[before + 1].session, d.id);
  EXPECT_EQ(log[before + 2].session, b.id);
  EXPECT_EQ(log[before + 3].session, a.id);
  for (Session* s : {&b, &c, &d}) {
    RecordedReply r = released(*s);
    EXPECT_TRUE(IsLongError(r, 1));
    EXPECT_EQ(r.reason, "Variable purged.");
  }
  EXPECT_EQ(list_vars(a), "");
}

TEST_F(DeleteTest, ReleasedClientsAreFreeToContinue) {
  call_blocking(b, {"fetch", "ws", "x"});
  call(a, {"delete var", "ws", "x"});
  released(b);
  store(b, "ws", "x", "after");
  EXPECT_TRUE(IsValue(call(b, {"fetch", "ws", "x"}), "after"));
}

TEST_F(DeleteTest, VariableRecreatedAfterDeleteIsBrandNew) {
  declare(a, "ws", "x", "lifo");
  store(a, "ws", "x", "old");
  std::string old_id = call(a, {"findTry", "ws", "x"}).var_id;
  call(a, {"delete var", "ws", "x"});
  store(a, "ws", "x", "new");
  RecordedReply r = call(a, {"findTry", "ws", "x"});
  EXPECT_TRUE(IsValue(r, "new"));
  EXPECT_NE(r.var_id, old_id);
  EXPECT_EQ(r.index, 0);
  EXPECT_EQ(list_vars(a), "x\t1\t0\t0\tfifo");
}

TEST_F(DeleteTest, DeleteWsReleasesWaitersOnEveryVariable) {
  call_blocking(b, {"fetch", "ws", "x"});
  call_blocking(c, {"find", "ws", "y"});
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "ws"}), 0));
  for (Session* s : {&b, &c}) {
    RecordedReply r = released(*s);
    EXPECT_TRUE(IsLongError(r, 1));
    EXPECT_EQ(r.reason, "Variable purged.");
  }
}

TEST_F(DeleteTest, DeleteWsReleasesFetchersBeforeFindersOfAVariable) {
  call_blocking(b, {"find", "ws", "x"});
  call_blocking(c, {"fetch", "ws", "x"});
  std::size_t before = sink.log().size();
  call(a, {"delete ws", "ws"});
  ASSERT_GE(sink.log().size(), before + 2);
  EXPECT_EQ(sink.log()[before].session, c.id);
  EXPECT_EQ(sink.log()[before + 1].session, b.id);
  released(b);
  released(c);
}

TEST_F(DeleteTest, DeleteWsOfMissingWorkspaceFails) {
  RecordedReply r = call(a, {"delete ws", "nope"});
  EXPECT_TRUE(IsShort(r, 1));
  EXPECT_EQ(r.reason, "Workspace \"nope\" does not exist.");
}

TEST_F(DeleteTest, DeleteWsRemovesItFromTheListing) {
  store(a, "ws", "x", "v");
  call(b, {"delete ws", "ws"});
  EXPECT_EQ(list_wss(a), " __default\t[system]\tTrue\t0\t\n");
}

TEST_F(DeleteTest, RecreatedWorkspaceStartsEmpty) {
  store(a, "ws", "x", "v");
  call(a, {"delete ws", "ws"});
  open(a, "ws");
  EXPECT_EQ(list_vars(a), "");
}

TEST_F(DeleteTest, DefaultWorkspaceCanBeDeletedAndComesBackAsOrdinaryWorkspace) {
  // §10.5.
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "__default"}), 0));
  EXPECT_EQ(engine.workspaces().count("__default"), 0u);
  use(b, "__default");
  EXPECT_EQ(call(b, {"list wss", "__default"}).value, " __default\t\tFalse\t0\t\n");
}

}  // namespace
}  // namespace nws::engine::test
