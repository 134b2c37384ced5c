// Helpers shared by the conformance scenarios (PROTOCOL.md §21): a fixture
// that starts a fresh nws-server per test, wire-format field builders, and
// listing/polling helpers that observe the server from a separate connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "raw_client.hpp"
#include "server_process.hpp"

namespace nws::conformance {

using test::LongReply;
using test::RawClient;
using test::ServerProcess;

// Descriptor of a Python string (0x01000001), as clients send it.
inline constexpr std::string_view kPyString = "00000000000016777217";
inline constexpr std::uint64_t kPyStringDescriptor = 0x01000001;

// '%020d' of a non-negative number.
std::string n20(std::uint64_t n);
// Twenty spaces: "no variable id".
std::string spaces20();
// The complete long error reply of §6.2 (cookie format, no metadata):
// status, descriptor 0, id of spaces, index 0, length 0, no value bytes.
std::string long_error_bytes(int status);

// One line of `list vars`, split into its five fields.
struct VarLine {
  std::string name;
  long values = 0, fetchers = 0, finders = 0;
  std::string mode;
};
// The line for `name` in a `list vars` value, if present.
std::optional<VarLine> find_var(std::string_view listing, std::string_view name);

// Polls `condition` until it holds or `limit` passes.  Used instead of fixed
// sleeps: the server processes other connections' events asynchronously.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::milliseconds(10000));

// The local port of a client's socket (it appears in owner strings).
std::uint16_t local_port(const RawClient& c);

// Client-side iterator state (§11): variable id and last index received.
struct Iterator {
  std::string id = std::string(20, ' ');
  std::int64_t index = 0;
  // One step with `verb` (ifindTry, ifetchTry, ifind, ifetch); on success the
  // state advances to the reply's id and index, on failure it stays.
  LongReply step(RawClient& c, std::string_view verb, const std::string& ws, const std::string& var);
  void reset() { *this = Iterator(); }
};

class ConformanceTest : public ::testing::Test {
 protected:
  explicit ConformanceTest(std::vector<std::string> server_args = {}) : server_(std::move(server_args)) {}

  // A connection with a completed new-style handshake requesting `options`.
  RawClient connect(const proto::Dict& options = {});
  // Same, having also run `open ws` on `ws`.
  RawClient connect_and_open(const std::string& ws, const proto::Dict& options = {});

  // The value of `list vars` / `list wss` (asserting status 0).
  static std::string list_vars(RawClient& c, const std::string& ws);
  static std::string list_wss(RawClient& c);
  // Polls `list vars` on `observer` until variable `var` shows the given
  // blocked counts; returns whether it did in time.
  static bool wait_for_waiters(RawClient& observer, const std::string& ws, const std::string& var, long fetchers,
                               long finders);
  // Polls `list wss` until workspace `ws` is (or is no longer) listed.
  static bool wait_for_workspace(RawClient& observer, const std::string& ws, bool present);
  // Whether `list wss` names workspace `ws` (mark ignored).
  static bool lists_workspace(const std::string& listing, const std::string& ws);
  // Entries directly under the server's spool parent: its spool directory
  // while it runs, nothing once it has stopped cleanly.
  std::size_t spool_parent_entries() const;

  ServerProcess server_;
};

}  // namespace nws::conformance
