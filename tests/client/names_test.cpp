#include <gtest/gtest.h>

#include <set>
#include <string>

#include "nws/client.hpp"

namespace {

TEST(ErrcName, EveryCodeHasADistinctLowerCaseName) {
  std::set<std::string> seen;
  for (const nws::ErrorKind& k : nws::error_kinds()) {
    if (k.code < 0) continue;
    std::string name(nws::errc_name(static_cast<nws::Errc>(k.code)));
    EXPECT_EQ(name, k.name);
    EXPECT_FALSE(name.empty());
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == ' ') << name;
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
  }
  EXPECT_EQ(nws::errc_name(nws::Errc::no_such_workspace), "no such workspace");
  EXPECT_EQ(nws::errc_name(nws::Errc::timeout), "timeout");
  EXPECT_EQ(nws::errc_name(static_cast<nws::Errc>(999)), "unknown error");
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
  for (auto m : nws::all_modes()) EXPECT_EQ(nws::parse_mode(nws::mode_name(m)), m);
  EXPECT_EQ(nws::all_modes().size(), 7u);
  EXPECT_EQ(nws::mode_name(nws::Mode::single), "single");
  EXPECT_EQ(nws::parse_mode("FIFO"), std::nullopt);  // case-sensitive, like the server
  EXPECT_EQ(nws::parse_mode("__time"), nws::Mode::time);
  EXPECT_EQ(nws::parse_mode(""), std::nullopt);
}

TEST(Mode, KindsFollowTheTable) {
  for (auto m : {nws::Mode::fifo, nws::Mode::lifo, nws::Mode::multi, nws::Mode::single}) {
    EXPECT_TRUE(nws::standard(m));
    EXPECT_TRUE(nws::declarable(m));
  }
  EXPECT_FALSE(nws::standard(nws::Mode::barrier));
  EXPECT_TRUE(nws::declarable(nws::Mode::barrier));
  EXPECT_FALSE(nws::declarable(nws::Mode::unknown));
}

}  // namespace

namespace {

TEST(UnreadableValue, NamesTheVariableTheWriterAndTheReader) {
  const auto r = nws::descriptor::make(nws::Language::r, false, false);
  EXPECT_EQ(nws::unreadable_value_message("ws", "x", r, nws::Language::python),
            "cannot read the value of variable 'x' in workspace 'ws': it was serialised by R (language id 3), and "
            "Python reads only direct strings, portable values and its own serialised values (a value every "
            "language reads is stored portable: docs/values.md)");
  EXPECT_EQ(nws::unreadable_value_message("ws", "x", 0, nws::Language::java),
            "cannot read the value of variable 'x' in workspace 'ws': its writer named no language (descriptor 0); "
            "Java reads direct strings, portable values and its own serialised values");
  EXPECT_EQ(nws::unreadable_value_message("ws", "x", r, nws::Language::r, "unpickling failed"),
            "cannot read the value of variable 'x' in workspace 'ws': unpickling failed");
}

}  // namespace
