// What the sleigh's fault tolerance asks of the server, and nothing more
// than the protocol: these behaviours are checked here, against the real
// server (embedded), before the design relies on them.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "nws/local_server.hpp"

namespace {
using namespace std::chrono_literals;

// Waits (polling with a deadline) until `var` of `ws` has this many finders / fetchers.
void wait_blocked(nws::Workspace& observer, const std::string& var, std::int64_t fetchers, std::int64_t finders) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    for (const auto& row : observer.list_vars().rows)
      if (row.name == var && row.fetchers == fetchers && row.finders == finders) return;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "nobody blocked on " << var;
    std::this_thread::sleep_for(1ms);
  }
}

nws::Errc outcome(std::future<void>& f) {
  try {
    f.get();
  } catch (const nws::Error& e) {
    return e.code();
  }
  return nws::Errc::invalid_argument;  // "no error"
}

}  // namespace

// A worker owns a workspace; the master blocks in find on a variable in it
// that nobody stores.  The worker's connection closing purges the workspace
// and fails the find at once: the master learns of the death.
TEST(ServerForSleigh, AnOwnersDisconnectFailsAFindBlockedInItsWorkspace) {
  nws::LocalServer server;
  nws::Server worker(server.connect_options());
  worker.open_ws("sleigh@worker0");
  nws::Server master(server.connect_options());
  nws::Workspace watched = master.use_ws("sleigh@worker0", false);
  auto find = std::async(std::launch::async, [&] { watched.find("alive", nws::args::wait(30)); });
  nws::Server observer_conn(server.connect_options());
  nws::Workspace observer = observer_conn.use_ws("sleigh@worker0", false);
  wait_blocked(observer, "alive", 0, 1);
  const auto start = std::chrono::steady_clock::now();
  worker.close();
  EXPECT_EQ(outcome(find), nws::Errc::operation_failed);  // "Variable purged."
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // at once, not a timeout
}

// Using a workspace (the watcher, the sentinel) never makes one its owner:
// their connections closing leave it alone (OQ1).
TEST(ServerForSleigh, ANonOwnersDisconnectDoesNotPurge) {
  nws::LocalServer server;
  nws::Server owner(server.connect_options());
  nws::Workspace ws = owner.open_ws("sleigh@worker1");
  ws.store("x", nws::Value::text("kept"));
  {
    nws::Server user(server.connect_options());
    user.use_ws("sleigh@worker1", false);
    user.close();
  }
  EXPECT_EQ(ws.find("x", nws::args::wait(5)).bytes, "kept");
}

// The master owns the sleigh workspace: its death purges it, and the
// sentinel's find on `Sleigh ride over` and the worker's fetch on its inbox
// fail at once.
TEST(ServerForSleigh, AMastersDisconnectFailsTheSentinelAndTheWorker) {
  nws::LocalServer server;
  nws::Server master(server.connect_options());
  master.open_ws("sleigh_ride");
  nws::Server sentinel_conn(server.connect_options());
  nws::Workspace sentinel = sentinel_conn.use_ws("sleigh_ride", false);
  nws::Server worker_conn(server.connect_options());
  nws::Workspace worker = worker_conn.use_ws("sleigh_ride", false);
  auto find = std::async(std::launch::async, [&] { sentinel.find("Sleigh ride over", nws::args::wait(30)); });
  auto fetch = std::async(std::launch::async, [&] { worker.fetch("task@0", nws::args::wait(30)); });
  nws::Server observer_conn(server.connect_options());
  nws::Workspace observer = observer_conn.use_ws("sleigh_ride", false);
  wait_blocked(observer, "Sleigh ride over", 0, 1);
  wait_blocked(observer, "task@0", 1, 0);
  master.close();
  EXPECT_EQ(outcome(find), nws::Errc::operation_failed);
  EXPECT_EQ(outcome(fetch), nws::Errc::operation_failed);
  // And the workspace is gone: a late joiner cannot use it.
  try {
    nws::Server late(server.connect_options());
    late.use_ws("sleigh_ride", false);
    ADD_FAILURE() << "the purged workspace is still there";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::no_such_workspace);
  }
}

// stop() deletes the sleigh workspace explicitly: the same failures.
TEST(ServerForSleigh, DeletingTheWorkspaceFailsItsBlockedCalls) {
  nws::LocalServer server;
  nws::Server master(server.connect_options());
  master.open_ws("sleigh_ride");
  nws::Server worker_conn(server.connect_options());
  nws::Workspace worker = worker_conn.use_ws("sleigh_ride", false);
  auto fetch = std::async(std::launch::async, [&] { worker.fetch("task@0", nws::args::wait(30)); });
  nws::Workspace observer = master.use_ws("sleigh_ride", false);
  wait_blocked(observer, "task@0", 1, 0);
  master.delete_ws("sleigh_ride");
  EXPECT_EQ(outcome(fetch), nws::Errc::operation_failed);
}

// A master with the server inside it: its death closes every connection.
TEST(ServerForSleigh, AnEmbeddedServersEndFailsBlockedCalls) {
  auto server = std::make_unique<nws::LocalServer>();
  nws::Server sentinel_conn(server->connect_options());
  nws::Workspace sentinel = sentinel_conn.open_ws("sleigh_ride");
  auto find = std::async(std::launch::async, [&] { sentinel.find("Sleigh ride over", nws::args::wait(30)); });
  nws::Server observer_conn(server->connect_options());
  nws::Workspace observer = observer_conn.use_ws("sleigh_ride", false);
  wait_blocked(observer, "Sleigh ride over", 0, 1);
  server->stop();
  const nws::Errc got = outcome(find);
  EXPECT_TRUE(got == nws::Errc::connection_dropped || got == nws::Errc::connection) << nws::errc_name(got);
}
