#include "harness.hpp"

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

namespace nws::test {

std::string pattern_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>(i < 256 ? i : rng() & 0xff);  // every byte value first
  return s;
}

std::string n20_field(std::uint64_t n) {
  std::string s = std::to_string(n);
  return std::string(20 - s.size(), '0') + s;
}

bool poll_until(const std::function<bool()>& done, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

namespace {

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

// The interesting part of a server log: from the first sanitizer report if
// there is one (its first frames say where), else the end.
std::string log_excerpt(const std::string& log) {
  constexpr std::size_t kKeep = 8000;
  std::size_t report = std::string::npos;
  for (const char* marker : {"==ERROR", "runtime error", "ERROR: LeakSanitizer"})
    report = std::min(report, log.find(marker));
  if (report != std::string::npos) {
    std::size_t line = log.rfind('\n', report);
    std::size_t from = line == std::string::npos ? 0 : line + 1;
    return log.substr(from, kKeep) + (log.size() - from > kKeep ? "\n..." : "");
  }
  return log.size() <= kKeep ? log : "..." + log.substr(log.size() - kKeep);
}

}  // namespace

const std::string& BadInputTest::bystander_value() {
  static const std::string v = pattern_bytes(5000, 7);
  return v;
}

void BadInputTest::start(std::vector<std::string> server_args, ServerLimits limits) {
  // The server inherits our environment: under AddressSanitizer make sure
  // leak checking runs when it exits (it is the default on Linux, but an
  // inherited ASAN_OPTIONS could have turned it off).
  ::setenv("ASAN_OPTIONS", "detect_leaks=1", 0);
  server_ = std::make_unique<ServerProcess>(std::move(server_args), limits);

  bystander_ = std::make_unique<RawClient>(server_->port());
  greet(*bystander_);
  ASSERT_EQ(bystander_->call_short({"open ws", kBystanderWs, "bystander", "no"}), 0);
  bystander_->store(kBystanderWs, "kept", bystander_value(), kBystanderDescriptor);

  observer_ = std::make_unique<RawClient>(server_->port());
  greet(*observer_);
  observer_->open(kArena);
  expect_bystander_intact("start");
}

void BadInputTest::TearDown() {
  if (!server_) return;
  if (!stopped_) stop_server_and_check();
  observer_.reset();
  bystander_.reset();
  server_.reset();
}

void BadInputTest::stop_server_and_check() {
  ASSERT_TRUE(server_ && !stopped_);
  if (bystander_) expect_bystander_intact("the end of the test");
  // SIGTERM with the bystander and observer still connected: shutting down
  // with live sessions must be clean too.
  stopped_ = true;
  int status = server_->stop(SIGTERM);
  std::string log = server_->log();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "nws-server " << describe_wait_status(status) << " on SIGTERM; its log:\n" << log_excerpt(log);
  for (const char* marker : {"ERROR: AddressSanitizer", "LeakSanitizer", "runtime error"})
    EXPECT_EQ(log.find(marker), std::string::npos) << "sanitizer report in the server log:\n" << log_excerpt(log);
}

RawClient BadInputTest::connect_raw() { return RawClient(server_->port()); }

void BadInputTest::greet(RawClient& c, proto::Dict options) {
  if (token_.empty()) {
    c.handshake(options);
    return;
  }
  options.set("NwsAuth", "1");
  c.handshake(options);
  if (c.call_long({"auth", "token", token_}).status() != 0) throw std::runtime_error("auth with the token failed");
}

RawClient BadInputTest::attacker(bool metadata_from_server) {
  RawClient c(server_->port());
  proto::Dict options;
  if (metadata_from_server) options.set("MetadataFromServer", "1");
  greet(c, options);
  if (c.call_short({"use ws", kArena, "", "no"}) != 0) throw std::runtime_error("use ws arena failed");
  if (c.call_short({"use ws", kBystanderWs, "", "no"}) != 0) throw std::runtime_error("use ws bystander failed");
  return c;
}

namespace {
std::size_t status_field_bytes(pid_t pid, const std::string& field) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (f >> key) {
    if (key == field) {
      std::size_t kb = 0;
      f >> kb;
      return kb * 1024;
    }
    f.ignore(1 << 16, '\n');
  }
  return 0;
}
}  // namespace

