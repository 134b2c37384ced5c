// Oversized and abandoned values (docs/architecture.md OQ8): a client that vanishes in
// the middle of a spooled value leaves no file behind, and a value over
// --max-value-size is refused with a clear error without desynchronising
// the connection or storing anything.
#include <sys/socket.h>

#include "harness.hpp"

namespace nws::test {
namespace {

using LargeValue = BadInputTest;

// The header of "store arena VAR" announcing a value of `len` bytes.
std::string store_head(const std::string& var, std::uint64_t len) {
  std::string out;
  proto::append_request_head(out, nullptr, {"store", BadInputTest::kArena, var, n20_field(0x01000003)}, len);
  return out;
}

TEST_F(LargeValue, AClientVanishingInsideASpooledValueLeavesNoSpoolFile) {
  ASSERT_NO_FATAL_FAILURE(start({"--spool-threshold", "65536"}));
  for (bool reset : {false, true}) {
    std::string what = std::string("1 MiB of a 10 MiB store, then ") + (reset ? "a reset" : "a close");
    {
      RawClient c = attacker();
      c.send(store_head("abandoned", 10u << 20));
      c.send(pattern_bytes(1u << 20, 3));
      // The value is being spooled: a file exists while the client lingers.
      ASSERT_TRUE(poll_until([&] { return server().spool_file_count() == 1; }))
          << "no spool file appeared for a 10 MiB value (" << server().spool_file_count() << " files)";
      if (reset) {
        linger l{1, 0};  // close with RST instead of FIN
        ::setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
      }
    }
    EXPECT_TRUE(poll_until([&] { return server().spool_file_count() == 0; }))
        << what << ": the half value's spool file is still there (" << server().spool_file_count() << " files)";
    expect_server_healthy(what);
    EXPECT_EQ(var_line("abandoned"), std::nullopt);
  }
}

// Not under AddressSanitizer, which needs terabytes of address space for its
// shadow memory (scripts/test.sh leaves OutOfMemory out of that run).
TEST_F(LargeValue, RunningOutOfMemoryGetsAnErrorReplyAndTheConnectionGoesOn) {
  // 256 MiB of address space, values kept in memory up to 4 GiB, no quota:
  // a 1 GiB store runs the server out of memory part way through.
  ASSERT_NO_FATAL_FAILURE(start({"--spool-threshold", "4294967296", "--max-memory", "0"},
                                ServerLimits{.address_space = 256ull << 20}));
  RawClient c = attacker(true);
  c.send(store_head("too_much", 1ull << 30));
  // Every byte is taken (and dropped once memory ran out): the stream stays
  // in step.
  const std::string chunk = pattern_bytes(1u << 20, 8);
  for (int i = 0; i < 1024; ++i) ASSERT_EQ(::send(c.fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL), 1 << 20);
  proto::Dict md;
  EXPECT_EQ(c.read_short(&md, 30000), 1);
  ASSERT_TRUE(md.get("nwsReason"));
  EXPECT_NE(md.get("nwsReason")->find("ran out of memory"), std::string::npos) << *md.get("nwsReason");
  EXPECT_EQ(var_line("too_much"), std::nullopt);
  // The same connection goes on.
  c.store(kArena, "after", "small");
  LongReply r = c.call_long({"fetchTry", kArena, "after"});
  EXPECT_EQ(r.status(), 0);
  EXPECT_EQ(r.value, "small");
  expect_server_healthy("a store the server had no memory for");
}

TEST_F(LargeValue, AValueOverTheMaximumSizeIsRefusedAndTheConnectionStaysInStep) {
  ASSERT_NO_FATAL_FAILURE(start({"--max-value-size", "1048576", "--spool-threshold", "65536"}));
  RawClient c = attacker(true);
  // 2 MiB: refused with a reason that names the limit.
  c.send(store_head("too_big", 2u << 20) + pattern_bytes(2u << 20, 4));
  proto::Dict md;
  EXPECT_NE(c.read_short(&md), 0);
  auto reason = md.get("nwsReason");
  ASSERT_TRUE(reason.has_value()) << "the refusal carries no nwsReason";
  EXPECT_NE(reason->find("1048576"), std::string::npos) << *reason;
  EXPECT_NE(reason->find("maximum"), std::string::npos) << *reason;
  // In step: the next requests on the same connection get their own replies,
  // and nothing was stored.
  LongReply r = c.call_long({"fetchTry", kArena, "too_big"});
  EXPECT_EQ(r.status(), 1);
  EXPECT_EQ(r.value, "");
  EXPECT_EQ(var_line("too_big"), "too_big\t0\t0\t0\tunknown");  // created by the fetchTry (Quirk Q2)
  EXPECT_EQ(server().spool_file_count(), 0u) << "the refused value was left on disk";
  expect_server_healthy("a 2 MiB store over a 1 MiB limit");

  // A value of exactly the limit is still accepted, on the same connection.
  std::string at_limit = pattern_bytes(1u << 20, 5);
  c.send(store_head("at_limit", at_limit.size()) + at_limit);
  EXPECT_EQ(c.read_short(), 0);
  LongReply back = c.call_long({"fetch", kArena, "at_limit"});
  EXPECT_EQ(back.status(), 0);
  EXPECT_TRUE(back.value == at_limit) << "a value at the limit came back different";
  expect_server_healthy("a store of exactly the limit");

  // The limit applies to every argument, not only the value.
  c.request({"store", kArena, std::string((1u << 20) + 1, 'n'), n20_field(1), "v"});
  EXPECT_NE(c.read_short(), 0);
  EXPECT_EQ(c.call_long({"list vars", kArena}).value, "at_limit\t0\t0\t0\tfifo\ntoo_big\t0\t0\t0\tunknown");
  expect_server_healthy("a variable name over the limit");
}

}  // namespace
}  // namespace nws::test
