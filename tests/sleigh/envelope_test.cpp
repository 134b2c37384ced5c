// Envelopes, function ids, chunk sizes, quoting, the environment contract and
// the choice of the master's server.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nws/sleigh.hpp"

namespace sl = nws::sleigh;

TEST(Envelope, TaskRoundTrip) {
  std::string payload("\0\1binary\xff", 10);
  sl::Task t;
  t.barrier = true;
  t.barrier_index = 1;
  t.job = 7;
  t.tag = 12345678901LL;
  t.count = 42;
  t.function = "abc-12";
  t.payload = payload;
  const std::string bytes = sl::encode(t);
  sl::Task d = sl::decode_task(bytes);
  EXPECT_TRUE(d.barrier);
  EXPECT_EQ(d.barrier_index, 1);
  EXPECT_EQ(d.job, 7);
  EXPECT_EQ(d.tag, 12345678901LL);
  EXPECT_EQ(d.count, 42);
  EXPECT_EQ(d.function, "abc-12");
  EXPECT_EQ(d.payload, payload);
  // The payload is a view into the value: no copy.
  EXPECT_EQ(d.payload.data(), bytes.data() + bytes.size() - payload.size());
}

TEST(Envelope, ResultRoundTrip) {
  sl::Result r;
  r.kind = sl::ResultKind::failed;
  r.job = 3;
  r.tag = 9;
  r.count = 2;
  r.rank = 5;
  r.failed = 2;
  r.seconds = 0.25;
  r.payload = "boom";
  const std::string bytes = sl::encode(r);  // the decoded payload is a view into it
  sl::Result d = sl::decode_result(bytes);
  EXPECT_EQ(d.kind, sl::ResultKind::failed);
  EXPECT_EQ(d.job, 3);
  EXPECT_EQ(d.tag, 9);
  EXPECT_EQ(d.count, 2);
  EXPECT_EQ(d.rank, 5);
  EXPECT_EQ(d.failed, 2u);
  EXPECT_DOUBLE_EQ(d.seconds, 0.25);
  EXPECT_EQ(std::string(d.payload), "boom");
}

TEST(Envelope, MalformedBytesAreAProtocolError) {
  auto code = [](auto f) {
    try {
      f();
    } catch (const nws::Error& e) {
      return e.code();
    }
    return nws::Errc::invalid_argument;
  };
  EXPECT_EQ(code([] { sl::decode_task("NWST"); }), nws::Errc::protocol);
  EXPECT_EQ(code([] { sl::decode_task(std::string(64, 'x')); }), nws::Errc::protocol);
  EXPECT_EQ(code([] { sl::decode_result(sl::encode(sl::Task{})); }), nws::Errc::protocol);
  sl::Task t;
  t.function = "f";
  std::string bytes = sl::encode(t);
  bytes.resize(bytes.size() - 1);  // the function id overruns
  EXPECT_EQ(code([&] { sl::decode_task(bytes); }), nws::Errc::protocol);
}

TEST(Envelope, DescriptorIsCxxNotADirectString) {
  EXPECT_EQ(nws::descriptor::language_of(sl::kEnvelopeDescriptor), static_cast<int>(nws::Language::cpp));
  EXPECT_FALSE(sl::kEnvelopeDescriptor & nws::descriptor::direct_string);
}

TEST(Layout, NamesFollowTheClassicSleigh) {
  EXPECT_EQ(sl::var::barrier(0), "barrier0");
  EXPECT_EQ(sl::var::barrier(1), "barrier1");
  EXPECT_EQ(sl::var::inbox(3), "task@3");
  EXPECT_STREQ(sl::var::ride_over, "Sleigh ride over");
  EXPECT_EQ(sl::worker_ws_name("sleigh_ride_0001__x", 2), "sleigh_ride_0001__x@worker2");
}

TEST(FunctionId, SameBytesSameIdDifferentBytesDifferentId) {
  EXPECT_EQ(sl::function_id("abc"), sl::function_id("abc"));
  EXPECT_NE(sl::function_id("abc"), sl::function_id("abd"));
  EXPECT_NE(sl::function_id(""), sl::function_id(std::string(1, '\0')));
}

TEST(Chunking, FourChunksPerWorkerBoundedByBytes) {
  EXPECT_EQ(sl::chunk_size(100000, 2), 12500);
  EXPECT_EQ(sl::chunk_size(7, 2), 1);
  EXPECT_EQ(sl::chunk_size(0, 2), 1);
  EXPECT_EQ(sl::chunk_size(1000, 0), 250);
  // 1 MiB elements: at most 4 MiB a chunk.
  EXPECT_EQ(sl::chunk_size(80, 2, 1 << 20), 4);
  EXPECT_EQ(sl::chunk_size(80, 2, 64 << 20), 1);
}

