// Real servers with a data directory, stopped, killed and restarted under
// real clients: what was acknowledged is there after the restart, what was
// fetched does not come back.
#include <signal.h>

#include <atomic>
#include <set>
#include <chrono>
#include <thread>

#include "log_fixture.hpp"
#include "nws/client.hpp"
#include "server_process.hpp"

namespace nws::durable_test {
namespace {

using nws::test::ServerProcess;
using Clock = std::chrono::steady_clock;

ConnectOptions at(const ServerProcess& p) {
  ConnectOptions o;
  o.host = "127.0.0.1";
  o.port = p.port();
  return o;
}

std::vector<std::string> drain(nws::Workspace& ws, const std::string& var) {
  std::vector<std::string> out;
  while (auto v = ws.fetch_try(var)) out.push_back(v->bytes);
  return out;
}

class Restart : public ::testing::TestWithParam<std::string> {};

TEST_P(Restart, EveryModeKeepsItsOrderAcrossAStop) {
  TempDir dir;
  const std::vector<std::string> args{"--data-dir", dir.path(), "--fsync", GetParam()};
  {
    ServerProcess server(args);
    nws::Server conn(at(server));
    nws::Workspace ws = conn.open_ws("jobs", /*persistent=*/true);
    ws.declare("stack", Mode::lifo);
    ws.declare("latest", Mode::single);
    for (int i = 0; i < 100; ++i) {
      ws.store("queue", Value::text("q" + std::to_string(i)));
      ws.store("stack", Value::text("s" + std::to_string(i)));
      ws.store("latest", Value::text("l" + std::to_string(i)));
    }
    for (int i = 0; i < 10; ++i) ws.fetch("queue");
    ws.fetch("stack");
    nws::Workspace scratch = conn.open_ws("scratch", /*persistent=*/false);
    scratch.store("x", Value::text("not kept"));
    ASSERT_EQ(server.stop(SIGTERM), 0);
  }
  ServerProcess server(args);
  EXPECT_NE(server.log().find("loaded"), std::string::npos) << server.log();
  nws::Server conn(at(server));
  nws::Workspace ws = conn.use_ws("jobs", /*create=*/false);
  std::vector<std::string> queue = drain(ws, "queue"), stack = drain(ws, "stack"), latest = drain(ws, "latest");
  ASSERT_EQ(queue.size(), 90u);
  for (int i = 0; i < 90; ++i) EXPECT_EQ(queue[i], "q" + std::to_string(i + 10));
  ASSERT_EQ(stack.size(), 99u);
  for (int i = 0; i < 99; ++i) EXPECT_EQ(stack[i], "s" + std::to_string(98 - i));
  EXPECT_EQ(latest, std::vector<std::string>{"l99"});
  EXPECT_THROW(conn.use_ws("scratch", /*create=*/false), nws::Error);
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

INSTANTIATE_TEST_SUITE_P(EachFsyncPolicy, Restart, ::testing::Values("always", "everysec", "no"));

// Stores numbered values and fetches every fourth, recording what the
// server acknowledged and when, until the server is killed under it.
struct Stream {
  std::vector<std::pair<int, Clock::time_point>> stored;  // acknowledged stores
  std::vector<int> fetched;                                // values a fetch returned
  // The kill came during a fetch: the value it was taking (the oldest left,
  // as every value is fetched in order) may be gone with its lost reply —
  // the loss that a leased fetch exists to prevent.
  bool fetch_in_flight = false;
};

Stream store_until_killed(const ServerProcess& server, std::atomic<int>& acknowledged) {
  Stream s;
  try {
    nws::Server conn(at(server));
    nws::Workspace ws = conn.open_ws("stream", /*persistent=*/true);
    for (int i = 0;; ++i) {
      ws.store("n", Value::text(std::to_string(i)));
      s.stored.emplace_back(i, Clock::now());
      acknowledged.store(i + 1);
      if (i % 4 == 3) {
        s.fetch_in_flight = true;
        s.fetched.push_back(std::stoi(ws.fetch("n").bytes));
        s.fetch_in_flight = false;
      }
    }
  } catch (const nws::Error&) {
    // The server went away mid-stream.
  }
  return s;
}

void kill_under_a_stream(const std::string& policy, std::chrono::milliseconds allowed_loss) {
  TempDir dir;
  const std::vector<std::string> args{"--data-dir", dir.path(), "--fsync", policy};
  Stream s;
  Clock::time_point killed;
  {
    ServerProcess server(args);
    std::atomic<int> acknowledged{0};
    std::thread writer([&] { s = store_until_killed(server, acknowledged); });
    while (acknowledged.load() < 3000) std::this_thread::yield();
    killed = Clock::now();
    ::kill(server.pid(), SIGKILL);
    writer.join();
    server.wait_exit(10'000);
  }
  ASSERT_GE(s.stored.size(), 3000u);
  ServerProcess server(args);
  nws::Server conn(at(server));
  nws::Workspace ws = conn.use_ws("stream", /*create=*/false);
  std::set<int> there;
  for (const std::string& v : drain(ws, "n")) {
    const int n = std::stoi(v);
    EXPECT_TRUE(there.insert(n).second) << n << " twice";
  }
  std::set<int> fetched(s.fetched.begin(), s.fetched.end());
  for (int n : fetched) EXPECT_FALSE(there.count(n)) << "value " << n << " was fetched, and came back";
  std::size_t missing = 0;
  for (const auto& [n, when] : s.stored) {
    if (fetched.count(n) || there.count(n)) continue;
    if (s.fetch_in_flight && n == static_cast<int>(s.fetched.size())) continue;
    ++missing;
    EXPECT_GE(when, killed - allowed_loss) << "value " << n << " was acknowledged "
                                           << std::chrono::duration_cast<std::chrono::milliseconds>(killed - when).count()
                                           << " ms before the kill, and is lost";
  }
  if (allowed_loss.count() == 0) EXPECT_EQ(missing, 0u);
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(Kill, WithFsyncAlwaysEveryAcknowledgedStoreSurvivesAndNoFetchedValueComesBack) {
  kill_under_a_stream("always", std::chrono::milliseconds(0));
}

TEST(Kill, WithFsyncEverysecAtMostTheLastSecondIsLost) {
  kill_under_a_stream("everysec", std::chrono::milliseconds(1000));
}

TEST(Restart, ASpooledValueSurvivesWhole) {
  TempDir dir;
  const std::vector<std::string> args{"--data-dir", dir.path(), "--spool-threshold", "1M"};
  std::string big(3u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + (i >> 12));
  {
    ServerProcess server(args);
    nws::Server conn(at(server));
    conn.open_ws("files", true).store("big", Value::binary(big));
    ::kill(server.pid(), SIGKILL);
    server.wait_exit(10'000);
  }
  ServerProcess server(args);
  EXPECT_GE(server.spool_file_count(), 1u);  // back in the spool, not in memory
  nws::Server conn(at(server));
  nws::Value v = conn.use_ws("files", false).fetch("big");
  EXPECT_TRUE(v.bytes == big);
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(Restart, AValueLeasedWhenTheServerDiedGoesToTheNextFetcher) {
  TempDir dir;
  const std::vector<std::string> args{"--data-dir", dir.path(), "--fsync", "always"};
  std::uint64_t id = 0;
  {
    ServerProcess server(args);
    nws::Server conn(at(server));
    nws::Workspace ws = conn.open_ws("jobs", true);
    for (const char* t : {"t1", "t2", "t3"}) ws.store("task", Value::text(t));
    nws::Lease held = ws.lease("task", std::chrono::minutes(5));
    EXPECT_EQ(held.value().bytes, "t1");
    nws::Lease done = ws.lease("task", std::chrono::minutes(5));
    done.ack_store("result", Value::text("r2"));
    id = held.id();
    ::kill(server.pid(), SIGKILL);
    server.wait_exit(10'000);
  }
  ServerProcess server(args);
  nws::Server conn(at(server));
  nws::Workspace ws = conn.use_ws("jobs", false);
  EXPECT_EQ(drain(ws, "task"), (std::vector<std::string>{"t1", "t3"}));
  EXPECT_EQ(drain(ws, "result"), std::vector<std::string>{"r2"});
  // The old lease means nothing to the new server.
  nws::Lease fresh = [&] {
    ws.store("task", Value::text("t4"));
    return ws.lease("task", std::chrono::minutes(1));
  }();
  EXPECT_NE(fresh.id(), id);
  fresh.ack();
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(Restart, TheServerSaysWhatItLoadedAndRefusesASharedDirectory) {
  TempDir dir;
  const std::vector<std::string> args{"--data-dir", dir.path()};
  ServerProcess first(args);
  EXPECT_NE(first.log().find("data log"), std::string::npos) << first.log();
  try {
    ServerProcess second(args);
    FAIL() << "two servers on one data directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("in use by another nws-server"), std::string::npos) << e.what();
  }
  EXPECT_EQ(first.stop(SIGTERM), 0);
}

}  // namespace
}  // namespace nws::durable_test
