// Portable tasks (nws/sleigh_tasks.hpp): function specs and the languages'
// naming rules, chunk framing, outcomes, MapJob, and PortableWorker driven
// by a master on real worker processes (this program started again, as a
// pulling worker standing in for a Perl one: see main.cpp).
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <map>
#include <set>

#include "nws/local_server.hpp"
#include "nws/portable.hpp"
#include "nws/sleigh_tasks.hpp"
#include "worker_hooks.hpp"

namespace sl = nws::sleigh;
namespace pv = nws::portable;

namespace {

std::string int_list(std::initializer_list<std::int64_t> xs) {
  pv::Writer w;
  w.list(xs.size());
  for (auto x : xs) w.integer(x);
  return w.finish();
}

std::int64_t as_int(const std::string& bytes) {
  pv::Node n = pv::decode(bytes);
  EXPECT_EQ(n.kind, pv::Kind::integer) << pv::describe(bytes);
  return n.integer;
}

sl::MasterOptions portable_options(const nws::LocalServer& server, int workers) {
  sl::MasterOptions o;
  o.server = server.connect_options();
  o.launch.kind = sl::LaunchKind::local;
  o.launch.worker_count = workers;
  o.launch.worker_program = {sleigh_test::self_path()};
  o.launch.env_prefix = "CxxPortable";
  return o;
}

bool in_process_table(int pid) {
  struct stat st;
  return stat(("/proc/" + std::to_string(pid)).c_str(), &st) == 0;
}

}  // namespace

TEST(FunctionSpec, NamesFollowEachLanguagesForm) {
  const std::map<std::string, std::vector<std::string>> good = {
      {"python", {"stats:mean", "pkg.mod:Class.method", "_m:_f"}},
      {"r", {"fit_model", "stats::median", ".hidden", "my.fun"}},
      {"java", {"org.example.Model#fit", "Model#fit", "a.B$Inner#run"}},
      {"perl", {"Stats::mean", "My::Deep::Module::f"}},
      {"ruby", {"Stats.mean", "My::Deep.run!", "Stats.empty?"}},
  };
  const std::map<std::string, std::vector<std::string>> bad = {
      {"python", {"mean", "stats.mean", "stats:", ":f", "a b:c"}},
      {"r", {"1fun", "a:::b", "a b", ""}},
      {"java", {"Model.fit", "Model#", "#fit", "org.Model#fit()"}},
      {"perl", {"mean", "Stats->mean", "Stats::", "Stats:mean"}},
      {"ruby", {"stats.mean", "Stats#mean", "Stats", "Stats::mean"}},
  };
  for (const auto& [lang, names] : good)
    for (const auto& n : names) EXPECT_NO_THROW(sl::check_function_name(lang, n)) << lang << " " << n;
  for (const auto& [lang, names] : bad)
    for (const auto& n : names) {
      try {
        sl::named_function(lang, n);
        ADD_FAILURE() << lang << " accepted " << n;
      } catch (const nws::Error& e) {
        EXPECT_EQ(e.code(), nws::Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find(std::string(sl::name_form(lang))), std::string::npos) << e.what();
      }
    }
}

TEST(FunctionSpec, RoundTripsNamedAndSerialized) {
  const std::string named = sl::named_function("Ruby", "Stats.mean");
  ASSERT_TRUE(sl::is_function_spec(named));
  sl::FunctionSpec s = sl::decode_function_spec(named);
  EXPECT_EQ(s.language, "ruby");
  EXPECT_EQ(s.name, "Stats.mean");
  EXPECT_TRUE(s.serialized.empty());

  const std::string java_bytes("\xAC\xED\x00\x05sr\x00", 8);
  const std::string ser = sl::serialized_function("java", java_bytes);
  s = sl::decode_function_spec(ser);
  EXPECT_EQ(s.language, "java");
  EXPECT_TRUE(s.name.empty());
  EXPECT_EQ(s.serialized, java_bytes);

  // A host's own function bytes and other portable values are not specs.
  EXPECT_FALSE(sl::is_function_spec(std::string("\x80\x04\x95", 3)));  // a pickle
  EXPECT_FALSE(sl::is_function_spec("X\n\0\0\0\3"));                     // an R serialization
  EXPECT_FALSE(sl::is_function_spec(int_list({1, 2})));
  EXPECT_FALSE(sl::is_function_spec(named.substr(0, named.size() - 2)));
  EXPECT_THROW(sl::named_function("cobol", "X"), nws::Error);
}

