// The test program, and, when a sleigh started it (its environment has the
// contract's variables), a C++ worker: the same binary plays both parts, so
// the core's master, launcher and worker loop are tested without any other
// language.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "nws/portable.hpp"
#include "nws/sleigh_tasks.hpp"
#include "worker_hooks.hpp"

namespace sleigh_test {

std::string numbers(const std::vector<long>& v) {
  std::string out;
  for (long x : v) out += (out.empty() ? "" : ",") + std::to_string(x);
  return out;
}

std::vector<long> parse_numbers(std::string_view s) {
  std::vector<long> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    out.push_back(std::stol(std::string(s.substr(0, comma))));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

nws::sleigh::TaskOutcome run(const nws::sleigh::TaskRun& t) {
  const std::string f(t.function);
  std::vector<long> in = parse_numbers(t.payload), out;
  nws::sleigh::TaskOutcome o;
  for (long x : in) {
    if (f == "square") {
      out.push_back(x * x);
    } else if (f.rfind("sleep:", 0) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stol(f.substr(6))));
      out.push_back(x);
    } else if (f == "rank") {
      out.push_back(t.rank);
    } else if (f == "pid") {
      out.push_back(getpid());
    } else if (f.rfind("fail:", 0) == 0 && x == std::stol(f.substr(5))) {
      throw std::runtime_error("element " + std::to_string(x) + " fails");
    } else {
      out.push_back(x);
    }
  }
  o.payload = numbers(out);
  return o;
}

// A pulling worker standing in for a Perl one (the core accepts only the
// five languages' ids): Test::square, Test::rank, Test::fail_on_three,
// Test::pid_after_ms, each taking a portable list of integers.
int portable_worker_main() {
  namespace pv = nws::portable;
  nws::sleigh::PortableWorker w(nws::sleigh::WorkerEnv::from_environment("CxxPortable"), "perl",
                                "C++ test standing in for perl");
  auto integer = [](std::int64_t v) {
    pv::Writer out;
    out.integer(v);
    return out.finish();
  };
  while (auto call = w.next()) {
    const pv::Node args = pv::decode(call->args);
    const std::string& f = call->function->name;
    const std::int64_t x = args.items.empty() ? 0 : args.items[0].integer;
    if (f == "Test::square") {
      w.reply(integer(x * x));
    } else if (f == "Test::rank") {
      w.reply(integer(w.rank()));
    } else if (f == "Test::fail_on_three") {
      if (x == 3)
        w.reply_error("three is right out");
      else
        w.reply(integer(x));
    } else if (f == "Test::pid_after_ms") {
      std::this_thread::sleep_for(std::chrono::milliseconds(x));
      w.reply(integer(getpid()));
    } else {
      w.reply_error("no such function " + f);
    }
  }
  return 0;
}

int worker_main() {
  nws::sleigh::WorkerHooks hooks;
  hooks.run = run;
  hooks.language = "C++ test";
  return nws::sleigh::run_worker(nws::sleigh::WorkerEnv::from_environment("CxxSleigh"), hooks);
}

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace sleigh_test

int main(int argc, char** argv) {
  if (std::getenv("CxxSleighNwsName")) return sleigh_test::worker_main();
  if (std::getenv("CxxPortableNwsName")) return sleigh_test::portable_worker_main();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
