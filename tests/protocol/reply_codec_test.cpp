// PROTOCOL.md §5, §6, §17: the encoder writes the document's exact bytes and
// the client's ReplyDecoder reads back whatever the encoder wrote.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "protocol/encoder.hpp"
#include "protocol/reply_decoder.hpp"
#include "protocol_examples.hpp"

namespace {

using nws::proto::Dict;
using nws::proto::ReplyDecoder;
using nws::proto::ReplyFormat;
namespace ex = nws::test::examples;

constexpr ReplyFormat kCookie{true, false};
constexpr ReplyFormat kNoCookie{false, false};
constexpr ReplyFormat kCookieMeta{true, true};
constexpr ReplyFormat kNoCookieMeta{false, true};

std::string long_reply(ReplyFormat fmt, int status, std::uint64_t descriptor, std::string_view id, std::int64_t index,
                       std::string_view value, const Dict* metadata = nullptr) {
  std::string out;
  nws::proto::append_long_reply_head(out, fmt, status, descriptor, id, index, value.size(), metadata);
  out += value;
  return out;
}

// Feeds `bytes` one byte at a time (or whole) until the decoder ends.
std::size_t feed(ReplyDecoder& dec, std::string_view bytes, bool bytewise) {
  std::size_t used = 0;
  if (!bytewise) return dec.feed(bytes);
  for (std::size_t i = 0; i < bytes.size() && dec.state() == ReplyDecoder::State::reading; ++i) {
    std::size_t n = dec.feed(bytes.substr(i, 1));
    EXPECT_LE(n, 1u);
    used += n;
  }
  return used;
}

// --- exact bytes ---------------------------------------------------------

TEST(EncoderBytes, FetchReplyOfSection17_3) {
  EXPECT_EQ(long_reply(kCookie, 0, 16777217, "00000000000482913367", 0, "hello"), ex::kFetchReplyCookie);
  EXPECT_EQ(ex::kFetchReplyCookie.size(), 89u);
  EXPECT_EQ(long_reply(kNoCookie, 0, 16777217, "ignored", 7, "hello"), ex::kFetchReplyNoCookie);
  EXPECT_EQ(ex::kFetchReplyNoCookie.size(), 49u);
}

TEST(EncoderBytes, FetchTryFailureOfSection17_4IsEightyFourBytes) {
  EXPECT_EQ(long_reply(kCookie, 1, 0, "", 0, ""), ex::kFetchTryFailure);
  EXPECT_EQ(ex::kFetchTryFailure.size(), 84u);
}

TEST(EncoderBytes, FetchTryFailureWithMetadataOfSection17_4) {
  Dict reason{{"nwsReason", "no value available"}};
  EXPECT_EQ(long_reply(kCookieMeta, 1, 0, "", 0, "", &reason), ex::kFetchTryFailureWithMetadata);
}

TEST(EncoderBytes, ListVarsReplyOfSection17_7) {
  EXPECT_EQ(long_reply(kCookie, 0, 1, "", 0, "x\t1\t0\t0\tfifo"), ex::kListVarsReply);
}

TEST(EncoderBytes, ShortReplies) {
  std::string out;
  nws::proto::append_short_reply(out, kCookie, 0, nullptr);
  nws::proto::append_short_reply(out, kNoCookie, 2001, nullptr);
  EXPECT_EQ(out, "0000" "2001");
}

TEST(EncoderBytes, MetadataFormatAlwaysWritesADict) {
  std::string out;
  nws::proto::append_short_reply(out, kCookieMeta, 0, nullptr);
  EXPECT_EQ(out, "0000" "0000");
  out.clear();
  Dict reason{{"nwsReason", "x"}};
  nws::proto::append_short_reply(out, kNoCookieMeta, 1, &reason);
  EXPECT_EQ(out, "0001" "0009" "nwsReason" "0001" "x" "0001");
}

TEST(EncoderBytes, UnencodableMetadataFallsBackToAnEmptyDict) {
  // A dict the 4-digit fields cannot frame must not corrupt the stream.
  Dict huge{{"nwsReason", std::string(10000, 'r')}};
  std::string out;
  nws::proto::append_short_reply(out, kCookieMeta, 1, &huge);
  EXPECT_EQ(out, "0000" "0001");
}

TEST(EncoderBytes, MetadataIsIgnoredWithoutTheMetadataFormat) {
  Dict reason{{"nwsReason", "x"}};
  std::string out;
  nws::proto::append_short_reply(out, kCookie, 1, &reason);
  EXPECT_EQ(out, "0001");
}

TEST(EncoderBytes, RequestsOfSection17) {
  std::string out;
  nws::proto::append_request(out, nullptr, {"fetch", "ws", "x"});
  EXPECT_EQ(out, ex::kFetchX);

  out.clear();
  Dict batch{{"batchId", "3"}};
  nws::proto::append_request(out, &batch, {"store", "ws", "x", "00000000000016777217", "hello"});
  EXPECT_EQ(out, ex::kStoreWithMetadata);

  // Streaming the value after the head gives the same bytes.
  out.clear();
  nws::proto::append_request_head(out, nullptr, {"store", "ws", "x", "00000000000016777217"}, 5);
  out += "hello";
  EXPECT_EQ(out, ex::kStoreHello);

  out.clear();
  Dict empty;
  nws::proto::append_request(out, &empty, {"list wss"});
  EXPECT_EQ(out, "0000" + ex::kListWss);
}

// --- decoding --------------------------------------------------------------

TEST(ReplyDecoding, FetchReplyOfSection17_3InBothFormats) {
  for (bool bytewise : {false, true}) {
    ReplyDecoder cookie(kCookie, ReplyDecoder::Kind::long_reply);
    EXPECT_EQ(feed(cookie, ex::kFetchReplyCookie, bytewise), ex::kFetchReplyCookie.size());
    ASSERT_EQ(cookie.state(), ReplyDecoder::State::done);
    EXPECT_EQ(cookie.head().status, 0);
    EXPECT_EQ(cookie.head().descriptor, 16777217u);
    EXPECT_EQ(cookie.head().var_id, "00000000000482913367");
    EXPECT_EQ(cookie.head().index, 0);
    EXPECT_EQ(cookie.head().length, 5u);
    EXPECT_EQ(cookie.value(), "hello");

    ReplyDecoder plain(kNoCookie, ReplyDecoder::Kind::long_reply);
    EXPECT_EQ(feed(plain, ex::kFetchReplyNoCookie, bytewise), ex::kFetchReplyNoCookie.size());
    ASSERT_EQ(plain.state(), ReplyDecoder::State::done);
    EXPECT_EQ(plain.head().descriptor, 16777217u);
    EXPECT_EQ(plain.head().length, 5u);
    EXPECT_EQ(plain.value(), "hello");
  }
}

TEST(ReplyDecoding, FetchTryFailureWithAndWithoutMetadata) {
  for (bool bytewise : {false, true}) {
    ReplyDecoder dec(kCookie, ReplyDecoder::Kind::long_reply);
    EXPECT_EQ(feed(dec, ex::kFetchTryFailure, bytewise), 84u);
    ASSERT_EQ(dec.state(), ReplyDecoder::State::done);
    EXPECT_EQ(dec.head().status, 1);
    EXPECT_EQ(dec.head().var_id, ex::kSp20);
    EXPECT_EQ(dec.head().length, 0u);
    EXPECT_TRUE(dec.value().empty());

    ReplyDecoder meta(kCookieMeta, ReplyDecoder::Kind::long_reply);
    EXPECT_EQ(feed(meta, ex::kFetchTryFailureWithMetadata, bytewise), ex::kFetchTryFailureWithMetadata.size());
    ASSERT_EQ(meta.state(), ReplyDecoder::State::done);
    EXPECT_EQ(meta.head().status, 1);
    EXPECT_EQ(meta.head().metadata.get("nwsReason"), "no value available");
  }
}

TEST(ReplyDecoding, ZeroLengthValueEndsWithoutFurtherBytes) {
  ReplyDecoder dec(kCookie, ReplyDecoder::Kind::long_reply);
  EXPECT_EQ(dec.feed(ex::kFetchTryFailure), ex::kFetchTryFailure.size());
  EXPECT_EQ(dec.state(), ReplyDecoder::State::done);
}

TEST(ReplyDecoding, BytesAfterTheReplyAreLeftUnconsumed) {
  ReplyDecoder dec(kCookie, ReplyDecoder::Kind::long_reply);
  EXPECT_EQ(dec.feed(ex::kFetchReplyCookie + "0000"), ex::kFetchReplyCookie.size());
  EXPECT_EQ(dec.feed("0000"), 0u);
  ReplyDecoder s(kCookie, ReplyDecoder::Kind::short_reply);
  EXPECT_EQ(s.feed("00010000"), 4u);
  EXPECT_EQ(s.head().status, 1);
}

TEST(ReplyDecoding, ValueSinkGetsTheBytesAndCanStopKeepingThem) {
  const std::string value(1000, 'v');
  const std::string bytes = long_reply(kCookie, 0, 1, "id", 3, value) + "next";
  std::string kept;
  std::size_t calls = 0;
  ReplyDecoder dec(kCookie, ReplyDecoder::Kind::long_reply, [&](std::string_view chunk) {
    ++calls;
    kept.append(chunk);
    return kept.size() < 100;  // stop keeping after 100 bytes
  });
  std::size_t used = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 7) used += dec.feed(std::string_view(bytes).substr(i, 7));
  // The whole reply is consumed to stay in sync, but the sink stopped early.
  EXPECT_EQ(used, bytes.size() - 4);
  ASSERT_EQ(dec.state(), ReplyDecoder::State::done);
  EXPECT_GE(kept.size(), 100u);
  EXPECT_LT(kept.size(), 107u);
  EXPECT_EQ(kept, value.substr(0, kept.size()));
  EXPECT_TRUE(dec.value().empty());
  EXPECT_EQ(dec.head().length, 1000u);
}