TEST(Languages, TableGivesPrefixesProgramsAndChoices) {
  EXPECT_EQ(sl::worker_languages(), (std::vector<std::string>{"python", "r", "java", "perl", "ruby"}));
  EXPECT_EQ(sl::env_prefix_for("python"), "PythonSleigh");
  EXPECT_EQ(sl::env_prefix_for("R"), "RSleigh");
  EXPECT_EQ(sl::env_prefix_for("java"), "JavaSleigh");
  EXPECT_EQ(sl::env_prefix_for("Perl"), "PerlSleigh");
  EXPECT_EQ(sl::env_prefix_for("ruby"), "RubySleigh");
  try {
    sl::language_id("fortran");
    ADD_FAILURE();
  } catch (const nws::Error& e) {
    EXPECT_NE(std::string(e.what()).find("python, r, java, perl or ruby"), std::string::npos);
  }
  setenv("NWS_SLEIGH_RUBY", "/opt/ruby/bin/ruby", 1);
  EXPECT_EQ(sl::default_worker_program("ruby").at(0), "/opt/ruby/bin/ruby");
  unsetenv("NWS_SLEIGH_RUBY");
  EXPECT_EQ(sl::default_worker_program("ruby").at(0), "ruby");
  setenv("NWS_SLEIGH_CLASSPATH", "/x/nws.jar:/x/tasks", 1);
  const auto java = sl::default_worker_program("java");
  EXPECT_EQ(java.at(2), "/x/nws.jar:/x/tasks");
  EXPECT_EQ(java.back(), "org.networkspaces.sleigh.Worker");
  unsetenv("NWS_SLEIGH_CLASSPATH");
}

TEST(Languages, TheLaunchContractCarriesLanguageAndLoad) {
  sl::WorkerEnv e;
  e.host = "h";
  e.port = 1234;
  e.sleigh_ws = "ws";
  e.language = "r";
  e.load = "model.R:stats";
  auto vars = e.to_environment("RSleigh");
  EXPECT_EQ(vars.at("RSleighLanguage"), "r");
  EXPECT_EQ(vars.at("RSleighLoad"), "model.R:stats");
  for (const auto& [k, v] : vars) setenv(k.c_str(), v.c_str(), 1);
  sl::WorkerEnv back = sl::WorkerEnv::from_environment("RSleigh");
  EXPECT_EQ(back.language, "r");
  EXPECT_EQ(back.load, "model.R:stats");
  for (const auto& [k, v] : vars) unsetenv(k.c_str());
}

