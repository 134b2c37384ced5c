// Well-framed requests with the wrong number of arguments (PROTOCOL.md §12,
// Quirk Q6, docs/architecture.md OQ5): an error reply of the verb's kind with status 1,
// never silence; the request must not run; the connection stays in step.
#include "harness.hpp"
#include "protocol/fields.hpp"

namespace nws::test {
namespace {

using ArgumentCount = BadInputTest;

// A request that must do nothing, must be answered with `long_reply` kind and
// status 1 (with a reason), and after which the same connection still works.
void expect_refused(RawClient& c, const std::string& request_bytes, bool long_reply, const std::string& what) {
  SCOPED_TRACE(what);
  c.send(request_bytes);
  if (long_reply) {
    LongReply r = c.read_long();
    EXPECT_EQ(r.status(), 1);
    EXPECT_EQ(r.head.descriptor, 0u);
    EXPECT_EQ(r.value, "");
    EXPECT_TRUE(r.head.metadata.contains("nwsReason"));
  } else {
    proto::Dict md;
    EXPECT_EQ(c.read_short(&md), 1);
    EXPECT_TRUE(md.contains("nwsReason"));
  }
  // In step: the next request gets its own reply.
  LongReply next = c.call_long({"findTry", BadInputTest::kBystanderWs, "kept"});
  EXPECT_EQ(next.status(), 0);
  EXPECT_TRUE(next.value == BadInputTest::bystander_value());
}

std::string request_of(const std::vector<std::string>& args) {
  std::string out = proto::n4(static_cast<std::int64_t>(args.size()));
  for (const auto& a : args) out += n20_field(a.size()) + a;
  return out;
}

TEST_F(ArgumentCount, ZeroArgumentsGetStatusOneThenTheConnectionCloses) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (bool with_metadata : {false, true}) {
    RawClient c = attacker(with_metadata);
    c.send("0000");
    proto::Dict md;
    EXPECT_EQ(c.read_short(&md), 1);
    if (with_metadata) EXPECT_TRUE(md.contains("nwsReason"));
    std::string tail;
    EXPECT_TRUE(c.wait_closed(10000, &tail)) << "argc 0 must close the connection after the reply";
    EXPECT_EQ(tail, "");
    expect_server_healthy(std::string("argc 0") + (with_metadata ? " with reply metadata" : ""));
  }
  // Followed by a pipelined request: that one must not run.
  RawClient c = attacker();
  c.send("0000" + encode_request({"store", kArena, "after_empty", n20_field(1), "x"}));
  EXPECT_EQ(c.read_short(), 1);
  std::string tail;
  EXPECT_TRUE(c.wait_closed(10000, &tail));
  EXPECT_EQ(tail, "") << "a request after argc 0 was answered";
  expect_server_healthy("argc 0 followed by a store");
  EXPECT_EQ(var_line("after_empty"), std::nullopt);
}

TEST_F(ArgumentCount, NineThousandNineHundredNinetyNineArgumentsAreAnsweredNotFatal) {
  ASSERT_NO_FATAL_FAILURE(start());
  struct Case {
    std::string verb;
    bool long_reply;  // unknown verbs always get a short reply
  };
  for (const Case& k : {Case{"store", false}, Case{"fetch", true}, Case{"list wss", true},
                        Case{"no such verb", false}, Case{"delete ws", false}}) {
    // Each argument names something that exists, so a request that wrongly
    // ran would visibly hurt the bystander.
    std::vector<std::string> args{k.verb, kBystanderWs, "kept", n20_field(1)};
    for (std::size_t i = args.size(); i < 9999; ++i) args.push_back(i % 2 ? "k" : "");
    RawClient c = attacker(true);
    expect_refused(c, request_of(args), k.long_reply, "9999 arguments for " + k.verb);
    expect_server_healthy("9999 arguments for " + k.verb);
  }
}

// Every verb of PROTOCOL.md §7 with its reply kind, the fewest arguments it
// accepts (verb included) and a complete argument list of the most it accepts.
// Workspace and variable names point at the bystander or at names that a
// wrongly executed request would make appear.
struct VerbShape {
  std::string verb;
  bool long_reply;
  std::size_t min_args;
  std::vector<std::string> max_args;
};

std::vector<VerbShape> verb_shapes() {
  const std::string ws = BadInputTest::kBystanderWs;
  const std::string descriptor = n20_field(0x01000001);
  const std::string no_id(20, ' ');
  std::vector<VerbShape> v = {
      {"store", false, 5, {"store", ws, "kept", descriptor, "overwritten"}},
      {"declare var", false, 4, {"declare var", ws, "declared", "fifo"}},
      {"delete var", false, 3, {"delete var", ws, "kept"}},
      {"delete ws", false, 2, {"delete ws", ws}},
      {"open ws", false, 4, {"open ws", "neverborn", "label", "no", "yes"}},
      {"use ws", false, 4, {"use ws", "neverborn", "", "no", "yes"}},
      {"list vars", true, 2, {"list vars", ws}},
      {"list wss", true, 1, {"list wss", ws}},
      {"mktemp ws", true, 1, {"mktemp ws", "neverborn%d"}},
      {"deadman", false, 1, {"deadman"}},
      {"cancel", false, 1, {"cancel"}},  // our NwsCancel extension
  };
  for (std::string verb : {"fetch", "fetchTry", "find", "findTry"})
    v.push_back({verb, true, 3, {verb, ws, "kept", no_id, n20_field(0)}});
  for (std::string verb : {"ifetch", "ifetchTry", "ifind", "ifindTry"})
    v.push_back({verb, true, 4, {verb, ws, "kept", no_id, n20_field(0)}});
  return v;
}

TEST_F(ArgumentCount, EveryKnownVerbWithTooFewOrTooManyArgumentsGetsAnErrorOfItsKind) {
  ASSERT_NO_FATAL_FAILURE(start());
  RawClient c = attacker(true);
  // Owned and not persistent: it vanishes when the server has seen this
  // connection close, which tells the end of the test when to look.
  ASSERT_EQ(c.call_short({"open ws", "attacker_owned", "attacker", "no"}), 0);
  std::size_t cases = 0;
  for (const VerbShape& shape : verb_shapes()) {
    std::vector<std::vector<std::string>> wrong;
    for (std::size_t n = 1; n < shape.min_args; ++n)
      wrong.emplace_back(shape.max_args.begin(), shape.max_args.begin() + static_cast<std::ptrdiff_t>(n));
    wrong.push_back(shape.max_args);
    wrong.back().push_back("one too many");
    for (const auto& args : wrong) {
      std::string what = shape.verb + " with " + std::to_string(args.size() - 1) + " arguments";
      expect_refused(c, request_of(args), shape.long_reply, what);
      expect_server_healthy(what);
      ++cases;
    }
  }
  EXPECT_GE(cases, 40u);
  // Nothing ran: no variable appeared in the bystander's workspace (checked
  // with it), no workspace was created or deleted.
  std::string wss = list_wss();
  EXPECT_EQ(wss.find("neverborn"), std::string::npos) << wss;
  EXPECT_NE(wss.find(std::string(" ") + kBystanderWs + "\t"), std::string::npos) << wss;
  // `deadman` with an argument was refused, so this connection closing must
  // not stop the server.
  c.close();
  EXPECT_TRUE(poll_until([&] { return list_wss().find("attacker_owned") == std::string::npos; }));
  expect_server_healthy("closing the connection that sent a malformed deadman");
}

}  // namespace
}  // namespace nws::test