TEST(ReplyDecoding, MalformedFieldsFailWithAMessage) {
  struct Case {
    ReplyDecoder::Kind kind;
    ReplyFormat fmt;
    std::string bytes;
    const char* field;
  };
  const std::string ok20 = "00000000000000000000";
  for (const Case& c : std::vector<Case>{
           {ReplyDecoder::Kind::short_reply, kCookie, "00x0", "status"},
           {ReplyDecoder::Kind::long_reply, kCookie, "0000" "0000000000000000000z", "descriptor"},
           {ReplyDecoder::Kind::long_reply, kCookie, "0000" + ok20 + ex::kSp20 + "index!!!!!!!!!!!!!!!", "index"},
           {ReplyDecoder::Kind::long_reply, kCookie, "0000" + ok20 + ex::kSp20 + ok20 + "-0000000000000000001",
            "length"},
           {ReplyDecoder::Kind::short_reply, kCookieMeta, "00-1", "metadata"},
       }) {
    ReplyDecoder dec(c.fmt, c.kind);
    dec.feed(c.bytes);
    EXPECT_EQ(dec.state(), ReplyDecoder::State::failed) << c.bytes;
    EXPECT_NE(dec.error().find(c.field), std::string::npos) << dec.error();
    EXPECT_EQ(dec.feed("0000"), 0u);
  }
}

