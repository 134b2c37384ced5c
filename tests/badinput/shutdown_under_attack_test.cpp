// SIGTERM while hostile clients are in every awkward state at once: the
// server still exits with status 0, without sanitizer reports, and leaves no
// spool file behind.
#include "harness.hpp"

namespace nws::test {
namespace {

using ShutdownUnderAttack = BadInputTest;

TEST_F(ShutdownUnderAttack, SigtermWithBlockedHalfSentAndUnreadClientsExitsCleanly) {
  ASSERT_NO_FATAL_FAILURE(start({"--spool-threshold", "65536"}));

  RawClient fetcher = attacker();
  fetcher.request({"fetch", kArena, "forever"});
  RawClient finder = attacker();
  finder.request({"find", kArena, "forever"});
  ASSERT_TRUE(wait_var_line("forever", "forever\t0\t1\t1\tunknown"));

  RawClient half_value = attacker();
  std::string head;
  proto::append_request_head(head, nullptr, {"store", kArena, "half", n20_field(1)}, 4u << 20);
  half_value.send(head + pattern_bytes(200 * 1024, 1));
  ASSERT_TRUE(poll_until([&] { return server().spool_file_count() == 1; }));

  RawClient half_greeting = connect_raw();
  half_greeting.send("X0");

  // A big stored value being pushed at a client that never reads it.
  RawClient unread = attacker();
  unread.store(kArena, "big", pattern_bytes(2u << 20, 2));
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += encode_request({"findTry", kArena, "big"});
  unread.send(burst);

  expect_server_healthy("clients left blocked, half-sent and unread");
  stop_server_and_check();
  EXPECT_EQ(server().spool_file_count(), 0u) << "spool files left after shutdown";
}

}  // namespace
}  // namespace nws::test
