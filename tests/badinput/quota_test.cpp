// Findings: memory and disk had no total limit, and a value over the
// maximum size was refused only after all its bytes had arrived.  Now
// (docs/limits.md) --max-memory and --max-spool refuse stores with a clear
// error once full, the connection stays usable, fetches go on, nothing
// stored is dropped, and stores are taken again once there is room; and a
// value over --max-value-size is refused as soon as its length is read.
#include <chrono>

#include "harness.hpp"
#include "protocol/encoder.hpp"

namespace nws::test {
namespace {

using Quota = BadInputTest;

std::string store_head(const std::string& var, std::uint64_t len) {
  std::string out;
  proto::append_request_head(out, nullptr, {"store", BadInputTest::kArena, var, n20_field(0x01000003)}, len);
  return out;
}

// Stores `value` under v0, v1, ... until the server refuses one; returns
// how many it took, and the refusal's reason through `reason`.
int fill_until_refused(RawClient& c, const std::string& value, std::string& reason, int most = 1000) {
  for (int i = 0; i < most; ++i) {
    c.send(store_head("v" + std::to_string(i), value.size()) + value);
    proto::Dict md;
    if (c.read_short(&md) != 0) {
      reason = std::string(md.get("nwsReason").value_or(""));
      return i;
    }
  }
  return most;
}

void expect_quota_cycle(RawClient& c, const std::string& value, const std::string& full_text) {
  std::string reason;
  const int taken = fill_until_refused(c, value, reason);
  ASSERT_GT(taken, 0);
  ASSERT_LT(taken, 1000) << "the quota never bit";
  EXPECT_NE(reason.find(full_text), std::string::npos) << reason;
  // The refused value's bytes were taken and dropped: the same connection
  // is in step, every stored value is intact, and fetches go on.
  LongReply first = c.call_long({"fetch", BadInputTest::kArena, "v0"});
  EXPECT_EQ(first.status(), 0);
  EXPECT_TRUE(first.value == value);
  // Room again: the next store is taken.
  c.send(store_head("again", value.size()) + value);
  EXPECT_EQ(c.read_short(), 0);
  for (int i = 1; i < taken; ++i) {
    LongReply r = c.call_long({"fetch", BadInputTest::kArena, "v" + std::to_string(i)});
    ASSERT_EQ(r.status(), 0) << "value " << i << " was dropped";
    ASSERT_TRUE(r.value == value) << "value " << i << " damaged";
  }
}

TEST_F(Quota, PastMaxMemoryStoresAreRefusedThenTakenAgainAfterFetches) {
  ASSERT_NO_FATAL_FAILURE(start({"--max-memory", "1M"}));
  RawClient c = attacker(true);
  expect_quota_cycle(c, pattern_bytes(64 * 1024, 1), "memory for values is full");
  expect_server_healthy("a full memory quota");
}

TEST_F(Quota, PastMaxSpoolStoresAreRefusedThenTakenAgainAfterFetches) {
  ASSERT_NO_FATAL_FAILURE(start({"--spool-threshold", "64K", "--max-spool", "1M"}));
  RawClient c = attacker(true);
  expect_quota_cycle(c, pattern_bytes(200 * 1024, 2), "spool is full");
  EXPECT_LE(server().spool_file_count(), 5u);  // 1 MiB holds five 200 KiB values
  expect_server_healthy("a full spool quota");
}

TEST_F(Quota, AValueOverTheMaximumIsRefusedBeforeItsBytesAreSent) {
  ASSERT_NO_FATAL_FAILURE(start({"--max-value-size", "1M"}));
  RawClient c = attacker(true);
  const std::string value = pattern_bytes(2u << 20, 3);
  const auto t0 = std::chrono::steady_clock::now();
  c.send(store_head("early", value.size()));  // the length only
  proto::Dict md;
  EXPECT_EQ(c.read_short(&md, 1000), 1) << "no reply before the bytes came";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  ASSERT_TRUE(md.get("nwsReason"));
  EXPECT_NE(md.get("nwsReason")->find("maximum value size of 1048576"), std::string::npos) << *md.get("nwsReason");
  // Its bytes, sent after all, are dropped; the connection is in step.
  c.send(value);
  LongReply r = c.call_long({"fetchTry", kArena, "early"});
  EXPECT_EQ(r.status(), 1);
  EXPECT_EQ(var_line("early"), "early\t0\t0\t0\tunknown");  // made by the fetchTry
  expect_server_healthy("a value over the maximum");
}

TEST_F(Quota, AValueFarOverTheMaximumIsRefusedAndTheConnectionClosed) {
  // 8 GiB + 1 announced: dropping that much would hold the connection for
  // minutes, so the reply says why and the connection closes.
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker();
  c.send(store_head("huge", (8ull << 30) + 1));
  std::string tail;
  EXPECT_TRUE(c.wait_closed(5000, &tail));
  EXPECT_EQ(tail, "0001");
  EXPECT_EQ(var_line("huge"), std::nullopt);
  expect_server_healthy("a value of 8 GiB + 1");
}

}  // namespace
}  // namespace nws::test
