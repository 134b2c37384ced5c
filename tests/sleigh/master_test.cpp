// A master driving real worker processes (this program, started again as a
// C++ worker) on an embedded server: jobs, order, eachWorker, failures, a
// worker killed mid-job, stop.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "nws/local_server.hpp"
#include "worker_hooks.hpp"

namespace sl = nws::sleigh;
using namespace std::chrono_literals;

namespace {

sl::MasterOptions options(const nws::LocalServer& server, int workers) {
  sl::MasterOptions o;
  o.server = server.connect_options();
  o.launch.kind = sl::LaunchKind::local;
  o.launch.worker_count = workers;
  o.launch.worker_program = {sleigh_test::self_path()};
  o.launch.env_prefix = "CxxSleigh";
  return o;
}

std::map<int, int> pids_by_rank(sl::Master& m) {
  std::map<int, int> out;
  for (const std::string& record : m.worker_info()) {
    int rank = -1, pid = -1;
    std::size_t at = 0;
    while (at < record.size()) {
      std::size_t end = record.find('\n', at);
      std::string line = record.substr(at, end - at);
      if (line.rfind("rank=", 0) == 0) rank = std::stoi(line.substr(5));
      if (line.rfind("pid=", 0) == 0) pid = std::stoi(line.substr(4));
      if (end == std::string::npos) break;
      at = end + 1;
    }
    out[rank] = pid;
  }
  return out;
}

bool in_process_table(int pid) {
  struct stat st;
  return stat(("/proc/" + std::to_string(pid)).c_str(), &st) == 0;
}

sl::Job job_of(sl::Master& m, const std::string& function, int elements, int chunk) {
  sl::Job j = m.each_elem(function);
  for (int first = 0; first < elements; first += chunk) {
    std::vector<long> xs;
    for (int x = first; x < std::min(elements, first + chunk); ++x) xs.push_back(x);
    j.add_chunk(first, static_cast<std::int64_t>(xs.size()), sleigh_test::numbers(xs));
  }
  j.close();
  return j;
}

}  // namespace

TEST(Master, EachElemResultsComeInElementOrder) {
  nws::LocalServer server;
  sl::Master m(options(server, 3));
  EXPECT_EQ(m.launched(), 3);
  auto st = m.status(true, 30);
  EXPECT_EQ(st.workers, 3);
  EXPECT_TRUE(st.closed);
  sl::Job j = job_of(m, "square", 100, 7);
  std::vector<long> all;
  std::int64_t expected_first = 0;
  while (auto r = j.next(sl::Order::elements, nws::args::wait(30))) {
    EXPECT_EQ(r->status, sl::ChunkStatus::ok);
    EXPECT_EQ(r->first, expected_first);
    expected_first += r->count;
    for (long v : sleigh_test::parse_numbers(r->payload)) all.push_back(v);
  }
  ASSERT_EQ(all.size(), 100u);
  for (long x = 0; x < 100; ++x) EXPECT_EQ(all[static_cast<std::size_t>(x)], x * x);
  EXPECT_TRUE(j.done());
  EXPECT_EQ(j.outstanding(), 0);
}

TEST(Master, ALargeChunkOfALocalSleighTravelsAsAFile) {
  nws::LocalServer server;
  sl::Master m(options(server, 2));
  sl::Job j = m.each_elem("square");
  std::vector<long> xs(300000);
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<long>(i % 1000);
  const std::string payload = sleigh_test::numbers(xs);
  ASSERT_TRUE(j.spills(payload.size()));
  EXPECT_FALSE(j.spills(10));
  j.add_chunk(0, static_cast<std::int64_t>(xs.size()), payload);
  j.close();
  auto r = j.next(sl::Order::elements, nws::args::wait(30));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, sl::ChunkStatus::ok) << r->payload;
  auto got = sleigh_test::parse_numbers(r->payload);
  ASSERT_EQ(got.size(), xs.size());
  EXPECT_EQ(got[999], 999L * 999L);
  // The host may write the file itself.
  sl::Job k = m.each_elem("square");
  const std::string path = k.spill_path();
  ASSERT_FALSE(path.empty());
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fputs("3,4", f);
    std::fclose(f);
  }
  k.add_spilled_chunk(0, 2, path);
  k.close();
  auto r2 = k.next(sl::Order::elements, nws::args::wait(30));
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->payload, "9,16");
  // Each file goes once its result is in.
  struct stat st;
  EXPECT_NE(stat(path.c_str(), &st), 0);
}

TEST(Master, EachWorkerRunsOnceOnEveryWorker) {
  nws::LocalServer server;
  sl::Master m(options(server, 3));
  for (int call = 0; call < 3; ++call) {  // both barriers, then the first again
    sl::Job j = m.each_worker("rank", "0", nws::args::wait(30));
    std::multiset<long> ranks;
    while (auto r = j.next(sl::Order::elements, nws::args::wait(30))) {
      ASSERT_EQ(r->status, sl::ChunkStatus::ok);
      ranks.insert(sleigh_test::parse_numbers(r->payload).at(0));
    }
    EXPECT_EQ(ranks, (std::multiset<long>{0, 1, 2}));
  }
}

