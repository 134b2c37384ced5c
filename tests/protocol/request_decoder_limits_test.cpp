// DecoderLimits: a store's value over max_value_size, or refused by the
// admission, is refused as soon as its length is read and its bytes are
// dropped as they come (or, past discard_limit, the connection closes);
// other arguments over max_field_size are dropped with a refusal; values at
// or over spool_threshold go through an ArgSink.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "decode_helpers.hpp"
#include "protocol/request_decoder.hpp"
#include "protocol_examples.hpp"

namespace {

using nws::proto::ArgSink;
using nws::proto::Blob;
using nws::proto::BlobRef;
using nws::proto::DecoderLimits;
using nws::proto::RequestDecoder;
using nws::test::args_of;
using nws::test::decode_bytewise;
using nws::test::decode_whole;
using nws::test::decode_with_cuts;
namespace ex = nws::test::examples;

// What the decoder did with its sinks, observed from outside.
struct SinkLog {
  std::vector<std::uint64_t> requested;  // lengths passed to the factory
  std::string written;
  int writes = 0;
  int finished = 0;
  int destroyed = 0;
};

// Keeps bytes in memory; can be told to fail writing after `fail_after`
// bytes or to fail finishing.
class MemorySink : public ArgSink {
 public:
  MemorySink(SinkLog& log, std::size_t fail_after, bool fail_finish)
      : log_(log), fail_after_(fail_after), fail_finish_(fail_finish) {}
  ~MemorySink() override { ++log_.destroyed; }
  bool write(std::string_view bytes) override {
    EXPECT_FALSE(finished_) << "write after finish";
    ++log_.writes;
    if (log_.written.size() + bytes.size() > fail_after_) return false;
    log_.written.append(bytes);
    return true;
  }
  BlobRef finish() override {
    EXPECT_FALSE(finished_) << "finish called twice";
    finished_ = true;
    ++log_.finished;
    return fail_finish_ ? BlobRef{} : Blob::copy_of(log_.written);
  }

