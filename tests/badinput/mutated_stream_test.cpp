// Streams of valid requests with a few bytes corrupted: whatever the damage
// turns them into (bad counts, odd lengths, strange verbs and arguments,
// metadata that no longer parses), the server answers or drops that one
// connection and stays healthy.  Under AddressSanitizer this walks many
// decoder and engine paths looking for memory errors.
#include <sys/socket.h>

#include <random>

#include "harness.hpp"

namespace nws::test {
namespace {

using MutatedStream = BadInputTest;

std::string valid_stream(bool with_metadata) {
  const proto::Dict md{{"batchId", "7"}};
  const proto::Dict* m = with_metadata ? &md : nullptr;
  const std::string d = n20_field(0x01000001);
  const std::string no_id(20, ' ');
  std::string s;
  auto add = [&](std::initializer_list<std::string_view> args) { proto::append_request(s, m, args); };
  add({"use ws", "fuzz", "", "no"});
  add({"store", "fuzz", "a", d, "one"});
  add({"store", "fuzz", "a", d, std::string(300, 'z')});
  add({"declare var", "fuzz", "s", "single"});
  add({"store", "fuzz", "s", d, "single value"});
  add({"findTry", "fuzz", "a"});
  add({"ifindTry", "fuzz", "a", no_id, n20_field(0)});
  add({"ifindTry", "fuzz", "a", n20_field(3), n20_field(0)});
  add({"list vars", "fuzz"});
  add({"list wss", "fuzz"});
  add({"mktemp ws", "fz%04d"});
  add({"fetchTry", "fuzz", "a"});
  add({"fetchTry", "fuzz", "s"});
  add({"declare var", "fuzz", "t", "__time"});
  add({"find", "fuzz", "t"});
  add({"declare var", "fuzz", "b", "__barrier"});
  add({"store", "fuzz", "b", d, "join"});
  add({"findTry", "fuzz", "b"});
  add({"fetchTry", "fuzz", "b"});
  add({"delete var", "fuzz", "a"});
  add({"store", "fuzz", "l", d, "last"});
  add({"fetch", "fuzz", "l"});
  add({"fetch", "fuzz", "l"});  // blocks; anything after it is refused
  add({"store", "fuzz", "l", d, "after"});
  return s;
}

TEST_F(MutatedStream, CorruptedRequestStreamsNeverHurtTheServer) {
  ASSERT_NO_FATAL_FAILURE(start());
  const char kNasty[] = {'0', '9', '-', '+', ' ', 'X', '\0', '\xff', '\n', '\t', '%'};
  for (unsigned seed = 1; seed <= 100; ++seed) {
    std::mt19937 rng(seed);
    const bool with_metadata = seed % 2 == 0;
    std::string stream = valid_stream(with_metadata);
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      char& at = stream[rng() % stream.size()];
      at = rng() % 2 ? kNasty[rng() % sizeof kNasty] : static_cast<char>(rng() & 0xff);
    }
    if (seed % 5 == 0) stream.resize(rng() % stream.size());

    RawClient c(server().port());
    proto::Dict options;
    if (with_metadata) {
      options.set("MetadataToServer", "1");
      options.set("MetadataFromServer", "1");
    }
    c.handshake(options);
    c.send(stream);
    // The end of our input: the server must let go of the connection (it may
    // answer some requests first).
    ::shutdown(c.fd(), SHUT_WR);
    EXPECT_TRUE(c.wait_closed(20000)) << "seed " << seed << ": connection never closed";
    expect_server_healthy("mutated stream, seed " + std::to_string(seed));
  }
}

}  // namespace
}  // namespace nws::test
