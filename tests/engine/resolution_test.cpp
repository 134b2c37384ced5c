// Per-connection workspace resolution (PROTOCOL.md §7 preamble, §10.2,
// §21 items 10 and 19): 2001 for names this connection never resolved,
// 100 for a resolved instance that has since been deleted.
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

// Every verb that goes through the connection's own map, in its reply kind.
const std::vector<std::pair<std::vector<std::string>, bool>>& resolving_requests() {
  static const std::vector<std::pair<std::vector<std::string>, bool>> requests = {
      {{"declare var", "w", "x", "fifo"}, false},
      {{"delete var", "w", "x"}, false},
      {{"store", "w", "x", "1", "v"}, false},
      {{"fetch", "w", "x"}, true},
      {{"fetchTry", "w", "x"}, true},
      {{"find", "w", "x"}, true},
      {{"findTry", "w", "x"}, true},
      {{"ifetch", "w", "x", "", "0"}, true},
      {{"ifetchTry", "w", "x", "", "0"}, true},
      {{"ifind", "w", "x", "", "0"}, true},
      {{"ifindTry", "w", "x", "", "0"}, true},
      {{"list vars", "w"}, true},
  };
  return requests;
}

class ResolutionTest : public EngineTest {
 protected:
  void expect_status_everywhere(Session& s, int status) {
    for (const auto& [args, is_long] : resolving_requests()) {
      RecordedReply r = call(s, args);
      if (is_long) EXPECT_TRUE(IsLongError(r, status)) << args[0];
      else EXPECT_TRUE(IsShort(r, status)) << args[0];
    }
  }
  Session& a = connect(0);
  Session& b = connect(1);
};

TEST_F(ResolutionTest, NeverOpenedWorkspaceIs2001ForEveryResolvingVerb) {
  open(a, "w");  // exists, but b never resolved it
  expect_status_everywhere(b, 2001);
  // Nothing was created by those requests.
  EXPECT_EQ(list_vars(a, "w"), "");
}

TEST_F(ResolutionTest, NeverOpenedAndNonexistentWorkspaceIs2001) {
  EXPECT_TRUE(IsShort(call(a, {"store", "nowhere", "x", "1", "v"}), 2001));
  EXPECT_TRUE(IsLongError(call(a, {"fetchTry", "nowhere", "x"}), 2001));
}

TEST_F(ResolutionTest, DeletedInstanceIs100ForEveryResolvingVerb) {
  open(a, "w");
  use(b, "w");
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "w"}), 0));
  expect_status_everywhere(b, 100);
}

TEST_F(ResolutionTest, DeletedInstanceIs100EvenAfterSomeoneElseRecreatedTheName) {
  // §21 item 10, and the point of instances: no silent writes into a new
  // workspace of the same name.
  open(a, "w");
  use(b, "w");
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "w"}), 0));
  open(a, "w");
  EXPECT_TRUE(IsShort(call(b, {"store", "w", "x", "1", "v"}), 100));
  EXPECT_EQ(list_vars(a, "w"), "");
}

TEST_F(ResolutionTest, ReopeningRefreshesTheResolution) {
  open(a, "w");
  use(b, "w");
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "w"}), 0));
  open(a, "w");
  use(b, "w");
  store(b, "w", "x", "v");
  EXPECT_TRUE(IsValue(call(a, {"fetch", "w", "x"}), "v"));
}

TEST_F(ResolutionTest, DeleterForgetsTheNameAndGets2001) {
  open(a, "w");
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "w"}), 0));
  EXPECT_TRUE(IsShort(call(a, {"store", "w", "x", "1", "v"}), 2001));
}

TEST_F(ResolutionTest, DeleteWsNeedsNoResolution) {
  open(a, "w");
  EXPECT_TRUE(IsShort(call(b, {"delete ws", "w"}), 0));
  EXPECT_TRUE(engine.workspaces().count("w") == 0);
  EXPECT_TRUE(IsShort(call(a, {"store", "w", "x", "1", "v"}), 100));
}

TEST_F(ResolutionTest, OpenOfExistingWorkspaceResolvesToTheCurrentInstance) {
  open(a, "w");
  store(a, "w", "x", "from a");
  open(b, "w");
  EXPECT_TRUE(IsValue(call(b, {"fetch", "w", "x"}), "from a"));
}

TEST_F(ResolutionTest, ResolutionIsPerConnection) {
  open(a, "w");
  Session& c = connect(2);
  use(c, "w");
  EXPECT_TRUE(IsShort(call(a, {"delete ws", "w"}), 0));
  open(c, "w");  // c refreshes, b never resolved
  EXPECT_TRUE(IsShort(call(b, {"store", "w", "x", "1", "v"}), 2001));
  store(c, "w", "x", "v");
}

}  // namespace
}  // namespace nws::engine::test
