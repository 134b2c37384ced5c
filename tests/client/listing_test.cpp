#include <gtest/gtest.h>

#include "client/listing.hpp"

namespace {
using nws::detail::parse_var_listing;
using nws::detail::parse_ws_listing;

TEST(WsListing, ParsesTheProtocolExample) {
  // PROTOCOL.md §17.8.
  auto ws = parse_ws_listing(
      " __default\t[system]\tTrue\t0\t\n"
      ">ws\tIPv4Address(TCP, '127.0.0.1', 50312) (4242)\tFalse\t1\tx\n");
  ASSERT_EQ(ws.size(), 2u);
  EXPECT_FALSE(ws[0].mine);
  EXPECT_EQ(ws[0].name, "__default");
  EXPECT_EQ(ws[0].owner, "[system]");
  EXPECT_TRUE(ws[0].persistent);
  EXPECT_EQ(ws[0].variables, 0);
  EXPECT_TRUE(ws[0].variable_names.empty());
  EXPECT_TRUE(ws[1].mine);
  EXPECT_EQ(ws[1].name, "ws");
  EXPECT_EQ(ws[1].owner, "IPv4Address(TCP, '127.0.0.1', 50312) (4242)");
  EXPECT_FALSE(ws[1].persistent);
  EXPECT_EQ(ws[1].variables, 1);
  EXPECT_EQ(ws[1].variable_names, std::vector<std::string>{"x"});
}

TEST(WsListing, LoneLineFeedOrEmptyMeansNone) {
  EXPECT_TRUE(parse_ws_listing("\n").empty());
  EXPECT_TRUE(parse_ws_listing("").empty());
}

TEST(WsListing, SplitsVariableNamesOnCommasAndKeepsSpacesInNames) {
  auto ws = parse_ws_listing(" Sleigh Monitor\t\tfalse\t3\ta,b c,d\n");
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].name, "Sleigh Monitor");
  EXPECT_EQ(ws[0].owner, "");
  EXPECT_FALSE(ws[0].persistent);
  EXPECT_EQ(ws[0].variable_names, (std::vector<std::string>{"a", "b c", "d"}));
}

TEST(WsListing, ToleratesAMissingFinalLineFeed) {
  auto ws = parse_ws_listing(">a\to\ttrue\t0\t");
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_TRUE(ws[0].persistent);
}

TEST(WsListing, RejectsMalformedLines) {
  EXPECT_THROW(parse_ws_listing(" a\tb\tTrue\t0\n"), nws::Error);
  EXPECT_THROW(parse_ws_listing(" a\tb\tTrue\tzero\t\n"), nws::Error);
  try {
    parse_ws_listing(" a\tb\tTrue\t0\tx\ty\n");
    FAIL();
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::protocol);
  }
}

TEST(VarListing, ParsesLinesWithoutTrailingLineFeed) {
  // PROTOCOL.md §21 item 6.
  auto vars = parse_var_listing("bar\t2\t0\t0\tmulti\nbif\t0\t0\t0\tlifo\nfoo\t1\t0\t0\tsingle\nx\t0\t1\t2\tunknown");
  ASSERT_EQ(vars.size(), 4u);
  EXPECT_EQ(vars[0].name, "bar");
  EXPECT_EQ(vars[0].values, 2);
  EXPECT_EQ(vars[0].mode, "multi");
  EXPECT_EQ(vars[2].name, "foo");
  EXPECT_EQ(vars[2].mode, "single");
  EXPECT_EQ(vars[3].fetchers, 1);
  EXPECT_EQ(vars[3].finders, 2);
  EXPECT_EQ(vars[3].mode, "unknown");
}

TEST(VarListing, EmptyTextMeansNoVariables) { EXPECT_TRUE(parse_var_listing("").empty()); }

TEST(VarListing, OneVariable) {
  // PROTOCOL.md §17.7.
  auto vars = parse_var_listing("x\t1\t0\t0\tfifo");
  ASSERT_EQ(vars.size(), 1u);
  EXPECT_EQ(vars[0].name, "x");
  EXPECT_EQ(vars[0].values, 1);
  EXPECT_EQ(vars[0].fetchers, 0);
  EXPECT_EQ(vars[0].mode, "fifo");
}

TEST(VarListing, RejectsMalformedLines) {
  EXPECT_THROW(parse_var_listing("x\t1\t0\tfifo"), nws::Error);
  EXPECT_THROW(parse_var_listing("x\tone\t0\t0\tfifo"), nws::Error);
}

}  // namespace
