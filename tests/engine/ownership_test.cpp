// `open ws` / `use ws`, ownership, persistence and what a disconnect purges
// (PROTOCOL.md §7.8, §7.9, §10.3, §10.4; DESIGN OQ1: only the real owner's
// disconnect purges, although every `open ws` gets the `>` mark).
#include "engine_harness.hpp"

namespace nws::engine::test {
namespace {

class OwnershipTest : public EngineTest {
 protected:
  std::string line_of(Session& s, const std::string& ws) { return call(s, {"list wss", ws}).value; }
  bool exists(const std::string& ws) { return engine.workspaces().count(ws) != 0; }
  Session& a = connect(0);
  Session& b = connect(1);
};

TEST_F(OwnershipTest, OpenCreatesWorkspaceOwnedByCallerWithItsPersistence) {
  EXPECT_TRUE(IsShort(call(a, {"open ws", "w", "4242", "yes"}), 0));
  EXPECT_EQ(line_of(a, "w"), ">w\t127.0.0.1:1000 (4242)\tTrue\t0\t\n");
}

TEST_F(OwnershipTest, OpenWithoutCreateArgumentCreates) {
  EXPECT_TRUE(IsShort(call(a, {"open ws", "w", "1", "no"}), 0));
  EXPECT_TRUE(exists("w"));
}

TEST_F(OwnershipTest, OpenWithCreateNoOfMissingWorkspaceIs100AndCreatesNothing) {
  for (const char* create : {"no", "", "YES", "true"}) {
    RecordedReply r = call(a, {"open ws", "w", "1", "no", create});
    EXPECT_TRUE(IsShort(r, 100)) << "create=" << create;
    EXPECT_EQ(r.reason, "No such workspace.");
  }
  EXPECT_FALSE(exists("w"));
  // And the name stays unresolved for this connection.
  EXPECT_TRUE(IsShort(call(a, {"store", "w", "x", "1", "v"}), 2001));
}

TEST_F(OwnershipTest, UseWithCreateNoOfMissingWorkspaceIs100) {
  EXPECT_TRUE(IsShort(call(a, {"use ws", "w", "", "no", "no"}), 100));
  EXPECT_FALSE(exists("w"));
}

TEST_F(OwnershipTest, CreateYesCreates) {
  EXPECT_TRUE(IsShort(call(a, {"open ws", "w", "1", "no", "yes"}), 0));
  EXPECT_TRUE(exists("w"));
}

TEST_F(OwnershipTest, CreateNoOnExistingWorkspaceOpensIt) {
  open(a, "w");
  EXPECT_TRUE(IsShort(call(b, {"open ws", "w", "2", "no", "no"}), 0));
  store(b, "w", "x", "v");
}

TEST_F(OwnershipTest, PersistentOnlyForTheExactStringYes) {
  int i = 0;
  for (const char* p : {"YES", "Yes", "true", "1", "yes "}) {
    std::string ws = "w" + std::to_string(i++);
    EXPECT_TRUE(IsShort(call(a, {"open ws", ws, "1", p}), 0));
    EXPECT_EQ(line_of(a, ws), ">" + ws + "\t127.0.0.1:1000 (1)\tFalse\t0\t\n") << p;
  }
}

TEST_F(OwnershipTest, LaterOpenChangesNeitherOwnerNorPersistence) {
  EXPECT_TRUE(IsShort(call(a, {"open ws", "w", "first", "no"}), 0));
  EXPECT_TRUE(IsShort(call(b, {"open ws", "w", "second", "yes"}), 0));
  EXPECT_EQ(line_of(a, "w"), ">w\t127.0.0.1:1000 (first)\tFalse\t0\t\n");
}

TEST_F(OwnershipTest, EveryOpenMarksTheWorkspaceForThatConnection) {
  // Quirk Q1 for the mark; OQ1 decides purging separately.
  open(a, "w");
  open(b, "w");
  EXPECT_EQ(line_of(b, "w"), ">w\t127.0.0.1:1000 (4242)\tFalse\t0\t\n");
}

TEST_F(OwnershipTest, UseNeverClaimsNorMarks) {
  EXPECT_TRUE(IsShort(call(a, {"use ws", "w", "label", "yes"}), 0));
  // Created by use: unowned and not persistent whatever was asked.
  EXPECT_EQ(line_of(a, "w"), " w\t\tFalse\t0\t\n");
  open(b, "w");
  use(a, "w");
  EXPECT_EQ(line_of(a, "w"), " w\t127.0.0.1:1001 (4242)\tFalse\t0\t\n");
}

TEST_F(OwnershipTest, FirstOpenAfterUseSetsOwnerAndPersistence) {
  use(a, "w");
  EXPECT_TRUE(IsShort(call(b, {"open ws", "w", "lbl", "yes"}), 0));
  EXPECT_EQ(line_of(b, "w"), ">w\t127.0.0.1:1001 (lbl)\tTrue\t0\t\n");
}

TEST_F(OwnershipTest, OwnersDisconnectDestroysNonPersistentWorkspace) {
  open(a, "w");
  engine.close_session(a);
  EXPECT_FALSE(exists("w"));
  EXPECT_EQ(list_wss(b), " __default\t[system]\tTrue\t0\t\n");
}

TEST_F(OwnershipTest, OwnersDisconnectPurgesWaitersOfOthers) {
  open(a, "w");
  use(b, "w");
  call_blocking(b, {"fetch", "w", "x"});
  engine.close_session(a);
  RecordedReply r = released(b);
  EXPECT_TRUE(IsLongError(r, 1));
  EXPECT_EQ(r.reason, "Variable purged.");
  // b's resolution now points at a destroyed instance.
  EXPECT_TRUE(IsShort(call(b, {"store", "w", "x", "1", "v"}), 100));
}

TEST_F(OwnershipTest, OwnerBlockedInItsOwnWorkspaceIsWithdrawnNotAnswered) {
  // The departing connection is withdrawn first, so the purge of its own
  // workspace sends it nothing (it could not be written anyway).
  open(a, "w");
  call_blocking(a, {"fetch", "w", "x"});
  std::uint64_t id = a.id;
  std::size_t before = sink.log().size();
  engine.close_session(a);
  for (std::size_t i = before; i < sink.log().size(); ++i) EXPECT_NE(sink.log()[i].session, id);
  EXPECT_FALSE(exists("w"));
  EXPECT_EQ(engine.session_count(), 1u);
}

TEST_F(OwnershipTest, OwnersDisconnectKeepsPersistentWorkspaceAndItsOwnerText) {
  EXPECT_TRUE(IsShort(call(a, {"open ws", "w", "7", "yes"}), 0));
  store(a, "w", "x", "v");
  engine.close_session(a);
  ASSERT_TRUE(exists("w"));
  EXPECT_EQ(line_of(b, "w"), " w\t127.0.0.1:1000 (7)\tTrue\t1\tx\n");
}

TEST_F(OwnershipTest, NonOwnersDisconnectDoesNotPurgeEvenThoughItOpened) {
  // OQ1: the safer variant of quirk Q1.
  open(a, "w");
  open(b, "w");
  engine.close_session(b);
  EXPECT_TRUE(exists("w"));
  engine.close_session(a);
  EXPECT_FALSE(exists("w"));
}

TEST_F(OwnershipTest, UsersDisconnectDoesNotPurge) {
  use(a, "w");
  engine.close_session(a);
  EXPECT_TRUE(exists("w"));
}

TEST_F(OwnershipTest, OwnersDisconnectSparesANewerInstanceOfTheSameName) {
  open(a, "w");
  EXPECT_TRUE(IsShort(call(b, {"delete ws", "w"}), 0));
  open(b, "w");  // a new instance, owned by b
  store(b, "w", "x", "v");
  engine.close_session(a);
  ASSERT_TRUE(exists("w"));
  EXPECT_EQ(list_vars(b, "w"), "x\t1\t0\t0\tfifo");
}

TEST_F(OwnershipTest, DisconnectPurgesEveryNonPersistentWorkspaceItOwns) {
  open(a, "w1");
  open(a, "w2");
  EXPECT_TRUE(IsShort(call(a, {"open ws", "keep", "1", "yes"}), 0));
  engine.close_session(a);
  EXPECT_FALSE(exists("w1"));
  EXPECT_FALSE(exists("w2"));
  EXPECT_TRUE(exists("keep"));
}

TEST_F(OwnershipTest, DefaultWorkspaceIsSystemOwnedPersistentAndStillNeedsOpening) {
  EXPECT_EQ(list_wss(a), " __default\t[system]\tTrue\t0\t\n");
  EXPECT_TRUE(IsShort(call(a, {"store", "__default", "x", "1", "v"}), 2001));
  open(a, "__default");
  store(a, "__default", "x", "v");
  // Already owned: opening it changes nothing but the mark, and closing
  // the connection leaves it alone.
  EXPECT_EQ(line_of(a, "__default"), ">__default\t[system]\tTrue\t1\tx\n");
  engine.close_session(a);
  EXPECT_TRUE(exists("__default"));
}

TEST_F(OwnershipTest, CreationMetadataWithUnknownTypeCreatesStandardWorkspace) {
  // OQ3: the sleighs fall back to their classic protocol on a standard workspace.
  RecordedReply r = call(a, {"open ws", "sl", "1", "no"}, proto::Dict{{"wstype", "sleigh"}});
  EXPECT_TRUE(IsShort(r, 0));
  r = call(b, {"use ws", "sl2", "", "no"}, proto::Dict{{"wstype", "no such plugin"}});
  EXPECT_TRUE(IsShort(r, 0));
  store(a, "sl", "x", "v");
  EXPECT_EQ(list_vars(a, "sl"), "x\t1\t0\t0\tfifo");
}

}  // namespace
}  // namespace nws::engine::test
