#include <gtest/gtest.h>

#include "client/negotiation.hpp"

namespace {
using nws::detail::choose_options;
using nws::proto::Dict;

Dict original_server() {
  return Dict{{"MetadataToServer", ""}, {"MetadataFromServer", ""}, {"KillServerOnClose", ""}, {"NwsWebPort", "8766"}};
}

TEST(ChooseOptions, AsksForMetadataWhenOffered) {
  auto c = choose_options(original_server(), nws::ConnectOptions{});
  EXPECT_TRUE(c.metadata_in);
  EXPECT_TRUE(c.metadata_out);
  EXPECT_FALSE(c.cancel);
  EXPECT_EQ(c.request, (Dict{{"MetadataToServer", "1"}, {"MetadataFromServer", "1"}}));
  EXPECT_EQ(c.web_port, 8766);
}

TEST(ChooseOptions, NoMetadataWhenNotWanted) {
  nws::ConnectOptions o;
  o.metadata = false;
  auto c = choose_options(original_server(), o);
  EXPECT_FALSE(c.metadata_in);
  EXPECT_FALSE(c.metadata_out);
  EXPECT_TRUE(c.request.empty());
}

TEST(ChooseOptions, TakesCancelWhenOffered) {
  Dict ours{{"MetadataToServer", ""}, {"MetadataFromServer", ""}, {"KillServerOnClose", ""}, {"NwsCancel", ""}};
  nws::ConnectOptions o;
  o.metadata = false;
  auto c = choose_options(ours, o);
  EXPECT_TRUE(c.cancel);
  EXPECT_EQ(c.request, (Dict{{"NwsCancel", "1"}}));
  EXPECT_FALSE(c.web_port);
}

TEST(ChooseOptions, OnlyOptionsTheServerOffers) {
  auto c = choose_options(Dict{{"MetadataFromServer", ""}}, nws::ConnectOptions{});
  EXPECT_FALSE(c.metadata_in);
  EXPECT_TRUE(c.metadata_out);
  EXPECT_EQ(c.request, (Dict{{"MetadataFromServer", "1"}}));
  // An option advertised with a fixed value other than "1" cannot be switched on.
  auto d = choose_options(Dict{{"MetadataToServer", "0"}}, nws::ConnectOptions{});
  EXPECT_FALSE(d.metadata_in);
  EXPECT_TRUE(d.request.empty());
}

TEST(ChooseOptions, KillServerOnClose) {
  nws::ConnectOptions o;
  o.kill_server_on_close = true;
  auto c = choose_options(original_server(), o);
  EXPECT_EQ(c.request.get("KillServerOnClose"), std::optional<std::string_view>("1"));
  try {
    choose_options(Dict{{"MetadataToServer", ""}}, o);
    FAIL();
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::unsupported);
  }
}

TEST(ChooseOptions, IgnoresABadWebPort) {
  EXPECT_FALSE(choose_options(Dict{{"NwsWebPort", "x"}}, nws::ConnectOptions{}).web_port);
  EXPECT_FALSE(choose_options(Dict{{"NwsWebPort", "70000"}}, nws::ConnectOptions{}).web_port);
}

TEST(OldStyle, OnlyTwoTwoTwoTwoMeansNoCookies) {
  EXPECT_FALSE(nws::detail::old_style_cookie("2222"));
  EXPECT_TRUE(nws::detail::old_style_cookie("2223"));
}

}  // namespace
