// PROTOCOL.md §2: numeric fields are read as leniently as Python's int()
// (surrounding whitespace, a sign) and written as '%04d', '%020d', '%-20.20s'.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "protocol/fields.hpp"

namespace {

using nws::proto::parse_int;
using nws::proto::parse_uint;

TEST(ParseInt, PlainZeroPaddedDigits) {
  EXPECT_EQ(parse_int("0042"), 42);
  EXPECT_EQ(parse_int("0000"), 0);
  EXPECT_EQ(parse_int("00000000000000000042"), 42);
}

TEST(ParseInt, SurroundingWhitespaceIsAcceptedLikePythonInt) {
  EXPECT_EQ(parse_int("  42"), 42);
  EXPECT_EQ(parse_int("42  "), 42);
  EXPECT_EQ(parse_int(" 42 "), 42);
  // The R 2.0 client's space-padded iterator index.
  EXPECT_EQ(parse_int("0                   "), 0);
  EXPECT_EQ(parse_int("\t7\n"), 7);
  EXPECT_EQ(parse_int("\r\v\f9"), 9);
}

TEST(ParseInt, OptionalSign) {
  EXPECT_EQ(parse_int("+42"), 42);
  EXPECT_EQ(parse_int(" +5 "), 5);
  EXPECT_EQ(parse_int("-42"), -42);
  EXPECT_EQ(parse_int("-0"), 0);
  EXPECT_EQ(parse_int("+0"), 0);
  EXPECT_EQ(parse_int("-0000000000000000001"), -1);
}

TEST(ParseInt, GarbageIsRefused) {
  for (const char* bad : {"", "    ", "+", "-", " - ", "4 2", "0x1A", "1e3", "--1", "+-1", "1-", "12a",
                          "a12", "1_000", "1.0", "\xd9\xa1"}) {
    EXPECT_FALSE(parse_int(bad).has_value()) << "'" << bad << "'";
  }
  // A NUL byte is not whitespace.
  EXPECT_FALSE(parse_int(std::string("4\0", 2)).has_value());
  EXPECT_FALSE(parse_int(std::string("\0" "4", 2)).has_value());
}

TEST(ParseInt, SignedSixtyFourBitRange) {
  EXPECT_EQ(parse_int("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_int("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(parse_int("9223372036854775808").has_value());
  EXPECT_FALSE(parse_int("-9223372036854775809").has_value());
  EXPECT_FALSE(parse_int("99999999999999999999").has_value());
  EXPECT_FALSE(parse_int("18446744073709551616").has_value());
}

TEST(ParseUint, AcceptsTheFullUnsignedRange) {
  EXPECT_EQ(parse_uint("00000000000000000005"), 5u);
  EXPECT_EQ(parse_uint("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_FALSE(parse_uint("18446744073709551616").has_value());
  EXPECT_FALSE(parse_uint("99999999999999999999").has_value());
}

TEST(ParseUint, NegativeOnlyForZero) {
  EXPECT_EQ(parse_uint("-0"), 0u);
  EXPECT_EQ(parse_uint("-0000000000000000000"), 0u);
  EXPECT_EQ(parse_uint(" +5"), 5u);
  EXPECT_FALSE(parse_uint("-1").has_value());
  EXPECT_FALSE(parse_uint("-0000000000000000001").has_value());
}

TEST(ParseUint, GarbageIsRefused) {
  for (const char* bad : {"", " ", "+", "-", "0000000000000000000a", "5 5", "0x10"})
    EXPECT_FALSE(parse_uint(bad).has_value()) << "'" << bad << "'";
}

TEST(FormatN4, ZeroPaddedFourDigits) {
  EXPECT_EQ(nws::proto::n4(0), "0000");
  EXPECT_EQ(nws::proto::n4(7), "0007");
  EXPECT_EQ(nws::proto::n4(2001), "2001");
  EXPECT_EQ(nws::proto::n4(9999), "9999");
}

TEST(FormatN4, WiderAndNegativeValuesFollowPrintf) {
  // '%04d' never truncates: the field grows, as the original's did.
  EXPECT_EQ(nws::proto::n4(12345), "12345");
  EXPECT_EQ(nws::proto::n4(-5), "-005");
  EXPECT_EQ(nws::proto::n4(-1234), "-1234");
}

TEST(FormatN20, ZeroPaddedTwentyDigits) {
  EXPECT_EQ(nws::proto::n20(0), "00000000000000000000");
  EXPECT_EQ(nws::proto::n20(16777217), "00000000000016777217");
  EXPECT_EQ(nws::proto::n20(std::numeric_limits<std::int64_t>::max()), "09223372036854775807");
}

TEST(FormatN20, NegativeIsMinusThenNineteenDigits) {
  EXPECT_EQ(nws::proto::n20(-1), "-0000000000000000001");
  EXPECT_EQ(nws::proto::n20(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
}

TEST(FormatN20u, FullUnsignedRangeFitsTwentyDigits) {
  std::string out = "x";
  nws::proto::append_n20u(out, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(out, "x18446744073709551615");
  out.clear();
  nws::proto::append_n20u(out, 5);
  EXPECT_EQ(out, "00000000000000000005");
}

TEST(FormatN20, AppendsToWhatIsThere) {
  std::string out = "0000";
  nws::proto::append_n20(out, 3);
  nws::proto::append_n4(out, 2);
  EXPECT_EQ(out, "0000" "00000000000000000003" "0002");
}

TEST(FormatId20, LeftJustifiedSpacePadded) {
  std::string out;
  nws::proto::append_id20(out, "abc");
  EXPECT_EQ(out, "abc" + std::string(17, ' '));
}

TEST(FormatId20, EmptyMeansTwentySpaces) {
  std::string out;
  nws::proto::append_id20(out, "");
  EXPECT_EQ(out, std::string(20, ' '));
}

TEST(FormatId20, LongerIdsAreTruncatedToTwenty) {
  std::string out;
  nws::proto::append_id20(out, "0123456789abcdefghijKLMNO");
  EXPECT_EQ(out, "0123456789abcdefghij");
  out.clear();
  nws::proto::append_id20(out, "00000000000482913367");
  EXPECT_EQ(out, "00000000000482913367");
}

TEST(FieldsRoundTrip, FormattedValuesParseBack) {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{123456789},
                         std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(parse_int(nws::proto::n20(v)), v);
  }
  for (std::int64_t v : {0, 9, 9999, -999}) EXPECT_EQ(parse_int(nws::proto::n4(v)), v);
}

}  // namespace
