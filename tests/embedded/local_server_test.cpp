// nws::LocalServer, driven only through the public API (nws/local_server.hpp,
// nws/client.hpp): what every binding's "start a server in this process"
// rests on.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "nws/local_server.hpp"

namespace {
using namespace std::chrono_literals;
namespace fs = std::filesystem;

nws::Errc code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nws::Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return nws::Errc::invalid_argument;
}

TEST(LocalServer, ServesClientsOnAFreeLoopbackPort) {
  nws::LocalServer server;
  EXPECT_TRUE(server.running());
  EXPECT_EQ(server.host(), "127.0.0.1");
  EXPECT_NE(server.port(), 0);
  nws::Workspace ws("embedded", server.connect_options());
  ws.store("x", nws::Value::text("hello"));
  EXPECT_EQ(ws.fetch("x").bytes, "hello");
  EXPECT_EQ(ws.server().host(), "127.0.0.1");
  EXPECT_EQ(ws.server().port(), server.port());
}

TEST(LocalServer, ABlockedFetchIsReleasedByAnotherConnection) {
  nws::LocalServer server;
  nws::Workspace waiter("w", server.connect_options());
  auto got = std::async(std::launch::async, [&] { return waiter.fetch("v", nws::args::wait(20)).bytes; });
  nws::Workspace other("w", server.connect_options(), /*use_use=*/true);
  // Wait until the fetch is blocked on the server, then release it.
  for (int i = 0; i < 2000 && (other.list_vars().rows.empty() || other.list_vars().rows[0].fetchers == 0); ++i)
    std::this_thread::sleep_for(1ms);
  other.store("v", nws::Value::text("released"));
  EXPECT_EQ(got.get(), "released");
}

TEST(LocalServer, StopClosesConnectionsAndFreesThePort) {
  auto server = std::make_unique<nws::LocalServer>();
  const auto options = server->connect_options();
  nws::Workspace ws("w", options);
  auto blocked = std::async(std::launch::async, [&] { return code_of([&] { ws.fetch("never"); }); });
  nws::Workspace observer("w", options, true);
  for (int i = 0; i < 2000 && (observer.list_vars().rows.empty() || observer.list_vars().rows[0].fetchers == 0); ++i)
    std::this_thread::sleep_for(1ms);
  server->stop();
  EXPECT_FALSE(server->running());
  EXPECT_EQ(blocked.get(), nws::Errc::connection_dropped);
  server->stop();  // idempotent
  server.reset();
  EXPECT_EQ(code_of([&] { nws::Server s(options); }), nws::Errc::connection);
}

TEST(LocalServer, TwoServersInOneProcessAreIndependent) {
  nws::LocalServer a, b;
  EXPECT_NE(a.port(), b.port());
  nws::Workspace wa("same", a.connect_options()), wb("same", b.connect_options());
  wa.store("x", nws::Value::text("a"));
  EXPECT_FALSE(wb.fetch_try("x"));
  EXPECT_EQ(wa.fetch_try("x")->bytes, "a");
}

TEST(LocalServer, SpoolsLargeValuesUnderItsDirectoryAndRemovesThemOnStop) {
  fs::path parent = fs::temp_directory_path() / ("nws-embedded-" + std::to_string(::getpid()));
  fs::create_directories(parent);
  {
    nws::LocalServerOptions o;
    o.spool_dir = parent.string();
    o.spool_threshold = 1024;
    nws::LocalServer server(o);
    nws::Workspace ws("w", server.connect_options());
    ws.store("big", nws::Value::binary(std::string(100000, 'z')));
    std::size_t files = 0;
    for (auto& e : fs::recursive_directory_iterator(parent)) files += e.is_regular_file();
    EXPECT_EQ(files, 1u);
    EXPECT_EQ(ws.fetch("big").bytes.size(), 100000u);
  }
  EXPECT_TRUE(fs::is_empty(parent));
  fs::remove(parent);
}

TEST(LocalServer, AnAddressInUseIsAConnectionErrorSayingSo) {
  nws::LocalServer first;
  nws::LocalServerOptions o;
  o.port = first.port();
  try {
    nws::LocalServer second(o);
    ADD_FAILURE() << "two servers on one port";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::connection);
    EXPECT_NE(std::string(e.what()).find(std::to_string(first.port())), std::string::npos) << e.what();
  }
}

