// Leased fetch through the C++ client against a real server: a holder that
// is SIGKILLed, a lease that expires, and what settling it then says.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "nws/client.hpp"
#include "server_process.hpp"

namespace {

using nws::test::ServerProcess;
using namespace std::chrono_literals;

nws::ConnectOptions at(const ServerProcess& p) {
  nws::ConnectOptions o;
  o.host = "127.0.0.1";
  o.port = p.port();
  return o;
}

TEST(ClientLease, AHolderKilledWithItsLeaseHandsTheValueToTheNextFetcherExactlyOnce) {
  ServerProcess server;
  nws::Workspace ws("jobs", at(server));
  ws.store("task", nws::Value::text("only"));
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The holder: leases the value, says so, and waits to be killed.
    ::close(ready[0]);
    try {
      nws::Workspace mine("jobs", at(server), /*use_use=*/true);
      nws::Lease l = mine.lease("task", 10min);
      char ok = l.value().bytes == "only" ? 'y' : 'n';
      if (::write(ready[1], &ok, 1) != 1) std::_Exit(2);
      ::pause();
    } catch (...) {
    }
    std::_Exit(1);
  }
  ::close(ready[1]);
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  ::close(ready[0]);
  EXPECT_EQ(ok, 'y');
  EXPECT_FALSE(ws.fetch_try("task"));  // out under the lease
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(ws.fetch("task", nws::Wait::for_duration(20s)).bytes, "only");
  EXPECT_FALSE(ws.fetch_try("task"));
}

TEST(ClientLease, AnExpiredLeaseGoesToABlockedFetcherAndItsAckSaysSo) {
  ServerProcess server;
  nws::Workspace holder("jobs", at(server));
  nws::Workspace other("jobs", at(server), /*use_use=*/true);
  holder.store("task", nws::Value::text("slow"));
  nws::Lease l = holder.lease("task", 200ms);
  EXPECT_EQ(other.fetch("task", nws::Wait::for_duration(20s)).bytes, "slow");
  try {
    l.ack();
    FAIL() << "acknowledged an expired lease";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::lease_lost);
    EXPECT_NE(std::string(e.what()).find("expired after 200 ms"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(l.settled());
  EXPECT_THROW(l.ack(), nws::Error);  // settled: invalid_argument
}

TEST(ClientLease, ALeaseDroppedUnsettledGivesItsValueBack) {
  ServerProcess server;
  nws::Workspace ws("jobs", at(server));
  for (const char* t : {"a", "b"}) ws.store("task", nws::Value::text(t));
  {
    nws::Lease l = ws.lease("task", 1min);
    EXPECT_EQ(l.value().bytes, "a");
  }
  EXPECT_EQ(ws.fetch_try("task")->bytes, "a");
  EXPECT_EQ(ws.fetch_try("task")->bytes, "b");
  EXPECT_FALSE(ws.lease_try("task", 1min));
}

TEST(ClientLease, AckStoreIsOneStepAndRenewKeepsTheLease) {
  ServerProcess server;
  nws::Workspace ws("jobs", at(server));
  ws.store("task", nws::Value::text("t"));
  nws::Lease l = ws.lease("task", 300ms);
  l.renew(1min);
  l.ack_store("done", nws::Value::text("r"));
  EXPECT_TRUE(l.settled());
  EXPECT_EQ(ws.fetch_try("done")->bytes, "r");
  EXPECT_FALSE(ws.fetch_try("task"));
}

TEST(ClientLease, ATimedOutLeaseHoldsNothing) {
  ServerProcess server;
  nws::Workspace ws("jobs", at(server));
  EXPECT_THROW(ws.lease("task", 1min, nws::Wait::for_duration(100ms)), nws::Error);
  ws.store("task", nws::Value::text("later"));
  EXPECT_EQ(ws.fetch_try("task")->bytes, "later");  // no abandoned lease took it
}

TEST(ClientLease, BadDurationsAreRefusedBeforeAnythingIsSent) {
  ServerProcess server;
  nws::Workspace ws("jobs", at(server));
  ws.store("task", nws::Value::text("t"));
  for (auto d : {0ms, -5ms, std::chrono::milliseconds(1ll << 40)}) {
    try {
      ws.lease("task", d);
      FAIL() << d.count();
    } catch (const nws::Error& e) {
      EXPECT_EQ(e.code(), nws::Errc::invalid_argument) << e.what();
    }
  }
  EXPECT_EQ(ws.fetch_try("task")->bytes, "t");
}

}  // namespace
