// The cut of the client bytes the replay tests use: "all at once" must really
// be few writes (or the test would not test a pipelining server), and must
// still keep the recorded order across the two blocking connections.
#include <gtest/gtest.h>

#include "legacy_sessions.hpp"
#include "replay.hpp"

namespace nws::legacy {

void PrintTo(const PlannedWrite& w, std::ostream* os) {
  *os << "{conn " << w.conn << ", bytes " << w.begin << ".." << w.end << "}";
}

namespace {

std::size_t end_of_request(const Transcript& t, std::size_t index) {
  return t.requests.at(index).offset + t.requests.at(index).length;
}

TEST(LegacySchedule, RecordedChunksAreTheRecordedClientRows) {
  const Transcript& t = transcript("py3-session");
  std::vector<PlannedWrite> want;
  for (const Chunk& c : t.chunks.rows)
    if (c.client_to_server) want.push_back({0, c.offset, c.offset + c.length});
  EXPECT_EQ(planned_writes({&t}, Split::recorded_chunks), want);
}

// Everything up to the first request that echoes a variable id (request #17,
// the second ifind step) goes in one write, handshake included.
TEST(LegacySchedule, AllAtOnceBreaksOnlyWhereAnEchoedIdIsNeeded) {
  for (const char* name : {"py3-session", "py2orig-session", "r-session"}) {
    SCOPED_TRACE(name);
    const Transcript& t = transcript(name);
    std::size_t second_ifind = t.requests.size() - 10;  // same script in all three
    ASSERT_EQ(t.requests[second_ifind].verb(), "ifind");
    std::vector<PlannedWrite> want = {{0, 0, t.requests[second_ifind].offset},
                                      {0, t.requests[second_ifind].offset, t.c2s.size()}};
    EXPECT_EQ(planned_writes({&t}, Split::all_at_once), want);
  }
}

// The `delete ws` of the mktemp'd workspace needs the name from the reply.
TEST(LegacySchedule, AllAtOnceBreaksBeforeTheDeleteOfTheMktempName) {
  const Transcript& t = transcript("py3-errors");
  ASSERT_EQ(t.requests[12].verb(), "delete ws");
  std::vector<PlannedWrite> want = {{0, 0, t.requests[12].offset}, {0, t.requests[12].offset, t.c2s.size()}};
  EXPECT_EQ(planned_writes({&t}, Split::all_at_once), want);
}

TEST(LegacySchedule, AllAtOnceSendsAMetadataSessionInOneWrite) {
  const Transcript& t = transcript("py3-metadata");
  EXPECT_EQ(planned_writes({&t}, Split::all_at_once), (std::vector<PlannedWrite>{{0, 0, t.c2s.size()}}));
}

// Connection 1 blocks in fetch and later in find; connection 2 releases them.
// A write never spans the other connection's actions.
TEST(LegacySchedule, AllAtOnceKeepsTheBlockingInterleaving) {
  const Transcript& one = transcript("py3-blocking-1");
  const Transcript& two = transcript("py3-blocking-2");
  std::vector<PlannedWrite> want = {
      {0, 0, end_of_request(one, 0)},                         // handshake + open ws
      {1, 0, end_of_request(two, 0)},                         // handshake + use ws
      {0, one.requests[1].offset, end_of_request(one, 1)},    // fetch wakeup (blocks)
      {1, two.requests[1].offset, end_of_request(two, 1)},    // store wakeup
      {0, one.requests[2].offset, end_of_request(one, 2)},    // find later (blocks)
      {1, two.requests[2].offset, two.c2s.size()},            // store later + list vars
  };
  EXPECT_EQ(planned_writes({&one, &two}, Split::all_at_once), want);
}

}  // namespace
}  // namespace nws::legacy
