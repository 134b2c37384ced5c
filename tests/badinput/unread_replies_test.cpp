// A client that pipelines a flood of requests and never reads the replies:
// the server must stop reading from it rather than queue replies without
// bound, and must keep serving everybody else meanwhile.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <fstream>

#include "harness.hpp"

namespace nws::test {
namespace {

using UnreadReplies = BadInputTest;

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps freed memory in quarantine (256 MiB by default)
// and adds redzones: only a gross blow-up is visible through it.
constexpr std::size_t kMaxGrowth = 512u << 20;
#else
// The server bounds one client's pending output (8 MiB of bytes, which its
// growing buffers and the allocator may turn into about three times as much
// resident memory).  Queuing every reply of the flood below would take 84 MB.
constexpr std::size_t kMaxGrowth = 48u << 20;
#endif

// 78 MB of requests: far more than socket buffers absorb, so a server that
// kept reading without bound would show it in its memory.
constexpr int kRequests = 1000000;

TEST_F(UnreadReplies, AFloodingClientThatNeverReadsIsThrottledAndOthersAreServed) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient flood = attacker();
  ASSERT_EQ(flood.call_short({"open ws", "flood", "flood", "no"}), 0);
  std::string one = encode_request({"fetchTry", "flood", "x"});
  std::string burst;
  burst.reserve(one.size() * kRequests);
  for (int i = 0; i < kRequests; ++i) burst += one;

  const std::size_t rss_before = resident_bytes(server().pid());
  ASSERT_GT(rss_before, 0u);

  // Send without ever reading, until everything is out or the server stops
  // taking bytes for a whole second (it stopped reading us: backpressure).
  int flags = ::fcntl(flood.fd(), F_GETFL);
  ASSERT_EQ(::fcntl(flood.fd(), F_SETFL, flags | O_NONBLOCK), 0);
  std::size_t sent = 0;
  while (sent < burst.size()) {
    ssize_t n = ::send(flood.fd(), burst.data() + sent, burst.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    ASSERT_TRUE(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) << std::strerror(errno);
    pollfd p{flood.fd(), POLLOUT, 0};
    if (::poll(&p, 1, 1000) == 0) break;
  }
  std::cout << "[ info     ] sent " << sent << " of " << burst.size() << " bytes before the server stopped reading\n";
  // Socket buffers hold at most a few tens of MB (tcp_rmem/tcp_wmem maxima),
  // so if everything went out, the server kept reading regardless.
  EXPECT_LT(sent, burst.size()) << "the server never stopped reading from a client that does not read";

  // While the flooding client is stuck, everybody else is served.
  expect_server_healthy("a client flooding requests without reading replies (while stuck)");
  std::size_t rss_during = resident_bytes(server().pid());
  std::cout << "[ info     ] server resident memory " << rss_before << " -> " << rss_during << " bytes\n";
  EXPECT_LT(rss_during, rss_before + kMaxGrowth)
      << "server memory grew from " << rss_before << " to " << rss_during << " bytes";

  // The flooder gives up; its workspace goes with it.
  flood.close();
  EXPECT_TRUE(poll_until([&] { return list_wss().find(" flood\t") == std::string::npos; }));
  expect_server_healthy("the flooding client closed");
}

TEST_F(UnreadReplies, AClientNotReadingLargeRepliesDoesNotStallOthers) {
  ASSERT_NO_FATAL_FAILURE(start());
  // Replies here are large (a 256 KiB value found again and again), so a
  // few requests fill the socket buffers at once.
  RawClient greedy = attacker();
  const std::string big = pattern_bytes(256 * 1024, 9);
  greedy.store(kArena, "big", big);
  std::string one = encode_request({"findTry", kArena, "big"});
  std::string burst;
  for (int i = 0; i < 400; ++i) burst += one;  // 100 MiB of replies
  greedy.send(burst);  // small enough to leave our buffers in one go
  expect_server_healthy("a client not reading 100 MiB of replies");
  // The stuck client still gets its replies, whole and in order, once it reads.
  for (int i = 0; i < 400; ++i) {
    LongReply r = greedy.read_long(30000);
    ASSERT_EQ(r.status(), 0) << "reply " << i;
    ASSERT_TRUE(r.value == big) << "reply " << i << " damaged";
  }
  expect_server_healthy("the greedy client caught up");
}

TEST_F(UnreadReplies, AClientResettingWhileItsErrorCloseIsPendingIsCleanedUp) {
  ASSERT_NO_FATAL_FAILURE(start());
  // MiBs of replies wait for this client when a framing error tells the
  // server to close it once they are written; then it resets the
  // connection.  The server must notice and clean up, not wait (or spin)
  // on output nobody will read.
  RawClient doomed = attacker();
  ASSERT_EQ(doomed.call_short({"open ws", "doomed", "doomed", "no"}), 0);
  doomed.store("doomed", "big", pattern_bytes(1 << 20, 3));
  int small = 4096;  // 6 MiB of replies cannot all sit in kernel buffers
  ASSERT_EQ(::setsockopt(doomed.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
  std::string burst;
  // Under the output cap, so the framing error is read before the server
  // waits for this client to read.
  for (int i = 0; i < 6; ++i) burst += encode_request({"findTry", "doomed", "big"});
  burst += "0002" + std::string(20, 'x');  // a framing error: close after the replies
  doomed.send(burst);
  ASSERT_TRUE(poll_until([&] { return server().log().find("closing:") != std::string::npos; }))
      << "the server never saw the framing error; log:\n" << server().log();

  ASSERT_NE(list_wss().find(" doomed\t"), std::string::npos) << list_wss();

  linger reset{1, 0};  // close() sends RST
  ASSERT_EQ(::setsockopt(doomed.fd(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset), 0);
  doomed.close();
  EXPECT_TRUE(poll_until([&] { return list_wss().find(" doomed\t") == std::string::npos; }))
      << "the reset client's workspace was never purged";
  expect_server_healthy("a client reset while its error close was pending");
}

}  // namespace
}  // namespace nws::test
