// PROTOCOL.md §5 / §17: well-formed requests decode the same whatever way
// the stream is cut, one request at a time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "decode_helpers.hpp"
#include "protocol/request_decoder.hpp"
#include "protocol_examples.hpp"

namespace {

using nws::proto::Dict;
using nws::proto::RequestDecoder;
using nws::test::args_of;
using nws::test::decode_bytewise;
using nws::test::decode_whole;
using nws::test::decode_with_cuts;
namespace ex = nws::test::examples;

// All §17 example requests back to back, as a pipelining client sends them.
std::string pipelined_examples() {
  std::string s;
  for (const auto& e : ex::all_requests()) s += *e.bytes;
  return s;
}

TEST(RequestDecoderExamples, EveryExampleOfSection17Decodes) {
  for (const auto& e : ex::all_requests()) {
    RequestDecoder dec;
    EXPECT_EQ(dec.feed(*e.bytes), e.bytes->size()) << e.name;
    ASSERT_EQ(dec.state(), RequestDecoder::State::ready) << e.name;
    auto r = dec.take();
    EXPECT_EQ(args_of(r), e.args) << e.name;
    EXPECT_EQ(r.verb(), e.args.front()) << e.name;
    EXPECT_FALSE(r.refusal.has_value()) << e.name;
    EXPECT_FALSE(r.close_after_reply) << e.name;
    EXPECT_TRUE(r.metadata.empty()) << e.name;
    EXPECT_EQ(dec.state(), RequestDecoder::State::reading);
    EXPECT_FALSE(dec.mid_request());
  }
}

TEST(RequestDecoderExamples, ByteCountsMatchTheDocument) {
  // The sizes PROTOCOL.md states, so a typo in the fixtures cannot hide.
  EXPECT_EQ(ex::kOpenWs.size(), 99u);
  EXPECT_EQ(ex::kStoreHello.size(), 137u);
  EXPECT_EQ(ex::kFetchX.size(), 72u);
}

TEST(RequestDecoderSplits, EveryTwoWaySplitOfEachExampleGivesTheSameRequest) {
  for (const auto& e : ex::all_requests()) {
    for (std::size_t cut = 0; cut <= e.bytes->size(); ++cut) {
      RequestDecoder dec;
      auto d = decode_with_cuts(dec, *e.bytes, {cut});
      ASSERT_EQ(d.requests.size(), 1u) << e.name << " cut at " << cut;
      EXPECT_EQ(args_of(d.requests[0]), e.args) << e.name << " cut at " << cut;
      EXPECT_EQ(d.state, RequestDecoder::State::reading);
      EXPECT_FALSE(d.mid_request);
    }
  }
}

TEST(RequestDecoderSplits, EveryTwoWaySplitOfAPipelinedStreamGivesTheSameRequests) {
  const std::string stream = pipelined_examples();
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    RequestDecoder dec;
    auto d = decode_with_cuts(dec, stream, {cut});
    ASSERT_EQ(d.requests.size(), ex::all_requests().size()) << "cut at " << cut;
    for (std::size_t i = 0; i < d.requests.size(); ++i)
      EXPECT_EQ(args_of(d.requests[i]), ex::all_requests()[i].args) << "cut at " << cut << ", request " << i;
  }
}

TEST(RequestDecoderSplits, OneByteAtATimeGivesTheSameRequests) {
  RequestDecoder dec;
  auto d = decode_bytewise(dec, pipelined_examples());
  ASSERT_EQ(d.requests.size(), ex::all_requests().size());
  for (std::size_t i = 0; i < d.requests.size(); ++i)
    EXPECT_EQ(args_of(d.requests[i]), ex::all_requests()[i].args) << "request " << i;
  EXPECT_FALSE(d.mid_request);
}

TEST(RequestDecoderPipelining, DeliversOneRequestAndLeavesTheRestUnconsumed) {
  const std::string stream = ex::kOpenWs + ex::kStoreHello + ex::kFetchX;
  RequestDecoder dec;
  std::string_view rest = stream;

  std::size_t used = dec.feed(rest);
  EXPECT_EQ(used, ex::kOpenWs.size());
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  // Until the request is taken the decoder refuses more bytes.
  EXPECT_EQ(dec.feed(rest.substr(used)), 0u);
  EXPECT_EQ(dec.take().verb(), "open ws");
  rest.remove_prefix(used);

  used = dec.feed(rest);
  EXPECT_EQ(used, ex::kStoreHello.size());
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  EXPECT_EQ(dec.take().verb(), "store");
  rest.remove_prefix(used);

  used = dec.feed(rest);
  EXPECT_EQ(used, ex::kFetchX.size());
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  EXPECT_EQ(dec.take().verb(), "fetch");
}

