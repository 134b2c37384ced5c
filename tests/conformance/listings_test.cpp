// §21 items 6 and 8: the exact text of `list vars` (§7.5) and `list wss`
// (§7.6), including the byte examples of §17.7 and §17.8.
#include <algorithm>

#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

using ListingsTest = ConformanceTest;

TEST_F(ListingsTest, ListVarsShowsCountsAndModesSortedTabSeparatedWithoutTrailingLf) {
  RawClient c = connect_and_open("ws");
  ASSERT_EQ(c.call_short({"declare var", "ws", "foo", "single"}), 0);
  for (int i = 0; i < 4; ++i) c.store("ws", "foo", std::to_string(i));
  ASSERT_EQ(c.call_short({"declare var", "ws", "bar", "multi"}), 0);
  c.store("ws", "bar", "a");
  c.store("ws", "bar", "b");
  c.store("ws", "buz", "once");
  ASSERT_EQ(c.call_long({"fetchTry", "ws", "buz"}).status(), 0);
  ASSERT_EQ(c.call_short({"declare var", "ws", "bif", "lifo"}), 0);
  EXPECT_EQ(list_vars(c, "ws"),
            "bar\t2\t0\t0\tmulti\n"
            "bif\t0\t0\t0\tlifo\n"
            "buz\t0\t0\t0\tfifo\n"
            "foo\t1\t0\t0\tsingle");
}

TEST_F(ListingsTest, DeletedVariablesVanishFromListVars) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "a", "1");
  c.store("ws", "b", "2");
  ASSERT_EQ(c.call_short({"delete var", "ws", "a"}), 0);
  EXPECT_EQ(list_vars(c, "ws"), "b\t1\t0\t0\tfifo");
  ASSERT_EQ(c.call_short({"delete var", "ws", "b"}), 0);
  EXPECT_EQ(list_vars(c, "ws"), "") << "an empty workspace lists as the empty string";
  EXPECT_EQ(c.call_short({"delete var", "ws", "b"}), 1) << "deleting a missing variable fails";
}

TEST_F(ListingsTest, ListVarsReplyMatchesExample17_7ByteForByte) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "x", "v");
  c.send(test::encode_request({"list vars", "ws"}));
  EXPECT_EQ(c.read_exact(84 + 12), "0000" + n20(1) + spaces20() + n20(0) + n20(12) + "x\t1\t0\t0\tfifo");
}

TEST_F(ListingsTest, ListWssMatchesExample17_8ByteForByte) {
  RawClient c(server_.port());
  c.handshake();
  ASSERT_EQ(c.call_short({"open ws", "ws", "4242", "no"}), 0);
  c.store("ws", "x", "v");
  // OQ10: the owner string is "host:port (label)" of the opening connection.
  std::string text = " __default\t[system]\tTrue\t0\t\n"
                     ">ws\t127.0.0.1:" + std::to_string(local_port(c)) + " (4242)\tFalse\t1\tx\n";
  c.send(test::encode_request({"list wss"}));
  EXPECT_EQ(c.read_exact(84 + text.size()), "0000" + n20(1) + spaces20() + n20(0) + n20(text.size()) + text);
}

TEST_F(ListingsTest, ListWssMarksOnlyWorkspacesThisConnectionOpened) {
  RawClient owner = connect_and_open("mine");
  ASSERT_EQ(owner.call_short({"open ws", "kept", "label", "yes"}), 0);
  RawClient user = connect();
  ASSERT_EQ(user.call_short({"use ws", "mine", "", "no"}), 0);
  LongReply tmp = user.call_long({"mktemp ws", "t%d"});
  ASSERT_EQ(tmp.status(), 0);
  for (const auto& c : {&owner, &user}) {
    std::string listing = list_wss(*c);
    SCOPED_TRACE(listing);
    ASSERT_FALSE(listing.empty());
    EXPECT_EQ(listing.back(), '\n') << "every line, including the last, ends in LF";
    std::size_t start = 0;
    int lines = 0;
    while (start < listing.size()) {
      std::size_t end = listing.find('\n', start);
      std::string line = listing.substr(start, end - start);
      start = end + 1;
      ++lines;
      // mark+name, owner, persistent, count, names.
      std::vector<std::string> f;
      for (std::size_t p = 0;;) {
        std::size_t tab = line.find('\t', p);
        f.push_back(line.substr(p, tab - p));
        if (tab == std::string::npos) break;
        p = tab + 1;
      }
      ASSERT_EQ(f.size(), 5u) << line;
      std::string name = f[0].substr(1);
      bool marked = f[0][0] == '>';
      EXPECT_TRUE(f[0][0] == '>' || f[0][0] == ' ') << line;
      EXPECT_TRUE(f[2] == "True" || f[2] == "False") << line;
      std::size_t names = f[4].empty() ? 0 : static_cast<std::size_t>(std::count(f[4].begin(), f[4].end(), ',')) + 1;
      EXPECT_EQ(std::stoul(f[3]), names) << line;
      if (name == "__default") {
        EXPECT_EQ(f[1], "[system]");
        EXPECT_EQ(f[2], "True");
      }
      if (name == "kept") EXPECT_EQ(f[2], "True") << "opened with persistent=yes";
      if (name == "mine") EXPECT_EQ(f[2], "False");
      // Only `open ws` marks; `use ws` and `mktemp ws` never do.
      bool expect_mark = c == &owner && (name == "mine" || name == "kept");
      EXPECT_EQ(marked, expect_mark) << line;
    }
    EXPECT_EQ(lines, 4) << "__default, kept, mine and the mktemp workspace";
  }
  EXPECT_TRUE(lists_workspace(list_wss(owner), tmp.value));
}

TEST_F(ListingsTest, ListWssWithANameListsOnlyThatWorkspaceOrASingleLf) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "b", "1");
  c.store("ws", "a", "1");
  LongReply one = c.call_long({"list wss", "ws"});
  ASSERT_EQ(one.status(), 0);
  EXPECT_EQ(one.value, ">ws\t127.0.0.1:" + std::to_string(local_port(c)) + " (test)\tFalse\t2\ta,b\n");
  LongReply none = c.call_long({"list wss", "missing"});
  ASSERT_EQ(none.status(), 0);
  EXPECT_EQ(none.value, "\n");
}

}  // namespace
}  // namespace nws::conformance