TEST(Framing, ElementsAndOutcomesRoundTrip) {
  const std::vector<std::string> args = {int_list({1}), int_list({2, 3}), std::string()};
  const std::string payload = sl::frame_elements(args);
  const auto back = sl::unframe_elements(payload);
  ASSERT_EQ(back.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(back[i], args[i]);
  EXPECT_THROW(sl::unframe_elements(int_list({1})), nws::Error);

  sl::OutcomeWriter w;
  w.value(int_list({7}));
  w.error("ZeroDivisionError: \xff bad byte");
  EXPECT_EQ(w.errors(), 1u);
  sl::ChunkResult r;
  r.first = 10;
  r.count = 2;
  r.rank = 3;
  r.payload = w.finish();
  auto outs = sl::element_outcomes(r);
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_TRUE(outs[0].ok);
  EXPECT_EQ(outs[0].index, 10);
  EXPECT_EQ(outs[0].value, int_list({7}));
  EXPECT_FALSE(outs[1].ok);
  EXPECT_EQ(outs[1].error, "ZeroDivisionError: ? bad byte");
  EXPECT_EQ(outs[1].rank, 3);

  r.status = sl::ChunkStatus::failed;
  r.payload = "the worker could not load Stats";
  outs = sl::element_outcomes(r);
  ASSERT_EQ(outs.size(), 2u);
  for (auto& o : outs) EXPECT_EQ(o.error, "the worker could not load Stats");

  r.status = sl::ChunkStatus::ok;
  r.count = 3;  // an answer with too few outcomes
  r.payload = w.finish();
  outs = sl::element_outcomes(r);
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_FALSE(outs[2].ok);
}

TEST(MapJob, RunsNamedFunctionsOnPullingWorkersInElementOrder) {
  nws::LocalServer server;
  sl::Master m(portable_options(server, 2));
  // Every worker ready (eachWorker waits for that) before the job starts.
  auto ready = sl::MapJob::each_worker(m, sl::named_function("perl", "Test::rank"), int_list({}), nws::args::wait(30));
  while (ready.next(nws::args::wait(30))) {
  }
  sl::MapOptions o;
  o.total = 20;
  auto job = sl::MapJob::each_elem(m, sl::named_function("perl", "Test::square"), o);
  for (std::int64_t i = 0; i < 20; ++i) job.add(int_list({i}));
  job.close();
  std::int64_t expect = 0;
  std::set<int> ranks;
  while (auto out = job.next(nws::args::wait(30))) {
    ASSERT_TRUE(out->ok) << out->error;
    EXPECT_EQ(out->index, expect);
    EXPECT_EQ(as_int(out->value), expect * expect);
    ranks.insert(out->rank);
    ++expect;
  }
  EXPECT_EQ(expect, 20);
  // Each outcome names the worker that ran it.  Which workers share the
  // work depends on timing (a worker that finishes each trivial chunk
  // before the next is sent gets them all); that every worker takes part
  // is shown with tasks that last (AKilledPullingWorkersElementsRunOnceElsewhere).
  for (int r : ranks) EXPECT_TRUE(r == 0 || r == 1) << r;
  EXPECT_EQ(job.remaining(), 0);
}

TEST(MapJob, AnElementThatRaisesFailsAloneAndOtherLanguagesAreRefused) {
  nws::LocalServer server;
  sl::Master m(portable_options(server, 1));
  ASSERT_TRUE(m.status(true, 30).closed);
  sl::MapOptions o;
  o.chunk_size = 4;
  auto job = sl::MapJob::each_elem(m, sl::named_function("perl", "Test::fail_on_three"), o);
  for (std::int64_t i = 0; i < 8; ++i) job.add(int_list({i}));
  job.close();
  int errors = 0;
  while (auto out = job.next(nws::args::wait(30))) {
    if (out->index == 3) {
      EXPECT_FALSE(out->ok);
      EXPECT_NE(out->error.find("three is right out"), std::string::npos) << out->error;
      ++errors;
    } else {
      EXPECT_TRUE(out->ok) << out->error;
    }
  }
  EXPECT_EQ(errors, 1);
  // A Ruby function sent to these (Perl) workers: each element says so.
  auto wrong = sl::MapJob::each_elem(m, sl::named_function("ruby", "Stats.mean"));
  wrong.add(int_list({1}));
  wrong.close();
  auto out = wrong.next(nws::args::wait(30));
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->ok);
  EXPECT_NE(out->error.find("a ruby function (Stats.mean) was sent to a perl worker"), std::string::npos) << out->error;
}

