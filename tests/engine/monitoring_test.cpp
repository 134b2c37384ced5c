// What the engine tells its monitors (the server's web interface): values
// and bytes held, the connections using a workspace, who waits and since
// when, and the administrator's deletions with `delete` semantics.
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class MonitoringTest : public EngineTest {
 protected:
  Session& a = connect(0);
  Session& b = connect(1);
  const Workspace& ws(const std::string& name) { return *engine.workspaces().find(name)->second; }
};

TEST_F(MonitoringTest, HoldingsCountValuesAndTheirBytes) {
  open(a);
  const Holdings before = engine.holdings();
  store(a, "ws", "x", "12345");
  store(a, "ws", "x", std::string(5000, 'z'));  // a blob, not packed
  EXPECT_EQ(engine.holdings().values, before.values + 2);
  EXPECT_EQ(engine.holdings().value_bytes, before.value_bytes + 5005);
  call(a, {"fetch", "ws", "x"});
  EXPECT_EQ(engine.holdings().values, before.values + 1);
  EXPECT_EQ(engine.holdings().value_bytes, before.value_bytes + 5000);
  EXPECT_TRUE(IsShort(call(a, {"delete var", "ws", "x"}), 0));
  EXPECT_EQ(engine.holdings().values, before.values);
  EXPECT_EQ(engine.holdings().value_bytes, before.value_bytes);
}

TEST_F(MonitoringTest, SessionsUsingAWorkspaceAreCounted) {
  open(a);
  EXPECT_EQ(ws("ws").sessions, 1u);
  use(b);
  use(b);  // again: still one connection
  EXPECT_EQ(ws("ws").sessions, 2u);
  engine.close_session(b);
  EXPECT_EQ(ws("ws").sessions, 1u);
  EXPECT_EQ(a.label, "4242");  // the owner label its open ws gave
}

TEST_F(MonitoringTest, DeletingTheWorkspaceUncountsTheDeleter) {
  open(a, "one");
  auto keep = engine.workspaces().find("one")->second;
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "one"}), 0));
  EXPECT_EQ(keep->sessions, 0u);
}

TEST_F(MonitoringTest, WaitersAreVisibleWithTheirSessions) {
  open(a);
  use(b);
  call_blocking(b, {"fetch", "ws", "job"});
  const Variable* v = ws("ws").vars.find("job")->second.get();
  ASSERT_EQ(v->fetchers().size(), 1u);
  EXPECT_EQ(v->fetchers().front().session, &b);
  EXPECT_TRUE(v->finders().empty());
  ASSERT_TRUE(b.blocked);
  EXPECT_EQ(b.blocked->since_ms, 0);  // the harness's engine has no clock
}

TEST_F(MonitoringTest, BlockedRequestsAreCountedWhereverTheyEnd) {
  open(a);
  use(b);
  Session& c = connect(2);
  use(c);
  call_blocking(b, {"fetch", "ws", "x"});
  call_blocking(c, {"find", "ws", "x"});
  EXPECT_EQ(engine.holdings().fetchers, 1u);
  EXPECT_EQ(engine.holdings().finders, 1u);
  store(a, "ws", "x", "v");  // releases both
  released(b);
  released(c);
  EXPECT_EQ(engine.holdings().fetchers, 0u);
  EXPECT_EQ(engine.holdings().finders, 0u);
  call_blocking(b, {"fetch", "ws", "y"});
  engine.close_session(b);  // withdrawn
  call_blocking(c, {"find", "ws", "z"});
  EXPECT_EQ(engine.holdings().finders, 1u);
  EXPECT_TRUE(engine.delete_variable("ws", "z"));  // purged
  released(c);
  EXPECT_EQ(engine.holdings().fetchers, 0u);
  EXPECT_EQ(engine.holdings().finders, 0u);
}

TEST_F(MonitoringTest, AdministratorDeletionsReleaseWaitersLikeDeleteVar) {
  open(a);
  use(b);
  store(a, "ws", "keep", "1");
  call_blocking(b, {"fetch", "ws", "doomed"});
  EXPECT_TRUE(engine.delete_variable("ws", "doomed"));
  RecordedReply r = released(b);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.reason, "Variable purged.");
  EXPECT_FALSE(engine.delete_variable("ws", "doomed"));
  EXPECT_FALSE(engine.delete_variable("nope", "keep"));
  EXPECT_TRUE(engine.delete_workspace("ws"));
  EXPECT_FALSE(engine.delete_workspace("ws"));
  EXPECT_EQ(engine.workspaces().count("ws"), 0u);
}

TEST_F(MonitoringTest, SessionsAreListedInTheOrderTheyOpened) {
  Session& c = connect(2);
  std::vector<std::uint64_t> ids;
  for (const auto& [id, s] : engine.sessions()) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<std::uint64_t>{a.id, b.id, c.id}));
}

}  // namespace
}  // namespace nws::engine::test