// --- round trips -----------------------------------------------------------

struct LongCase {
  int status;
  std::uint64_t descriptor;
  std::string id;
  std::int64_t index;
  std::string value;
};

std::vector<LongCase> long_cases() {
  return {
      {0, 16777217, "00000000000482913367", 0, "hello"},
      {0, 50331649, "7", 41, std::string(5000, '\0')},
      {1, 0, "", 0, ""},
      {2001, 0, "", 0, ""},
      {0, 1, "", -5, "negative index"},
      {0, std::numeric_limits<std::uint64_t>::max(), "descriptor maximum", 1, "x"},
      {0, 0x80000001u, "", std::numeric_limits<std::int64_t>::max(), std::string("\r\n\t\xff", 4)},
  };
}

TEST(ReplyRoundTrip, LongRepliesInEveryFormat) {
  Dict meta{{"batchId", "9"}, {"", ""}};
  for (ReplyFormat fmt : {kCookie, kNoCookie, kCookieMeta, kNoCookieMeta}) {
    for (const LongCase& c : long_cases()) {
      const std::string bytes = long_reply(fmt, c.status, c.descriptor, c.id, c.index, c.value, &meta);
      for (bool bytewise : {false, true}) {
        SCOPED_TRACE("cookie=" + std::to_string(fmt.cookie) + " metadata=" + std::to_string(fmt.metadata) +
                     " bytewise=" + std::to_string(bytewise) + " descriptor=" + std::to_string(c.descriptor));
        ReplyDecoder dec(fmt, ReplyDecoder::Kind::long_reply);
        EXPECT_EQ(feed(dec, bytes, bytewise), bytes.size());
        ASSERT_EQ(dec.state(), ReplyDecoder::State::done) << dec.error();
        EXPECT_EQ(dec.head().status, c.status);
        EXPECT_EQ(dec.head().descriptor, c.descriptor);
        EXPECT_EQ(dec.head().length, c.value.size());
        EXPECT_EQ(dec.value(), c.value);
        if (fmt.cookie) {
          std::string id20 = c.id.substr(0, 20);
          id20.resize(20, ' ');
          EXPECT_EQ(dec.head().var_id, id20);
          EXPECT_EQ(dec.head().index, c.index);
        }
        if (fmt.metadata) EXPECT_EQ(dec.head().metadata, meta);
        else EXPECT_TRUE(dec.head().metadata.empty());
      }
    }
  }
}

