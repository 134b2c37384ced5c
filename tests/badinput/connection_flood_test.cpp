// A thousand connections opened at once and dropped abruptly: the server
// cleans up after every one (workspaces they owned, blocked requests, half
// requests, spool files) and keeps serving.
#include <sys/resource.h>
#include <sys/socket.h>

#include "harness.hpp"

namespace nws::test {
namespace {

using ConnectionFlood = BadInputTest;

constexpr int kConnections = 1000;

// What each connection does before it is dropped.
enum class Role {
  owner,           // handshake, opens its own non-persistent workspace
  blocked_owner,   // the same, then blocks in a fetch on it
  half_greeting,   // two bytes of "X000"
  half_request,    // handshake, then part of a store's header
  half_spooled,    // handshake, then 100 KiB of a spooled 1 MiB store
};

Role role_of(int i) {
  switch (i % 8) {
    case 0: case 2: return Role::owner;
    case 4: case 6: return Role::blocked_owner;
    case 1: case 5: return Role::half_greeting;
    case 3: return Role::half_request;
    default: return Role::half_spooled;
  }
}

std::string ws_name(int i) { return "dropped_" + std::to_string(i); }

TEST_F(ConnectionFlood, AThousandConnectionsDroppedAtOnceLeaveNothingBehind) {
  // Our own descriptors: a thousand sockets and a few more.
  rlimit lim{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &lim), 0);
  if (lim.rlim_cur < 4096 && lim.rlim_max > lim.rlim_cur) {
    lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 4096);
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  ASSERT_NO_FATAL_FAILURE(start({"--spool-threshold", "65536"}));

  // The exact bytes a completed handshake + successful open produce.
  std::string advertisement;
  {
    RawClient probe = connect_raw();
    probe.handshake().encode(advertisement);
  }
  const std::string handshake_reply = "P000" + advertisement + "A000";
  const std::string handshake = std::string("X000") + "R000" + "0000";

  std::vector<RawClient> clients;
  clients.reserve(kConnections);
  int owners = 0, spooling = 0;
  for (int i = 0; i < kConnections; ++i) {
    clients.push_back(connect_raw());
    RawClient& c = clients.back();
    switch (role_of(i)) {
      case Role::owner:
      case Role::blocked_owner: {
        std::string out = handshake + encode_request({"open ws", ws_name(i), "flood", "no"});
        if (role_of(i) == Role::blocked_owner) out += encode_request({"fetch", ws_name(i), "never"});
        c.send(out);
        ++owners;
        break;
      }
      case Role::half_greeting: c.send("X0"); break;
      case Role::half_request:
        c.send(handshake + encode_request({"store", kArena, "flood", n20_field(1), "v"}).substr(0, 37));
        break;
      case Role::half_spooled: {
        std::string head;
        proto::append_request_head(head, nullptr, {"store", kArena, "flood", n20_field(1)}, 1u << 20);
        c.send(handshake + head + pattern_bytes(100 * 1024, static_cast<unsigned>(i)));
        ++spooling;
        break;
      }
    }
  }
  // Every owner got its handshake and its open answered (each reply read in
  // full, so nothing is pending when we close)...
  for (int i = 0; i < kConnections; ++i) {
    if (role_of(i) != Role::owner && role_of(i) != Role::blocked_owner) continue;
    ASSERT_EQ(clients[static_cast<std::size_t>(i)].read_exact(handshake_reply.size() + 4, 30000),
              handshake_reply + "0000")
        << "connection " << i;
  }
  // ... so all their workspaces exist, the blocked fetches are queued, and
  // the spooled halves are on disk.
  std::string wss = list_wss();
  for (int i = 0; i < kConnections; i += 2)
    ASSERT_NE(wss.find(" " + ws_name(i) + "\t"), std::string::npos) << ws_name(i) << " missing from list wss";
  ASSERT_TRUE(poll_until([&] { return server().spool_file_count() == static_cast<std::size_t>(spooling); }))
      << server().spool_file_count() << " spool files, expected " << spooling;

  // Drop them all; every third one with a reset instead of a close.
  for (int i = 0; i < kConnections; ++i) {
    RawClient& c = clients[static_cast<std::size_t>(i)];
    if (i % 3 == 0) {
      linger l{1, 0};
      ::setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    c.close();
  }
  clients.clear();

  std::string last;
  EXPECT_TRUE(poll_until([&] {
    last = list_wss();
    return last.find("dropped_") == std::string::npos;
  }, 60000)) << "workspaces of dropped connections are still listed:\n" << last.substr(0, 2000);
  EXPECT_TRUE(poll_until([&] { return server().spool_file_count() == 0; }, 60000))
      << server().spool_file_count() << " spool files left";
  EXPECT_EQ(var_line("flood"), std::nullopt) << "a half request ran";
  EXPECT_EQ(owners, kConnections / 2);
  expect_server_healthy("1000 connections dropped at once");
}

}  // namespace
}  // namespace nws::test
