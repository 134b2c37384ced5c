// PROTOCOL.md §2.1: the dictionary encoding of options and metadata.
#include <gtest/gtest.h>

#include <string>

#include "protocol/dict.hpp"

namespace {

using nws::proto::Dict;
using nws::proto::DictParser;

std::string encoded(const Dict& d) {
  std::string out;
  EXPECT_TRUE(d.encode(out));
  return out;
}

// Parses one dict out of `bytes` fed in one piece; returns the bytes used.
std::size_t parse_whole(std::string_view bytes, DictParser& p) { return p.feed(bytes); }

TEST(DictEncode, EmptyDictIsFourZeros) { EXPECT_EQ(encoded(Dict{}), "0000"); }

TEST(DictEncode, CountThenLengthPrefixedKeysAndValues) {
  EXPECT_EQ(encoded(Dict{{"batchId", "3"}}), "0001" "0007" "batchId" "0001" "3");
  EXPECT_EQ(encoded(Dict{{"a", ""}, {"", "b"}}), "0002" "0001" "a" "0000" "0000" "0001" "b");
}

TEST(DictEncode, EntriesOfNineThousandNineHundredNinetyNineBytesFit) {
  std::string out;
  Dict d{{std::string(9999, 'k'), std::string(9999, 'v')}};
  ASSERT_TRUE(d.encode(out));
  EXPECT_EQ(out.size(), 4u + 4 + 9999 + 4 + 9999);
  EXPECT_EQ(out.substr(0, 8), "00019999");
}

TEST(DictEncode, LongerKeyOrValueIsRefusedWithoutWriting) {
  // A 5-digit length would corrupt the stream: encode() must refuse.
  std::string out = "prefix";
  EXPECT_FALSE((Dict{{std::string(10000, 'k'), "v"}}).encode(out));
  EXPECT_FALSE((Dict{{"k", std::string(10000, 'v')}}).encode(out));
  EXPECT_EQ(out, "prefix");
}

TEST(DictEncode, MoreThanNineThousandNineHundredNinetyNineEntriesIsRefused) {
  Dict d;
  for (int i = 0; i < 9999; ++i) d.set(std::to_string(i), "");
  std::string out;
  EXPECT_TRUE(d.encode(out));
  EXPECT_EQ(out.substr(0, 4), "9999");
  d.set("one more", "");
  out.clear();
  EXPECT_FALSE(d.encode(out));
  EXPECT_TRUE(out.empty());
}

TEST(DictSet, LaterValueReplacesEarlier) {
  Dict d;
  d.set("k", "a");
  d.set("k", "b");
  EXPECT_EQ(d.size(), 1u);
  EXPECT_EQ(d.get("k"), "b");
  EXPECT_FALSE(d.get("missing").has_value());
  EXPECT_TRUE(d.contains("k"));
}

TEST(DictEquality, IgnoresOrder) {
  EXPECT_EQ((Dict{{"a", "1"}, {"b", "2"}}), (Dict{{"b", "2"}, {"a", "1"}}));
  EXPECT_EQ(Dict{}, Dict{});
}

TEST(DictEquality, DiffersOnValuesOrKeys) {
  EXPECT_NE((Dict{{"a", "1"}}), (Dict{{"a", "2"}}));
  EXPECT_NE((Dict{{"a", "1"}}), (Dict{{"a", "1"}, {"b", "2"}}));
  EXPECT_NE((Dict{{"a", "1"}, {"b", "2"}}), (Dict{{"a", "1"}}));
  EXPECT_NE((Dict{{"a", ""}}), Dict{});
}

TEST(DictParserTest, EmptyDictEndsAfterFourBytesLeavingTheRest) {
  DictParser p;
  EXPECT_EQ(parse_whole("0000rest", p), 4u);
  EXPECT_EQ(p.state(), DictParser::State::done);
  EXPECT_TRUE(p.take().empty());
}

TEST(DictParserTest, DuplicateKeysLastOneWins) {
  DictParser p;
  std::string bytes = "0002" "0001" "k" "0001" "a" "0001" "k" "0001" "b";
  EXPECT_EQ(parse_whole(bytes, p), bytes.size());
  ASSERT_EQ(p.state(), DictParser::State::done);
  Dict d = p.take();
  EXPECT_EQ(d.get("k"), "b");
  EXPECT_EQ(d.size(), 1u);
}

TEST(DictParserTest, RoundTripsBinaryKeysAndValues) {
  Dict d{{std::string("k\0ey", 4), std::string("\0\xff\n", 3)}, {"", ""}, {"MetadataToServer", "1"}};
  std::string bytes = encoded(d);
  DictParser p;
  EXPECT_EQ(parse_whole(bytes, p), bytes.size());
  ASSERT_EQ(p.state(), DictParser::State::done);
  EXPECT_EQ(p.take(), d);
}

TEST(DictParserTest, EveryTwoWaySplitAndByteByByteGiveTheSameDict) {
  Dict d{{"nwsReason", "no value available"}, {"empty", ""}, {"", "no key"}};
  const std::string dict_bytes = encoded(d);
  const std::string stream = dict_bytes + "0001trailing";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    DictParser p;
    std::size_t used = p.feed(std::string_view(stream).substr(0, cut));
    if (p.state() == DictParser::State::reading) {
      EXPECT_EQ(used, cut);
      used += p.feed(std::string_view(stream).substr(cut));
    }
    EXPECT_EQ(used, dict_bytes.size()) << "cut at " << cut;
    ASSERT_EQ(p.state(), DictParser::State::done) << "cut at " << cut;
    EXPECT_EQ(p.take(), d) << "cut at " << cut;
  }
  DictParser p;
  std::size_t used = 0;
  for (std::size_t i = 0; i < stream.size() && p.state() == DictParser::State::reading; ++i)
    used += p.feed(std::string_view(stream).substr(i, 1));
  EXPECT_EQ(used, dict_bytes.size());
  ASSERT_EQ(p.state(), DictParser::State::done);
  EXPECT_EQ(p.take(), d);
}

TEST(DictParserTest, LenientCountAndLengthFields) {
  DictParser p;
  std::string bytes = " +01" "  1 " "k" "+001" "v";
  EXPECT_EQ(parse_whole(bytes, p), bytes.size());
  ASSERT_EQ(p.state(), DictParser::State::done);
  EXPECT_EQ(p.take(), (Dict{{"k", "v"}}));
}

TEST(DictParserTest, MalformedOrNegativeFieldsFail) {
  for (std::string bad : {std::string("abcd"), std::string("-001"), std::string("0001" "00x1"),
                          std::string("0001" "0001" "k" "-001"), std::string("0001" "    ")}) {
    DictParser p;
    p.feed(bad);
    EXPECT_EQ(p.state(), DictParser::State::failed) << bad;
    // A failed parser takes nothing more.
    EXPECT_EQ(p.feed("0000"), 0u);
    EXPECT_EQ(p.state(), DictParser::State::failed);
  }
}

TEST(DictParserTest, ADoneParserTakesNothingUntilReset) {
  DictParser p;
  EXPECT_EQ(p.feed("0000"), 4u);
  EXPECT_EQ(p.feed("0000"), 0u);
  p.take();  // take() also starts over
  EXPECT_EQ(p.state(), DictParser::State::reading);
  std::string second = "0001" "0001" "a" "0001" "b";
  EXPECT_EQ(p.feed(second), second.size());
  EXPECT_EQ(p.take(), (Dict{{"a", "b"}}));
}

}  // namespace