 private:
  SinkLog& log_;
  std::size_t fail_after_;
  bool fail_finish_;
  bool finished_ = false;
};

nws::proto::ArgSinkFactory memory_sinks(SinkLog& log, std::size_t fail_after = SIZE_MAX, bool fail_finish = false) {
  return [&log, fail_after, fail_finish](std::uint64_t len) -> std::unique_ptr<ArgSink> {
    log.requested.push_back(len);
    return std::make_unique<MemorySink>(log, fail_after, fail_finish);
  };
}

// `store ws x <descriptor> <value>`.
std::string store_of(const std::string& value) {
  std::string s = "0005" "00000000000000000005" "store" "00000000000000000002" "ws" "00000000000000000001" "x"
                  "00000000000000000020" "00000000000016777217";
  std::string len = std::to_string(value.size());
  return s + std::string(20 - len.size(), '0') + len + value;
}

// A value limit of 20 bytes.
TEST(RequestDecoderMaxArgSize, AnOversizedValueIsRefusedAsSoonAsItsLengthIsRead) {
  const std::string big(21, 'b');
  const std::string stream = store_of(big) + ex::kFetchX;
  RequestDecoder dec(DecoderLimits{UINT64_MAX, 20});
  // Delivered before a byte of the value is read...
  EXPECT_EQ(dec.feed(stream), store_of(big).size() - big.size());
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  auto r = dec.take();
  ASSERT_TRUE(r.refusal.has_value());
  EXPECT_NE(r.refusal->find("21"), std::string::npos) << *r.refusal;
  EXPECT_FALSE(r.close_after_reply);
  ASSERT_EQ(r.args.size(), 5u);
  EXPECT_EQ(r.args[0].view(), "store");
  EXPECT_TRUE(r.args[4].view().empty());
  // ...whose bytes are then dropped, and the next request decodes.
  EXPECT_TRUE(dec.mid_request());
  auto rest = std::string_view(stream).substr(store_of(big).size() - big.size());
  auto d = decode_whole(dec, rest);
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_EQ(args_of(d.requests[0]), (std::vector<std::string>{"fetch", "ws", "x"}));
}

TEST(RequestDecoderMaxArgSize, PastTheDiscardLimitTheConnectionClosesAfterTheReply) {
  DecoderLimits limits{UINT64_MAX, 20};
  limits.discard_limit = 30;
  RequestDecoder dec(limits);
  const std::string big(31, 'b');
  auto d = decode_whole(dec, store_of(big) + ex::kFetchX);
  ASSERT_EQ(d.requests.size(), 1u);
  ASSERT_TRUE(d.requests[0].refusal);
  EXPECT_TRUE(d.requests[0].close_after_reply);
  EXPECT_EQ(d.state, RequestDecoder::State::failed);
}

TEST(RequestDecoderAdmission, AValueTheServerCannotTakeIsRefusedAtOnceAndDropped) {
  std::vector<std::uint64_t> asked;
  RequestDecoder dec(DecoderLimits{}, {}, [&asked](std::uint64_t len) -> std::optional<std::string> {
    asked.push_back(len);
    if (len > 10) return std::string("The server is full.");
    return std::nullopt;
  });
  auto d = decode_bytewise(dec, store_of(std::string(100, 'v')) + store_of("small") + ex::kFetchX);
  ASSERT_EQ(d.requests.size(), 3u);
  EXPECT_EQ(d.requests[0].refusal, "The server is full.");
  EXPECT_FALSE(d.requests[0].close_after_reply);  // the client could not know: stay usable
  EXPECT_FALSE(d.requests[1].refusal);
  EXPECT_EQ(d.requests[1].args[4].view(), "small");
  EXPECT_EQ(args_of(d.requests[2]), (std::vector<std::string>{"fetch", "ws", "x"}));
  // Only values are asked about, never names or fields.
  EXPECT_EQ(asked, (std::vector<std::uint64_t>{100, 5}));
}

TEST(RequestDecoderMaxArgSize, TheNextRequestDecodesFine) {
  const std::string stream = store_of(std::string(21, 'b')) + ex::kFetchX;
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    RequestDecoder dec(DecoderLimits{UINT64_MAX, 20});
    auto d = decode_with_cuts(dec, stream, {cut});
    ASSERT_EQ(d.requests.size(), 2u) << "cut at " << cut;
    EXPECT_TRUE(d.requests[0].refusal.has_value());
    EXPECT_FALSE(d.requests[1].refusal.has_value());
    EXPECT_EQ(args_of(d.requests[1]), (std::vector<std::string>{"fetch", "ws", "x"}));
  }
}

TEST(RequestDecoderMaxArgSize, ExactlyTheLimitIsAccepted) {
  RequestDecoder dec(DecoderLimits{UINT64_MAX, 20});
  auto d = decode_whole(dec, store_of("01234567890123456789"));
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_FALSE(d.requests[0].refusal.has_value());
  EXPECT_EQ(d.requests[0].args[4].view(), "01234567890123456789");
}

TEST(RequestDecoderMaxFieldSize, BoundsEveryArgumentButTheValue) {
  // The 20-byte descriptor argument is over a 10-byte field limit; the
  // 100-byte value is not a field.
  DecoderLimits limits;
  limits.max_field_size = 10;
  RequestDecoder dec(limits);
  auto d = decode_whole(dec, store_of(std::string(100, 'v')) + ex::kFetchX);
  ASSERT_EQ(d.requests.size(), 2u);
  ASSERT_TRUE(d.requests[0].refusal.has_value());
  EXPECT_NE(d.requests[0].refusal->find("Argument 3 of 20 bytes"), std::string::npos) << *d.requests[0].refusal;
  EXPECT_FALSE(d.requests[0].close_after_reply);
  EXPECT_EQ(d.requests[0].args[4].view(), std::string(100, 'v'));
  EXPECT_EQ(d.requests[1].verb(), "fetch");
}

