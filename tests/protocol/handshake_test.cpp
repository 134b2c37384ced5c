// PROTOCOL.md §3: the server side of the greeting and option negotiation,
// plus our NwsCancel option (docs/protocol-extensions.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/handshake.hpp"

namespace {

using nws::proto::Dict;
using nws::proto::ServerHandshake;

Dict advertised() {
  return Dict{{"MetadataToServer", ""}, {"MetadataFromServer", ""}, {"KillServerOnClose", ""},
              {"NwsCancel", ""},        {"NwsWebPort", "8766"}};
}

std::string advert_bytes() {
  std::string out = "P000";
  EXPECT_TRUE(advertised().encode(out));
  return out;
}

std::string request_of(const Dict& d) {
  std::string out = "R000";
  EXPECT_TRUE(d.encode(out));
  return out;
}

struct Outcome {
  std::string out;
  std::size_t used = 0;
  ServerHandshake::State state;
  nws::proto::Negotiated result;
  std::string error;
};

// Feeds `stream` cut at the given offsets; stops offering bytes once the
// handshake has ended, as the server's connection does.
Outcome negotiate(const std::string& stream, std::vector<std::size_t> cuts = {}) {
  ServerHandshake hs(advertised());
  Outcome r;
  cuts.push_back(stream.size());
  std::size_t from = 0;
  for (std::size_t to : cuts) {
    if (hs.state() != ServerHandshake::State::reading) break;
    std::string_view piece = std::string_view(stream).substr(from, to - from);
    std::size_t used = hs.feed(piece, r.out);
    EXPECT_LE(used, piece.size());
    if (hs.state() == ServerHandshake::State::reading) EXPECT_EQ(used, piece.size());
    r.used += used;
    from = to;
  }
  r.state = hs.state();
  r.result = hs.result();
  r.error = hs.error();
  // Once ended, the handshake takes nothing more and says nothing more.
  if (r.state != ServerHandshake::State::reading) {
    std::string more;
    EXPECT_EQ(hs.feed("R0000000", more), 0u);
    EXPECT_TRUE(more.empty());
  }
  return r;
}

std::vector<std::size_t> every_byte(const std::string& s) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < s.size(); ++i) cuts.push_back(i);
  return cuts;
}

TEST(OldHandshake, ZerosAndOnesSelectTheNoCookieFormat) {
  for (std::string greeting : {"0000", "1111"}) {
    Outcome r = negotiate(greeting);
    EXPECT_EQ(r.out, "2223");
    EXPECT_EQ(r.state, ServerHandshake::State::done);
    EXPECT_FALSE(r.result.new_style);
    EXPECT_FALSE(r.result.cookie) << greeting;
    EXPECT_FALSE(r.result.metadata_in);
    EXPECT_FALSE(r.result.metadata_out);
    EXPECT_EQ(r.result.greeting, greeting);
  }
}

TEST(OldHandshake, AnyOtherGreetingUsesTheCookieFormat) {
  for (std::string greeting : {"1112", "2222", "abcd", "x000"}) {
    Outcome r = negotiate(greeting);
    EXPECT_EQ(r.out, "2223") << greeting;
    EXPECT_EQ(r.state, ServerHandshake::State::done);
    EXPECT_FALSE(r.result.new_style);
    EXPECT_TRUE(r.result.cookie) << greeting;
  }
}

TEST(OldHandshake, BytesAfterTheGreetingAreLeftForTheRequestDecoder) {
  Outcome r = negotiate("1112" "0001" "00000000000000000008" "list wss");
  EXPECT_EQ(r.used, 4u);
  EXPECT_EQ(r.out, "2223");
}

TEST(OldHandshake, NothingIsSaidBeforeTheFourthByte) {
  ServerHandshake hs(advertised());
  std::string out;
  for (char c : std::string("111")) {
    EXPECT_EQ(hs.feed(std::string_view(&c, 1), out), 1u);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(hs.state(), ServerHandshake::State::reading);
  }
  EXPECT_EQ(hs.feed("2", out), 1u);
  EXPECT_EQ(out, "2223");
}

TEST(NewHandshake, GreetingIsAnsweredWithTheAdvertisement) {
  ServerHandshake hs(advertised());
  std::string out;
  EXPECT_EQ(hs.feed("X000", out), 4u);
  EXPECT_EQ(out, advert_bytes());
  EXPECT_EQ(hs.state(), ServerHandshake::State::reading);
}

TEST(NewHandshake, EmptyRequestIsAcceptedWithEverythingOff) {
  Outcome r = negotiate("X000" + request_of(Dict{}));
  EXPECT_EQ(r.out, advert_bytes() + "A000");
  EXPECT_EQ(r.state, ServerHandshake::State::done);
  EXPECT_TRUE(r.result.new_style);
  EXPECT_TRUE(r.result.cookie);
  EXPECT_FALSE(r.result.metadata_in);
  EXPECT_FALSE(r.result.metadata_out);
  EXPECT_FALSE(r.result.kill_server_on_close);
  EXPECT_FALSE(r.result.cancel);
}

