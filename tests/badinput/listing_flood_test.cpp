// Finding: one 64 KiB write of pipelined listings, never read, used to cost
// the server gigabytes (every request of a read ran before the output cap
// was looked at).  Now a client whose output is over its cap has its next
// requests wait until it reads (docs/limits.md): memory stays bounded, and
// everybody else is served at once.
#include <sys/socket.h>

#include <iostream>

#include "harness.hpp"

namespace nws::test {
namespace {


#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer's quarantine and redzones hide small numbers: only a
// gross blow-up shows through it.
constexpr std::size_t kMaxPeakGrowth = 512u << 20;
#else
// The flooder's pending output (8 MiB, plus the listing that takes it
// over), the listing being built, and slack for the allocator.
constexpr std::size_t kMaxPeakGrowth = 32u << 20;
#endif

// Opens `n` workspaces (or variables) in one pipelined burst and reads the replies.
void make_many(RawClient& c, int n, const std::function<std::string(int)>& request) {
  std::string burst;
  for (int i = 0; i < n; ++i) burst += request(i);
  c.send(burst);
  for (int i = 0; i < n; ++i) ASSERT_EQ(c.read_short(nullptr, 30000), 0) << "request " << i;
}

class ListingFlood : public BadInputTest {
 protected:
  // Sends `listing` 2048 times in one write and never reads a reply, while
  // an innocent client is timed and the server's peak memory watched.
  void flood_and_watch(RawClient flooder, const std::string& listing) {
    int small = 4096;
    ASSERT_EQ(::setsockopt(flooder.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
    const std::size_t peak_before = peak_resident_bytes(server().pid());
    std::string burst;
    for (int i = 0; i < 2048; ++i) burst += listing;
    flooder.send(burst);
    // While the flood waits on the server, innocent clients are served in
    // well under a second, again and again.
    for (int i = 0; i < 20; ++i) EXPECT_LT(innocent_round_trip().count(), kInnocentRoundTripMs) << "round " << i;
    const std::size_t peak_after = peak_resident_bytes(server().pid());
    std::cout << "[ info     ] server peak resident memory " << peak_before << " -> " << peak_after << " bytes\n";
    EXPECT_LT(peak_after, peak_before + kMaxPeakGrowth);
    expect_server_healthy("2048 pipelined listings never read");
  }
};

TEST_F(ListingFlood, PipelinedWorkspaceListingsCostBoundedMemory) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient builder = attacker();
  // 20,000 workspaces: each `list wss` reply is about 900 KB.
  ASSERT_NO_FATAL_FAILURE(make_many(builder, 20000, [](int i) {
    return encode_request({"open ws", "flood" + std::to_string(100000 + i), "builder", "no"});
  }));
  flood_and_watch(attacker(), encode_request({"list wss"}));
}

TEST_F(ListingFlood, PipelinedVariableListingsCostBoundedMemory) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient builder = attacker();
  ASSERT_NO_FATAL_FAILURE(make_many(builder, 20000, [](int i) {
    return encode_request({"declare var", kArena, "v" + std::to_string(100000 + i), "fifo"});
  }));
  flood_and_watch(attacker(), encode_request({"list vars", kArena}));
}

TEST_F(ListingFlood, TheFlooderGetsEveryReplyOnceItReads) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient flooder = attacker();
  const std::string big = pattern_bytes(1u << 20, 5);
  flooder.store(kArena, "big", big);
  std::string burst;
  for (int i = 0; i < 40; ++i) burst += encode_request({"findTry", kArena, "big"});  // 40 MiB of replies
  flooder.send(burst);
  EXPECT_LT(innocent_round_trip().count(), kInnocentRoundTripMs);
  for (int i = 0; i < 40; ++i) {
    LongReply r = flooder.read_long(30000);
    ASSERT_EQ(r.status(), 0) << "reply " << i;
    ASSERT_TRUE(r.value == big) << "reply " << i << " damaged";
  }
  expect_server_healthy("a flood read at last");
}

}  // namespace
}  // namespace nws::test
