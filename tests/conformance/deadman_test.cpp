// §21 item 21 (§7.11, §3.2): a deadman connection's close stops the server;
// and the server stops cleanly on SIGTERM/SIGINT, leaving no spool behind.
#include <signal.h>
#include <sys/wait.h>

#include <cstring>

#include "conformance_support.hpp"

namespace nws::conformance {
namespace {

bool exited_cleanly(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

class DeadmanTest : public ConformanceTest {
 protected:
  // Small spool threshold, so that stored values leave files to clean up;
  // clients allowed to stop the server, as the original allowed any.
  DeadmanTest() : ConformanceTest({"--spool-threshold", "64", "--allow-client-shutdown"}) {}
};

// Without --allow-client-shutdown no client can stop the server.
class NoClientShutdownTest : public ConformanceTest {};

TEST_F(NoClientShutdownTest, TheDeadmanVerbIsRefusedWithTheReasonAndChangesNothing) {
  RawClient deadman = connect({{"MetadataFromServer", "1"}});
  proto::Dict md;
  deadman.request({"deadman"});
  ASSERT_EQ(deadman.read_short(&md), 1);
  ASSERT_TRUE(md.get("nwsReason"));
  EXPECT_NE(md.get("nwsReason")->find("--allow-client-shutdown"), std::string::npos) << *md.get("nwsReason");
  deadman.close();
  RawClient other = connect_and_open("ws");  // served after the close
  other.store("ws", "x", "v");
  EXPECT_TRUE(server_.running());
}

TEST_F(NoClientShutdownTest, AskingForKillServerOnCloseIsRefusedInTheHandshake) {
  RawClient c(server_.port());
  EXPECT_THROW(c.handshake({{"KillServerOnClose", "1"}}), std::runtime_error);  // F000, not A000
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(server_.running());
}

TEST_F(DeadmanTest, ClosingADeadmanVerbConnectionStopsTheServer) {
  RawClient deadman = connect();
  ASSERT_EQ(deadman.call_short({"deadman"}), 0);
  // Still serving while the deadman connection lives.
  RawClient other = connect_and_open("ws");
  other.store("ws", "x", std::string(1000, 'v'));
  ASSERT_TRUE(server_.running());
  deadman.close();
  int status = -1;
  ASSERT_TRUE(server_.wait_exit(10000, &status)) << server_.log();
  EXPECT_TRUE(exited_cleanly(status)) << status;
  EXPECT_TRUE(other.wait_closed()) << "the other connections are closed too";
  EXPECT_EQ(spool_parent_entries(), 0u);
}

TEST_F(DeadmanTest, ClosingAKillServerOnCloseConnectionStopsTheServer) {
  RawClient deadman = connect({{"KillServerOnClose", "1"}});
  // The R 2.0 helper sends nothing after the handshake; just close.
  deadman.close();
  int status = -1;
  ASSERT_TRUE(server_.wait_exit(10000, &status)) << server_.log();
  EXPECT_TRUE(exited_cleanly(status)) << status;
}

TEST_F(DeadmanTest, DeadmanConnectionDroppedByTheServerAlsoStopsIt) {
  // "closes for any reason": here the server closes it after a framing error.
  RawClient deadman = connect({{"KillServerOnClose", "1"}});
  deadman.send("00x1");
  int status = -1;
  ASSERT_TRUE(server_.wait_exit(10000, &status)) << server_.log();
  EXPECT_TRUE(exited_cleanly(status)) << status;
}

TEST_F(DeadmanTest, OrdinaryConnectionsAndKillServerOnCloseZeroDoNotStopTheServer) {
  RawClient observer = connect();
  for (const proto::Dict& options : {proto::Dict{}, proto::Dict{{"KillServerOnClose", "0"}}}) {
    RawClient c = connect_and_open("mine", options);
    c.close();
    // The purge of its workspace shows the server has handled the close.
    ASSERT_TRUE(wait_for_workspace(observer, "mine", false));
    EXPECT_TRUE(server_.running());
  }
  EXPECT_EQ(observer.call_short({"use ws", "ws", "", "no"}), 0);
}

void expect_clean_stop_on(int signal_number, ServerProcess& server, RawClient& blocked) {
  int status = server.stop(signal_number);
  EXPECT_TRUE(exited_cleanly(status)) << "signal " << signal_number << ": status " << status;
  EXPECT_TRUE(blocked.wait_closed());
}

TEST_F(DeadmanTest, SigtermStopsTheServerCleanlyWithClientsAndSpooledValues) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "big", std::string(4096, 'b'));
  ASSERT_GT(server_.spool_file_count(), 0u);
  RawClient blocked = connect_and_open("ws");
  blocked.request({"fetch", "ws", "never"});
  ASSERT_TRUE(wait_for_waiters(c, "ws", "never", 1, 0));
  expect_clean_stop_on(SIGTERM, server_, blocked);
  EXPECT_EQ(spool_parent_entries(), 0u) << "no spool directory left behind";
}

TEST_F(DeadmanTest, SigintStopsTheServerCleanlyWithClientsAndSpooledValues) {
  RawClient c = connect_and_open("ws");
  c.store("ws", "big", std::string(4096, 'b'));
  ASSERT_GT(server_.spool_file_count(), 0u);
  RawClient blocked = connect_and_open("ws");
  blocked.request({"find", "ws", "never"});
  ASSERT_TRUE(wait_for_waiters(c, "ws", "never", 0, 1));
  expect_clean_stop_on(SIGINT, server_, blocked);
  EXPECT_EQ(spool_parent_entries(), 0u) << "no spool directory left behind";
}

}  // namespace
}  // namespace nws::conformance