TEST(Master, AChunkThatFailsComesBackFailedAndTheJobGoesOn) {
  nws::LocalServer server;
  sl::Master m(options(server, 2));
  sl::Job j = job_of(m, "fail:5", 20, 4);
  int ok = 0, failed = 0;
  while (auto r = j.next(sl::Order::arrival, nws::args::wait(30))) {
    if (r->first == 4) {
      EXPECT_EQ(r->status, sl::ChunkStatus::failed);
      EXPECT_NE(r->payload.find("element 5 fails"), std::string::npos);
      EXPECT_EQ(r->failed, 4u);
      ++failed;
    } else {
      EXPECT_EQ(r->status, sl::ChunkStatus::ok);
      ++ok;
    }
  }
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(failed, 1);
}

TEST(Master, AKilledWorkersChunksRunElsewhereAndEveryResultArrivesOnce) {
  nws::LocalServer server;
  sl::Master m(options(server, 3));
  ASSERT_TRUE(m.status(true, 30).closed);
  const auto pids = pids_by_rank(m);
  ASSERT_EQ(pids.size(), 3u);
  sl::Job j = job_of(m, "sleep:50", 60, 1);
  // Let work begin on every worker, then kill one in the middle of the job.
  std::map<std::int64_t, int> seen;
  std::set<int> ranks;
  while (ranks.size() < 3) {
    auto r = j.next(sl::Order::arrival, nws::args::wait(30));
    ASSERT_TRUE(r);
    ++seen[r->first];
    ranks.insert(r->rank);
  }
  ASSERT_EQ(kill(pids.at(1), SIGKILL), 0);
  while (auto r = j.next(sl::Order::arrival, nws::args::wait(30))) {
    ASSERT_EQ(r->status, sl::ChunkStatus::ok) << r->payload;
    ++seen[r->first];
  }
  ASSERT_EQ(seen.size(), 60u);
  for (auto& [first, times] : seen) EXPECT_EQ(times, 1) << "element " << first;
  EXPECT_EQ(m.workers_alive(), 2);
  // The sleigh goes on with the two others.
  sl::Job again = m.each_worker("rank", "0", nws::args::wait(30));
  std::set<long> left;
  while (auto r = again.next(sl::Order::elements, nws::args::wait(30))) left.insert(sl::ChunkStatus::ok == r->status ? sleigh_test::parse_numbers(r->payload).at(0) : -1);
  EXPECT_EQ(left, (std::set<long>{0, 2}));
}

TEST(Master, StopLeavesNoProcessAndFailsOpenChunks) {
  nws::LocalServer server;
  auto m = std::make_unique<sl::Master>(options(server, 2));
  ASSERT_TRUE(m->status(true, 30).closed);
  const auto pids = pids_by_rank(*m);
  sl::Job j = job_of(*m, "sleep:60000", 4, 1);  // never finishes by itself
  const auto start = std::chrono::steady_clock::now();
  m->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  for (auto& [rank, pid] : pids) EXPECT_FALSE(in_process_table(pid)) << "worker " << rank << " is still there";
  int failed = 0;
  while (auto r = j.next(sl::Order::arrival, nws::args::wait(5))) failed += r->status == sl::ChunkStatus::failed;
  EXPECT_EQ(failed, 4);
  EXPECT_TRUE(m->stopped());
  m->stop();  // idempotent
}

TEST(Master, WorkersThatEndBeforeJoiningFailTheJobsWithWhatToCheck) {
  nws::LocalServer server;
  sl::MasterOptions o = options(server, 2);
  o.launch.worker_program = {"/bin/sh", "-c", "echo 'no such interpreter' >&2; exit 7"};
  sl::Master m(o);
  sl::Job j = job_of(m, "square", 4, 2);
  // No sleep and no join: the job's chunks fail once both processes are gone.
  auto r = j.next(sl::Order::arrival, nws::args::wait(30));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, sl::ChunkStatus::failed);
  EXPECT_NE(r->payload.find("every worker ended before joining (the last exited with status 7)"), std::string::npos)
      << r->payload;
  EXPECT_NE(r->payload.find("/bin/sh"), std::string::npos) << r->payload;
}

TEST(Master, AWorkerThatEndsBeforeJoiningLeavesTheGroupToTheOthers) {
  nws::LocalServer server;
  sl::MasterOptions o = options(server, 3);
  // Launch 0 fails at once; 1 and 2 are real workers.
  o.launch.worker_program = {"/bin/sh", "-c", "[ \"$CxxSleighID\" = 0 ] && exit 3; exec \"$0\"",
                             sleigh_test::self_path()};
  sl::Master m(o);
  const auto st = m.status(false, 30);  // waits for the group to close
  EXPECT_TRUE(st.closed);
  EXPECT_EQ(st.workers, 2);
  sl::Job j = job_of(m, "square", 10, 1);
  int n = 0;
  while (auto r = j.next(sl::Order::elements, nws::args::wait(30))) {
    ASSERT_EQ(r->status, sl::ChunkStatus::ok) << r->payload;
    EXPECT_EQ(sleigh_test::parse_numbers(r->payload).at(0), r->first * r->first);
    ++n;
  }
  EXPECT_EQ(n, 10);
}
