// The fixture of every bad-input test: a real server, an innocent bystander
// whose value must survive every attack, an observer for polling listings,
// and the checks run after each attack (the server still serves a fresh
// client; the bystander's value is neither lost nor corrupted) and at the end
// (the server exits cleanly on SIGTERM with no sanitizer report).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raw_client.hpp"
#include "server_process.hpp"

namespace nws::test {

// Deterministic bytes covering every byte value (NUL, LF, TAB, 0xFF ...).
std::string pattern_bytes(std::size_t n, unsigned seed);
// N20 and N4 fields as a well-behaved client writes them.
std::string n20_field(std::uint64_t n);
// Polls `done` every few milliseconds until it holds or `ms` pass.
bool poll_until(const std::function<bool()>& done, int ms = 20000);
// How long an innocent client may wait for its round trip while an attack
// runs: a second, or ten with AddressSanitizer (a debug build that does every
// memory access about ten times slower).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr long long kInnocentRoundTripMs = 10000;
#else
inline constexpr long long kInnocentRoundTripMs = 1000;
#endif

// A process's resident memory now (VmRSS) and at its peak so far (VmHWM),
// in bytes, from /proc (0 if unknown).
std::size_t resident_bytes(pid_t pid);
std::size_t peak_resident_bytes(pid_t pid);

class BadInputTest : public ::testing::Test {
 public:
  // The workspace of the bystander (holds exactly one variable, `kept`) and
  // the workspace attacks aim at.
  static constexpr const char* kBystanderWs = "bystander";
  static constexpr const char* kArena = "arena";
  static const std::string& bystander_value();
  static constexpr std::uint64_t kBystanderDescriptor = 0x03000003;  // R raw vector

 protected:

  // Starts the server with extra command-line options, then the bystander
  // stores its value and the observer opens the arena.
  void start(std::vector<std::string> server_args = {}, ServerLimits limits = {});
  // SIGTERM; expects a normal exit with code 0 and no sanitizer report in
  // the log.  TearDown does it if the test did not.
  void stop_server_and_check();
  void TearDown() override;

  ServerProcess& server() { return *server_; }
  RawClient& observer() { return *observer_; }

  // A connection that completed the new-style handshake (optionally with
  // MetadataFromServer=1) and `use ws`-ed the arena and the bystander's
  // workspace, so that a request that wrongly ran would really do harm.
  RawClient attacker(bool metadata_from_server = false);
  // The handshake (with `options`), then, on a server started with
  // use_token(), authentication with the token.
  void greet(RawClient& c, proto::Dict options = {});
  // The server will require authentication: start() gives it this token,
  // and the harness's own clients authenticate with it.
  void use_token(std::string token) { token_ = std::move(token); }
  const std::string& token() const { return token_; }
  // A bare TCP connection: nothing sent yet.
  RawClient connect_raw();

  // The checks after every bad-input case; `what` names the case in failures.
  void expect_server_healthy(const std::string& what);
  // How long a fresh client takes to connect, store a value and fetch it
  // back (the innocent client an attack must not hold up).
  std::chrono::milliseconds innocent_round_trip();
  void expect_bystander_intact(const std::string& what);

  // `list vars` of a workspace, as seen by the observer.
  std::string list_vars(const std::string& ws = kArena);
  // The line of one variable in `list vars`, if the variable exists.
  std::optional<std::string> var_line(const std::string& var, const std::string& ws = kArena);
  // `list wss` as seen by the observer.
  std::string list_wss();
  // Polls until `var`'s listing line equals `line` (with deadline).
  ::testing::AssertionResult wait_var_line(const std::string& var, const std::string& line,
                                           const std::string& ws = kArena);

 private:
  std::string token_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<RawClient> bystander_;
  std::unique_ptr<RawClient> observer_;
  int probes_ = 0;
  bool stopped_ = false;
};

}  // namespace nws::test
