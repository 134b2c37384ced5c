// §21 item 20 and §13: multi-megabyte and multi-gigabyte values round-trip
// byte-exact, also when the client writes them in many small TCP segments,
// and spooled values leave no file behind once fetched or at shutdown.
// Values follow a cheap pattern so that a 2.5 GiB value needs neither
// client memory of that size nor a second copy to compare against.
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <chrono>
#include <cstring>

#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

// R raw vector: direct bytes, binary (0x03000003).
const std::string kRawDescriptor = n20(0x03000003);

// Byte i of every test value is (i*31 + 7) mod 251; the period of 251 lets
// one precomputed buffer serve any offset.
class Pattern {
 public:
  static constexpr std::size_t kPeriod = 251;
  static constexpr std::size_t kMaxSlice = kPeriod * 16384;  // ~4 MiB

  Pattern() : bytes_(kMaxSlice + kPeriod, '\0') {
    for (std::size_t i = 0; i < bytes_.size(); ++i) bytes_[i] = static_cast<char>((i * 31 + 7) % kPeriod);
  }
  // The value bytes [at, at + n), n <= kMaxSlice.
  std::string_view slice(std::uint64_t at, std::size_t n) const {
    return {bytes_.data() + at % kPeriod, n};
  }
  // Offset of the first byte of `got` (value bytes from `at`) that differs
  // from the pattern, or npos.
  std::size_t mismatch(std::string_view got, std::uint64_t at = 0) const {
    for (std::size_t done = 0; done < got.size();) {
      std::size_t n = std::min(kMaxSlice, got.size() - done);
      std::string_view want = slice(at + done, n);
      if (std::memcmp(got.data() + done, want.data(), n) != 0) {
        for (std::size_t i = 0; i < n; ++i)
          if (got[done + i] != want[i]) return done + i;
      }
      done += n;
    }
    return std::string_view::npos;
  }

 private:
  std::string bytes_;
};

const Pattern& pattern() {
  static const Pattern p;
  return p;
}

// Sends `store ws var` with a pattern value of `length` bytes.  `piece(k)`
// gives the size of the k-th write of the value (headers included).
void send_pattern_store(RawClient& c, const std::string& var, std::uint64_t length,
                        const std::function<std::size_t(std::size_t)>& piece) {
  std::string head;
  proto::append_request_head(head, nullptr, {"store", "ws", var, kRawDescriptor}, length);
  std::size_t k = 0;
  for (std::size_t at = 0; at < head.size();) {
    std::size_t n = std::min(piece(k++), head.size() - at);
    c.send(std::string_view(head).substr(at, n));
    at += n;
  }
  for (std::uint64_t at = 0; at < length;) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece(k++), length - at));
    n = std::min(n, Pattern::kMaxSlice);
    c.send(pattern().slice(at, n));
    at += n;
  }
}

std::size_t big_pieces(std::size_t) { return Pattern::kMaxSlice; }
// 1 to 7 KiB, varying, so the server sees many small segments of odd sizes.
std::size_t small_pieces(std::size_t k) { return 1024 * (1 + k % 7) + (k * 37) % 101; }

// A retrieval whose value is checked against the pattern as it is read, in
// chunks, without ever holding it whole.  Returns the value's length.
std::uint64_t fetch_and_verify_streaming(RawClient& c, std::string_view verb, const std::string& var) {
  c.request({verb, "ws", var});
  std::string head = c.read_exact(84, 60000);
  EXPECT_EQ(head.substr(0, 4), "0000");
  EXPECT_EQ(head.substr(4, 20), kRawDescriptor);
  std::uint64_t length = std::stoull(head.substr(64, 20));
  std::vector<char> buf(Pattern::kMaxSlice);
  std::uint64_t at = 0;
  while (at < length) {
    pollfd p{c.fd(), POLLIN, 0};
    if (::poll(&p, 1, 60000) <= 0) {
      ADD_FAILURE() << "timed out at byte " << at << " of " << length;
      return at;
    }
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), length - at));
    ssize_t n = ::recv(c.fd(), buf.data(), want, 0);
    if (n <= 0) {
      ADD_FAILURE() << "connection ended at byte " << at << " of " << length;
      return at;
    }
    std::size_t bad = pattern().mismatch(std::string_view(buf.data(), static_cast<std::size_t>(n)), at);
    if (bad != std::string_view::npos) {
      ADD_FAILURE() << "value differs at byte " << at + bad;
      return at;
    }
    at += static_cast<std::uint64_t>(n);
  }
  return length;
}