TEST(NewHandshake, ValueOneSwitchesEachOptionOn) {
  Outcome r = negotiate("X000" + request_of(Dict{{"MetadataToServer", "1"},
                                       {"MetadataFromServer", "1"},
                                       {"KillServerOnClose", "1"},
                                       {"NwsCancel", "1"}}));
  EXPECT_EQ(r.out, advert_bytes() + "A000");
  EXPECT_TRUE(r.result.metadata_in);
  EXPECT_TRUE(r.result.metadata_out);
  EXPECT_TRUE(r.result.kill_server_on_close);
  EXPECT_TRUE(r.result.cancel);
}

TEST(NewHandshake, OnlyTheExactValueOneTurnsAnOptionOn) {
  for (std::string value : {"", "0", "yes", "true", "01", " 1", "1 "}) {
    Outcome r = negotiate("X000" + request_of(Dict{{"MetadataToServer", value}, {"NwsCancel", value}}));
    EXPECT_EQ(r.state, ServerHandshake::State::done) << "'" << value << "'";
    EXPECT_EQ(r.out, advert_bytes() + "A000");
    EXPECT_FALSE(r.result.metadata_in) << "'" << value << "'";
    EXPECT_FALSE(r.result.cancel) << "'" << value << "'";
  }
}

TEST(NewHandshake, EachOptionIsIndependent) {
  Outcome r = negotiate("X000" + request_of(Dict{{"MetadataFromServer", "1"}}));
  EXPECT_FALSE(r.result.metadata_in);
  EXPECT_TRUE(r.result.metadata_out);
  EXPECT_FALSE(r.result.cancel);
}

TEST(NewHandshake, NonEmptyAdvertisedValueMustBeMatchedExactly) {
  Outcome ok = negotiate("X000" + request_of(Dict{{"NwsWebPort", "8766"}}));
  EXPECT_EQ(ok.out, advert_bytes() + "A000");
  Outcome bad = negotiate("X000" + request_of(Dict{{"NwsWebPort", "8767"}}));
  EXPECT_EQ(bad.out, advert_bytes() + "F000");
  EXPECT_EQ(bad.state, ServerHandshake::State::failed);
  EXPECT_NE(bad.error.find("NwsWebPort"), std::string::npos) << bad.error;
}

TEST(NewHandshake, UnadvertisedOptionIsRefused) {
  // §3.3: asking for SSL on a server that does not offer it.
  Outcome r = negotiate("X000" "R000" "0001" "0003" "SSL" "0001" "1");
  EXPECT_EQ(r.out, advert_bytes() + "F000");
  EXPECT_EQ(r.state, ServerHandshake::State::failed);
  EXPECT_NE(r.error.find("SSL"), std::string::npos) << r.error;
}

TEST(NewHandshake, WrongTagInsteadOfR000FailsWithoutAReply) {
  for (std::string tag : {"A000", "R001", "r000", "0000"}) {
    Outcome r = negotiate("X000" + tag + "0000");
    EXPECT_EQ(r.state, ServerHandshake::State::failed) << tag;
    EXPECT_EQ(r.out, advert_bytes()) << tag;
    EXPECT_NE(r.error.find(tag), std::string::npos) << r.error;
  }
}

TEST(NewHandshake, MalformedOptionDictIsRefused) {
  Outcome r = negotiate("X000" "R000" "00x1");
  EXPECT_EQ(r.state, ServerHandshake::State::failed);
  EXPECT_EQ(r.out, advert_bytes() + "F000");
}

TEST(NewHandshake, BytesAfterA000AreLeftForTheRequestDecoder) {
  const std::string hs = "X000" + request_of(Dict{{"MetadataToServer", "1"}});
  Outcome r = negotiate(hs + "0000" "0001" "00000000000000000008" "list wss");
  EXPECT_EQ(r.used, hs.size());
  EXPECT_EQ(r.state, ServerHandshake::State::done);
}

TEST(NewHandshake, EveryTwoWaySplitAndByteByByteGiveTheSameOutcome) {
  const std::string stream = "X000" + request_of(Dict{{"MetadataToServer", "1"}, {"NwsCancel", "1"}}) + "tail";
  const Outcome whole = negotiate(stream);
  ASSERT_EQ(whole.state, ServerHandshake::State::done);
  ASSERT_EQ(whole.used, stream.size() - 4);
  std::vector<std::vector<std::size_t>> cut_sets;
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) cut_sets.push_back({cut});
  cut_sets.push_back(every_byte(stream));
  for (const auto& cuts : cut_sets) {
    Outcome r = negotiate(stream, cuts);
    EXPECT_EQ(r.out, whole.out);
    EXPECT_EQ(r.used, whole.used);
    EXPECT_EQ(r.state, whole.state);
    EXPECT_TRUE(r.result.metadata_in);
    EXPECT_TRUE(r.result.cancel);
    EXPECT_FALSE(r.result.metadata_out);
  }
}

TEST(OldHandshake, EveryByteSplitGivesTheSameOutcome) {
  const std::string stream = "0000" "more";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    Outcome r = negotiate(stream, {cut});
    EXPECT_EQ(r.out, "2223");
    EXPECT_EQ(r.used, 4u);
    EXPECT_FALSE(r.result.cookie);
  }
  Outcome r = negotiate(stream, every_byte(stream));
  EXPECT_EQ(r.out, "2223");
  EXPECT_EQ(r.used, 4u);
}

}  // namespace
