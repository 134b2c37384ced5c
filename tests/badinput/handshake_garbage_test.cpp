// Clients that get the handshake (PROTOCOL.md §3) wrong: the server drops
// that one connection and nobody else notices.
#include <random>

#include "harness.hpp"

namespace nws::test {
namespace {

using HandshakeGarbage = BadInputTest;

// Whatever the server says before closing, it must close.
void expect_closed(RawClient& c, std::string* tail = nullptr) {
  EXPECT_TRUE(c.wait_closed(10000, tail)) << "the server kept a garbage connection open";
}

TEST_F(HandshakeGarbage, RandomBytesInsteadOfAGreetingCloseTheConnection) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    std::mt19937 rng(seed);
    std::string junk(8192, '\0');
    for (auto& ch : junk) ch = static_cast<char>(rng() & 0xff);
    // Seeds 1-2 take the old-style path (first byte not 'X'), 3-4 the new one.
    junk[0] = seed <= 2 ? '\x81' : 'X';
    RawClient c = connect_raw();
    c.send(junk);
    std::string tail;
    expect_closed(c, &tail);
    // Old-style: "2223", then the short error that refuses the junk as a
    // request (its argument count is not a number); new-style: the
    // advertisement, then nothing (the junk is not R000).
    if (seed <= 2) EXPECT_EQ(tail, "22230001");
    else EXPECT_EQ(tail.substr(0, 4), "P000");
    expect_server_healthy("random greeting, seed " + std::to_string(seed));
  }
}

TEST_F(HandshakeGarbage, R000FirstIsAnOldStyleGreetingAndItsEmptyDictAnEmptyRequest) {
  ASSERT_NO_FATAL_FAILURE(start());
  // A client that skipped X000: "R000" is just an old-style greeting (first
  // byte not 'X'), and its "0000" dictionary then reads as argc 0, which is
  // answered with status 1 before the server closes.
  RawClient c = connect_raw();
  c.send("R0000000");
  std::string tail;
  expect_closed(c, &tail);
  EXPECT_EQ(tail, "22230001");
  expect_server_healthy("R000 sent first");
}

TEST_F(HandshakeGarbage, GarbageInsteadOfR000ClosesWithoutAnswer) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (std::string garbage : {std::string("GARBAGE GARBAGE"), std::string("r000\x00\x00\x00\x00", 8),
                              std::string("X000"), std::string("A000"), std::string("0000")}) {
    RawClient c = connect_raw();
    c.send("X000");
    ASSERT_EQ(c.read_exact(4), "P000");
    c.send(garbage);
    std::string tail;
    expect_closed(c, &tail);
    // The advertisement dictionary may still be arriving; but neither A000
    // nor F000 may follow it: the client never asked for anything.
    EXPECT_EQ(tail.find("A000"), std::string::npos) << "tail: " << tail;
    EXPECT_EQ(tail.find("F000"), std::string::npos) << "tail: " << tail;
    expect_server_healthy("garbage after P000: " + garbage.substr(0, 8));
  }
}

TEST_F(HandshakeGarbage, TruncatedOptionRequestThenCloseLeavesNothingBehind) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string full = std::string("R000") + "0002" + "0016" + "MetadataToServer" + "0001" + "1" + "0018" +
                           "MetadataFromServer" + "0001" + "1";
  // Cut after the tag, inside the count, inside a key length, inside a key,
  // inside a value length, and one byte short of the end.
  for (std::size_t cut : {std::size_t{4}, std::size_t{6}, std::size_t{10}, std::size_t{20}, std::size_t{30},
                          full.size() - 1}) {
    RawClient c = connect_raw();
    c.send("X000");
    ASSERT_EQ(c.read_exact(4), "P000");
    c.send(full.substr(0, cut));
    c.close();
    expect_server_healthy("option request cut after " + std::to_string(cut) + " bytes");
  }
}

TEST_F(HandshakeGarbage, MalformedOptionDictionaryIsRefusedWithF000) {
  ASSERT_NO_FATAL_FAILURE(start());
  // A count or a length that is not a number: refused and closed (§3.2 step 5).
  for (std::string bad : {std::string("R000") + "00x1", std::string("R000") + "0001" + "-016",
                          std::string("R000") + "0001" + "0016" + "MetadataToServer" + "abcd"}) {
    RawClient c = connect_raw();
    c.send("X000");
    ASSERT_EQ(c.read_exact(4), "P000");
    c.send(bad);
    std::string tail;
    expect_closed(c, &tail);
    ASSERT_GE(tail.size(), 4u);
    EXPECT_EQ(tail.substr(tail.size() - 4), "F000");
    expect_server_healthy("malformed option dictionary " + bad);
  }
}

}  // namespace
}  // namespace nws::test