TEST(ReplyRoundTrip, ShortRepliesInEveryFormat) {
  Dict reason{{"nwsReason", "Unknown verb \"frob\""}};
  for (ReplyFormat fmt : {kCookie, kNoCookie, kCookieMeta, kNoCookieMeta}) {
    for (int status : {0, 1, 100, 2000, 2001, 5001}) {
      std::string bytes;
      nws::proto::append_short_reply(bytes, fmt, status, status ? &reason : nullptr);
      for (bool bytewise : {false, true}) {
        ReplyDecoder dec(fmt, ReplyDecoder::Kind::short_reply);
        EXPECT_EQ(feed(dec, bytes, bytewise), bytes.size());
        ASSERT_EQ(dec.state(), ReplyDecoder::State::done);
        EXPECT_EQ(dec.head().status, status);
        if (fmt.metadata && status) EXPECT_EQ(dec.head().metadata, reason);
        else EXPECT_TRUE(dec.head().metadata.empty());
      }
    }
  }
}

TEST(ReplyDecoding, NegativeDescriptorAsTheOriginalPrintsItIsRead) {
  // §6.2: the original prints descriptors signed; -1 is all bits set.
  const std::string bytes = "0000" "-0000000000000000001" + ex::kSp20 + "00000000000000000000" "00000000000000000000";
  ReplyDecoder dec(kCookie, ReplyDecoder::Kind::long_reply);
  EXPECT_EQ(dec.feed(bytes), bytes.size());
  ASSERT_EQ(dec.state(), ReplyDecoder::State::done) << dec.error();
  EXPECT_EQ(dec.head().descriptor, std::numeric_limits<std::uint64_t>::max());
}

}  // namespace