// Retrieval into memory (sizes up to some tens of MiB), checked whole.
void expect_pattern_reply(RawClient& c, std::string_view verb, const std::string& var, std::uint64_t length) {
  c.request({verb, "ws", var});
  LongReply r = c.read_long(60000);
  ASSERT_EQ(r.status(), 0);
  EXPECT_EQ(r.head.descriptor, 0x03000003u);
  ASSERT_EQ(r.value.size(), length);
  std::size_t bad = pattern().mismatch(r.value);
  EXPECT_EQ(bad, std::string_view::npos) << "first differing byte";
}

using LargeValuesTest = ConformanceTest;

TEST_F(LargeValuesTest, ThreeMiBValueRoundTripsByteExact) {
  RawClient c = connect_and_open("ws");
  const std::uint64_t len = 3u << 20;
  send_pattern_store(c, "x", len, big_pieces);
  ASSERT_EQ(c.read_short(), 0);
  expect_pattern_reply(c, "find", "x", len);
  expect_pattern_reply(c, "fetch", "x", len);
  EXPECT_EQ(list_vars(c, "ws"), "x\t0\t0\t0\tfifo");
}

TEST_F(LargeValuesTest, ThreeMiBValueWrittenInSmallSegmentsRoundTripsByteExact) {
  RawClient c = connect_and_open("ws");
  const std::uint64_t len = (3u << 20) + 12345;
  send_pattern_store(c, "x", len, small_pieces);
  ASSERT_EQ(c.read_short(), 0);
  expect_pattern_reply(c, "fetch", "x", len);
}

TEST_F(LargeValuesTest, SixtyFourMiBValueRoundTripsByteExact) {
  RawClient c = connect_and_open("ws");
  const std::uint64_t len = 64u << 20;
  send_pattern_store(c, "x", len, big_pieces);
  ASSERT_EQ(c.read_short(nullptr, 30000), 0);
  expect_pattern_reply(c, "find", "x", len);
  expect_pattern_reply(c, "fetch", "x", len);
}

TEST_F(LargeValuesTest, SixtyFourMiBValueWrittenInSmallSegmentsRoundTripsByteExact) {
  RawClient c = connect_and_open("ws");
  const std::uint64_t len = 64u << 20;
  send_pattern_store(c, "x", len, small_pieces);
  ASSERT_EQ(c.read_short(nullptr, 30000), 0);
  expect_pattern_reply(c, "fetch", "x", len);
}

TEST_F(LargeValuesTest, LargeValueReleasesABlockedFetcherByteExact) {
  RawClient reader = connect_and_open("ws");
  RawClient writer = connect_and_open("ws");
  reader.request({"fetch", "ws", "x"});
  ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 1, 0));
  const std::uint64_t len = 20u << 20;
  send_pattern_store(writer, "x", len, small_pieces);
  ASSERT_EQ(writer.read_short(nullptr, 30000), 0);
  LongReply r = reader.read_long(60000);
  ASSERT_EQ(r.value.size(), len);
  EXPECT_EQ(pattern().mismatch(r.value), std::string_view::npos);
}