TEST(RequestDecoderMaxFieldSize, AnUnknownVerbsArgumentsAreAllFields) {
  DecoderLimits limits;
  limits.max_field_size = 10;
  RequestDecoder dec(limits);
  auto d = decode_whole(dec, "0002" "00000000000000000005" "frobs" "00000000000000000011" "abcdefghijk");
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_TRUE(d.requests[0].refusal.has_value());
}

TEST(RequestDecoderSpool, ThresholdRoutesBytesToTheSinkAndUsesItsBlob) {
  SinkLog log;
  // Longer than every other argument, so only the value reaches the threshold.
  const std::string value = "a spooled value, longer than the 20-byte descriptor";
  RequestDecoder dec(DecoderLimits{value.size(), UINT64_MAX}, memory_sinks(log));
  auto d = decode_bytewise(dec, store_of(value));
  ASSERT_EQ(d.requests.size(), 1u);
  const auto& r = d.requests[0];
  EXPECT_FALSE(r.refusal.has_value());
  EXPECT_EQ(log.requested, (std::vector<std::uint64_t>{value.size()}));
  EXPECT_EQ(log.written, value);
  EXPECT_EQ(log.writes, static_cast<int>(value.size()));  // one byte per feed
  EXPECT_EQ(log.finished, 1);
  EXPECT_EQ(log.destroyed, 1);
  ASSERT_TRUE(r.args[4].blob);
  EXPECT_TRUE(r.args[4].bytes.empty());
  EXPECT_EQ(r.args[4].view(), value);
  nws::proto::Arg spooled = r.args[4];
  EXPECT_EQ(spooled.take_blob()->data(), r.args[4].blob->data()) << "a spooled arg is shared, not copied";
}

TEST(RequestDecoderSpool, BelowTheThresholdStaysInMemory) {
  SinkLog log;
  RequestDecoder dec(DecoderLimits{21, UINT64_MAX}, memory_sinks(log));
  auto d = decode_whole(dec, store_of(std::string(20, 'v')));
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_TRUE(log.requested.empty());
  EXPECT_FALSE(d.requests[0].args[4].blob);
}

TEST(RequestDecoderSpool, WithoutAFactoryNothingIsSpooled) {
  RequestDecoder dec(DecoderLimits{1, UINT64_MAX});
  auto d = decode_whole(dec, store_of("value"));
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_FALSE(d.requests[0].refusal.has_value());
  EXPECT_EQ(d.requests[0].args[4].view(), "value");
}

TEST(RequestDecoderSpool, MaxValueSizeWinsOverSpooling) {
  SinkLog log;
  RequestDecoder dec(DecoderLimits{5, 30}, memory_sinks(log));
  auto d = decode_whole(dec, store_of(std::string(31, 'v')));
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_TRUE(d.requests[0].refusal.has_value());
  // Only values are spooled, and the 31-byte value is over the limit: it
  // never reaches the factory.
  EXPECT_TRUE(log.requested.empty());
  EXPECT_EQ(d.requests[0].verb(), "store");
  EXPECT_TRUE(d.requests[0].args[4].view().empty());
}

TEST(RequestDecoderSpool, SinkDestroyedWithoutFinishWhenTheDecoderGoesMidArgument) {
  SinkLog log;
  const std::string stream = store_of(std::string(100, 'v'));
  {
    RequestDecoder dec(DecoderLimits{50, UINT64_MAX}, memory_sinks(log));
    EXPECT_EQ(dec.feed(std::string_view(stream).substr(0, stream.size() - 10)), stream.size() - 10);
    EXPECT_EQ(dec.state(), RequestDecoder::State::reading);
    EXPECT_EQ(log.written.size(), 90u);
    EXPECT_EQ(log.destroyed, 0);
  }
  EXPECT_EQ(log.finished, 0);
  EXPECT_EQ(log.destroyed, 1);
}