TEST(RequestDecoderPartial, MidRequestTracksAStartedRequest) {
  RequestDecoder dec;
  EXPECT_FALSE(dec.mid_request());
  EXPECT_EQ(dec.feed(std::string_view(ex::kFetchX).substr(0, 10)), 10u);
  EXPECT_EQ(dec.state(), RequestDecoder::State::reading);
  EXPECT_TRUE(dec.mid_request());
  EXPECT_EQ(dec.feed(std::string_view(ex::kFetchX).substr(10)), ex::kFetchX.size() - 10);
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  dec.take();
  EXPECT_FALSE(dec.mid_request());
}

TEST(RequestDecoderPartial, EmptyFeedChangesNothing) {
  RequestDecoder dec;
  EXPECT_EQ(dec.feed({}), 0u);
  EXPECT_EQ(dec.state(), RequestDecoder::State::reading);
  EXPECT_FALSE(dec.mid_request());
}

TEST(RequestDecoderArgs, EmptyArgumentsAreLegal) {
  const std::string bytes = "0003" "00000000000000000005" "store" "00000000000000000000" "00000000000000000000";
  RequestDecoder dec;
  auto d = decode_bytewise(dec, bytes);
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_EQ(args_of(d.requests[0]), (std::vector<std::string>{"store", "", ""}));
}

TEST(RequestDecoderArgs, BinaryBytesPassThrough) {
  const std::string value("\0\r\n\xff" "0004", 8);
  const std::string bytes = "0002" "00000000000000000005" "store" "00000000000000000008" + value;
  RequestDecoder dec;
  auto d = decode_whole(dec, bytes);
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_EQ(d.requests[0].args[1].view(), value);
  EXPECT_EQ(d.requests[0].args[1].take_blob().view(), value);
}

// §17.5: with MetadataToServer=1 every request starts with a dict.
TEST(RequestDecoderMetadata, StoreWithBatchIdDecodes) {
  RequestDecoder dec;
  dec.set_metadata(true);
  EXPECT_EQ(dec.feed(ex::kStoreWithMetadata), ex::kStoreWithMetadata.size());
  ASSERT_EQ(dec.state(), RequestDecoder::State::ready);
  auto r = dec.take();
  EXPECT_EQ(r.metadata, (Dict{{"batchId", "3"}}));
  EXPECT_EQ(args_of(r), ex::all_requests()[1].args);
}

TEST(RequestDecoderMetadata, EveryRequestCarriesItsOwnDictEvenWhenEmpty) {
  const std::string stream = ex::kStoreWithMetadata + "0000" + ex::kFetchX;
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    RequestDecoder dec;
    dec.set_metadata(true);
    auto d = decode_with_cuts(dec, stream, {cut});
    ASSERT_EQ(d.requests.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(d.requests[0].metadata, (Dict{{"batchId", "3"}}));
    EXPECT_TRUE(d.requests[1].metadata.empty());
    EXPECT_EQ(d.requests[1].verb(), "fetch");
  }
}

TEST(RequestDecoderMetadata, WithoutMetadataModeADictIsReadAsTheArgumentCount) {
  // The dict's count "0001" is taken for argc, then "0007batchId000130005"
  // is not a number: a framing error, as on any desynchronised stream.
  RequestDecoder dec;
  auto d = decode_whole(dec, ex::kStoreWithMetadata);
  EXPECT_EQ(d.state, RequestDecoder::State::failed);
  EXPECT_FALSE(d.error.empty());
}

TEST(RequestDecoderMetadata, MalformedDictFailsTheStream) {
  RequestDecoder dec;
  dec.set_metadata(true);
  auto d = decode_whole(dec, "0001" "00x7" "batchId" + ex::kFetchX);
  EXPECT_EQ(d.state, RequestDecoder::State::failed);
  EXPECT_NE(d.error.find("metadata"), std::string::npos) << d.error;
}

TEST(RequestDecoderMetadata, SwitchingOnBeforeTheFirstByteAppliesToTheFirstRequest) {
  // The server learns about metadata only after the handshake, when the
  // decoder already exists.
  RequestDecoder dec;
  dec.set_metadata(false);
  dec.set_metadata(true);
  auto d = decode_whole(dec, "0000" + ex::kFetchX);
  ASSERT_EQ(d.requests.size(), 1u);
  EXPECT_EQ(d.requests[0].verb(), "fetch");
}

}  // namespace
