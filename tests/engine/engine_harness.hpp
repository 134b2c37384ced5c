// Drives nws::engine::Engine without sockets: requests are built from plain
// strings, and every reply the engine sends is copied (the engine's Reply
// only borrows its bytes) and filed per session, in send order.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.hpp"

namespace nws::engine::test {

// Descriptors as real clients send them (PROTOCOL.md §8).
inline constexpr std::uint64_t kPythonString = 16777217;  // 0x01000001
inline constexpr std::uint64_t kServerString = 1;         // listings, __time, barrier texts

// The fixed clock and suffix every test engine gets.
inline constexpr const char* kNowText = "Sun Apr  5 20:04:42 2009";
inline constexpr const char* kTmpSuffix = "__nwssTeSt_9";

// A Reply, copied out of the engine while it was valid.
struct RecordedReply {
  std::uint64_t session = 0;
  bool is_long = false;
  int status = 0;
  std::uint64_t descriptor = 0;
  std::string var_id;  // "" means the twenty-space "no id"
  std::int64_t index = 0;
  bool has_value = false;
  bool value_in_blob = false;  // the reply shares a blob rather than packed bytes
  std::string value;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::string reason;
};

class RecordingSink : public ReplySink {
 public:
  void send(Session& to, const Reply& reply) override;

  // Removes and returns what `s` has been sent and not yet taken.
  std::vector<RecordedReply> take(const Session& s);
  std::size_t pending(const Session& s) const;
  // Every reply ever sent, to anyone, in order (for cross-session ordering).
  const std::vector<RecordedReply>& log() const { return log_; }

 private:
  std::vector<RecordedReply> log_;
  std::map<std::uint64_t, std::deque<RecordedReply>> pending_;
};

// Builds a request the way the decoder would hand it over.
proto::Request make_request(const std::vector<std::string>& args, const proto::Dict& metadata = {});

// The configuration every EngineTest engine starts from.
EngineConfig test_config();

class EngineTest : public ::testing::Test {
 protected:
  EngineTest();
  explicit EngineTest(EngineConfig config);

  // A new connection from 127.0.0.1:(1000+i).
  Session& connect(int i);

  // Executes a request; returns the replies `s` received during it.
  std::vector<RecordedReply> run(Session& s, const std::vector<std::string>& args,
                                 const proto::Dict& metadata = {});
  // Executes a request that must produce exactly one reply to `s`.
  RecordedReply call(Session& s, const std::vector<std::string>& args, const proto::Dict& metadata = {});
  // Executes a blocking request that must get no reply yet.
  void call_blocking(Session& s, const std::vector<std::string>& args);
  // The one reply a previously blocked session must have received by now.
  RecordedReply released(Session& s);

  // Common shorthands; each asserts the operation succeeded.
  void open(Session& s, const std::string& ws = "ws");
  void use(Session& s, const std::string& ws = "ws");
  void store(Session& s, const std::string& ws, const std::string& var, const std::string& value,
             const proto::Dict& metadata = {});
  void declare(Session& s, const std::string& ws, const std::string& var, const std::string& mode);
  std::string list_vars(Session& s, const std::string& ws = "ws");
  std::string list_wss(Session& s);

  RecordingSink sink;
  Engine engine;
};

// Assertions on a recorded reply.
::testing::AssertionResult IsShort(const RecordedReply& r, int status);
::testing::AssertionResult IsLongError(const RecordedReply& r, int status);
::testing::AssertionResult IsValue(const RecordedReply& r, const std::string& value);

}  // namespace nws::engine::test