std::size_t resident_bytes(pid_t pid) { return status_field_bytes(pid, "VmRSS:"); }
std::size_t peak_resident_bytes(pid_t pid) { return status_field_bytes(pid, "VmHWM:"); }

std::chrono::milliseconds BadInputTest::innocent_round_trip() {
  const auto start = std::chrono::steady_clock::now();
  RawClient fresh(server_->port());
  greet(fresh);
  EXPECT_EQ(fresh.call_short({"use ws", "innocent", "", "no"}), 0);
  fresh.store("innocent", "v", "served");
  LongReply r = fresh.call_long({"fetch", "innocent", "v"});
  EXPECT_EQ(r.value, "served");
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

void BadInputTest::expect_server_healthy(const std::string& what) {
  SCOPED_TRACE("server health after: " + what);
  ASSERT_TRUE(server_);
  try {
    RawClient fresh(server_->port());
    greet(fresh);
    ASSERT_EQ(fresh.call_short({"use ws", "probe", "", "no"}), 0);
    // A fresh variable each time, with a value that shows any byte damage.
    int n = ++probes_;
    std::string var = "probe" + std::to_string(n);
    std::string value = pattern_bytes(3000 + static_cast<std::size_t>(n), static_cast<unsigned>(n));
    fresh.store("probe", var, value, 0x01000003);
    LongReply r = fresh.call_long({"fetch", "probe", var});
    EXPECT_EQ(r.status(), 0);
    EXPECT_EQ(r.head.descriptor, 0x01000003u);
    EXPECT_TRUE(r.value == value) << "fresh client's value came back different (" << r.value.size() << " bytes)";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "a fresh client was not served: " << e.what() << "\nserver log:\n" << log_excerpt(server_->log());
  }
  expect_bystander_intact(what);
}

void BadInputTest::expect_bystander_intact(const std::string& what) {
  SCOPED_TRACE("bystander check after: " + what);
  try {
    // The bystander's own connection, idle through the attack, still works,
    // and its workspace holds exactly its one untouched value.
    LongReply vars = bystander_->call_long({"list vars", kBystanderWs});
    EXPECT_EQ(vars.status(), 0);
    EXPECT_EQ(vars.value, "kept\t1\t0\t0\tfifo");
    LongReply r = bystander_->call_long({"findTry", kBystanderWs, "kept"});
    EXPECT_EQ(r.status(), 0);
    EXPECT_EQ(r.head.descriptor, kBystanderDescriptor);
    EXPECT_TRUE(r.value == bystander_value()) << "bystander's value corrupted (" << r.value.size() << " bytes)";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "the bystander was not served: " << e.what();
  }
}

std::string BadInputTest::list_vars(const std::string& ws) {
  LongReply r = observer_->call_long({"list vars", ws});
  if (r.status() != 0) throw std::runtime_error("list vars " + ws + " failed with status " + std::to_string(r.status()));
  return r.value;
}

std::optional<std::string> BadInputTest::var_line(const std::string& var, const std::string& ws) {
  std::string text = list_vars(ws);
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (line.compare(0, var.size() + 1, var + "\t") == 0) return line;
    pos = end + 1;
  }
  return std::nullopt;
}

std::string BadInputTest::list_wss() {
  LongReply r = observer_->call_long({"list wss"});
  if (r.status() != 0) throw std::runtime_error("list wss failed with status " + std::to_string(r.status()));
  return r.value;
}

::testing::AssertionResult BadInputTest::wait_var_line(const std::string& var, const std::string& line,
                                                       const std::string& ws) {
  std::optional<std::string> last;
  if (poll_until([&] { return (last = var_line(var, ws)) == line; }))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "variable " << var << " never listed as '" << line << "'; last seen: '"
                                       << last.value_or("<absent>") << "'";
}

}  // namespace nws::test
