// PROTOCOL.md §2 and §12: which count and length fields are accepted
// (Python int() leniency), which are framing errors that end the connection,
// and that no announced length is ever trusted with memory.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "alloc_tracker.hpp"
#include "decode_helpers.hpp"
#include "protocol/request_decoder.hpp"
#include "protocol_examples.hpp"

namespace {

using nws::proto::DecoderLimits;
using nws::test::Decoded;
using nws::proto::RequestDecoder;
using nws::test::args_of;
using nws::test::decode_bytewise;
using nws::test::decode_whole;
namespace ex = nws::test::examples;

// `fetch ws x` with the given argc field (4 bytes).
std::string fetch_with_argc(const std::string& argc) { return argc + ex::kFetchX.substr(4); }

// `list wss` with the given length field (20 bytes) for its one argument.
std::string list_wss_with_length(const std::string& len) { return "0001" + len + "list wss"; }

TEST(RequestDecoderArgc, ZeroIsARefusedRequestThatClosesTheConnection) {
  // §12: argument count 0 gets a short error and then the connection closes.
  RequestDecoder dec;
  EXPECT_EQ(dec.feed("0000" + ex::kFetchX), 4u);
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  auto r = dec.take();
  EXPECT_TRUE(r.args.empty());
  EXPECT_TRUE(r.verb().empty());
  ASSERT_TRUE(r.refusal.has_value());
  EXPECT_FALSE(r.refusal->empty());
  EXPECT_TRUE(r.close_after_reply);
}

TEST(RequestDecoderArgc, ZeroWithMetadataKeepsTheMetadata) {
  RequestDecoder dec;
  dec.set_metadata(true);
  auto d = decode_bytewise(dec, "0001" "0001" "k" "0001" "v" "0000");
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_TRUE(d.requests[0].close_after_reply);
  EXPECT_EQ(d.requests[0].metadata.get("k"), "v");
}

TEST(RequestDecoderArgc, LenientFormsAreAcceptedLikePythonInt) {
  for (std::string argc : {"+003", " 3  ", "  +3", "3   ", "\t003", "0003"}) {
    RequestDecoder dec;
    auto d = decode_whole(dec, fetch_with_argc(argc));
    ASSERT_EQ(d.requests.size(), 1u) << "'" << argc << "': " << d.error;
    EXPECT_EQ(args_of(d.requests[0]), (std::vector<std::string>{"fetch", "ws", "x"})) << argc;
  }
}

TEST(RequestDecoderArgc, MinusZeroIsZero) {
  RequestDecoder dec;
  EXPECT_EQ(dec.feed(fetch_with_argc("-000")), 4u);
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  auto r = dec.take();
  EXPECT_TRUE(r.close_after_reply);
  EXPECT_TRUE(r.args.empty());
}

// A framing field the stream cannot be followed past: the request is
// refused (so the client hears why) and the decoder then stays failed, the
// connection closing after the reply.
void expect_refused_then_closed(const Decoded& d, const std::string& quoted_field) {
  ASSERT_EQ(d.requests.size(), 1u) << quoted_field;
  ASSERT_TRUE(d.requests[0].refusal.has_value());
  EXPECT_NE(d.requests[0].refusal->find(quoted_field), std::string::npos) << *d.requests[0].refusal;
  EXPECT_TRUE(d.requests[0].close_after_reply);
  EXPECT_EQ(d.state, RequestDecoder::State::failed);
  EXPECT_FALSE(d.error.empty());
}

TEST(RequestDecoderArgc, NegativeIsRefusedThenTheStreamEnds) {
  RequestDecoder dec;
  auto d = decode_whole(dec, fetch_with_argc("-003"));
  expect_refused_then_closed(d, "'-003'");
  EXPECT_TRUE(d.requests[0].args.empty());
}

TEST(RequestDecoderArgc, NonNumericIsRefusedThenTheStreamEnds) {
  for (const std::string& argc : std::vector<std::string>{"abcd", "    ", "3 3 ", "0x03", "+-03", "3.0 ",
                                                          std::string("\0\0\0\3", 4)}) {
    RequestDecoder dec;
    auto d = decode_whole(dec, fetch_with_argc(argc));
    expect_refused_then_closed(d, "'" + argc + "'");
  }
}

TEST(RequestDecoderLength, LenientFormsAreAcceptedLikePythonInt) {
  for (std::string len : {"+0000000000000000008", "8                   ", "                   8",
                          "   +8               ", "00000000000000000008"}) {
    RequestDecoder dec;
    auto d = decode_whole(dec, list_wss_with_length(len));
    ASSERT_EQ(d.requests.size(), 1u) << "'" << len << "': " << d.error;
    EXPECT_EQ(d.requests[0].verb(), "list wss");
  }
}

TEST(RequestDecoderLength, MinusZeroIsAnEmptyArgument) {
  RequestDecoder dec;
  auto d = decode_whole(dec, "0001" "-0000000000000000000");
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_EQ(args_of(d.requests[0]), (std::vector<std::string>{""}));
}

TEST(RequestDecoderLength, NegativeIsRefusedThenTheStreamEnds) {
  RequestDecoder dec;
  auto d = decode_whole(dec, list_wss_with_length("-0000000000000000008"));
  expect_refused_then_closed(d, "'-0000000000000000008'");
}

TEST(RequestDecoderLength, NonNumericIsRefusedThenTheStreamEnds) {
  for (const std::string& len : std::vector<std::string>{"0000000000000000000x", "00000000 00000000008", std::string(20, ' '),
                          "0x000000000000000008", "+-000000000000000008"}) {
    RequestDecoder dec;
    auto d = decode_whole(dec, list_wss_with_length(len));
    expect_refused_then_closed(d, "'" + len + "'");
  }
}

TEST(RequestDecoderLength, TwentyNinesDoNotFitSixtyFourBitsAndAreRefusedWithoutAllocating) {
  RequestDecoder dec;
  nws::test::reset_largest_allocation();
  auto d = decode_whole(dec, "0001" + std::string(20, '9') + "some bytes");
  expect_refused_then_closed(d, "'" + std::string(20, '9') + "'");
  EXPECT_LT(nws::test::largest_allocation(), 1u << 20);
}

// Without the field limit (the decoder alone, no server policy) a huge
// announced length is framed: memory follows what arrives, never the field.
DecoderLimits unlimited() {
  DecoderLimits l;
  l.max_field_size = l.discard_limit = UINT64_MAX;
  return l;
}

TEST(RequestDecoderLength, HugeAnnouncedLengthIsNotAllocatedUpFront) {
  // 10^15 bytes announced, 100 sent: memory must follow what arrived.
  RequestDecoder dec(unlimited());
  nws::test::reset_largest_allocation();
  std::string head = "0002" "00000000000000000005" "store" "00001000000000000000";
  EXPECT_EQ(dec.feed(head), head.size());
  EXPECT_EQ(dec.feed(std::string(100, 'v')), 100u);
  EXPECT_EQ(dec.state(), RequestDecoder::State::reading);
  EXPECT_TRUE(dec.mid_request());
  EXPECT_LT(nws::test::largest_allocation(), 1u << 20);
}

TEST(RequestDecoderLength, MaximumSixtyFourBitLengthIsFramedNotFailed) {
  RequestDecoder dec(unlimited());
  nws::test::reset_largest_allocation();
  std::string head = "0001" "18446744073709551615";
  EXPECT_EQ(dec.feed(head + "abc"), head.size() + 3);
  EXPECT_EQ(dec.state(), RequestDecoder::State::reading);
  EXPECT_LT(nws::test::largest_allocation(), 1u << 20);
}

TEST(RequestDecoderLength, AnAbsurdLengthUnderTheServersLimitsIsRefusedAtOnce) {
  // With the default limits a verb of 10^15 bytes is over the field limit
  // and far over what is worth reading: refused before its bytes arrive.
  RequestDecoder dec;
  nws::test::reset_largest_allocation();
  std::string head = "0001" "00001000000000000000";
  EXPECT_EQ(dec.feed(head + "abc"), head.size());
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  auto r = dec.take();
  ASSERT_TRUE(r.refusal);
  EXPECT_NE(r.refusal->find("1000000000000000 bytes"), std::string::npos) << *r.refusal;
  EXPECT_TRUE(r.close_after_reply);
  EXPECT_EQ(dec.state(), RequestDecoder::State::failed);
  EXPECT_LT(nws::test::largest_allocation(), 1u << 20);
}

TEST(RequestDecoderFailure, AFailedDecoderConsumesNothingMore) {
  RequestDecoder dec;
  auto d = decode_whole(dec, "abcd");
  ASSERT_EQ(d.state, RequestDecoder::State::failed);
  std::string error = dec.error();
  EXPECT_EQ(dec.feed(ex::kFetchX), 0u);
  EXPECT_EQ(dec.state(), RequestDecoder::State::failed);
  EXPECT_EQ(dec.error(), error);
}

TEST(RequestDecoderFailure, RequestsBeforeTheBadOneAreStillDelivered) {
  RequestDecoder dec;
  auto d = decode_bytewise(dec, ex::kFetchX + ex::kListWss + "-001");
  ASSERT_EQ(d.requests.size(), 3u);  // the bad one refused
  EXPECT_FALSE(d.requests[1].refusal);
  EXPECT_TRUE(d.requests[2].refusal);
  EXPECT_EQ(d.state, RequestDecoder::State::failed);
}

}  // namespace

namespace {
// The allocation checks above mean something only if the tracker sees
// allocations at all.  (Under valgrind, which replaces operator new itself,
// this test fails on purpose: the checks above are then not in force.)
TEST(AllocTracker, SeesALargeAllocation) {
  nws::test::reset_largest_allocation();
  std::string big;
  big.reserve(2u << 20);
  EXPECT_GE(nws::test::largest_allocation(), 2u << 20);
}
}  // namespace