// 2.5 GiB: above 2^31, where 32-bit length handling (R 1.x) breaks.  "Huge"
// in the name lets CI include or exclude it.
TEST_F(LargeValuesTest, HugeValueAbove2GiBRoundTripsByteExact) {
  RawClient c = connect_and_open("ws");
  const std::uint64_t len = 5ull << 29;  // 2.5 GiB
  auto start = std::chrono::steady_clock::now();
  send_pattern_store(c, "x", len, big_pieces);
  ASSERT_EQ(c.read_short(nullptr, 120000), 0);
  auto stored = std::chrono::steady_clock::now();
  EXPECT_EQ(server_.spool_file_count(), 1u) << "a value this size is spooled, not held in memory";
  EXPECT_EQ(fetch_and_verify_streaming(c, "fetch", "x"), len);
  auto fetched = std::chrono::steady_clock::now();
  using ms = std::chrono::milliseconds;
  RecordProperty("store_ms", static_cast<int>(std::chrono::duration_cast<ms>(stored - start).count()));
  RecordProperty("fetch_ms", static_cast<int>(std::chrono::duration_cast<ms>(fetched - stored).count()));
  EXPECT_TRUE(eventually([&] { return server_.spool_file_count() == 0; })) << "the spool file goes with the value";
  EXPECT_EQ(list_vars(c, "ws"), "x\t0\t0\t0\tfifo");
}

// A server that spools everything from 1 MiB up (OQ8).
class SpoolingTest : public ConformanceTest {
 protected:
  SpoolingTest() : ConformanceTest({"--spool-threshold", "1048576"}) {}
};

TEST_F(SpoolingTest, SpooledValueRoundTripsAndItsFileGoesOnceFetched) {
  RawClient c = connect_and_open("ws");
  const std::uint64_t len = 5u << 20;
  send_pattern_store(c, "x", len, small_pieces);
  ASSERT_EQ(c.read_short(), 0);
  EXPECT_GT(server_.spool_file_count(), 0u) << "5 MiB is above the 1 MiB threshold";
  expect_pattern_reply(c, "find", "x", len);
  EXPECT_GT(server_.spool_file_count(), 0u) << "find leaves the value (and its file)";
  expect_pattern_reply(c, "fetch", "x", len);
  EXPECT_TRUE(eventually([&] { return server_.spool_file_count() == 0; }));
  int status = server_.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(spool_parent_entries(), 0u) << "the spool directory is removed at shutdown";
}

TEST_F(SpoolingTest, ValueBelowTheThresholdIsNotSpooled) {
  RawClient c = connect_and_open("ws");
  send_pattern_store(c, "x", 512u << 10, big_pieces);
  ASSERT_EQ(c.read_short(), 0);
  EXPECT_EQ(server_.spool_file_count(), 0u);
  expect_pattern_reply(c, "fetch", "x", 512u << 10);
}

TEST_F(SpoolingTest, SpooledValuesStillStoredAtShutdownLeaveNothingBehind) {
  RawClient c = connect_and_open("ws");
  for (const char* var : {"a", "b"}) {
    send_pattern_store(c, var, 2u << 20, big_pieces);
    ASSERT_EQ(c.read_short(), 0);
  }
  ASSERT_EQ(server_.spool_file_count(), 2u);
  int status = server_.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(spool_parent_entries(), 0u);
}

TEST_F(SpoolingTest, SpooledValueGivenToSeveralFindersIsServedToEachByteExact) {
  RawClient writer = connect_and_open("ws");
  std::vector<RawClient> finders;
  for (int i = 0; i < 3; ++i) {
    finders.push_back(connect_and_open("ws"));
    finders.back().request({"find", "ws", "x"});
    ASSERT_TRUE(wait_for_waiters(writer, "ws", "x", 0, i + 1));
  }
  const std::uint64_t len = 3u << 20;
  send_pattern_store(writer, "x", len, big_pieces);
  ASSERT_EQ(writer.read_short(), 0);
  for (auto& f : finders) {
    LongReply r = f.read_long(30000);
    ASSERT_EQ(r.value.size(), len);
    EXPECT_EQ(pattern().mismatch(r.value), std::string_view::npos);
  }
  expect_pattern_reply(writer, "fetch", "x", len);
  EXPECT_TRUE(eventually([&] { return server_.spool_file_count() == 0; }));
}

}  // namespace
}  // namespace nws::conformance
