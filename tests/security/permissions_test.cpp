// Per-workspace permissions on a real server: each right refused with a
// clear error while the connection stays usable, the creator's delete,
// listings filtered, stopping the server only with the shutdown right.
#include <gtest/gtest.h>

#include "nws/client.hpp"
#include "security_fixture.hpp"
#include "server_process.hpp"

namespace nws::test {
namespace {

std::vector<std::string> rules_args(bool allow_shutdown = false) {
  static const std::string users = users_file({
      "user producer p1",
      "user worker w1",
      "user admin a1",
      "user nobody n1",
      "group workers worker",
      "allow producer store,create jobs",
      "allow @workers fetch,read jobs",
      "allow @workers store,create results*",
      "allow worker create,read scratch*",
      "allow admin all *",
  });
  std::vector<std::string> a{"--users", users};
  if (allow_shutdown) a.push_back("--allow-client-shutdown");
  return a;
}

ConnectOptions as(std::uint16_t port, const std::string& user, const std::string& password) {
  ConnectOptions o = options(port);
  o.user = user;
  o.password = password;
  return o;
}

// Runs `f`, which must be refused with permission_denied saying `says`.
template <typename F>
void expect_denied(F f, const std::string& says) {
  try {
    f();
    ADD_FAILURE() << "allowed, but should be refused: " << says;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::permission_denied) << e.what();
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(Permissions, EachRightRefusedClearlyAndTheConnectionGoesOn) {
  ServerProcess server(rules_args());
  Server producer(as(server.port(), "producer", "p1"));
  Workspace jobs = producer.open_ws("jobs");
  jobs.store("task", Value::text("1"));
  jobs.store("task", Value::text("2"));

  expect_denied([&] { jobs.fetch("task"); }, "user 'producer' may not fetch from workspace 'jobs' (allowed there: store, create)");
  expect_denied([&] { jobs.fetch_try("task"); }, "may not fetch from");
  expect_denied([&] { jobs.find("task"); }, "may not read workspace 'jobs'");
  expect_denied([&] { jobs.find_try("task"); }, "may not read");
  expect_denied([&] { jobs.list_vars(); }, "may not read");
  expect_denied([&] { jobs.delete_var("task"); }, "may not delete in workspace 'jobs'");
  expect_denied([&] { producer.open_ws("results"); }, "may not create workspace 'results'");
  jobs.store("task", Value::text("3"));  // still usable after every refusal

  Server worker(as(server.port(), "worker", "w1"));
  Workspace wjobs = worker.open_ws("jobs");
  EXPECT_EQ(wjobs.find("task").bytes, "1");
  EXPECT_EQ(wjobs.fetch("task").bytes, "1");
  expect_denied([&] { wjobs.store("task", Value::text("x")); }, "may not store into workspace 'jobs'");
  expect_denied([&] { wjobs.declare("other", Mode::fifo); }, "may not store into");
  Workspace results = worker.open_ws("results-1");
  results.store("r", Value::text("done 1"));
  expect_denied([&] { results.fetch("r"); }, "may not fetch from workspace 'results-1'");
  EXPECT_EQ(wjobs.fetch("task").bytes, "2");

  Server nobody(as(server.port(), "nobody", "n1"));
  try {
    nobody.open_ws("jobs");
    ADD_FAILURE() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::permission_denied);
    EXPECT_NE(std::string(e.what()).find("has no rights on workspace 'jobs'"), std::string::npos) << e.what();
  }
  expect_denied([&] { nobody.mktemp_ws("mine_%d"); }, "may not create workspace 'mine_0");
  EXPECT_TRUE(nobody.list_wss().rows.empty());
}

TEST(Permissions, LeasesNeedFetchAndAckStoreNeedsStore) {
  ServerProcess server(rules_args());
  Server producer(as(server.port(), "producer", "p1"));
  producer.open_ws("jobs").store("t", Value::text("job"));
  expect_denied([&] { producer.open_ws("jobs").lease_try("t", std::chrono::seconds(5)); }, "may not fetch from");

  Server worker(as(server.port(), "worker", "w1"));
  Workspace wjobs = worker.open_ws("jobs");
  auto lease = wjobs.lease_try("t", std::chrono::seconds(5));
  ASSERT_TRUE(lease);
  expect_denied([&] { lease->ack_store("t", Value::text("back")); }, "may not store into workspace 'jobs'");
  lease->release();
  EXPECT_EQ(wjobs.fetch("t").bytes, "job");
}

TEST(Permissions, CreatorMayDeleteOthersNeedTheRight) {
  ServerProcess server(rules_args());
  Server worker(as(server.port(), "worker", "w1"));
  worker.open_ws("scratch-w");
  Server producer(as(server.port(), "producer", "p1"));
  producer.open_ws("jobs");
  expect_denied([&] { producer.delete_ws("scratch-w"); }, "may not delete in workspace 'scratch-w'");
  expect_denied([&] { worker.delete_ws("jobs"); }, "may not delete in workspace 'jobs'");
  worker.delete_ws("scratch-w");  // its creator
  Server admin(as(server.port(), "admin", "a1"));
  admin.delete_ws("jobs");
  auto names = [](const WsListing& l) {
    std::vector<std::string> out;
    for (const auto& w : l.rows) out.push_back(w.name);
    return out;
  };
  EXPECT_EQ(names(admin.list_wss()), std::vector<std::string>{"__default"});
}

TEST(Permissions, ListingShowsOnlyWorkspacesWithARight) {
  ServerProcess server(rules_args());
  Server admin(as(server.port(), "admin", "a1"));
  admin.open_ws("jobs");
  admin.open_ws("results-a");
  admin.open_ws("private");
  Server producer(as(server.port(), "producer", "p1"));
  std::vector<std::string> seen;
  for (const auto& w : producer.list_wss().rows) seen.push_back(w.name);
  EXPECT_EQ(seen, std::vector<std::string>{"jobs"});
  Server worker(as(server.port(), "worker", "w1"));
  seen.clear();
  for (const auto& w : worker.list_wss().rows) seen.push_back(w.name);
  EXPECT_EQ(seen, (std::vector<std::string>{"jobs", "results-a"}));
}

TEST(Permissions, StoppingTheServerNeedsTheShutdownRight) {
  ServerProcess server(rules_args(true));
  {
    ConnectOptions o = as(server.port(), "worker", "w1");
    o.kill_server_on_close = true;
    Server deadman(o);  // negotiated, but worker has no shutdown right
    deadman.list_wss();
  }
  {
    Server producer(as(server.port(), "producer", "p1"));  // still served
    producer.open_ws("jobs").store("x", Value::text("1"));
  }
  EXPECT_TRUE(server.running());
  {
    ConnectOptions o = as(server.port(), "admin", "a1");
    o.kill_server_on_close = true;
    Server deadman(o);
    deadman.list_wss();
  }
  EXPECT_TRUE(server.wait_exit(10000));
}

}  // namespace
}  // namespace nws::test
