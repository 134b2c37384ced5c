#include <gtest/gtest.h>

#include <set>
#include <string>

#include "nws/client.hpp"

namespace {

TEST(ErrcName, EveryCodeHasADistinctLowerCaseName) {
  std::set<std::string> seen;
  for (int i = 0; i <= static_cast<int>(nws::Errc::invalid_argument); ++i) {
    std::string name(nws::errc_name(static_cast<nws::Errc>(i)));
    EXPECT_FALSE(name.empty());
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == ' ') << name;
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
  }
  EXPECT_EQ(nws::errc_name(nws::Errc::no_such_workspace), "no such workspace");
  EXPECT_EQ(nws::errc_name(nws::Errc::timeout), "timeout");
}

TEST(LanguageName, KnowsTheTranslatorTableAndCpp) {
  EXPECT_EQ(nws::language_name(1), "Python");
  EXPECT_EQ(nws::language_name(2), "Matlab");
  EXPECT_EQ(nws::language_name(3), "R");
  EXPECT_EQ(nws::language_name(4), "Perl");
  EXPECT_EQ(nws::language_name(5), "Ruby");
  EXPECT_EQ(nws::language_name(6), "Octave");
  EXPECT_EQ(nws::language_name(7), "Java");
  EXPECT_EQ(nws::language_name(8), "C#");
  EXPECT_EQ(nws::language_name(9), "Objective-C");
  EXPECT_EQ(nws::language_name(10), "Emacs Lisp");
  EXPECT_EQ(nws::language_name(11), "C++");
  EXPECT_EQ(nws::language_name(0), "language 0");
  EXPECT_EQ(nws::language_name(200), "language 200");
}

TEST(Value, TextFromCppIsADirectStringTaggedCpp) {
  auto v = nws::Value::text("hi");
  EXPECT_TRUE(v.is_string());
  EXPECT_FALSE(v.is_binary());
  EXPECT_EQ(v.language(), 11);
  EXPECT_EQ(nws::language_name(v.language()), "C++");
  EXPECT_TRUE(nws::Value::binary("x").is_binary());
  // The Python client's string descriptor (PROTOCOL.md §8).
  EXPECT_EQ(nws::descriptor::make(nws::Language::python, true, false), 16777217u);
}

TEST(Mode, NamesRoundTrip) {
  for (auto m : {nws::Mode::fifo, nws::Mode::lifo, nws::Mode::multi, nws::Mode::single})
    EXPECT_EQ(nws::parse_mode(nws::mode_name(m)), m);
  EXPECT_EQ(nws::mode_name(nws::Mode::single), "single");
  EXPECT_EQ(nws::parse_mode("FIFO"), std::nullopt);  // case-sensitive, like the server
  EXPECT_EQ(nws::parse_mode("__time"), std::nullopt);
  EXPECT_EQ(nws::parse_mode(""), std::nullopt);
}

}  // namespace
