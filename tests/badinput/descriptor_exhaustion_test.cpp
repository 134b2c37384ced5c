// More clients than the server has descriptors: the connections it cannot
// accept wait in the kernel's backlog, the server backs off instead of
// spinning on a failing accept, keeps serving the clients it has, and takes
// the waiting ones as soon as descriptors are free again.
#include <chrono>
#include <thread>

#include "harness.hpp"

namespace nws::test {
namespace {

using DescriptorExhaustion = BadInputTest;

constexpr unsigned kServerDescriptors = 64;
constexpr int kClients = 100;  // well over what 64 descriptors can hold
constexpr int kLast = 10;      // clients certainly still in the backlog

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST_F(DescriptorExhaustion, WaitingClientsAreServedOnceDescriptorsFreeUp) {
  // A connection limit above what the descriptors allow, so accept() itself
  // fails (with the default the server refuses before it runs out).
  ASSERT_NO_FATAL_FAILURE(start({"--max-connections", "1000"}, ServerLimits{.descriptors = kServerDescriptors}));
  const std::string kFailed = "accept failed";

  // Each client greets the old way ("1112" is answered "2223").  The kernel
  // completes every TCP handshake; the server accepts while it can.
  std::vector<RawClient> clients;
  clients.reserve(kClients);
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(connect_raw());
    clients.back().send("1112");
  }
  ASSERT_TRUE(poll_until([&] { return count_of(server().log(), kFailed) > 0; }))
      << "the server never ran out of descriptors; log:\n" << server().log();

  // While out of descriptors it retries every 50 ms, not in a busy loop.
  auto t0 = std::chrono::steady_clock::now();
  std::size_t before = count_of(server().log(), kFailed);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::size_t after = count_of(server().log(), kFailed);
  auto elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LE(after - before, static_cast<std::size_t>(elapsed_ms / 50 + 3))
      << "accept retried " << (after - before) << " times in " << elapsed_ms << " ms";

  // The clients it already has are served meanwhile.
  expect_bystander_intact("descriptors exhausted");

  // Free the descriptors: the first clients go.  Accept order is the
  // backlog's order, so the last ten were never accepted; each must now be
  // answered.
  for (int i = 0; i < kClients - kLast; ++i) clients[static_cast<std::size_t>(i)].close();
  for (int i = kClients - kLast; i < kClients; ++i) {
    SCOPED_TRACE("client " + std::to_string(i));
    EXPECT_EQ(clients[static_cast<std::size_t>(i)].read_exact(4, 20000), "2223");
  }
  clients.clear();
  expect_server_healthy("descriptors exhausted and freed");
}

}  // namespace
}  // namespace nws::test