std::set<std::string> threads_of_this_process() {
  std::set<std::string> tids;
  for (auto& e : fs::directory_iterator("/proc/self/task")) tids.insert(e.path().filename().string());
  return tids;
}

// The "SigBlk:" mask of a thread of this process, from /proc.
std::uint64_t blocked_signals_of(const std::string& tid) {
  std::ifstream status("/proc/self/task/" + tid + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("SigBlk:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
  ADD_FAILURE() << "no SigBlk line for thread " << tid;
  return 0;
}

TEST(LocalServer, ItsThreadTakesNoAsynchronousSignalAndTheCallersMaskIsUntouched) {
  sigset_t before, after;
  ::pthread_sigmask(SIG_SETMASK, nullptr, &before);
  const auto existing = threads_of_this_process();
  {
    nws::LocalServer server;
    // A round trip: the server's thread is running its loop, past the
    // moment glibc starts a thread with every signal blocked.
    nws::Server(server.connect_options()).list_wss();
    ::pthread_sigmask(SIG_SETMASK, nullptr, &after);
    EXPECT_EQ(::sigismember(&after, SIGINT), ::sigismember(&before, SIGINT));
    EXPECT_EQ(::sigismember(&after, SIGTERM), ::sigismember(&before, SIGTERM));
    std::vector<std::string> fresh;
    for (const auto& tid : threads_of_this_process())
      if (!existing.count(tid)) fresh.push_back(tid);
    ASSERT_EQ(fresh.size(), 1u);  // the server's thread
    const std::uint64_t mask = blocked_signals_of(fresh[0]);
    EXPECT_TRUE(mask & (std::uint64_t{1} << (SIGINT - 1)));
    EXPECT_TRUE(mask & (std::uint64_t{1} << (SIGTERM - 1)));
    EXPECT_TRUE(mask & (std::uint64_t{1} << (SIGUSR1 - 1)));
    EXPECT_FALSE(mask & (std::uint64_t{1} << (SIGSEGV - 1)));  // faults go to the host's handlers
    EXPECT_FALSE(mask & (std::uint64_t{1} << (SIGBUS - 1)));
  }
}

// The memory quota seen from the C++ client: a store past it raises
// operation_failed with the server's reason, the connection goes on, and
// after fetches stores are taken again.
TEST(LocalServer, TheMemoryQuotaRefusesStoresUntilFetchesMakeRoom) {
  nws::LocalServerOptions o;
  o.max_memory = 1u << 20;
  nws::LocalServer server(o);
  nws::Workspace ws("quota", server.connect_options());
  const nws::Value value = nws::Value::binary(std::string(64 * 1024, 'q'));
  int stored = 0;
  try {
    for (; stored < 100; ++stored) ws.store("v", value);
    ADD_FAILURE() << "the quota never bit";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::operation_failed);
    EXPECT_NE(e.reason().find("memory for values is full"), std::string::npos) << e.reason();
  }
  EXPECT_GT(stored, 5);
  for (int i = 0; i < stored; ++i) EXPECT_EQ(ws.fetch("v").bytes.size(), value.bytes.size());  // nothing dropped
  ws.store("v", value);  // room again
  EXPECT_EQ(ws.fetch_try("v")->bytes, value.bytes);
}

// The server says its value limit in the handshake (NwsMaxValueSize): the
// client refuses a larger value before sending any of it.
TEST(LocalServer, TheClientRefusesAValueOverTheServersLimitBeforeSending) {
  nws::LocalServerOptions o;
  o.max_value_size = 1000;
  nws::LocalServer server(o);
  nws::Workspace ws("limit", server.connect_options());
  try {
    ws.store("v", nws::Value::binary(std::string(1001, 'x')));
    ADD_FAILURE() << "stored a value over the limit";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("over the NWS server's limit of 1000 bytes"), std::string::npos) << e.what();
  }
  ws.store("v", nws::Value::binary(std::string(1000, 'x')));
  EXPECT_TRUE(ws.list_vars().rows.size() == 1 && ws.list_vars().rows[0].values == 1);
}

TEST(Version, IsTheOneInCoreVersion) {
  EXPECT_EQ(nws::version(), NWS_EXPECTED_VERSION);
}

}  // namespace