TEST(MapJob, EachWorkerRunsOncePerWorkerAndNonBlockingDrains) {
  nws::LocalServer server;
  sl::Master m(portable_options(server, 3));
  ASSERT_TRUE(m.status(true, 30).closed);
  auto each = sl::MapJob::each_worker(m, sl::named_function("perl", "Test::rank"), int_list({}), nws::args::wait(30));
  std::multiset<std::int64_t> ranks;
  while (auto out = each.next(nws::args::wait(30))) {
    ASSERT_TRUE(out->ok) << out->error;
    ranks.insert(as_int(out->value));
  }
  EXPECT_EQ(ranks, (std::multiset<std::int64_t>{0, 1, 2}));

  sl::MapOptions o;
  o.order = sl::Order::arrival;
  o.load_factor = 1;  // at most one chunk per worker outstanding: add() waits for room
  o.chunk_size = 1;
  auto job = sl::MapJob::each_elem(m, sl::named_function("perl", "Test::square"), o);
  for (std::int64_t i = 0; i < 30; ++i) {
    job.add(int_list({i}));
    EXPECT_LE(job.job().outstanding(), 3);
  }
  job.close();
  std::set<std::int64_t> seen;
  while (seen.size() < 30) {
    for (auto& out : job.drain()) EXPECT_TRUE(seen.insert(out.index).second);
    if (seen.size() < 30)
      if (auto out = job.next(nws::args::wait(30))) EXPECT_TRUE(seen.insert(out->index).second);
  }
  EXPECT_FALSE(job.next(nws::args::wait(5)));
}

TEST(MapJob, AKilledPullingWorkersElementsRunOnceElsewhere) {
  nws::LocalServer server;
  sl::Master m(portable_options(server, 3));
  ASSERT_TRUE(m.status(true, 30).closed);
  sl::MapOptions o;
  o.chunk_size = 1;
  o.order = sl::Order::arrival;
  auto job = sl::MapJob::each_elem(m, sl::named_function("perl", "Test::pid_after_ms"), o);
  for (std::int64_t i = 0; i < 60; ++i) job.add(int_list({40}));
  job.close();
  std::map<std::int64_t, int> seen;
  std::set<std::int64_t> pids;
  while (pids.size() < 3) {
    auto out = job.next(nws::args::wait(30));
    ASSERT_TRUE(out && out->ok);
    ++seen[out->index];
    pids.insert(as_int(out->value));
  }
  const auto victim = static_cast<pid_t>(*pids.begin());
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  while (auto out = job.next(nws::args::wait(30))) {
    ASSERT_TRUE(out->ok) << out->error;
    ++seen[out->index];
  }
  ASSERT_EQ(seen.size(), 60u);
  for (auto& [index, times] : seen) EXPECT_EQ(times, 1) << "element " << index;
  EXPECT_EQ(m.workers_alive(), 2);
  m.stop();
  for (auto pid : pids) EXPECT_FALSE(in_process_table(static_cast<int>(pid))) << pid;
}

TEST(MapJob, DrainLeavesAGatheringChunkAndNextSendsItWhenNothingElseIsInFlight) {
  nws::LocalServer server;
  sl::Master m(portable_options(server, 2));
  ASSERT_TRUE(m.status(true, 30).closed);
  sl::MapOptions o;
  o.chunk_size = 4;
  o.load_factor = 1;  // two workers: two chunks in flight or waiting to be taken
  auto job = sl::MapJob::each_elem(m, sl::named_function("perl", "Test::square"), o);
  for (std::int64_t i = 0; i < 2; ++i) job.add(int_list({i}));
  EXPECT_TRUE(job.drain().empty());
  EXPECT_EQ(job.job().outstanding(), 0);  // still gathering: drain sent nothing
  EXPECT_TRUE(job.has_room());
  for (std::int64_t i = 2; i < 8; ++i) job.add(int_list({i}));  // two full chunks sent
  EXPECT_FALSE(job.has_room());
  job.add(int_list({8}));  // gathering a third
  std::int64_t expect = 0;
  while (expect < 8) {
    auto out = job.next(nws::args::wait(30));
    ASSERT_TRUE(out && out->ok);
    EXPECT_EQ(out->index, expect++);
  }
  EXPECT_TRUE(job.has_room());
  EXPECT_EQ(job.job().outstanding(), 0);
  // Nothing else in flight: the gathering element goes now, and comes back.
  auto last = job.next(nws::args::wait(30));
  ASSERT_TRUE(last);
  EXPECT_EQ(last->index, 8);
  EXPECT_EQ(as_int(last->value), 64);
  job.close();
  EXPECT_FALSE(job.next(nws::args::wait(5)));
}
