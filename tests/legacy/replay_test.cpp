// Replays the recorded legacy sessions against a fresh nws-server and
// compares every reply byte for byte after normalising only the fields the
// README lists as varying.  One test per (session, way of cutting the client
// bytes).  Each test starts one server and replays, in recording order, every
// session recorded before the one under test (cut as recorded, and checked
// as well) and then that session: the mktemp ws name shows the server-wide
// instance counter, so the history must be the recorded one.
#include <gtest/gtest.h>

#include "legacy_sessions.hpp"
#include "replay.hpp"
#include "server_process.hpp"

namespace nws::legacy {
namespace {

struct Case {
  std::size_t group;  // index into recorded_groups()
  Split split;
};

std::vector<Case> all_cases() {
  std::vector<Case> out;
  for (std::size_t g = 0; g < recorded_groups().size(); ++g)
    for (Split s : {Split::recorded_chunks, Split::byte_at_a_time, Split::all_at_once}) out.push_back({g, s});
  return out;
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << recorded_groups()[c.group].id << " cut " << split_name(c.split);
}

class LegacyReplay : public ::testing::TestWithParam<Case> {};

std::vector<const Transcript*> members(const SessionGroup& g) {
  std::vector<const Transcript*> out;
  for (const auto& name : g.members) out.push_back(&transcript(name));
  return out;
}

TEST_P(LegacyReplay, RepliesMatchTheRecording) {
  const Case c = GetParam();
  // As the original did, the server lets clients stop it (and so offers
  // KillServerOnClose).
  nws::test::ServerProcess server({"--allow-client-shutdown"});
  for (std::size_t g = 0; g <= c.group; ++g) {
    const SessionGroup& group = recorded_groups()[g];
    Split split = g == c.group ? c.split : Split::recorded_chunks;
    SCOPED_TRACE(group.id + " cut " + split_name(split) + (g == c.group ? "" : " (history before the session under test)"));
    ASSERT_TRUE(replay_group(server.port(), members(group), split)) << "server log:\n" << server.log();
    // Every recorded session cleaned up after itself, so the next one starts,
    // like in the recording, with only __default.
    std::string listing;
    ASSERT_TRUE(wait_until_only_default(server.port(), &listing)) << "left behind: " << listing;
  }
  EXPECT_TRUE(server.running()) << server.log();
}

INSTANTIATE_TEST_SUITE_P(Sessions, LegacyReplay, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                           const Case& c = param_info.param;
                           return recorded_groups()[c.group].id + "_" + split_name(c.split);
                         });

}  // namespace
}  // namespace nws::legacy