TEST(Launch, ShellQuotingAndSshPrefixes) {
  EXPECT_EQ(sl::shell_quote("plain/path-1.2_x"), "plain/path-1.2_x");
  EXPECT_EQ(sl::shell_quote("two words"), "'two words'");
  EXPECT_EQ(sl::shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(sl::shell_quote(""), "''");
  EXPECT_EQ(sl::ssh_prefix("n1"), (std::vector<std::string>{"ssh", "-n", "-x", "n1"}));
  EXPECT_EQ(sl::ssh_prefix("n1", "me"), (std::vector<std::string>{"ssh", "-n", "-x", "-l", "me", "n1"}));
  EXPECT_EQ(sl::ssh_forward_prefix("n1", "", 9000, "h", 8765),
            (std::vector<std::string>{"ssh", "-n", "-x", "-R", "9000:h:8765", "n1"}));
}

TEST(WorkerEnv, RoundTripThroughTheEnvironment) {
  sl::WorkerEnv e;
  e.host = "h.example";
  e.port = 1234;
  e.sleigh_ws = "ws";
  e.user_ws = "uws";
  e.name = "node7";
  e.id = 3;
  e.worker_count = 4;
  e.working_dir = "/tmp";
  e.redirect_output = true;
  auto vars = e.to_environment("TestSleigh");
  EXPECT_EQ(vars.at("TestSleighNwsHost"), "h.example");
  EXPECT_EQ(vars.at("TestSleighNwsPort"), "1234");
  EXPECT_EQ(vars.at("TestSleighRedirectOutput"), "True");
  // Unset fields are there, empty: they override whatever a caller's
  // environment held (a worker starting a worker, a shell that ran one).
  EXPECT_EQ(vars.at("TestSleighLogDir"), "");
  EXPECT_EQ(vars.at("TestSleighSpillDir"), "");
  setenv("TestSleighLogDir", "/stale/from/the/caller", 1);
  for (auto& [k, v] : vars) setenv(k.c_str(), v.c_str(), 1);
  sl::WorkerEnv d = sl::WorkerEnv::from_environment("TestSleigh");
  EXPECT_EQ(d.host, e.host);
  EXPECT_EQ(d.port, e.port);
  EXPECT_EQ(d.sleigh_ws, "ws");
  EXPECT_EQ(d.user_ws, "uws");
  EXPECT_EQ(d.name, "node7");
  EXPECT_EQ(d.id, 3);
  EXPECT_EQ(d.worker_count, 4);
  EXPECT_EQ(d.working_dir, "/tmp");
  EXPECT_EQ(d.log_dir, "");
  EXPECT_TRUE(d.redirect_output);
  setenv("TestSleighNwsPort", "99999", 1);
  try {
    sl::WorkerEnv::from_environment("TestSleigh");
    FAIL() << "a bad port was accepted";
  } catch (const nws::Error& err) {
    EXPECT_EQ(err.code(), nws::Errc::invalid_argument);
    EXPECT_NE(std::string(err.what()).find("TestSleighNwsPort"), std::string::npos);
  }
  for (auto& [k, v] : vars) unsetenv(k.c_str());
  // The launch id falls back to SLURM_PROCID (srun starts the workers).
  setenv("TestSleighNwsHost", "h", 1);
  setenv("TestSleighNwsPort", "1", 1);
  setenv("TestSleighNwsName", "ws", 1);
  setenv("SLURM_PROCID", "5", 1);
  EXPECT_EQ(sl::WorkerEnv::from_environment("TestSleigh").id, 5);
  unsetenv("SLURM_PROCID");
  unsetenv("TestSleighNwsName");
  try {
    sl::WorkerEnv::from_environment("TestSleigh");
    FAIL() << "a missing workspace name was accepted";
  } catch (const nws::Error& err) {
    EXPECT_NE(std::string(err.what()).find("TestSleighNwsName is not set"), std::string::npos);
  }
}

TEST(BindingNames, LaunchKindsAndChunkStatusesHaveOneNameEach) {
  using nws::sleigh::LaunchKind;
  EXPECT_EQ(nws::sleigh::launch_kind_named("local"), LaunchKind::local);
  EXPECT_EQ(nws::sleigh::launch_kind_named("command"), LaunchKind::command);
  EXPECT_EQ(nws::sleigh::launch_kind_named("slurm"), LaunchKind::slurm);
  EXPECT_EQ(nws::sleigh::launch_kind_named("manual"), LaunchKind::manual);
  try {
    nws::sleigh::launch_kind_named("service");
    FAIL() << "an unknown kind was accepted";
  } catch (const nws::Error& e) {
    EXPECT_EQ(e.code(), nws::Errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("local, command, slurm or manual"), std::string::npos);
  }
  using nws::sleigh::ChunkStatus;
  EXPECT_STREQ(nws::sleigh::chunk_status_name(ChunkStatus::ok), "ok");
  EXPECT_STREQ(nws::sleigh::chunk_status_name(ChunkStatus::failed), "failed");
  EXPECT_STREQ(nws::sleigh::chunk_status_name(ChunkStatus::lost), "lost");
}

namespace {

// Whether anything accepts a TCP connection on localhost:8765 (the default
// server), found out apart from the rule under test.
bool default_port_answers() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(nws::kDefaultPort);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// Clears the variables the rule reads, for the length of a test.
struct CleanServerEnv {
  CleanServerEnv() {
    for (const char* v : {"TestSleighNwsHost", "TestSleighNwsPort", "NWS_HOST", "NWS_PORT"}) {
      if (const char* old = std::getenv(v)) saved.emplace_back(v, old);
      unsetenv(v);
    }
  }
  ~CleanServerEnv() {
    for (const char* v : {"TestSleighNwsHost", "TestSleighNwsPort", "NWS_HOST", "NWS_PORT"}) unsetenv(v);
    for (auto& [k, v] : saved) setenv(k.c_str(), v.c_str(), 1);
  }
  std::vector<std::pair<std::string, std::string>> saved;
};

}  // namespace

TEST(ServerChoice, NamedServersAreTakenInOrderAndNeverStartOne) {
  CleanServerEnv clean;
  using nws::sleigh::LaunchKind;
  auto c = sl::choose_server(std::string("h1"), 1111, "TestSleigh", LaunchKind::local);
  EXPECT_EQ(c.host, std::optional<std::string>("h1"));
  EXPECT_EQ(c.port, std::optional<std::uint16_t>(1111));
  EXPECT_FALSE(c.start_embedded);
  setenv("TestSleighNwsHost", "h2", 1);
  setenv("TestSleighNwsPort", "2222", 1);
  c = sl::choose_server(std::nullopt, std::nullopt, "TestSleigh", LaunchKind::local);
  EXPECT_EQ(c.host, std::optional<std::string>("h2"));
  EXPECT_EQ(c.port, std::optional<std::uint16_t>(2222));
  EXPECT_FALSE(c.start_embedded);
  c = sl::choose_server(std::string("h1"), std::nullopt, "TestSleigh", LaunchKind::local);
  EXPECT_EQ(c.host, std::optional<std::string>("h1"));  // the option wins
  EXPECT_EQ(c.port, std::optional<std::uint16_t>(2222));
  unsetenv("TestSleighNwsHost");
  unsetenv("TestSleighNwsPort");
  setenv("NWS_PORT", "3333", 1);  // the client's default names one: no server of our own
  c = sl::choose_server(std::nullopt, std::nullopt, "TestSleigh", LaunchKind::local);
  EXPECT_FALSE(c.host || c.port || c.start_embedded);
}

TEST(ServerChoice, AnUnnamedLocalSleighStartsOneOnlyIfTheDefaultDoesNotAnswer) {
  CleanServerEnv clean;
  using nws::sleigh::LaunchKind;
  auto c = sl::choose_server(std::nullopt, std::nullopt, "TestSleigh", LaunchKind::local);
  EXPECT_EQ(c.start_embedded, !default_port_answers());
  EXPECT_FALSE(c.host || c.port);
  // Workers elsewhere could not reach a server inside the master.
  for (LaunchKind k : {LaunchKind::command, LaunchKind::slurm, LaunchKind::manual})
    EXPECT_FALSE(sl::choose_server(std::nullopt, std::nullopt, "TestSleigh", k).start_embedded);
}

TEST(ServerChoice, APortThatIsNotOneIsRefusedNamingTheVariable) {
  CleanServerEnv clean;
  setenv("TestSleighNwsPort", "eighty", 1);
  try {
    sl::choose_server(std::nullopt, std::nullopt, "TestSleigh", nws::sleigh::LaunchKind::local);
    FAIL() << "a bad port was accepted";
  } catch (const nws::Error& err) {
    EXPECT_EQ(err.code(), nws::Errc::invalid_argument);
    EXPECT_NE(std::string(err.what()).find("TestSleighNwsPort"), std::string::npos);
  }
}

TEST(OutstandingLimit, LoadFactorTimesWorkersRoundedUpAtLeastOnePerWorker) {
  EXPECT_EQ(sl::outstanding_limit(2.0, 4), 8);
  EXPECT_EQ(sl::outstanding_limit(1.5, 3), 5);     // 4.5 rounded up
  EXPECT_EQ(sl::outstanding_limit(0.25, 4), 4);    // never fewer than one per worker
  EXPECT_EQ(sl::outstanding_limit(3.0, 0), 3);     // no worker known yet: counted as one
  const auto none = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(sl::outstanding_limit(std::nullopt, 4), none);
  EXPECT_EQ(sl::outstanding_limit(0.0, 4), none);
  EXPECT_EQ(sl::outstanding_limit(-1.0, 4), none);
  EXPECT_EQ(sl::outstanding_limit(std::numeric_limits<double>::quiet_NaN(), 4), none);
  EXPECT_EQ(sl::outstanding_limit(1e300, 4), none);
}
