// Clients that misbehave while a request of theirs is blocked: vanishing
// (PROTOCOL.md §9.1, §10.4, checklist 18) and pipelining another request
// behind it (§5.4, Quirk Q10).  Their waiter must leave the variable's
// queue, so that no later value is handed to a dead connection and lost.
#include <sys/socket.h>

#include "harness.hpp"

namespace nws::test {
namespace {

using BlockedClient = BadInputTest;

const std::string kNoId(20, ' ');

// The blocking request `verb` on arena/var (iterated verbs start afresh).
void send_blocking(RawClient& c, const std::string& verb, const std::string& var) {
  if (verb[0] == 'i') c.request({verb, BadInputTest::kArena, var, kNoId, n20_field(0)});
  else c.request({verb, BadInputTest::kArena, var});
}

void close_with_reset(RawClient& c) {
  linger l{1, 0};
  ::setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  c.close();
}

TEST_F(BlockedClient, AFetcherThatDisconnectsLeavesTheQueueAndLosesNoValue) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (std::string verb : {"fetch", "ifetch"}) {
    for (bool reset : {false, true}) {
      const std::string var = verb + (reset ? "_rst" : "_fin");
      SCOPED_TRACE(var);
      RawClient quitter = attacker();
      send_blocking(quitter, verb, var);
      ASSERT_TRUE(wait_var_line(var, var + "\t0\t1\t0\tunknown"));
      RawClient patient = attacker();
      send_blocking(patient, verb, var);
      ASSERT_TRUE(wait_var_line(var, var + "\t0\t2\t0\tunknown"));

      if (reset) close_with_reset(quitter);
      else quitter.close();
      ASSERT_TRUE(wait_var_line(var, var + "\t0\t1\t0\tunknown")) << "the vanished fetcher is still counted";

      // The next value goes to the fetcher still waiting, not to the gone one.
      observer().store(kArena, var, "first");
      LongReply got = patient.read_long();
      EXPECT_EQ(got.status(), 0);
      EXPECT_EQ(got.value, "first");
      EXPECT_EQ(var_line(var), var + "\t0\t0\t0\tfifo");
      // With no fetcher left, the following value stays.
      observer().store(kArena, var, "second");
      EXPECT_EQ(var_line(var), var + "\t1\t0\t0\tfifo");
      EXPECT_EQ(observer().call_long({"fetchTry", kArena, var}).value, "second");
      expect_server_healthy(var + ": a blocked fetcher disconnected");
    }
  }
}

TEST_F(BlockedClient, AFinderThatDisconnectsLeavesTheQueueAndTheValueStays) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (std::string verb : {"find", "ifind"}) {
    for (bool reset : {false, true}) {
      const std::string var = verb + (reset ? "_rst" : "_fin");
      SCOPED_TRACE(var);
      RawClient quitter = attacker();
      send_blocking(quitter, verb, var);
      ASSERT_TRUE(wait_var_line(var, var + "\t0\t0\t1\tunknown"));
      RawClient patient = attacker();
      send_blocking(patient, verb, var);
      ASSERT_TRUE(wait_var_line(var, var + "\t0\t0\t2\tunknown"));

      if (reset) close_with_reset(quitter);
      else quitter.close();
      ASSERT_TRUE(wait_var_line(var, var + "\t0\t0\t1\tunknown")) << "the vanished finder is still counted";

      observer().store(kArena, var, "seen");
      LongReply got = patient.read_long();
      EXPECT_EQ(got.status(), 0);
      EXPECT_EQ(got.value, "seen");
      // A find does not consume: the value stays for everybody else.
      EXPECT_EQ(var_line(var), var + "\t1\t0\t0\tfifo");
      EXPECT_EQ(observer().call_long({"fetchTry", kArena, var}).value, "seen");
      expect_server_healthy(var + ": a blocked finder disconnected");
    }
  }
}

// What the pipelining client sees: one short error, then the close; the
// refused request's own reply never comes.
void expect_error_then_close(RawClient& c) {
  std::string tail;
  EXPECT_TRUE(c.wait_closed(10000, &tail)) << "the connection stayed open";
  EXPECT_EQ(tail, "0001") << "expected exactly one short error before the close";
}

TEST_F(BlockedClient, ARequestPipelinedBehindABlockedOneIsRefusedNotRun) {
  ASSERT_NO_FATAL_FAILURE(start());
  // Sent in the same segment as the blocking fetch.
  {
    RawClient c = attacker();
    c.send(encode_request({"fetch", kArena, "pipe"}) +
           encode_request({"store", kArena, "pipelined", n20_field(1), "must not be stored"}));
    expect_error_then_close(c);
    // The error is sent after the blocked fetch is withdrawn, so its queue
    // is already empty, and the store never ran.
    EXPECT_EQ(var_line("pipe"), "pipe\t0\t0\t0\tunknown");
    EXPECT_EQ(var_line("pipelined"), std::nullopt);
    expect_server_healthy("a store pipelined behind a blocked fetch");
    // The withdrawn fetch must not swallow the next value.
    observer().store(kArena, "pipe", "later");
    EXPECT_EQ(var_line("pipe"), "pipe\t1\t0\t0\tfifo");
    EXPECT_EQ(observer().call_long({"fetchTry", kArena, "pipe"}).value, "later");
  }
  // Sent once the server is known to hold the find blocked; the pipelined
  // store targets the very variable the find waits on, so running it would
  // release the find.
  {
    RawClient c = attacker();
    c.request({"find", kArena, "awaited"});
    ASSERT_TRUE(wait_var_line("awaited", "awaited\t0\t0\t1\tunknown"));
    c.request({"store", kArena, "awaited", n20_field(1), "must not be stored"});
    expect_error_then_close(c);
    EXPECT_EQ(var_line("awaited"), "awaited\t0\t0\t0\tunknown");
    expect_server_healthy("a store pipelined behind a blocked find");
    observer().store(kArena, "awaited", "later");
    EXPECT_EQ(var_line("awaited"), "awaited\t1\t0\t0\tfifo");
  }
  // A pipelined request that would block too, and the reason text.
  {
    RawClient c = attacker(true);
    c.request({"fetch", kArena, "twice"});
    ASSERT_TRUE(wait_var_line("twice", "twice\t0\t1\t0\tunknown"));
    c.request({"fetch", kArena, "twice"});
    proto::Dict md;
    EXPECT_EQ(c.read_short(&md), 1);
    EXPECT_NE(md.get("nwsReason").value_or("").find("blocking"), std::string::npos);
    std::string tail;
    EXPECT_TRUE(c.wait_closed(10000, &tail));
    EXPECT_EQ(tail, "");
    EXPECT_EQ(var_line("twice"), "twice\t0\t0\t0\tunknown");
    expect_server_healthy("a fetch pipelined behind a blocked fetch");
  }
}

}  // namespace
}  // namespace nws::test