TEST(RequestDecoderSpool, WriteFailureRefusesTheRequestAndDiscardsTheRest) {
  SinkLog log;
  const std::string stream = store_of(std::string(100, 'v')) + ex::kFetchX;
  RequestDecoder dec(DecoderLimits{50, UINT64_MAX}, memory_sinks(log, 40));
  auto d = decode_with_cuts(dec, stream, {store_of("").size() + 30, store_of("").size() + 60});
  ASSERT_EQ(d.requests.size(), 2u);
  ASSERT_TRUE(d.requests[0].refusal.has_value());
  EXPECT_FALSE(d.requests[0].args[4].blob);
  EXPECT_EQ(log.finished, 0);
  EXPECT_EQ(log.destroyed, 1);
  // After the failed write no more bytes went to the sink.
  EXPECT_EQ(log.writes, 2);
  EXPECT_EQ(args_of(d.requests[1]), (std::vector<std::string>{"fetch", "ws", "x"}));
}

TEST(RequestDecoderSpool, FinishFailureRefusesTheRequest) {
  SinkLog log;
  RequestDecoder dec(DecoderLimits{50, UINT64_MAX}, memory_sinks(log, SIZE_MAX, true));
  auto d = decode_whole(dec, store_of(std::string(60, 'v')) + ex::kFetchX);
  ASSERT_EQ(d.requests.size(), 2u);
  EXPECT_TRUE(d.requests[0].refusal.has_value());
  EXPECT_FALSE(d.requests[0].args[4].blob);
  EXPECT_EQ(log.finished, 1);
  EXPECT_FALSE(d.requests[1].refusal.has_value());
}

TEST(RequestDecoderSpool, FactoryFailureRefusesAndDiscards) {
  int calls = 0;
  RequestDecoder dec(DecoderLimits{50, UINT64_MAX}, [&calls](std::uint64_t) -> std::unique_ptr<ArgSink> {
    ++calls;
    return nullptr;
  });
  auto d = decode_bytewise(dec, store_of(std::string(60, 'v')) + ex::kFetchX);
  ASSERT_EQ(d.requests.size(), 2u);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(d.requests[0].refusal.has_value());
  EXPECT_TRUE(d.requests[0].args[4].view().empty());
  EXPECT_EQ(d.requests[1].verb(), "fetch");
}

TEST(RequestDecoderSpool, AnEmptyValueAtAZeroThresholdIsFinishedAtOnce) {
  SinkLog log;
  RequestDecoder dec(DecoderLimits{0, UINT64_MAX}, memory_sinks(log));
  auto d = decode_whole(dec, store_of(""));
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_EQ(log.requested, (std::vector<std::uint64_t>{0}));
  EXPECT_EQ(log.finished, 1);
  EXPECT_FALSE(d.requests[0].refusal.has_value());
  EXPECT_TRUE(d.requests[0].args[4].blob);
  EXPECT_EQ(d.requests[0].args[4].size(), 0u);
}

}  // namespace

// The dict format would allow ~200 MB of metadata on one request.
TEST(RequestDecoderMetadataLimit, OversizedMetadataFailsTheConnection) {
  nws::proto::Dict meta;
  for (int i = 0; i < 20; ++i) meta.set("key" + std::to_string(i), std::string(100, 'm'));
  std::string stream;
  meta.encode(stream);
  stream += ex::kFetchX;
  DecoderLimits limits;
  limits.max_metadata_bytes = 1000;
  RequestDecoder dec(limits);
  dec.set_metadata(true);
  dec.feed(stream);
  EXPECT_EQ(dec.state(), RequestDecoder::State::failed);
  EXPECT_NE(dec.error().find("metadata"), std::string::npos) << dec.error();
}

TEST(RequestDecoderMetadataLimit, MetadataWithinTheLimitDecodes) {
  nws::proto::Dict meta{{"batchId", "3"}};
  std::string stream;
  meta.encode(stream);
  stream += ex::kFetchX;
  DecoderLimits limits;
  limits.max_metadata_bytes = 1000;
  RequestDecoder dec(limits);
  dec.set_metadata(true);
  dec.feed(stream);
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  EXPECT_EQ(dec.take().metadata.get("batchId"), std::optional<std::string_view>("3"));
}
