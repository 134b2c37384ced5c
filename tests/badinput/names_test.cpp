// Finding: names were not checked.  A TAB or LF broke the tab-separated
// listings, and a 100 MB name cost 300 MB.  Now (docs/limits.md) names
// holding TAB, LF, CR or NUL, or longer than 4096 bytes, are refused with an
// error reply, and anything longer than 64 KiB is refused before it is read.
#include <iostream>

#include "harness.hpp"
#include "protocol/encoder.hpp"

namespace nws::test {
namespace {

using Names = BadInputTest;

TEST_F(Names, NamesTheListingsCannotShowAreRefusedAndTheListingsStayParsable) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker(true);
  for (const std::string& bad : {std::string("a\tb"), std::string("a\nb"), std::string("a\rb"),
                                 std::string("a\0b", 3), std::string(4097, 'n')}) {
    SCOPED_TRACE("a name of " + std::to_string(bad.size()) + " bytes");
    c.request({"store", kArena, bad, n20_field(1), "v"});
    proto::Dict md;
    EXPECT_EQ(c.read_short(&md), 1);
    EXPECT_NE(std::string(md.get("nwsReason").value_or("")).find("Invalid variable name"), std::string::npos);
    c.request({"open ws", bad, "label", "no"});
    EXPECT_EQ(c.read_short(&md), 1);
  }
  // Nothing was made: every line of the listings still has its five fields.
  for (const std::string& text : {list_vars(), list_wss()}) {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!line.empty()) EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 4) << "'" << line << "'";
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  expect_server_healthy("names with TAB, LF, CR, NUL, or too long");
}

TEST_F(Names, AHundredMegabyteNameIsRefusedBeforeItIsRead) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker();
  const std::size_t peak_before = peak_resident_bytes(server().pid());
  std::string head;
  proto::append_request_head(head, nullptr, {"open ws"}, 100u << 20);  // the name's length only
  c.send(head);
  std::string tail;
  EXPECT_TRUE(c.wait_closed(5000, &tail));
  EXPECT_EQ(tail, "0001");
  const std::size_t peak_after = peak_resident_bytes(server().pid());
  std::cout << "[ info     ] server peak resident memory " << peak_before << " -> " << peak_after << " bytes\n";
  EXPECT_LT(peak_after, peak_before + (8u << 20));
  expect_server_healthy("a 100 MB workspace name");
}

TEST_F(Names, AFieldOverSixtyFourKibibytesIsDroppedAndRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker(true);
  c.request({"use ws", std::string(1u << 20, 'w'), "", "no"});  // 1 MiB: read, dropped
  proto::Dict md;
  EXPECT_EQ(c.read_short(&md), 1);
  EXPECT_NE(std::string(md.get("nwsReason").value_or("")).find("longer than the 65536 bytes"), std::string::npos);
  LongReply r = c.call_long({"findTry", kBystanderWs, "kept"});  // in step
  EXPECT_EQ(r.status(), 0);
  expect_server_healthy("a 1 MiB workspace name");
}

}  // namespace
}  // namespace nws::test
